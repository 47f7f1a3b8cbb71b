"""Idempotent article writes: content-hash keys, one row per source, near-duplicate groups."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from overhorizon.ingest.dedup import similarity
from overhorizon.records import AddOutcome, Article, PreparedArticle, Rejection
from overhorizon.store.schema import (
    article_bands,
    article_sources,
    articles,
    ingest_runs,
    rejections,
)


def _storable(**values: Any) -> dict[str, Any]:
    """Drop NUL characters from text values: PostgreSQL text cannot hold them, and a NUL from an
    input (a JSON escape, a feed's character reference) must not end the run on one store only."""
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in values.items()}


def near_matches_of(joined: str | None) -> list[str]:
    """Split the match list that ``Store._near_duplicate_root`` returns when unsettled."""
    return joined.split(",") if joined else []


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _order_key(published: str | None, published_at: str | None, article_id: str) -> tuple[Any, ...]:
    """Earliest published first; on the same day a known time before a bare date; undated
    last; the id breaks ties, so the input order never matters."""
    return (
        published is None,
        published or "",
        published_at is None,
        published_at or "",
        article_id,
    )


class Store:
    """A database of articles; implements ``records.ArticleSink`` for ingest.

    Writes happen in an open transaction that :meth:`checkpoint` commits; a process killed
    between checkpoints loses only the uncommitted batch, which a re-run stores again.
    """

    def __init__(self, engine: Engine, *, near_duplicate_threshold: float = 0.7) -> None:
        self.engine = engine
        self.threshold = near_duplicate_threshold
        self._conn: Connection | None = None
        # Statements built once: the hot path only binds parameters.
        self._insert_article = self._insert_ignore(articles)
        self._insert_band = self._insert_ignore(article_bands)
        self._insert_source = self._insert_ignore(article_sources).returning(article_sources.c.id)
        self._select_article = select(
            articles.c.published, articles.c.published_at, articles.c.near_duplicate_of
        ).where(articles.c.id == bindparam("id"))
        self._select_candidates = (
            select(article_bands.c.article_id)
            .where(article_bands.c.band_key.in_(bindparam("bands", expanding=True)))
            .distinct()
        )
        self._select_signatures = select(
            articles.c.id,
            articles.c.minhash,
            articles.c.near_duplicate_of,
            articles.c.published,
            articles.c.published_at,
        ).where(articles.c.id.in_(bindparam("ids", expanding=True)))

    # --- transactions ---------------------------------------------------------------------
    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self.engine.connect()
            self._conn.begin()
        return self._conn

    def checkpoint(self) -> None:
        """Commit what was written since the last checkpoint."""
        if self._conn is not None:
            self._conn.commit()

    def close(self) -> None:
        """Commit and release the connection and the engine's pool."""
        self.release()
        self.engine.dispose()

    def release(self) -> None:
        """Commit and give the connection back to the engine's pool, which stays open for
        other stores sharing the engine (one per request in the API)."""
        if self._conn is not None:
            self._conn.commit()
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self._conn is not None:
            self._conn.rollback()
        self.close()

    def _insert_ignore(self, table: Table) -> Insert:
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    # --- runs -----------------------------------------------------------------------------
    def begin_run(self, paths: list[str]) -> int:
        """Record the start of an ingest run and commit it at once."""
        res = self.conn.execute(
            ingest_runs.insert().values(started_at=_now(), status="running", paths=list(paths))
        )
        self.checkpoint()
        key = res.inserted_primary_key
        assert key is not None
        return int(key[0])

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None:
        """Mark a run finished with its report, and commit."""
        self.conn.execute(
            update(ingest_runs)
            .where(ingest_runs.c.id == run_id)
            .values(finished_at=_now(), status="finished", report=report)
        )
        self.checkpoint()

    def near_duplicates_in_run(self, run_id: int) -> int:
        """Count the run's new articles that now point to an earlier near-copy."""
        query = (
            select(func.count())
            .select_from(articles)
            .where(articles.c.first_run_id == run_id, articles.c.near_duplicate_of.is_not(None))
        )
        return int(self.conn.execute(query).scalar_one())

    def reject(self, rejection: Rejection, run_id: int) -> None:
        """Keep a rejection with its run."""
        self.conn.execute(
            rejections.insert().values(
                **_storable(
                    run_id=run_id,
                    source=rejection.source,
                    reason=rejection.reason,
                    message=rejection.message,
                    created_at=_now(),
                )
            )
        )

    # --- articles -------------------------------------------------------------------------
    def add(self, item: PreparedArticle, run_id: int) -> AddOutcome:
        """Store one article exactly once, with a source row per place it was seen."""
        a = item.article
        conn = self.conn
        row = conn.execute(self._select_article, {"id": a.id}).first()
        if row is None:
            near, settled = self._near_duplicate_root(
                a, item.fingerprint.signature, item.fingerprint.bands
            )
            values = self._article_row(item, run_id)
            values["near_duplicate_of"] = near if settled else None
            conn.execute(self._insert_article, values)
            conn.execute(
                self._insert_band,
                [{"band_key": b, "article_id": a.id} for b in item.fingerprint.bands],
            )
            if not settled:
                near = self._relink([a.id, *near_matches_of(near)]).get(a.id)
            self._add_source(item, run_id)
            return AddOutcome("stored", a.id, near)
        if not self._add_source(item, run_id):
            return AddOutcome("unchanged", a.id, row.near_duplicate_of)
        # The same text from another source: keep the earliest-published copy's metadata.
        if _order_key(a.published, a.published_at, "") < _order_key(
            row.published, row.published_at, ""
        ):
            conn.execute(update(articles).where(articles.c.id == a.id).values(**self._metadata(a)))
            self._relink([a.id])
        near = conn.execute(
            select(articles.c.near_duplicate_of).where(articles.c.id == a.id)
        ).scalar_one()
        return AddOutcome("duplicate", a.id, near)

    def _metadata(self, a: Article) -> dict[str, Any]:
        return _storable(
            url=a.url,
            outlet=a.outlet,
            title=a.title,
            authors=list(a.authors),
            published=a.published,
            published_at=a.published_at,
            published_precision=a.published_precision,
            published_text=a.published_text,
        )

    def _article_row(self, item: PreparedArticle, run_id: int) -> dict[str, Any]:
        a = item.article
        return {
            "id": a.id,
            **self._metadata(a),
            "language": a.language,
            "language_confidence": a.language_confidence,
            "non_english": a.non_english,
            "text": a.text,
            "chars": len(a.text),
            "near_duplicate_of": None,
            "minhash": item.fingerprint.signature,
            "first_run_id": run_id,
            "created_at": _now(),
        }

    def _add_source(self, item: PreparedArticle, run_id: int) -> bool:
        """Insert the source row; False when this source of this article is already known."""
        s, a = item.source, item.article
        key = hashlib.sha256(f"{s.locator}\n{a.id}".encode()).hexdigest()
        res = self.conn.execute(
            self._insert_source,
            _storable(
                source_key=key,
                article_id=a.id,
                run_id=run_id,
                kind=s.kind,
                locator=s.locator,
                path=s.path,
                url=s.url or a.url,
                warc_record_id=s.warc_record_id,
                feed=s.feed,
                line=s.line,
                entry=s.entry,
                external_id=item.external_id,
                outlet=a.outlet,
                title=a.title,
                published=a.published,
                published_at=a.published_at,
                authors=list(a.authors),
                created_at=_now(),
            ),
        )
        return res.first() is not None

    def _near_duplicate_root(
        self, a: Article, signature: bytes, bands: Iterable[str]
    ) -> tuple[str | None, bool]:
        """Find the stored near-copies of a new article before it is inserted.

        Returns (root, True) when the answer is settled without touching other rows: no match
        (root None), or matches that all point to one earlier-published root. Otherwise returns
        (matches joined by ",", False) and the caller relinks the groups after inserting.
        """
        conn = self.conn
        cands = conn.execute(self._select_candidates, {"bands": list(bands)}).scalars().all()
        if not cands:
            return None, True
        rows = [
            r
            for r in conn.execute(self._select_signatures, {"ids": list(cands)})
            if similarity(signature, r.minhash) >= self.threshold
        ]
        if not rows:
            return None, True
        roots = {r.near_duplicate_of or r.id for r in rows}
        if len(roots) == 1:
            (root,) = roots
            known: dict[str, Any] = {r.id: r for r in rows}
            if root not in known:
                known[root] = conn.execute(
                    select(articles.c.id, articles.c.published, articles.c.published_at).where(
                        articles.c.id == root
                    )
                ).one()
            r = known[root]
            if _order_key(r.published, r.published_at, r.id) < _order_key(
                a.published, a.published_at, a.id
            ):
                return root, True
        return ",".join(r.id for r in rows), False

    def _relink(self, ids: list[str]) -> dict[str, str | None]:
        """Point every member of the near-duplicate groups of ``ids`` at the group's earliest."""
        conn = self.conn
        rows = conn.execute(
            select(articles.c.id, articles.c.near_duplicate_of).where(articles.c.id.in_(ids))
        ).all()
        roots = {r.near_duplicate_of or r.id for r in rows}
        members = set(ids) | roots
        members |= set(
            conn.execute(
                select(articles.c.id).where(articles.c.near_duplicate_of.in_(list(roots)))
            ).scalars()
        )
        if len(members) < 2:
            return {}
        info = conn.execute(
            select(articles.c.id, articles.c.published, articles.c.published_at).where(
                articles.c.id.in_(list(members))
            )
        ).all()
        canonical = min(info, key=lambda r: _order_key(r.published, r.published_at, r.id)).id
        others = [m for m in members if m != canonical]
        conn.execute(
            update(articles).where(articles.c.id.in_(others)).values(near_duplicate_of=canonical)
        )
        conn.execute(
            update(articles).where(articles.c.id == canonical).values(near_duplicate_of=None)
        )
        return {m: (None if m == canonical else canonical) for m in members}

    def database_path(self) -> Path | None:
        """The SQLite file behind the store, or None for a server database."""
        if self.engine.dialect.name != "sqlite" or not self.engine.url.database:
            return None
        db = self.engine.url.database
        return None if db == ":memory:" else Path(db)

    # --- reading --------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Return row counts of the main tables."""
        out: dict[str, int] = {}
        for table in (articles, article_sources, rejections, ingest_runs):
            out[table.name] = int(
                self.conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
        return out

    def get_article(self, article_id: str) -> Article | None:
        """Return one stored article as a record."""
        r = self.conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return None if r is None else article_of(r)

    def list_articles(self, limit: int = 100) -> list[Any]:
        """Return stored articles, earliest first, with their number of sources."""
        n_sources = (
            select(func.count())
            .where(article_sources.c.article_id == articles.c.id)
            .scalar_subquery()
            .label("sources")
        )
        query = (
            select(
                articles.c.id,
                articles.c.published,
                articles.c.outlet,
                articles.c.title,
                articles.c.language,
                articles.c.non_english,
                articles.c.near_duplicate_of,
                n_sources,
            )
            .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
            .limit(limit)
        )
        return list(self.conn.execute(query).all())


def article_of(r: Any) -> Article:
    """An ``articles`` row as a record."""
    return Article(
        id=r.id,
        text=r.text,
        title=r.title,
        outlet=r.outlet,
        url=r.url,
        authors=list(r.authors or []),
        published=r.published,
        published_at=r.published_at,
        published_precision=r.published_precision,
        published_text=r.published_text,
        language=r.language,
        language_confidence=r.language_confidence,
        non_english=bool(r.non_english),
        near_duplicate_of=r.near_duplicate_of,
    )
