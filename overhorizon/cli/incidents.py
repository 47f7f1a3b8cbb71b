"""``overhorizon fuse`` and ``overhorizon incidents``: reports of one happening, fused."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from overhorizon.cli.common import ConfigOption, DbOption, console, fit, settings_from
from overhorizon.store import open_store


def fuse_command(db: DbOption = None, config: ConfigOption = None) -> None:
    """Fuse the stored events into incidents (reports of one happening across articles).

    The result depends only on what is stored and on manual decisions, never on the order
    articles arrived in; each incident keeps the reasons its reports were joined.

    Example: overhorizon fuse --db demo.db
    """
    from overhorizon.store.incidents import fuse_stored

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        reports, written = fuse_stored(store)
    console().print(f"{reports} event reports fused into {written} incidents")


def incidents_command(
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="Only incidents ending on or after this date (YYYY-MM-DD).")
    ] = None,
    min_articles: Annotated[
        int, typer.Option(min=1, help="Only incidents reported by at least this many articles.")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many incidents.")] = 50,
    config: ConfigOption = None,
) -> None:
    """List incidents, earliest first: date, type, place, how many reports and sources, deaths.

    Example: overhorizon incidents --db demo.db --since 2021-08-20
    """
    from overhorizon.store.incidents import list_incidents

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        rows = list_incidents(store, since=since, min_articles=min_articles, limit=limit)
    out = console()
    if as_json:
        for r in rows:
            row = json.dumps(dict(r._mapping), ensure_ascii=False)
            out.print(row, markup=False, highlight=False, soft_wrap=True)
        return
    out.print(f"[bold]{len(rows)} incidents[/bold]")
    head = f"{'date':10} {'type':22} {'place':16} {'articles':>8} {'sources':>7}  killed (low-high)"
    out.print(fit(head, max(40, out.width)), style="bold", markup=False, highlight=False)
    for r in rows:
        label = r.type + ("/" + r.mode if r.mode else "")
        killed = ", ".join(
            f"{g} {b['low']}" + (f"-{b['high']}" if b["high"] != b["low"] else "")
            for g, b in r.summary.get("killed", {}).items()
        )
        line = (
            f"{r.date_start or '?':10} {fit(label, 22):22} {fit(r.place or '?', 16):16} "
            f"{r.articles:>8} {r.sources:>7}  {killed}"
        )
        out.print(fit(line, max(40, out.width)), markup=False, highlight=False)
