"""``overhorizon_places.v3``: the places an article names, geocoded offline.

This spaCy component lives in ``geo`` (a later step than ``nlp``); ``pipeline.cfg`` names this
module, and ``load_pipeline`` imports it by name, so ``nlp`` never imports ``geo``.

Toponyms are the model's GPE, LOC and FAC entities; each is resolved against the gazetteer
(``overhorizon.geo``) in the light of the whole article (see ``geo.resolver``). Fills
``places`` (typed ``Place`` records) and ``place_of_token`` of ``doc._.overhorizon``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from overhorizon.geo.detect import Role, demonyms, embedded, find_more, role
from overhorizon.geo.gazetteer import ENV_PATH
from overhorizon.geo.resolver import Resolver, Toponym, area_word, hedged
from overhorizon.nlp.doc_records import doc_records
from overhorizon.records import Place
from overhorizon.records import Span as CharSpan

_LABELS = {"GPE", "LOC", "FAC"}
# A dateline in capitals, which the model rarely tags: "KABUL —", "MAZAR-I-SHARIF, Afghanistan —".
_DATELINE = re.compile(r"\s*([A-Z][A-Z'’. -]{1,38}[A-Z])(?=\s*(?:,[^—–\n]{0,40})?\s*[—–]|,\s)")
# A name the tokenizer split at its hyphens: "-i-Sharif", "-e Sharif", "-Sharif".
_JOINED = re.compile(r"-(?:[a-z]{1,2}-|[a-z]{1,2} )?[A-Z][\w'’]+")
_FEATURE = {
    "city": "city",
    "admin1": "admin1",
    "admin2": "admin2",
    "country": "country",
    "region": "region",
    "sea": "sea",
    "site": "site",
}


def _is_country_name(text: str) -> bool:
    """True when ``text`` is a country's name, not a demonym (the model tags some as NORP)."""
    from overhorizon.nlp import lexicon

    code = lexicon.country_for(text)
    return code is not None and lexicon.country_name(code) == text


