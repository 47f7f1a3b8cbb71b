"""Fixtures of the watch tests: a local HTTP server and settings that may fetch from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from overhorizon.settings import Settings
from tests.watch.alerting import mailbox, receiver, watch_settings  # noqa: F401 (alert tests)
from tests.watch.site import Site


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def local(settings: Settings) -> Settings:
    """Settings for the local server: loopback allowed, no pause between requests, one retry
    at most and short timeouts."""
    return settings.replace(
        allow_private_addresses=True, host_interval=0.0, fetch_retries=0, fetch_timeout=5.0
    )
