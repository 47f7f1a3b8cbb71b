"""The dashboard (``/``) in a real Chromium over the sample corpus: map, trail, brush, safety.

One page is opened per module and driven through the steps in order (each test one step); the
last tests read what the page did all along: every request stayed on our origin, and there was
no CSP violation, console error or page error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from overhorizon.api.app import CSP
from tests.web.conftest import ARTIFACTS, HOSTILE_TITLE, Server
from tests.web.test_docs_page import Log, watch

MARKERS = "#map path[data-incident-id]"


@dataclass
class Dashboard:
    page: Page
    log: Log
    server: Server
    csp: str


def _kabul_strike(server: Server) -> dict[str, Any]:
    """The Kabul drone strike of 2021-08-29, as the API lists it."""
    page = httpx.get(f"{server.base}/api/incidents", params={"limit": 1000}, timeout=10).json()
    (found,) = [
        i
        for i in page["items"]
        if i["mode"] == "drone" and i["date_start"] == "2021-08-29" and i["grade"] == "confirmed"
    ]
    return dict(found)


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name)


@pytest.fixture(scope="module")
def dash(browser: Browser, sample_server: Server) -> Iterator[Dashboard]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    log = watch(page, sample_server.base)
    try:
        response = page.goto(f"{sample_server.base}/")
        assert response is not None and response.ok
        csp = response.headers.get("content-security-policy", "")
        # the first load reads every incident and the basemap: allow a busy CI machine time
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
        yield Dashboard(page, log, sample_server, csp)
    finally:
        context.close()


def test_the_map_shows_the_sample_incidents(dash: Dashboard) -> None:
    page = dash.page
    located = httpx.get(
        f"{dash.server.base}/api/incidents", params={"limit": 1000}, timeout=10
    ).json()["items"]
    mapped = [i for i in located if i["lat"] is not None]
    assert page.locator(MARKERS).count() == len(mapped) > 10
    assert page.locator(".leaflet-basemap-pane path").count() > 100  # the country outlines
    assert page.locator("#incident-list button.row").count() == len(located)
    assert page.locator("#timeline rect.bar").count() > 10
    _shot(page, "dashboard.png")


def test_a_click_on_the_drone_strike_opens_its_source_trail(dash: Dashboard) -> None:
    page = dash.page
    strike = _kabul_strike(dash.server)
    marker = page.locator(f'{MARKERS}[data-incident-id="{strike["id"]}"]')
    expect(marker).to_have_count(1)
    marker.dispatch_event("click")  # markers overlap at Kabul: click this one, not the top one
    trail = page.locator("#trail")
    expect(trail).to_be_visible()
    expect(trail).to_have_attribute("data-incident-id", strike["id"])
    expect(trail.locator(".trail-title")).to_have_text("ASSAULT (drone): Kabul")
    expect(trail.locator(".grade")).to_contain_text("confirmed")
    expect(trail.locator(".grade")).to_contain_text("admits")
    claims = trail.locator("li.claim")
    assert claims.count() >= 5
    dates = [d for d in (claims.nth(i).get_attribute("data-claim-id") for i in range(1)) if d]
    assert dates  # each claim carries its id
    heads = [claims.nth(i).locator(".claim-head").inner_text() for i in range(claims.count())]
    published = [h.split(" · ")[0].split(" ", 1)[1] for h in heads]
    assert published == sorted(published)  # in time order
    assert trail.locator("li.claim.contradicted").count() >= 2
    admission = trail.locator('.contradictions li[data-kind="admission"]')
    assert admission.count() >= 1
    expect(admission.first).to_contain_text("admits")
    expect(trail.locator("li.claim blockquote").first).not_to_be_empty()
    expect(trail.locator(".sources li").first).to_be_visible()
    assert page.evaluate("location.hash") == f"#incident={strike['id']}"
    _shot(page, "dashboard-trail.png")
    # A row of the list opens the same trail.
    trail.locator("button.close").click()
    expect(trail).to_be_hidden()
    page.locator(f'#incident-list button.row[data-incident-id="{strike["id"]}"]').click()
    expect(trail).to_have_attribute("data-incident-id", strike["id"])


def test_a_claim_opens_its_article_with_its_sentence_marked(dash: Dashboard) -> None:
    page = dash.page
    trail = page.locator("#trail")
    strike = _kabul_strike(dash.server)
    expect(trail).to_have_attribute("data-incident-id", strike["id"])
    detail = httpx.get(f"{dash.server.base}/api/incidents/{strike['id']}", timeout=10).json()
    sentences = {c["id"]: c["sentence"] for c in detail["claims"] if c.get("sentence")}
    claim = trail.locator("li.claim").filter(has=page.locator("blockquote")).first
    claim_id = claim.get_attribute("data-claim-id")
    assert claim_id in sentences
    claim.locator("button.show-article").click()
    box = claim.locator(".claim-article")
    expect(box).to_be_visible()
    marked = box.locator("mark.hl-here")
    expect(marked.first).to_be_in_viewport()
    shown = " ".join("".join(marked.all_inner_texts()).split())
    assert shown == sentences[claim_id]
    whole = box.locator(".article-text").inner_text()
    assert len(whole) > len(shown) and shown.split()[0] in whole  # the article, not the sentence
    assert box.locator("mark.hl-event, mark.hl-casualty").count() >= 1  # the other records too
    _shot(page, "dashboard-claim-in-article.png")
    claim.locator("button.show-article").click()
    expect(box).to_be_hidden()


def _day_x(page: Page, day: str) -> tuple[float, float]:
    """Page coordinates of the left edge and width of ``day`` on the timeline."""
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    geometry = page.evaluate(
        """([day]) => {
          const s = document.getElementById("timeline");
          const first = Date.parse(s.dataset.first + "T00:00:00Z");
          const i = (Date.parse(day + "T00:00:00Z") - first) / 86400000;
          const x0 = +s.dataset.x0, x1 = +s.dataset.x1, w = (x1 - x0) / +s.dataset.days;
          return [x0 + i * w, w];
        }""",
        [day],
    )
    return box["x"] + geometry[0], geometry[1]


def test_the_timeline_brush_filters_the_map(dash: Dashboard) -> None:
    page = dash.page
    before = page.locator(MARKERS).count()
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    left, width = _day_x(page, "2021-08-26")
    right, _ = _day_x(page, "2021-08-30")
    y = box["y"] + box["height"] / 2
    page.mouse.move(left + width * 0.3, y)
    page.mouse.down()
    page.mouse.move((left + right) / 2, y, steps=4)
    page.mouse.move(right + width * 0.7, y, steps=4)
    page.mouse.up()
    timeline = page.locator("#timeline")
    expect(timeline).to_have_attribute("data-since", "2021-08-26")
    expect(timeline).to_have_attribute("data-until", "2021-08-30")
    after = page.locator(MARKERS).count()
    assert 0 < after < before
    for date in page.locator(MARKERS).evaluate_all("els => els.map(e => e.dataset.date)"):
        assert date <= "2021-08-30"  # started by the end of the range (it may end later)
    strike = _kabul_strike(dash.server)
    expect(page.locator(f'{MARKERS}[data-incident-id="{strike["id"]}"]')).to_have_count(1)
    rows = page.locator("#incident-list button.row")
    assert rows.count() < len(
        httpx.get(f"{dash.server.base}/api/incidents", params={"limit": 1000}).json()["items"]
    )
    expect(page.locator("#status")).to_contain_text("from 2021-08-26 to 2021-08-30")
    _shot(page, "dashboard-brush.png")
    page.locator("#clear-brush").click()
    expect(timeline).not_to_have_attribute("data-since", "2021-08-26")
    assert page.locator(MARKERS).count() == before


def test_the_type_and_text_filters_requery_the_api(dash: Dashboard) -> None:
    page = dash.page
    before = page.locator(MARKERS).count()
    assaults = httpx.get(
        f"{dash.server.base}/api/incidents", params={"type": "ASSAULT", "limit": 1}
    ).json()["total"]
    page.locator("#filters select[name=type]").select_option("ASSAULT")
    expect(page.locator("#status")).to_contain_text(f" of {assaults} incidents")
    types = set(page.locator(MARKERS).evaluate_all("els => els.map(e => e.dataset.type)"))
    assert types == {"ASSAULT"}
    page.locator("#filters input[name=q]").fill("drone")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#incident-list button.row").first).to_be_visible()
    assert page.locator(MARKERS).count() < before
    assert any(
        "/api/incidents?" in url and "q=drone" in url and "type=ASSAULT" in url
        for url in dash.log.requests
    )
    page.locator("#filters select[name=type]").select_option("")
    page.locator("#filters input[name=q]").fill("")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator(MARKERS)).to_have_count(before)
    # the actor filter: incidents whose claims name Milley (the drone strike's "righteous")
    page.locator("#filters input[name=actor]").fill("Milley")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator(MARKERS)).not_to_have_count(before)
    assert 1 <= page.locator(MARKERS).count() < before
    assert any("/api/incidents?" in url and "actor=Milley" in url for url in dash.log.requests)
    page.locator("#filters input[name=actor]").fill("")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator(MARKERS)).to_have_count(before)


def test_a_hostile_title_renders_as_text(dash: Dashboard) -> None:
    page = dash.page
    titles = page.locator("#article-list .title")
    hostile = titles.filter(has_text="window.__pwned")
    expect(hostile).to_have_count(1)
    expect(hostile).to_have_text(HOSTILE_TITLE)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#article-list script, #article-list img").count() == 0
    hostile.scroll_into_view_if_needed()
    _shot(page, "dashboard-articles.png")


def test_many_incidents_are_drawn_as_grid_cells(browser: Browser, sample_server: Server) -> None:
    """With ``?cluster=0`` every incident counts as "many": nearby ones merge into cells."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{sample_server.base}/?cluster=0")
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=60_000)
        cells = page.locator("#map .ohz-cluster[data-count]")
        counts = cells.evaluate_all("els => els.map(e => +e.dataset.count)")
        singles = page.locator(MARKERS).count()
        items = httpx.get(f"{sample_server.base}/api/incidents", params={"limit": 1000}).json()
        assert counts and sum(counts) + singles == len(
            [i for i in items["items"] if i["lat"] is not None]
        )
    finally:
        context.close()


