"""The REST API: ``create_app(settings)`` returns a FastAPI application over one store.

Nothing happens at import. Routes live in ``routes/``, one module per resource; response
models in ``schemas``; the store is opened once per application and a connection is taken per
request (``deps``). Errors are JSON: ``{"code": ..., "message": ...}``.
"""

from __future__ import annotations

from overhorizon.api.app import create_app

__all__ = ["create_app"]
