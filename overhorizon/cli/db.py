"""``overhorizon db``: migrations and a look at what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.store import open_store
from overhorizon.store.engine import database_url, make_engine, safe_url, upgrade

db_app = typer.Typer(
    help="Database migrations and status.", no_args_is_help=True, rich_markup_mode="markdown"
)


@db_app.command("upgrade")
def upgrade_command(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target Alembic revision.")] = "head",
    config: ConfigOption = None,
) -> None:
    """Apply the schema migrations (also done automatically on first use).

    Example: overhorizon db upgrade --db postgresql://overhorizon@127.0.0.1/overhorizon
    """
    settings = settings_from(config, db=db)
    engine = make_engine(settings.db)
    try:
        before, after = upgrade(engine, revision)
    finally:
        engine.dispose()
    where = safe_url(database_url(settings.db))
    if before == after:
        console().print(f"{where}: already at revision {after}")
    else:
        console().print(f"{where}: upgraded from {before or 'empty'} to {after}")


@db_app.command("stats")
def stats_command(db: DbOption = None, config: ConfigOption = None) -> None:
    """Count what the store holds: articles, sources, rejections, runs.

    Example: overhorizon db stats --db demo.db
    """
    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        counts = store.counts()
    table = Table(show_header=False)
    for name, n in counts.items():
        table.add_row(name, str(n))
    console().print(table)
