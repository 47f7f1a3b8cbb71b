"""``GET /api/places``: the places the articles name, one per gazetteer entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import PlaceItem
from overhorizon.store.schema import places

router = APIRouter(tags=["places"])


@router.get("/places", operation_id="listPlaces", response_model=list[PlaceItem])
def list_places(
    store: StoreDep,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-3.")] = None,
    feature: Annotated[str | None, Query(description="city, admin1, country, region...")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[PlaceItem]:
    """Places by gazetteer id with coordinates and how many articles name them."""
    articles_n = func.count(func.distinct(places.c.article_id)).label("articles")
    query = select(
        places.c.gazetteer_id,
        func.min(places.c.name).label("name"),
        func.min(places.c.lat).label("lat"),
        func.min(places.c.lon).label("lon"),
        func.min(places.c.country).label("country"),
        func.min(places.c.feature).label("feature"),
        articles_n,
    ).group_by(places.c.gazetteer_id)
    if country:
        query = query.where(places.c.country == country.upper())
    if feature:
        query = query.where(places.c.feature == feature)
    query = query.order_by(articles_n.desc(), places.c.gazetteer_id).limit(limit)
    return [PlaceItem(**dict(r._mapping)) for r in store.conn.execute(query)]
