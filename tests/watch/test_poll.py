"""Poll cycles against a real server on 127.0.0.1: feeds that change between polls, pages
stored once, sources that fail without stopping the others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from overhorizon.records import Source
from overhorizon.settings import Settings
from overhorizon.store import Store
from overhorizon.store.fetch_state import get_states
from overhorizon.store.schema import article_sources, articles
from overhorizon.watch.poll import poll
from tests.conftest import REPO, SAMPLE
from tests.watch.site import Route, Site, rss

PAGES = [
    "pentagon-tragic-mistake.html",
    "milley-righteous-strike.html",
    "2021-08-30-kabul-strike-family-mourns.html",
    "kabul-airport-chaos.html",
]


def page(name: str) -> bytes:
    return (SAMPLE / "html" / name).read_bytes()


def serve_pages(site: Site, names: list[str]) -> list[tuple[str, str]]:
    """Serve sample pages under /news/; return their (title, link) feed items."""
    items = []
    for name in names:
        site.routes[f"/news/{name}"] = Route(page(name))
        items.append((name.removesuffix(".html"), site.url(f"/news/{name}")))
    return items


def article_count(store: Store) -> int:
    return int(store.conn.execute(select(func.count()).select_from(articles)).scalar_one())


def test_new_items_fetched_once_and_only_new_ones_later(
    site: Site, local: Settings, store: Store
) -> None:
    items = serve_pages(site, PAGES[:3])
    site.routes["/feed.xml"] = Route(rss(items[:2]), "application/rss+xml", etag='"1"')
    wire = Source("Test Wire", (site.url("/feed.xml"),))

    first = poll(store, [wire], local)
    s = first.sources[0]
    assert (s.fetched, s.new_articles, s.skipped, s.rejected) == (3, 2, 0, [])
    assert article_count(store) == 2
    outlets = set(store.conn.execute(select(articles.c.outlet)).scalars())
    assert outlets == {"Test Wire"}
    state = get_states(store, [site.url("/feed.xml")])[site.url("/feed.xml")]
    assert (state.etag, state.kind, state.last_status) == ('"1"', "rss", 200)

    second = poll(store, [wire], local)
    assert second.sources[0].not_modified == 1 and second.totals()["fetched"] == 0
    assert site.hits_of("/feed.xml")[-1].status == 304

    site.routes["/feed.xml"] = Route(rss([items[2], *items[:2]]), "application/rss+xml", etag='"2"')
    third = poll(store, [wire], local)
    s = third.sources[0]
    assert (s.fetched, s.new_articles, s.skipped) == (2, 1, 2)
    for name in PAGES[:3]:
        assert len(site.hits_of(f"/news/{name}")) == 1
    assert article_count(store) == 3
    kinds = set(store.conn.execute(select(article_sources.c.kind)).scalars())
    assert kinds == {"web"}
    assert len(third.new_article_ids) == 1


def test_pages_stored_from_another_source_are_not_fetched(
    site: Site, local: Settings, store: Store
) -> None:
    items = serve_pages(site, PAGES[:2])
    site.routes["/a.xml"] = Route(rss(items[:1]), "application/rss+xml")
    site.routes["/b.xml"] = Route(rss(items), "application/rss+xml")
    report = poll(
        store,
        [Source("A", (site.url("/a.xml"),)), Source("B", (site.url("/b.xml"),))],
        local,
    )
    assert [s.new_articles for s in report.sources] == [1, 1]
    assert report.sources[1].skipped == 1
    assert len(site.hits_of(f"/news/{PAGES[0]}")) == 1


def test_feed_that_turns_into_html_is_reported(site: Site, local: Settings, store: Store) -> None:
    items = serve_pages(site, PAGES[:1])
    site.routes["/rss"] = Route(rss(items), "application/rss+xml")
    wire = Source("Wire", (site.url("/rss"),))
    assert poll(store, [wire], local).sources[0].new_articles == 1
    site.routes["/rss"] = Route(page(PAGES[1]))  # a redesign: the feed is now a web page
    report = poll(store, [wire], local)
    problems = report.sources[0].rejected
    assert [(p.url, p.reason) for p in problems] == [(site.url("/rss"), "not_a_feed")]
    assert "expected a rss" in problems[0].detail
    assert article_count(store) == 1
    assert report.fetch_failures == 0 and report.totals()["rejected"] == 1


def test_page_registered_as_the_source_is_the_article(
    site: Site, local: Settings, store: Store
) -> None:
    site.routes["/statement.html"] = Route(page(PAGES[0]))
    report = poll(store, [Source("Ministry", (site.url("/statement.html"),))], local)
    assert report.sources[0].new_articles == 1
    assert store.conn.execute(select(articles.c.url)).scalar_one() == site.url("/statement.html")
    again = poll(store, [Source("Ministry", (site.url("/statement.html"),))], local)
    assert again.sources[0].new_articles == 0 and again.sources[0].duplicates == 1
    assert article_count(store) == 1


def test_slow_source_does_not_stop_another(site: Site, local: Settings, store: Store) -> None:
    items = serve_pages(site, PAGES[:1])
    site.routes["/slow.xml"] = Route(rss(items), "application/rss+xml", delay=3.0)
    site.routes["/fast.xml"] = Route(rss(items), "application/rss+xml")
    sources = [Source("Slow", (site.url("/slow.xml"),)), Source("Fast", (site.url("/fast.xml"),))]
    report = poll(store, sources, local.replace(fetch_timeout=0.5))
    slow, fast = report.sources
    assert [p.reason for p in slow.rejected] == ["fetch_timeout"]
    assert fast.new_articles == 1 and fast.rejected == []
    state = get_states(store, [site.url("/slow.xml")])[site.url("/slow.xml")]
    assert (state.failures, state.last_reason) == (1, "fetch_timeout")


def test_failed_page_falls_back_to_the_feeds_full_text(
    site: Site, local: Settings, store: Store
) -> None:
    text = (SAMPLE / "text" / "12-kabul-strike-first-report.txt").read_text("utf-8")
    gone = site.url("/news/gone.html")
    site.routes["/feed.xml"] = Route(
        rss(
            [("Kabul strike", gone), ("Short", site.url("/news/short.html"))], content={gone: text}
        ),
        "application/rss+xml",
    )
    report = poll(store, [Source("Wire", (site.url("/feed.xml"),))], local)
    s = report.sources[0]
    assert s.fallbacks == 1 and s.new_articles == 1
    assert [(p.url, p.reason) for p in s.rejected] == [(site.url("/news/short.html"), "http_error")]
    stored = store.conn.execute(select(articles.c.text, articles.c.published)).one()
    assert stored.text.startswith(text.split()[0]) and stored.published == "2021-08-30"


def test_json_feed_and_news_sitemap_index(site: Site, local: Settings, store: Store) -> None:
    items = serve_pages(site, PAGES[:3])
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON wire",
        "items": [{"id": "1", "url": items[0][1], "title": "one"}],
    }
    site.routes["/feed.json"] = Route(json.dumps(feed).encode(), "application/feed+json")
    site.routes["/sitemap_index.xml"] = Route(
        (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{site.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>"
        ).encode(),
        "application/xml",
    )
    site.routes["/news-sitemap.xml"] = Route(
        (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(
                f"<url><loc>{link}</loc><news:news><news:title>{title}</news:title>"
                "<news:publication_date>2021-08-30</news:publication_date></news:news></url>"
                for title, link in items[1:]
            )
            + "</urlset>"
        ).encode(),
        "application/xml",
        etag='"s1"',
    )
    sources = [
        Source("JSON", (site.url("/feed.json"),)),
        Source("Map", (site.url("/sitemap_index.xml"),)),
    ]
    report = poll(store, sources, local)
    assert [s.new_articles for s in report.sources] == [1, 2]
    states = get_states(store, [site.url("/sitemap_index.xml"), site.url("/news-sitemap.xml")])
    assert states[site.url("/sitemap_index.xml")].kind == "sitemapindex"
    assert states[site.url("/news-sitemap.xml")].role == "sitemap"
    again = poll(store, sources, local)
    assert again.sources[1].not_modified == 1 and again.totals()["new_articles"] == 0


def test_private_address_refused_in_a_poll(site: Site, local: Settings, store: Store) -> None:
    site.routes["/feed.xml"] = Route(rss([]), "application/rss+xml")
    report = poll(
        store,
        [Source("Here", (site.url("/feed.xml"),))],
        local.replace(allow_private_addresses=False),
    )
    assert [p.reason for p in report.sources[0].rejected] == ["private_address"]
    assert site.hits == [] and report.fetch_failures == 1


_POLL_SCRIPT = """
import sys
from overhorizon.settings import load_settings
from overhorizon.store import open_store
from overhorizon.watch.poll import poll
from overhorizon.records import Source

