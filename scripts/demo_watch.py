#!/usr/bin/env python3
"""Show `overhorizon watch` at work: the sample corpus served as news feeds on 127.0.0.1.

    .venv/bin/python scripts/demo_watch.py DEMO_DIR [--json]

A small HTTP server (stdlib, in a thread, on a free port) serves the articles of
overhorizon/sample/text/*.txt and overhorizon/sample/html/*.html as their outlets would:

    /robots.txt                        allows everything
    /feeds/<outlet>.xml                RSS 2.0, one feed per outlet, newest item first; an outlet
    /feeds/<outlet>-<section>.xml      whose URLs have several sections (world/asia, us ...)
                                       has one feed per section instead
    /articles/<outlet>/<n>.html        the article: the sample page as it is, or the text file
                                       rendered as a plain HTML article

Feeds carry an ETag and answer If-None-Match with 304 Not Modified. The script writes
DEMO_DIR/watch/sources.toml (one source per outlet) and DEMO_DIR/watch/rules.toml, then runs
`overhorizon watch --once` three times against DEMO_DIR/watch/watch.db:

1. the feeds list only the items published up to 2021-08-28 (local date): every page is new;
2. the feeds list everything: only the new items are fetched, unchanged feeds answer 304,
   and incidents that are new or whose figures changed raise alerts;
3. nothing changed: every feed answers 304, nothing is fetched and no alert is raised;

then lists the alerts and the start of the digest. Headless text files (no outlet) are not
served: a feed needs an outlet.

With --json every step's output goes to stderr and stdout gets one JSON object: what was
served and each poll's report (`overhorizon watch --json`). Exit status: 0, or the status of
the first step that failed (a watch exit status of 1, something rejected, is reported and the
demo goes on).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "overhorizon" / "sample"
#: Poll 1 sees the items published up to this local date (the morning after the airport
#: bombing: the first tolls are out, the higher one and the Kabul drone strike are not).
CUTOFF = "2021-08-28"
DIGEST_LINES = 40

#: What the registry says of each sample outlet (all fictional). No two share an owner.
OUTLETS: dict[str, dict[str, Any]] = {
    "Kabul Ledger (sample)": {"kind": "newspaper", "country": "AFG", "language": "en"},
    "Bastion Daily (sample)": {"kind": "newspaper", "language": "en"},
    "Meridian Courier (sample)": {"kind": "newspaper", "language": "en"},
    "Lantern Post (sample)": {"kind": "newspaper", "language": "en"},
    "Carnet du Monde (sample)": {"kind": "newspaper", "language": "fr"},
}

RULES_TOML = """\
# Watch rules of the watch demo (scripts/demo_watch.py); see docs/alerts.md.

[[rule]]
name = "afghanistan-deaths"
country = "AFG"
min_killed = 1            # the best figure of killed, summed over victim groups

