"""HTML pages: main text and metadata (title, authors, date, site name) with trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from overhorizon.ingest.decoding import declared_charset, decode
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.sources import Blob
from overhorizon.records import Document, Item, RawPage, SourceKind, SourceRef
from overhorizon.settings import Settings

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_MARKUP_RE = re.compile(rb"<\s*(html|head|body|div|p|article|title|meta)\b", re.I)


_HIDDEN_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]*>")
_UNREACHED_LETTERS = 200


def visible_letters(html: str) -> int:
    """Count the letters outside tags, scripts and styles: what a reader of the page would see."""
    text = _TAG_RE.sub(" ", _HIDDEN_RE.sub(" ", html[:2_000_000]))
    return sum(1 for c in text if c.isalpha())


_SCRIPTS_XPATH = "//script[not(contains(@type, 'json'))] | //style"


def _drop_scripts(tree: Any) -> None:
    """Remove script and style elements (JSON-LD metadata stays), so that their code never
    reaches a title or byline the extractor takes from an element's whole text, such as an
    ``<h1>`` with a ``<script>`` inside."""
    for el in tree.xpath(_SCRIPTS_XPATH):
        if el.getparent() is not None:
            el.drop_tree()


_PUBLISHED_RE = re.compile(
    r"""<meta\s[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|"""
    r"""og:published_time|datePublished|pubdate)["'][^>]*>""",
    re.I,
)
_CONTENT_RE = re.compile(r"""content\s*=\s*["']([^"']{10,40})["']""", re.I)
_JSONLD_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def published_time(html: str) -> str | None:
    """The publication timestamp a page declares in its metadata (meta tags, JSON-LD), if it
    has a time of day; trafilatura gives the date only."""
    head = html[:100_000]
    candidates = [
        m.group(1)
        for tag in _PUBLISHED_RE.finditer(head)
        if (m := _CONTENT_RE.search(tag.group(0)))
    ]
    candidates += _JSONLD_RE.findall(head)
    for value in candidates:
        if _TIME_RE.match(value.strip()):
            return value.strip()
    return None


def parse_html(
    data: bytes, source: SourceRef, charset: str | None = None, *, fallback: bool = False
) -> Document:
    """Extract an article from an HTML page; raise Reject when nothing article-like is found.

    ``charset`` is what an HTTP header declared; a ``<meta charset>`` in the page is used next.
    ``fallback`` also runs trafilatura's fallback extractors (slower; see the setting
    ``html_fallback``).
    """
    text = decode(data, declared=charset or declared_charset(data))
    return parse_html_text(text, source, fallback=fallback)


def parse_html_text(html: str, source: SourceRef, *, fallback: bool = False) -> Document:
    """Extract an article from decoded HTML."""
    import trafilatura  # heavy import, kept out of module import time
    from lxml.etree import LxmlError

    html = _XML_DECL_RE.sub("", html, count=1)
    if not html.strip():
        raise Reject("whitespace_only", "only whitespace")
    try:
        tree = trafilatura.load_html(html)
        if tree is not None:
            _drop_scripts(tree)
        doc: Any = trafilatura.bare_extraction(
            tree if tree is not None else html,
            url=source.url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            fast=not fallback,
        )
    except (RecursionError, ValueError, LxmlError, MemoryError) as exc:
        raise Reject("html_unparseable", f"{type(exc).__name__}: {str(exc)[:200]}") from None
    if doc is None or not (doc.text or "").strip():
        letters = visible_letters(html)
        if letters >= _UNREACHED_LETTERS:
            raise Reject(
                "html_unparseable",
                f"the page holds {letters:,} letters of text that the parser could not reach "
                "(markup nested too deeply or broken)",
            )
        raise Reject("no_main_text", "the extractor found no article text")
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    published = doc.date or None
    stamp = published_time(html)
    if stamp and (published is None or stamp.startswith(published)):
        published = stamp
    return Document(
        text=doc.text or "",
        source=source,
        title=doc.title or None,
        outlet=doc.sitename or None,
        url=source.url or doc.url or None,
        authors=authors,
        published=published,
        language=None,
    )


@dataclass(frozen=True)
class HtmlReader:
    """Reader for .html/.htm pages."""

    name: str = "html"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml", ".shtml")

    def sniff(self, head: bytes) -> int:
        start = head.lstrip()[:512].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return 90
        if _MARKUP_RE.search(head[:4096]) and not start.startswith(b"<?xml"):
            return 40
        return 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        data = blob.read(settings.max_document_bytes)
        kind: SourceKind = "stdin" if blob.path is None else "file"
        yield RawPage(data, SourceRef(kind=kind, path=blob.name))


READER = HtmlReader()
