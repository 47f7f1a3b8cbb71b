"""One polite, guarded HTTP fetch.

Guarded: only http and https; every host is resolved and refused when any of its addresses is
private, loopback, link-local, multicast, reserved or unspecified (unless the setting
``allow_private_addresses``), at every redirect hop and again when the connection is made (so a
name that resolves to a public address first and a private one next is still refused).
Redirects are followed here, at most :data:`MAX_REDIRECTS`, loops refused. Bodies are streamed
and cut past a size limit.

Polite: robots.txt of each origin is read once per :class:`Fetcher` (one poll) and obeyed
(404: all allowed; 5xx or unreachable: nothing fetched from that origin this poll); requests
to one host are spaced by ``host_interval`` seconds, or the robots.txt ``Crawl-delay`` when
longer, counted from the end of the previous request; validators are sent for a conditional
GET; timeouts, 429 and 5xx are retried ``fetch_retries`` times with exponential backoff,
honouring a short ``Retry-After``.

Nothing here raises for a failed fetch: a :class:`FetchResult` carries a reason code from
``overhorizon.reasons`` and a detail.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urldefrag, urljoin

import httpcore
import httpx

from overhorizon.settings import Settings

#: Redirect hops followed before too_many_redirects.
MAX_REDIRECTS = 5
#: Seconds before the first retry; doubled for each further one, at most _BACKOFF_CAP.
BACKOFF = 0.5
_BACKOFF_CAP = 30.0
#: A Retry-After longer than this many seconds ends the retries (reported as http_error).
RETRY_AFTER_MAX = 30.0
#: Bytes of robots.txt read (RFC 9309 lets crawlers stop at 500 KiB).
ROBOTS_LIMIT = 500 * 1024
#: The most one response body may take in all, as a multiple of fetch_timeout (which bounds
#: each wait for the next bytes): a server that trickles bytes is cut off.
BODY_DEADLINE_FACTOR = 4.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

Outcome = Literal["fetched", "not_modified", "failed"]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version it sent, for a conditional GET next time."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What fetching one URL gave.

    ``outcome``: ``fetched`` (a 2xx with ``body``), ``not_modified`` (a 304 to a conditional
    GET) or ``failed`` (``reason`` is a code from ``overhorizon.reasons``, ``detail`` says more,
    e.g. ``HTTP 500``). ``final_url`` is where redirects led; ``content_type`` the media type in
    lower case without parameters; ``requests`` the HTTP requests it took (retries, redirects,
    and robots.txt when this fetch was the first to its origin).
    """

    url: str
    outcome: Outcome
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None
    validators: Validators = field(default_factory=Validators)
    reason: str | None = None
    detail: str | None = None
    requests: int = 0

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