def test_no_request_left_our_origin(dash: Dashboard) -> None:
    assert dash.log.foreign == []
    assert all(url.startswith(dash.log.origin + "/") for url in dash.log.requests)
    assert f"{dash.log.origin}/basemap/countries-50m.json" in dash.log.requests
    assert f"{dash.log.origin}/static/vendor/leaflet/dist/leaflet.js" in dash.log.requests


def test_no_csp_violation_or_console_error(dash: Dashboard) -> None:
    assert dash.csp == CSP and "'unsafe-inline'" not in CSP
    assert dash.page.evaluate("window.__cspViolations") == []
    assert dash.log.console == [] and dash.log.errors == []


def test_the_page_has_no_inline_code_and_the_basemap_is_served(sample_server: Server) -> None:
    html = httpx.get(f"{sample_server.base}/", timeout=10).text
    assert "<style" not in html and " style=" not in html and " on" not in html.replace("\n", " ")
    scripts = [line for line in html.splitlines() if "<script" in line]
    assert scripts and all(' src="/static/' in line for line in scripts)
    topo = httpx.get(f"{sample_server.base}/basemap/countries-50m.json", timeout=10)
    assert topo.headers["content-type"].startswith("application/json")
    assert topo.json()["type"] == "Topology" and "countries" in topo.json()["objects"]
