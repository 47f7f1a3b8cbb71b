"""scripts/demo_watch.py, the watch step of `make demo`: the sample corpus served as feeds on
loopback and polled three times by the real `overhorizon watch`, pipeline and all."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """Run the script once with --json: its summary and the watch database it wrote."""
    folder = tmp_path_factory.mktemp("demo")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OVERHORIZON_") or k == "OVERHORIZON_GAZETTEER"
    }
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo_watch.py"), str(folder), "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout), folder / "watch" / "watch.db"


def totals(summary: dict[str, Any], n: int) -> dict[str, int]:
    result: dict[str, int] = summary["polls"][n]["poll"]["totals"]
    return result


def test_poll_1_stores_the_first_half(demo: tuple[dict[str, Any], Path]) -> None:
    summary, _ = demo
    assert 0 < summary["items_poll1"] < summary["items"]
    first = totals(summary, 0)
    assert first["new_articles"] == summary["items_poll1"]
    assert first["rejected"] == 0 and first["duplicates"] == 0
    assert all(p["status"] == 0 for p in summary["polls"])


def test_poll_2_fetches_only_the_new_items(demo: tuple[dict[str, Any], Path]) -> None:
    summary, _ = demo
    second = totals(summary, 1)
    new_items = summary["items"] - summary["items_poll1"]
    feeds_with_a_body = len(summary["feeds"]) - second["not_modified"]
    assert second["not_modified"] >= 1  # a feed with nothing new answered 304
    assert second["fetched"] == feeds_with_a_body + new_items  # no page fetched twice
    assert second["new_articles"] == new_items
    assert second["duplicates"] == 0 and second["rejected"] == 0
    assert second["skipped"] >= 1  # items listed again, known from poll 1


def test_alerts_are_raised_once(demo: tuple[dict[str, Any], Path]) -> None:
    summary, _ = demo
    raised = [p["alerts"]["raised"] for p in summary["polls"]]
    assert raised[1], "poll 2 raised no alert"
    assert {a["rule"] for a in raised[0] + raised[1]} == {
        "afghanistan-deaths",
        "deadly-drone-strikes",
    }
    # poll 3 is poll 2 again: every feed answers 304, nothing is fetched, nothing is raised
    third = totals(summary, 2)
    assert third["not_modified"] == len(summary["feeds"])
    assert third["fetched"] == 0 and third["new_articles"] == 0
    assert raised[2] == []


def test_each_article_is_stored_once(demo: tuple[dict[str, Any], Path]) -> None:
    summary, db = demo
    with closing(sqlite3.connect(db)) as conn:
        count, urls = conn.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
        outlets = {row[0] for row in conn.execute("SELECT DISTINCT outlet FROM articles")}
    assert count == urls == summary["items"]
    assert outlets == {
        "Kabul Ledger (sample)",
        "Bastion Daily (sample)",
        "Meridian Courier (sample)",
        "Lantern Post (sample)",
        "Carnet du Monde (sample)",
    }
