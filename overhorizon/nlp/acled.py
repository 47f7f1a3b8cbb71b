"""ACLED's reading of a violent sentence: the weapon it names, the kind of party hit, the columns.

Four small tables in ``nlp/data`` drive it:

- ``weapons.tsv``: words that name a weapon, each with the ASSAULT mode it gives and a rank (1 is
  the strongest: a chemical agent beats the shell that carried it, a suicide attack its bomb, an
  aircraft the missile it fired).
- ``party_nouns.tsv``: common nouns that say what kind of party a victim or an attacker is when no
  known actor does ("terrorists", "a military patrol", "worshippers", "a hospital").
- ``acled_inter.tsv``: our actor sectors as ACLED's actor types (``inter1``/``inter2``).
- ``acled_disorder.tsv``: ACLED's ``disorder_type`` of each sub-event type.

Everything here is a pure function of spaCy tokens and strings: the events component calls it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from spacy.tokens import Span, Token

from overhorizon.nlp import lexicon

#: The ACLED actor type codes and their names (ACLED codebook, "Actor types").
INTER_NAMES: Final[Mapping[int, str]] = MappingProxyType({
    1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
    5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces",
})  # fmt: skip
DISORDER_TYPES: Final = (
    "Political violence", "Demonstrations", "Strategic developments",
    "Political violence; Demonstrations",
)  # fmt: skip
CIVILIAN_TARGETING: Final = "Civilian targeting"
#: Modes a weapon named elsewhere in the sentence may replace: no mode, or one that says only
#: that it was direct or destructive; remote weapons outrank each other by the table's rank.
_OPEN_MODES: Final = frozenset({"firearms", "destroy", "primitive", "assassinate", "beat"})
_REMOTE_MODES: Final = frozenset(
    {"aerial", "drone", "heavy-weapons", "explosives", "grenade", "suicide-attack", "chemical"}
)
_ARMED: Final = frozenset({"military", "police", "rebel", "international"})
_STATE: Final = frozenset({"military", "police", "government"})


@dataclass(frozen=True, slots=True)
class Weapon:
    """A weapon word (lower-case lemmas, space-separated) and the mode it gives."""

    words: tuple[str, ...]
    mode: str
    rank: int


def _rows(name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    return lexicon.parse_tsv(lexicon._text(name), lexicon._source(name), columns)


@functools.cache
def weapons() -> tuple[Weapon, ...]:
    """Return the rows of weapons.tsv, one per word, strongest rank first."""
    out = []
    for line, row in _rows("weapons.tsv", ("words", "mode", "rank", "notes")):
        mode = lexicon.canonical_mode("ASSAULT", row["mode"])
        if mode is None or not row["rank"].isdigit():
            raise lexicon.LexiconError(lexicon._source("weapons.tsv"), line, "mode and rank needed")
        for w in lexicon._split(row["words"]):
            out.append(Weapon(tuple(w.lower().split()), mode, int(row["rank"])))
    return tuple(sorted(out, key=lambda w: (w.rank, -len(w.words))))


@functools.cache
def party_nouns() -> Mapping[str, str]:
    """Return party_nouns.tsv: a noun's lemma (or two-word lemma) -> the sector it tells."""
    out: dict[str, str] = {}
    for line, row in _rows("party_nouns.tsv", ("words", "sector", "notes")):
        sector = lexicon._one_of(
            row["sector"], lexicon.SECTORS, "sector", lexicon._source("party_nouns.tsv"), line
        )
        for w in lexicon._split(row["words"]):
            out[" ".join(w.lower().split())] = sector
    return MappingProxyType(out)


@functools.cache
def inter_codes() -> Mapping[str, int]:
    """Return acled_inter.tsv: an actor sector -> ACLED's actor type code."""
    out: dict[str, int] = {}
    for line, row in _rows("acled_inter.tsv", ("sector", "inter", "name", "notes")):
        src = lexicon._source("acled_inter.tsv")
        sector = lexicon._one_of(row["sector"], lexicon.SECTORS, "sector", src, line)
        code = int(row["inter"]) if row["inter"].isdigit() else 0
        if INTER_NAMES.get(code) != row["name"]:
            raise lexicon.LexiconError(
                src, line, f"{row['inter']!r} is not ACLED's {row['name']!r}"
            )
        out[sector] = code
    return MappingProxyType(out)


@functools.cache
def disorder_types() -> Mapping[str, str]:
    """Return acled_disorder.tsv: an ACLED sub-event type -> its disorder type."""
    out: dict[str, str] = {}
    src = lexicon._source("acled_disorder.tsv")
    for line, row in _rows(
        "acled_disorder.tsv", ("acled_sub_event_type", "disorder_type", "notes")
    ):
        sub = lexicon._one_of(
            row["acled_sub_event_type"], lexicon.ACLED_SUB_EVENT_TYPES, "sub-event type", src, line
        )
        out[sub] = lexicon._one_of(row["disorder_type"], DISORDER_TYPES, "disorder type", src, line)
    missing = set(lexicon.ACLED_SUB_EVENT_TYPES) - set(out)
    if missing:
        raise lexicon.LexiconError(src, len(out) + 2, f"no disorder type for {sorted(missing)}")
    return MappingProxyType(out)


