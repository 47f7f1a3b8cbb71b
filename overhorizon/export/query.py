"""Reading the stored incidents for an export: filtered, in date order, streamed in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ScalarSelect, and_, select

from overhorizon.export.fields import ExportItem
from overhorizon.store import Store
from overhorizon.store.incidents import IncidentQuery, iter_incidents
from overhorizon.store.schema import events, incident_reports, incidents, places


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


def export_items(store: Store, query: IncidentQuery, *, batch: int = 1000) -> Iterator[ExportItem]:
    """The incidents ``query`` keeps (:func:`overhorizon.store.incidents.iter_incidents`: in its
    order, streamed ``batch`` at a time), each with the first-level area and feature of its
    place."""
    columns = [
        _place_column("admin1").label("admin1"),
        _place_column("feature").label("place_feature"),
    ]
    for incident, extra in iter_incidents(store, query, columns=columns, batch=batch):
        yield ExportItem(incident, extra["admin1"], extra["place_feature"])
