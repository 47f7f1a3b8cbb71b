"""``/docs`` is served from our own files, with no inline script or style (see tests/web/)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from overhorizon.api import create_app
from overhorizon.api.app import CSP
from overhorizon.settings import load_settings


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script> or <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and data.strip():
            self.inline.append(data)


def client_for(tmp_path: Path) -> TestClient:
    settings = load_settings(env={}, cwd=tmp_path, overrides={"db": str(tmp_path / "d.db")})
    return TestClient(create_app(settings))


def test_docs_page_loads_only_local_files(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        r = client.get("/docs")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert r.headers["content-security-policy"] == CSP
        page = Tags()
        page.feed(r.text)
        assert page.inline == []  # the policy refuses inline code: nothing to refuse
        assert not [tag for tag, attrs in page.tags if "style" in attrs or tag == "style"]
        urls = [a.get("src") or a.get("href") for t, a in page.tags if t in ("script", "link")]
        assert urls == [
            "data:,",
            "/static/vendor/swagger-ui/swagger-ui.css",
            "/static/vendor/swagger-ui/swagger-ui-bundle.js",
            "/static/docs-init.js",
        ]
        for url in urls[1:]:
            asset = client.get(url)
            assert asset.status_code == 200 and asset.headers["content-security-policy"] == CSP


def test_fastapi_cdn_pages_are_off(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        assert client.get("/redoc").status_code == 404
        assert client.get("/docs/oauth2-redirect").status_code == 404
        schema = client.get("/openapi.json").json()
        assert "/docs" not in schema["paths"] and "/api/incidents" in schema["paths"]
