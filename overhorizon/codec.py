"""The one JSON codec of the records: an article's extraction and an incident's trail.

The store keeps an extraction as the JSON of RECORDS.md (without the article, which has its own
row) and an incident's source trail as the JSON of :class:`~overhorizon.records.IncidentTrail`
(the ``summary`` column). Every reader gets typed records from here, never the JSON itself:
:func:`decode_records` and :func:`decode_trail` validate what they read (a value of the wrong
type is a :class:`CodecError`, not a record that lies), :func:`encode_records` and
:func:`encode_trail` write plain JSON data. Field names are the records' own, so the JSON is
the records' contract.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from overhorizon.records import Article, Extraction, Incident, IncidentTrail

T = TypeVar("T")


class CodecError(ValueError):
    """Stored JSON that does not decode into the record it should be."""


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def encode(record: Any) -> Any:
    """Any record (a dataclass of :mod:`overhorizon.records`) as JSON-ready data."""
    return _adapter(type(record)).dump_python(record, mode="json")


def decode(kind: type[T], data: Any) -> T:
    """``data`` (JSON-ready, as :func:`encode` wrote it) as a record of ``kind``."""
    try:
        value: T = _adapter(kind).validate_python(data)
    except ValidationError as exc:
        raise CodecError(f"not a {kind.__name__}: {exc.errors()[0]['msg']}") from None
    return value


def encode_records(ex: Extraction) -> dict[str, Any]:
    """An extraction's records as the store keeps them: RECORDS.md without the article."""
    data: dict[str, Any] = encode(ex)
    data.pop("article", None)
    return data


def decode_records(data: Any, article: Article) -> Extraction:
    """The extraction of ``article`` from its stored records."""
    if not isinstance(data, dict):
        raise CodecError("not an extraction: stored records are not an object")
    return decode(Extraction, {**data, "article": encode(article)})


def encode_trail(trail: IncidentTrail) -> dict[str, Any]:
    """An incident's trail as the store keeps it (the ``summary`` column)."""
    data: dict[str, Any] = encode(trail)
    if not data.get("independence"):  # only there when the registry joined sources
        data.pop("independence", None)
    return data


def decode_trail(data: Any) -> IncidentTrail:
    """An incident's trail from its stored ``summary`` (JSON text or decoded)."""
    if isinstance(data, str | bytes):
        import json

        data = json.loads(data)
    return decode(IncidentTrail, data or {})


def encode_incident(incident: Incident) -> dict[str, Any]:
    """An incident as JSON-ready data: its fields, and its trail under ``summary`` (null when
    not loaded)."""
    data: dict[str, Any] = encode(replace(incident, summary=None))
    data["summary"] = encode_trail(incident.summary) if incident.summary is not None else None
    return data


def decode_incident(data: Any) -> Incident:
    """An incident from :func:`encode_incident`'s data."""
    return decode(Incident, data)
