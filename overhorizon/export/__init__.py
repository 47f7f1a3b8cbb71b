"""Exports of the stored incidents: ACLED-style CSV, GeoJSON, JSON Lines.

Each format is a pure writer in its own module taking typed incidents
(:class:`~overhorizon.export.fields.ExportItem`) and a text stream; :func:`export_incidents`
reads the store (:mod:`overhorizon.export.query`, streamed, for one
:class:`~overhorizon.store.incidents.IncidentQuery`) and hands them to one of them.
``docs/exports.md`` describes the columns and the choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from overhorizon.export.acled_csv import write_acled_csv
from overhorizon.export.fields import ExportItem, Written
from overhorizon.export.geojson import write_geojson
from overhorizon.export.jsonl import write_jsonl
from overhorizon.export.query import export_items
from overhorizon.store import Store
from overhorizon.store.incidents import IncidentQuery

Writer = Callable[[Iterable[ExportItem], TextIO], Written]

#: Format name (as ``--format`` takes it) -> writer.
FORMATS: dict[str, Writer] = {
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "jsonl": write_jsonl,
}

__all__ = [
    "FORMATS",
    "ExportItem",
    "IncidentQuery",
    "Written",
    "export_incidents",
    "export_items",
    "write_acled_csv",
    "write_geojson",
    "write_jsonl",
]


def export_incidents(store: Store, fmt: str, out: TextIO, query: IncidentQuery) -> Written:
    """Write the incidents ``query`` keeps to ``out`` in format ``fmt`` (a key of FORMATS)."""
    return FORMATS[fmt](export_items(store, query), out)
