"""Building the application: routes, error handlers, security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from overhorizon import __version__
from overhorizon.api.deps import StoreFactory
from overhorizon.settings import Settings
from overhorizon.web import BASEMAP_FILE, STATIC_DIR, dashboard_page, docs_page

#: Content-Security-Policy of every response: nothing is loaded from another origin, and no
#: inline script or style runs (``/docs`` is Swagger UI from ``/static``, started by a file).
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings) -> FastAPI:
    """A fresh application serving the store of ``settings.db``."""
    from overhorizon.api.routes import (
        actors,
        alerts,
        articles,
        events,
        exports,
        health,
        incidents,
        places,
    )

    factory = StoreFactory(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        factory.close()

    app = FastAPI(
        title="overhorizon",
        version=__version__,
        description="Sourced records of a conflict region, from the news: incidents with "
        "their claims, sources and contradictions; events; articles.",
        lifespan=lifespan,
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN and start them with inline
        # scripts: /docs is served below from our static files instead, and ReDoc not at all.
        docs_url=None,
        redoc_url=None,
    )
    app.state.stores = factory
    app.state.settings = settings
    for module in (health, incidents, events, articles, actors, places, exports, alerts):
        app.include_router(module.router, prefix="/api")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def dashboard() -> HTMLResponse:
        """The dashboard: map, timeline and source trails, drawn from the JSON API."""
        return HTMLResponse(dashboard_page(app.title))

    @app.get("/basemap/countries-50m.json", include_in_schema=False)
    async def basemap() -> FileResponse:
        """The dashboard's offline basemap: world-atlas country outlines (TopoJSON)."""
        return FileResponse(
            BASEMAP_FILE,
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """The API reference (Swagger UI), served from our own files."""
        return HTMLResponse(docs_page(f"{app.title} {app.version} API", app.openapi_url or ""))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail: Any = exc.detail
        if isinstance(detail, dict) and "code" in detail:
            return JSONResponse(detail, status_code=exc.status_code)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse({"code": code, "message": str(detail)}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}"
        return JSONResponse({"code": "bad_request", "message": message}, status_code=422)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return app
