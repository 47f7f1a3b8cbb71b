"""Exports of the stored incidents: ACLED-style CSV, GeoJSON, JSON Lines.

Each format is a pure writer in its own module taking incident rows (mappings with the
``incidents`` table's columns) and a text stream, registered as an exporter under the
``overhorizon.exporters`` entry-point group (:mod:`overhorizon.export.registry`);
:func:`export_incidents` reads the store (:mod:`overhorizon.export.query`, streamed) and hands
the rows to the exporter named.
``docs/exports.md`` describes the columns and the choices.
"""

from __future__ import annotations

from typing import TextIO

from overhorizon.export.acled_csv import write_acled_csv
from overhorizon.export.fields import Written
from overhorizon.export.geojson import write_geojson
from overhorizon.export.jsonl import write_jsonl
from overhorizon.export.query import ExportFilter, iter_incidents
from overhorizon.export.registry import Exporter, UnknownFormat, format_names, get_exporter
from overhorizon.store import Store

__all__ = [
    "ExportFilter",
    "Exporter",
    "UnknownFormat",
    "Written",
    "export_incidents",
    "format_names",
    "get_exporter",
    "iter_incidents",
    "write_acled_csv",
    "write_geojson",
    "write_jsonl",
]


def export_incidents(store: Store, fmt: str, out: TextIO, query: ExportFilter) -> Written:
    """Write the incidents ``query`` keeps to ``out`` in format ``fmt`` (a registered exporter's
    name; :class:`UnknownFormat` otherwise, before anything is read or written)."""
    exporter = get_exporter(fmt)
    return exporter.write(iter_incidents(store, query), out)
