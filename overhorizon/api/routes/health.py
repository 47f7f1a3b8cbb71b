"""``GET /api/health``: the service is up and its database answers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select

from overhorizon import __version__
from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import Health
from overhorizon.store.schema import articles, incidents

router = APIRouter(tags=["health"])


@router.get("/health", operation_id="health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Whether the database answers, with its article and incident counts."""
    conn = store.conn
    n_articles = conn.execute(select(func.count()).select_from(articles)).scalar() or 0
    n_incidents = conn.execute(select(func.count()).select_from(incidents)).scalar() or 0
    return Health(status="ok", version=__version__, articles=n_articles, incidents=n_incidents)
