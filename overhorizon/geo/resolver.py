"""Place resolution: toponyms of one article to gazetteer entries, ranked by context.

Candidates come from the offline gazetteer by name and spelling variant. Each is scored by a
prior (countries and provinces before towns of the same name, then population) and by the
article's context: countries it names or whose places it names, provinces it names, and the
other places it resolves (a town near them beats a namesake across the world). A name with
no candidate, or whose best candidate has too little support, resolves to nothing: a clear
null is better than a confident wrong guess.

Precision codes (RECORDS.md, ACLED-style): 1 the exact town, 2 a district or near a town
("near", "outside", "north of" lower a town to 2), 3 a province, region or country.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from overhorizon.geo.gazetteer import haversine_km

# The kinds a gazetteer candidate can have, and the precision each gives.
PRECISION = {
    "city": 1,
    "site": 1,
    "admin2": 2,
    "admin1": 3,
    "country": 3,
    "region": 3,
    "sea": 3,
}
# Kinds that name an area, not a point: they set the scene and anchor no distances.
_AREAS = frozenset({"country", "admin1", "region", "sea"})
_NEAR_WORDS = {
    "near",
    "outside",
    "around",
    "nearby",
    "close",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "outskirts",
    "km",
    "kilometres",
    "kilometers",
    "miles",
}
_MIN_SCORE = 0.5


class GazetteerLike(Protocol):
    def candidates(
        self, name: str, *, country: str | None = None, limit: int = 20
    ) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name in the text: offsets, the words before it, whether it is hedged."""

    text: str
    start: int
    end: int
    near: bool = False
    #: The article's dateline ("WASHINGTON —"): a town, so towns of the name are preferred.
    dateline: bool = False
    #: Followed by "state", "province", "governorate" ("Washington state"): an admin area.
    area: bool = False
    #: A demonym or an organisation's seat ("Russian jets", "a London-based monitor"): it names
    #: a country without placing anything there, so it weighs as little as an actor's country.
    hint: bool = False


@dataclass(slots=True)
class Resolution:
    """A toponym and the gazetteer entry it resolved to (None when nothing fits)."""

    toponym: Toponym
    candidate: Any | None
    score: float
    precision: int | None
    alternatives: list[Any] = field(default_factory=list)


def _prior(c: Any, rank: int = 0) -> float:
    """The gazetteer's own order (countries, then a town over the province it names, then
    provinces, towns, districts; population within each) as a score, plus population and
    prominence (how many names the place goes by: Geneva, Switzerland has dozens in many
    languages, Geneva, Illinois a handful)."""
    population = max(0, int(getattr(c, "population", 0) or 0))
    names = max(0, int(getattr(c, "names_count", 0) or 0))
    score = 2.0 - 0.35 * rank + 0.3 * math.log10(1 + population)
    if c.kind == "city":
        score += 0.5 * math.log10(1 + names)
    if getattr(c, "matched", None) == "alternate":
        score -= 1.0  # "Kabul" is Cabool, Missouri only by an alternate spelling
    return score


def _major(c: Any) -> bool:
    """A place news names from anywhere: a country, a province, or a large or prominent city.
    Lying outside the article's countries costs it less ("talks in Geneva" in a US story)."""
    if c.kind != "city":
        return c.kind in _AREAS
    population = int(getattr(c, "population", 0) or 0)
    return population >= MAJOR_POPULATION or int(getattr(c, "names_count", 0) or 0) >= 30


#: A city at least this large is major (see ``_major``).
MAJOR_POPULATION = 100_000
# What lies between a place and the admin area or country named beside it:
# "Madaya, Rif Dimashq", "Madaya, in Rif Dimashq", "Moscow, Idaho", "Atlanta (Georgia)".
_BESIDE = frozenset({",", ", in", "in", "(", ", (", ", a town in", ", a city in", ", the"})


def beside(text: str, first: Toponym, second: Toponym) -> bool:
    """Whether ``second`` is named right after ``first`` as the area it lies in."""
    if second.start < first.end or second.start - first.end > 14:
        return False
    between = " ".join(text[first.end : second.start].split()).lower()
    return between in _BESIDE


