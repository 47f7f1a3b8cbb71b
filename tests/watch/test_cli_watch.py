"""``overhorizon watch --once`` end to end: a local feed of sample articles is fetched,
ingested, extracted and fused into incidents; a second run finds nothing new."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLE, run_cli
from tests.watch.site import Route, Site, rss

STRIKE_PAGES = [
    "2021-08-30-kabul-strike-family-mourns.html",
    "pentagon-tragic-mistake.html",
    "milley-righteous-strike.html",
]
ENV = {"OVERHORIZON_HOST_INTERVAL": "0", "OVERHORIZON_FETCH_RETRIES": "0"}


def registry(tmp_path: Path, feed: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "Local Wire"\nurl = "{feed}"\nkind = "wire"\ncountry = "USA"\n',
        encoding="utf-8",
    )
    return path


def test_watch_once_fetches_extracts_and_fuses(site: Site, tmp_path: Path) -> None:
    items = []
    for name in STRIKE_PAGES:
        site.routes[f"/news/{name}"] = Route((SAMPLE / "html" / name).read_bytes())
        items.append((name, site.url(f"/news/{name}")))
    site.routes["/feed.xml"] = Route(rss(items), content_type="application/rss+xml", etag='"a"')
    sources = registry(tmp_path, site.url("/feed.xml"))
    db = str(tmp_path / "watch.db")
    args = ["watch", "--once", "--allow-private-addresses", "--sources", str(sources), "--db", db]

    first = run_cli(*args, "--json", env=ENV)
    assert first.code == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["poll"]["totals"]["new_articles"] == 3
    assert report["extraction"]["articles"] == 3 and report["extraction"]["events"] > 0
    assert report["fused"] and report["incidents"] >= 1

    second = run_cli(*args, env=ENV)
    assert second.code == 0, second.stderr
    assert "0 new articles, 1 not modified, 0 rejected" in second.stdout
    assert "Local Wire" in second.stdout
    for name in STRIKE_PAGES:
        assert len(site.hits_of(f"/news/{name}")) == 1

    incidents = run_cli("incidents", "--db", db)
    assert incidents.code == 0 and "Kabul" in incidents.stdout


def test_watch_refuses_loopback_without_the_flag(site: Site, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = Route(rss([]), content_type="application/rss+xml")
    sources = registry(tmp_path, site.url("/feed.xml"))
    db = str(tmp_path / "watch.db")
    result = run_cli("watch", "--once", "--sources", str(sources), "--db", db, env=ENV)
    assert result.code == 1
    assert "private_address" in result.stdout
    assert site.hits == []


def test_watch_usage_errors(tmp_path: Path) -> None:
    bad_every = run_cli("watch", "--every", "soon", "--db", str(tmp_path / "w.db"))
    assert bad_every.code == 2 and "90s" in bad_every.stderr
    empty = tmp_path / "none.toml"
    empty.write_text("", encoding="utf-8")
    nothing = run_cli("watch", "--once", "--sources", str(empty), "--db", str(tmp_path / "w.db"))
    assert nothing.code == 2 and "no sources to watch" in nothing.stderr
