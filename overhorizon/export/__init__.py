"""Exports of the stored incidents: ACLED-style CSV, GeoJSON, JSON Lines.

Each format is a pure writer in its own module taking incident rows (mappings with the
``incidents`` table's columns) and a text stream; :func:`export_incidents` reads the store
(:mod:`overhorizon.export.query`, streamed) and hands the rows to one of them.
``docs/exports.md`` describes the columns and the choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

from overhorizon.export.acled_csv import write_acled_csv
from overhorizon.export.fields import Written
from overhorizon.export.geojson import write_geojson
from overhorizon.export.jsonl import write_jsonl
from overhorizon.export.query import ExportFilter, iter_incidents
from overhorizon.store import Store

Writer = Callable[[Iterable[Mapping[str, Any]], TextIO], Written]

#: Format name (as ``--format`` takes it) -> writer.
FORMATS: dict[str, Writer] = {
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "jsonl": write_jsonl,
}

__all__ = [
    "FORMATS",
    "ExportFilter",
    "Written",
    "export_incidents",
    "iter_incidents",
    "write_acled_csv",
    "write_geojson",
    "write_jsonl",
]


def export_incidents(store: Store, fmt: str, out: TextIO, query: ExportFilter) -> Written:
    """Write the incidents ``query`` keeps to ``out`` in format ``fmt`` (a key of FORMATS)."""
    return FORMATS[fmt](iter_incidents(store, query), out)
