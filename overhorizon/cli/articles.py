"""``overhorizon articles``: list what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer

from overhorizon.cli.common import ConfigOption, DbOption, console, fit, settings_from
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
    out = console()
    out.print(f"[bold]{len(rows)} articles[/bold]")
    head = f"{'published':10} {'lang':4} {'src':>3} {'near-copy':9} {'outlet':16} title"
    out.print(head, style="bold", highlight=False)
    room = max(20, out.width - len(head) + len("title"))
    for r in rows:
        lang = (r.language or "?") + ("*" if r.non_english else "")
        outlet = fit(r.outlet or "?", 16)
        near = (r.near_duplicate_of or "")[:8]
        line = (
            f"{r.published or '?':10} {lang:4} {r.sources:>3} {near:9} {outlet:16} "
            f"{fit(r.title or '', room)}"
        )
        out.print(line, markup=False, highlight=False)
    out.print(
        "[dim]src: sources with this exact text (wire copies); lang * : not English, "
        "kept and flagged; near-copy of: id prefix of the earliest near-duplicate[/dim]"
    )
