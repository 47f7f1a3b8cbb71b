"""``overhorizon export`` on the sample corpus: one database, built once, in each format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from overhorizon.export.acled_csv import COLUMNS
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def sample_db(sample_run: Path) -> Path:
    """The sample corpus run once per session (tests/conftest.py); exports only read it."""
    return sample_run


def test_acled_csv_to_stdout(sample_db: Path) -> None:
    res = run_cli("export", "--format", "acled-csv", "--db", str(sample_db))
    assert res.code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout, newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert f"{len(rows)} incidents written to standard output" in res.stderr
    (strike,) = [
        r
        for r in rows
        if r["sub_event_type"] == "Air/drone strike" and r["event_date"] == "2021-08-29"
    ]
    assert (strike["location"], strike["country"], strike["iso3"]) == (
        "Kabul",
        "Afghanistan",
        "AFG",
    )
    assert strike["grade"] == "confirmed"
    assert abs(float(strike["latitude"]) - 34.5) < 0.1
    assert abs(float(strike["longitude"]) - 69.2) < 0.1
    assert int(strike["fatalities"]) >= 10
    assert strike["disorder_type"] == "Political violence"
    assert "Lantern Post (sample)" in strike["source"]
    dates = [r["event_date"] for r in rows if r["event_date"]]
    assert dates == sorted(dates)


def test_geojson_to_a_file(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "incidents.geojson"
    res = run_cli("export", "--format", "geojson", "--db", str(sample_db), "-o", str(out))
    assert res.code == 0, res.stderr
    assert res.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert f"{len(features)} incidents written to {out}" in res.stderr
    strike = next(
        f
        for f in features
        if f["properties"]["mode"] == "drone" and f["properties"]["date_start"] == "2021-08-29"
    )
    lon, lat = strike["geometry"]["coordinates"]
    assert abs(lat - 34.5) < 0.1 and abs(lon - 69.2) < 0.1
    assert strike["properties"]["place"] == "Kabul" and strike["properties"]["fatalities"] >= 10
    for f in features:
        assert f["geometry"] is None or f["geometry"]["type"] == "Point"
    assert list(tmp_path.iterdir()) == [out]  # no partial file left behind


def test_jsonl_with_filters(sample_db: Path) -> None:
    res = run_cli(
        "export",
        "--format",
        "jsonl",
        "--db",
        str(sample_db),
        "--type",
        "assault",
        "--grade",
        "confirmed",
        "--since",
        "2021-08-29",
        "--until",
        "2021-08-29",
    )
    assert res.code == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert lines and all(x["type"] == "ASSAULT" and x["grade"] == "confirmed" for x in lines)
    (strike,) = [x for x in lines if x["mode"] == "drone"]
    assert strike["date_start"] == "2021-08-29" and strike["place"] == "Kabul"
    assert any(c["stance"] == "admits" for c in strike["summary"]["claims"])
    assert strike["summary"]["casualties"]
    bad = run_cli("export", "--format", "jsonl", "--db", str(sample_db), "--since", "29/08/2021")
    assert bad.code == 2 and "--since" in bad.stderr and "Traceback" not in bad.stderr
