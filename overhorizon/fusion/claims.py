"""What an incident's reports claim, how the claims change over time, and what to believe.

The input is, for each article with reports in the incident, the article's own fields and its
extraction records (the RECORDS.md shape the store keeps), plus the ids of its events in the
incident. Out come:

- **claims**: one per article and attribution (who says so, through whom, with which stance),
  with the casualty figures and perpetrator it carries, in time order (publication date, then
  article id). A later claim that denies, retracts, admits or disputes, or that gives other
  figures, ``responds_to`` the earlier claims it contradicts.
- **contradictions**, each with its kind and the reason in words: ``casualties`` (figures for
  one victim group whose ranges do not overlap), ``denial`` (a denial or a negated report
  against an assertion), ``admission`` (a party's admission or retraction against its own
  earlier account), ``perpetrator`` (claims naming different perpetrators).
- **casualties** per victim group: ``low`` and ``high`` span every claim; ``best`` follows
  :data:`BEST_RULE`. Each bound lists the claims behind it. A group whose best figure is no
  larger than a more specific group's ("100 people" beside "100 civilians") ``overlaps`` it:
  shown, not added to the toll (:data:`OVERLAP_RULE`).
- **context**: the aggregate figures the articles give beside the incident's events (a war's,
  a year's or a province's toll: ``Casualty.aggregate``), never part of its casualties.
- **sources**: independent sources, wire copy and near-duplicates once (the canonical copy's
  outlet), an outlet that only relays another's report ("according to the Journal") as that one;
  given a :class:`~overhorizon.fusion.independence.SourceMap` of the source registry, outlets of
  one owner, and a state's outlets with that state's own claims, count once
  (:mod:`overhorizon.fusion.independence`).
- a **grade** suggestion in Airwars' terms, with the reason in words (:func:`grade`).

Pure functions: the same inputs give the same output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from overhorizon.fusion.independence import Outlet, SourceMap, independent_sources
from overhorizon.nlp.parties import party_named, party_of
from overhorizon.records import (
    Actor,
    AggregateClaim,
    ArticleInput,
    CasualtyRange,
    Claim,
    ClaimFigure,
    Contradiction,
    Count,
    Event,
    Extraction,
    IncidentTrail,
    SourceGroup,
)

BEST_RULE = (
    "best: the figure of the latest admission, confirmation or correction by an official "
    "party (government, military, police or an international body); else the latest figure "
    "from an official party; else the median of the claims' best figures (the lower middle "
    "one when their number is even)"
)
OVERLAP_RULE = (
    "a victim group is not added when a more specific group has a best figure as large or "
    "larger (unknown beside any named group; civilians beside children or women): the same "
    "dead, counted once, by the more specific group"
)
# What a group's figure may contain: "people" any named group, "civilians" children and women.
_MORE_SPECIFIC: dict[str, frozenset[str]] = {
    "unknown": frozenset({"civilians", "children", "women", "combatants", "military", "police"}),
    "civilians": frozenset({"children", "women"}),
}
_OFFICIAL = frozenset({"government", "military", "police", "international"})
_CORRECTING = frozenset({"admits", "confirms", "retracts"})
_AGAINST = frozenset({"denies", "retracts", "disputes"})
_STATE_SECTORS = frozenset({"government", "military", "police"})
#: What a party can be responsible for: the types of harm an admission can be about.
HARM_TYPES = frozenset({"ASSAULT", "COERCE"})
# Taking responsibility: "claimed responsibility", "accepts full responsibility" (``by``: the
# actor named before the words takes it), "he said he was fully responsible" (the speaker).
_RESPONSIBILITY = re.compile(
    r"(?P<by>\b(?:claim(?:s|ed|ing)?|accept(?:s|ed|ing)?|t(?:ake|akes|ook|aking|aken)|"
    r"assum(?:e|es|ed|ing)|bear(?:s|ing)?|bore|admit(?:s|ted|ting)?|acknowledg(?:e|es|ed|ing))"
    r"\s+(?:full\s+|sole\s+|the\s+)?responsibility\b)"
    r"|\b(?:he|she|it|they|we|I)\s+(?:was|were|is|are|had\s+been)\s+(?:fully\s+|solely\s+)?"
    r"responsible\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|nobody|none|yet\s+to)\b[^.;]*$", re.IGNORECASE)


@dataclass(slots=True)
class IncidentClaims:
    """Everything :func:`assess` finds about one incident: ``sources`` are the distinct claim
    sources, ``independent`` those sources grouped into independent ones (one group each
    unless the source registry joins them)."""

    claims: list[Claim] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    casualties: list[CasualtyRange] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    independent: list[SourceGroup] = field(default_factory=list)
    grade: str = "weak"
    grade_reason: str = ""
    context: list[AggregateClaim] = field(default_factory=list)


def _party(actor: Actor | None, where: Sequence[str] = ()) -> tuple[str | None, str | None]:
    """Who a speaker or perpetrator is, for comparing sides: ``(party, side)``. The party is
    the party table's (``overhorizon.nlp.parties``: every name of one side is one party,
    "usa-state" for the Pentagon and the US military, "syr-state" for Syrian, regime and
    government forces; ``where`` the countries of the happening, for local names), else the
    name; the side is the party's side, the name of an unknown armed group, else None."""
    if actor is None:
        return None, None
    party = party_of(
        actor.name,
        aliases=actor.aliases,
        kind=actor.kind,
        country=actor.country,
        sector=actor.sector,
        where=where,
    )
    if party is not None:
        return party.id, party.side
    name = actor.name.strip().lower() or None
    return name, name if actor.kind == "group" else None


