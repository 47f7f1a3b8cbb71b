"""JSON Lines: one object per incident with every stored column and the full summary.

The summary keeps the trail (claims with their speakers and figures, contradictions, casualty
ranges with the claims behind each bound, sources, the links that joined the reports), in the
shape RECORDS.md fixes. Non-ASCII text is written as is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from overhorizon.export.fields import Written, point, summary_of
from overhorizon.export.registry import WriterExporter


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """The incident as one JSON object: its columns, with ``summary`` decoded (and unusable
    coordinates as null)."""
    out = dict(row)
    out["summary"] = summary_of(row)
    if "lat" in out or "lon" in out:
        out["lat"], out["lon"] = point(row) or (None, None)
    return out


def write_jsonl(rows: Iterable[Mapping[str, Any]], out: TextIO) -> Written:
    """Write ``rows`` (incident mappings) to ``out``, one JSON object per line."""
    n = missing = 0
    for row in rows:
        out.write(json.dumps(record(row), ensure_ascii=False, allow_nan=False))
        out.write("\n")
        n += 1
        missing += point(row) is None
    return Written(n, missing)


EXPORTER = WriterExporter("jsonl", "application/x-ndjson; charset=utf-8", ".jsonl", write_jsonl)
"""The ``jsonl`` format, registered under ``overhorizon.exporters`` (pyproject.toml)."""
