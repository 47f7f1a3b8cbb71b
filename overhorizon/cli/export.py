"""``overhorizon export``: write the stored incidents as ACLED-style CSV, GeoJSON or JSONL."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from overhorizon.cli.common import (
    ConfigOption,
    DbOption,
    err_console,
    iso_date,
    settings_from,
)
from overhorizon.store import open_store


class Grade(StrEnum):
    """The grade suggestions (docs/incidents.md)."""

    confirmed = "confirmed"
    fair = "fair"
    weak = "weak"
    contested = "contested"
    discounted = "discounted"


def _output_path(value: Path | None) -> Path | None:
    if value is not None and not value.absolute().parent.is_dir():
        raise typer.BadParameter(f"the directory of {str(value)!r} does not exist")
    return value


def _export_format(value: str) -> str:
    """The name of a registered exporter (any case); exit 2 listing the formats otherwise."""
    from overhorizon.export import UnknownFormat, get_exporter

    try:
        return get_exporter(value.lower()).name
    except UnknownFormat as exc:
        raise typer.BadParameter(str(exc)) from None


def _plover_type(value: str | None) -> str | None:
    if value is None:
        return None
    from overhorizon.nlp.lexicon import PLOVER_TYPES

    if value.upper() not in PLOVER_TYPES:
        raise typer.BadParameter(f"{value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return value.upper()


def export_command(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Output format: a registered exporter (built in: acled-csv, geojson, jsonl).",
            callback=_export_format,
            show_default=False,
        ),
    ],
    db: DbOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output).",
            dir_okay=False,
            callback=_output_path,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only incidents ending on or after this date (YYYY-MM-DD).", callback=iso_date
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="Only incidents starting on or before this date (YYYY-MM-DD).",
            callback=iso_date,
        ),
    ] = None,
    grade: Annotated[
        Grade | None, typer.Option(help="Only incidents of this grade.", show_default=False)
    ] = None,
    plover_type: Annotated[
        str | None,
        typer.Option("--type", help="Only this PLOVER type, e.g. ASSAULT.", callback=_plover_type),
    ] = None,
    min_articles: Annotated[
        int, typer.Option(min=1, help="Only incidents reported by at least this many articles.")
    ] = 1,
    config: ConfigOption = None,
) -> None:
    """Export the stored incidents, earliest first: ACLED-style CSV (ACLED's columns, UCDP's
    deaths range, our grade), GeoJSON for QGIS (a point per incident), or JSON Lines with
    every claim. Columns and choices: docs/exports.md.

    Example: overhorizon export --format acled-csv --db demo.db -o incidents.csv --since 2021-08-01
    """
    from overhorizon.export import IncidentQuery, export_incidents

    settings = settings_from(config, db=db)
    query = IncidentQuery(
        since=since,
        until=until,
        grade=grade.value if grade else None,
        type=plover_type,
        min_articles=min_articles,
    )
    with open_store(settings.db) as store, _destination(output) as out:
        written = export_incidents(store, fmt, out, query)
    where = str(output) if output is not None else "standard output"
    message = f"{written.incidents} incidents written to {where} ({fmt})"
    if written.without_coordinates:
        message += f"; {written.without_coordinates} have no coordinates"
        if fmt == "geojson":
            message += " (geometry null)"
    err_console().print(message, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _destination(output: Path | None) -> Iterator[TextIO]:
    """UTF-8 text without newline translation, to ``output`` or standard output. A file is
    written beside its final name and moved there only when complete."""
    if output is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # stdout replaced by a text-only stream (a test runner)
            yield sys.stdout
            return
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        stream = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot write {str(output)!r} ({exc.strerror})", param_hint="'--output'"
        ) from None
    try:
        with stream:
            yield stream
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
