"""``/docs`` in a real Chromium: Swagger UI renders under the strict CSP, from our server only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect

from overhorizon.api.app import CSP
from tests.web.conftest import ARTIFACTS, Server

#: Records every Content-Security-Policy violation the page reports, before any script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample});
});
"""


@dataclass
class Log:
    """What a page did: every request, those to another origin (aborted), console, errors."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(page: Page, origin: str) -> Log:
    """Log the page's traffic and console; abort any request that would leave ``origin``."""
    log = Log(origin)

    def on_route(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or url.startswith(origin + "/"):
            route.continue_()
        else:
            log.foreign.append(url)
            route.abort()

    def on_request(request: Request) -> None:
        log.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            log.console.append(f"{message.type}: {message.text}")

    page.context.route("**/*", on_route)
    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.add_init_script(WATCH_CSP)
    return log


@dataclass
class Visit:
    log: Log
    csp: str
    violations: list[dict[str, Any]]


@pytest.fixture(scope="module")
def visit(browser: Browser, server: Server) -> Iterator[Visit]:
    """Open /docs, try one operation and one schema, and keep a screenshot of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)  # a missing element fails in seconds, not half a minute
    page = context.new_page()
    log = watch(page, server.base)
    try:
        response = page.goto(f"{server.base}/docs")
        assert response is not None and response.ok
        incidents = page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/incidents$"))
        expect(incidents).to_be_visible(timeout=10_000)
        # Try an operation: Swagger UI calls the API and renders the highlighted response.
        health = page.locator("#operations-health-health")
        health.locator(".opblock-summary").click()
        health.get_by_role("button", name="Try it out").click()
        health.get_by_role("button", name="Execute").click()
        expect(
            health.locator(".live-responses-table tr.response .response-col_status").first
        ).to_have_text("200", timeout=10_000)
        expect(health.locator(".live-responses-table .highlight-code").first).to_contain_text(
            '"status": "ok"'
        )
        # Open a schema (more React rendering, inline SVG icons).
        title = page.locator(".json-schema-2020-12__title", has_text=re.compile(r"^IncidentPage$"))
        model = page.locator(".models article[data-json-schema-level='0']", has=title)
        model.locator(".json-schema-2020-12-accordion").first.click()
        expect(model).to_contain_text("items")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "docs.png", full_page=True)
        violations = page.evaluate("window.__cspViolations")
        yield Visit(log, response.headers.get("content-security-policy", ""), violations)
    finally:
        context.close()


def test_docs_lists_the_operations_under_the_strict_csp(visit: Visit) -> None:
    assert visit.csp == CSP and "script-src 'self';" in CSP and "style-src 'self';" in CSP
    assert visit.violations == []
    assert not [m for m in visit.log.console if "Content Security Policy" in m]
    assert visit.log.errors == [] and visit.log.console == []


def test_docs_makes_no_request_to_another_origin(visit: Visit) -> None:
    assert visit.log.foreign == []
    base = visit.log.origin
    assert f"{base}/static/vendor/swagger-ui/swagger-ui-bundle.js" in visit.log.requests
    assert f"{base}/openapi.json" in visit.log.requests
    assert f"{base}/api/health" in visit.log.requests  # the "Execute" call
    assert all(url.startswith(base + "/") for url in visit.log.requests), visit.log.requests


def test_docs_screenshot_is_kept(visit: Visit) -> None:
    shot = ARTIFACTS / "docs.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_the_network_log_catches_another_origin(page: Page, server: Server) -> None:
    """The guard above is not blind: a page without our CSP asking elsewhere is caught."""
    log = watch(page, server.base)
    page.set_content('<img src="http://192.0.2.1/pixel.png" alt="">')
    assert log.foreign == ["http://192.0.2.1/pixel.png"]
    assert "http://192.0.2.1/pixel.png" in log.requests


def test_the_csp_watch_catches_a_violation(page: Page, server: Server) -> None:
    """The CSP checks above are not blind: an inline style on our origin is reported."""
    log = watch(page, server.base)
    page.goto(f"{server.base}/api/health")
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'),"
        " {textContent: 'body { color: red }'}))"
    )
    page.wait_for_function("window.__cspViolations.length > 0", timeout=5_000)
    violations = page.evaluate("window.__cspViolations")
    assert [v["directive"] for v in violations] == ["style-src-elem"]
    assert any("Content Security Policy" in m for m in log.console)
