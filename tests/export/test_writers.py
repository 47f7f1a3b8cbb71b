"""The export writers on hand-built incident rows: columns, codes, sums, escaping, validity."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest

from overhorizon.codec import decode_incident, decode_trail
from overhorizon.export import write_acled_csv, write_geojson, write_jsonl
from overhorizon.export.acled_csv import COLUMNS
from overhorizon.export.fields import ExportItem, deaths, disorder_type, time_precision
from overhorizon.records import Count, Incident, IncidentTrail

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,inter1,actor2,inter2,interaction,civilian_targeting,country,iso3,admin1,admin2,admin3,location,latitude,longitude,"
    "geo_precision,where_prec,source,source_scale,notes,fatalities,deaths_low,deaths_best,"
    "deaths_high,grade,grade_reason,articles,sources_count,contradictions"
)


def claim(outlet: str, perpetrator: str | None = None, **more: Any) -> dict[str, Any]:
    return {
        "id": f"{outlet}/t0",
        "article": outlet,
        "outlet": outlet,
        "published": "2021-08-30",
        "speaker": outlet,
        "stance": "asserts",
        "source": "outlet:" + outlet.lower(),
        "negated": False,
        "perpetrator": perpetrator,
        "figures": [],
        **more,
    }


def killed(group: str, low: int | None, best: int | None, high: int | None) -> Any:
    return {
        "group": group,
        "killed": {"low": low, "best": best, "high": high},
        "low_claims": [],
        "best_claims": [],
        "high_claims": [],
        "best_reason": "the median of the claims",
    }


def incident(**over: Any) -> ExportItem:
    """A typed incident as the export query yields it (built from its JSON)."""
    row: dict[str, Any] = {
        "id": "i-0123456789abcdef",
        "type": "ASSAULT",
        "mode": "drone",
        "acled_event_type": "Explosions/Remote violence",
        "acled_sub_event_type": "Air/drone strike",
        "date_start": "2021-08-29",
        "date_end": "2021-08-29",
        "date_precision": "day",
        "place": "Kabul",
        "lat": 34.528123456,
        "lon": 69.172345678,
        "country": "AFG",
        "place_precision": 1,
        "inter1": 1,
        "inter2": 7,
        "interaction": 17,
        "civilian_targeting": "Civilian targeting",
        "reports": 4,
        "articles": 3,
        "sources": 2,
        "grade": "fair",
        "grade_reason": "2 independent sources",
        "contradictions": 1,
        "admin1": "Kabul",
        "place_feature": "city",
        "summary": {
            "sources": ["outlet:kabul ledger", "outlet:the new york times"],
            "claims": [
                claim("Kabul Ledger", "United States"),
                claim("Kabul Ledger", "Islamic State", negated=True),
                claim("Meridian Courier", "United States"),
                claim("Meridian Courier", "Taliban"),
            ],
            "casualties": [
                killed("civilians", 3, 10, 10),
                killed("military", None, 2, 4),
            ],
            "contradictions": [],
            "links": [],
        },
        "updated_at": "2021-10-01T00:00:00+00:00",
    }
    row.update(over)
    admin1, feature = row.pop("admin1"), row.pop("place_feature")
    if isinstance(row["summary"], str):
        row["summary"] = json.loads(row["summary"])
    return ExportItem(decode_incident(row), admin1, feature)


def csv_rows(rows: list[ExportItem]) -> tuple[str, list[dict[str, str]]]:
    out = io.StringIO(newline="")
    written = write_acled_csv(rows, out)
    text = out.getvalue()
    assert written.incidents == len(rows)
    return text.splitlines()[0], list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_header_and_values() -> None:
    header, (row,) = csv_rows([incident()])
    assert header == HEADER == ",".join(COLUMNS)
    assert row["event_id_cnty"] == "i-0123456789abcdef"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2021-08-29", "2021", "1")
    assert row["disorder_type"] == "Political violence"
    assert (row["event_type"], row["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    # the perpetrator most claims name; a negated claim does not count; no target: empty
    assert (row["actor1"], row["actor2"]) == ("United States", "")
    # ACLED's actor types: state forces (1) on civilians (7)
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "7", "17")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["country"], row["iso3"], row["admin1"]) == ("Afghanistan", "AFG", "Kabul")
    assert (row["admin2"], row["admin3"], row["location"]) == ("", "", "Kabul")
    assert (row["latitude"], row["longitude"]) == ("34.52812", "69.17235")
    assert (row["geo_precision"], row["where_prec"]) == ("1", "1")
    # outlet names as the articles spell them; a relayed outlet as the source key has it
    assert row["source"] == "Kabul Ledger; the new york times"
    assert row["source_scale"] == ""
    assert row["notes"].startswith("ASSAULT (drone) in Kabul, Afghanistan, 2021-08-29")
    assert "2 independent sources" in row["notes"]
    # civilians and soldiers: 10 + 2 (military low missing: its best)
    assert row["fatalities"] == "12"
    assert (row["deaths_low"], row["deaths_best"], row["deaths_high"]) == ("5", "12", "14")
    assert (row["grade"], row["grade_reason"]) == ("fair", "2 independent sources")
    assert (row["articles"], row["sources_count"], row["contradictions"]) == ("3", "2", "1")


def test_csv_neutralises_spreadsheet_formulas() -> None:
    evil = incident(
        place='=HYPERLINK("http://x")',
        grade_reason="@SUM(A1:A9) says so",
        lon=-121.5358,
        summary={
            "sources": ["outlet:+cmd|' /c calc'!a0"],
            "claims": [claim("+cmd|' /c calc'!a0", "-2+3")],
            "casualties": [],
        },
    )
    _, (row,) = csv_rows([evil])
    assert row["location"] == '\'=HYPERLINK("http://x")'
    assert row["grade_reason"] == "'@SUM(A1:A9) says so"
    assert row["source"] == "'+cmd|' /c calc'!a0"
    assert row["actor1"] == "'-2+3"
    assert row["longitude"] == "-121.5358"  # a number, not text: left alone
    assert row["fatalities"] == "0"
    assert all(not v.startswith(("=", "+", "@")) for v in row.values())


def test_csv_without_place_or_date() -> None:
    bare = incident(
        lat=None,
        lon=None,
        place=None,
        country=None,
        place_precision=None,
        admin1=None,
        place_feature=None,
        date_start=None,
        date_end=None,
        date_precision=None,
        acled_event_type=None,
        acled_sub_event_type=None,
        summary=json.dumps({"sources": [], "claims": [], "casualties": []}),
    )
    out = io.StringIO(newline="")
    written = write_acled_csv([bare], out)
    assert (written.incidents, written.without_coordinates) == (1, 1)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    for column in ("event_date", "year", "time_precision", "disorder_type", "latitude"):
        assert row[column] == "", column
    assert (row["geo_precision"], row["where_prec"], row["fatalities"]) == ("", "", "0")
    assert "an unknown place, an unknown date" in row["notes"]


@pytest.mark.parametrize(
    ("precision", "start", "end", "code"),
    [
        ("day", "2021-08-29", "2021-08-29", 1),
        ("week", "2021-08-29", "2021-08-29", 2),
        ("month", "2021-08-01", "2021-08-31", 3),
        ("year", "2021-01-01", "2021-12-31", 3),
        ("range", "2021-08-21", "2021-08-24", 2),
        ("range", "2021-08-21", "2021-08-31", 3),
        ("day", "2021-08-29", "2021-08-30", 2),  # reports give two days: not known to the day
        ("day", "2021-08-29", None, 1),
        (None, None, None, None),
    ],
)
def test_time_precision(precision: str | None, start: str, end: str | None, code: int) -> None:
    assert time_precision(precision, start, end) == code


@pytest.mark.parametrize(
    ("acled", "disorder"),
    [
        ("Battles", "Political violence"),
        ("Explosions/Remote violence", "Political violence"),
        ("Violence against civilians", "Political violence"),
        ("Protests", "Demonstrations"),
        ("Riots", "Demonstrations"),
        ("Strategic developments", "Strategic developments"),
        (None, None),
    ],
)
def test_disorder_type(acled: str | None, disorder: str | None) -> None:
    assert disorder_type(acled) == disorder


def test_deaths_add_the_groups_and_fill_missing_bounds() -> None:
    trail = decode_trail(
        {"casualties": [killed("civilians", None, 10, None), killed("police", 1, None, 3)]}
    )
    d = deaths(trail)
    assert (d.low, d.best, d.high) == (11, 11, 13)
    assert deaths(IncidentTrail()) == Count(0, 0, 0)


def test_geojson_is_a_valid_flat_feature_collection() -> None:
    rows = [
        incident(),
        incident(id="i-2", lat=-33.9, lon=151.2, place="Sydney", country="AUS"),
        incident(id="i-3", lat=None, lon=None, place=None),
    ]
    out = io.StringIO()
    written = write_geojson(rows, out)
    assert (written.incidents, written.without_coordinates) == (3, 1)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection" and "crs" not in data
    first, second, third = data["features"]
    for f in data["features"]:
        assert f["type"] == "Feature"
        assert set(f) == {"type", "geometry", "properties"}
        assert all(not isinstance(v, dict | list) for v in f["properties"].values())
        assert set(f["properties"]) == set(first["properties"])
    assert first["geometry"] == {"type": "Point", "coordinates": [69.17235, 34.52812]}
    assert second["geometry"]["coordinates"] == [151.2, -33.9]  # [lon, lat]
    assert third["geometry"] is None  # kept, not drawn
    p = first["properties"]
    assert (p["id"], p["date_start"], p["type"], p["mode"]) == (
        "i-0123456789abcdef",
        "2021-08-29",
        "ASSAULT",
        "drone",
    )
    assert (p["place"], p["country"], p["precision"], p["grade"]) == ("Kabul", "AFG", 1, "fair")
    assert (p["fatalities"], p["deaths_low"], p["deaths_best"], p["deaths_high"]) == (12, 5, 12, 14)
    assert (p["articles"], p["sources"]) == (3, 2)
    assert p["acled_sub_event_type"] == "Air/drone strike"


def test_geojson_empty_and_streamed() -> None:
    assert json.loads(_geojson([])) == {"type": "FeatureCollection", "features": []}
    out = io.StringIO()

    def rows() -> Iterator[ExportItem]:
        yield incident(id="i-1")
        assert '"i-1"' in out.getvalue()  # written before the next row is read
        yield incident(id="i-2")

    write_geojson(rows(), out)
    assert [f["properties"]["id"] for f in json.loads(out.getvalue())["features"]] == [
        "i-1",
        "i-2",
    ]


def _geojson(rows: list[ExportItem]) -> str:
    out = io.StringIO()
    write_geojson(rows, out)
    return out.getvalue()


def test_jsonl_keeps_every_field_and_the_summary() -> None:
    rows = [incident(place="Mazār-e Sharīf"), incident(id="i-2", summary=json.dumps({}))]
    out = io.StringIO()
    written = write_jsonl(rows, out)
    assert written.incidents == 2
    text = out.getvalue()
    assert "Mazār-e Sharīf" in text  # UTF-8, not \\u escapes
    first, second = (json.loads(line) for line in text.splitlines())
    assert set(first) == {f.name for f in fields(Incident)} | {"admin1", "place_feature"}
    assert first["summary"]["claims"][0]["perpetrator"] == "United States"
    assert first["summary"]["casualties"][1]["killed"] == {"low": None, "best": 2, "high": 4}
    assert (first["admin1"], first["place_feature"]) == ("Kabul", "city")
    assert second["summary"]["claims"] == [] and second["place"] == "Kabul"