def _where(ex: Extraction, events: Sequence[Event]) -> list[str]:
    """The countries the happening may be in, likeliest first: of ``events`` placed in one,
    then those the article's places name most, then those of its state actors."""
    places = {p.id: p for p in ex.places}
    out = [p.country for e in events if (p := places.get(e.place or "")) and p.country]
    for counts in (
        Counter(p.country for p in ex.places if p.country),
        Counter(
            a.country
            for a in ex.actors
            if a.country and (a.kind == "country" or a.sector in _STATE_SECTORS)
        ),
    ):
        out += sorted(counts, key=lambda c: (-counts[c], c))
    return list(dict.fromkeys(out))


def _responsibility(
    ex: Extraction, events: Sequence[Event], speaker: Actor | None
) -> tuple[str, Actor | None, str] | None:
    """Words in the sentence of one of ``events`` by which someone takes responsibility
    ("claimed responsibility for the bombing", "he said he was fully responsible"), and who:
    the actor named last before the words in the sentence, else the claim's ``speaker``
    (whom "he", "it" or "we" stands for), and the sentence. None when the sentence has none,
    or negates them ("no group has claimed responsibility")."""
    text = ex.article.text
    for e in events:
        sentence = text[e.evidence.start : e.evidence.end]
        for m in _RESPONSIBILITY.finditer(sentence):
            if _NEGATED_BEFORE.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            at = e.evidence.start + m.start()
            before = [
                (mention.end, a)
                for a in ex.actors
                if a.kind not in ("outlet", "anonymous")
                for mention in a.mentions
                if e.evidence.start <= mention.start and mention.end <= at
            ]
            who = max(before, key=lambda x: x[0])[1] if m.group("by") and before else speaker
            return " ".join(m.group().split()), who, " ".join(sentence.split())
    return None


