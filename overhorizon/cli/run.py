"""``overhorizon run``: ingest, extract what is not extracted yet, fuse, raise alerts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from overhorizon.cli.alerts import render_alerts
from overhorizon.cli.common import (
    ConfigOption,
    DbOption,
    QuietOption,
    console,
    err_console,
    settings_from,
)
from overhorizon.cli.ingest import own_files, render_report
from overhorizon.cli.progress import progress_bars
from overhorizon.reasons import ConfigError
from overhorizon.store import open_store


def run_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or - for standard input.", show_default=False, metavar="PATH"
        ),
    ],
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Ingest documents, extract actors, events and casualties from every new article, fuse
    all stored events into incidents, and raise the alerts the watch rules call for.

    Re-running skips what is done: articles already stored are not stored again, and articles
    already extracted by this pipeline version are not extracted again. Exit status as for
    `ingest`.

    Example: overhorizon run overhorizon/sample --db demo.db
    """
    import os

    for p in paths:
        if p != "-" and not os.path.lexists(p):
            raise ConfigError("path_not_found", f"input path {p!r} does not exist")
    settings = settings_from(config, db=db)
    from overhorizon.app import run

    with (
        open_store(
            settings.db, near_duplicate_threshold=settings.near_duplicate_threshold
        ) as store,
        progress_bars(err_console(), quiet=quiet) as progress,
    ):
        done = run(
            paths,
            store,
            settings,
            progress=progress,
            stdin=sys.stdin.buffer,
            exclude=own_files(store.database_path(), None),
        )
    report, counts, alerts = done.ingest, done.extraction, done.alerts
    if not quiet:
        render_report(report, console())
        t = Table(title="Extraction", show_header=False, title_justify="left")
        t.add_row("articles extracted now", str(counts.articles))
        t.add_row("actors", str(counts.actors))
        t.add_row("events (positive)", str(counts.events))
        t.add_row("events (negated)", str(counts.negated))
        t.add_row("casualty figures", str(counts.casualties))
        t.add_row("incidents (all events fused)", str(done.saved.incidents))
        console().print(t)
        if alerts.rules:
            render_alerts(alerts, console(), err_console())
    raise typer.Exit(1 if report.rejected else 0)
