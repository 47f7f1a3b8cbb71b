"""Writing through the API needs the token; serving elsewhere than loopback needs it too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from overhorizon import reasons
from overhorizon.api import create_app
from overhorizon.settings import load_settings
from tests.conftest import run_cli

ARTICLE = {
    "title": "<script>alert(1)</script> Blast near Kunduz market",
    "outlet": "Test Wire",
    "published": "2021-09-03",
    "text": "KUNDUZ — A bomb exploded near a market in Kunduz on Friday, killing three "
    "civilians, local officials said. Police said the blast was under investigation.",
}


def app_for(tmp_path: Path, token: str = "") -> TestClient:
    settings = load_settings(
        env={}, cwd=tmp_path, overrides={"db": str(tmp_path / "w.db"), "api_token": token}
    )
    return TestClient(create_app(settings))


def test_writes_are_off_without_a_token(tmp_path: Path) -> None:
    with app_for(tmp_path) as client:
        r = client.post("/api/articles", json=ARTICLE)
        assert r.status_code == 403 and r.json()["code"] == "writes_disabled"


def test_a_bearer_token_allows_ingest(tmp_path: Path) -> None:
    with app_for(tmp_path, token="s3cret-token") as client:
        wrong = client.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401 and wrong.json()["code"] == "unauthorised"
        auth = {"Authorization": "Bearer s3cret-token"}
        r = client.post(
            "/api/articles", json=[ARTICLE, {"title": "empty", "text": ""}], headers=auth
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["stored"] == 1 and [x["reason"] for x in body["rejected"]] == ["missing_text"]
        again = client.post("/api/articles", json=ARTICLE, headers=auth).json()
        assert again["stored"] == 0 and again["unchanged"] + again["duplicates"] == 1
        # the hostile title is data: stored and returned as text, never interpreted
        (art,) = client.get("/api/articles").json()["items"]
        assert art["title"].startswith("<script>")
        bad = client.post("/api/articles", content=b"{not json", headers=auth)
        assert bad.status_code == 422 and bad.json()["code"] == "bad_json"


def test_request_size_is_limited(tmp_path: Path) -> None:
    settings = load_settings(
        env={},
        cwd=tmp_path,
        overrides={"db": str(tmp_path / "w.db"), "api_token": "t", "max_container_bytes": 1000},
    )
    with TestClient(create_app(settings)) as client:
        big = {**ARTICLE, "text": "word " * 1000}
        r = client.post("/api/articles", json=big, headers={"Authorization": "Bearer t"})
        assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_serving_elsewhere_than_loopback_needs_a_token(tmp_path: Path) -> None:
    res = run_cli("serve", "--host", "0.0.0.0", "--db", "x.db", cwd=tmp_path)
    assert res.code == 2 and reasons.get("unsafe_bind").hint in res.stderr


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "overhorizon", "serve", "--db", "s.db", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        assert "server" not in r.headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)