[[rule]]
name = "deadly-drone-strikes"
keywords = ["drone strike", "drone"]
types = ["ASSAULT"]
min_killed = 1
"""


# --- the corpus ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Story:
    """One article of the sample corpus: where it was published and what it says."""

    outlet: str
    title: str
    published: str  # ISO-8601 as the file gives it: a date, or a time with its offset
    url: str  # the article's own address on the outlet's (fictional) site
    authors: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()  # a text file's body
    page: bytes | None = None  # an HTML file's bytes, served as they are
    language: str | None = None

    @property
    def date(self) -> str:
        return self.published[:10]

    @property
    def when(self) -> dt.datetime:
        moment = dt.datetime.fromisoformat(self.published)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    @property
    def summary(self) -> str:
        if self.paragraphs:
            return self.paragraphs[0]
        found = _meta(self.page or b"", "description")
        return found or self.title


def _meta(page: bytes, name: str) -> str | None:
    """The content of ``<meta name|property=NAME content=...>`` in a page, unescaped."""
    text = page.decode("utf-8", "replace")
    m = re.search(rf'<meta\s+(?:name|property)="{re.escape(name)}"\s+content="([^"]*)"', text, re.I)
    return html.unescape(m.group(1)) if m else None


def read_text_stories(folder: Path) -> Iterator[Story]:
    """Stories of the headed text files (the headless ones name no outlet and are left out)."""
    from overhorizon.ingest.decoding import decode
    from overhorizon.ingest.readers.text import parse_text
    from overhorizon.records import SourceRef

    for path in sorted(folder.glob("*.txt")):
        doc = parse_text(decode(path.read_bytes()), SourceRef(kind="file", path=path.name))
        if not (doc.outlet and doc.title and doc.published and doc.url):
            continue
        paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", doc.text) if p.strip())
        yield Story(
            outlet=doc.outlet,
            title=doc.title,
            published=doc.published,
            url=doc.url,
            authors=doc.authors,
            paragraphs=paragraphs,
            language=doc.language,
        )


def read_html_stories(folder: Path) -> Iterator[Story]:
    """Stories of the sample HTML pages, which name their outlet, date and address."""
    for path in sorted(folder.glob("*.html")):
        data = path.read_bytes()
        outlet = _meta(data, "og:site_name")
        title = _meta(data, "og:title")
        published = _meta(data, "article:published_time")
        m = re.search(rb'<link\s+rel="canonical"\s+href="([^"]+)"', data)
        if not (outlet and title and published and m):
            continue
        yield Story(
            outlet=outlet,
            title=title,
            published=published,
            url=m.group(1).decode("ascii"),
            page=data,
        )


def slugify(text: str) -> str:
    text = re.sub(r"\(sample\)", "", text, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def section_of(url: str) -> str:
    """The section of an article address: its path up to the first segment with a digit."""
    parts: list[str] = []
    for segment in urlsplit(url).path.strip("/").split("/")[:-1]:
        if any(c.isdigit() for c in segment):
            break
        parts.append(segment)
    return "/".join(parts)


@dataclass
class Feed:
    """One RSS feed of an outlet (or of one section of its site), newest item first."""

    slug: str
    outlet: str
    section: str
    items: list[tuple[str, Story]] = field(default_factory=list)  # (page path, story)


@dataclass
class Corpus:
    """The outlets' feeds and pages; ``cutoff`` hides the items published after it."""

    feeds: list[Feed]
    pages: dict[str, Story]
    cutoff: str | None = None

    def visible(self, feed: Feed) -> list[tuple[str, Story]]:
        return [(p, s) for p, s in feed.items if self.cutoff is None or s.date <= self.cutoff]

    def outlet_feeds(self) -> dict[str, list[Feed]]:
        out: dict[str, list[Feed]] = {}
        for f in self.feeds:
            out.setdefault(f.outlet, []).append(f)
        return out


def build_corpus(sample: Path = SAMPLE) -> Corpus:
    """Group the sample stories by outlet; number each outlet's pages oldest first."""
    stories = [*read_text_stories(sample / "text"), *read_html_stories(sample / "html")]
    by_outlet: dict[str, list[Story]] = {}
    for s in sorted(stories, key=lambda s: (s.when, s.url)):
        by_outlet.setdefault(s.outlet, []).append(s)
    feeds: list[Feed] = []
    pages: dict[str, Story] = {}
    for outlet, items in by_outlet.items():
        slug = slugify(outlet)
        sections = sorted({section_of(s.url) for s in items})
        by_section = {sec: Feed(slug, outlet, sec) for sec in sections}
        if len(sections) > 1:
            for sec, f in by_section.items():
                f.slug = f"{slug}-{slugify(sec) or 'home'}"
        for n, story in enumerate(items, 1):
            path = f"/articles/{slug}/{n}.html"
            pages[path] = story
            by_section[section_of(story.url)].items.insert(0, (path, story))
        feeds += by_section.values()
    return Corpus(feeds, pages)


# --- rendering ------------------------------------------------------------------------------
def render_feed(corpus: Corpus, feed: Feed, base: str) -> bytes:
    """RSS 2.0 of the feed's visible items; the same items give the same bytes."""
    e = html.escape
    items = corpus.visible(feed)
    title = feed.outlet + (f": {feed.section}" if feed.section else "")
    built = email.utils.format_datetime(items[0][1].when) if items else None
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{e(title)}</title>",
        f"<link>{e(base)}/</link>",
        f"<description>{e(title)}, served by the overhorizon watch demo</description>",
    ]
    if built:
        out.append(f"<lastBuildDate>{built}</lastBuildDate>")
    for path, story in items:
        link = e(base + path)
        out += [
            "<item>",
            f"<title>{e(story.title)}</title>",
            f"<link>{link}</link>",
            f'<guid isPermaLink="true">{link}</guid>',
            f"<pubDate>{email.utils.format_datetime(story.when)}</pubDate>",
            *(f"<dc:creator>{e(a)}</dc:creator>" for a in story.authors),
            f"<description>{e(story.summary)}</description>",
            "</item>",
        ]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out).encode("utf-8")


