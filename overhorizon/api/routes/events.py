"""``GET /api/events``: extracted events, earliest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import Event
from overhorizon.store.extractions import list_events

router = APIRouter(tags=["events"])


@router.get("/events", operation_id="listEvents", response_model=list[Event])
def events(
    store: StoreDep,
    type: Annotated[str | None, Query(description="PLOVER type, e.g. ASSAULT.")] = None,
    negated: Annotated[bool, Query(description="Also negated events.")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Event]:
    """Events of every article, with actor names, place, deaths and outlet."""
    rows = list_events(store, plover_type=type, negated=negated, limit=limit)
    return [Event(**dict(r._mapping)) for r in rows]
