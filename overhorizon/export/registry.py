"""Exporters plug in through the ``overhorizon.exporters`` entry-point group, as readers do
through ``overhorizon.readers``; the built-in formats (acled-csv, geojson, jsonl) register there
too (see pyproject.toml), so a third-party package adds a format the same way.

An entry point names an object with the :class:`Exporter` shape: a ``name`` (what ``export
--format`` and ``GET /api/export/{format}`` take), a ``media_type`` and a file ``suffix`` (for the
HTTP response), and ``write(items, out)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Protocol, TextIO

from overhorizon.export.fields import ExportItem, Written

ENTRY_POINT_GROUP = "overhorizon.exporters"

#: A writer: typed incidents (:class:`ExportItem`) to a text stream.
Write = Callable[[Iterable[ExportItem], TextIO], Written]


class Exporter(Protocol):
    """One export format."""

    @property
    def name(self) -> str:
        """The format's name, e.g. ``acled-csv``: lower case, digits and hyphens."""
        ...

    @property
    def media_type(self) -> str:
        """The HTTP ``Content-Type`` of the output, e.g. ``text/csv; charset=utf-8``."""
        ...

    @property
    def suffix(self) -> str:
        """The file name suffix of the output, with its dot, e.g. ``.csv``."""
        ...

    def write(self, items: Iterable[ExportItem], out: TextIO) -> Written:
        """Write ``items`` to ``out``; say how many incidents were written."""
        ...


@dataclass(frozen=True, slots=True)
class WriterExporter:
    """An :class:`Exporter` made of a name, a media type, a suffix and a write function."""

    name: str
    media_type: str
    suffix: str
    writer: Write

    def write(self, items: Iterable[ExportItem], out: TextIO) -> Written:
        """Write ``items`` to ``out`` with the format's writer."""
        return self.writer(items, out)


class UnknownFormat(KeyError):
    """No exporter has this name; ``known`` lists those that do exist."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(name)

    def __str__(self) -> str:
        return f"no export format {self.name!r}; the formats: {', '.join(self.known)}"


@lru_cache(maxsize=1)
def load_exporters() -> Mapping[str, Exporter]:
    """Every exporter registered under the entry-point group, by name, once per process."""
    found: dict[str, Exporter] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        exporter: Exporter = ep.load()
        if exporter.name != ep.name:
            raise RuntimeError(f"entry point {ep.name!r} names an exporter {exporter.name!r}")
        found[exporter.name] = exporter
    if "jsonl" not in found:
        raise RuntimeError(
            "overhorizon's built-in exporters are not registered: install the package "
            "(pip install -e .) so its entry points exist"
        )
    return MappingProxyType(found)


def format_names() -> tuple[str, ...]:
    """The names of the registered formats, sorted."""
    return tuple(load_exporters())


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; :class:`UnknownFormat` listing the formats otherwise."""
    exporters = load_exporters()
    if name not in exporters:
        raise UnknownFormat(name, exporters)
    return exporters[name]
