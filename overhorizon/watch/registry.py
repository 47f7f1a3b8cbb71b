"""The source registry: who we read, where, and who owns them.

Sources come from ``sources.toml`` (the ``sources_file`` setting) and from the store
(``overhorizon sources add``); the two are merged by name, the store's entry winning.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "wire",
    "newspaper",
    "broadcaster",
    "state media",
    "ngo",
    "government",
    "social",
    "other",
)


@dataclass(frozen=True, slots=True)
class Source:
    """One registered source. ``urls`` are feeds (RSS, Atom, JSON Feed), sitemaps or pages;
    ``country`` is ISO 3166-1 alpha-3; ``owner`` groups outlets that are not independent of
    each other (same owner; a state outlet names its state, e.g. ``government:RUS``)."""

    name: str
    urls: tuple[str, ...]
    kind: str = "other"
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    notes: str | None = None
