"""A poll cycle: fetch every registered URL, read what it lists, fetch and store the new
articles. One bad source never stops the others; every failure is a reason code in the report.

Exactly once: each page is written with its ``fetch_state`` row in one transaction, and a
listing's validators are stored only after all its new entries were handled (and not when
some failed and will be retried, or when more entries than :data:`MAX_NEW_PER_URL` were new),
so a poll killed half-way and run again fetches what is missing and stores nothing twice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from overhorizon.ingest.decoding import binary_kind
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.run import ingest_fetched
from overhorizon.records import Document, RawPage, Rejection, Source, SourceRef
from overhorizon.settings import Settings
from overhorizon.store import Store
from overhorizon.store.fetch_state import (
    FetchState,
    Role,
    get_states,
    record_fetch,
    stored_article_urls,
)
from overhorizon.watch.fetch import Fetcher, FetchResult, Validators
from overhorizon.watch.listing import LISTING_KINDS, Entry, Listing, read_listing

log = logging.getLogger(__name__)

#: New entries of one listing fetched in one poll; the rest wait for the next poll.
MAX_NEW_PER_URL = 100
#: Sitemaps of one sitemap index read in one poll, newest first.
MAX_SITEMAPS = 10
#: Polls in a row an entry's page may fail (for a reason worth retrying) before it is let go.
ENTRY_ATTEMPTS = 3
#: A listing's own text shorter than this is a summary, not an article to fall back on.
FALLBACK_MIN_CHARS = 400

#: Failures that a later poll may not repeat.
RETRYABLE = frozenset(
    {"fetch_timeout", "connection_failed", "dns_failed", "http_error", "robots_disallowed"}
)
#: Reason codes of a fetch that failed (the others reject what was fetched).
FETCH_FAILURES = frozenset(
    {
        "bad_url",
        "private_address",
        "robots_disallowed",
        "dns_failed",
        "connection_failed",
        "fetch_timeout",
        "http_error",
        "too_many_redirects",
        "too_large",
    }
)
_FEED_PATH_HINTS = (".rss", ".xml", ".atom", ".rdf", ".json", ".xml.gz")
_FEED_SEGMENT_RE = re.compile(r"(?:^|/)(?:feeds?|rss|atom|sitemaps?)(?:/|\.|$)")


@dataclass(frozen=True, slots=True)
class Problem:
    """A URL that gave nothing, or less than it should: a reason code and a detail."""

    url: str
    reason: str
    detail: str


@dataclass(slots=True)
class SourceReport:
    """What one poll did for one source. ``fetched``: answers with a body (listings and
    pages); ``not_modified``: 304s; ``new_articles``: articles stored for the first time;
    ``duplicates``: pages fetched whose text was already stored; ``skipped``: listed entries
    not fetched because they were stored or handled before; ``fallbacks``: articles stored
    from a listing's own full text because their page could not be fetched."""

    source: str
    fetched: int = 0
    not_modified: int = 0
    new_articles: int = 0
    duplicates: int = 0
    skipped: int = 0
    fallbacks: int = 0
    rejected: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_COUNTS = ("fetched", "not_modified", "new_articles", "duplicates", "skipped", "fallbacks")


@dataclass(slots=True)
class PollReport:
    """What one poll did: per source, totals, the ingest run it wrote, seconds it took and
    HTTP requests it made (robots.txt included)."""

    sources: list[SourceReport] = field(default_factory=list)
    run_id: int | None = None
    seconds: float = 0.0
    requests: int = 0
    new_article_ids: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        out = {name: sum(getattr(s, name) for s in self.sources) for name in _COUNTS}
        out["rejected"] = sum(len(s.rejected) for s in self.sources)
        out["fetch_failures"] = self.fetch_failures
        return out

    @property
    def fetch_failures(self) -> int:
        return sum(p.reason in FETCH_FAILURES for s in self.sources for p in s.rejected)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "totals": self.totals(),
            "sources": [s.to_dict() for s in self.sources],
        }


