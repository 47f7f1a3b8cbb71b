"""Reading the stored incidents for an export: filtered, in date order, streamed in batches."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ScalarSelect, and_, select

from overhorizon.store import Store
from overhorizon.store.schema import events, incident_reports, incidents, places


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which incidents to export; every filter is optional.

    ``since``/``until`` are ISO dates (``YYYY-MM-DD``): an incident is kept when it ends on or
    after ``since`` and starts on or before ``until`` (an undated incident fails both).
    ``grade`` is a grade suggestion, ``type`` a PLOVER type, ``min_articles`` the fewest
    articles reporting it.
    """

    since: str | None = None
    until: str | None = None
    grade: str | None = None
    type: str | None = None
    min_articles: int = 1


def _place_column(column: str) -> ScalarSelect[Any]:
    """A column of the place record the incident's place came from (its reports' places with
    the incident's name and point), or NULL."""
    joined = incident_reports.join(
        events,
        and_(
            events.c.article_id == incident_reports.c.article_id,
            events.c.event_id == incident_reports.c.event_id,
        ),
    ).join(
        places,
        and_(places.c.article_id == events.c.article_id, places.c.place_id == events.c.place),
    )
    return (
        select(places.c[column])
        .select_from(joined)
        .where(
            incident_reports.c.incident_id == incidents.c.id,
            incident_reports.c.role == "report",
            places.c.name == incidents.c.place,
            places.c.lat == incidents.c.lat,
            places.c.lon == incidents.c.lon,
            places.c[column].is_not(None),
        )
        .order_by(places.c.precision, places.c.gazetteer_id)
        .limit(1)
        .correlate(incidents)
        .scalar_subquery()
    )


def iter_incidents(
    store: Store, query: ExportFilter, *, batch: int = 1000
) -> Iterator[Mapping[str, Any]]:
    """The incidents ``query`` keeps, earliest first (undated last, then by id), one mapping
    per incident with every column of the ``incidents`` table plus ``admin1`` and
    ``place_feature`` of its place. Rows are fetched ``batch`` at a time, never all at once
    (a server-side cursor on PostgreSQL)."""
    stmt = select(
        incidents,
        _place_column("admin1").label("admin1"),
        _place_column("feature").label("place_feature"),
    ).where(incidents.c.articles >= query.min_articles)
    if query.since:
        stmt = stmt.where(incidents.c.date_end >= query.since)
    if query.until:
        stmt = stmt.where(incidents.c.date_start <= query.until)
    if query.grade:
        stmt = stmt.where(incidents.c.grade == query.grade)
    if query.type:
        stmt = stmt.where(incidents.c.type == query.type)
    stmt = stmt.order_by(
        incidents.c.date_start.is_(None), incidents.c.date_start, incidents.c.id
    ).execution_options(yield_per=batch)
    for row in store.conn.execute(stmt):
        yield cast(Mapping[str, Any], row._mapping)
