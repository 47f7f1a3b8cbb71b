"""ACLED-style CSV: one row per incident, ACLED's columns first, then UCDP's deaths and ours.

Columns are :data:`COLUMNS`; ``docs/exports.md`` says what each means and which are ACLED's
codes, which UCDP's and which ours. UTF-8, a header row, minimal quoting. A text cell that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading apostrophe: names and reasons come from article text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from overhorizon.export.fields import ExportItem, IncidentFacts, Written, facts
from overhorizon.export.registry import WriterExporter

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "country",
    "iso3",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "where_prec",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "deaths_low",
    "deaths_best",
    "deaths_high",
    "grade",
    "grade_reason",
    "articles",
    "sources_count",
    "contradictions",
)
#: First characters that make a spreadsheet evaluate a cell (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """``value`` as a spreadsheet shows it but never evaluates: a leading apostrophe before a
    formula's first character."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def notes(f: IncidentFacts) -> str:
    """A short sentence in our words: what, where, when, how widely reported, and the grade."""
    what = f.type + (f" ({f.mode})" if f.mode else "")
    where = ", ".join(x for x in (f.place, f.country_name or f.country) if x) or "an unknown place"
    when = f.date_start or "an unknown date"
    if f.date_end and f.date_end != f.date_start:
        when += f" to {f.date_end}"
    reported = f"{f.articles} article{'s' if f.articles != 1 else ''}"
    sources = f"{f.sources} independent source{'s' if f.sources != 1 else ''}"
    grade = f"grade {f.grade}" + (f" ({f.grade_reason})" if f.grade_reason else "")
    return f"{what} in {where}, {when}; reported in {reported} from {sources}; suggested {grade}."


def acled_row(f: IncidentFacts) -> dict[str, Any]:
    """The CSV cells of one incident, by column (None is an empty cell)."""
    return {
        "event_id_cnty": f.id,
        "event_date": f.date_start,
        "year": int(f.date_start[:4]) if f.date_start and f.date_start[:4].isdigit() else None,
        "time_precision": f.time_precision,
        "disorder_type": f.disorder_type,
        "event_type": f.acled_event_type,
        "sub_event_type": f.acled_sub_event_type,
        "actor1": f.perpetrator,
        "inter1": f.inter1,
        "actor2": f.target,
        "inter2": f.inter2,
        "interaction": f.interaction,
        "civilian_targeting": f.civilian_targeting,
        "country": f.country_name,
        "iso3": f.country,
        "admin1": f.admin1,
        "admin2": None,
        "admin3": None,
        "location": f.place,
        "latitude": None if f.lat is None else round(f.lat, 5),
        "longitude": None if f.lon is None else round(f.lon, 5),
        "geo_precision": f.geo_precision,
        "where_prec": f.where_prec,
        "source": "; ".join(f.outlets),
        "source_scale": None,
        "notes": notes(f),
        "fatalities": f.fatalities,
        "deaths_low": f.deaths.low,
        "deaths_best": f.deaths.best,
        "deaths_high": f.deaths.high,
        "grade": f.grade,
        "grade_reason": f.grade_reason,
        "articles": f.articles,
        "sources_count": f.sources,
        "contradictions": f.contradictions,
    }


def write_acled_csv(items: Iterable[ExportItem], out: TextIO) -> Written:
    """Write ``items`` to ``out`` as ACLED-style CSV, one row at a time.

    Open a file for it with ``newline=""`` and UTF-8, as the csv module asks.
    """
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    n = missing = 0
    for item in items:
        f = facts(item)
        cells = acled_row(f)
        writer.writerow(
            [neutralise(v) if isinstance(v, str) else v for v in (cells[c] for c in COLUMNS)]
        )
        n += 1
        missing += not f.has_point
    return Written(n, missing)


EXPORTER = WriterExporter("acled-csv", "text/csv; charset=utf-8", ".csv", write_acled_csv)
"""The ``acled-csv`` format, registered under ``overhorizon.exporters`` (pyproject.toml)."""