def poll(
    store: Store,
    sources: Sequence[Source],
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
) -> PollReport:
    """Poll every URL of every source once; store the new articles (not extracted yet)."""
    started = time.monotonic()
    report = PollReport()
    report.run_id = store.begin_run([f"watch:{s.name}" for s in sources])
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        for source in sources:
            work = _SourcePoll(store, fetcher, settings, source, report.run_id)
            report.sources.append(work.report)
            for url in dict.fromkeys(source.urls):
                try:
                    work.poll_url(url)
                except SQLAlchemyError:
                    raise
                except Exception as exc:  # a parser's surprise on one URL must not end the poll
                    log.debug("polling %s failed", url, exc_info=True)
                    work.report.rejected.append(
                        Problem(url, "reader_error", f"{type(exc).__name__}: {exc}")
                    )
                store.checkpoint()
            report.new_article_ids += work.new_ids
    finally:
        report.requests = fetcher.requests
        if own:
            fetcher.close()
    report.seconds = time.monotonic() - started
    store.finish_run(report.run_id, report.to_dict())
    return report


def _looks_like_feed(url: str) -> bool:
    """Whether a URL's path names a feed or sitemap (so an HTML answer is not the article)."""
    path = urlsplit(url).path.rstrip("/").lower()
    return path.endswith(_FEED_PATH_HINTS) or _FEED_SEGMENT_RE.search(path) is not None