class PlaceFinder:
    """The component: fills ``places`` and ``place_of_token`` of ``doc._.overhorizon``."""

    def __init__(
        self, nlp: Language, gazetteer: Any = None, path: str = "", *, detect: bool = False
    ) -> None:
        if gazetteer is None:
            from overhorizon.geo.gazetteer import open_gazetteer

            # the ``gazetteer`` setting: that file, built there when missing or out of date
            gazetteer = open_gazetteer(env={ENV_PATH: path}) if path else open_gazetteer()
        self.resolver = Resolver(gazetteer)
        self.gazetteer = gazetteer
        #: v3: also the names the model misses (``geo.detect``), and mentions that are
        #: demonyms or an organisation's seat are never an event's place.
        self.detect = detect

    def _members(self, c: Any) -> list[str]:
        """A region's or sea's member countries; [] for other places."""
        if c.kind not in ("region", "sea"):
            return []
        return list(self.gazetteer.members(int(c.geonameid)))

    def __call__(self, doc: Doc) -> Doc:
        toponyms: list[Toponym] = []
        spans: list[Span] = []
        roles: list[Role] = []
        for ent in doc.ents:
            if ent.label_ not in _LABELS and not _is_country_name(ent.text):
                continue  # NORP only when it is a country's own name ("Tajikistan")
            text = ent.text.strip()
            if text.lower().startswith("the "):
                text = text[4:]
            if not text or not any(ch.isupper() for ch in text[:1]):
                continue
            end = ent.end_char
            tail = _JOINED.match(doc.text, end)
            if tail:  # "Mazar" + "-i-Sharif": the model splits joined names
                text, end = text + tail.group(0), end + len(tail.group(0))
            before = doc.text[max(0, ent.start_char - 30) : ent.start_char]
            toponyms.append(
                Toponym(
                    text,
                    ent.start_char,
                    end,
                    near=hedged(before),
                    area=area_word(doc.text, end),
                )
            )
            spans.append(ent)
            # a country's own name tagged NORP ("Tajikistan") is a place, not a demonym
            label = "GPE" if ent.label_ == "NORP" else ent.label_
            roles.append(role(doc, ent.start_char, end, label) if self.detect else "place")
        if self.detect:
            taken = [(t.start, t.end) for t in toponyms]
            for found in find_more(doc, taken, self.gazetteer):
                a, b = found.span.start_char, found.span.end_char
                before = doc.text[max(0, a - 30) : a]
                toponyms.append(
                    Toponym(found.text, a, b, near=hedged(before), area=area_word(doc.text, b))
                )
                spans.append(found.span)
                roles.append(role(doc, a, b, found.span.label_))
            taken = [(t.start, t.end) for t in toponyms]
            for found in demonyms(doc, taken):
                a, b = found.span.start_char, found.span.end_char
                toponyms.append(Toponym(found.text, a, b, hint=True))
                spans.append(found.span)
                roles.append("demonym")
            for found in embedded(doc, taken, self.gazetteer):
                a, b = found.span.start_char, found.span.end_char
                toponyms.append(Toponym(found.text, a, b, hint=True))
                spans.append(found.span)
                roles.append("seat")
        dateline = _DATELINE.match(doc.text)
        at_dateline = [
            i
            for i, t in enumerate(toponyms)
            if dateline and t.start < dateline.end(1) and dateline.start(1) < t.end
        ]
        for i in at_dateline:
            toponyms[i] = dataclasses.replace(toponyms[i], dateline=True)
        if dateline and not at_dateline:
            span = doc.char_span(dateline.start(1), dateline.end(1), alignment_mode="expand")
            if span is not None:
                name = dateline.group(1).title()  # "KABUL" is looked up as "Kabul"
                toponyms.insert(0, Toponym(name, dateline.start(1), dateline.end(1), dateline=True))
                spans.insert(0, span)
                roles.insert(0, "place")
        toponyms = [  # "the Britain-based monitor": Britain sets no scene either
            dataclasses.replace(t, hint=True) if how != "place" else t
            for t, how in zip(toponyms, roles, strict=True)
        ]
        actors = doc_records(doc).actors
        context = {a.country for a in actors if a.kind == "country" and a.country}
        resolved = self.resolver.resolve(toponyms, context_countries=context, text=doc.text)
        places: dict[int, Place] = {}
        of_token: dict[int, str] = {}
        for res, ent, how in zip(resolved, spans, roles, strict=True):
            c = res.candidate
            if c is None:
                continue
            key = int(c.geonameid)
            place = places.get(key)
            if place is None:
                place = places[key] = Place(
                    id=f"p{len(places) + 1}",
                    name=getattr(c, "ascii_name", None) or c.name,  # "Jalalabad", not "Jalālābād"
                    lat=round(float(c.lat), 4),
                    lon=round(float(c.lon), 4),
                    country=c.country,
                    admin1=getattr(c, "admin1_name", None) or getattr(c, "admin1", None),
                    feature=_FEATURE.get(c.kind, "site"),
                    gazetteer_id=c.gazetteer_id,
                    precision=res.precision or 3,
                    countries=self._members(c),
                )
            place.mentions.append(CharSpan(res.toponym.start, res.toponym.end))
            if res.toponym.near:
                place.near = True
            if how != "place":
                continue  # "Russian jets", "the Britain-based monitor": never the event's place
            for tok in ent:
                of_token[tok.i] = place.id
        out = doc_records(doc)
        out.places, out.place_of_token = list(places.values()), of_token
        return doc


@registry.misc("overhorizon_places.v2")  # type: ignore[untyped-decorator]
def places_v2() -> Callable[..., PlaceFinder]:
    """Version 2 (typed records in ``doc._.overhorizon``; version 1 wrote dicts to
    ``doc._.places``); a published version never changes meaning."""
    return PlaceFinder


@registry.misc("overhorizon_places.v3")  # type: ignore[untyped-decorator]
def places_v3() -> Callable[..., PlaceFinder]:
    """Version 3: v2 plus the names the model misses (datelines, names in capitals, places
    filed as organisations or people; see ``geo.detect``), and demonyms ("Russian jets") and
    organisations' seats ("a London-based monitor") kept as mentions but never an event's place.
    """
    return functools.partial(PlaceFinder, detect=True)


@Language.factory(
    "overhorizon_places",
    default_config={"impl": {"@misc": "overhorizon_places.v3"}, "gazetteer": ""},
)
def make_places(
    nlp: Language, name: str, impl: Callable[..., PlaceFinder], gazetteer: str
) -> PlaceFinder:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here);
    ``gazetteer`` a gazetteer file, empty for the default one."""
    return impl(nlp, path=gazetteer)
