"""Toponyms the model misses, found through the gazetteer; and mentions that name a place
without saying where anything happened.

The small spaCy model tags many place names as ORG or PERSON ("Idlib", "California"), or not
at all ("Rif Dimashq"), and misses names in capitals ("KABUL"). :func:`find_more` looks at
those spans and at runs of proper nouns outside every entity, and keeps one when the gazetteer
knows it and the text supports a place reading: a country, province, region or sea by name; a
large or prominent city; or any town right after a locative word ("in Madaya", "near Bulacan").

:func:`role` tells how a mention names its place: ``"place"`` (it may be where an event
happened), ``"demonym"`` ("Russian jets": the nationality of an actor) or ``"seat"`` (an
organisation's base: "the Britain-based observatory", "a London-based monitor"). Only places
may be an event's place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from spacy.tokens import Doc, Span

Role = Literal["place", "demonym", "seat"]

#: Words right before a place name that make a capitalised span a place ("in Madaya").
LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "outside",
        "around",
        "from",
        "to",
        "into",
        "across",
        "towards",
        "toward",
        "of",
        "on",
        "through",
        "besieged",
        "town",
        "city",
        "village",
        "province",
        "district",
    }
)
#: Direction and generic words that GeoNames holds as admin areas ("Western", Uganda).
_GENERIC = frozenset(
    {
        "western",
        "eastern",
        "northern",
        "southern",
        "central",
        "north",
        "south",
        "east",
        "west",
        "capital",
        "coast",
        "centre",
        "center",
        "national",
        "federal",
        "upper",
        "lower",
        "islands",
        "island",
        "interior",
        "border",
        "frontier",
        "mountain",
        "valley",
        "lakes",
        "river",
        "city",
        "state",
        "union",
        "republic",
        "ocean",
    }
)
#: Labels under which the model files a name that may still be a place.
_MISLABELLED = frozenset({"ORG", "PERSON", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"})
_SEAT = re.compile(r"\s*-\s*(?:based|headquartered)\b", re.IGNORECASE)
_MAJOR_POPULATION = 100_000
_MAX_RUN = 4


class _Gazetteer(Protocol):
    def candidates(
        self, name: str, *, country: str | None = None, limit: int = 20
    ) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Found:
    """A toponym found beside the model's entities: its text (for look-up) and token span."""

    text: str
    span: Span


def _area(c: Any) -> bool:
    return bool(c.kind in ("country", "region", "sea") or c.kind == "admin1")


def _major(c: Any) -> bool:
    if c.kind != "city":
        return False
    return int(c.population) >= _MAJOR_POPULATION or int(getattr(c, "names_count", 0)) >= 30


def _after_locative(span: Span) -> bool:
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].is_punct and doc[i].text in {",", "("}:
        i -= 1
    return i >= 0 and doc[i].lower_ in LOCATIVE


def _knows(gazetteer: _Gazetteer, text: str, span: Span, *, strict: bool) -> bool:
    """Whether the gazetteer holds ``text`` in a reading the context supports."""
    if text.lower() in _GENERIC or len(text) < 3:
        return False
    cands = gazetteer.candidates(text, limit=5)
    if not cands:
        return False
    best = cands[0]
    if best.matched not in ("primary", "ascii") and not (
        best.kind == "country" and best.matched == "alternate"
    ):
        return False  # an alternate spelling alone is too weak a sign
    if _area(best) or _major(best):
        return not strict or _after_locative(span)
    return _after_locative(span)


def _clean(text: str) -> str:
    text = text.strip()
    return text[4:] if text.lower().startswith("the ") else text


def find_more(doc: Doc, taken: Iterable[tuple[int, int]], gazetteer: _Gazetteer) -> list[Found]:
    """Place names outside ``taken`` (character ranges already read as toponyms)."""
    busy = sorted(taken)

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in busy)

    found: list[Found] = []
    ents_at: dict[int, Span] = {}
    for ent in doc.ents:
        for tok in ent:
            ents_at[tok.i] = ent
        if ent.label_ not in _MISLABELLED or not free(ent.start_char, ent.end_char):
            continue
        text = _clean(ent.text)
        if not text[:1].isupper():
            continue
        # a person's name is a place only right after "in", "near" ...: "Nelson said" is not
        strict = ent.label_ in {"PERSON", "NORP"}
        if _knows(gazetteer, text, ent, strict=strict):
            found.append(Found(text, ent))
            busy.append((ent.start_char, ent.end_char))
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in ents_at or not _proper(tok):
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < _MAX_RUN and j not in ents_at and _proper(doc[j]):
            j += 1
        hit = None
        for end in range(j, i, -1):  # the longest run the gazetteer knows
            span = doc[i:end]
            if not free(span.start_char, span.end_char):
                continue
            text = span.text.title() if span.text.isupper() else span.text
            if _knows(gazetteer, text, span, strict=bool(tok.is_sent_start)):
                hit = Found(text, span)
                break
        if hit is not None:
            found.append(hit)
            busy.append((hit.span.start_char, hit.span.end_char))
            i = hit.span.end
        else:
            i += 1
    return found


def demonyms(doc: Doc, taken: Iterable[tuple[int, int]]) -> list[Found]:
    """Nationality words ("Russian", "Syrians") as mentions of their country, looked up by
    the country's name: :func:`role` makes them demonyms, never an event's place."""
    from overhorizon.nlp import lexicon

    busy = list(taken)
    found = []
    for ent in doc.ents:
        if ent.label_ != "NORP" or any(a < ent.end_char and ent.start_char < b for a, b in busy):
            continue
        code = lexicon.country_for(ent.text)
        name = lexicon.country_name(code) if code else None
        if name and (not code or not code.startswith("X") or code == "XEU"):
            found.append(Found(name, ent))
    return found


def embedded(doc: Doc, taken: Iterable[tuple[int, int]], gazetteer: _Gazetteer) -> list[Found]:
    """A place name opening an organisation's or a building's name ("US Army", "Kabul
    University"): a mention of the place, as an organisation's seat, never an event's place."""
    busy = list(taken)
    found = []
    for ent in doc.ents:
        if ent.label_ not in {"ORG", "FAC"} or len(ent) < 2:
            continue
        if any(a < ent.end_char and ent.start_char < b for a, b in busy):
            continue
        start = 1 if ent[0].lower_ == "the" else 0
        for end in range(min(len(ent) - 1, start + 3), start, -1):
            span = ent[start:end]
            if not all(t.text[:1].isupper() or t.text in {".", "-"} for t in span):
                continue
            cands = gazetteer.candidates(span.text, limit=3)
            best = cands[0] if cands else None
            if best is not None and best.matched != "code" and (_area(best) or _major(best)):
                if span.text.lower() not in _GENERIC:
                    found.append(Found(span.text, span))
                break
    return found


def _proper(tok: Any) -> bool:
    """A token that may belong to a place name: a capitalised proper noun."""
    return bool(tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha)


def role(doc: Doc, start: int, end: int, label: str, *, inside: bool = False) -> Role:
    """How the mention ``doc.text[start:end]`` (an entity labelled ``label``) names a place;
    ``inside``: it opens a longer organisation's name."""
    if inside or _SEAT.match(doc.text, end):
        return "seat"
    if label == "NORP":
        return "demonym"
    return "place"
