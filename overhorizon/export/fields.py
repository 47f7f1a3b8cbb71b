"""What every export derives from one stored incident: ACLED and UCDP codes, deaths, actors.

An incident row is a mapping with the ``incidents`` table's columns (``summary`` decoded or as
JSON text) plus, when the export query found them, ``admin1`` and ``place_feature`` of the
incident's place. :func:`facts` turns it into an :class:`IncidentFacts`; the writers format
that. Pure functions: the same row gives the same facts.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from overhorizon.geo.precision import acled_geo_precision, ucdp_where_prec
from overhorizon.nlp.lexicon import country_name

#: ACLED event type -> ACLED disorder type; any other non-empty type is a strategic development.
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: Our date precision -> ACLED time_precision (1 the day, 2 the week, 3 the month or wider).
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


@dataclass(frozen=True, slots=True)
class Written:
    """What a writer wrote: incidents, and how many of them had no coordinates."""

    incidents: int = 0
    without_coordinates: int = 0


@dataclass(frozen=True, slots=True)
class Deaths:
    """Killed in an incident, summed over its victim groups: ``low`` <= ``best`` <= ``high``."""

    low: int
    best: int
    high: int


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """One incident as the exports see it: stored fields plus the codes derived from them.

    Dates are ISO ``YYYY-MM-DD``; ``country`` is ISO 3166-1 alpha-3 and ``country_name`` its
    GeoNames name; ``lat``/``lon`` are WGS84 degrees (None when the incident has no place).
    ``outlets`` are the independent sources' names; ``perpetrator``/``target`` the actor the
    claims name most often in that role (None when none does).
    """

    id: str
    type: str
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    disorder_type: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    time_precision: int | None
    place: str | None
    admin1: str | None
    country: str | None
    country_name: str | None
    lat: float | None
    lon: float | None
    place_precision: int | None
    geo_precision: int | None
    where_prec: int | None
    perpetrator: str | None
    target: str | None
    outlets: tuple[str, ...]
    deaths: Deaths
    reports: int
    articles: int
    sources: int
    contradictions: int
    grade: str
    grade_reason: str

    @property
    def fatalities(self) -> int:
        """ACLED's single figure: the best estimate of the killed, 0 when nobody gave one."""
        return self.deaths.best

    @property
    def has_point(self) -> bool:
        """Whether the incident has usable coordinates."""
        return self.lat is not None and self.lon is not None


def summary_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's ``summary`` as a dict (decoded when it is still JSON text)."""
    value = row.get("summary")
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return dict(value) if isinstance(value, Mapping) else {}


def facts(row: Mapping[str, Any]) -> IncidentFacts:
    """Derive what the exports need from one incident row."""
    summary = summary_of(row)
    claims = [c for c in summary.get("claims", []) if isinstance(c, Mapping)]
    lat, lon = point(row) or (None, None)
    place_precision = _int_or_none(row.get("place_precision")) if lat is not None else None
    country = row.get("country") or None
    acled_type = row.get("acled_event_type") or None
    start, end = row.get("date_start") or None, row.get("date_end") or None
    return IncidentFacts(
        id=str(row["id"]),
        type=str(row.get("type") or ""),
        mode=row.get("mode") or None,
        acled_event_type=acled_type,
        acled_sub_event_type=row.get("acled_sub_event_type") or None,
        disorder_type=disorder_type(acled_type),
        date_start=start,
        date_end=end,
        date_precision=row.get("date_precision") or None,
        time_precision=time_precision(row.get("date_precision"), start, end),
        place=row.get("place") or None,
        admin1=row.get("admin1") or None,
        country=country,
        country_name=country_name(country),
        lat=lat,
        lon=lon,
        place_precision=place_precision,
        geo_precision=acled_geo_precision(place_precision),
        where_prec=ucdp_where_prec(row.get("place_feature"), place_precision),
        perpetrator=_most_named(claims, "perpetrator"),
        target=_most_named(claims, "target"),
        outlets=outlet_names(summary),
        deaths=deaths(summary),
        reports=int(row.get("reports") or 0),
        articles=int(row.get("articles") or 0),
        sources=int(row.get("sources") or 0),
        contradictions=int(row.get("contradictions") or 0),
        grade=str(row.get("grade") or ""),
        grade_reason=str(row.get("grade_reason") or ""),
    )


def point(row: Mapping[str, Any]) -> tuple[float, float] | None:
    """The row's (lat, lon) in WGS84 degrees; None when either is missing, not finite or out
    of range."""
    lat, lon = _coordinate(row.get("lat"), 90.0), _coordinate(row.get("lon"), 180.0)
    return None if lat is None or lon is None else (lat, lon)


def disorder_type(acled_event_type: str | None) -> str | None:
    """ACLED's disorder type for an ACLED event type; None when the incident has none."""
    if not acled_event_type:
        return None
    return DISORDER.get(acled_event_type, "Strategic developments")


def time_precision(precision: str | None, start: str | None, end: str | None) -> int | None:
    """ACLED's time_precision: 1 the day is known, 2 the week, 3 the month or wider.

    From our date precision (``day``, ``week``, ``month``, ``year``; a ``range`` by its
    length), never finer than the span from ``start`` to ``end`` allows: an incident whose
    reports give two different days is not known to the day. None when there is no date.
    """
    if not start:
        return None
    try:
        span = (date.fromisoformat(end or start) - date.fromisoformat(start)).days
    except ValueError:
        return 3
    by_span = 1 if span <= 0 else 2 if span <= 6 else 3
    return max(_TIME_PRECISION.get(precision or "", 1), by_span)


def deaths(summary: Mapping[str, Any]) -> Deaths:
    """Killed, summed over the victim groups that are not part of another group.

    A missing ``low`` or ``high`` counts as the group's ``best`` (and a missing ``best`` as the
    ``low``); no casualty groups at all gives 0, 0, 0.
    """
    low = best = high = 0
    for group in summary.get("casualties", []):
        if not isinstance(group, Mapping) or group.get("part_of"):
            continue
        killed = group.get("killed")
        if not isinstance(killed, Mapping):
            continue
        g_best = _int_or_none(killed.get("best"))
        g_low = _int_or_none(killed.get("low"))
        g_high = _int_or_none(killed.get("high"))
        if g_best is None:
            g_best = g_low if g_low is not None else g_high
        if g_best is None:
            continue
        low += g_low if g_low is not None else g_best
        best += g_best
        high += g_high if g_high is not None else g_best
    return Deaths(min(low, best), best, max(high, best))


def outlet_names(summary: Mapping[str, Any]) -> tuple[str, ...]:
    """The independent sources as outlet names, spelt as the articles spell them when known."""
    spelt: dict[str, str] = {}
    for c in summary.get("claims", []):
        outlet = c.get("outlet") if isinstance(c, Mapping) else None
        if outlet:
            spelt.setdefault("outlet:" + str(outlet).lower(), str(outlet))
    out = []
    for source in summary.get("sources", []):
        key = str(source)
        out.append(spelt.get(key, key.removeprefix("outlet:")))
    return tuple(out)


def _most_named(claims: list[Mapping[str, Any]], key: str) -> str | None:
    """The name the non-negated claims give most often under ``key`` (earliest on a tie)."""
    names = Counter(str(c[key]).strip() for c in claims if c.get(key) and not c.get("negated"))
    names.pop("", None)
    if not names:
        return None
    return names.most_common(1)[0][0]


def _coordinate(value: Any, limit: float) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) and -limit <= f <= limit else None


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
