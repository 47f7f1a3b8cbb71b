"""The REST API over a real SQLite file holding the sample corpus, run through the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from overhorizon.api import create_app
from overhorizon.settings import load_settings
from tests.conftest import copy_database, run_cli

SAMPLE = Path(__file__).resolve().parents[2] / "overhorizon" / "sample"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The sample corpus through the real CLI into a SQLite file (a copy of the session's run,
    tests/conftest.py), and into PostgreSQL."""
    root = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        db = str(copy_database(request.getfixturevalue("sample_run"), root / "s.db"))
    else:
        db = request.getfixturevalue("pg_server").create_database()
        res = run_cli("run", str(SAMPLE), "--db", db, "-q", cwd=root)
        assert res.code in (0, 1), res.stderr  # 1: sample/bad/ is rejected on purpose
    settings = load_settings(env={}, cwd=root, overrides={"db": db})
    with TestClient(create_app(settings)) as c:
        yield c


def strike(client: TestClient) -> dict[str, Any]:
    page = client.get("/api/incidents", params={"type": "ASSAULT", "grade": "confirmed"}).json()
    (found,) = [i for i in page["items"] if i["mode"] == "drone" and i["place"] == "Kabul"]
    return found


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["articles"] == 63 and body["incidents"] > 100
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_incident_filters_sort_and_pages(client: TestClient) -> None:
    found = strike(client)
    assert found["date_start"] == "2021-08-29" and found["articles"] >= 5
    kabul = client.get("/api/incidents", params={"bbox": "68.9,34.3,69.4,34.8"}).json()
    assert found["id"] in {i["id"] for i in kabul["items"]}
    assert all(68.9 <= i["lon"] <= 69.4 and 34.3 <= i["lat"] <= 34.8 for i in kabul["items"])
    late = client.get("/api/incidents", params={"since": "2021-09-20", "limit": 1000}).json()
    assert all(i["date_end"] >= "2021-09-20" for i in late["items"])
    text = client.get("/api/incidents", params={"q": "lantern post", "limit": 1000}).json()
    assert found["id"] in {i["id"] for i in text["items"]}
    top = client.get("/api/incidents", params={"sort": "-articles", "limit": 3}).json()
    counts = [i["articles"] for i in top["items"]]
    assert counts == sorted(counts, reverse=True)
    first = client.get("/api/incidents", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/incidents", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] > 4
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_incident_trail(client: TestClient) -> None:
    found = strike(client)
    r = client.get(f"/api/incidents/{found['id']}")
    assert r.status_code == 200
    body = r.json()
    published = [c["published"] for c in body["claims"]]
    assert published == sorted(published)
    assert any(c["stance"] == "admits" and c["sentence"] for c in body["claims"])
    assert "admission" in {x["kind"] for x in body["contradiction_list"]}
    assert body["grade"] == "confirmed" and body["links"]
    civilians = next(c for c in body["casualties"] if c["group"] == "civilians")
    assert civilians["killed"]["best"] == 10


def test_errors_are_json_with_a_code(client: TestClient) -> None:
    missing = client.get("/api/incidents/i-0000000000000000")
    assert missing.status_code == 404 and missing.json()["code"] == "incident_not_found"
    bad = client.get("/api/incidents", params={"sort": "sideways"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_request"
    box = client.get("/api/incidents", params={"bbox": "1,2,3"})
    assert box.status_code == 422 and "bbox" in box.json()["message"]
    limit = client.get("/api/incidents", params={"limit": 0})
    assert limit.status_code == 422 and limit.json()["code"] == "bad_request"
    assert client.get("/api/nothing-here").json()["code"] == "not_found"


def test_articles_and_their_evidence(client: TestClient) -> None:
    page = client.get("/api/articles", params={"q": "tragic"}).json()
    (art,) = page["items"]
    detail = client.get(f"/api/articles/{art['id']}").json()
    text = detail["text"]
    assert detail["highlights"]
    for h in detail["highlights"]:
        assert 0 <= h["start"] < h["end"] <= len(text)
    assert any(
        h["kind"] == "event" and h["label"].startswith("ASSAULT") for h in detail["highlights"]
    )
    assert client.get("/api/articles/nope").json()["code"] == "article_not_found"


def test_events(client: TestClient) -> None:
    rows = client.get("/api/events", params={"type": "ASSAULT", "limit": 500}).json()
    assert rows and all(r["type"] == "ASSAULT" and r["polarity"] == "positive" for r in rows)


def test_openapi_has_stable_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "health",
        "listIncidents",
        "getIncident",
        "listEvents",
        "listArticles",
        "getArticle",
    } <= ids
    assert client.get("/docs").status_code == 200


def test_exports_stream_each_format(client: TestClient) -> None:
    import csv
    import io
    import json

    r = client.get("/api/export/acled-csv", params={"grade": "confirmed"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(row["grade"] == "confirmed" for row in rows)
    kabul = [
        row for row in rows if row["location"] == "Kabul" and row["event_date"] == "2021-08-29"
    ]
    assert kabul and int(kabul[0]["fatalities"]) >= 10
    geo = client.get("/api/export/geojson").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) > 100
    lines = client.get("/api/export/jsonl", params={"since": "2021-09-01"}).text.splitlines()
    assert lines and all(json.loads(line)["date_end"] >= "2021-09-01" for line in lines)
    unknown = client.get("/api/export/xls")
    assert unknown.status_code == 422 and unknown.json()["code"] == "bad_request"
    assert unknown.json()["formats"] == ["acled-csv", "geojson", "jsonl"]


def test_actors_and_places(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"q": "taliban"}).json()
    assert actors and all("taliban" in a["name"].lower() for a in actors)
    counts = [a["articles"] for a in actors]
    assert counts == sorted(counts, reverse=True)
    places = client.get("/api/places", params={"country": "AFG"}).json()
    kabul = next(p for p in places if p["name"] == "Kabul")
    assert kabul["articles"] > 10 and abs(kabul["lat"] - 34.5) < 0.2


def test_dates_must_be_iso(client: TestClient) -> None:
    bad = client.get("/api/incidents", params={"since": "last tuesday"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_request"
    assert client.get("/api/export/jsonl", params={"until": "2021/08/30"}).status_code == 422


@pytest.mark.parametrize("sort", ["date", "-date", "-articles", "-sources", "-deaths"])
def test_cursor_pages_walk_the_same_order_as_offsets(client: TestClient, sort: str) -> None:
    whole = client.get("/api/incidents", params={"sort": sort, "limit": 1000}).json()
    assert whole["next"] is None and len(whole["items"]) == whole["total"]
    walked: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"sort": sort, "limit": 7}
        if after:
            params["after"] = after
        page = client.get("/api/incidents", params=params).json()
        walked += page["items"]
        after = page["next"]
        if after is None:
            break
    assert [i["id"] for i in walked] == [i["id"] for i in whole["items"]]
    by_offset = client.get("/api/incidents", params={"sort": sort, "limit": 7, "offset": 14})
    assert [i["id"] for i in by_offset.json()["items"]] == [i["id"] for i in walked[14:21]]
    column = {"date": "date_start", "-date": "date_start"}.get(sort, sort.lstrip("-"))
    values = [i[column] for i in walked]
    valued = [v for v in values if v is not None]
    assert values == valued + [None] * (len(values) - len(valued))  # no value: last
    assert valued == sorted(valued, reverse=sort.startswith("-"))


def test_cursor_of_another_order_is_refused(client: TestClient) -> None:
    page = client.get("/api/incidents", params={"sort": "-deaths", "limit": 2}).json()
    wrong = client.get("/api/incidents", params={"sort": "date", "after": page["next"]})
    assert wrong.status_code == 422 and wrong.json()["code"] == "bad_request"
    junk = client.get("/api/incidents", params={"after": "not-a-cursor"})
    assert junk.status_code == 422


def test_text_search_words_prefixes_and_hostile_queries(client: TestClient) -> None:
    found = strike(client)

    def ids(q: str) -> set[str]:
        r = client.get("/api/incidents", params={"q": q, "limit": 1000})
        assert r.status_code == 200, r.text
        return {i["id"] for i in r.json()["items"]}

    assert found["id"] in ids("drone kabul")
    assert found["id"] in ids("DRONE Kab")  # case-blind, a word's start
    assert found["id"] not in ids("drone zzzunheardof")  # every word must occur
    every = client.get("/api/incidents", params={"limit": 1}).json()["total"]
    assert len(ids("kabul")) < every
    for hostile in ['"', "OR *", "NEAR(a b)", "'; DROP TABLE incidents; --", "a:*&!|"]:
        ids(hostile)
    assert client.get("/api/health").json()["incidents"] == every
