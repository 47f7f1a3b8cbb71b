"""The dashboard's alerts panel in a real Chromium: hidden while no rule raised anything, then
listing what a rule raised over the sample corpus; a click opens the incident's trail."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.conftest import run_cli
from tests.web.conftest import ARTIFACTS, Server
from tests.web.test_docs_page import watch


def test_alerts_panel_lists_what_a_rule_raised(browser: Browser, sample_server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log = watch(page, sample_server.base)
    try:
        before = httpx.get(f"{sample_server.base}/api/alerts", timeout=10).json()
        page.goto(f"{sample_server.base}/")
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
        if before["total"] == 0:
            expect(page.locator("#alerts-panel")).to_be_hidden()
        db = str(sample_server.db)
        added = run_cli("rules", "add", "afg-deaths", "--country", "AFG", "--min-killed", "1",
                        "--backfill", "--db", db)  # fmt: skip
        assert added.code == 0, added.stderr
        raised = run_cli("alerts", "raise", "--db", db)
        assert raised.code == 0, raised.stderr
        alerts = httpx.get(
            f"{sample_server.base}/api/alerts", params={"rule": "afg-deaths"}, timeout=10
        ).json()
        assert alerts["total"] >= 2  # the airport bombing and the drone strike at least
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
        rows = page.locator("#alert-list button.alert")
        expect(page.locator("#alerts-panel")).to_be_visible()
        assert rows.count() == min(50, before["total"] + alerts["total"])
        first = alerts["items"][0]
        row = page.locator(f'#alert-list button.alert[data-alert-id="{first["id"]}"]')
        expect(row).to_contain_text("afg-deaths")
        expect(row).to_contain_text(first["title"])
        row.click()
        expect(page.locator("#trail")).to_have_attribute("data-incident-id", first["incident_id"])
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "dashboard-alerts.png")
        assert log.foreign == [] and log.errors == []
    finally:
        context.close()
