"""``overhorizon_events.v6``: who did what to whom and when, typed in PLOVER, with polarity,
modality, date and casualty figures; one event per real happening in the document.

Triggers are verbs and nouns from the shipped trigger table (``nlp/data/triggers.tsv``), single
words by lemma and part of speech, multi-word ones ("drone strike") by a lemma phrase matcher.
Source and target come from the parse: the subject (or the passive agent) and the object (or
the prepositional object of on/against/with); for nouns, actor modifiers ("a US drone strike")
and by/on/against phrases. Mentions of one happening ("a drone strike", "the strike", "the
August 29th strike") merge into one event when type, mode, date and actors agree.

Reads actors and places from ``doc._.overhorizon`` (``nlp.doc_records``) and fills its
``events`` and ``casualties`` with typed records; version 1 used plain dicts in ``doc._``.
Casualty figures are read in the sentences of violent events (``nlp.casualties``); each figure
is the toll of one event only (the one whose trigger is nearest it), and an aggregate figure
("the war has killed 300,000", "since 2011": ``nlp.scope``) is kept as context, never as a
toll. Version 2 gave a figure to every event of its sentence and took aggregates as tolls.
Version 4 takes no trigger in page furniture outside datelines (``overhorizon_furniture``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from overhorizon.nlp import acled, happening, lexicon
from overhorizon.nlp.casualties import CasualtyFigure, find_casualties
from overhorizon.nlp.dates import resolve_date
from overhorizon.nlp.doc_records import doc_records
from overhorizon.records import Casualty, DateValue, Event, Place, precision_rank
from overhorizon.records import Span as CharSpan

_REPORTING = {
    "say",
    "tell",
    "report",
    "claim",
    "allege",
    "state",
    "announce",
    "reveal",
    "confirm",
    "add",
    "write",
    "insist",
    "suggest",
    "believe",
    "accord",
}
_OFFERING = {"offer", "propose", "suggest"}
_REQUESTING = {"ask", "request", "urge", "demand", "call", "appeal", "press"}
_PLANNING = {
    "plan",
    "intend",
    "prepare",
    "schedule",
    "aim",
    "expect",
    "want",
    "seek",
    "hope",
    "try",
    "threaten",
    "vow",
    "pledge",
    "promise",
    "agree",
    "decide",
}
_FAILING = {"fail", "refuse", "decline"}
_PREVENTING = {"prevent", "stop", "foil", "thwart", "avert", "avoid", "preempt"}
_CLAIMING = {"insist", "warn", "claim", "say", "allege"}
# Types whose nominal triggers take an actor modifier as their source ("a US drone strike").
_AGENT_MODIFIER_TYPES = {
    "ASSAULT",
    "COERCE",
    "SANCTION",
    "AID",
    "MOBILIZE",
    "THREATEN",
    "PROTEST",
    "SUPPORT",
    "COOPERATE",
    "REQUEST",
    "ACCUSE",
    "REJECT",
}
# Weapons as subjects of violent verbs ("a US drone slaughtered a family"): their mode.
_WEAPONS = {
    "drone": "drone",
    "uav": "drone",
    "warplane": "aerial",
    "jet": "aerial",
    "aircraft": "aerial",
    "plane": "aerial",
    "helicopter": "aerial",
    "gunship": "aerial",
    "bomber": "aerial",
    "airstrike": "aerial",
    "missile": "heavy-weapons",
    "rocket": "heavy-weapons",
    "shell": "heavy-weapons",
    "mortar": "heavy-weapons",
    "artillery": "heavy-weapons",
    "bomb": "explosives",
    "ied": "explosives",
    "mine": "explosives",
    "grenade": "grenade",
    "gunman": "firearms",
    "sniper": "firearms",
}
_LIGHT_VERBS = {"make", "launch", "carry", "conduct", "stage", "hold", "issue", "extend"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should"}
_FUTURE_AUX = {"will", "shall"}
_CLOSE_MODES = {frozenset({"aerial", "drone"}), frozenset({"explosives", "suicide bombing"})}


@dataclass
class _Mention:
    type: str
    mode: str | None
    trigger: Span
    sent: Span
    source: str | None
    target: str | None
    polarity: str
    modality: str
    date: DateValue | None
    nominal: bool
    absorbed_by: int | None = None  # index of a nominal mention this verb belongs to
    casualties: list[Any] = field(default_factory=list)


# Passive harm with no agent ("one person was killed in police firing", "seven people were
# killed when armed men stormed a village"): the actor of the violence it names is its source.
_HARM_VERBS = {"kill", "wound", "injure", "shoot", "murder", "slay", "hurt"}
_VIOLENCE_NOUNS = {"firing", "fire", "shooting", "gunfire", "bullet", "attack", "shelling", "raid"}
_VIOLENCE_VERBS = {"fire", "open", "shoot", "attack", "storm", "raid", "shell", "bomb", "strike"}


def _cause_actor(head: Token, of_token: dict[int, str]) -> str | None:
    """The actor of the violence a passive harm verb names: "in police firing", "in firing
    by the police", "when police fired"."""
    verbs = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    for c in (c for v in verbs for c in v.children):
        if c.dep_ == "prep" and c.lower_ in {"in", "by", "during", "from", "to"}:
            noun = next((g for g in c.children if g.dep_ == "pobj"), None)
            if noun is None:
                continue
            fired = any(g.dep_ == "acl" and g.lemma_ in _VIOLENCE_VERBS for g in noun.children)
            if noun.i in of_token and fired:  # "in police firing" parsed as "police" + "firing"
                return of_token[noun.i]
            if noun.lemma_.lower() not in _VIOLENCE_NOUNS and noun.lower_ not in _VIOLENCE_NOUNS:
                continue
            for mod in noun.children:
                if mod.dep_ in {"compound", "poss", "amod", "nmod"} and mod.i in of_token:
                    return of_token[mod.i]
                if mod.dep_ == "prep" and mod.lower_ == "by":
                    agent = next((g for g in mod.children if g.dep_ == "pobj"), None)
                    if agent is not None and agent.i in of_token:
                        return of_token[agent.i]
        if c.dep_ == "advcl" and c.lemma_ in _VIOLENCE_VERBS:
            marks = {m.lower_ for m in c.children if m.dep_ in {"mark", "advmod"}}
            if marks & {"when", "as", "after"}:
                actor = next((g for g in c.children if g.dep_ == "nsubj"), None)
                found = _actor_in(actor, of_token)
                if found is not None:
                    return found
    return None