@dataclass(frozen=True, slots=True)
class Happening:
    """What most of an incident's events say of it: the day (of day-precise dates) and the
    mode they give most often, each None when no two events agree on one."""

    day: str | None = None
    mode: str | None = None

    def excludes(self, e: Event) -> bool:
        """Whether ``e`` is another happening: another day and another mode, both explicit
        ("rockets were fired on Monday" beside Sunday's drone strike)."""
        if self.day is None or self.mode is None or e.date is None or e.date.precision != "day":
            return False
        return bool(e.date.start and e.date.start != self.day and e.mode and e.mode != self.mode)

    def excludes_all(self, events: Sequence[Event]) -> bool:
        """Whether ``events`` (a claim's) are all of another happening: excluded, or with no
        day and no mode of their own in the sentence of one excluded ("rockets were fired on
        Monday ... nobody was killed")."""
        other = [e for e in events if self.excludes(e)]
        sentences = {(o.evidence.start, o.evidence.end) for o in other}
        return bool(other) and all(
            e in other
            or (
                (e.date is None or not e.date.start)
                and e.mode is None
                and (e.evidence.start, e.evidence.end) in sentences
            )
            for e in events
        )


def happening_of(articles: Sequence[ArticleInput]) -> Happening:
    """The day and mode most of the incident's events give (see :class:`Happening`)."""
    evs = [e for a in articles for e in a.extraction.events if e.id in a.events]
    days = Counter(
        e.date.start for e in evs if e.date and e.date.precision == "day" and e.date.start
    )
    modes = Counter(e.mode for e in evs if e.mode)

    def top(counts: Counter[str]) -> str | None:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[0][0] if ranked and ranked[0][1] >= 2 else None

    return Happening(top(days), top(modes))


def claims_of(art: ArticleInput, happening: Happening | None = None) -> list[Claim]:
    """The claims one article makes about the incident's events (one per attribution). Given
    the incident's ``happening``, a claim whose every event is another happening (another day
    and another mode) is left out: it is in the article, not about the incident."""
    rec = art.extraction
    actors = {a.id: a for a in rec.actors}
    attributions = {t.id: t for t in rec.attributions}
    events = {e.id: e for e in rec.events if e.id in art.events}
    by_attribution: dict[str, list[Event]] = {}
    for e in events.values():
        by_attribution.setdefault(e.attribution or "t0", []).append(e)
    figures: dict[str, list[ClaimFigure]] = {}
    for c in rec.casualties:
        if c.event in events and c.part_of is None and not c.aggregate:
            tid = c.attribution or events[c.event].attribution or "t0"
            figures.setdefault(tid, []).append(ClaimFigure(c.group, c.killed, c.injured))
            # a figure someone else gives about the event: that source's claim, same event
            if events[c.event] not in by_attribution.setdefault(tid, []):
                by_attribution[tid].append(events[c.event])
    out = []
    for tid in sorted(by_attribution):
        evs = sorted(by_attribution[tid], key=lambda e: e.id)
        if happening is not None and happening.excludes_all(evs):
            continue  # "US officials said they were intercepted": the next day's rockets
        t = attributions.get(tid)
        speaker = actors.get(t.speaker or "") if t else None
        via = actors.get(t.via or "") if t else None
        perpetrators = [actors.get(e.source_actor or "") for e in evs]
        perpetrator = next((p for p in perpetrators if p), None)
        target = next((a for e in evs if (a := actors.get(e.target_actor or ""))), None)
        negated = all(e.polarity == "negated" for e in evs)
        stance = (t.stance if t else None) or "asserts"
        if negated and stance == "asserts":
            stance = "denies"  # "there had not been a second explosion"
        where = _where(rec, evs)
        speaker_party, speaker_side = _party(speaker, where)
        perpetrator_party, perpetrator_side = _party(perpetrator, where)
        taken = _responsibility(rec, evs, speaker)
        responsible_side = _party(taken[1], where)[1] if taken else None
        words = None
        if t is not None and (stance != "asserts" or taken):
            clause = " ".join(rec.article.text[t.claim.start : t.claim.end].split())
            if len(clause.split()) < 3 or tid == "t0":  # "that": the sentence says more
                ev = evs[0].evidence
                clause = " ".join(rec.article.text[ev.start : ev.end].split())
            words = (taken[2] if taken else clause)[:200] or None
        relay = via if via and via.kind == "outlet" else None
        if relay is None and speaker and speaker.kind == "outlet" and tid != "t0":
            relay = speaker
        if relay is not None:
            source = "outlet:" + relay.name.lower()
        elif art.canonical_outlet or art.outlet:
            source = "outlet:" + str(art.canonical_outlet or art.outlet).lower()
        else:  # no outlet known: the canonical copy stands for its source
            source = "article:" + art.canonical[:12]
        out.append(
            Claim(
                id=f"{art.id}/{tid}",
                article=art.id,
                outlet=art.outlet,
                published=art.published,
                speaker=(speaker.name if speaker else None) or (t.speaker_text if t else None),
                speaker_sector=speaker.sector if speaker else None,
                speaker_party=speaker_party,
                speaker_side=speaker_side,
                anonymous=bool(t and t.anonymous),
                via=via.name if via else None,
                stance=stance,
                first_report=bool(t and t.first_report),
                events=[f"{art.id}/{e.id}" for e in evs],
                negated=negated,
                perpetrator=perpetrator.name if perpetrator else None,
                perpetrator_party=perpetrator_party,
                perpetrator_side=perpetrator_side,
                target_side=_party(target, where)[1],
                target=target.name if target else None,
                figures=sorted(set(figures.get(tid, [])), key=_figure_order),
                source=source,
                evidence=evs[0].evidence,
                cue=t.cue if t and tid != "t0" else None,
                words=words,
                responsibility=_taking(taken, speaker),
                responsible_side=responsible_side,
                harm=any(e.type in HARM_TYPES for e in evs),
            )
        )
    return out


