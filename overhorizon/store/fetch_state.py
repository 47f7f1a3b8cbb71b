"""What watch fetched: validators for conditional GETs, failures in a row, the article a page
gave. One row per URL, written in the same transaction as the article it led to, so that a
poll killed half-way and run again fetches and stores each page once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from overhorizon.store.articles import Store
from overhorizon.store.schema import articles, fetch_state

Role = Literal["source", "sitemap", "entry"]

# IN lists are cut to this many values: well below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class FetchState:
    """The stored state of one URL. ``failures`` counts failed fetches in a row (0 after a
    success); ``last_reason`` is the reason code of the last failure or rejection."""

    url: str
    source: str
    role: Role
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_fetched_at: str | None = None
    failures: int = 0
    last_reason: str | None = None
    last_detail: str | None = None
    article_id: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def get_states(store: Store, urls: Iterable[str]) -> dict[str, FetchState]:
    """The stored state of each of ``urls`` that has one, by URL."""
    out: dict[str, FetchState] = {}
    for part in _chunks(sorted(set(urls))):
        for r in store.conn.execute(select(fetch_state).where(fetch_state.c.url.in_(part))):
            out[r.url] = FetchState(**r._mapping)
    return out


def stored_article_urls(store: Store, urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` that an article in the store already has as its URL."""
    found: set[str] = set()
    for part in _chunks(sorted(set(urls))):
        query = select(articles.c.url).where(articles.c.url.in_(part))
        found.update(u for u in store.conn.execute(query).scalars() if u is not None)
    return found


def record_fetch(
    store: Store,
    url: str,
    source: str,
    role: Role,
    *,
    status: int | None,
    kind: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    reason: str | None = None,
    detail: str | None = None,
    failed: bool = False,
    article_id: str | None = None,
    not_modified: bool = False,
) -> None:
    """Write what one fetch of ``url`` gave, keeping what it did not change.

    ``failed`` (the fetch itself failed) adds one to the failures in a row; a fetch that got
    an answer resets them. ``not_modified`` (a 304) keeps the stored validators and kind. A
    rejection of the content (no main text, not a feed) is a ``reason`` without ``failed``.
    Not committed here: the caller commits with the article the fetch gave.
    """
    previous = get_states(store, [url]).get(url)
    keep = previous or FetchState(url=url, source=source, role=role)
    values: dict[str, Any] = {
        "url": url,
        "source": source,
        "role": keep.role if previous else role,
        "kind": kind if kind is not None else keep.kind,
        "etag": keep.etag if (failed or not_modified) else etag,
        "last_modified": keep.last_modified if (failed or not_modified) else last_modified,
        "last_status": status,
        "last_fetched_at": _now(),
        "failures": keep.failures + 1 if failed else 0,
        "last_reason": reason,
        "last_detail": detail,
        "article_id": article_id if article_id is not None else keep.article_id,
    }
    if not_modified and etag:
        values["etag"] = etag
    if not_modified and last_modified:
        values["last_modified"] = last_modified
    values = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in values.items()}
    dialect = postgresql if store.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(fetch_state).values(**values)
    changes = {k: v for k, v in values.items() if k != "url"}
    store.conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=changes))


def states_of_source(store: Store, source: str) -> list[FetchState]:
    """Every stored state of one source, URL order."""
    rows = store.conn.execute(
        select(fetch_state).where(fetch_state.c.source == source).order_by(fetch_state.c.url)
    )
    return [FetchState(**r._mapping) for r in rows]
