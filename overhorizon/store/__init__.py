"""The store: SQLAlchemy schema, Alembic migrations, idempotent writes. SQLite or PostgreSQL."""

from __future__ import annotations

from overhorizon.store.articles import Store
from overhorizon.store.engine import database_url, make_engine, safe_url, upgrade

__all__ = ["Store", "database_url", "open_store", "safe_url", "upgrade"]


def open_store(db: str, *, near_duplicate_threshold: float = 0.7, migrate: bool = True) -> Store:
    """Open the database at ``db`` (a path or URL), applying migrations first unless told not to.

    Raises ConfigError (code ``db_unavailable``) when it cannot be opened.
    """
    engine = make_engine(db)
    if migrate:
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    return Store(engine, near_duplicate_threshold=near_duplicate_threshold)