def aggregates_of(art: ArticleInput) -> list[AggregateClaim]:
    """The aggregate figures one article gives beside the incident's events (context)."""
    rec = art.extraction
    events = {e.id: e for e in rec.events if e.id in art.events}
    out = []
    for c in rec.casualties:
        event = events.get(c.context_of or "")
        if not c.aggregate or c.part_of is not None or event is None:
            continue
        tid = c.attribution or event.attribution or "t0"
        out.append(
            AggregateClaim(
                claim=f"{art.id}/{tid}",
                article=art.id,
                outlet=art.outlet,
                published=art.published,
                event=f"{art.id}/{event.id}",
                group=c.group,
                killed=c.killed,
                injured=c.injured,
                scope=c.scope or "total",
                scope_text=c.scope_text,
                evidence=c.evidence,
            )
        )
    return out


def _taking(taken: tuple[str, Actor | None, str] | None, speaker: Actor | None) -> str | None:
    """The words of taking responsibility, with who takes it when that is not the speaker."""
    if taken is None:
        return None
    words, who, _sentence = taken
    return words if who is None or who is speaker else f"{who.name}: {words}"


def _figure_order(f: ClaimFigure) -> tuple[str, int, int]:
    span = _span(f.killed) if f.killed else None
    return (f.group, span[0] if span else -1, span[1] if span else -1)


def _span(c: Count) -> tuple[int, int] | None:
    values = [v for v in (c.low, c.best, c.high) if v is not None]
    return (min(values), max(values)) if values else None


def assess(articles: Sequence[ArticleInput], registry: SourceMap | None = None) -> IncidentClaims:
    """Claims in time order, contradictions, casualty ranges, sources and grade; ``registry``
    (the source registry's outlets) decides which sources are independent of each other."""
    claims: list[Claim] = []
    context: list[AggregateClaim] = []
    outlets: dict[str, Outlet | None] = {}
    happening = happening_of(articles)
    for art in articles:
        context += aggregates_of(art)
        for c in claims_of(art, happening):
            claims.append(c)
            if registry:
                outlets[c.id] = _registered(c, art, registry)
    claims.sort(key=lambda c: (c.published or "9999", c.article, c.id))
    context.sort(key=lambda a: (a.published or "9999", a.article, a.evidence.start))
    out = IncidentClaims(claims=claims, context=context)
    out.contradictions = contradictions(claims)
    for con in out.contradictions:
        later = next(c for c in claims if c.id == con.b)
        if con.a not in later.responds_to:
            later.responds_to.append(con.a)
    out.casualties = casualty_ranges(claims)
    out.sources = sorted({c.source for c in claims})
    out.independent = independent_sources(claims, outlets)
    out.grade, out.grade_reason = grade(claims, out.casualties, out.contradictions, out.independent)
    return out


