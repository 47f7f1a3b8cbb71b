"""``overhorizon ingest``: read news files into the store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from overhorizon.app import ingest_paths
from overhorizon.cli.common import (
    ConfigOption,
    DbOption,
    QuietOption,
    console,
    err_console,
    settings_from,
)
from overhorizon.cli.progress import progress_bars
from overhorizon.reasons import CATALOGUE, ConfigError
from overhorizon.records import IngestReport
from overhorizon.store import open_store


def ingest_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories (read recursively) or - for standard input.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    db: DbOption = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the ingest report as JSON to this file.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read news into the database: text, HTML, RSS/Atom, WARC, JSONL or JSON, gzipped or not.

    Each article is stored once (keyed by the sha256 of its text); near-duplicates point to
    their earliest-published copy. Every input that cannot be read is listed with a reason
    code. Exit status: 0 all accepted, 1 something rejected (the rest stored), 2 usage or
    configuration error.

    Example: overhorizon ingest overhorizon/sample --db demo.db --report report.json
    """
    settings = settings_from(config, db=db)
    for p in paths:
        if p != "-" and not os.path.lexists(p):
            raise ConfigError("path_not_found", f"input path {p!r} does not exist")
    if report is not None and not report.absolute().parent.is_dir():
        raise ConfigError(
            "path_not_found", f"the directory of --report {str(report)!r} does not exist"
        )
    out, err = console(), err_console()
    with (
        open_store(
            settings.db, near_duplicate_threshold=settings.near_duplicate_threshold
        ) as store,
        progress_bars(err, quiet=quiet) as progress,
    ):
        result = ingest_paths(
            paths,
            store,
            settings,
            stdin=sys.stdin.buffer,
            progress=progress,
            exclude=own_files(store.database_path(), report),
        )
    if report is not None:
        report.write_text(
            json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if not quiet:
        render_report(result, out)
    raise typer.Exit(1 if result.rejected else 0)


def own_files(db: Path | None, report: Path | None) -> frozenset[Path]:
    """The database's own files and the report, which ingest must not read as news."""
    out: set[Path] = set()
    if db is not None:
        out |= {Path(str(db) + suffix).absolute() for suffix in ("", "-wal", "-shm", "-journal")}
    if report is not None:
        out.add(report.absolute())
    return frozenset(out)


def render_report(rep: IngestReport, out: Console) -> None:
    """Print the summary and the rejections as Rich tables."""
    summary = Table(title=f"Ingest run {rep.run_id}", show_header=False, title_justify="left")
    summary.add_column("what")
    summary.add_column("count", justify="right")
    summary.add_row("accepted", str(rep.accepted))
    summary.add_row("  stored (new articles)", str(rep.stored))
    summary.add_row("  duplicates (same text, another source)", str(rep.duplicates))
    summary.add_row("  unchanged (already ingested)", str(rep.unchanged))
    summary.add_row("near-duplicates among the new", str(rep.near_duplicates))
    summary.add_row("non-English among the new (kept, flagged)", str(rep.non_english))
    summary.add_row("rejected", str(len(rep.rejected)))
    for what, n in sorted(rep.skipped.items()):
        summary.add_row(f"skipped: {what}", str(n))
    out.print(summary)
    if rep.rejected:
        table = Table(title="Rejected", title_justify="left")
        table.add_column("source", overflow="fold")
        table.add_column("reason")
        table.add_column("message", overflow="fold")
        for r in rep.rejected:  # names and messages come from the input: never markup
            table.add_row(escape(r.source), r.reason, escape(r.message))
        out.print(table)
        hints = sorted({r.reason for r in rep.rejected})
        for code in hints:
            out.print(f"[dim]{code}: {CATALOGUE[code].hint}[/dim]")
