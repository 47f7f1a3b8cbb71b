"""A hostile corpus, built by seeded code: every way an input can be broken, beside good ones.

:func:`build` writes the files into a directory and returns a manifest: for each file (its path
relative to that directory, as reports show it: bytes of a name that are not UTF-8 appear as
backslash escapes) what ingest must make of it, as an :class:`Expect`: the articles it holds
(each named by a sentence only it contains) and the rejections it must give, by the rejection's
source (relative to the directory) and reason code. A broken container (feed, WARC, JSONL)
expects both: the good entries it holds as articles, and a rejection for what broke.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20210829

# Default max_document_bytes is 10 MB: these are well over it.
HUGE_FILE_BYTES = 60_000_000
BOMB_DECOMPRESSED_BYTES = 1_000_000_000
HUGE_LINE_BYTES = 11_000_000

_PROSE = (
    "ministry officials reported heavy shelling near the northern district overnight while "
    "residents fled toward the coast aid convoys waited at the checkpoint for clearance local "
    "authorities confirmed that the bridge was damaged and the market remained closed witnesses "
    "described gunfire before dawn a spokesman for the regional council said talks would resume "
    "hospitals received wounded civilians and engineers began repairing power lines the army "
    "announced a curfew across three provinces as negotiators met in the capital"
)
_WORDS = _PROSE.split()
_PLACES = (
    "Alvaro",
    "Brenmoor",
    "Castelline",
    "Dunraith",
    "Esterhold",
    "Fenwick",
    "Galdora",
    "Harrowgate",
    "Istrava",
    "Jorvik",
    "Kellmarsh",
    "Lorrin",
    "Marrowby",
    "Nesslau",
    "Oskarsby",
    "Pellwick",
)


@dataclass
class Expect:
    """What ingest must make of one file.

    ``needles``: one sentence per article the file holds; each must be in exactly one stored
    article's text. ``rejections``: rejection source (relative path, with any ``:line`` or
    ``#record`` suffix) to reason code; a file with none must give no rejection. ``phrases``:
    text that must be in the file's article exactly as written (checks decoding).
    """

    needles: list[str] = field(default_factory=list)
    rejections: dict[str, str] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len(self.needles)


@dataclass
class Corpus:
    """The built corpus: its directory, the manifest, and checks that need more than a needle."""

    root: Path
    manifest: dict[str, Expect]
    xss_title_words: tuple[str, ...] = ()
    xss_visible_markup: str = ""
    xss_script_code: str = ""

    @property
    def needles(self) -> list[str]:
        return [n for e in self.manifest.values() for n in e.needles]

    @property
    def rejections(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for e in self.manifest.values():
            out.update(e.rejections)
        return out


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0

    def sentence(self, n: int = 12) -> str:
        words = [self.rng.choice(_WORDS) for _ in range(n)]
        return " ".join(words).capitalize() + "."

    def needle(self) -> str:
        """A sentence no other article contains: a serial number and a seeded place name."""
        self.serial += 1
        place = self.rng.choice(_PLACES)
        code = self.rng.randrange(10**8, 10**9)
        return f"Dispatch {self.serial} from {place} carries reference {code}."

    def body(self, needle: str, paragraphs: int = 3) -> list[str]:
        """Paragraphs of news-like prose, the needle alone at the start of the first."""
        paras = [" ".join(self.sentence() for _ in range(4)) for _ in range(paragraphs)]
        paras[0] = needle + " " + paras[0]
        return paras


def _html_page(title: str, paragraphs: list[str], extra_head: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title>{extra_head}</head>\n"
        f"<body><article><h1>{title}</h1>\n{body}\n</article></body></html>\n"
    )


def _warc(
    path: Path, pages: list[tuple[str, str]], *, gzipped: bool, rng: random.Random
) -> list[str]:
    """Write HTML responses with warcio, the last one cut in half; return the record ids."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    cut_from = 0
    ids = []
    for i, (url, html) in enumerate(pages):
        if i == len(pages) - 1:
            cut_from = buf.tell()
        payload = html.encode("utf-8")
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload)))],
            protocol="HTTP/1.1",
        )
        ids.append(f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Record-ID": ids[-1], "WARC-Date": "2021-08-29T10:00:00Z"},
        )
        writer.write_record(record)
    data = buf.getvalue()
    path.write_bytes(data[: cut_from + (len(data) - cut_from) // 2])
    return ids


def build(root: Path) -> Corpus:
    """Write the hostile corpus into ``root`` (created if missing) and return its manifest."""
    rng = random.Random(SEED)
    w = _Writer(rng)
    root.mkdir(parents=True, exist_ok=True)
    m: dict[str, Expect] = {}

    def text_article(name: str, encoding: str = "utf-8", bom: bytes = b"") -> None:
        needle = w.needle()
        paras = w.body(needle)
        text = f"Title: Report {w.serial}\n\n" + "\n\n".join(paras) + "\n"
        (root / name).write_bytes(bom + text.encode(encoding))
        m[name] = Expect([needle])

    # --- good inputs, so the run has something to keep ------------------------------------
    text_article("good.txt")
    needle = w.needle()
    (root / "good.html").write_text(_html_page("A good page", w.body(needle)), "utf-8")
    m["good.html"] = Expect([needle])

    # --- nothing in it --------------------------------------------------------------------
    (root / "empty.txt").write_bytes(b"")
    m["empty.txt"] = Expect(rejections={"empty.txt": "empty"})
    (root / "whitespace.txt").write_bytes(b"  \n\t\n   \r\n\n \x0c \n")
    m["whitespace.txt"] = Expect(rejections={"whitespace.txt": "whitespace_only"})

    # --- binary ---------------------------------------------------------------------------
    (root / "random.bin").write_bytes(rng.randbytes(200_000))
    m["random.bin"] = Expect(rejections={"random.bin": "binary"})
    chunks = []
    for _ in range(400):
        chunks.append(w.sentence(6).encode() + b"\x00" * rng.randint(1, 8))
    (root / "nuls.txt").write_bytes(b" ".join(chunks))
    m["nuls.txt"] = Expect(rejections={"nuls.txt": "binary"})
    # A few stray NULs (under 1 %) in a real article: kept, and the NULs are dropped.
    needle = w.needle()
    paras = w.body(needle, 5)
    raw = ("\n\n".join(paras)).encode()
    for pos in sorted(rng.sample(range(len(needle) + 2, len(raw)), 3), reverse=True):
        raw = raw[:pos] + b"\x00" + raw[pos:]
    (root / "few_nuls.txt").write_bytes(b"Title: Stray NULs\n\n" + raw)
    m["few_nuls.txt"] = Expect([needle])
    (root / "binary.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(50_000))
    m["binary.jsonl"] = Expect(rejections={"binary.jsonl": "binary"})

    # --- encodings: all accepted, decoded to the same characters ---------------------------
    # cp1252: accented letters and typographic quotes, invalid as UTF-8.
    needle = w.needle()
    paras = w.body(needle, 4)
    paras[1] = (
        "« Nous resterons ici », a déclaré Hélène Müller, porte-parole du comité de "
        "Saint-Étienne, devant la préfecture. “The café was closed,” said François Gaßner — "
        "and the crowd waited. " + paras[1]
    )
    (root / "cp1252.txt").write_bytes(
        ("Title: Déclaration à la préfecture\n\n" + "\n\n".join(paras)).encode("cp1252")
    )
    m["cp1252.txt"] = Expect(
        [needle], phrases=["« Nous resterons ici », a déclaré Hélène Müller", "“The café was"]
    )
    text_article("utf16_bom.txt", "utf-16-le", codecs.BOM_UTF16_LE)
    text_article("utf16_nobom.txt", "utf-16-le")
    text_article("utf16be_bom.txt", "utf-16-be", codecs.BOM_UTF16_BE)
    text_article("utf8_bom.txt", "utf-8", codecs.BOM_UTF8)

    # --- too large ------------------------------------------------------------------------
    line = (w.sentence(16) + "\n").encode()
    block = line * (1_000_000 // len(line) + 1)
    with open(root / "huge.txt", "wb") as fh:
        written = 0
        while written < HUGE_FILE_BYTES:
            fh.write(block)
            written += len(block)
    m["huge.txt"] = Expect(rejections={"huge.txt": "too_large"})
    # A gzip bomb: one compressed megabyte of text repeated as gzip members, 1 GB decompressed.
    member = gzip.compress(block[:1_000_000], compresslevel=9, mtime=0)
    with open(root / "bomb.txt.gz", "wb") as fh:
        for _ in range(BOMB_DECOMPRESSED_BYTES // 1_000_000):
            fh.write(member)
    m["bomb.txt.gz"] = Expect(rejections={"bomb.txt.gz": "too_large"})

    # --- broken compression ---------------------------------------------------------------
    needle = w.needle()
    gz = gzip.compress(("\n\n".join(w.body(needle, 8))).encode(), mtime=0)
    (root / "truncated.txt.gz").write_bytes(gz[: len(gz) // 2])
    m["truncated.txt.gz"] = Expect(rejections={"truncated.txt.gz": "truncated_gzip"})
    needle = w.needle()
    gz = gzip.compress(("Title: Compressed\n\n" + "\n\n".join(w.body(needle))).encode(), mtime=0)
    (root / "good.txt.gz").write_bytes(gz)
    m["good.txt.gz"] = Expect([needle])

    # --- HTML that defeats or fools extractors ---------------------------------------------
    needle = w.needle()
    depth = 100_000
    nested = (
        "<!DOCTYPE html><html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + "<p>"
        + " ".join(w.body(needle, 2))
        + "</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    (root / "nested.html").write_text(nested, "utf-8")
    # libxml2 stops parsing at depth 256 and drops the rest of the page, paragraph included:
    # that is the parser giving up (html_unparseable), not a page without an article.
    m["nested.html"] = Expect(rejections={"nested.html": "html_unparseable"})
    (root / "script_only.html").write_text(
        "<!DOCTYPE html><html><head><title>App</title>"
        '<script src="app.js"></script></head><body>'
        "<script>var x = 1; document.write('loading ' + x);</script>"
        "<noscript></noscript><script>window.location = '/next';</script></body></html>",
        "utf-8",
    )
    m["script_only.html"] = Expect(rejections={"script_only.html": "no_main_text"})
    needle = w.needle()
    (root / "page.weird").write_text(_html_page("Odd extension", w.body(needle)), "utf-8")
    m["page.weird"] = Expect([needle])
    needle = w.needle()
    code = "alert(1)"
    paras = w.body(needle)
    paras[1] = (
        "The page quoted the markup &lt;script&gt;alert(2)&lt;/script&gt; as text. " + paras[1]
    )
    xss = _html_page("Breaking <script>alert(1)</script> news", paras)
    xss = xss.replace("</article>", f"<script>{code}</script></article>", 1)
    xss = xss.replace("<p>", f"<p><script>{code}</script>", 1)
    (root / "xss.html").write_text(xss, "utf-8")
    m["xss.html"] = Expect([needle])

    # --- feeds ----------------------------------------------------------------------------
    items = []
    good_needles = []
    for i in range(3):
        needle = w.needle()
        good_needles.append(needle)
        items.append(
            f"<item><title>Item {i}</title><link>https://example.org/{i}</link>"
            f"<description>{' '.join(w.body(needle, 2))}</description>"
            f"<pubDate>Sun, 29 Aug 2021 0{i}:00:00 GMT</pubDate></item>"
        )
    broken = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Broken wire</title><link>https://example.org/</link>"
        + "".join(items)
        + "<item><title>Cut <off & <<"
    )
    (root / "broken.rss").write_text(broken, "utf-8")
    # The cut-off item parses as an entry with a title and no text: rejected on its own.
    m["broken.rss"] = Expect(
        good_needles, {"broken.rss": "malformed_feed", "broken.rss#entry=4": "missing_text"}
    )
    # Character references to NUL: not well-formed XML, and feedparser hands the NULs on in the
    # feed title, the link and the text. The entry is kept, without them.
    needle = w.needle()
    (root / "nul.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Wire&#0; service</title><item><title>Null&#0; item</title>"
        "<link>https://example.org/nul&#0;/1</link>"
        f"<description>{' '.join(w.body(needle, 2))}&#0;</description></item></channel></rss>",
        "utf-8",
    )
    m["nul.rss"] = Expect([needle], {"nul.rss": "malformed_feed"})
    (root / "config.xml").write_text(
        '<?xml version="1.0"?>\n<configuration><server port="80"><item name="a">1</item>'
        "</server><description>not news</description></configuration>\n",
        "utf-8",
    )
    m["config.xml"] = Expect(rejections={"config.xml": "not_a_feed"})

    # --- WARC cut mid-record ----------------------------------------------------------------
    for name, gzipped in (("cut.warc.gz", True), ("cut.warc", False)):
        pages = []
        needles = []
        for i in range(4):
            needle = w.needle()
            pages.append(
                (f"https://news.example.org/{name}/{i}", _html_page(f"Wire {i}", w.body(needle)))
            )
            needles.append(needle)
        ids = _warc(root / name, pages, gzipped=gzipped, rng=rng)
        m[name] = Expect(needles[:-1], {f"{name}#{ids[-1]}": "truncated_warc"})

    # --- JSONL with bad lines among good ones ----------------------------------------------
    lines: list[bytes] = []
    needles = []
    rejected: dict[str, str] = {}

    def good_line() -> None:
        needle = w.needle()
        needles.append(needle)
        obj = {
            "id": f"wire-{w.serial}",
            "title": f"Line {w.serial}",
            "text": "\n\n".join(w.body(needle)),
            "authors": ["A. Writer"],
        }
        lines.append(json.dumps(obj).encode())

    def bad_line(raw: bytes, code: str) -> None:
        lines.append(raw)
        rejected[f"mixed.jsonl:{len(lines)}"] = code

    good_line()
    bad_line(b'{"text": "unterminated', "bad_json_line")
    good_line()
    bad_line(b'["an", "array"]', "bad_json_line")
    bad_line(json.dumps({"title": "no text here"}).encode(), "missing_text")
    good_line()
    bad_line(json.dumps({"text": 12345}).encode(), "bad_field")
    bad_line(json.dumps({"text": w.sentence(), "authors": {"name": "x"}}).encode(), "bad_field")
    bad_line(json.dumps({"text": "x" * HUGE_LINE_BYTES}).encode(), "too_large")
    good_line()
    # NUL characters escaped inside JSON strings: PostgreSQL cannot store them.
    needle = w.needle()
    needles.append(needle)
    lines.append(
        json.dumps(
            {
                "id": "nul\u0000id",
                "title": "NUL\u0000title",
                "url": "https://x.org/\u0000",
                "published": "2021-08-29\u0000",
                "authors": ["N\u0000L"],
                "outlet": "Out\u0000let",
                "text": "\n\n".join(w.body(needle)) + "\u0000",
            }
        ).encode()
    )
    good_line()
    (root / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    m["mixed.jsonl"] = Expect(needles, rejected)

    # --- a file name that is not UTF-8 (latin-1 "café.txt"): read, and named printably ------
    needle = w.needle()
    raw_name = os.fsdecode(b"caf\xe9.txt")
    (root / raw_name).write_text("Title: Café\n\n" + "\n\n".join(w.body(needle)), "utf-8")
    m["caf\\xe9.txt"] = Expect([needle])

    # --- links ----------------------------------------------------------------------------
    os.symlink("loop", root / "loop")
    m["loop"] = Expect(rejections={"loop": "symlink_loop"})
    (root / "sub").mkdir()
    text_article("sub/inner.txt")
    os.symlink("..", root / "sub" / "up")
    m["sub/up"] = Expect(rejections={"sub/up": "symlink_loop"})

    return Corpus(
        root=root,
        manifest=m,
        xss_title_words=("Breaking", "news"),
        xss_visible_markup="<script>alert(2)</script>",
        xss_script_code=code,
    )
