"""GeoJSON (RFC 7946): a FeatureCollection with one Point feature per incident, streamed.

Made to open in QGIS as it is: WGS84 longitude/latitude (no ``crs`` member), coordinates
rounded to 5 decimals (about a metre), flat scalar properties only (QGIS shows nested objects
poorly). An incident without coordinates is kept with ``"geometry": null`` (valid GeoJSON:
QGIS lists it in the attribute table without drawing it), so every export has the same
incidents. The collection is written feature by feature: memory does not grow with the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from overhorizon.export.fields import ExportItem, IncidentFacts, Written, facts
from overhorizon.export.registry import WriterExporter

#: Decimal places kept in coordinates: 1e-5 degrees is about 1.1 m at the equator.
DECIMALS = 5


def properties(f: IncidentFacts) -> dict[str, str | int | float | None]:
    """The feature's properties: scalars only, the same keys for every incident."""
    return {
        "id": f.id,
        "date_start": f.date_start,
        "date_end": f.date_end,
        "date_precision": f.date_precision,
        "time_precision": f.time_precision,
        "type": f.type,
        "mode": f.mode,
        "acled_event_type": f.acled_event_type,
        "acled_sub_event_type": f.acled_sub_event_type,
        "disorder_type": f.disorder_type,
        "place": f.place,
        "admin1": f.admin1,
        "country": f.country,
        "country_name": f.country_name,
        "precision": f.place_precision,
        "geo_precision": f.geo_precision,
        "where_prec": f.where_prec,
        "actor1": f.perpetrator,
        "actor2": f.target,
        "fatalities": f.fatalities,
        "deaths_low": f.deaths.low,
        "deaths_best": f.deaths.best,
        "deaths_high": f.deaths.high,
        "grade": f.grade,
        "grade_reason": f.grade_reason,
        "reports": f.reports,
        "articles": f.articles,
        "sources": f.sources,
        "outlets": "; ".join(f.outlets),
        "contradictions": f.contradictions,
    }


def feature(f: IncidentFacts) -> dict[str, Any]:
    """One incident as a GeoJSON Feature: a Point at [longitude, latitude], or no geometry."""
    geometry = None
    if f.lat is not None and f.lon is not None:
        geometry = {
            "type": "Point",
            "coordinates": [round(f.lon, DECIMALS), round(f.lat, DECIMALS)],
        }
    return {"type": "Feature", "geometry": geometry, "properties": properties(f)}


def write_geojson(items: Iterable[ExportItem], out: TextIO) -> Written:
    """Write ``items`` to ``out`` as one GeoJSON FeatureCollection, a
    feature per line."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = missing = 0
    for item in items:
        f = facts(item)
        out.write(",\n" if n else "\n")
        out.write(json.dumps(feature(f), ensure_ascii=False, allow_nan=False))
        n += 1
        missing += not f.has_point
    out.write("\n]}\n")
    return Written(n, missing)


EXPORTER = WriterExporter("geojson", "application/geo+json", ".geojson", write_geojson)
"""The ``geojson`` format, registered under ``overhorizon.exporters`` (pyproject.toml)."""
