"""``overhorizon_actors.v3``: people, organisations, countries, groups, outlets and anonymous
sources of a document, merged within it, with ISO alpha-3 country and sector.

Mentions come from the model's entities (PERSON, ORG, GPE, NORP), from the shipped actor
lexicon (outlets, institutions, armed groups: it also catches what the model mislabels), and
from a pattern for anonymous sources ("unnamed US officials", "a health ministry official").
Within a document, "Milley" joins "Gen. Mark Milley" and "the Journal" joins "The Wall Street
Journal". Country comes from the lexicon, demonyms and countries in the noun phrase ("his
Russian counterpart", "Russian President Vladimir Putin"); sector from titles and the lexicon.

Fills ``actors`` and ``actor_of_token`` of ``doc._.overhorizon`` (``nlp.doc_records``) with
typed ``Actor`` records. Version 1 wrote plain dicts to ``doc._.actors``; version 2 finds the
same actors and writes them typed; version 3 takes no mention in page furniture (tag and link
lists, bylines, credits, datelines: ``overhorizon_furniture``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from overhorizon.nlp import lexicon
from overhorizon.nlp.doc_records import doc_records
from overhorizon.records import Actor
from overhorizon.records import Span as CharSpan

# Head nouns of a possible unnamed source: "unnamed US officials", "an unidentified spokeswoman".
_ANON_HEADS = lexicon.ANONYMOUS_SOURCE_NOUNS | lexicon.SPOKESPERSON_NOUNS
_ANON_MARKS = {"unnamed", "anonymous", "unidentified"}
_ANON_CONTEXT = re.compile(r"condition of anonymity|familiar with|not authori[sz]ed to", re.I)
_STRIP_RE = re.compile(r"^(the|a|an)\s+|[’']s$", re.I)


@dataclass
class _Draft:
    """An actor being assembled from its mentions."""

    key: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    anonymous: bool = False
    aliases: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # token ranges
    tokens: set[int] = field(default_factory=set)


def _cityish(text: str, code: str) -> bool:
    """True for a capital-city alias of a country ("Kabul", "Moscow"), which names the
    country's government only as an agent."""
    entry = lexicon.countries().get(code)
    if entry is None or text == entry.name or text.isupper() or " " in text:
        return False
    return text in entry.aliases and not any(c in text for c in ".")


def _clean(text: str) -> str:
    text = " ".join(text.split())
    prev = None
    while prev != text:
        prev = text
        text = _STRIP_RE.sub("", text).strip()
    return text


def _np_tokens(head: Token) -> list[Token]:
    """The modifiers to the left of a noun in its phrase (compounds, adjectives, possessives)."""
    out: list[Token] = []
    for child in head.lefts:
        if child.dep_ in {"compound", "amod", "poss", "nmod", "det", "nummod"}:
            out.extend(child.subtree)
    return out