def render_page(story: Story) -> bytes:
    """The story as a plain HTML article page (an HTML sample page is served as it is)."""
    if story.page is not None:
        return story.page
    e = html.escape
    lang = story.language or ("fr" if story.outlet.startswith("Carnet") else "en")
    byline = "; ".join(story.authors)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(story.title)} | {e(story.outlet)}</title>",
        f'<meta property="og:site_name" content="{e(story.outlet)}">',
        f'<meta property="og:title" content="{e(story.title)}">',
        f'<meta property="article:published_time" content="{e(story.published)}">',
        *([f'<meta name="author" content="{e(byline)}">'] if byline else []),
        f'<link rel="canonical" href="{e(story.url)}">',
        "</head>",
        "<body>",
        f"<header><p>{e(story.outlet)}</p></header>",
        "<article>",
        f"<h1>{e(story.title)}</h1>",
        f'<p class="byline">{"By " + e(byline) + " · " if byline else ""}'
        f'<time datetime="{e(story.published)}">{e(story.published)}</time></p>',
    ]
    body = [f"<p>{e(p)}</p>" for p in story.paragraphs]
    tail = ["</article>", "<footer><p>A fictional outlet of the overhorizon sample.</p></footer>"]
    return "\n".join([*head, *body, *tail, "</body>", "</html>", ""]).encode("utf-8")