class Resolver:
    """Resolve the toponyms of one article against a gazetteer."""

    def __init__(self, gazetteer: GazetteerLike) -> None:
        self.gazetteer = gazetteer

    def resolve(
        self,
        toponyms: Iterable[Toponym],
        *,
        context_countries: Iterable[str] = (),
        text: str = "",
    ) -> list[Resolution]:
        """Resolve every toponym; countries and provinces first, then towns in their light.

        ``text`` (the article) lets a place take the reading that the area named beside it
        allows ("Madaya, in Rif Dimashq"; "Moscow, Idaho"). A country's name is the country
        unless such an area says otherwise ("Russia, Ohio"). Each name gets one reading
        across the article.
        """
        items = list(toponyms)
        by_name: dict[str, list[Any]] = {}
        for t in items:
            if t.text not in by_name:
                by_name[t.text] = _own_names_first(self.gazetteer.candidates(t.text, limit=25))
        # names only ever read as demonyms or seats set no scene: "Russian jets struck Ariha"
        hints = {t.text for t in items if t.hint} - {t.text for t in items if not t.hint}
        for t in items:  # a dateline names a town: Washington the city, not the state
            if t.dateline:
                towns = [c for c in by_name[t.text] if c.kind == "city"]
                by_name[t.text] = towns or by_name[t.text]
            elif t.area:  # "Washington state", "Idlib province"
                areas = [c for c in by_name[t.text] if c.kind in ("admin1", "admin2")]
                by_name[t.text] = areas or by_name[t.text]
        # Countries named as actors are weak hints ("US drone strike in Kabul"); places weigh 1.
        countries: dict[str, float] = {c: 0.3 for c in context_countries if c}
        admin1: set[tuple[str | None, str | None]] = set()
        settled: dict[str, Any] = self._beside(items, by_name, text) if text else {}
        # "US", "U.S." and "the United States" are one country: each place counts once
        counted: set[int] = set()
        # Pass 1: names whose best reading is a country or a province set the scene; a
        # country's own name is the country ("Russia" is not Russia, Ohio without "Ohio").
        for name, cands in by_name.items():
            ambiguous = any(c.kind != cands[0].kind for c in cands[1:3]) if cands else True
            curated = bool(cands) and cands[0].kind in {"region", "sea", "country"}
            weight = 0.3 if name in hints else 1.0
            if name in settled:
                best = settled[name]
                if best.country and _first_time(best, counted):
                    countries[best.country] = countries.get(best.country, 0) + weight
                if best.kind == "admin1":
                    admin1.add((best.country, best.name))
                continue
            if cands and cands[0].kind in _AREAS and (curated or not ambiguous):
                best = cands[0]
                if best.kind == "country":  # "Atlanta, ... Georgia": the state holds a place
                    best = _holding(cands, best, by_name, name) or best
                settled[name] = best
                if best.country and _first_time(best, counted):
                    countries[best.country] = countries.get(best.country, 0) + weight
                if best.kind == "admin1":
                    admin1.add((best.country, best.name))
        # Pass 2: everything else, scored by context; then once more with the places found.
        fixed = set(settled)
        for _ in range(2):
            for name, cands in by_name.items():
                if name in fixed:
                    continue
                others = [c for n, c in settled.items() if n != name]
                best, score = self._best(cands, countries, admin1, others)
                if best is not None and score >= _MIN_SCORE:
                    settled[name] = best
            for n, c in settled.items():
                if c.country and n not in hints:
                    countries[c.country] = max(countries.get(c.country, 0), 1.0)
        out = []
        for t in items:
            cand = settled.get(t.text)
            precision = None
            if cand is not None:
                precision = PRECISION.get(cand.kind, 3)
                if t.near and precision == 1:
                    precision = 2
            others = [c for n, c in settled.items() if n != t.text]
            score = self._score(cand, countries, admin1, others) if cand is not None else 0.0
            alternatives = [c for c in by_name[t.text][:5] if c is not cand]
            out.append(Resolution(t, cand, round(score, 3), precision, alternatives))
        return out

    @staticmethod
    def _beside(items: list[Toponym], by_name: dict[str, list[Any]], text: str) -> dict[str, Any]:
        """Readings fixed by an area named beside a place: the place's candidate that lies in
        that area, and the area's candidate that holds it ("Atlanta, Georgia": the state)."""
        fixed: dict[str, Any] = {}
        ordered = sorted(items, key=lambda t: t.start)
        for first, second in itertools.pairwise(ordered):
            if first.text == second.text or not beside(text, first, second):
                continue
            own = by_name.get(first.text, [])
            own_kind = own[0].kind if own else None
            for area in by_name.get(second.text, []):
                if area.kind not in ("admin1", "admin2", "country"):
                    continue
                if own_kind == "admin1" or (own_kind == "country" and area.kind == "country"):
                    break  # a list of countries or provinces: "Mexico, the US and Canada"
                inside = [
                    c
                    for c in by_name.get(first.text, [])
                    if c is not area
                    and c.country == area.country
                    and (area.kind == "country" or _admin_name(c, area.kind) == area.name)
                ]
                if inside:
                    fixed.setdefault(first.text, inside[0])
                    fixed.setdefault(second.text, area)
                    break
        return fixed

    def _best(
        self,
        cands: list[Any],
        countries: dict[str, float],
        admin1: set[tuple[str | None, str | None]],
        anchors: list[Any],
    ) -> tuple[Any | None, float]:
        best, best_score = None, -1.0
        for rank, c in enumerate(cands):
            s = self._score(c, countries, admin1, anchors, rank)
            if s > best_score:
                best, best_score = c, s
        return best, best_score

    @staticmethod
    def _score(
        c: Any,
        countries: dict[str, float],
        admin1: set[tuple[str | None, str | None]],
        anchors: list[Any],
        rank: int = 0,
    ) -> float:
        score = _prior(c, rank)
        weight = countries.get(c.country or "", 0.0)
        score += 1.0 * min(weight, 1.0) + 0.2 * max(0.0, min(weight, 5.0) - 1.0)
        if c.kind in _AREAS - {"country", "admin1"}:
            pass  # a region or sea spans countries: the article's being elsewhere says nothing
        elif weight < 1.0 and any(w >= 1.0 for w in countries.values()):
            # the article's places are elsewhere; a story over several countries is an
            # international one, where a famous city abroad needs no excuse ("talks in Geneva")
            several = sum(w >= 1.0 for w in countries.values()) >= 3
            score -= (0.0 if several else 0.3) if _major(c) else 1.0
        if (c.country, getattr(c, "admin1", None)) in admin1:
            score += 1.0
        near = [
            a
            for a in anchors
            if a is not c
            and a.kind not in _AREAS
            and haversine_km(a.lat, a.lon, c.lat, c.lon) < 300
        ]
        score += 0.5 * min(len(near), 3)
        return score


