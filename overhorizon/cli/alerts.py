"""``overhorizon alerts [raise]``: the alerts rules raised, and one alert cycle by hand."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from overhorizon.cli.common import ConfigOption, DbOption, console, err_console, fit, settings_from
from overhorizon.store import open_store

if TYPE_CHECKING:
    from overhorizon.watch.alerts import AlertRun

alerts_app = typer.Typer(no_args_is_help=False)  # help: the callback's docstring


@alerts_app.callback(invoke_without_command=True)
def alerts_command(
    ctx: typer.Context,
    rule: Annotated[str | None, typer.Option(help="Only the alerts of this rule.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only alerts raised at or after this UTC date or time.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many alerts.")] = 50,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """List the alerts watch rules raised, latest first, with each channel's delivery state;
    `alerts raise` runs one alert cycle.

    Example: overhorizon alerts --rule kabul-deaths --since 2026-11-01 --db demo.db
    """
    if ctx.invoked_subcommand is not None:
        return
    from overhorizon.store.alerts import list_alerts

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        total, rows = list_alerts(store, rule=rule, since=since, limit=limit)
    out = console()
    for r in rows:
        if as_json:
            out.print(
                json.dumps(dict(r._mapping), ensure_ascii=False), markup=False, soft_wrap=True
            )
            continue
        line = (
            f"{r.id:>5} {r.created_at} {fit(r.rule, 20):20} {r.kind:7} {r.incident_id} "
            f"webhook:{r.webhook} email:{r.email}  {r.title}"
        )
        out.print(fit(line, max(60, out.width)), markup=False, highlight=False)
        if r.last_error:
            out.print(f"      delivery_failed: {r.last_error}", markup=False, highlight=False)
    if not as_json:
        out.print(f"{len(rows)} of {total} alerts", markup=False)


@alerts_app.command("raise")
def raise_command(db: DbOption = None, config: ConfigOption = None) -> None:
    """Raise the alerts due (each rule against each incident, once per state) and deliver
    every alert still pending or failed; exit 1 when a delivery failed.

    Example: overhorizon alerts raise --db demo.db
    """
    from overhorizon.watch.alerts import run_alerts

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        run = run_alerts(store, settings)
    render_alerts(run, console(), err_console())
    if run.failed:
        raise typer.Exit(1)


def render_alerts(run: AlertRun, out: Console, err: Console) -> None:
    """Print the alerts a run raised, one line each, the totals, then failed deliveries."""
    for f in run.fired:
        out.print(
            f"{f.kind:7} {f.rule}: {f.incident_id} {f.title} ({'; '.join(f.reasons)})",
            markup=False,
            highlight=False,
        )
    sent = sum(1 for d in run.deliveries if d.ok)
    out.print(
        f"{run.rules} rules, {run.incidents} incidents: {len(run.fired)} alerts raised, "
        f"{run.noted} noted without alert; {sent} sent, {len(run.failed)} failed",
        markup=False,
    )
    for d in run.failed:
        err.print(
            f"{d.code}: alert {d.alert_id} ({d.rule}) {d.channel}: {d.detail}",
            markup=False,
            highlight=False,
        )
