"""Plain text: optional ``Key: value`` header lines, then a blank line, then the body.

Recognised keys: Title, Outlet, Published (or Date), URL, Author(s) (several separated by ``;``),
Language. Without a header block the first line is the title and the rest the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from overhorizon.ingest.decoding import decode
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.sources import Blob
from overhorizon.records import Document, Item, SourceKind, SourceRef
from overhorizon.settings import Settings

_HEADER_RE = re.compile(
    r"^(title|outlet|source|published|date|url|link|author|authors|byline|language):[ \t]*(.*)$",
    re.I,
)
_KEYS = {
    "title": "title",
    "outlet": "outlet",
    "source": "outlet",
    "published": "published",
    "date": "published",
    "url": "url",
    "link": "url",
    "author": "authors",
    "authors": "authors",
    "byline": "authors",
    "language": "language",
}


def split_authors(value: str) -> tuple[str, ...]:
    """Split an author line on ';' (or ' and ' / ',' when no ';' is present)."""
    value = re.sub(r"^\s*by\s+", "", value, flags=re.I)
    parts = value.split(";") if ";" in value else re.split(r",|\band\b", value)
    return tuple(p.strip() for p in parts if p.strip())


def parse_text(text: str, source: SourceRef) -> Document:
    """Split a decoded text file into header fields and body; raise Reject when it is empty."""
    if not text.strip():
        raise Reject("whitespace_only", "only whitespace")
    lines = text.lstrip("\ufeff").split("\n")
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    start = i
    while i < len(lines):
        m = _HEADER_RE.match(lines[i].strip())
        if not m:
            break
        key = _KEYS[m.group(1).lower()]
        fields.setdefault(key, m.group(2).strip())
        i += 1
    if fields and (i == len(lines) or not lines[i].strip()):
        body = "\n".join(lines[i:])
    else:
        fields = {}
        first = lines[start].strip()
        rest = "\n".join(lines[start + 1 :])
        if rest.strip():
            fields["title"] = first
            body = rest
        else:
            body = first
    if not body.strip():
        raise Reject("missing_text", "a header block but no body after it")
    return Document(
        text=body,
        source=source,
        title=fields.get("title") or None,
        outlet=fields.get("outlet") or None,
        url=fields.get("url") or None,
        authors=split_authors(fields.get("authors", "")),
        published=fields.get("published") or None,
        language=fields.get("language") or None,
    )


@dataclass(frozen=True)
class TextReader:
    """Reader for .txt files and the fallback for unknown text."""

    name: str = "text"
    extensions: tuple[str, ...] = (".txt", ".text", ".md")

    def sniff(self, head: bytes) -> int:
        return 1

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        data = blob.read(settings.max_document_bytes)
        text = decode(data)
        kind: SourceKind = "stdin" if blob.path is None else "file"
        yield parse_text(text, SourceRef(kind=kind, path=blob.name))


READER = TextReader()
