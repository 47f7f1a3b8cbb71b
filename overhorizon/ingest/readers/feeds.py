"""RSS and Atom feeds with feedparser: each entry is an article. Nothing is fetched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from overhorizon.ingest.decoding import binary_kind
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.htmltext import fragment_to_text
from overhorizon.ingest.sources import Blob
from overhorizon.records import Document, Item, Rejection, SourceRef
from overhorizon.settings import Settings

_FEED_ROOT_RE = re.compile(rb"<(rss|feed|rdf:RDF|channel)\b", re.I)


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return fragment_to_text(value)
    summary = entry.get("summary") or entry.get("description") or ""
    return fragment_to_text(summary) if summary.strip() else ""


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created", "dc_date"):
        value = entry.get(key)
        if value:
            return str(value)
    return None


def _entry_authors(entry: Any) -> tuple[str, ...]:
    names = [a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names = [str(entry["author"])]
    return tuple(n.strip() for n in names if n and n.strip())


def parse_feed(data: bytes, name: str) -> Iterator[Item]:
    """Yield one Document per entry, a Rejection per bad entry and one for a malformed feed."""
    import feedparser

    what = binary_kind(data)
    if what is not None:
        raise Reject("binary", what)
    if not data.strip():
        raise Reject("whitespace_only" if data else "empty", "no feed content")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    bozo = parsed.get("bozo")
    problem = parsed.get("bozo_exception")
    if not version and not _FEED_ROOT_RE.search(data[:4096]):
        raise Reject("not_a_feed", "no RSS or Atom root element")
    if not entries and not version:
        if bozo and not _FEED_ROOT_RE.search(data[:4096]):
            raise Reject("not_a_feed", f"not RSS or Atom ({_short(problem)})")
        if bozo:
            raise Reject("malformed_feed", f"no entry could be read ({_short(problem)})")
        raise Reject("not_a_feed", "no RSS or Atom root element")
    if not entries:
        raise Reject("empty_feed", f"a {version or 'feed'} document without entries")
    feed_title = (parsed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries, start=1):
        source = SourceRef(
            kind="feed", path=name, url=entry.get("link") or None, feed=feed_title, entry=i
        )
        text = _entry_text(entry)
        if not text.strip():
            yield Rejection(source.locator, "missing_text", "the entry has no content or summary")
            continue
        yield Document(
            text=text,
            source=source,
            title=entry.get("title") or None,
            outlet=feed_title,
            url=entry.get("link") or None,
            authors=_entry_authors(entry),
            published=_entry_date(entry),
            language=(entry.get("language") or parsed.get("feed", {}).get("language") or None),
        )
    if bozo and problem is not None and not _harmless(problem):
        yield Rejection(
            name,
            "malformed_feed",
            f"{_short(problem)}; kept the {len(entries)} entries that parsed",
        )


def _harmless(problem: Any) -> bool:
    """Encoding-declaration mismatches are fixed by feedparser and lose nothing."""
    name = type(problem).__name__
    return name in {"CharacterEncodingOverride", "NonXMLContentType"}


def _short(problem: Any) -> str:
    text = str(problem) if problem is not None else "unknown error"
    return text[:200]


@dataclass(frozen=True)
class FeedReader:
    """Reader for RSS 0.9x/1.0/2.0 and Atom files."""

    name: str = "feed"
    extensions: tuple[str, ...] = (".rss", ".atom", ".xml", ".rdf")

    def sniff(self, head: bytes) -> int:
        if _FEED_ROOT_RE.search(head[:4096]):
            return 80
        if head.lstrip().startswith(b"<?xml"):
            return 30
        return 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        data = blob.read(settings.max_container_bytes)
        yield from parse_feed(data, blob.name)


READER = FeedReader()
