"""Browser fixtures: Debian's Chromium driven by Playwright, against a real server on loopback.

Playwright uses the system ``chromium`` through ``executable_path``, so no browser is downloaded
(``playwright install`` is never needed). When Chromium is missing, the session installs it with
apt on CI or as root (as ``.ci/run`` does); otherwise the tests fail with the command to run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import copy_database, run_cli

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

#: Headless and quiet: no sync, no component updates, no background fetches of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests may run as root (CI containers), where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_chromium() -> str | None:
    """The system Chromium (Debian's ``chromium`` package), or None."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def install_chromium() -> None:
    """``apt-get install chromium``; a failure fails the session with apt's output."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium binary, installed with apt first when allowed (CI, or root)."""
    found = find_chromium()
    if found:
        return found
    may_install = os.environ.get("CI") == "true" or os.geteuid() == 0
    if may_install and shutil.which("apt-get"):
        install_chromium()
        found = find_chromium()
        if found:
            return found
    pytest.fail(
        "Chromium not found: install it with "
        "`apt-get install -y --no-install-recommends chromium` (.ci/run does)"
    )


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no cache) and one page in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@dataclass(frozen=True)
class Server:
    """An ``overhorizon serve`` process answering at ``base`` (``http://127.0.0.1:<port>``)."""

    base: str
    db: Path


def _env() -> dict[str, str]:
    """The environment of the CLI subprocesses: no OVERHORIZON_* but the shared gazetteer."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OVERHORIZON_") or k == "OVERHORIZON_GAZETTEER"
    }


@contextmanager
def serving(db: Path, root: Path) -> Iterator[Server]:
    """``overhorizon serve --db DB`` on a free loopback port, until the block ends."""
    port = free_port()
    log = (root / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "overhorizon", "serve", "--db", str(db), "--port", str(port)],
        cwd=root,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not answer:\n{(root / 'serve.log').read_text()}")
            time.sleep(0.1)
        yield Server(base, db)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``overhorizon serve`` on a free loopback port over an empty SQLite file."""
    root = tmp_path_factory.mktemp("web")
    with serving(root / "web.db", root) as running:
        yield running


#: An article whose title is markup: the dashboard must show it as text and run nothing.
HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_ARTICLE = f"""Title: {HOSTILE_TITLE}
Outlet: Hostile Wire (test)
Published: 2021-08-28T10:00:00+00:00
URL: https://hostile.example/news/1

KABUL - A market reopened in Kabul on Saturday as traders returned after a week of unrest,
residents said.
"""


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory, sample_run: Path) -> Iterator[Server]:
    """``overhorizon serve`` over the sample corpus plus one article with a hostile title: a
    copy of the session's ``overhorizon run`` of the sample (tests/conftest.py), then the real
    ``overhorizon run`` of the hostile article into it (once per session)."""
    root = tmp_path_factory.mktemp("web-sample")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "99-hostile-title.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    db = copy_database(sample_run, root / "sample.db")
    res = run_cli("run", "-q", str(hostile), "--db", str(db), cwd=root)
    if res.code != 0:
        pytest.fail(f"overhorizon run failed ({res.code}):\n{res.stderr[-3000:]}")
    with serving(db, root) as running:
        yield running