class ActorFinder:
    """The component: fills ``actors`` and ``actor_of_token`` of ``doc._.overhorizon``."""

    def __init__(self, nlp: Language, *, furniture: bool = False) -> None:
        """``furniture``: take no mention in page furniture (version 3)."""
        self.furniture = furniture
        self.phrases = PhraseMatcher(nlp.vocab)
        self.phrases_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in lexicon.known_actors():
            names = [entry.name, *entry.aliases]
            exact = [nlp.make_doc(n) for n in names if len(n) <= 4 or n.isupper()]
            loose = [nlp.make_doc(n) for n in names if not (len(n) <= 4 or n.isupper())]
            if exact:
                self.phrases.add(entry.name, exact)
            if loose:
                self.phrases_lower.add(entry.name, loose)
        self.anon = Matcher(nlp.vocab)
        self.anon.add(
            "ANON",
            [
                [
                    {
                        "LOWER": {
                            "IN": [
                                "unnamed",
                                "anonymous",
                                "unidentified",
                                "senior",
                                "two",
                                "three",
                                "several",
                                "a",
                                "an",
                                "one",
                                "some",
                                "other",
                            ]
                        },
                        "OP": "*",
                    },
                    {"POS": {"IN": ["PROPN", "ADJ", "NOUN"]}, "OP": "*"},
                    {"LEMMA": {"IN": sorted(_ANON_HEADS)}, "POS": "NOUN"},
                ]
            ],
            greedy="LONGEST",
        )

    def __call__(self, doc: Doc) -> Doc:
        drafts: dict[str, _Draft] = {}
        taken: set[int] = set()
        hidden = doc_records(doc).furniture_tokens if self.furniture else set()

        def add(key: str, name: str, kind: str, start: int, end: int, **info: Any) -> None:
            if any(i in taken or i in hidden for i in range(start, end)):
                return
            d = drafts.get(key)
            if d is None:
                d = drafts[key] = _Draft(key=key, name=name, kind=kind)
            for attr in ("country", "sector"):
                if getattr(d, attr) is None and info.get(attr):
                    setattr(d, attr, info[attr])
            d.anonymous = d.anonymous or bool(info.get("anonymous"))
            surface = doc[start:end].text
            if surface not in d.aliases:
                d.aliases.append(surface)
            d.spans.append((start, end))
            d.tokens.update(range(start, end))
            taken.update(range(start, end))

        # 1. Lexicon: outlets, institutions, armed groups.
        matches = [(m, s, e) for m, s, e in self.phrases(doc)] + [
            (m, s, e) for m, s, e in self.phrases_lower(doc)
        ]
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], -(m[2] - m[1]))):
            entry = lexicon.actor_for(doc.vocab.strings[match_id])
            if entry is None:
                continue
            add(
                "lex:" + entry.name,
                entry.name,
                entry.kind,
                start,
                end,
                country=entry.country,
                sector=entry.sector_on(doc._.published),
            )

        # 2. Anonymous and unnamed sources.
        for _, start, end in self.anon(doc):
            span = doc[start:end]
            self._anonymous(doc, span, add)

        # 3. Described actors: a role noun with a country or organisation in its phrase
        #    ("his Russian counterpart", "Afghan security forces", "Taliban fighters").
        for tok in doc:
            if tok.pos_ == "NOUN" and tok.i not in taken:
                self._described(doc, tok, add)

        # 4. Model entities.
        for ent in doc.ents:
            self._entity(doc, ent, add, drafts)

        found = doc_records(doc)
        found.actors, found.actor_of_token = self._finish(doc, drafts)
        return doc

    # --- entity kinds --------------------------------------------------------------------
    def _entity(self, doc: Doc, ent: Span, add: Any, drafts: dict[str, _Draft]) -> None:
        text = _clean(ent.text)
        if not text:
            return
        entry = lexicon.actor_for(text)
        if entry is not None:
            add(
                "lex:" + entry.name,
                entry.name,
                entry.kind,
                ent.start,
                ent.end,
                country=entry.country,
                sector=entry.sector_on(doc._.published),
            )
            return
        if ent.label_ in {"GPE", "NORP"}:
            code = lexicon.country_for(text)
            if code is None:
                return
            if ent.label_ == "NORP" and ent.root.dep_ in {"amod", "compound"}:
                return  # "Russian President": the demonym describes someone else
            if _cityish(text, code) and ent.root.dep_ not in {"nsubj", "nsubjpass", "poss"}:
                return  # "in Kabul", "the Kabul strike": a place; "Moscow's bases": an actor
            name = lexicon.country_name(code) or text
            add("country:" + code, name, "country", ent.start, ent.end, country=code)
            return
        if ent.label_ == "PERSON":
            self._person(doc, ent, add, drafts)
            return
        if ent.label_ == "ORG":
            if text.isupper() and " " not in text and len(text) > 4:
                return  # "KABUL —": a dateline the model took for an organisation
            country, sector = self._org_context(ent)
            add(
                "org:" + text.lower(),
                text,
                "organisation",
                ent.start,
                ent.end,
                country=country,
                sector=sector,
            )

    def _person(self, doc: Doc, ent: Span, add: Any, drafts: dict[str, _Draft]) -> None:
        words = [t.text for t in ent if t.text not in {"’s", "'s"}]
        if not words:
            return
        full = " ".join(words)
        key = "person:" + full.lower()
        # A later short name joins an earlier full name with the same last word.
        for k, d in drafts.items():
            if d.kind == "person" and (
                d.name.split()[-1] == words[-1] or full.split()[-1] == d.name.split()[-1]
            ):
                key = k
                if len(full) > len(d.name):
                    d.name = full
                break
        country, sector = self._person_context(ent)
        add(key, full, "person", ent.start, ent.end, country=country, sector=sector)

    def _person_context(self, ent: Span) -> tuple[str | None, str | None]:
        """Country and sector from the words before a name: titles, demonyms, organisations."""
        country = sector = None
        doc = ent.doc
        left = [t for t in _np_tokens(ent.root) if t.i < ent.start]
        # Also the appositive title: "Chairman of the Joint Chiefs of Staff Gen. Mark Milley".
        head = ent.root.head
        if ent.root.dep_ in {"appos", "compound"} and head.i < ent.start:
            left += list(head.subtree)
        if ent.start > 0 and doc[ent.start - 1].dep_ == "compound":
            left += list(doc[max(0, ent.start - 6) : ent.start])
        for tok in left:
            if tok.i >= ent.start:
                continue
            sector = sector or lexicon.title_sector(tok.text)
            country = country or lexicon.country_for(tok.text)
            entry = lexicon.actor_for(tok.text)
            if entry is not None and not country:
                country = entry.country
        for span in ent.doc.ents:
            if span.label_ == "ORG" and span.end <= ent.start and span.start >= ent.start - 10:
                entry = lexicon.actor_for(_clean(span.text))
                if entry is not None and entry.kind != "outlet":
                    country = country or entry.country
                    sector = sector or entry.sector
        return country, sector

    def _org_context(self, ent: Span) -> tuple[str | None, str | None]:
        country = sector = None
        for tok in ent:
            country = country or lexicon.country_for(tok.text)
            sector = sector or lexicon.title_sector(tok.text)
        low = ent.text.lower()
        if sector is None:
            if "ministry" in low or "government" in low or "council" in low:
                sector = "government"
            elif any(w in low for w in ("army", "forces", "military", "navy", "air force")):
                sector = "military"
            elif "police" in low:
                sector = "police"
        return country, sector

    def _described(self, doc: Doc, head: Token, add: Any) -> None:
        entry = lexicon.title_for(head.text) or lexicon.title_for(head.lemma_)
        if entry is None or entry.kind is None:
            return
        mods = [c for c in head.lefts if c.dep_ in {"amod", "compound", "nmod"}]
        country = org = None
        for m in mods:
            org = org or lexicon.actor_for(m.text)
            country = country or lexicon.country_for(m.text)
        if org is not None and org.kind in {"group", "organisation"}:
            country = country or org.country
        if country is None and org is None:
            # "the police", "troops", "militants": a force named by its role alone.
            bare_force = entry.kind == "group" and entry.sector in {"police", "military", "rebel"}
            if not bare_force or not (
                head.tag_ == "NNS"
                or any(c.lower_ == "the" for c in head.lefts)
                or head.lower_ in {"police", "military", "army"}
            ):
                return
        first = min([m.i for m in mods] + [head.i])
        while first < head.i and doc[first].dep_ in {"det", "poss"}:
            first += 1
        sector = entry.sector
        if org is not None:
            sector = org.sector_on(doc._.published) or sector  # the organisation wins
        name = doc[first : head.i + 1].text
        kind = "group" if entry.kind == "group" or head.tag_ == "NNS" else "person"
        add("desc:" + name.lower(), name, kind, first, head.i + 1, country=country, sector=sector)

    def _anonymous(self, doc: Doc, span: Span, add: Any) -> None:
        head = span[-1]
        words = {t.lower_ for t in span}
        context = _ANON_CONTEXT.search(head.sent.text) is not None
        marked = bool(words & _ANON_MARKS) or (
            context and head.lemma_ in {"official", "source", "person", "people"}
        )
        follows = head.doc[head.i + 1 : head.i + 3].text.lower()
        if head.lemma_ in {"person", "people"} and not (
            words & _ANON_MARKS or follows.startswith("familiar")
        ):
            return  # "60 people were killed": victims, not a source
        if not marked and head.lemma_ != "official" and head.lemma_ != "source":
            return
        country = sector = None
        for tok in span:
            country = country or lexicon.country_for(tok.text)
            sector = sector or lexicon.title_sector(tok.text)
            entry = lexicon.actor_for(tok.text)
            if entry is not None:
                country = country or entry.country
                sector = sector or entry.sector
        if head.lemma_ == "official":
            sector = sector or "government"
        start = span.start
        while start < span.end and doc[start].lower_ in {
            "a",
            "an",
            "the",
            "two",
            "three",
            "several",
            "some",
            "one",
            "other",
        }:
            start += 1
        name = doc[start : span.end].text
        kind = "anonymous" if marked or head.lemma_ in {"official", "source"} else "group"
        add(
            "anon:" + name.lower(),
            name,
            kind,
            start,
            span.end,
            country=country,
            sector=sector,
            anonymous=True,
        )

    # --- output --------------------------------------------------------------------------
    def _finish(self, doc: Doc, drafts: dict[str, _Draft]) -> tuple[list[Actor], dict[int, str]]:
        actors: list[Actor] = []
        of_token: dict[int, str] = {}
        ordered = sorted(drafts.values(), key=lambda d: min(s for s, _ in d.spans))
        for n, d in enumerate(ordered, start=1):
            aid = f"a{n}"
            kind = (
                d.kind
                if d.kind in {"person", "organisation", "country", "group", "outlet", "anonymous"}
                else "organisation"
            )
            mentions = [
                CharSpan(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
                for s, e in sorted(d.spans)
            ]
            actors.append(
                Actor(
                    id=aid,
                    name=d.name,
                    kind=kind,  # type: ignore[arg-type]
                    aliases=[a for a in d.aliases if a != d.name],
                    country=d.country,
                    sector=d.sector,
                    mentions=mentions,
                )
            )
            for i in d.tokens:
                of_token[i] = aid
        return actors, of_token


@registry.misc("overhorizon_actors.v2")  # type: ignore[untyped-decorator]
def actors_v2() -> Callable[[Language], ActorFinder]:
    """Version 2 of the component (typed records in ``doc._.overhorizon``); a published
    version never changes meaning."""
    return ActorFinder


@registry.misc("overhorizon_actors.v3")  # type: ignore[untyped-decorator]
def actors_v3() -> Callable[[Language], ActorFinder]:
    """Version 3: version 2 taking no mention in page furniture (``overhorizon_furniture``):
    no "Tags Aleppo" organisation, no "BEIRUT Air" from a dateline."""
    return partial(ActorFinder, furniture=True)


@Language.factory("overhorizon_actors", default_config={"impl": {"@misc": "overhorizon_actors.v3"}})
def make_actors(nlp: Language, name: str, impl: Callable[[Language], ActorFinder]) -> ActorFinder:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here)."""
    return impl(nlp)
