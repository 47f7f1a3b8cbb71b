"""What every command shares: options, settings loading, the consoles."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from overhorizon.settings import Settings, load_settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="OVERHORIZON_DB",
        help="Database: a file path or a SQLAlchemy URL (default: overhorizon.db).",
        show_default=False,
    ),
]
#: ``--quiet``: no progress bars and no summary tables.
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print no progress and no summary.")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="OVERHORIZON_CONFIG",
        help="Settings file (TOML) (default: ./overhorizon.toml if present).",
        show_default=False,
        dir_okay=False,
    ),
]


def console() -> Console:
    """Console for results (stdout)."""
    return Console(highlight=False, soft_wrap=False)


def err_console() -> Console:
    """Console for progress and messages (stderr)."""
    return Console(stderr=True, highlight=False)


def settings_from(config: Path | None, **overrides: Any) -> Settings:
    """Resolve the settings for a command: defaults, file, environment, then its flags."""
    return load_settings(config, overrides=overrides)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters, marking the cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def iso_date(value: str | None) -> str | None:
    """A typer callback: the option's value when it is an ISO date (YYYY-MM-DD), else a usage
    error (exit 2)."""
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)")
    return value