def _first_time(c: Any, counted: set[int]) -> bool:
    """Whether the place ``c`` is counted for the first time (and mark it counted)."""
    key = int(c.geonameid)
    if key in counted:
        return False
    counted.add(key)
    return True


def _own_names_first(cands: list[Any]) -> list[Any]:
    """Drop towns that bear a name only as an alternate one when another town bears it as its
    own: English news writes "Ariha" for Ariha, Idlib, and "Jericho" for the town whose Arabic
    name is Ariha. A large city keeps its exonyms ("Bombay", "Peking")."""
    own = any(c.kind == "city" and c.matched in ("primary", "ascii") for c in cands)
    if not own:
        return cands
    return [
        c
        for c in cands
        if c.kind != "city"
        or c.matched in ("primary", "ascii")
        or int(getattr(c, "population", 0) or 0) >= MAJOR_POPULATION
    ]


def _holding(
    cands: list[Any], country: Any, by_name: dict[str, list[Any]], name: str
) -> Any | None:
    """The province of another country named like ``country`` that holds the likeliest
    reading of another place the article names ("Georgia" beside "Atlanta"), or None."""
    for area in cands:
        if area.kind != "admin1" or area.country == country.country:
            continue
        for other, readings in by_name.items():
            top = readings[0] if other != name and readings else None
            if (
                top is not None
                and top.kind == "city"
                and top.country == area.country
                and top.admin1 == area.name
            ):
                return area
    return None


def _admin_name(c: Any, kind: str) -> str | None:
    return getattr(c, "admin1", None) if kind == "admin1" else getattr(c, "admin2", None)


_AREA_WORDS = re.compile(
    r"\s+(?:state|province|governorate|county|district|oblast)\b", re.IGNORECASE
)


def area_word(text: str, end: int) -> bool:
    """Whether the words right after a place name say it is an admin area ("Idlib province")."""
    return _AREA_WORDS.match(text, end) is not None


def hedged(words_before: str) -> bool:
    """True when the words just before a place name say the event was near it, not in it."""
    tail = words_before.lower().replace(",", " ").split()[-3:]
    return any(w in _NEAR_WORDS for w in tail)