def _published(doc: Doc) -> dt.date | None:
    value = doc._.published
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _actor_in(tok: Token | None, of_token: dict[int, str]) -> str | None:
    """The actor a token stands for: itself, a conjunct or appositive, or the nearest actor
    in its noun phrase."""
    if tok is None:
        return None
    if tok.i in of_token:
        return of_token[tok.i]
    for child in tok.children:
        if child.dep_ in {"appos", "compound", "poss", "amod", "nmod"} and child.i in of_token:
            return of_token[child.i]
    negated = {
        t.i for c in tok.children if any(g.dep_ == "neg" for g in c.children) for t in c.subtree
    }
    for sub in tok.subtree:
        if sub.i in of_token and sub.dep_ not in {"pobj"} and sub.i not in negated:
            return of_token[sub.i]
    return None


class EventFinder:
    """The component: fills ``events`` and ``casualties`` of ``doc._.overhorizon``."""

    def __init__(self, nlp: Language, *, furniture: bool = False, happenings: bool = False) -> None:
        """``furniture``: take no trigger in page furniture outside datelines (version 4);
        ``happenings``: keep only candidates that are happenings of their own (version 6)."""
        self.furniture = furniture
        self.happenings = happenings
        self.single: dict[tuple[str, str], Any] = {}
        self.multi = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.multi_entries: dict[str, Any] = {}
        for entry in lexicon.triggers():
            if " " in entry.lemma:
                key = f"{entry.lemma}|{entry.pos}"
                self.multi_entries[key] = entry
                pattern = nlp.make_doc(entry.lemma)
                for tok in pattern:
                    tok.lemma_ = tok.lower_
                self.multi.add(key, [pattern])
            else:
                self.single.setdefault((entry.lemma, entry.pos), entry)

    def __call__(self, doc: Doc) -> Doc:
        of_token = doc_records(doc).actor_of_token
        published = _published(doc)
        mentions: list[_Mention] = []
        covered: set[int] = set()
        if self.furniture:  # "Related: Pentagon admits strike ...": no event there
            records = doc_records(doc)
            covered |= records.furniture_tokens - records.dateline_tokens
        for match_id, start, end in self.multi(doc):
            entry = self.multi_entries[doc.vocab.strings[match_id]]
            span = doc[start:end]
            if any(i in covered for i in range(start, end)):
                continue
            covered.update(range(start, end))
            # a verb phrase ("opened fire", "fired at") takes a verb's subject and object
            m = self._mention(span, entry, of_token, published, nominal=entry.pos != "VERB")
            if m is not None:
                mentions.append(m)
        for tok in doc:
            if tok.i in covered:
                continue
            pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else tok.pos_
            entry = self.single.get((tok.lemma_.lower(), pos))
            if entry is None and tok.tag_ == "VBG" and tok.dep_ in {"pobj", "nsubj", "dobj"}:
                pos = "NOUN"  # a gerund used as a noun: "died in police firing"
                entry = self.single.get((tok.lower_, pos))
            reading = acled.object_reading(tok) if pos in {"VERB", "NOUN"} else None
            if reading is not None:  # "seized weapons", "set up a post": the object decides
                entry = lexicon.TriggerEntry(
                    tok.lemma_.lower(), pos, reading.plover_type, reading.mode, None
                )
            if entry is None:
                continue
            m = self._mention(
                doc[tok.i : tok.i + 1], entry, of_token, published, nominal=pos == "NOUN"
            )
            if m is not None:
                mentions.append(m)
        mentions.sort(key=lambda m: m.trigger.start)
        if self.happenings:
            mentions = _happenings(mentions)
        self._absorb_verbs(mentions)
        found = doc_records(doc)
        found.events, found.casualties = self._merge(doc, mentions)
        return doc

    # --- one mention ---------------------------------------------------------------------
    def _mention(
        self,
        span: Span,
        entry: Any,
        of_token: dict[int, str],
        published: dt.date | None,
        nominal: bool,
    ) -> _Mention | None:
        head = span.root
        if self._purpose_only(head):
            return None
        if nominal and head.dep_ in {"compound", "amod"}:
            return None  # "an aid worker": the noun describes another noun
        if (
            not nominal
            and head.lemma_ in _CLAIMING
            and any(c.dep_ == "ccomp" for c in head.children)
        ):
            return None  # "insists that ...", "warned that ...": a claim, not an event
        polarity = "negated" if self._negated(head) else "positive"
        modality = self._modality(head, entry)
        source, target = (
            self._noun_args(head, of_token, entry.type)
            if nominal
            else self._verb_args(head, of_token)
        )
        date = self._date(head, published)
        mode = entry.mode or None
        if not nominal and entry.type == "ASSAULT":
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            weapon = _WEAPONS.get(subj.lemma_.lower()) if subj is not None else None
            if subj is not None and weapon is not None:
                mode = mode or lexicon.canonical_mode("ASSAULT", weapon) or weapon
                source = next((of_token[c.i] for c in subj.lefts if c.i in of_token), None) or (
                    source if source != of_token.get(subj.i) else None
                )
        return _Mention(
            type=entry.type,
            mode=mode,
            trigger=span,
            sent=head.sent,
            source=source,
            target=target,
            polarity=polarity,
            modality=modality,
            date=date,
            nominal=nominal,
        )

    @staticmethod
    def _purpose_only(head: Token) -> bool:
        """An infinitive of purpose or a noun's complement ("bases to spy on Afghanistan")
        describes no happening of its own; nor does a noun inside one ("to fly drones for
        surveillance and airstrikes")."""
        if head.pos_ in {"NOUN", "PROPN"}:
            return any(
                a.pos_ == "VERB" and EventFinder._purpose_only(a) for a in list(head.ancestors)[:6]
            )
        if head.pos_ != "VERB":
            return False
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
        if not has_to:
            return False
        governor = head.head
        if head.dep_ in {"acl", "relcl"}:
            return True
        if head.dep_ == "advcl":
            return True
        if head.dep_ == "conj":
            return EventFinder._purpose_only(governor)
        return False  # xcomp ("forced to admit", "plans to strike"): modality decides

    @staticmethod
    def _negated(head: Token) -> bool:
        for tok in (head, head.head if head.dep_ in {"xcomp", "conj"} else None):
            if tok is None:
                continue
            if any(c.dep_ == "neg" for c in tok.children):
                return True
            if any(
                c.lower_ in {"no", "never", "without"} and c.dep_ in {"det", "neg", "advmod"}
                for c in tok.children
            ):
                return True
        if head.dep_ == "xcomp" and head.head.lemma_ in _FAILING:
            return True
        if head.dep_ == "pobj" and head.head.lower_ == "without":
            return True
        if head.pos_ in {"NOUN", "PROPN"} and head.dep_ in {"dobj", "nsubjpass", "attr"}:
            verb = head.head
            if verb.pos_ in {"VERB", "AUX"} and EventFinder._negated(verb):
                return True  # "failed to negotiate new basing agreements"
            if head.dep_ == "dobj" and verb.lemma_ in _PREVENTING:
                return True  # "the strike prevented an attack": no attack happened
        # "there have been no known US airstrikes": the noun's own determiner.
        return any(c.lower_ == "no" for c in head.lefts)

    @staticmethod
    def _modality(head: Token, entry: Any) -> str:
        hint = getattr(entry, "modality_hint", "") or ""
        chain = [head, *head.ancestors]
        for tok in chain[1:4]:
            if tok.lemma_ in _OFFERING:
                return "offered"
            if tok.lemma_ in _REQUESTING and tok.i != head.i:
                return "requested"
        if hint in {"offered", "requested", "planned"}:
            return hint
        if happening.consequent(head):  # "if the talks fail, the army could shell the town"
            return "hypothetical"
        for tok in chain[:3]:
            aux = {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}
            if aux & _FUTURE_AUX or (tok.lemma_ in _PLANNING and tok.i != head.i):
                return "planned"
            if aux & _HYPOTHETICAL_AUX:
                return "hypothetical"
            if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in tok.children):
                return "hypothetical"
        if head.sent.text.rstrip().endswith("?"):
            return "hypothetical"
        for tok in chain[1:]:
            if tok.lemma_ in _REPORTING:
                return "reported"
        for tok in head.sent:
            if tok.lower_ == "according" or (
                tok.lemma_ in _REPORTING and tok.dep_ == "ROOT" and tok.i != head.i
            ):
                return "reported"
        return "asserted"

    @staticmethod
    def _verb_args(head: Token, of_token: dict[int, str]) -> tuple[str | None, str | None]:
        subj = obj = None
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children)
        for c in head.children:
            if c.dep_ == "nsubj":
                subj = c
            elif c.dep_ == "nsubjpass":
                obj = c
            elif c.dep_ == "agent":
                subj = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ in {"dobj", "dative"} and obj is None:
                obj = c
            elif c.dep_ == "prep" and c.lower_ in {"on", "against", "with", "at"} and obj is None:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        if subj is None and head.tag_ == "VBG" and head.dep_ not in {"ROOT", "conj", "advcl"}:
            # a gerund as a noun: "the police firing on its activists", "police's firing"
            subj = next((c for c in head.children if c.dep_ in {"compound", "poss"}), None)
        if subj is None and head.dep_ in {"xcomp", "conj"}:
            # "the Pentagon was forced to admit": the governor's subject, active or passive.
            subj = next((c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if passive and subj is None and head.lemma_ in _HARM_VERBS:
            return _cause_actor(head, of_token), _actor_in(obj, of_token)
        return _actor_in(subj, of_token), _actor_in(obj, of_token)

    @staticmethod
    def _noun_args(
        head: Token, of_token: dict[int, str], plover_type: str
    ) -> tuple[str | None, str | None]:
        source = target = None
        for c in head.lefts:
            if (
                c.i in of_token
                and c.dep_ in {"compound", "amod", "poss", "nmod"}
                and (plover_type in _AGENT_MODIFIER_TYPES or c.dep_ == "poss")
            ):
                source = source or of_token[c.i]
        if source is None and head.dep_ == "dobj" and head.head.lemma_ in _LIGHT_VERBS:
            # "Putin made the offer": the subject of a light verb is the source.
            subj = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
            source = _actor_in(subj, of_token)
        for c in head.rights:
            if c.dep_ == "prep":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                actor = _actor_in(pobj, of_token)
                if c.lower_ in {"by", "from"}:
                    source = source or actor
                elif c.lower_ in {"on", "against", "with", "to", "at"}:
                    target = target or actor
        return source, target

    @staticmethod
    def _date(head: Token, published: dt.date | None) -> DateValue | None:
        sent = head.sent
        dates = [e for e in sent.ents if e.label_ == "DATE"]
        if not dates:
            return None
        subtree = {t.i for t in head.subtree}
        chosen = [e for e in dates if e.root.i in subtree]
        if (
            not chosen
            and head.pos_ in {"NOUN", "PROPN"}
            and head.dep_
            in {
                "dobj",
                "nsubj",
                "nsubjpass",
            }
        ):
            # "Putin made the offer ... during the June 16th summit": the light verb's dates.
            verb = head.head
            near = {t.i for c in verb.children if c.dep_ == "prep" for t in c.subtree}
            chosen = [e for e in dates if e.root.head.i == verb.i or e.root.i in near]
        if not chosen:
            for anc in list(head.ancestors)[:3]:
                hit = [e for e in dates if e.start <= anc.i < e.end]
                if hit:
                    chosen = hit
                    break
        for ent in sorted(chosen, key=lambda e: abs(e.root.i - head.i)):
            text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            value = resolve_date(text, published, context=sent.text)
            if value is not None:
                return value
        return None

    # --- mentions to events --------------------------------------------------------------
    @staticmethod
    def _absorb_verbs(mentions: list[_Mention]) -> None:
        """A verb whose subject is an event noun ("a drone strike killed ten") is that event;
        so is a participle that continues a verb of the same type ("slaughtered a family,
        killing ten")."""
        by_token = {m.trigger.root.i: n for n, m in enumerate(mentions) if m.nominal}
        verbs = {m.trigger.root.i: n for n, m in enumerate(mentions) if not m.nominal}
        for m in mentions:
            if m.nominal:
                continue
            root = m.trigger.root
            if root.dep_ in {"advcl", "conj", "xcomp"} and root.head.i in verbs:
                host = mentions[verbs[root.head.i]]
                if host.type == m.type and host is not m and root.head.i != root.i:
                    m.absorbed_by = verbs[root.head.i]
                    continue
            if (
                root.tag_ == "VBG"
                and root.dep_ == "advcl"
                and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in root.children)
            ):
                # "slaughtered a family, killing ten": the parser may hang the participle
                # elsewhere; it continues the nearest earlier verb of its type.
                earlier = [
                    n
                    for i, n in verbs.items()
                    if i < root.i
                    and i >= root.sent.start
                    and mentions[n].type == m.type
                    and mentions[n] is not m
                ]
                if earlier:
                    m.absorbed_by = max(earlier, key=lambda n: mentions[n].trigger.start)
                    continue
            subj = next(
                (c for c in m.trigger.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None
            )
            if subj is not None and subj.i in by_token:
                m.absorbed_by = by_token[subj.i]

    def _merge(self, doc: Doc, mentions: list[_Mention]) -> tuple[list[Event], list[Casualty]]:
        groups: list[list[_Mention]] = []
        for n, m in enumerate(mentions):
            if m.absorbed_by is not None and m.absorbed_by != n:
                host = mentions[m.absorbed_by]
                host.target = host.target or m.target
                host.date = host.date or m.date
                if m.polarity == "negated":
                    host.polarity = "negated"
                host.casualties.append(m)
                continue
            for g in groups:
                if any(_compatible(x, m) for x in g):
                    g.append(m)
                    break
            else:
                earlier = _antecedent(groups, m)
                if earlier is not None:
                    earlier.append(m)
                else:
                    groups.append([m])
        events: list[Event] = []
        # each figure of the text, with the violent events that could hold it
        candidates: dict[tuple[CharSpan, str], list[tuple[_Rank, str, CasualtyFigure]]] = {}
        for n, g in enumerate(groups, start=1):
            first = min(g, key=_informativeness)
            eid = f"e{n}"
            mode = next((m.mode for m in g if m.mode), None)
            date = _best_date([m.date for m in g])
            source = next((m.source for m in g if m.source), None)
            target = next((m.target for m in g if m.target), None)
            figures = []
            sents = {s for m in g for s in (m.sent, *(x.sent for x in m.casualties))}
            for sent in sorted(sents, key=lambda s: s.start):
                figures += find_casualties(sent.text, sent.start_char, _names(sent))
            place, place_precision = _place_of(doc, g, first)
            in_order = sorted(sents, key=lambda s: s.start)
            # the mode ACLED reads from the whole sentence; the event keeps its own mode
            read = mode
            if first.type == "ASSAULT":
                read = acled.reading_mode(mode, acled.sentence_weapon(in_order))
                if (
                    read in _DIRECT_OR_NONE
                    and not any(_by_protesters(m) for m in g)
                    and (any(_at_protesters(m) for m in g) or _names_protesters(in_order))
                ):
                    read = "crackdown"  # "police shot protesters", "protesters died from gunfire"
            elif first.type == "PROTEST" and mode in {None, "demo"}:
                kind = acled.protest_kind(in_order)
                read = {"riot": "riot", "intervention": "intervened"}.get(kind or "", mode)
            target_sector = _target_sector(doc, target, figures) or _noun_sector(g, 1)
            source_sector = _actor_sector(doc, source) or _armed(_noun_sector(g, 0))
            if first.type == "ASSAULT" and target_sector is None:
                target_sector = _other_party(in_order, g)
            typed = lexicon.acled_for(first.type, read, target_sector, source_sector)
            if (
                first.type == "ASSAULT"
                and not (acled.is_armed(source_sector) or acled.is_armed(target_sector))
                and acled.names_hazard(in_order)
            ):
                typed = None  # "a tsunami killed 43", "a chemical plant exploded": no conflict
            elif first.type == "ASSAULT" and (
                (
                    read in _DIRECT_OR_NONE | {"destroy", "clash"}
                    and any(_by_protesters(m) for m in g)
                )
                or (read == "clash" and _names_protesters(in_order))
            ):
                typed = lexicon.acled_for("PROTEST", "riot")  # "rioters clashed with police"
            elif (
                first.type == "COERCE"
                and mode == "disperse"
                and (acled.protest_kind(in_order) == "riot")
            ):
                typed = lexicon.acled_for("PROTEST", "riot")  # tear gas at stone-throwers
            cols = acled.columns(
                typed,
                _inter(doc, source, source_sector, place),
                _inter(doc, target, target_sector, place),
                target_sector,
            )
            sent = first.sent
            events.append(
                Event(
                    id=eid,
                    type=first.type,
                    mode=mode,
                    acled_event_type=typed[0] if typed else None,
                    acled_sub_event_type=typed[1] if typed else None,
                    disorder_type=cols.disorder_type,
                    civilian_targeting=cols.civilian_targeting,
                    inter1=cols.inter1,
                    inter2=cols.inter2,
                    interaction=cols.interaction,
                    source_actor=source,
                    target_actor=target,
                    date=date,
                    polarity=first.polarity,  # type: ignore[arg-type]
                    modality=first.modality,  # type: ignore[arg-type]
                    place=place,
                    place_precision=place_precision,
                    trigger=first.trigger.text,
                    trigger_span=CharSpan(first.trigger.start_char, first.trigger.end_char),
                    evidence=CharSpan(sent.start_char, sent.end_char),
                )
            )
            if first.type != "ASSAULT" or first.polarity == "negated":
                continue
            for f in figures:
                rank = (mode is None, date is None, _distance(g, f.span), n)
                candidates.setdefault((f.span, f.group), []).append((rank, eid, f))
        _continuing_figures(doc, groups, candidates)
        return events, _casualties(doc, candidates)


def _happenings(mentions: list[_Mention]) -> list[_Mention]:
    """The mentions that stand for a happening of their own (``nlp.happening``); a violent
    noun that names a violent verb's happening ("killed three in a gunbattle") takes the verb
    in, with its actors."""
    verdicts = happening.judge(mentions)
    kept = [m for m, v in zip(mentions, verdicts, strict=True) if v.action != "drop"]
    for m, v in zip(mentions, verdicts, strict=True):
        if v.action == "join" and v.host is not None:
            verb = mentions[v.host]
            m.source = m.source or verb.source
            m.target = m.target or verb.target
            m.date = m.date or verb.date
            if verb.absorbed_by is None:
                verb.absorbed_by = -1 - kept.index(m)  # resolved below, once indices settle
    for m in kept:
        if m.absorbed_by is not None and m.absorbed_by < 0:
            m.absorbed_by = -1 - m.absorbed_by
    return kept


def _names(sent: Span) -> list[tuple[int, int]]:
    """People's names in a sentence, as character spans into its text."""
    base = sent.start_char
    out = [(e.start_char - base, e.end_char - base) for e in sent.ents if e.label_ == "PERSON"]
    for tok in sent:  # a surname alone the parser took for no entity: "Ballardo was killed"
        if (
            tok.pos_ == "PROPN"
            and tok.ent_type_ in ("", "PERSON")
            and tok.dep_ in {"nsubj", "nsubjpass", "dobj"}
            and not any(a <= tok.idx - base < b for a, b in out)
            and tok.text[:1].isupper()
            and (not tok.is_sent_start or tok.head.pos_ in {"VERB", "AUX"})
        ):
            out.append((tok.idx - base, tok.idx - base + len(tok.text)))
    return out


def _continuing_figures(
    doc: Doc,
    groups: list[list[_Mention]],
    candidates: dict[tuple[CharSpan, str], list[tuple[_Rank, str, CasualtyFigure]]],
) -> None:
    """Figures in sentences that tell no violent event of their own ("The victim died at the
    hospital", "He died of his wounds on Friday") continue the violent happening told before
    them (else the first one after): each becomes the toll of the nearest such event, the
    earlier one first. Sentences of negated or unreal violent events stay out."""
    violent: list[tuple[int, str]] = []  # (trigger start, event id) of positive ASSAULTs
    assault_sents: set[int] = set()
    for n, g in enumerate(groups, start=1):
        for m in g:
            for x in (m, *m.casualties):
                if x.type == "ASSAULT":
                    assault_sents.add(x.sent.start)
        first = min(g, key=_informativeness)
        real = first.modality in {"asserted", "reported"}
        if first.type == "ASSAULT" and first.polarity == "positive" and real:
            violent += [(m.trigger.start_char, f"e{n}") for m in g]
    if not violent:
        return
    for sent in doc.sents:
        if sent.start in assault_sents:
            continue
        for f in find_casualties(sent.text, sent.start_char, _names(sent)):
            before = [(f.span.start - at, eid) for at, eid in violent if at <= f.span.start]
            after = [(at - f.span.start, eid) for at, eid in violent if at > f.span.start]
            gap, eid = min(before) if before else min(after)
            rank = (False, False, gap + (0 if before else 10**6), 0)
            candidates.setdefault((f.span, f.group), []).append((rank, eid, f))


def _distance(group: list[_Mention], span: CharSpan) -> int:
    """Characters between a figure and the nearest trigger of an event in its sentence."""
    triggers = [t for m in group for t in (m, *m.casualties)]
    near = [
        abs(t.trigger.start_char - span.start)
        for t in triggers
        if t.sent.start_char <= span.start < t.sent.end_char
    ]
    return min(near, default=10**9)


#: How well an event fits a figure of its sentence, best first: it has a mode, it has a date,
#: characters from its nearest trigger to the figure, its order in the document.
_Rank = tuple[bool, bool, int, int]


def _casualties(
    doc: Doc, candidates: dict[tuple[CharSpan, str], list[tuple[_Rank, str, CasualtyFigure]]]
) -> list[Casualty]:
    """One record per figure of the text: a toll belongs to one event only, so it never
    counts for two happenings: of the violent events of its sentence, the one that says most
    (a mode, a date: "Pentagon admits Kabul drone strike ... that killed 10" gives the 10 to
    the drone strike, not to "killed"), then the nearest; an aggregate figure ("the war has
    killed 300,000") is no event's toll, and names the event it was read beside as
    ``context_of``."""
    out: list[Casualty] = []
    seen: set[tuple[Any, ...]] = set()
    for options in candidates.values():
        _rank, eid, f = min(options, key=lambda o: o[0])
        key = (eid, f.group, f.killed, f.injured, f.part_of, f.scope, f.victim)
        if key in seen:  # the same figure again ("10 were killed ... the 10 killed")
            continue
        seen.add(key)
        scope_text = doc.text[f.scope_span.start : f.scope_span.end] if f.scope_span else None
        out.append(
            Casualty(
                event=None if f.scope else eid,
                group=f.group,
                killed=f.killed,
                injured=f.injured,
                evidence=f.span,
                part_of=f.part_of,
                aggregate=f.scope is not None,
                scope=f.scope,
                scope_text=scope_text,
                context_of=eid if f.scope else None,
                victim=f.victim,
            )
        )
    return out


_LOCATIVE = {"in", "at", "near", "outside", "on", "inside", "across", "over", "around", "into"}
_HEDGES = {"near", "outside", "around"}


def _place_of(doc: Doc, group: list[_Mention], first: _Mention) -> tuple[str | None, int | None]:
    """The place where an event happened, and the precision that reading allows.

    The place tied to a trigger by a locative preposition ("a drone strike in Kabul") keeps
    its precision ("near"/"outside" lower a town to 2); else the article's dateline ("KABUL —")
    and else the most specific place of the sentence, each one step less precise.
    """
    found = doc_records(doc)
    places = {p.id: p for p in found.places}
    if not places:
        return None, None
    of_token = found.place_of_token
    for m in sorted(group, key=lambda m: m is not first):
        head = m.trigger.root
        scope = [head, *([head.head] if head.dep_ in {"nsubj", "nsubjpass", "dobj"} else [])]
        tied: list[tuple[int, str]] = []  # (precision, place id), in the order of the text
        for tok in scope:
            for child in tok.children:
                if child.dep_ in {"dobj", "npadvmod"} and child.i > tok.i and tok.pos_ == "VERB":
                    # "shelled Madaya", "struck the town of Ariha": the place struck
                    hit = next((t for t in child.subtree if t.i in of_token), None)
                    if hit is not None:
                        p = places[of_token[hit.i]]
                        tied.append((2 if p.near and p.precision == 1 else p.precision, p.id))
                if child.dep_ != "prep" or child.lower_ not in _LOCATIVE:
                    continue
                for sub in child.subtree:
                    if sub.i in of_token:
                        p = places[of_token[sub.i]]
                        precision = p.precision
                        if (child.lower_ in _HEDGES or p.near) and precision == 1:
                            precision = 2
                        tied.append((precision, p.id))
                        break
        if tied:  # "shelled Madaya, in Rif Dimashq": the town, not its province
            precision, pid = min(tied, key=lambda t: t[0])
            return pid, precision
    dateline = _dateline_place(doc, of_token, places)
    if dateline is not None:
        return dateline.id, min(3, dateline.precision + 1)
    in_sentence = [
        places[of_token[t.i]]
        for t in first.sent
        if t.i in of_token and t.dep_ not in {"nsubj", "nsubjpass", "poss"}
    ]  # "Washington said": an actor, not where it happened
    if in_sentence:
        best = min(in_sentence, key=lambda p: p.precision)
        return best.id, min(3, best.precision + 1)
    return None, None


def _dateline_place(doc: Doc, of_token: dict[int, str], places: dict[str, Place]) -> Place | None:
    """The place of a dateline: a place name in the first few tokens, before a dash or comma."""
    for tok in doc[:12]:
        if tok.i in of_token:
            following = doc[tok.i + 1 : tok.i + 4].text
            if any(mark in following for mark in ("—", "–", " - ", "(", ",")):
                return places[of_token[tok.i]]
            return None
    return None


def _compatible(a: _Mention, b: _Mention) -> bool:
    """Two mentions of one happening: same type and polarity, nothing in conflict, and at
    least one positive sign of identity (the same trigger word, a shared actor, or dates that
    agree)."""
    if a.type != b.type or a.polarity != b.polarity:
        return False
    same_word = a.trigger.root.lemma_.lower() == b.trigger.root.lemma_.lower()
    shared_actor = bool({a.source, a.target} & {b.source, b.target} - {None})
    same_date = bool(
        a.date and b.date and a.date.start == b.date.start and a.date.end == b.date.end
    )
    same_mode = bool(a.mode and a.mode == b.mode)
    if not (same_word or shared_actor or same_date or same_mode):
        return False
    if a.mode and b.mode and a.mode != b.mode and frozenset({a.mode, b.mode}) not in _CLOSE_MODES:
        return False
    if a.source and b.source and a.source != b.source:
        return False
    if a.target and b.target and a.target != b.target:
        return False
    return not (a.date and b.date and not _overlap(a.date, b.date))


def _antecedent(groups: list[list[_Mention]], m: _Mention) -> list[_Mention] | None:
    """A definite noun ("the strike", "the Kabul strike", "the pullout") refers back to the
    latest earlier event of its type that nothing contradicts."""
    head = m.trigger.root
    definite = any(c.lower_ in {"the", "this", "that", "these", "those"} for c in head.lefts) or (
        any(c.dep_ == "poss" for c in head.lefts)
    )
    if not (m.nominal and definite):
        return None
    for g in reversed(groups):
        x = g[0]
        if x.type != m.type or x.polarity != m.polarity:
            continue
        if _conflict(x, m):
            continue
        return g
    return None


def _conflict(a: _Mention, b: _Mention) -> bool:
    if a.mode and b.mode and a.mode != b.mode and frozenset({a.mode, b.mode}) not in _CLOSE_MODES:
        return True
    if a.source and b.source and a.source != b.source:
        return True
    if a.target and b.target and a.target != b.target:
        return True
    return bool(a.date and b.date and not _overlap(a.date, b.date))


def _informativeness(m: _Mention) -> tuple[int, ...]:
    """Sort key: the mention that best stands for its event comes first."""
    return (
        m.modality != "asserted",
        m.date is None,
        m.source is None,
        m.target is None,
        m.trigger.start,
    )


def _overlap(a: DateValue, b: DateValue) -> bool:
    if not (a.start and a.end and b.start and b.end):
        return True
    return a.start <= b.end and b.start <= a.end


def _best_date(dates: list[DateValue | None]) -> DateValue | None:
    known = [d for d in dates if d is not None]
    if not known:
        return None
    return min(known, key=lambda d: precision_rank(d.precision))


_DIRECT_OR_NONE = {None, "firearms", "beat", "primitive"}
_PROTESTERS = {"protester", "protestor", "demonstrator", "marcher", "rioter"}


def _at_protesters(m: _Mention) -> bool:
    victim = acled.party_tokens(m.trigger.root)[1]
    return victim is not None and victim.lemma_.lower() in _PROTESTERS


def _other_party(sents: list[Span], group: list[_Mention]) -> str | None:
    """The kind of party the sentences name besides the attacker, when the trigger has no
    victim: armed if any noun names armed people ("the army killed scores of the terrorists"),
    else civilian if one names unarmed people, else None."""
    attackers = {
        t.i
        for m in group
        if (a := acled.party_tokens(m.trigger.root)[0]) is not None
        for t in a.subtree
    }
    found = [
        sector
        for sent in sents
        for t in sent
        if t.pos_ in {"NOUN", "PROPN"} and t.i not in attackers
        and (sector := acled.noun_sector(t)) is not None
    ]  # fmt: skip
    armed = [s for s in found if acled.is_armed(s)]
    return armed[0] if armed else (found[0] if found else None)


def _armed(sector: str | None) -> str | None:
    """An attacker read from a common noun only when armed: "three civilians killed" read as
    active names the victims, not the perpetrators."""
    return sector if acled.is_armed(sector) else None


def _names_protesters(sents: list[Span]) -> bool:
    return any(t.lemma_.lower() in _PROTESTERS for s in sents for t in s)


def _by_protesters(m: _Mention) -> bool:
    attacker = acled.party_tokens(m.trigger.root)[0]
    return attacker is not None and attacker.lemma_.lower() in _PROTESTERS


def _actor_sector(doc: Doc, actor: str | None) -> str | None:
    if actor is not None:
        for a in doc_records(doc).actors:
            if a.id == actor:
                return a.sector or None
    return None


def _noun_sector(group: list[_Mention], which: int) -> str | None:
    """The sector the attacker's (0) or the victim's (1) common noun tells, from the first
    mention that has one ("the army killed scores of terrorists": rebel)."""
    for m in group:
        tok = acled.party_tokens(m.trigger.root)[which]
        if tok is not None and tok.lemma_.lower() in {"score", "dozen", "hundred", "number"}:
            tok = next((g for c in tok.children if c.dep_ == "prep" for g in c.children
                        if g.dep_ == "pobj"), tok)  # fmt: skip
        sector = acled.noun_sector(tok)
        if sector is not None:
            return sector
    return None


def _inter(doc: Doc, actor: str | None, sector: str | None, place: str | None) -> int | None:
    """ACLED's actor type of an event's actor: from its sector, a state's forces abroad 8."""
    found = doc_records(doc)
    country = next((a.country for a in found.actors if a.id == actor), None)
    where = next((p.country for p in found.places if p.id == place), None)
    return acled.inter_of(sector, country, where)


def _target_sector(doc: Doc, target: str | None, figures: list[Any]) -> str | None:
    if target is not None:
        for actor in doc_records(doc).actors:
            if actor.id == target:
                return actor.sector or None
    groups = {f.group for f in figures}
    if groups & {"civilians", "children", "women"}:
        return "civilian"
    for group, sector in (("military", "military"), ("police", "police"), ("combatants", "rebel")):
        if group in groups:
            return sector
    return None


@registry.misc("overhorizon_events.v3")  # type: ignore[untyped-decorator]
def events_v3() -> Callable[[Language], EventFinder]:
    """Version 3 of the component (v2 plus aggregate figures kept apart from tolls, and each
    figure the toll of one event only); a published version never changes meaning."""
    return EventFinder


@registry.misc("overhorizon_events.v4")  # type: ignore[untyped-decorator]
def events_v4() -> Callable[[Language], EventFinder]:
    """Version 4: version 3 taking no trigger in page furniture outside datelines
    (``overhorizon_furniture``)."""
    return partial(EventFinder, furniture=True)


@registry.misc("overhorizon_events.v5")  # type: ignore[untyped-decorator]
def events_v5() -> Callable[[Language], EventFinder]:
    """Version 5: version 4 reading no year of a date as a count ("Sep 24 2016 Ninety-two
    civilians were killed" is 92)."""
    return partial(EventFinder, furniture=True)


@registry.misc("overhorizon_events.v6")  # type: ignore[untyped-decorator]
def events_v6() -> Callable[[Language], EventFinder]:
    """Version 6 (issue 15: events an analyst can trust): only candidates that stand for a
    happening of their own become events (``nlp.happening``: no modifiers, complements,
    conditions, habits, capabilities or background nouns; a violent noun inside a violent
    verb is one event)."""
    return partial(EventFinder, furniture=True, happenings=True)


@Language.factory("overhorizon_events", default_config={"impl": {"@misc": "overhorizon_events.v6"}})
def make_events(nlp: Language, name: str, impl: Callable[[Language], EventFinder]) -> EventFinder:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here)."""
    return impl(nlp)
