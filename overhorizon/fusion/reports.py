"""A report: one event of one article, with what fusion compares, and how two compare.

A :class:`Report` carries the event's type and mode, when (the event's own date, else the
article's publication date as an upper bound), where (the event's place and the precision of
that reading), who (source and target actors, as names and country/sector keys), the casualty
figures, the words of its sentence, and its source (the article's canonical copy and outlet).

:func:`compare` scores a pair of reports from those signals and keeps the reasons in words; a
*veto* says two reports cannot be one happening (different types, exact dates days apart,
precise places far apart). Everything here is pure: the same two reports always compare the
same way, whatever else is in the store, which is what makes fusion independent of input order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from overhorizon.geo.gazetteer import haversine_km
from overhorizon.records import Extraction

#: How far back from its publication date an undated event may lie, in days.
UNDATED_DAYS = 7
#: Exact dates further apart than this (days) cannot be the same happening.
DATE_SLACK_DAYS = 1
#: Kilometres within which two places may be the same location, by the looser precision.
PLACE_KM = {1: 25.0, 2: 60.0, 3: 400.0}
#: Kinds of event that make incidents.
HAPPENING = frozenset({"asserted", "reported"})
#: A report of something that ended more than this many days before its article was
#: published is history the article recalls ("the 2001 invasion"), not news of a happening.
HISTORY_DAYS = 60
#: Added to the score of two articles' main happenings told as one story
#: (:mod:`overhorizon.fusion.stories`), and taken off when their stories differ.
SAME_STORY = 3.0
OTHER_STORY = 1.0
#: Added to two reports of one sentence: one sentence seldom tells two happenings without
#: saying they differ (a date or a place, which veto).
SAME_SENTENCE = 1.5
#: Added to two reports of one article that give the same toll.
SAME_ARTICLE_TOLL = 1.0

# Modes that one happening is often reported with: a suicide bombing is also "explosions", a
# drone strike also "a missile"; modes of different families count against a match.
_FAMILY = {
    **dict.fromkeys(("explosives", "suicide-attack", "grenade"), "blast"),
    **dict.fromkeys(("drone", "aerial", "heavy-weapons"), "remote"),
    **dict.fromkeys(("firearms", "clash", "territory", "assassinate", "execute"), "armed"),
    **dict.fromkeys(("beat", "torture", "abduct", "sexual", "mob", "crackdown"), "assault"),
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")
# Words too common in conflict reporting to say which happening a sentence is about.
_COMMON_WORDS = (
    "a about after against also an and are as at be been being but by can could did do does "
    "during for from had has have he her his if in into is it its killed least more most near "
    "not of on one or other our out over said says she some than that the their them then "
    "there these they this those through to told two under up us was we were what when where "
    "which while who will with would official officials people reported report reports "
    "according attack attacks strike strikes wounded injured dead died killing including "
    "since last week day days monday tuesday wednesday thursday friday saturday sunday "
    "yesterday today morning night"
)
_COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True, slots=True)
class Report:
    """One event of one article, as fusion sees it.

    ``key`` is ``article_id/event_id``; ``start``/``end`` ISO dates of when it happened
    (``exact`` when the text gave the day; else the window before publication); ``lat``/``lon``
    and ``precision`` of its place (None when it has none); ``actors`` lower-case keys of who
    acted or was acted on (names, and "country:sector"); ``killed`` best figures by victim
    group; ``words`` the distinctive words of its sentence and the article's title; ``source``
    the independent source it counts as (canonical article's outlet); ``published`` the
    article's date.
    """

    key: str
    article_id: str
    type: str
    mode: str | None
    start: str | None
    end: str | None
    exact: bool
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    country: str | None = None
    actors: frozenset[str] = frozenset()
    killed: tuple[tuple[str, int], ...] = ()
    words: frozenset[str] = frozenset()
    source: str = ""
    published: str | None = None
    polarity: str = "positive"
    modality: str = "asserted"
    #: Distinctive words of the article's title and lead (:func:`lead_words`).
    lead: frozenset[str] = frozenset()
    #: The text dated it, at any precision ("in 2014"); ``exact`` is a day.
    dated: bool = False
    #: Where its sentence starts in the article's text (characters).
    position: int = 0
    #: Whether it is its article's main happening
    #: (:func:`overhorizon.fusion.stories.with_stories`).
    main: bool = False
    #: The story its article tells (:func:`overhorizon.fusion.stories.story_labels`); None
    #: before stories are known.
    story: str | None = None


def ordinal(day: str | None) -> int:
    """The proleptic ordinal of an ISO date (0 for none)."""
    return date.fromisoformat(day).toordinal() if day else 0


def recalled(report: Report) -> bool:
    """Whether the report's dates end more than ``HISTORY_DAYS`` before its publication."""
    if not (report.dated and report.end and report.published):
        return False
    return ordinal(report.published[:10]) - ordinal(report.end) > HISTORY_DAYS


def eligible(report: Report) -> bool:
    """Whether the report is news of a happening: positive, asserted or reported, and not
    history recalled (see :func:`recalled`)."""
    return report.polarity == "positive" and report.modality in HAPPENING and not recalled(report)


def main_report(reports: Sequence[Report], title: str | None) -> Report | None:
    """An article's main happening among its reports: of the eligible ones, the one whose
    sentence shares most distinctive words with the title, the earliest on a tie (the lead
    tells the news first); None when none is eligible."""
    heading = distinctive_words(title or "")
    return min(
        (r for r in reports if eligible(r)),
        key=lambda r: (-len(r.words & heading), r.position, r.key),
        default=None,
    )


#: Characters of an article's text read for its lead, after the title.
LEAD_CHARS = 400


def lead_words(title: str | None, text: str) -> frozenset[str]:
    """The distinctive words of an article's title and first ``LEAD_CHARS`` characters: what
    the whole report is about, which a single sentence may not say."""
    return distinctive_words(f"{title or ''} {text[:LEAD_CHARS]}")


@dataclass(slots=True)
class Comparison:
    """How two reports compare: a score (higher is likelier one happening), the reasons in
    words, and a veto when they cannot be one happening."""

    score: float
    reasons: list[str] = field(default_factory=list)
    veto: str | None = None


def distinctive_words(text: str) -> frozenset[str]:
    """The words of ``text`` that can tell one happening from another: lower-cased, without
    common reporting words; numbers are kept ("13", "169")."""
    return frozenset(
        w.lower() for w in _WORD.findall(text) if w.lower() not in _COMMON and len(w) > 2
    )


def window(
    start: str | None, end: str | None, published: str | None
) -> tuple[str | None, str | None, bool]:
    """The date range of an event: its own when the text gave one (exact), else the week
    before publication (not exact), else unknown."""
    if start:
        return start, end or start, True
    if published:
        day = date.fromisoformat(published[:10])
        return (day - timedelta(days=UNDATED_DAYS)).isoformat(), day.isoformat(), False
    return None, None, False


def _days_apart(a: Report, b: Report) -> int | None:
    """Days between the two ranges (0 when they overlap); None when either is unknown."""
    if not (a.start and a.end and b.start and b.end):
        return None
    a0, a1 = date.fromisoformat(a.start), date.fromisoformat(a.end)
    b0, b1 = date.fromisoformat(b.start), date.fromisoformat(b.end)
    if a1 < b0:
        return (b0 - a1).days
    if b1 < a0:
        return (a0 - b1).days
    return 0


def compare(a: Report, b: Report) -> Comparison:
    """Score two reports as one happening; the reasons say what agreed and what did not."""
    told = a.main and b.main and a.story is not None and a.story == b.story
    if a.type != b.type and not (told and a.article_id != b.article_id):
        return Comparison(0.0, veto=f"types differ ({a.type}, {b.type})")
    out = Comparison(0.0, [f"both {a.type}" if a.type == b.type else f"{a.type} and {b.type}"])
    gap = _days_apart(a, b)
    if gap is not None:
        if a.exact and b.exact and gap > DATE_SLACK_DAYS:
            out.veto = f"dates {gap} days apart ({a.start}, {b.start})"
            return out
        if gap > UNDATED_DAYS:
            out.veto = f"dates {gap} days apart"
            return out
        if a.exact and b.exact:
            out.score += 1.0
            out.reasons.append(f"same date ({a.start})" if gap == 0 else f"dates {gap} day apart")
        elif gap == 0:
            out.score += 0.3
            out.reasons.append("dates compatible")
    if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
        loose = max(a.precision or 3, b.precision or 3)
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        if km > PLACE_KM.get(loose, 400.0):
            if loose <= 2 and not told:  # a story's reading of its place may be the error
                out.veto = f"places {km:.0f} km apart"
                return out
            out.score -= 1.0
            out.reasons.append(f"places {km:.0f} km apart")
        elif loose <= 2:
            out.score += 1.0
            out.reasons.append(f"same place ({km:.0f} km)")
        else:
            out.score += 0.3
            out.reasons.append("same area")
    elif a.country and b.country and a.country != b.country:
        out.score -= 1.0
        out.reasons.append(f"countries differ ({a.country}, {b.country})")
    if a.mode and b.mode:
        if a.mode == b.mode:
            out.score += 0.7
            out.reasons.append(f"same mode ({a.mode})")
        elif _FAMILY.get(a.mode, a.mode) == _FAMILY.get(b.mode, b.mode):
            out.score += 0.3
            out.reasons.append(f"related modes ({a.mode}, {b.mode})")
        else:
            out.score -= 0.3
            out.reasons.append(f"modes differ ({a.mode}, {b.mode})")
    shared_actors = a.actors & b.actors
    if shared_actors:
        out.score += min(0.8, 0.4 * len(shared_actors))
        out.reasons.append("same actors: " + ", ".join(sorted(shared_actors)[:3]))
    ka, kb = dict(a.killed), dict(b.killed)
    same_toll = sorted(g for g in ka.keys() & kb.keys() if ka[g] == kb[g] and ka[g] > 0)
    if same_toll:
        # one figure of one article is one happening's toll: two of its events that carry
        # the same figures are that happening told twice
        one = a.article_id == b.article_id
        out.score += 0.6 + (SAME_ARTICLE_TOLL if one else 0.0)
        said = ", ".join(f"{ka[g]} {g}" for g in same_toll)
        out.reasons.append(f"same toll in one article: {said}" if one else f"same toll: {said}")
    if a.main and b.main and a.article_id != b.article_id and a.story and b.story:
        if a.story == b.story:
            out.score += SAME_STORY
            out.reasons.append("main happenings of one story")
        else:
            out.score -= OTHER_STORY
            out.reasons.append("main happenings of different stories")
    if a.article_id == b.article_id and a.position == b.position:
        out.score += SAME_SENTENCE  # "a suicide bomber struck ... and gunmen then opened fire"
        out.reasons.append("one sentence")
    shared = a.words & b.words
    if len(shared) >= 2:  # one shared word says little ("returned")
        # short sentences count as if they had four words: two words of two are not "all"
        overlap = len(shared) / max(4, min(len(a.words), len(b.words)))
        out.score += 2.5 * overlap
        out.reasons.append(f"shared words ({overlap:.2f}): " + ", ".join(sorted(shared)[:6]))
    return out


def reports_from_extraction(ex: Extraction) -> list[Report]:
    """The reports of one article's extraction (the same values the store's loader builds)."""
    art = ex.article
    actor_keys: dict[str, set[str]] = {}
    for actor in ex.actors:
        keys = {actor.name.lower()}
        if actor.country and actor.sector:
            keys.add(f"{actor.country}:{actor.sector}".lower())
        actor_keys[actor.id] = keys
    places = {p.id: p for p in ex.places}
    killed: dict[str, dict[str, int]] = {}
    for c in ex.casualties:
        if c.event and c.part_of is None and c.killed is not None and c.killed.best is not None:
            got = killed.setdefault(c.event, {})
            got[c.group] = max(got.get(c.group, 0), c.killed.best)
    out = []
    lead = lead_words(art.title, art.text)
    for e in ex.events:
        d = e.date
        start, end, exact = window(d.start if d else None, d.end if d else None, art.published)
        who: set[str] = set()
        for actor_id in (e.source_actor, e.target_actor):
            if actor_id:
                who |= actor_keys.get(actor_id, set())
        place = places.get(e.place or "")
        out.append(
            Report(
                key=f"{art.id}/{e.id}",
                article_id=art.id,
                type=e.type,
                mode=e.mode,
                start=start,
                end=end,
                exact=exact and d is not None and d.precision == "day",
                dated=exact,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                precision=e.place_precision if place else None,
                country=place.country if place else None,
                actors=frozenset(who),
                killed=tuple(sorted(killed.get(e.id, {}).items())),
                words=distinctive_words(art.text[e.evidence.start : e.evidence.end]),
                source=art.near_duplicate_of or art.duplicate_of or art.id,
                published=art.published,
                polarity=e.polarity,
                modality=e.modality,
                lead=lead,
                position=e.evidence.start,
            )
        )
    return out