def _registered(c: Claim, art: ArticleInput, registry: SourceMap) -> Outlet | None:
    """The registered outlet a claim's source is: by the name of the outlet it counts as, else,
    when that is the article's own outlet, by the host of the article's URL."""
    outlet = art.canonical_outlet or art.outlet
    own = c.source.startswith("article:") or (
        outlet is not None and c.source == "outlet:" + outlet.lower()
    )
    name = c.source.removeprefix("outlet:") if c.source.startswith("outlet:") else None
    return registry.find(name, art.url if own else None)


def contradictions(claims: Sequence[Claim]) -> list[Contradiction]:
    """Pairs of claims (earlier, later) that cannot both be right, each with kind and reason."""
    found: list[Contradiction] = []
    seen: set[tuple[str, str, str]] = set()

    def add(a: Claim, b: Claim, kind: str, why: str) -> None:
        if (a.id, b.id, kind) not in seen:
            seen.add((a.id, b.id, kind))
            found.append(Contradiction(a.id, b.id, kind, why))

    # casualties: each figure against the latest earlier figure for the same group
    for i, b in enumerate(claims):
        for fb in b.figures:
            if fb.killed is None or _span(fb.killed) is None:
                continue
            for a in reversed(claims[:i]):
                fa = next((f for f in a.figures if f.group == fb.group and f.killed), None)
                if fa is None or fa.killed is None or _span(fa.killed) is None:
                    continue
                ba, bb = _best_of(fa.killed), _best_of(fb.killed)
                if ba != bb:
                    (lo_a, hi_a), (lo_b, hi_b) = _open(fa.killed), _open(fb.killed)
                    clash = hi_a < lo_b or hi_b < lo_a
                    how = "incompatible figures" if clash else "a revised figure"
                    why = (
                        f"{_who(a)}: {_say(fa.killed)} {fb.group} killed; "
                        f"{_who(b)}: {_say(fb.killed)} ({how})"
                    )
                    add(a, b, "casualties", why)
                break
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if (
                b.stance in _CORRECTING - {"confirms"}
                and b.speaker_party
                and b.speaker_party == a.speaker_party
                and a.stance not in _CORRECTING
                and a.article != b.article
            ):
                why = f"{_who(b)} {b.stance} ({b.published}) against its own earlier account "
                add(a, b, "admission", why + f"({a.published})")
            if (
                a.perpetrator_side
                and b.perpetrator_side
                and a.perpetrator_side != b.perpetrator_side
                and a.harm
                and b.harm
                and not _against(a)
                and not _against(b)
                and _voice(a) != _voice(b)  # one voice naming two sides tells of two acts
                and a.perpetrator_side != b.target_side  # sides fighting each other: a clash
                and b.perpetrator_side != a.target_side
            ):
                why = (
                    f"{_who(a)} names {a.perpetrator} ({party_named(a.perpetrator_side)}); "
                    f"{_who(b)} names {b.perpetrator} ({party_named(b.perpetrator_side)})"
                )
                add(a, b, "perpetrator", why)
    # a denial against the first assertion of another party (one each, not all of them)
    for d in (c for c in claims if _against(c)):
        first = next(
            (
                c
                for c in claims
                if not _against(c)
                and c.id != d.id
                and (c.speaker_party is None or c.speaker_party != d.speaker_party)
            ),
            None,
        )
        if first is not None:
            a, b = (first, d) if claims.index(first) < claims.index(d) else (d, first)
            add(a, b, "denial", f"{_who(d)} {d.stance} what {_who(first)} {first.stance}")
    return found


def _voice(c: Claim) -> str:
    """Who speaks in a claim, for telling competing claims from one account: the speaker's
    party, else its source (the outlet)."""
    return c.speaker_party or c.source


