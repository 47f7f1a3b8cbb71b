"""Fusing reports into incidents: which reports of events are one happening.

Reports of the same PLOVER type are compared pairwise within a sliding date window (sorted by
date, so the work grows with the number of reports times the reports per window, not with the
square of all of them), and so are the main happenings of one story
(:mod:`overhorizon.fusion.stories`), whatever their type. A pair whose comparison reaches
``EDGE`` is a candidate link; a vetoed pair (types, exact dates days apart, precise places far
apart) may never end up in one incident.
Links are taken strongest first, ties broken by the report keys (Kruskal's order): two groups
merge when no vetoed pair lies across them and their compared cross pairs score ``MERGE`` on
average. The result depends only on the set of reports and the manual decisions, never on the
order they arrived in.

Manual decisions (``overhorizon incidents merge|split``) are pairs of report keys: ``together``
links are taken first, whatever their score and the computed vetoes; ``apart`` pairs act as
vetoes on every link, manual ones included.

Only happenings make incidents: positive events that are asserted or reported, and not history
an article recalls (ending more than ``HISTORY_DAYS`` before publication: such a report joins,
as a claim, an incident it matches). Planned and hypothetical events make none. A negated
event makes none either; it is attached, as a claim, to the incident whose report it matches
best (at least ``EDGE``, no veto): "there had not been a second explosion".
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from overhorizon.fusion.reports import (
    DATE_SLACK_DAYS,
    HAPPENING,
    HISTORY_DAYS,
    UNDATED_DAYS,
    Report,
    compare,
    eligible,
    ordinal,
    recalled,
)

__all__ = ["HAPPENING", "HISTORY_DAYS", "Cluster", "eligible", "fuse", "recalled"]

#: A pair scoring at least this is a candidate link.
EDGE = 2.2
#: Two groups merge when their compared cross pairs score at least this on average.
MERGE = 1.2


@dataclass(slots=True)
class Cluster:
    """Reports fused into one incident, and the links that joined them (with reasons)."""

    keys: list[str]
    links: list[tuple[str, str, float, list[str]]] = field(default_factory=list)
    #: Reports that are claims about this happening without being one (a denial that it
    #: happened, "no civilians were killed"): attached to the incident they match best.
    attached: list[str] = field(default_factory=list)


#: A word shared by more reports of one type than this is too common to pair undated ones.
COMMON_WORD_REPORTS = 200


def candidate_pairs(reports: Sequence[Report]) -> Iterable[tuple[Report, Report]]:
    """Pairs of reports of one type whose date ranges lie within ``UNDATED_DAYS`` of each
    other, and the main happenings of one story (whatever their dates say: the story says they
    may be one; :func:`compare` still vetoes what cannot be). A report with no date at all
    (none in the text, an article without a publication date) is paired with the reports of
    its type that share one of its words used by at most ``COMMON_WORD_REPORTS`` of them, so
    that it costs a bounded number of comparisons. Each pair once."""
    for mates in story_mates(reports).values():
        for i, a in enumerate(mates):
            for b in mates[i + 1 :]:
                yield a, b

    def seen(a: Report, b: Report) -> bool:
        return a.main and b.main and a.story is not None and a.story == b.story

    by_type: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_type[r.type].append(r)
    slack = timedelta(days=UNDATED_DAYS).days
    for group in by_type.values():
        dated = sorted((r for r in group if r.start), key=lambda r: (ordinal(r.start), r.key))
        undated = sorted((r for r in group if not r.start), key=lambda r: r.key)
        starts = [ordinal(r.start) for r in dated]
        for i, a in enumerate(dated):
            last = bisect_right(starts, ordinal(a.end) + slack)
            for b in dated[i + 1 : last]:
                if not seen(a, b):
                    yield a, b
        if not undated:
            continue
        postings: dict[str, list[int]] = defaultdict(list)
        ordered = undated + dated
        for n, r in enumerate(ordered):
            for w in r.words | r.lead:
                postings[w].append(n)
        for i, a in enumerate(undated):
            partners: set[int] = set()
            for w in a.words | a.lead:
                hits = postings[w]
                if len(hits) <= COMMON_WORD_REPORTS:
                    partners.update(hits)
            for n in sorted(partners):
                if n > i and not seen(a, ordered[n]):  # each undated pair once
                    yield a, ordered[n]


def story_mates(reports: Iterable[Report]) -> dict[str, list[Report]]:
    """The main happenings of each story among ``reports``, in key order."""
    out: dict[str, list[Report]] = defaultdict(list)
    for r in sorted(reports, key=lambda r: r.key):
        if r.main and r.story is not None:
            out[r.story].append(r)
    return out


def fuse(
    reports: Iterable[Report],
    *,
    together: Iterable[tuple[str, str]] = (),
    apart: Iterable[tuple[str, str]] = (),
) -> list[Cluster]:
    """Group reports into incidents; clusters sorted by their first key, keys sorted."""
    everything = sorted(reports, key=lambda r: r.key)
    pool = [r for r in everything if eligible(r)]
    known = {r.key for r in pool}
    main = {r.key for r in pool if r.main}
    scores: dict[tuple[str, str], float] = {}  # plain floats: millions of pairs at scale
    reasons_of: dict[tuple[str, str], list[str]] = {}  # kept for links only
    vetoed: dict[str, set[str]] = defaultdict(set)
    edges: list[tuple[float, str, str]] = []
    # claims that are not happenings: their best match among happenings, (score, key)
    best_match: dict[str, tuple[float, str]] = {}
    for a, b in candidate_pairs(everything):
        if (a.key in known) != (b.key in known):
            claim, happening = (b, a) if a.key in known else (a, b)
            if claim.polarity != "negated" and not (
                recalled(claim) and claim.polarity == "positive"
            ):
                continue  # plans and hypotheses are not claims about what happened
            c = compare(claim, happening)
            if c.veto is None and c.score >= EDGE:
                offer = (c.score, happening.key)
                got = best_match.get(claim.key)
                if got is None or (offer[0], got[1]) > (got[0], offer[1]):
                    best_match[claim.key] = offer
            continue
        if a.key not in known:
            continue
        pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
        c = compare(a, b)
        if a.article_id == b.article_id and c.veto is None:
            c.score += 0.5
            c.reasons.append("same article")
        if c.veto is not None:
            vetoed[pair[0]].add(pair[1])
            vetoed[pair[1]].add(pair[0])
            continue
        scores[pair] = c.score
        if c.score >= EDGE:
            edges.append((-c.score, *pair))
            reasons_of[pair] = c.reasons
    by_hand: dict[str, set[str]] = defaultdict(set)  # manual "apart": binds manual merges too
    for x, y in apart:
        for table in (vetoed, by_hand):
            table[x].add(y)
            table[y].add(x)
    manual = sorted(
        (min(x, y), max(x, y)) for x, y in together if x in known and y in known and x != y
    )
    order = [(float("-inf"), x, y) for x, y in manual] + sorted(edges)

    parent = {k: k for k in known}
    members = {k: [k] for k in known}
    # Per cluster, the latest start and earliest end of its dated reports, and of its exactly
    # dated ones: two reports too far apart to be compared (no candidate pair) would be vetoed
    # by compare() all the same, so no chain of links may join them either.
    span: dict[str, tuple[int, int, int, int]] = {}
    for r in pool:
        if r.start and r.end:
            s0, e0 = ordinal(r.start), ordinal(r.end)
            span[r.key] = (s0, e0, s0, e0) if r.exact else (s0, e0, -(10**9), 10**9)
        else:
            span[r.key] = (-(10**9), 10**9, -(10**9), 10**9)
    links: dict[str, list[tuple[str, str, float, list[str]]]] = {k: [] for k in known}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for neg, x, y in order:
        rx, ry = root(x), root(y)
        if rx == ry:
            continue
        small, large = sorted((members[rx], members[ry]), key=len)
        large_set = set(large)
        is_manual = neg == float("-inf")
        if any((by_hand if is_manual else vetoed)[k] & large_set for k in small):
            continue  # a merge by hand overrides the computed vetoes, not a split by hand
        if not is_manual and _too_far(span[rx], span[ry]):
            continue
        if not is_manual:
            # two stories' main happenings are weighed against each other only: the other
            # happenings of their articles say nothing about whether these two are one
            pairs = _cross(small, large)
            if x in main and y in main:
                pairs = (p for p in pairs if p[0] in main and p[1] in main)
            cross = [scores[p] for p in pairs if p in scores]
            if cross and sum(cross) / len(cross) < MERGE:
                continue
        keep, gone = (rx, ry) if rx < ry else (ry, rx)
        span[keep] = _joined(span[rx], span[ry])
        parent[gone] = keep
        members[keep] += members.pop(gone)
        reasons = ["merged by hand"] if is_manual else reasons_of[(x, y)]
        links[keep] += [*links.pop(gone), (x, y, -neg if not is_manual else 0.0, reasons)]
    attached: dict[str, list[str]] = defaultdict(list)
    for claim_key, (_score, match) in best_match.items():
        attached[root(match)].append(claim_key)
    out = [
        Cluster(sorted(keys), sorted(links[k]), sorted(attached.get(k, [])))
        for k, keys in members.items()
    ]
    return sorted(out, key=lambda c: c.keys[0])


def _too_far(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two clusters hold reports that compare() would veto for their dates: any two
    more than UNDATED_DAYS apart, or two exactly dated ones more than DATE_SLACK_DAYS apart.
    A span is (latest start, earliest end) of the dated reports, then of the exact ones."""
    gap = max(a[0] - b[1], b[0] - a[1])
    exact_gap = max(a[2] - b[3], b[2] - a[3])
    return gap > UNDATED_DAYS or exact_gap > DATE_SLACK_DAYS


def _joined(
    a: tuple[int, int, int, int], b: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    return (max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3]))


def _cross(small: list[str], large: list[str]) -> Iterable[tuple[str, str]]:
    for a in small:
        for b in large:
            yield (a, b) if a < b else (b, a)
