"""Reading incidents for an export from SQLite and PostgreSQL: filters, order, batches."""

from __future__ import annotations

import io
import json
from typing import Any

from overhorizon.export import IncidentQuery, export_incidents, export_items, write_geojson
from overhorizon.store import open_store
from overhorizon.store.schema import incidents


def stored(iid: str, start: str | None, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": iid,
        "type": "ASSAULT",
        "date_start": start,
        "date_end": start,
        "date_precision": "day" if start else None,
        "place": "Kabul",
        "lat": 34.5281,
        "lon": 69.1723,
        "country": "AFG",
        "place_precision": 1,
        "reports": 2,
        "articles": 2,
        "sources": 1,
        "grade": "weak",
        "grade_reason": "one source",
        "contradictions": 0,
        "summary": {"claims": [], "casualties": [], "sources": ["outlet:x"]},
        "updated_at": "2021-10-01T00:00:00+00:00",
    }
    row.update(over)
    return row


def test_filters_order_and_batches(db_url: str) -> None:
    with open_store(db_url) as store:
        store.conn.execute(
            incidents.insert(),
            [
                stored("i-c", "2021-08-29", grade="confirmed"),
                stored("i-a", "2021-08-29"),
                stored("i-u", None),
                stored("i-o", "2021-07-01", type="PROTEST", articles=1),
                stored("i-n", "2021-09-10", lat=None, lon=None),
            ],
        )
        store.checkpoint()
        every = [r.incident.id for r in export_items(store, IncidentQuery(), batch=2)]
        assert every == ["i-o", "i-a", "i-c", "i-n", "i-u"]  # by date, undated last, then id
        assert all(r.admin1 is None for r in export_items(store, IncidentQuery()))
        some = IncidentQuery(since="2021-08-01", until="2021-08-31", type="ASSAULT", min_articles=2)
        assert [r.incident.id for r in export_items(store, some, batch=1)] == ["i-a", "i-c"]
        graded = IncidentQuery(grade="confirmed")
        assert [r.incident.id for r in export_items(store, graded)] == ["i-c"]
        out = io.StringIO()
        written = write_geojson(export_items(store, IncidentQuery(), batch=1), out)
        assert (written.incidents, written.without_coordinates) == (5, 1)
        assert len(json.loads(out.getvalue())["features"]) == 5
        out = io.StringIO()
        assert export_incidents(store, "jsonl", out, graded).incidents == 1
        assert json.loads(out.getvalue())["summary"]["sources"] == ["outlet:x"]