def _against(c: Claim) -> bool:
    return c.negated or c.stance in _AGAINST


def _who(c: Claim) -> str:
    name = c.speaker or ("anonymous sources" if c.anonymous else None) or c.outlet or "a report"
    return f"{name} ({c.outlet})" if c.outlet and name != c.outlet else name


def _open(c: Count) -> tuple[float, float]:
    """The range a count allows: "at least 60" is 60 to infinity, "about 170" is 170."""
    lo = c.low if c.low is not None else (c.best if c.best is not None else 0)
    if c.high is not None:
        return float(lo), float(c.high)
    return float(lo), float("inf") if c.low is not None else float(c.best or lo)


def _say(c: Count) -> str:
    if c.low is not None and c.high is None:
        return f"at least {c.low}"
    if c.low is None and c.high is not None and c.best is None:
        return f"up to {c.high}"
    if c.low is not None and c.high is not None and c.low != c.high:
        return f"{c.low}-{c.high}"
    return str(c.best if c.best is not None else c.low if c.low is not None else c.high)


def casualty_ranges(claims: Sequence[Claim]) -> list[CasualtyRange]:
    """Per victim group: low and high over every claim, best by :data:`BEST_RULE`."""
    groups: dict[str, list[tuple[Claim, Count]]] = {}
    for c in claims:
        if c.negated:
            continue
        for f in c.figures:
            if f.killed is not None and _span(f.killed) is not None:
                groups.setdefault(f.group, []).append((c, f.killed))
    out = []
    for group, items in sorted(groups.items()):
        spans = [(c, _span(k)) for c, k in items]
        low = min(s[0] for _, s in spans if s)
        high = max(s[1] for _, s in spans if s)
        bests = [(c, _best_of(k)) for c, k in items]
        official = [(c, b) for c, b in bests if _official(c)]
        corrected = [(c, b) for c, b in official if c.stance in _CORRECTING]
        if corrected:
            chosen, why = corrected[-1], "the latest official admission or correction"
        elif official:
            chosen, why = official[-1], "the latest official figure"
        else:
            ordered = sorted(bests, key=lambda cb: (cb[1], cb[0].id))
            chosen, why = ordered[(len(ordered) - 1) // 2], "the median of the claims"
        best = int(chosen[1])
        out.append(
            CasualtyRange(
                group=group,
                killed=Count(low, best, high),
                low_claims=[c.id for c, s in spans if s and s[0] == low],
                best_claims=[c.id for c, b in bests if b == best],
                high_claims=[c.id for c, s in spans if s and s[1] == high],
                best_reason=f"{why}: {_who(chosen[0])}",
            )
        )
    return _mark_overlaps(out)


def _mark_overlaps(ranges: list[CasualtyRange]) -> list[CasualtyRange]:
    """Mark each range that a more specific group's range covers (:data:`OVERLAP_RULE`)."""
    best = {r.group: r.killed.best or 0 for r in ranges}
    out = []
    for r in ranges:
        covering = [
            g for g in sorted(_MORE_SPECIFIC.get(r.group, ())) if best.get(g, -1) >= best[r.group]
        ]
        if covering:
            r = replace(r, overlaps=max(covering, key=lambda g: best[g]))
        out.append(r)
    return out


def _best_of(k: Count) -> int:
    if k.best is not None:
        return k.best
    span = _span(k)
    return span[0] if span else 0


def _official(c: Claim) -> bool:
    party = c.speaker_party or ""
    return c.speaker_sector in _OFFICIAL or party.endswith("-state")


def grade(
    claims: Sequence[Claim],
    casualties: Sequence[CasualtyRange],
    found: Sequence[Contradiction],
    independent: Sequence[SourceGroup] | None = None,
) -> tuple[str, str]:
    """An Airwars-style grade and its reason, first rule that holds:

    - confirmed: a party to the happening takes responsibility for harm it did: its speaker
      claims or accepts responsibility ("claimed responsibility for the bombing"), or admits or
      acknowledges the harm while its side is the one blamed for it (by its own claim or
      another's);
    - discounted: the victims reported were combatants or soldiers only;
    - contested: claims blame different parties (sides of the party table) for harm, or a
      party denies or disputes the harm another asserts (see :func:`_dispute`); who withdrew
      or who met whom is never contested;
    - fair: two or more independent sources; weak: one.

    The reason names the claim, the party and the words. ``independent`` groups the sources
    (default: each distinct claim source alone); what joined them is part of the reason."""
    blamed = _blamed(claims)
    for c in claims:
        if c.negated or not c.harm:
            continue
        if c.responsibility and c.responsible_side:
            party = party_named(c.responsible_side)
            return "confirmed", (
                f"{party} took responsibility: {_who(c)} ({c.published}): "
                f"“{c.words or c.responsibility}” ({c.responsibility})"
            )
        side = c.speaker_side
        if c.stance not in ("admits", "confirms") or side is None:
            continue
        if c.perpetrator_side and c.perpetrator_side != side:
            continue  # it confirms what another party did
        blamer = blamed.get(side)
        if blamer is None:
            continue
        by = "its own claim" if blamer is c else f"{_who(blamer)} ({blamer.perpetrator})"
        return "confirmed", (
            f"{_who(c)} {c.stance} it ({c.published}): “{c.words or c.cue or c.stance}”; "
            f"{party_named(side)} is the party blamed for it by {by}"
        )
    groups = {r.group for r in casualties if r.overlaps is None}
    if groups and groups <= {"combatants", "military"}:
        return "discounted", "the victims reported were combatants or soldiers"
    contests = [con for con in found if con.kind == "perpetrator"]
    if contests:
        more = f" (and {len(contests) - 1} more such pairs)" if len(contests) > 1 else ""
        return "contested", "different parties are blamed: " + contests[0].why + more
    dispute = _dispute(claims, blamed)
    if dispute is not None:
        d, a = dispute
        return "contested", (
            f"{party_named(d.speaker_side)} {d.stance} it: {_who(d)} ({d.published}): "
            f"“{d.words or d.cue or d.stance}”, against {_who(a)} ({a.published})"
        )
    sourced = independent_sources(claims) if independent is None else independent
    joined = "; ".join(g.why for g in sourced if g.why)
    if len(sourced) >= 2:
        return "fair", f"{len(sourced)} independent sources" + (f" ({joined})" if joined else "")
    if joined:
        return "weak", f"one independent source ({joined})"
    sources = IncidentTrail(sources=sorted({c.source for c in claims}), claims=list(claims))
    names = sources.source_names
    return "weak", "one source" + (f" ({names[0]})" if names else "")


def _blamed(claims: Sequence[Claim]) -> dict[str, Claim]:
    """The sides claims blame for harm, each with the first claim that blames it."""
    blamed: dict[str, Claim] = {}
    for c in claims:
        if c.perpetrator_side and c.harm and not _against(c):
            blamed.setdefault(c.perpetrator_side, c)
    return blamed


def _dispute(claims: Sequence[Claim], blamed: dict[str, Claim]) -> tuple[Claim, Claim] | None:
    """The first denial or dispute of harm by a party (a claim whose speaker has a side), with
    the earliest assertion of harm by someone of another side it stands against. A party
    disputes when it denies by its cue ("denied that its aircraft had bombed the hospital"),
    or when it is the side blamed and says the harm did not happen as told; a party not blamed
    that only corrects a detail ("there had not been a second explosion") disputes nothing."""
    for d in claims:
        if not (d.speaker_side and d.harm and (d.negated or d.stance in ("denies", "disputes"))):
            continue
        explicit = d.stance in ("denies", "disputes") and not d.negated
        if not explicit and d.speaker_side not in blamed and d.perpetrator_side != d.speaker_side:
            continue
        for a in claims:
            if (
                a is not d
                and a.harm
                and not _against(a)
                and a.speaker_party != d.speaker_party
                and a.speaker_side != d.speaker_side
            ):
                return d, a
    return None
