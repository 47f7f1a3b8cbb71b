"""What a fetched source URL is, and the articles it lists.

RSS and Atom (feedparser, with the feed reader's helpers for dates and authors), JSON Feed,
sitemaps (a sitemap index lists further sitemaps; news sitemaps add titles and dates), or an
HTML page, which is the article itself.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urldefrag, urljoin

from overhorizon.ingest.errors import Reject
from overhorizon.ingest.htmltext import fragment_to_text
from overhorizon.ingest.readers.feeds import _entry_authors, _entry_date
from overhorizon.ingest.readers.html import READER as HTML_READER

ListingKind = Literal["rss", "atom", "jsonfeed", "sitemap", "sitemapindex", "page"]
#: Kinds that list articles: a URL once one of these that answers with HTML is not_a_feed.
LISTING_KINDS = frozenset({"rss", "atom", "jsonfeed", "sitemap", "sitemapindex"})

_FEED_ROOT_RE = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_SITEMAP_RE = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)\b", re.I)
_JSON_TYPES = ("application/json", "application/feed+json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Entry:
    """One article a listing names. ``text`` is the full text the listing itself carries
    (RSS ``content:encoded``, Atom ``content``, JSON Feed ``content_*``), empty when it has
    only a summary or nothing: the page is the article, the text only a fallback."""

    url: str
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    text: str = ""
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a source URL answered. ``entries`` newest first where the listing dates them;
    ``sitemaps`` the sitemaps a sitemap index names; ``problem`` a (reason, detail) when the
    listing is damaged but gave what is in ``entries``."""

    kind: ListingKind
    entries: tuple[Entry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    title: str | None = None
    language: str | None = None
    problem: tuple[str, str] | None = None


def read_listing(body: bytes, content_type: str | None, base_url: str, limit: int) -> Listing:
    """Tell what ``body`` is and read its entries; raise Reject (not_a_feed, malformed_feed,
    too_large) when it is none of the kinds or cannot be read at all."""
    if body[:2] == b"\x1f\x8b":  # a gzipped sitemap (.xml.gz), served as is
        body = _gunzip(body, limit)
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    ctype = (content_type or "").lower()
    if not head:
        raise Reject("not_a_feed", "the answer is empty")
    if HTML_READER.sniff(head) >= 90:
        return Listing("page")
    if head.startswith((b"{", b"[")) or ctype in _JSON_TYPES:
        return _json_feed(body, base_url)
    if _SITEMAP_RE.search(head):
        return _sitemap(body, base_url)
    if _FEED_ROOT_RE.search(head):
        return _feed(body, base_url)
    if HTML_READER.sniff(head) > 0 or ctype in _HTML_TYPES:
        return Listing("page")
    raise Reject("not_a_feed", f"neither a feed, a sitemap nor an HTML page ({ctype or '?'})")


def _gunzip(body: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise Reject("not_a_feed", f"broken gzip ({exc})") from None
    if len(out) > limit:
        raise Reject("too_large", f"more than {limit:,} bytes once decompressed")
    return out


def _absolute(base_url: str, link: Any) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    url = urldefrag(urljoin(base_url, link.strip()))[0]
    return url if url.startswith(("http://", "https://")) else None


def _feed(body: bytes, base_url: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=True)
    version = str(parsed.get("version") or "")
    raw = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version and not raw:
        raise Reject("malformed_feed", f"no entry could be read ({str(problem)[:200]})")
    info = parsed.get("feed") or {}
    language = info.get("language") or None
    entries: list[Entry] = []
    for entry in raw:
        url = _absolute(base_url, entry.get("link"))
        if url is None:
            continue
        full = ""
        for content in entry.get("content") or []:
            value = content.get("value") or ""
            if value.strip():
                full = fragment_to_text(value)
                break
        entries.append(
            Entry(
                url=url,
                title=entry.get("title") or None,
                published=_entry_date(entry),
                authors=_entry_authors(entry),
                text=full,
                language=entry.get("language") or language,
            )
        )
    harmless = type(problem).__name__ in {"CharacterEncodingOverride", "NonXMLContentType"}
    return Listing(
        "atom" if version.startswith("atom") else "rss",
        tuple(entries),
        title=info.get("title") or None,
        language=language,
        problem=None
        if problem is None or harmless
        else ("malformed_feed", f"{str(problem)[:200]}; kept {len(entries)} entries"),
    )


def _json_feed(body: bytes, base_url: str) -> Listing:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Reject("malformed_feed", f"JSON that does not parse ({str(exc)[:200]})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/"):
        raise Reject("not_a_feed", "JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise Reject("malformed_feed", "a JSON Feed without an items list")
    language = data.get("language") if isinstance(data.get("language"), str) else None
    entries: list[Entry] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        url = _absolute(base_url, item.get("url") or item.get("external_url"))
        if url is None:
            continue
        people = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = tuple(
            str(p["name"]).strip()
            for p in people
            if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip()
        )
        html, plain = item.get("content_html"), item.get("content_text")
        text = plain if isinstance(plain, str) and plain.strip() else ""
        if not text and isinstance(html, str) and html.strip():
            text = fragment_to_text(html)
        published = item.get("date_published") or item.get("date_modified")
        entries.append(
            Entry(
                url=url,
                title=item.get("title") if isinstance(item.get("title"), str) else None,
                published=published if isinstance(published, str) else None,
                authors=names,
                text=text,
                language=item.get("language") or language,
            )
        )
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return Listing("jsonfeed", tuple(entries), title=title, language=language)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: Any, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name and (child.text or "").strip():
            return str(child.text).strip()
    return None


def _sitemap(body: bytes, base_url: str) -> Listing:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise Reject("malformed_feed", f"sitemap XML does not parse ({exc})") from None
    if root is None:
        raise Reject("malformed_feed", "sitemap XML does not parse")
    errors = [e for e in parser.error_log if e.level >= 2]
    problem = ("malformed_feed", f"{errors[0].message}; kept what parsed") if errors else None
    dated: list[tuple[str, Any]] = []
    if _local(root.tag) == "sitemapindex":
        for node in root:
            if _local(node.tag) == "sitemap":
                loc = _absolute(base_url, _child_text(node, "loc"))
                if loc:
                    dated.append((_child_text(node, "lastmod") or "", loc))
        dated.sort(key=lambda d: d[0], reverse=True)
        return Listing("sitemapindex", sitemaps=tuple(loc for _, loc in dated), problem=problem)
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = _absolute(base_url, _child_text(node, "loc"))
        if loc is None:
            continue
        title = published = language = None
        for child in node:
            if _local(child.tag) == "news":
                title = _child_text(child, "title")
                published = _child_text(child, "publication_date")
                for pub in child:
                    if _local(pub.tag) == "publication":
                        language = _child_text(pub, "language")
        published = published or _child_text(node, "lastmod")
        dated.append(
            (published or "", Entry(loc, title=title, published=published, language=language))
        )
    dated.sort(key=lambda d: d[0], reverse=True)
    return Listing("sitemap", tuple(e for _, e in dated), problem=problem)
