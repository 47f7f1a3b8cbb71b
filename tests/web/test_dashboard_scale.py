"""The dashboard with thousands of incidents: they load through cursor pages and the map draws
grid cells, not one marker each. The incidents are written by the seeded generator of
``bench/speed.py api`` (its figures are in the notes; nothing here is timed)."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from bench.speed import api_database
from tests.web.conftest import ARTIFACTS, serving

N = 5000


def test_thousands_of_incidents_load_and_cluster(browser: Browser, tmp_path: Path) -> None:
    world = api_database(tmp_path / "many.db", N, seed=7)
    with serving(tmp_path / "many.db", tmp_path) as server:
        items = []
        after = None
        while True:  # what the dashboard loads: every page, by cursor
            params = {"limit": 1000, **({"after": after} if after else {})}
            page_ = httpx.get(f"{server.base}/api/incidents", params=params, timeout=30).json()
            items += page_["items"]
            if not (after := page_["next"]):
                break
        assert len(items) == len({i["id"] for i in items}) == N == len(world.incidents)
        mapped = [i for i in items if i["lat"] is not None]
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{server.base}/")
            expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=120_000)
            expect(page.locator("#status")).to_contain_text(f"of {N} incidents")
            cells = page.locator("#map .ohz-cluster[data-count]")
            counts = cells.evaluate_all("els => els.map(e => +e.dataset.count)")
            singles = page.locator("#map path[data-incident-id]").count()
            assert counts and sum(counts) + singles == len(mapped)
            assert len(counts) + singles < len(mapped) / 5  # aggregated, not one node each
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "dashboard-5000.png")
            # A click on the biggest cell zooms in: the same incidents, in finer cells.
            biggest = max(range(len(counts)), key=lambda k: counts[k])
            before = len(counts) + singles
            cells.nth(biggest).dispatch_event("click")  # cells overlap: this one
            page.wait_for_function(
                "n => document.querySelectorAll('#map .ohz-cluster, #map path[data-incident-id]')"
                ".length !== n",
                arg=before,
            )
            finer = cells.evaluate_all("els => els.map(e => +e.dataset.count)")
            singles = page.locator("#map path[data-incident-id]").count()
            assert sum(finer) + singles == len(mapped)  # every incident still counted once
            assert len(finer) + singles > len(counts)  # in more, smaller cells
            assert max(finer, default=1) < max(counts)
        finally:
            context.close()
