"""``overhorizon serve``: the REST API (and, later, the dashboard) over one store."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.reasons import ConfigError


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind: loopback unless api_token is set.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the REST API (OpenAPI at /docs) over the database until Ctrl-C.

    It binds to 127.0.0.1; another address needs the api_token setting, which also allows
    POST /api/articles. Nothing it serves is fetched from another origin.

    Example: overhorizon serve --db demo.db --port 8000
    """
    settings = settings_from(config, db=db)
    if not _loopback(host) and not settings.api_token:
        raise ConfigError("unsafe_bind", f"refusing to serve on {host} without api_token")
    import uvicorn

    from overhorizon.api import create_app

    app = create_app(settings)
    console().print(f"serving {settings.db} at http://{host}:{port}/docs (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