# --- the server -----------------------------------------------------------------------------
def make_handler(corpus: Corpus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "overhorizon-demo/1"

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            base = f"http://{self.headers.get('Host') or '127.0.0.1'}"
            feed = next((f for f in corpus.feeds if path == f"/feeds/{f.slug}.xml"), None)
            if path == "/robots.txt":
                self._send(200, "text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n")
            elif feed is not None:
                body = render_feed(corpus, feed, base)
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                sent = self.headers.get("If-None-Match", "")
                if etag in [t.strip() for t in sent.split(",")]:
                    self._send(304, None, b"", etag=etag)
                else:
                    self._send(200, "application/rss+xml; charset=utf-8", body, etag=etag)
            elif path in corpus.pages:
                story = corpus.pages[path]
                charset = "" if story.page is not None else "; charset=utf-8"
                self._send(200, "text/html" + charset, render_page(story))
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found\n")

        def _send(
            self, status: int, ctype: str | None, body: bytes, etag: str | None = None
        ) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the watch report says what was fetched

    return Handler


def start_server(corpus: Corpus) -> ThreadingHTTPServer:
    """Serve the corpus on 127.0.0.1, on a free port, from a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(corpus))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True).start()
    return server


# --- the registry ---------------------------------------------------------------------------
def sources_toml(corpus: Corpus, base: str) -> str:
    """One [[source]] per outlet: its feeds, and the host its articles name as domain."""
    q = json.dumps  # a JSON string is a valid TOML basic string
    out = ["# The sample outlets served by scripts/demo_watch.py; see docs/sources.md.", ""]
    for outlet, feeds in corpus.outlet_feeds().items():
        info = OUTLETS.get(outlet, {"kind": "other"})
        hosts = sorted({urlsplit(s.url).hostname or "" for f in feeds for _, s in f.items})
        out += ["[[source]]", f"name = {q(outlet)}"]
        out.append("urls = [" + ", ".join(q(f"{base}/feeds/{f.slug}.xml") for f in feeds) + "]")
        out += [f"{key} = {q(value)}" for key, value in info.items()]
        out += ["domains = [" + ", ".join(q(h) for h in hosts if h) + "]", ""]
    return "\n".join(out)


# --- the steps ------------------------------------------------------------------------------
class StepFailed(Exception):
    def __init__(self, what: str, status: int) -> None:
        super().__init__(f"{what} failed with status {status}")
        self.status = status


class Demo:
    def __init__(self, demo_dir: Path, *, as_json: bool) -> None:
        self.dir = demo_dir / "watch"
        self.db = self.dir / "watch.db"
        self.as_json = as_json
        self.out: IO[str] = sys.stderr if as_json else sys.stdout
        self.env = dict(os.environ)
        self.env["OVERHORIZON_RULES_FILE"] = str(self.dir / "rules.toml")
        self.env["OVERHORIZON_SOURCES_FILE"] = str(self.dir / "sources.toml")
        # The server is ours, on loopback: no need for the polite pause between requests.
        self.env["OVERHORIZON_HOST_INTERVAL"] = "0"
        self.env.pop("OVERHORIZON_DB", None)

    def header(self, text: str) -> None:
        print(f"\n== {text}", file=self.out, flush=True)

    def run(self, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "overhorizon", *args, "--db", str(self.db)]
        return subprocess.run(
            cmd,
            env=self.env,
            text=True,
            stdout=subprocess.PIPE if capture else self.out,
            check=False,
        )

    def watch(self, what: str) -> dict[str, Any] | None:
        """One `watch --once`; its report when --json, None otherwise."""
        args = ["watch", "--once", "--allow-private-addresses"]
        args += ["--sources", str(self.dir / "sources.toml")]
        proc = self.run(*args, *(["--json"] if self.as_json else []), capture=self.as_json)
        if proc.returncode >= 2:
            raise StepFailed(what, proc.returncode)
        if proc.returncode == 1:
            print(f"({what}: exit status 1: something was rejected, see above)", file=self.out)
        if not self.as_json:
            return None
        print(proc.stdout, end="", file=self.out)
        report: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        report["status"] = proc.returncode
        return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("demo_dir", type=Path, help="the demo folder (watch/ is made in it)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON summary on stdout, the rest on stderr"
    )
    args = parser.parse_args(argv)
    demo = Demo(args.demo_dir, as_json=args.json)
    demo.dir.mkdir(parents=True, exist_ok=True)
    demo.db.unlink(missing_ok=True)
    corpus = build_corpus()
    server = start_server(corpus)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (demo.dir / "sources.toml").write_text(sources_toml(corpus, base), encoding="utf-8")
    (demo.dir / "rules.toml").write_text(RULES_TOML, encoding="utf-8")
    corpus.cutoff = CUTOFF
    first = sum(len(corpus.visible(f)) for f in corpus.feeds)
    summary: dict[str, Any] = {
        "base": base,
        "feeds": [f"{base}/feeds/{f.slug}.xml" for f in corpus.feeds],
        "items": len(corpus.pages),
        "items_poll1": first,
        "polls": [],
    }
    try:
        demo.header(
            f"watch demo: {len(corpus.pages)} sample articles of {len(corpus.outlet_feeds())} "
            f"outlets served as {len(corpus.feeds)} RSS feeds at {base}/feeds/ "
            f"(registry {demo.dir / 'sources.toml'}, rules {demo.dir / 'rules.toml'})"
        )
        demo.header(
            f"poll 1: the feeds list the {first} items published up to {CUTOFF}; "
            "every page is new, incidents matching the rules raise 'new' alerts"
        )
        summary["polls"].append(demo.watch("poll 1"))
        corpus.cutoff = None
        demo.header(
            f"poll 2: the feeds list all {len(corpus.pages)} items; only the "
            f"{len(corpus.pages) - first} new pages are fetched, unchanged feeds answer 304, "
            "incidents new or changed since poll 1 raise alerts"
        )
        summary["polls"].append(demo.watch("poll 2"))
        demo.header("poll 3: nothing changed: every feed answers 304, no alert is raised")
        summary["polls"].append(demo.watch("poll 3"))
        demo.header("overhorizon alerts: what the rules raised")
        if (proc := demo.run("alerts")).returncode:
            raise StepFailed("overhorizon alerts", proc.returncode)
        demo.header(f"overhorizon digest --since 24h: the first {DIGEST_LINES} lines")
        proc = demo.run("digest", "--since", "24h", capture=True)
        if proc.returncode:
            raise StepFailed("overhorizon digest", proc.returncode)
        lines = proc.stdout.splitlines()
        print("\n".join(lines[:DIGEST_LINES]), file=demo.out)
        if len(lines) > DIGEST_LINES:
            print(f"... ({len(lines) - DIGEST_LINES} more lines)", file=demo.out)
    except StepFailed as exc:
        print(f"demo_watch: {exc}", file=sys.stderr)
        return exc.status
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nwatch database: {demo.db}", file=demo.out)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
