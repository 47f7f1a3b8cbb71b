"""What every export derives from one stored incident: ACLED and UCDP codes, deaths, actors.

An export reads :class:`ExportItem` values: a typed :class:`~overhorizon.records.Incident`
with its trail, plus ``admin1`` and ``place_feature`` of the incident's place when the export
query found them. :func:`facts` turns one into an :class:`IncidentFacts`; the writers format
that. Pure functions: the same item gives the same facts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from overhorizon.geo.precision import acled_geo_precision, ucdp_where_prec
from overhorizon.nlp.lexicon import country_name
from overhorizon.records import Claim, Count, Incident, IncidentTrail

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
class ExportItem:
    """One incident to export (with its trail in ``summary``), and the first-level area and
    GeoNames feature of its place when known."""

    incident: Incident
    admin1: str | None = None
    place_feature: str | None = None


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
    civilian_targeting: str | None
    inter1: int | None
    inter2: int | None
    interaction: int | None
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
    deaths: Count
    reports: int
    articles: int
    sources: int
    contradictions: int
    grade: str
    grade_reason: str

    @property
    def fatalities(self) -> int:
        """ACLED's single figure: the best estimate of the killed, 0 when nobody gave one."""
        return self.deaths.best or 0

    @property
    def has_point(self) -> bool:
        """Whether the incident has usable coordinates."""
        return self.lat is not None and self.lon is not None


def facts(item: ExportItem) -> IncidentFacts:
    """Derive what the exports need from one incident."""
    inc = item.incident
    trail = inc.summary or IncidentTrail()
    claims = trail.claims
    lat, lon = point(inc) or (None, None)
    place_precision = inc.place_precision if lat is not None else None
    country = inc.country or None
    acled_type = inc.acled_event_type or None
    start, end = inc.date_start or None, inc.date_end or None
    return IncidentFacts(
        id=inc.id,
        type=inc.type or "",
        mode=inc.mode or None,
        acled_event_type=acled_type,
        acled_sub_event_type=inc.acled_sub_event_type or None,
        disorder_type=inc.disorder_type or disorder_type(acled_type),
        civilian_targeting=inc.civilian_targeting or None,
        inter1=inc.inter1,
        inter2=inc.inter2,
        interaction=inc.interaction,
        date_start=start,
        date_end=end,
        date_precision=inc.date_precision or None,
        time_precision=time_precision(inc.date_precision, start, end),
        place=inc.place or None,
        admin1=item.admin1 or None,
        country=country,
        country_name=country_name(country),
        lat=lat,
        lon=lon,
        place_precision=place_precision,
        geo_precision=acled_geo_precision(place_precision),
        where_prec=ucdp_where_prec(item.place_feature, place_precision),
        perpetrator=_most_named(claims, "perpetrator"),
        target=_most_named(claims, "target"),
        outlets=tuple(trail.source_names),
        deaths=deaths(trail),
        reports=inc.reports,
        articles=inc.articles,
        sources=inc.sources,
        contradictions=inc.contradictions,
        grade=inc.grade,
        grade_reason=inc.grade_reason,
    )


def point(incident: Incident) -> tuple[float, float] | None:
    """The incident's (lat, lon) in WGS84 degrees; None when either is missing, not finite or
    out of range."""
    lat, lon = _coordinate(incident.lat, 90.0), _coordinate(incident.lon, 180.0)
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


def deaths(trail: IncidentTrail) -> Count:
    """Killed, summed over the incident's victim groups (:meth:`IncidentTrail.killed`: a group
    that overlaps a more specific one once, aggregate figures never); no casualty groups at
    all gives 0, 0, 0."""
    return trail.killed() or Count(0, 0, 0)


def _most_named(claims: Iterable[Claim], role: str) -> str | None:
    """The name the non-negated claims give most often as ``role`` (perpetrator or target;
    earliest on a tie)."""
    names = Counter(
        name.strip()
        for c in claims
        if not c.negated and (name := c.perpetrator if role == "perpetrator" else c.target)
    )
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
