"""``GET /api/actors``: who the articles name, grouped by name, with how often."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import ActorItem
from overhorizon.store.schema import actors

router = APIRouter(tags=["actors"])


@router.get("/actors", operation_id="listActors", response_model=list[ActorItem])
def list_actors(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Text in the name.")] = None,
    kind: Annotated[str | None, Query(description="person, organisation, country...")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-3.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ActorItem]:
    """Actors by name, kind, country and sector, most often named first."""
    articles_n = func.count(func.distinct(actors.c.article_id)).label("articles")
    query = select(actors.c.name, actors.c.kind, actors.c.country, actors.c.sector, articles_n)
    if q:
        query = query.where(actors.c.name.ilike("%" + q.replace("%", "") + "%"))
    if kind:
        query = query.where(actors.c.kind == kind)
    if country:
        query = query.where(actors.c.country == country.upper())
    query = (
        query.group_by(actors.c.name, actors.c.kind, actors.c.country, actors.c.sector)
        .order_by(articles_n.desc(), actors.c.name)
        .limit(limit)
    )
    return [ActorItem(**dict(r._mapping)) for r in store.conn.execute(query)]