def _words(name: str, columns: tuple[str, ...], column: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for _, row in _rows(name, columns):
        for w in lexicon._split(row[column]):
            out[" ".join(w.lower().split())] = row
    return out


@functools.cache
def hazards() -> frozenset[str]:
    """Return hazards.tsv: words of natural and industrial disasters (one or two lemmas)."""
    return frozenset(_words("hazards.tsv", ("words", "notes"), "words"))


@functools.cache
def protest_cues() -> Mapping[str, str]:
    """Return protest_cues.tsv: a word (one or two lemmas) -> riot or intervention."""
    rows = _words("protest_cues.tsv", ("words", "kind", "notes"), "words")
    return MappingProxyType({w: r["kind"] for w, r in rows.items()})


@dataclass(frozen=True, slots=True)
class ObjectReading:
    """A trigger verb whose object decides its type: "seized weapons" is COERCE/disrupt-weapons."""

    verbs: frozenset[str]
    objects: frozenset[str]
    plover_type: str
    mode: str


@functools.cache
def object_readings() -> tuple[ObjectReading, ...]:
    """Return the rows of object_readings.tsv."""
    out = []
    for _, row in _rows("object_readings.tsv", ("verbs", "objects", "type", "mode", "notes")):
        mode = lexicon.canonical_mode(row["type"], row["mode"]) or row["mode"]
        out.append(
            ObjectReading(
                frozenset(lexicon._split(row["verbs"])), frozenset(lexicon._split(row["objects"])),
                row["type"], mode,
            )
        )  # fmt: skip
    return tuple(out)


def _lemma_set(sents: Iterable[Span]) -> set[str]:
    """Lemmas and two-lemma sequences of the sentences, lower-case."""
    out: set[str] = set()
    for sent in sents:
        lemmas = [t.lemma_.lower() for t in sent]
        out.update(lemmas)
        out.update(f"{a} {b}" for a, b in itertools.pairwise(lemmas))
        out.update(t.lower_ for t in sent)
    return out


def names_hazard(sents: Iterable[Span]) -> bool:
    """Whether the sentences name a natural or industrial disaster."""
    return bool(_lemma_set(sents) & hazards())


def protest_kind(sents: Iterable[Span]) -> str | None:
    """riot when the sentences tell of protesters' violence, intervention when of the state
    breaking a protest up, else None (riot first: ACLED files a protest that turned violent
    as a violent demonstration even when the police then intervened)."""
    kinds = {protest_cues()[w] for w in _lemma_set(sents) if w in protest_cues()}
    return "riot" if "riot" in kinds else ("intervention" if kinds else None)


def object_reading(head: Token) -> ObjectReading | None:
    """The reading a trigger's object gives it ("seized weapons", "set up a new post"), or None."""
    lemma = head.lemma_.lower()
    rows = [r for r in object_readings() if lemma in r.verbs]
    if not rows:
        return None
    objs = [c for c in head.children if c.dep_ in {"dobj", "nsubjpass", "pobj", "compound"}]
    objs += [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if head.dep_ in {"acl", "amod", "relcl"}:
        objs.append(head.head)  # "weapons seized on a boat"
    objs += [  # "a large amount of ammunition", "a stash of rockets"
        g for o in list(objs) for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children if g.dep_ == "pobj"
    ]  # fmt: skip
    for r in rows:
        for o in objs:
            words = {o.lemma_.lower(), *(f"{c.lemma_.lower()} {o.lemma_.lower()}" for c in o.lefts)}
            words |= {c.lemma_.lower() for c in o.children if c.dep_ == "compound"}
            if words & r.objects:
                return r
    return None


# --- reading a sentence -----------------------------------------------------------------------
def sentence_weapon(sents: Iterable[Span]) -> Weapon | None:
    """Return the strongest weapon the sentences name, or None."""
    best: Weapon | None = None
    for sent in sents:
        lemmas = [
            t.lemma_.lower() if t.pos_ != "PRON" else "" for t in sent
        ]  # "mine" the pronoun is no landmine
        words = [t.lower_ for t in sent]
        for w in weapons():
            if best is not None and w.rank >= best.rank:
                break
            n = len(w.words)
            if any(
                tuple(lemmas[i : i + n]) == w.words or tuple(words[i : i + n]) == w.words
                for i in range(len(lemmas) - n + 1)
            ):
                best = w
                break
    return best


def reading_mode(mode: str | None, weapon: Weapon | None) -> str | None:
    """The mode ACLED would read: the event's own, or the sentence's weapon where that says more.

    A weapon named anywhere in the sentence gives the mode of an attack whose trigger names none
    ("killing 6 civilians" after "warplanes pounded the village"), replaces a mode that only says
    the attack was direct or destructive ("warplanes destroyed a depot"), and replaces a weaker
    remote mode ("missiles fired by jets" is an air strike, "mortars filled with chlorine" a
    chemical attack). Two-sided fighting, abduction, territory and the like keep their own mode.
    """
    if weapon is None:
        return mode
    if mode is None or mode in _OPEN_MODES:
        return weapon.mode
    if mode in _REMOTE_MODES:
        own = min((w.rank for w in weapons() if w.mode == mode), default=99)
        return weapon.mode if weapon.rank < own else mode
    return mode


def noun_sector(tok: Token | None) -> str | None:
    """The sector a common noun tells ("militants" rebel, "a police vehicle" police), or None.

    A modifier that names an armed party wins over the head ("military camp", "police station",
    "army positions"); a conjunct is read when the head tells nothing ("soldiers and civilians"
    is read from its first noun).
    """
    if tok is None:
        return None
    table = party_nouns()
    for c in tok.lefts:
        if c.dep_ in {"compound", "amod", "nmod"}:
            s = table.get(c.lemma_.lower())
            if s in _ARMED:
                return s
    two = None
    left = tok.nbor(-1) if tok.i > tok.sent.start else None
    if left is not None:
        two = table.get(f"{left.lemma_.lower()} {tok.lemma_.lower()}")
    return two or table.get(tok.lemma_.lower()) or table.get(tok.lower_)


def party_tokens(head: Token) -> tuple[Token | None, Token | None]:
    """The nouns that stand for the attacker and the attacked of a violent trigger.

    For a verb: the subject (or the agent of a passive) and the object (or the passive subject,
    or the object of "on", "against", "at"); for a noun ("an attack on a church"): the object
    of "on", "against", "at", "in", or the noun a "by" names as the attacker.
    """
    subj = obj = None
    for c in head.children:
        if c.dep_ == "nsubj":
            subj = c
        elif c.dep_ == "nsubjpass":
            obj = obj or c
        elif c.dep_ == "agent":
            subj = next((g for g in c.children if g.dep_ == "pobj"), subj)
        elif c.dep_ in {"dobj", "dative"}:
            obj = obj or c
        elif c.dep_ == "prep" and c.lower_ in {"on", "against", "at", "in", "targeting"}:
            obj = obj or next((g for g in c.children if g.dep_ == "pobj"), None)
        elif c.dep_ == "prep" and c.lower_ == "by":
            subj = subj or next((g for g in c.children if g.dep_ == "pobj"), None)
    if subj is None and head.dep_ in {"xcomp", "conj", "advcl"} and head.pos_ == "VERB":
        subj = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    if head.dep_ == "relcl" and subj is None:
        subj = head.head  # "gunmen who opened fire"
    return subj, obj


# --- the columns ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AcledColumns:
    """ACLED's columns beyond the types: disorder, civilian targeting, actor types."""

    disorder_type: str | None
    civilian_targeting: str | None
    inter1: int | None
    inter2: int | None
    interaction: int | None


def inter_of(sector: str | None, country: str | None, event_country: str | None) -> int | None:
    """ACLED's actor type of an actor of ``sector``: a state's forces outside their own country
    (both countries known and different) are External/Other forces (8)."""
    if sector is None:
        return None
    code = inter_codes().get(sector)
    if code == 1 and country and event_country and country != event_country:
        return 8
    return code


def columns(
    acled: tuple[str, str] | None,
    inter1: int | None,
    inter2: int | None,
    target_sector: str | None,
) -> AcledColumns:
    """ACLED's columns of an event of ACLED type ``acled`` whose actors have the given codes.

    Protesters are 6 and rioters 5 whatever their sector; civilian targeting is set when the
    target is unarmed people (or the event is one ACLED files as violence against civilians).
    ``interaction`` is ACLED's two-digit code, the lower actor type first (17: state forces on
    civilians); an actor acting alone gives its code and 0 (60: protesters alone); unknown actor
    types leave it null, never guessed.
    """
    if acled is None:
        return AcledColumns(None, None, None, None, None)
    event, sub = acled
    if event == "Protests" or sub == "Violent demonstration":
        inter1 = 6 if event == "Protests" else 5
        if sub in {"Protest with intervention", "Excessive force against protesters"}:
            inter1, inter2 = inter2, inter1  # the state acted on the protesters
            inter1 = inter1 or 1
    elif sub == "Mob violence":
        inter1 = 5
    civilians = target_sector in {"civilian", "media", "business"} or (
        event == "Violence against civilians"
    )
    if civilians and event in {
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
    }:
        inter2 = inter2 or 7
    if inter1 is not None and inter2 is not None:
        interaction: int | None = 10 * min(inter1, inter2) + max(inter1, inter2)
    elif inter1 is not None and event in {"Protests", "Riots"} and inter2 is None:
        interaction = 10 * inter1
    else:
        interaction = None
    return AcledColumns(
        disorder_types()[sub],
        CIVILIAN_TARGETING if civilians and event != "Strategic developments" else None,
        inter1,
        inter2,
        interaction,
    )


def is_armed(sector: str | None) -> bool:
    """Whether actors of ``sector`` are organised armed forces (state, rebel or foreign)."""
    return sector in _ARMED


def is_state(sector: str | None) -> bool:
    """Whether actors of ``sector`` are a state's forces or government."""
    return sector in _STATE
