"""The digest: new and changed incidents of a window, grouped by area, hostile text escaped."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.watch.digest import build_digest, render_html, render_markdown
from tests.conftest import run_cli
from tests.watch.alerting import FIRST, LATER, TEXT, add_articles

HOSTILE = '<script>alert("x")</script><img src=https://evil.example/t.png> Kabul blast'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_digest_lists_new_then_changed_and_escapes_a_hostile_title(
    watch_settings: Settings, nlp: Any, tmp_path: Path
) -> None:
    first = (TEXT / FIRST[0]).read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(re.sub(r"^Title: .*$", f"Title: {HOSTILE}", first, count=1, flags=re.M))
    settings = watch_settings
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [hostile, TEXT / FIRST[1]])
        digest = build_digest(store, window=timedelta(hours=1))
        assert digest.new and not digest.changed
        assert [heading for heading, _ in digest.areas()] == ["AFG, Kābul"]
        assert HOSTILE in {i.title for i in digest.new}
        html = render_html(digest, settings.base_url)
        markdown = render_markdown(digest, settings.base_url)
        time.sleep(1.1)
        between = datetime.now(UTC)
        time.sleep(1.1)
        add_articles(store, settings, nlp, [TEXT / LATER])
        later = build_digest(store, window=datetime.now(UTC) - between)
    # the HTML page: the hostile title is text, nothing loads from elsewhere
    parser = _Tags()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "evil.example" in html and 'src="https://evil.example' not in html
    assert all(not (a.get("href") or "").startswith("http://") for _, a in parser.tags)
    assert "<style>" in html and "https://watch.example/#incident=i-" in html
    assert "## AFG, Kābul (" in markdown and "\\<script\\>" in markdown
    assert "killed: 72" in markdown and "grade: weak (one source" in markdown
    # after a later article: the incident whose toll rose is changed (it keeps its id)
    assert later.changed, (later.new, later.changed)
    # about 170 Afghans, and the US service members beside them
    (bombing,) = [i for i in later.changed if (i.deaths or 0) >= 170]
    assert all(i.updated_at >= later.since for i in later.new + later.changed)
    areas = later.areas()
    headings = [h for h, _ in areas]
    assert "place unknown" not in headings[:-1]  # places known first
    for _, items in areas:  # the deadliest first in each area
        deaths = [i.deaths or 0 for _, i in items]
        assert deaths == sorted(deaths, reverse=True)
    page = render_markdown(later, settings.base_url)
    assert "(changed)" in page and f"killed: {bombing.deaths}" in page
    assert "- sources: Kabul Ledger (sample)" in page  # spelt as the articles spell it


def test_digest_cli_and_windows(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    out = tmp_path / "digest.html"
    res = run_cli("digest", "--format", "html", "-o", str(out), "--db", db, cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "0 new, 0 changed" in res.stdout
    bad = run_cli("digest", "--since", "soon", "--db", db, cwd=tmp_path)
    assert bad.code == 2 and "--since 'soon'" in bad.stderr
