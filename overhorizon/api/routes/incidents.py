"""``GET /api/incidents`` (filtered, sorted, paged) and ``GET /api/incidents/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import ISO_DATE, Claim, Error, Incident, IncidentDetail, IncidentPage
from overhorizon.codec import encode
from overhorizon.records import IncidentTrail
from overhorizon.store.incidents import SORTS, IncidentQuery, get_incident, query_incidents

router = APIRouter(tags=["incidents"])
_FIELDS = tuple(Incident.model_fields)  # the record's fields, less its trail


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(
            422, {"code": "bad_request", "message": "bbox: four numbers west,south,east,north"}
        ) from None
    return west, south, east, north


@router.get(
    "/incidents",
    operation_id="listIncidents",
    response_model=IncidentPage,
    responses={422: {"model": Error}},
)
def list_incidents(
    store: StoreDep,
    since: Annotated[
        str | None, Query(description="Ending on or after (YYYY-MM-DD).", pattern=ISO_DATE)
    ] = None,
    until: Annotated[
        str | None, Query(description="Starting on or before (YYYY-MM-DD).", pattern=ISO_DATE)
    ] = None,
    bbox: Annotated[
        str | None, Query(description="west,south,east,north in WGS84 degrees.")
    ] = None,
    type: Annotated[str | None, Query(description="PLOVER type, e.g. ASSAULT.")] = None,
    acled_event_type: Annotated[str | None, Query(description="ACLED event type.")] = None,
    grade: Annotated[str | None, Query(description="confirmed|fair|weak|contested|...")] = None,
    actor: Annotated[str | None, Query(description="A name in its claims.")] = None,
    q: Annotated[
        str | None,
        Query(
            description="Words in its place, titles, sentences or names (or words they start).",
            max_length=500,
        ),
    ] = None,
    min_articles: Annotated[int, Query(ge=1)] = 1,
    sort: Annotated[str, Query(description="date, -date, -articles, -sources, -deaths")] = "date",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    after: Annotated[
        str | None,
        Query(
            description="The `next` cursor of the previous page; replaces offset.", max_length=400
        ),
    ] = None,
) -> IncidentPage:
    """Incidents matching every filter given, one page at a time."""
    if sort not in SORTS:
        raise HTTPException(
            422, {"code": "bad_request", "message": f"sort: one of {', '.join(SORTS)}"}
        )
    try:
        query = IncidentQuery(
            since=since,
            until=until,
            bbox=_bbox(bbox),
            type=type,
            acled_event_type=acled_event_type,
            grade=grade,
            actor=actor,
            text=q,
            min_articles=min_articles,
            sort=sort,
            after=after,
        )
        page = query_incidents(store, query, offset=offset, limit=limit)
    except ValueError as exc:
        raise HTTPException(422, {"code": "bad_request", "message": str(exc)}) from None
    return IncidentPage(
        total=page.total,
        offset=0 if after else offset,
        limit=limit,
        items=[Incident.model_validate(r, from_attributes=True) for r in page.items],
        next=page.next,
    )


@router.get(
    "/incidents/{incident_id}",
    operation_id="getIncident",
    response_model=IncidentDetail,
    responses={404: {"model": Error}},
)
def get_one(incident_id: str, store: StoreDep) -> BaseModel:
    """One incident with its source trail and the sentence behind each claim."""
    found = get_incident(store, incident_id)
    if found is None:
        raise HTTPException(
            404, {"code": "incident_not_found", "message": f"no incident {incident_id}"}
        )
    incident, sentences = found
    trail = incident.summary or IncidentTrail()
    claims = [
        Claim.model_validate({**encode(c), "sentence": sentences.get(c.id)}) for c in trail.claims
    ]
    return IncidentDetail(
        **{k: getattr(incident, k) for k in _FIELDS},
        claims=claims,
        source_names=trail.source_names,
        contradiction_list=trail.contradictions,
        casualties=trail.casualties,
        casualty_rule=trail.casualty_rule,
        independence=trail.independence,
        links=trail.links,
    )
