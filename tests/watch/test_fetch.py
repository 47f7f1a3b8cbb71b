"""One guarded, polite fetch against a real server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import itertools
import socket

import pytest

from overhorizon.settings import Settings
from overhorizon.watch.fetch import MAX_REDIRECTS, Fetcher, Validators, refused_address
from tests.watch.site import Route, Site

PAGE = b"<html><body><p>hello</p></body></html>"


def test_private_address_refused_without_the_setting(site: Site, local: Settings) -> None:
    site.routes["/page"] = Route(PAGE)
    with Fetcher(local.replace(allow_private_addresses=False)) as f:
        refused = f.fetch(site.url("/page"), limit=1000)
    assert refused.failed and refused.reason == "private_address"
    assert "127.0.0.1" in (refused.detail or "")
    assert site.hits == []  # not even robots.txt was asked for
    with Fetcher(local) as f:
        allowed = f.fetch(site.url("/page"), limit=1000)
    assert allowed.outcome == "fetched" and allowed.body == PAGE


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("224.0.0.1", True),
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1", True),
        ("::ffff:127.0.0.1", True),
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_which_addresses_are_refused(address: str, refused: bool) -> None:
    assert refused_address(ipaddress.ip_address(address)) is refused


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "http://", "x"])
def test_only_http_urls(local: Settings, url: str) -> None:
    with Fetcher(local) as f:
        result = f.fetch(url, limit=1000)
    assert result.failed and result.reason == "bad_url"


def test_conditional_get_answered_304(site: Site, local: Settings) -> None:
    site.routes["/feed.xml"] = Route(
        b"<rss/>", etag='"v1"', last_modified="Mon, 30 Aug 2021 10:00:00 GMT"
    )
    with Fetcher(local) as f:
        first = f.fetch(site.url("/feed.xml"), limit=1000)
        second = f.fetch(site.url("/feed.xml"), limit=1000, validators=first.validators)
    assert first.outcome == "fetched"
    assert first.validators == Validators('"v1"', "Mon, 30 Aug 2021 10:00:00 GMT")
    assert second.outcome == "not_modified" and second.body == b""
    hits = site.hits_of("/feed.xml")
    assert [h.status for h in hits] == [200, 304]
    assert hits[1].headers["If-None-Match"] == '"v1"'
    assert hits[1].headers["If-Modified-Since"] == "Mon, 30 Aug 2021 10:00:00 GMT"
    assert hits[0].headers["User-Agent"] == local.user_agent


def test_robots_txt_disallow_is_obeyed(site: Site, local: Settings) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    site.routes["/private/a"] = Route(PAGE)
    site.routes["/public/a"] = Route(PAGE)
    with Fetcher(local) as f:
        blocked = f.fetch(site.url("/private/a"), limit=1000)
        fine = f.fetch(site.url("/public/a"), limit=1000)
    assert blocked.reason == "robots_disallowed" and "/private/a" in (blocked.detail or "")
    assert fine.outcome == "fetched"
    assert site.hits_of("/private/a") == []
    assert len(site.hits_of("/robots.txt")) == 1  # read once per fetcher (poll)


def test_robots_txt_for_our_agent_only(site: Site, local: Settings) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: overhorizon\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
        content_type="text/plain",
    )
    site.routes["/a"] = Route(PAGE)
    with Fetcher(local) as f:
        assert f.fetch(site.url("/a"), limit=1000).reason == "robots_disallowed"
    assert site.hits_of("/a") == []


def test_robots_txt_5xx_means_nothing_this_poll_and_404_everything(
    site: Site, local: Settings
) -> None:
    site.routes["/robots.txt"] = Route(b"down", status=503)
    site.routes["/a"] = Route(PAGE)
    with Fetcher(local) as f:
        result = f.fetch(site.url("/a"), limit=1000)
    assert result.reason == "robots_disallowed" and "unavailable" in (result.detail or "")
    assert site.hits_of("/a") == []
    del site.routes["/robots.txt"]  # now a 404: everything is allowed
    with Fetcher(local) as f:
        assert f.fetch(site.url("/a"), limit=1000).outcome == "fetched"


def test_requests_to_one_host_are_spaced(site: Site, local: Settings) -> None:
    for n in range(4):
        site.routes[f"/p{n}"] = Route(PAGE)
    with Fetcher(local.replace(host_interval=0.2)) as f:
        for n in range(4):
            assert f.fetch(site.url(f"/p{n}"), limit=1000).outcome == "fetched"
    times = [h.at for h in site.hits]  # robots.txt and the four pages
    assert len(times) == 5
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.2, gaps


def test_crawl_delay_longer_than_the_interval_wins(site: Site, local: Settings) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain"
    )
    site.routes["/a"] = Route(PAGE)
    site.routes["/b"] = Route(PAGE)
    with Fetcher(local.replace(host_interval=0.1)) as f:
        f.fetch(site.url("/a"), limit=1000)
        f.fetch(site.url("/b"), limit=1000)
    a, b = site.hits_of("/a")[0].at, site.hits_of("/b")[0].at
    assert b - a >= 1.0


def test_server_error_is_retried_then_reported(site: Site, local: Settings) -> None:
    site.routes["/broken"] = Route(b"oops", status=500)
    with Fetcher(local.replace(fetch_retries=1)) as f:
        result = f.fetch(site.url("/broken"), limit=1000)
    assert result.reason == "http_error" and result.status == 500
    assert result.detail == "HTTP 500 after 2 attempts"
    assert len(site.hits_of("/broken")) == 2


def test_429_with_a_long_retry_after_is_not_waited_for(site: Site, local: Settings) -> None:
    site.routes["/busy"] = Route(b"", status=429, headers={"Retry-After": "3600"})
    with Fetcher(local.replace(fetch_retries=3)) as f:
        result = f.fetch(site.url("/busy"), limit=1000)
    assert result.reason == "http_error" and "Retry-After 3600" in (result.detail or "")
    assert len(site.hits_of("/busy")) == 1


def test_client_error_is_not_retried(site: Site, local: Settings) -> None:
    with Fetcher(local.replace(fetch_retries=2)) as f:
        result = f.fetch(site.url("/missing"), limit=1000)
    assert (result.reason, result.detail) == ("http_error", "HTTP 404")
    assert len(site.hits_of("/missing")) == 1


def test_redirects_followed_loops_refused(site: Site, local: Settings) -> None:
    site.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    site.routes["/new"] = Route(PAGE)
    site.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"})
    site.routes["/loop-b"] = Route(status=302, headers={"Location": site.url("/loop-a")})
    for n in range(MAX_REDIRECTS + 2):
        site.routes[f"/hop{n}"] = Route(status=307, headers={"Location": f"/hop{n + 1}"})
    with Fetcher(local) as f:
        moved = f.fetch(site.url("/old"), limit=1000)
        loop = f.fetch(site.url("/loop-a"), limit=1000)
        chain = f.fetch(site.url("/hop0"), limit=1000)
    assert moved.outcome == "fetched" and moved.final_url == site.url("/new")
    assert loop.reason == "too_many_redirects" and "loop" in (loop.detail or "")
    assert len(site.hits_of("/loop-a")) == 1
    assert chain.reason == "too_many_redirects"
    assert site.hits_of(f"/hop{MAX_REDIRECTS + 1}") == []


def test_huge_page_is_cut_off_early(site: Site, local: Settings) -> None:
    whole = 50_000_000

    def body() -> object:
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        for _ in range(whole // len(chunk)):
            yield chunk

    site.routes["/huge"] = Route(body)  # type: ignore[arg-type]
    site.routes["/declared"] = Route(b"x" * 2_000_000)
    with Fetcher(local) as f:
        result = f.fetch(site.url("/huge"), limit=1_000_000)
        declared = f.fetch(site.url("/declared"), limit=1_000_000)
    assert result.reason == "too_large" and "cut off" in (result.detail or "")
    assert result.body == b""
    assert site.finished.wait(30), "the server kept sending"
    assert site.sent["/huge"] < whole // 2
    assert declared.reason == "too_large" and "Content-Length 2,000,000" in (declared.detail or "")


def test_slow_answer_times_out(site: Site, local: Settings) -> None:
    site.routes["/slow"] = Route(PAGE, delay=2.0)
    with Fetcher(local.replace(fetch_timeout=0.3)) as f:
        result = f.fetch(site.url("/slow"), limit=1000)
    assert result.reason == "fetch_timeout"


def test_unresolvable_host(local: Settings) -> None:
    with Fetcher(local) as f:
        result = f.fetch("http://no-such-host.invalid/feed", limit=1000)
    assert result.reason == "dns_failed"


def test_nothing_listening_is_a_failed_connection(local: Settings) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Fetcher(local.replace(fetch_retries=0)) as f:
        result = f.fetch(f"http://127.0.0.1:{port}/feed", limit=1000)
    assert result.reason == "connection_failed"