class _SourcePoll:
    """The work of one poll for one source."""

    def __init__(
        self, store: Store, fetcher: Fetcher, settings: Settings, source: Source, run_id: int
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.settings = settings
        self.source = source
        self.run_id = run_id
        self.report = SourceReport(source.name)
        self.new_ids: list[str] = []

    def _record(self, url: str, role: Role, result: FetchResult, **values: Any) -> None:
        if result.failed:
            values.setdefault("reason", result.reason)
            values.setdefault("detail", result.detail)
            values["failed"] = True
        elif result.outcome == "not_modified":
            values.update(not_modified=True)
        v: Validators = result.validators
        values.setdefault("etag", v.etag)
        values.setdefault("last_modified", v.last_modified)
        record_fetch(self.store, url, self.source.name, role, status=result.status, **values)

    def _fail(self, url: str, reason: str, detail: str) -> None:
        self.report.rejected.append(Problem(url, reason, detail))

    # --- a registered URL ------------------------------------------------------------------
    def poll_url(self, url: str) -> None:
        state = get_states(self.store, [url]).get(url)
        result = self._fetch(url, "source", state)
        if result is None:
            return
        try:
            listing = read_listing(
                result.body,
                result.content_type,
                result.final_url,
                self.settings.max_container_bytes,
            )
        except Reject as rej:
            self._fail(url, rej.code, rej.message)
            self._record(
                url,
                "source",
                result,
                reason=rej.code,
                detail=rej.message,
                etag=None,
                last_modified=None,
            )
            return
        if listing.kind == "page":
            was = state.kind if state is not None else None
            if was in LISTING_KINDS or (was is None and _looks_like_feed(url)):
                detail = f"expected {'a ' + was if was else 'a feed'}, got an HTML page"
                self._fail(url, "not_a_feed", detail)
                self._record(
                    url,
                    "source",
                    result,
                    reason="not_a_feed",
                    detail=detail,
                    etag=None,
                    last_modified=None,
                )
                return
            self._page(url, "source", result, None)
            return
        self._listing(url, "source", result, listing)

    def _fetch(self, url: str, role: Role, state: FetchState | None) -> FetchResult | None:
        """Fetch a listing conditionally; None (after recording it) unless it has a body."""
        validators = Validators(state.etag, state.last_modified) if state is not None else None
        limit = self.settings.max_container_bytes
        result = self.fetcher.fetch(url, limit=limit, validators=validators)
        if result.failed:
            self._fail(url, result.reason or "connection_failed", result.detail or "")
            self._record(url, role, result)
            return None
        if result.outcome == "not_modified":
            self.report.not_modified += 1
            self._record(url, role, result)
            return None
        self.report.fetched += 1
        return result

    def _listing(self, url: str, role: Role, result: FetchResult, listing: Listing) -> None:
        if listing.problem is not None:
            self._fail(url, *listing.problem)
        entries = list(listing.entries)
        complete = True
        if listing.kind == "sitemapindex":
            # An index is read whole every poll (no validators kept): its sitemaps change
            # while it may not, and each of them is fetched conditionally.
            for child in listing.sitemaps[:MAX_SITEMAPS]:
                self._sitemap(child)
            complete = False
        else:
            complete = self._entries(url, entries)
        keep = {} if complete else {"etag": None, "last_modified": None}
        reason = listing.problem[0] if listing.problem else None
        detail = listing.problem[1] if listing.problem else None
        self._record(url, role, result, kind=listing.kind, reason=reason, detail=detail, **keep)
        self.store.checkpoint()

    def _sitemap(self, url: str) -> None:
        """Read one sitemap that an index names, and its new entries."""
        state = get_states(self.store, [url]).get(url)
        result = self._fetch(url, "sitemap", state)
        if result is None:
            return
        limit = self.settings.max_container_bytes
        try:
            listing = read_listing(result.body, result.content_type, result.final_url, limit)
        except Reject as rej:
            self._fail(url, rej.code, rej.message)
            self._record(url, "sitemap", result, reason=rej.code, detail=rej.message)
            return
        if listing.kind != "sitemap":
            detail = f"a sitemap index names {listing.kind}, not a sitemap"
            self._fail(url, "not_a_feed", detail)
            self._record(url, "sitemap", result, reason="not_a_feed", detail=detail)
            return
        self._listing(url, "sitemap", result, listing)

    # --- the entries of a listing ----------------------------------------------------------
    def _entries(self, listing_url: str, entries: list[Entry]) -> bool:
        """Fetch and store the new entries; True when none is left for a later poll."""
        by_url = {e.url: e for e in reversed(entries)}  # the first mention wins
        urls = list(dict.fromkeys(e.url for e in entries))
        states = get_states(self.store, urls)
        stored = stored_article_urls(self.store, [u for u in urls if u not in states])
        todo: list[Entry] = []
        for u in urls:
            st = states.get(u)
            if u in stored or (st is not None and not _retry(st)):
                self.report.skipped += 1
            else:
                todo.append(by_url[u])
        complete = len(todo) <= MAX_NEW_PER_URL
        for entry in todo[:MAX_NEW_PER_URL]:
            complete &= self._entry(listing_url, entry)
            self.store.checkpoint()
        return complete

    def _entry(self, listing_url: str, entry: Entry) -> bool:
        """Fetch and store one entry's page; False when it failed and will be retried."""
        result = self.fetcher.fetch(entry.url, limit=self.settings.max_document_bytes)
        if not result.failed:
            self.report.fetched += 1
            self._page(entry.url, "entry", result, entry, listing_url)
            return True
        reason, detail = result.reason or "connection_failed", result.detail or ""
        if len(entry.text) >= FALLBACK_MIN_CHARS:
            doc = Document(
                text=entry.text,
                source=SourceRef(kind="web", path=entry.url, url=entry.url, feed=listing_url),
                title=entry.title,
                url=entry.url,
                authors=entry.authors,
                published=entry.published,
                language=entry.language,
            )
            outcome = ingest_fetched(
                doc, self.store, self.run_id, self.settings, outlet=self.source.name
            )
            if not isinstance(outcome, Rejection):
                self.report.fallbacks += 1
                self._count(outcome.status, outcome.article_id)
                self._record(
                    entry.url,
                    "entry",
                    result,
                    kind="page",
                    article_id=outcome.article_id,
                    detail=f"{detail}; stored the listing's own text",
                )
                return True
        self._fail(entry.url, reason, detail)
        self._record(entry.url, "entry", result, kind="page")
        return reason not in RETRYABLE

    def _page(
        self,
        url: str,
        role: Role,
        result: FetchResult,
        entry: Entry | None,
        listing_url: str | None = None,
    ) -> None:
        """Store a fetched HTML page as an article."""
        what = binary_kind(result.body)
        if what is not None:
            self._fail(url, "binary", what)
            self._record(url, role, result, kind="page", reason="binary", detail=what)
            return
        page = RawPage(
            result.body,
            SourceRef(kind="web", path=url, url=url, feed=listing_url),
            result.charset,
        )
        outcome = ingest_fetched(
            page,
            self.store,
            self.run_id,
            self.settings,
            outlet=self.source.name,
            published=entry.published if entry is not None else None,
        )
        if isinstance(outcome, Rejection):
            self._fail(url, outcome.reason, outcome.message)
            self._record(
                url, role, result, kind="page", reason=outcome.reason, detail=outcome.message
            )
            return
        self._count(outcome.status, outcome.article_id)
        self._record(url, role, result, kind="page", article_id=outcome.article_id)

    def _count(self, status: str, article_id: str) -> None:
        if status == "stored":
            self.report.new_articles += 1
            self.new_ids.append(article_id)
        else:
            self.report.duplicates += 1


def _retry(state: FetchState) -> bool:
    """Whether an entry seen before is fetched again: only after a failure worth retrying,
    and not too many of them."""
    return (
        state.article_id is None
        and 0 < state.failures < ENTRY_ATTEMPTS
        and state.last_reason in RETRYABLE
    )
