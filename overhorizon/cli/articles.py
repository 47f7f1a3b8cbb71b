"""``overhorizon articles``: list what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.store import open_store


def articles_command(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many articles.")] = 100,
    config: ConfigOption = None,
) -> None:
    """List stored articles by publication date, with copies and near-duplicates marked.

    Example: overhorizon articles --db demo.db --limit 20
    """
    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        rows = store.list_articles(limit)
    table = Table(title=f"{len(rows)} articles", title_justify="left")
    for col in ("published", "outlet", "title", "lang", "sources", "near-duplicate of"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r.published or "?",
            r.outlet or "?",
            (r.title or "")[:70],
            (r.language or "?") + (" *" if r.non_english else ""),
            str(r.sources),
            (r.near_duplicate_of or "")[:12],
        )
    console().print(table)