db, feed = sys.argv[1], sys.argv[2]
settings = load_settings(env={}, overrides={"db": db, "allow_private_addresses": True,
                                           "host_interval": 0.0, "fetch_retries": 0})
with open_store(db) as store:
    poll(store, [Source("Wire", (feed,))], settings)
"""


def test_poll_killed_half_way_and_run_again_stores_each_page_once(
    site: Site, local: Settings, tmp_path: Path
) -> None:
    items = serve_pages(site, PAGES[:3])
    site.routes[f"/news/{PAGES[1]}"].delay = 30.0  # the poll is killed while it waits here
    site.routes["/feed.xml"] = Route(rss(items), "application/rss+xml", etag='"1"')
    db = str(tmp_path / "t.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    child = subprocess.Popen(
        [sys.executable, "-c", _POLL_SCRIPT, db, site.url("/feed.xml")], cwd=REPO, env=env
    )
    try:
        deadline = time.monotonic() + 120
        while f"/news/{PAGES[1]}" not in site.arrived and time.monotonic() < deadline:
            assert child.poll() is None, "the poll ended before it was killed"
            time.sleep(0.05)
        assert f"/news/{PAGES[1]}" in site.arrived, "the poll never reached the second page"
    finally:
        child.kill()
        child.wait()
    site.routes[f"/news/{PAGES[1]}"].delay = 0.0
    from overhorizon.store import open_store

    with open_store(db) as store:
        assert article_count(store) == 1  # the first page was committed before the kill
        report = poll(store, [Source("Wire", (site.url("/feed.xml"),))], local.replace(db=db))
        assert site.hits_of("/feed.xml")[-1].status == 200  # validators were not kept
        assert report.sources[0].new_articles == 2 and report.sources[0].skipped == 1
        assert report.sources[0].rejected == []
        assert article_count(store) == 3
        assert (
            poll(store, [Source("Wire", (site.url("/feed.xml"),))], local).totals()["not_modified"]
            == 1
        )
    assert len(site.hits_of(f"/news/{PAGES[0]}")) == 1
    assert len(site.hits_of(f"/news/{PAGES[2]}")) == 1
