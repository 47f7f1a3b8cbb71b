"""Exports of the stored incidents: ACLED-style CSV, GeoJSON, JSON Lines.

Each format is a pure writer in its own module taking typed incidents
(:class:`~overhorizon.export.fields.ExportItem`) and a text stream, registered as an exporter
under the ``overhorizon.exporters`` entry-point group (:mod:`overhorizon.export.registry`);
:func:`export_incidents` reads the store (:mod:`overhorizon.export.query`, streamed, for one
:class:`~overhorizon.store.incidents.IncidentQuery`) and hands them to the exporter named.
``docs/exports.md`` describes the columns and the choices.
"""

from __future__ import annotations

from typing import TextIO

from overhorizon.export.acled_csv import write_acled_csv
from overhorizon.export.fields import ExportItem, Written
from overhorizon.export.geojson import write_geojson
from overhorizon.export.jsonl import write_jsonl
from overhorizon.export.query import export_items
from overhorizon.export.registry import Exporter, UnknownFormat, format_names, get_exporter
from overhorizon.store import Store
from overhorizon.store.incidents import IncidentQuery

__all__ = [
    "ExportItem",
    "Exporter",
    "IncidentQuery",
    "UnknownFormat",
    "Written",
    "export_incidents",
    "export_items",
    "format_names",
    "get_exporter",
    "write_acled_csv",
    "write_geojson",
    "write_jsonl",
]


def export_incidents(store: Store, fmt: str, out: TextIO, query: IncidentQuery) -> Written:
    """Write the incidents ``query`` keeps to ``out`` in format ``fmt`` (a registered exporter's
    name; :class:`UnknownFormat` otherwise, before anything is read or written)."""
    exporter = get_exporter(fmt)
    return exporter.write(export_items(store, query), out)
