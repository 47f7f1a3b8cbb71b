"""The alert routes over a real store: alerts, rules, a rule's Atom feed, adding a rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from overhorizon.api import create_app
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.watch.alerts import run_alerts
from overhorizon.watch.rules import add_rule
from tests.watch.alerting import FIRST, TEXT, add_articles, watch_settings  # noqa: F401


@pytest.fixture
def fired(
    watch_settings: Settings,  # noqa: F811 (the fixture imported above)
    nlp: Any,
) -> Iterator[tuple[TestClient, list[Any]]]:
    settings = watch_settings.replace(api_token="t0ken")
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [TEXT / n for n in FIRST])
        add_rule(store, settings, {"name": "toll", "min_killed": 5, "backfill": True})
        run = run_alerts(store, settings)
    with TestClient(create_app(settings)) as client:
        yield client, run.fired


def test_alerts_rules_and_the_feed(fired: tuple[TestClient, list[Any]]) -> None:
    client, alerts = fired
    assert len(alerts) == 2
    page = client.get("/api/alerts", params={"rule": "toll", "limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    item = page["items"][0]
    assert item["kind"] == "new" and item["webhook"] == "none" and item["reasons"]
    assert client.get("/api/alerts", params={"rule": "other"}).json()["total"] == 0
    assert client.get("/api/alerts", params={"since": "2999-01-01"}).json()["total"] == 0
    assert client.get("/api/alerts", params={"since": "yesterday"}).status_code == 422
    rules = client.get("/api/rules").json()
    assert [(r["name"], r["min_killed"], r["origin"]) for r in rules] == [("toll", 5, "store")]
    r = client.get("/api/rules/toll/alerts.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.id == "tag:overhorizon,2026:rule/toll"
    assert feed.feed.title == "overhorizon alerts: toll"
    assert any(link.rel == "self" for link in feed.feed.links)
    assert len(feed.entries) == 2
    ids = {e.id for e in feed.entries}
    assert ids == {f"tag:overhorizon,2026:alert/{a.alert_id}" for a in alerts}
    for entry in feed.entries:
        assert entry.link.startswith("https://watch.example/#incident=i-")
        assert entry.title.startswith("new: ") and "killed >= 5" in entry.summary
        assert entry.updated_parsed is not None
    again = feedparser.parse(client.get("/api/rules/toll/alerts.atom").content)
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]  # stable ids
    missing = client.get("/api/rules/nope/alerts.atom")
    assert missing.status_code == 404 and missing.json()["code"] == "rule_not_found"


def test_adding_a_rule_needs_the_token(fired: tuple[TestClient, list[Any]]) -> None:
    client, _ = fired
    rule = {"name": "drones", "country": "AFG", "acled_types": ["Air/drone strike"]}
    assert client.post("/api/rules", json=rule).status_code == 401
    wrong = client.post("/api/rules", json=rule, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "unauthorised"
    auth = {"Authorization": "Bearer t0ken"}
    made = client.post("/api/rules", json=rule, headers=auth)
    assert made.status_code == 201, made.text
    assert made.json()["acled_types"] == ["Air/drone strike"] and made.json()["created_at"]
    again = client.post("/api/rules", json=rule, headers=auth)
    assert again.status_code == 422 and again.json()["code"] == "bad_rule"
    bad = client.post("/api/rules", json={"name": "x", "country": "Iran"}, headers=auth)
    assert bad.status_code == 422 and "country" in bad.json()["message"]
    assert {r["name"] for r in client.get("/api/rules").json()} == {"drones", "toll"}


def test_writing_rules_is_off_without_a_token(watch_settings: Settings) -> None:  # noqa: F811
    with TestClient(create_app(watch_settings)) as client:
        r = client.post("/api/rules", json={"name": "x", "country": "AFG"})
    assert r.status_code == 403 and r.json()["code"] == "writes_disabled"
