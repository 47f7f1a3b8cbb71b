"""JSON Lines: one object per incident with every field of the record and its full trail.

The summary keeps the trail (claims with their speakers and figures, contradictions, casualty
ranges with the claims behind each bound, sources, the links that joined the reports), in the
shape RECORDS.md fixes. Non-ASCII text is written as is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from overhorizon.codec import encode_incident
from overhorizon.export.fields import ExportItem, Written, point
from overhorizon.export.registry import WriterExporter


def record(item: ExportItem) -> dict[str, Any]:
    """The incident as one JSON object: its fields (unusable coordinates as null), the first-level
    area and feature of its place, and its trail under ``summary``."""
    out = encode_incident(item.incident)
    out["lat"], out["lon"] = point(item.incident) or (None, None)
    out["admin1"] = item.admin1
    out["place_feature"] = item.place_feature
    return out


def write_jsonl(items: Iterable[ExportItem], out: TextIO) -> Written:
    """Write ``items`` to ``out``, one JSON object per line."""
    n = missing = 0
    for item in items:
        out.write(json.dumps(record(item), ensure_ascii=False, allow_nan=False))
        out.write("\n")
        n += 1
        missing += point(item.incident) is None
    return Written(n, missing)


EXPORTER = WriterExporter("jsonl", "application/x-ndjson; charset=utf-8", ".jsonl", write_jsonl)
"""The ``jsonl`` format, registered under ``overhorizon.exporters`` (pyproject.toml)."""