class FetchFailed(Exception):
    """A fetch that cannot succeed: a reason code and a detail (internal to this module)."""

    def __init__(self, reason: str, detail: str, status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status


class AddressRefused(Exception):
    """Raised when a connection would go to an address the SSRF guard refuses."""


def refused_address(ip: Address) -> bool:
    """True for an address that only a private network can mean: private, loopback,
    link-local, multicast, reserved, unspecified or otherwise not global."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int) -> list[Address]:
    """The addresses ``host`` resolves to (an IP literal resolves to itself); raise
    FetchFailed(dns_failed) when it resolves to nothing."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed("dns_failed", f"{host}: {exc}") from None
    out: list[Address] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    if not out:
        raise FetchFailed("dns_failed", f"{host}: no address")
    return out


class _GuardedBackend(httpcore.SyncBackend):
    """Opens TCP connections only to addresses the guard accepts, resolving the name itself,
    so that the address checked is the address connected to."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self.allow_private:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = resolve(host, port)
        except FetchFailed as exc:
            raise httpcore.ConnectError(exc.detail) from None
        bad = [ip for ip in addresses if refused_address(ip)]
        if bad:
            raise AddressRefused(f"{host} resolves to {bad[0]}")
        last: Exception | None = None
        for ip in addresses:
            try:
                return super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


@dataclass(slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), if readable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Fetches URLs for one poll: robots.txt and the pacing of hosts are kept for its
    lifetime. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        tls = httpx.create_ssl_context(trust_env=False)
        transport = httpx.HTTPTransport(verify=tls, trust_env=False)
        # httpx 0.28 (pinned) offers no hook for the network backend: give its transport a
        # pool that connects through the guard. Proxies from the environment are not used.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=tls,
            network_backend=_GuardedBackend(settings.allow_private_addresses),
        )
        self.client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent},
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str | FetchFailed] = {}
        self._interval: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._addresses: dict[tuple[str, int], list[Address]] = {}
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # --- the public call -------------------------------------------------------------------
    def fetch(self, url: str, *, limit: int, validators: Validators | None = None) -> FetchResult:
        """Fetch ``url`` (GET), reading at most ``limit`` bytes of body (too_large beyond)."""
        start = self.requests
        try:
            final, answer = self._follow(url, limit, validators, robots=True)
        except FetchFailed as exc:
            return FetchResult(
                url=url,
                outcome="failed",
                final_url=url,
                status=exc.status,
                reason=exc.reason,
                detail=exc.detail,
                requests=self.requests - start,
            )
        got = Validators(answer.headers.get("etag"), answer.headers.get("last-modified"))
        if answer.status == 304:
            return FetchResult(
                url=url,
                outcome="not_modified",
                final_url=final,
                status=304,
                validators=got,
                requests=self.requests - start,
            )
        return FetchResult(
            url=url,
            outcome="fetched",
            final_url=final,
            status=answer.status,
            body=answer.body,
            content_type=answer.content_type,
            charset=answer.charset,
            validators=got,
            requests=self.requests - start,
        )

    # --- redirects, guard, robots ----------------------------------------------------------
    def _follow(
        self, url: str, limit: int, validators: Validators | None, *, robots: bool
    ) -> tuple[str, _Answer]:
        seen: set[str] = set()
        current = urldefrag(url.strip())[0]
        for _hop in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchFailed("too_many_redirects", f"redirect loop back to {current}")
            seen.add(current)
            target = self._checked_url(current)
            if robots:
                self._obey_robots(target)
            answer = self._with_retries(target, limit, validators)
            if answer.status not in _REDIRECTS:
                return current, answer
            location = answer.headers.get("location")
            if not location:
                raise FetchFailed(
                    "http_error", f"HTTP {answer.status} without a Location", answer.status
                )
            current = urldefrag(urljoin(str(target), location.strip()))[0]
        raise FetchFailed("too_many_redirects", f"more than {MAX_REDIRECTS} redirects from {url}")

    def _checked_url(self, url: str) -> httpx.URL:
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise FetchFailed("bad_url", f"{url[:200]!r}: {exc}") from None
        if target.scheme not in ("http", "https") or not target.host:
            raise FetchFailed("bad_url", f"{url[:200]!r}: not an http(s) URL with a host")
        host = target.raw_host.decode("ascii", "replace")
        port = target.port or (443 if target.scheme == "https" else 80)
        key = (host, port)
        if key not in self._addresses:
            self._addresses[key] = resolve(host, port)
        if not self.settings.allow_private_addresses:
            bad = [ip for ip in self._addresses[key] if refused_address(ip)]
            if bad:
                raise FetchFailed("private_address", f"{host} is {bad[0]}")
        return target

    def _obey_robots(self, target: httpx.URL) -> None:
        origin = f"{target.scheme}://{target.netloc.decode('ascii', 'replace')}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, FetchFailed):  # the site cannot be reached at all: say why
            raise FetchFailed(rules.reason, rules.detail)
        if isinstance(rules, str):
            raise FetchFailed("robots_disallowed", rules)
        if not rules.can_fetch(self.settings.user_agent, str(target)):
            raise FetchFailed(
                "robots_disallowed", f"{origin}/robots.txt disallows {target.raw_path.decode()}"
            )

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str | FetchFailed:
        """The parsed robots.txt of ``origin``; a string (why) when it answers with an error,
        so nothing may be fetched (RFC 9309); the failure when the site cannot be reached."""
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            _final, answer = self._follow(origin + "/robots.txt", ROBOTS_LIMIT, None, robots=False)
        except FetchFailed as exc:
            if exc.reason == "http_error" and exc.status is not None and exc.status < 500:
                rules.parse([])  # 4xx: no robots.txt, everything allowed (RFC 9309)
                return rules
            if exc.reason != "http_error":
                return FetchFailed(exc.reason, f"{origin}: {exc.detail}")
            return (
                f"{origin}/robots.txt unavailable ({exc.reason}: {exc.detail}); retried next poll"
            )
        rules.parse(answer.body.decode("utf-8", "replace").splitlines())
        delay = rules.crawl_delay(self.settings.user_agent)
        host = httpx.URL(origin).host
        if delay is not None and float(delay) > self.settings.host_interval:
            self._interval[host] = float(delay)
        return rules

    # --- one request, retried --------------------------------------------------------------
    def _with_retries(
        self, target: httpx.URL, limit: int, validators: Validators | None
    ) -> _Answer:
        retries = self.settings.fetch_retries
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._once(target, limit, validators)
            except FetchFailed as exc:
                if exc.reason == "fetch_timeout" and attempt <= retries:
                    self._sleep(self._backoff(attempt))
                    continue
                raise
            status = answer.status
            if status == 429 or status >= 500:
                wait = _retry_after(answer.headers.get("retry-after"))
                if attempt > retries:
                    tries = f" after {attempt} attempts" if attempt > 1 else ""
                    raise FetchFailed("http_error", f"HTTP {status}{tries}", status)
                if wait is not None and wait > RETRY_AFTER_MAX:
                    raise FetchFailed(
                        "http_error", f"HTTP {status}, Retry-After {wait:.0f} s: not waited", status
                    )
                self._sleep(wait if wait is not None else self._backoff(attempt))
                continue
            if status >= 400 or (300 <= status < 400 and status not in _REDIRECTS | {304}):
                raise FetchFailed("http_error", f"HTTP {status}", status)
            return answer

    @staticmethod
    def _backoff(attempt: int) -> float:
        return float(min(_BACKOFF_CAP, BACKOFF * 2 ** (attempt - 1)))

    def _pace(self, host: str) -> None:
        wait = self._next.get(host, 0.0) - self._clock()
        if wait > 0:
            self._sleep(wait)

    def _once(self, target: httpx.URL, limit: int, validators: Validators | None) -> _Answer:
        host = target.host
        self._pace(host)
        headers: dict[str, str] = {}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        self.requests += 1
        try:
            with self.client.stream("GET", target, headers=headers) as response:
                return self._read(response, limit)
        except httpx.TimeoutException as exc:
            raise FetchFailed(
                "fetch_timeout", f"{type(exc).__name__} after {self._timeout:g} s"
            ) from None
        except AddressRefused as exc:
            raise FetchFailed("private_address", str(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchFailed("bad_url", str(exc)) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchFailed("connection_failed", f"{type(exc).__name__}: {exc}") from None
        finally:
            self._next[host] = self._clock() + self._interval.get(host, self.settings.host_interval)

    @property
    def _timeout(self) -> float:
        return self.settings.fetch_timeout

    def _read(self, response: httpx.Response, limit: int) -> _Answer:
        status = response.status_code
        headers = response.headers
        if not 200 <= status < 300:
            return _Answer(status, headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(
                "too_large", f"Content-Length {int(declared):,} bytes, limit {limit:,}", status
            )
        deadline = self._clock() + self._timeout * BODY_DEADLINE_FACTOR
        body = bytearray()
        for chunk in response.iter_bytes(_CHUNK):
            body += chunk
            if len(body) > limit:
                raise FetchFailed("too_large", f"more than {limit:,} bytes, cut off", status)
            if self._clock() > deadline:
                raise FetchFailed(
                    "fetch_timeout",
                    f"the body took more than {self._timeout * BODY_DEADLINE_FACTOR:g} s",
                    status,
                )
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower() or None
        return _Answer(status, headers, bytes(body), media, response.charset_encoding)
