"""Sources in the store (``overhorizon sources add``).

:func:`add_source` writes one source (a new one, or over the one of that name, case-blind).
The record is :class:`overhorizon.records.Source`; the file, the checks and the merge of file
and store live in :mod:`overhorizon.registry`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from overhorizon.reasons import ConfigError
from overhorizon.records import Source
from overhorizon.store.articles import Store
from overhorizon.store.schema import sources


def add_source(store: Store, source: Source) -> bool:
    """Store ``source``, replacing a stored source of the same name (case-blind); True when it
    was new. Check it first (``overhorizon.registry.source_from``)."""
    conn = store.conn
    now = datetime.now(UTC).isoformat(timespec="seconds")
    old = conn.execute(
        select(sources.c.name, sources.c.created_at).where(
            func.lower(sources.c.name) == source.name.lower()
        )
    ).all()
    if old:
        conn.execute(delete(sources).where(sources.c.name.in_([r.name for r in old])))
    conn.execute(
        sources.insert().values(
            **source.fields(), created_at=old[0].created_at if old else now, updated_at=now
        )
    )
    return not old


def list_sources(store: Store) -> list[Source]:
    """The stored sources, by name (``origin`` is ``store``)."""
    rows = store.conn.execute(select(sources).order_by(func.lower(sources.c.name), sources.c.name))
    return [
        Source(
            name=r.name,
            urls=tuple(r.urls or ()),
            kind=r.kind,
            country=r.country,
            language=r.language,
            owner=r.owner,
            notes=r.notes,
            domains=tuple(r.domains or ()),
            origin="store",
        )
        for r in rows
    ]


def remove_source(store: Store, name: str) -> None:
    """Remove the stored source called ``name`` (case-blind); ConfigError
    (``source_not_found``) when the store has none. A source of the registry file stays until
    it is taken out of the file."""
    gone = store.conn.execute(delete(sources).where(func.lower(sources.c.name) == name.lower()))
    if not gone.rowcount:
        raise ConfigError("source_not_found", f"no source called {name!r} in the store")
