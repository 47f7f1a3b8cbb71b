"""The store behind the routes: one engine per application, one connection per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from overhorizon.settings import Settings
from overhorizon.store.articles import Store


class StoreFactory:
    """Opens the database once (creating or migrating its schema) and hands out stores."""

    def __init__(self, settings: Settings) -> None:
        from overhorizon.store.engine import make_engine, upgrade

        self.settings = settings
        self.engine: Engine = make_engine(settings.db)
        upgrade(self.engine)

    def store(self) -> Store:
        return Store(self.engine, near_duplicate_threshold=self.settings.near_duplicate_threshold)

    def close(self) -> None:
        self.engine.dispose()


def get_store(request: Request) -> Iterator[Store]:
    """A store for one request; its connection is committed and returned to the shared pool
    after it (the engine stays open for the next request)."""
    factory: StoreFactory = request.app.state.stores
    store = factory.store()
    try:
        yield store
    finally:
        store.release()


StoreDep = Annotated[Store, Depends(get_store)]
