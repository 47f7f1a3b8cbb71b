"""``overhorizon watch``: poll the registered sources, extract and fuse what is new, repeat."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from overhorizon.cli.alerts import render_alerts
from overhorizon.cli.common import ConfigOption, DbOption, console, err_console, fit, settings_from
from overhorizon.cli.progress import progress_bars
from overhorizon.reasons import ConfigError
from overhorizon.settings import parse_duration


def _every_option(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_duration(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def watch_command(
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            help="Time between the starts of two cycles: 90s, 15m, 1h, 1d "
            "(default: the watch_every setting).",
            callback=_every_option,
            show_default=False,
        ),
    ] = None,
    allow_private_addresses: Annotated[
        bool,
        typer.Option(
            "--allow-private-addresses",
            help="Fetch private, loopback and link-local addresses too (sources on your network).",
        ),
    ] = False,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Source registry file (TOML) (default: the sources_file setting).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print each cycle's report as one line of JSON.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no progress (the reports still print).")
    ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Poll every registered source, store the new articles, extract them, fuse incidents and
    raise the alerts the watch rules call for; then wait and do it again, until Ctrl-C.

    Each cycle fetches each source URL (feed, sitemap or page) politely: robots.txt, a pause
    between requests to one host, conditional GETs. Pages already stored are not fetched again.
    Exit status: 0 when every fetch, page and alert delivery went through, 1 when something was
    rejected or a delivery failed (the report says what and why; deliveries are retried next
    cycle), 2 on a usage or configuration error.

    Example: overhorizon watch --once --sources sources.toml --db watch.db
    """
    overrides: dict[str, Any] = {"db": db}
    if sources is not None:
        overrides["sources_file"] = str(sources)
    if allow_private_addresses:
        overrides["allow_private_addresses"] = True
    settings = settings_from(config, **overrides)
    try:
        interval = parse_duration(every or settings.watch_every).total_seconds()
    except ValueError as exc:
        raise ConfigError("bad_setting", f"watch_every: {exc}") from None
    from overhorizon.app import pipeline_loader
    from overhorizon.registry import load_registry
    from overhorizon.store import open_store
    from overhorizon.watch.cycle import run_cycle

    load = pipeline_loader(settings)
    status = 0
    with open_store(
        settings.db, near_duplicate_threshold=settings.near_duplicate_threshold
    ) as store:
        first = True
        while True:
            started = time.monotonic()
            registry = load_registry(store, settings)  # re-read: sources may change meanwhile
            store.checkpoint()
            if not registry:
                raise ConfigError(
                    "bad_setting",
                    "no sources to watch: name a registry with --sources or sources_file, "
                    "or add one with `overhorizon sources add`",
                )
            with progress_bars(err_console(), quiet=quiet) as progress:
                report = run_cycle(
                    store, registry, settings, load=load, always_fuse=first, progress=progress
                )
            first = False
            alerts = report.alerts
            assert alerts is not None  # run_cycle raises alerts unless told not to
            failed = report.poll.totals()["rejected"] or alerts.failed
            status = 1 if failed else 0
            if as_json:
                data = report.to_dict()
                data["alerts"] = {
                    "raised": [asdict(f) for f in alerts.fired],
                    "noted": alerts.noted,
                    "deliveries": [asdict(d) for d in alerts.deliveries],
                }
                typer.echo(json.dumps(data, ensure_ascii=False))
            else:
                render_cycle(report.to_dict(), console())
                render_alerts(alerts, console(), err_console())
            if once:
                break
            try:
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
            except KeyboardInterrupt:
                err_console().print("stopped")
                break
    raise typer.Exit(status)


def render_cycle(report: dict[str, Any], out: Console) -> None:
    """Print one cycle's report: a row per source, the rejections, then the totals."""
    poll = report["poll"]
    t = Table(title=f"Poll (run {poll['run_id']})", title_justify="left")
    for name in ("source", "fetched", "304", "new", "dup", "skipped", "fallback", "rejected"):
        t.add_column(name, justify="left" if name == "source" else "right")
    for s in poll["sources"]:
        t.add_row(
            fit(s["source"], 40),
            str(s["fetched"]),
            str(s["not_modified"]),
            str(s["new_articles"]),
            str(s["duplicates"]),
            str(s["skipped"]),
            str(s["fallbacks"]),
            str(len(s["rejected"])),
        )
    out.print(t)
    problems = [(s["source"], p) for s in poll["sources"] for p in s["rejected"]]
    if problems:
        r = Table(title="Rejected", title_justify="left")
        for name in ("source", "url", "reason", "detail"):
            r.add_column(name)
        for source, p in problems:
            r.add_row(fit(source, 24), fit(p["url"], 60), p["reason"], fit(p["detail"], 80))
        out.print(r)
    totals, ex = poll["totals"], report["extraction"]
    out.print(
        f"{totals['new_articles']} new articles, {totals['not_modified']} not modified, "
        f"{totals['rejected']} rejected; {poll['requests']} requests in {poll['seconds']:.1f} s. "
        f"Extracted {ex['articles']} articles ({ex['events']} events, "
        f"{ex['casualties']} casualty figures); "
        + (f"{report['incidents']} incidents after fusion." if report["fused"] else "no fusion.")
    )
