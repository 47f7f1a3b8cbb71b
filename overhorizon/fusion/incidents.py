"""From clusters of reports to incidents: ids that last, headline fields, and the trail.

:func:`carry_ids` gives each cluster the id of the stored incident it shares most reports with
(so a bookmark or an alert keeps pointing at the same happening); :func:`assemble` makes one
:class:`~overhorizon.records.Incident` of a cluster: its type, ACLED type and mode by vote of its
reports, its dates from the most precise of them, its place from the most precise and most
named, and its trail (claims, contradictions, casualty ranges, aggregate figures as context,
sources, grade, links) from :func:`~overhorizon.fusion.claims.assess`; its deaths are the
trail's :meth:`~overhorizon.records.IncidentTrail.killed` (aggregate figures never, overlapping
groups once). Pure functions: the store reads their inputs and
writes their outputs.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from overhorizon.fusion.claims import BEST_RULE, assess
from overhorizon.fusion.cluster import Cluster
from overhorizon.fusion.independence import SourceMap
from overhorizon.fusion.reports import Report
from overhorizon.fusion.stories import with_stories
from overhorizon.records import (
    ArticleInput,
    Event,
    Incident,
    IncidentTrail,
    Link,
    Place,
    precision_rank,
)


@dataclass(frozen=True, slots=True)
class Fused:
    """An incident as fusion made it, with the texts full-text search reads for it (its
    place, its articles' titles and report sentences, the names in its claims, its types)."""

    incident: Incident
    texts: list[str]


def incident_id(first_key: str) -> str:
    """A new incident's id: ``i-`` and 16 hex digits of the sha256 of its first report's key."""
    return "i-" + hashlib.sha256(first_key.encode()).hexdigest()[:16]


def carry_ids(
    clusters: Sequence[Sequence[str]],
    before: Mapping[str, str],
    reserved: Iterable[str] = (),
) -> list[str]:
    """Ids for ``clusters`` (each a list of report keys, first key first) that an incident
    keeps across fusions: each cluster takes the id of the stored incident it shares most
    reports with (``before``: report key -> incident id), each old id going to one cluster
    only, the largest overlap first; a cluster sharing none gets :func:`incident_id` of its
    first key, never one of ``reserved`` (the ids of incidents left as they are). So a
    bookmark, an alert or an export row keeps pointing at the same happening when later
    reports join it, and a split leaves the old id with the larger part."""
    overlaps = []
    for i, keys in enumerate(clusters):
        shared = Counter(before[k] for k in keys if k in before)
        overlaps += [(-n, old, keys[0] if keys else "", i) for old, n in shared.items()]
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set(reserved)
    for _n, old, _first, i in sorted(overlaps):
        if ids[i] is None and old not in taken:
            ids[i] = old
            taken.add(old)
    out = []
    for i, keys in enumerate(clusters):
        iid = ids[i]
        if iid is None:
            iid, n = incident_id(keys[0]), 1
            while iid in taken:  # the id of an old incident another cluster carries on
                n += 1
                iid = incident_id(f"{keys[0]}#{n}")
            taken.add(iid)
        out.append(iid)
    return out


def reports_of(inputs: Iterable[ArticleInput]) -> list[Report]:
    """Every event of the articles as a fusion report, in key order, each knowing its
    article's story (:func:`overhorizon.fusion.stories.with_stories`)."""
    return with_stories(art.extraction for art in inputs)


@dataclass(frozen=True, slots=True)
class _Member:
    report: Report
    event: Event
    place: Place | None
    title: str | None
    sentence: str


def _members(
    keys: Sequence[str], reports: Mapping[str, Report], inputs: Mapping[str, ArticleInput]
) -> list[_Member]:
    out = []
    for key in keys:
        report = reports.get(key)
        art = inputs.get(report.article_id) if report else None
        if report is None or art is None:
            continue
        ex = art.extraction
        event_id = key.split("/", 1)[1]
        event = next((e for e in ex.events if e.id == event_id), None)
        if event is None:
            continue
        place = next((p for p in ex.places if p.id == event.place), None) if event.place else None
        text = ex.article.text[event.evidence.start : event.evidence.end]
        out.append(_Member(report, event, place, ex.article.title, text))
    return out


def assemble(
    iid: str,
    cluster: Cluster,
    reports: Mapping[str, Report],
    inputs: Mapping[str, ArticleInput],
    registry: SourceMap | None = None,
) -> Fused:
    """One incident of ``cluster`` (``reports`` by key, ``inputs`` by article id), with its
    trail assessed; ``registry`` (the source registry's outlets) decides which sources are
    independent, without it each outlet is."""
    members = _members(cluster.keys, reports, inputs)
    events_of: dict[str, list[str]] = defaultdict(list)
    for key in [*cluster.keys, *cluster.attached]:
        article_id, event_id = key.split("/", 1)
        events_of[article_id].append(event_id)
    arts = [
        replace(inputs[a], events=tuple(sorted(evs)))
        for a, evs in sorted(events_of.items())
        if a in inputs
    ]
    found = assess(arts, registry)
    vote = Counter(
        (m.event.acled_event_type, m.event.acled_sub_event_type, m.event.mode) for m in members
    )
    # ties go to what the articles' main happenings say, then to a known mode
    mains = Counter(
        (m.event.acled_event_type, m.event.acled_sub_event_type, m.event.mode)
        for m in members
        if m.report.main
    )
    (acled_type, acled_sub, mode), _n = max(
        vote.items(),
        key=lambda kv: (kv[1], mains[kv[0]], kv[0][2] is not None, str(kv[0])),
    )
    columns = Counter(
        (e.disorder_type, e.civilian_targeting, e.inter1, e.inter2, e.interaction)
        for e in (m.event for m in members)
        if (e.acled_event_type, e.acled_sub_event_type, e.mode) == (acled_type, acled_sub, mode)
    )  # ACLED's columns of the winning type's events; the most complete on a tie
    disorder, civilian_targeting, inter1, inter2, interaction = max(
        columns.items(), key=lambda kv: (kv[1], sum(v is not None for v in kv[0]), str(kv[0]))
    )[0]
    dated = [m.event.date for m in members if m.event.date and m.event.date.start]
    precision: str | None
    date_start: str | None
    date_end: str | None
    if dated:
        best = min(precision_rank(d.precision or "range") for d in dated)
        sharp = [d for d in dated if precision_rank(d.precision or "range") == best]
        date_start = min(d.start for d in sharp if d.start)
        date_end = max(d.end or d.start or "" for d in sharp)
        precision = sharp[0].precision
    else:
        published = sorted(m.report.published for m in members if m.report.published)
        date_start = date_end = published[0] if published else None
        precision = "week" if published else None  # reported by then, within the week before
    placed = [m for m in members if m.report.lat is not None]
    place = country = None
    lat = lon = None
    place_precision = None
    if placed:
        names = Counter(m.place.name if m.place else None for m in placed)
        top = min(
            placed,
            key=lambda m: (
                m.report.precision or 3,
                -names[m.place.name if m.place else None],
                m.report.key,
            ),
        )
        place = top.place.name if top.place else None
        lat, lon, country = top.report.lat, top.report.lon, top.report.country
        place_precision = top.report.precision
    trail = IncidentTrail(
        reports=[m.report.key for m in members],
        claims_attached=list(cluster.attached),
        sources=found.sources,
        claims=found.claims,
        contradictions=found.contradictions,
        casualties=found.casualties,
        casualty_rule=BEST_RULE,
        independence=[g for g in found.independent if g.why],
        links=[Link(a, b, round(s, 3), why) for a, b, s, why in cluster.links],
        context=found.context,
    )
    killed = trail.killed()
    incident = Incident(
        id=iid,
        type=members[0].report.type,
        mode=mode,
        acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
        disorder_type=disorder,
        civilian_targeting=civilian_targeting,
        inter1=inter1,
        inter2=inter2,
        interaction=interaction,
        date_start=date_start,
        date_end=date_end,
        date_precision=precision,
        place=place,
        lat=lat,
        lon=lon,
        country=country,
        place_precision=place_precision,
        reports=len(members),
        articles=len({m.report.article_id for m in members}),
        sources=len(found.independent),
        contradictions=len(found.contradictions),
        grade=found.grade,
        grade_reason=found.grade_reason,
        deaths=killed.best if killed is not None else None,
        summary=trail,
    )
    texts = [
        *(t for t in (place,) if t),
        *(m.title for m in members if m.title),
        *(m.sentence for m in members),
        *(n for c in found.claims for n in (c.speaker, c.via, c.outlet, c.perpetrator) if n),
        *(t for t in (mode, acled_type, acled_sub) if t),
    ]
    return Fused(incident, texts)
