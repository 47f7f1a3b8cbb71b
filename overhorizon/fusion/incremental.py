"""Which reports a fusion must look at again when new reports arrive.

:func:`~overhorizon.fusion.cluster.fuse` joins happenings only along links that score
``EDGE`` or more, and attaches a claim (a denial, recalled history) to the happening it
matches best among those scoring ``EDGE`` or more. So the incidents of a set of reports closed
under those links, with the manual "together" pairs, are the same whether that set is fused
alone or with everything else; the rest of the incidents cannot change. :func:`affected` walks
the links out from the new reports, comparing each report it reaches with its candidates
only, and returns that closed set: fusing it and keeping the other stored incidents gives
what a fusion of everything would (tests check this on generated archives).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from overhorizon.fusion.cluster import COMMON_WORD_REPORTS, EDGE, story_mates
from overhorizon.fusion.reports import (
    UNDATED_DAYS,
    Report,
    compare,
    eligible,
    recalled,
)
from overhorizon.fusion.reports import ordinal as _ordinal


def _claim(r: Report) -> bool:
    """A report that is no happening but may attach to one: a denial or recalled history."""
    return r.polarity == "negated" or (recalled(r) and r.polarity == "positive")


@dataclass(slots=True)
class _Type:
    """The reports of one type, indexed as ``candidate_pairs`` pairs them."""

    dated: list[Report]
    starts: list[int]
    longest: int  # the longest date range, in days
    postings: dict[str, list[Report]]  # word -> reports (only when some are undated)
    has_undated: bool


def _index(reports: Sequence[Report]) -> dict[str, _Type]:
    """Per type: the happenings and claims by start date, and the word postings that
    ``candidate_pairs`` builds (over every report of the type, so that what counts as a
    common word is the same)."""
    by_type: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_type[r.type].append(r)
    out = {}
    for kind, group in by_type.items():
        useful = [r for r in group if eligible(r) or _claim(r)]
        dated = sorted((r for r in useful if r.start), key=lambda r: (_ordinal(r.start), r.key))
        starts = [_ordinal(r.start) for r in dated]
        longest = max((_ordinal(r.end) - _ordinal(r.start) for r in dated), default=0)
        has_undated = any(not r.start for r in group)
        postings: dict[str, list[Report]] = defaultdict(list)
        if has_undated:
            for r in group:
                for w in r.words | r.lead:
                    postings[w].append(r)
        out[kind] = _Type(dated, starts, longest, postings, has_undated)
    return out


def _candidates(r: Report, t: _Type) -> Iterable[Report]:
    """The reports ``candidate_pairs`` would pair ``r`` with (of its type)."""
    slack = UNDATED_DAYS
    if r.start:
        s, e = _ordinal(r.start), _ordinal(r.end)
        # r first: those starting from r's start to its end plus the slack
        lo, hi = bisect_left(t.starts, s), bisect_right(t.starts, e + slack)
        yield from t.dated[lo:hi]
        # r second: those starting before it whose end plus the slack reaches its start
        lo = bisect_left(t.starts, s - slack - t.longest)
        for other in t.dated[lo : bisect_left(t.starts, s)]:
            if _ordinal(other.end) + slack >= s:
                yield other
    if t.has_undated:
        # an undated report pairs with every report sharing one of its uncommon words; a dated
        # one with the undated reports sharing one of its uncommon words
        for w in r.words | r.lead:
            hits = t.postings.get(w, ())
            if len(hits) <= COMMON_WORD_REPORTS:
                yield from (
                    o for o in hits if (not r.start or not o.start) and (eligible(o) or _claim(o))
                )


def _linked(a: Report, b: Report) -> bool:
    """Whether ``fuse`` would use the pair: a link between happenings, or a claim's match."""
    if eligible(a) and eligible(b):
        c = compare(a, b)
        if c.veto is not None:
            return False
        return c.score + (0.5 if a.article_id == b.article_id else 0.0) >= EDGE
    if eligible(a) != eligible(b):
        claim, happening = (a, b) if eligible(b) else (b, a)
        if not _claim(claim):
            return False
        c = compare(claim, happening)
        return c.veto is None and c.score >= EDGE
    return False


def affected(
    reports: Sequence[Report],
    new: Iterable[str],
    *,
    together: Iterable[tuple[str, str]] = (),
    incidents: Iterable[Iterable[str]] = (),
) -> set[str]:
    """The keys of the reports to fuse again: those of ``new``, and every report linked to
    them through links ``fuse`` would take (a happening's link, the main happenings of one
    story, a claim's match, a manual "together"), and, for each stored incident reached
    (``incidents``: the keys of each, its attached claims included), all of its reports.
    Closed under all of these."""
    by_key = {r.key: r for r in reports}
    index = _index(reports)
    mates = story_mates(reports)  # the main happenings of each story, paired whatever their type
    manual: dict[str, set[str]] = defaultdict(set)
    for x, y in together:
        manual[x].add(y)
        manual[y].add(x)
    incident_of: dict[str, int] = {}
    members: list[list[str]] = []
    for n, keys in enumerate(incidents):
        keys_of = list(keys)
        members.append(keys_of)
        for k in keys_of:
            incident_of[k] = n
    seen: set[str] = set()
    frontier = [k for k in new if k in by_key]
    while frontier:
        key = frontier.pop()
        if key in seen:
            continue
        seen.add(key)
        r = by_key[key]
        reached: set[str] = set(manual.get(key, ()))
        if key in incident_of:
            reached.update(members[incident_of[key]])
        t = index.get(r.type)
        nearby: list[Iterable[Report]] = [mates.get(r.story or "", ()) if r.main else ()]
        if t is not None and (eligible(r) or _claim(r)):
            nearby.append(_candidates(r, t))
        for group in nearby:
            for other in group:
                if other.key != key and other.key not in seen and _linked(r, other):
                    reached.add(other.key)
        frontier.extend(k for k in reached if k in by_key and k not in seen)
    return seen
