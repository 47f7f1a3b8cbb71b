"""Watch rules: rules.toml (the shipped example and its errors), the store, matching."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from overhorizon.reasons import ConfigError
from overhorizon.records import GRADES, CasualtyRange, Count, IncidentTrail
from overhorizon.settings import Settings
from overhorizon.store import Store, open_store
from overhorizon.store.alerts import WatchedIncident
from overhorizon.watch.rules import (
    all_rules,
    gazetteer_locate,
    load_rules_file,
    matches,
    rule_from_mapping,
)
from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "rules.toml"


def incident(**changes: object) -> WatchedIncident:
    base: dict[str, object] = {
        "id": "i-0000000000000001",
        "title": "Drone strike kills 10 in Kabul",
        "type": "ASSAULT",
        "mode": "drone",
        "acled_event_type": "Explosions/Remote violence",
        "acled_sub_event_type": "Air/drone strike",
        "date_start": "2021-08-29",
        "date_end": "2021-08-29",
        "date_precision": "day",
        "place": "Kabul",
        "lat": 34.5253,
        "lon": 69.1783,
        "country": "AFG",
        "admin1": "Kābul",
        "deaths": 10,
        "grade": "confirmed",
        "grade_reason": "the Pentagon admits it",
        "articles": 5,
        "sources": 2,
        "summary": IncidentTrail(
            sources=["outlet:kabul ledger", "outlet:meridian courier"],
            casualties=[CasualtyRange("civilians", Count(10, 10, 10), [], [], [], "one claim")],
        ),
        "actors": ("United States Armed Forces", "the Taliban"),
        "texts": ("A US drone strike killed ten members of one family.",),
        "updated_at": "2026-11-25T10:00:00+00:00",
        "first_seen": "2026-11-25T10:00:00+00:00",
    }
    base.update(changes)
    return WatchedIncident(**base)  # type: ignore[arg-type]


def test_the_shipped_example_loads() -> None:
    locate = gazetteer_locate(os.environ["OVERHORIZON_GAZETTEER"])
    rules = {r.name: r for r in load_rules_file(EXAMPLE, locate=locate)}
    assert set(rules) == {"kabul-deaths", "afghanistan-drone-strikes", "isis-k"}
    kabul = rules["kabul-deaths"]
    assert kabul.point is not None and abs(kabul.point[0] - 34.53) < 0.1 and kabul.km == 30
    assert rules["afghanistan-drone-strikes"].backfill
    assert rules["isis-k"].bbox == (60.5, 29.3, 75.0, 38.5)
    assert matches(kabul, incident()) == ["1 km from Kabul", "10 killed >= 5"]
    assert matches(rules["afghanistan-drone-strikes"], incident()) == [
        "in AFG",
        "type ASSAULT",
        "ACLED Air/drone strike",
        "grade confirmed >= fair",
    ]
    assert matches(rules["isis-k"], incident()) is None  # no Islamic State in this one


@pytest.mark.parametrize(
    ("entry", "field", "problem"),
    [
        ({"country": "Afghanistan"}, "country", "ISO 3166-1 alpha-3"),
        ({"types": ["BOMBING"]}, "types", "not a PLOVER type"),
        ({"grade": "great"}, "grade", "not a grade"),
        ({"bbox": [1, 2, 3]}, "bbox", "four numbers"),
        ({"near": "Kabul"}, "km", "needs both km and a centre"),
        ({"min_killed": -1}, "min_killed", "0 or more"),
        ({"country": "AFG", "emails": ["nobody"]}, "emails", "not an e-mail address"),
        ({"country": "AFG", "colour": "red"}, "colour", "unknown field"),
        ({"webhook": "ftp://x"}, "webhook", "not an http or https URL"),
        ({"emails": ["a@example.org"]}, "name", "at least one condition"),
    ],
)
def test_bad_rules_name_file_entry_and_field(
    tmp_path: Path, entry: dict[str, object], field: str, problem: str
) -> None:
    path = tmp_path / "rules.toml"
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in entry.items())
    path.write_text(f'[[rule]]\nname = "ok"\ncountry = "AFG"\n\n[[rule]]\nname = "x"\n{body}')
    with pytest.raises(ConfigError) as caught:
        load_rules_file(path, locate=lambda name: None)
    assert caught.value.reason.code == "bad_rule"
    assert caught.value.detail.startswith(f'rules.toml: rule 2 ("x"): {field}: ')
    assert problem in caught.value.detail


def test_matching_reasons_and_misses() -> None:
    def rule(**fields: object) -> object:
        return rule_from_mapping({"name": "r", **fields}, "rule")

    assert matches(rule(admin1="kabul"), incident()) == ["in Kābul"]  # no case, no accents
    assert matches(rule(actors=["Taliban"]), incident()) == ["actor Taliban"]
    assert matches(rule(actors=["Tali"]), incident()) is None  # whole words only
    assert matches(rule(keywords=["DRONE STRIKE"]), incident()) == ['keyword "DRONE STRIKE"']
    assert matches(rule(min_killed=11), incident()) is None
    assert matches(rule(min_killed=11), incident(deaths=None)) is None
    assert matches(rule(bbox=[170, -10, -170, 10]), incident(lat=0.0, lon=179.0)) == [
        "inside 170,-10,-170,10"
    ]  # across the antimeridian
    assert matches(rule(lat=34.0, lon=69.0, km=10), incident()) is None
    for weaker in GRADES[1:]:
        assert matches(rule(grade="confirmed"), incident(grade=weaker)) is None
    assert matches(rule(grade="weak"), incident(grade="fair")) == ["grade fair >= weak"]
    assert matches(rule(country="AFG", types=["PROTEST"]), incident()) is None


def test_rules_from_the_cli_and_the_file_merge_by_name(tmp_path: Path, settings: Settings) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "rules.toml").write_text('[[rule]]\nname = "from-file"\ncountry = "AFG"\n')
    res = run_cli(
        "rules", "add", "kabul", "--near", "Kabul", "--km", "25", "--type", "ASSAULT",
        "--keyword", "drone", "--keyword", "airstrike", "--grade", "fair",
        "--webhook", "https://example.org/hook", "--email", "a@example.org", "--db", db,
        cwd=tmp_path,
    )  # fmt: skip
    assert res.code == 0, res.stderr
    listed = run_cli("rules", "list", "--json", "--db", db, cwd=tmp_path)
    rows = {r["name"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["from-file"]["origin"] == "file" and rows["kabul"]["origin"] == "store"
    assert rows["kabul"]["keywords"] == ["drone", "airstrike"] and rows["kabul"]["km"] == 25
    assert abs(rows["kabul"]["lat"] - 34.53) < 0.1  # resolved once, when added
    taken = run_cli("rules", "add", "from-file", "--country", "IRQ", "--db", db, cwd=tmp_path)
    assert taken.code == 2 and "taken by rules.toml" in taken.stderr
    bad = run_cli("rules", "add", "y", "--country", "Iraq", "--db", db, cwd=tmp_path)
    assert bad.code == 2 and 'rule "y": country:' in bad.stderr
    assert run_cli("rules", "remove", "kabul", "--db", db, cwd=tmp_path).code == 0
    gone = run_cli("rules", "remove", "kabul", "--db", db, cwd=tmp_path)
    assert gone.code == 2 and "no rule 'kabul'" in gone.stderr
    with open_store(db) as store:
        names = [r.name for r in all_rules(store, settings.replace(rules_file=""))]
    assert names == []


def test_a_rules_incident_query_keeps_the_incidents_it_can_match(store: Store) -> None:
    from overhorizon.store.incidents import written_since
    from overhorizon.store.schema import incidents

    def row(iid: str, lat: float, lon: float, grade: str, deaths: int | None) -> dict[str, object]:
        return {
            "id": iid, "type": "ASSAULT", "date_start": "2021-08-29", "date_end": "2021-08-29",
            "place": "x", "lat": lat, "lon": lon, "country": "AFG", "reports": 1, "articles": 1,
            "sources": 1, "grade": grade, "grade_reason": "", "contradictions": 0,
            "deaths": deaths, "summary": {}, "updated_at": "2021-09-01T00:00:00+00:00",
        }  # fmt: skip

    store.conn.execute(
        incidents.insert(),
        [
            row("i-kabul", 34.53, 69.17, "confirmed", 10),
            row("i-near", 34.60, 69.30, "fair", 3),  # about 14 km east-north-east
            row("i-far", 31.61, 65.71, "confirmed", 10),  # Kandahar, about 440 km away
            row("i-weak", 34.53, 69.17, "weak", 12),
        ],
    )
    store.checkpoint()
    kabul = replace(
        rule_from_mapping({"name": "k", "lat": 34.5253, "lon": 69.1783, "km": 25}, "t"),
        grade="fair",
    )
    assert written_since(store, kabul.query()) == ["i-kabul", "i-near"]
    deadly = replace(kabul, min_killed=5)
    assert written_since(store, deadly.query()) == ["i-kabul"]
    assert written_since(store, deadly.query(), "2021-09-02T00:00:00+00:00") == []
