"""``overhorizon events``: list stored events with their actors, date and casualties."""

from __future__ import annotations

from typing import Annotated

import typer

from overhorizon.cli.common import ConfigOption, DbOption, console, fit, settings_from
from overhorizon.records import incident_label
from overhorizon.store import open_store


def events_command(
    db: DbOption = None,
    plover_type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER type, e.g. ASSAULT.")
    ] = None,
    negated: Annotated[bool, typer.Option(help="Also list negated events.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many events.")] = 50,
    config: ConfigOption = None,
) -> None:
    """List extracted events, earliest first: type, ACLED type, who did it to whom, deaths.

    Example: overhorizon events --db demo.db --type ASSAULT
    """
    from overhorizon.store.extractions import list_events

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        rows = list_events(store, plover_type=plover_type, negated=negated, limit=limit)
    out = console()
    out.print(f"[bold]{len(rows)} events[/bold]")
    head = (
        f"{'date':10} {'type':22} {'ACLED sub-event':20} {'deaths':>6}  "
        "place (precision) · source → target"
    )
    out.print(head, style="bold", markup=False, highlight=False)
    for r in rows:
        label = incident_label(r.type, r.mode)
        if r.polarity == "negated":
            label = "not " + label
        if r.modality != "asserted":
            label += f" ({r.modality[:4]}.)"
        killed = "" if r.killed is None else str(r.killed)
        who = f"{r.source or '?'} → {r.target or '?'}"
        if r.place:
            who = f"{r.place} ({r.place_precision}) · " + who
        line = (
            f"{r.date_start or '?':10} {fit(label, 22):22} "
            f"{fit(r.acled_sub_event_type or '', 20):20} {killed:>6}  {who}"
        )
        out.print(fit(line, max(40, out.width)), markup=False, highlight=False)
