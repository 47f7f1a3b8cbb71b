"""The components' output is one typed container, ``doc._.overhorizon``, on sentences we write."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc

from overhorizon.nlp.doc_records import EXTENSION, AttributionParts, DocRecords, doc_records
from overhorizon.nlp.extract import records_of
from overhorizon.nlp.pipeline import pipeline_version
from overhorizon.records import Actor, Article, Attribution, Casualty, Event, Place, Span

TEXT = (
    "KABUL — Unnamed US officials told the Journal that a US drone strike in Kabul "
    "on Sunday killed 10 civilians, including seven children."
)


@pytest.fixture(scope="module")
def doc(nlp: Any) -> Doc:
    made = nlp.make_doc(TEXT)
    made._.published = "2021-08-31"
    result: Doc = nlp(made)
    return result


def test_every_record_is_an_instance_of_its_record_class(doc: Doc) -> None:
    found = doc._.get(EXTENSION)
    assert type(found) is DocRecords and doc_records(doc) is found
    for items, cls in (
        (found.actors, Actor),
        (found.places, Place),
        (found.attributions, Attribution),
        (found.events, Event),
        (found.casualties, Casualty),
    ):
        assert items, cls.__name__  # the sentence has one of each
        assert all(type(x) is cls for x in items), (cls.__name__, items)
    assert all(type(p) is AttributionParts for p in found.attribution_parts.values())
    for a in found.actors:
        assert all(type(m) is Span for m in a.mentions)
    for e in found.events:
        assert type(e.evidence) is Span and (e.trigger_span is None or type(e.trigger_span) is Span)


def test_token_indexes_point_at_records_of_the_doc(doc: Doc) -> None:
    found = doc_records(doc)
    assert found.actor_of_token and found.place_of_token
    assert all(type(i) is int for i in [*found.actor_of_token, *found.place_of_token])
    assert set(found.actor_of_token.values()) <= {a.id for a in found.actors}
    assert set(found.place_of_token.values()) <= {p.id for p in found.places}
    kabul = next(t.i for t in doc if t.text == "Kabul")
    place = found.place(found.place_of_token[kabul])
    assert place is not None and place.name == "Kabul" and place.country == "AFG"
    officials = next(t.i for t in doc if t.text == "officials")
    speaker = found.actor(found.actor_of_token[officials])
    assert speaker is not None and speaker.kind == "anonymous"
    assert found.actor(None) is None and found.place("p999") is None


def test_later_components_read_earlier_records(doc: Doc) -> None:
    found = doc_records(doc)
    (told,) = [a for a in found.attributions if a.cue == "told"]
    speaker, via = found.actor(told.speaker), found.actor(told.via)
    assert speaker is not None and speaker.kind == "anonymous"
    assert via is not None and via.name == "The Wall Street Journal"
    strike = next(e for e in found.events if e.type == "ASSAULT")
    assert found.place(strike.place) is not None and strike.place_precision == 1
    assert {c.event for c in found.casualties} == {strike.id}


def test_records_of_hands_over_the_records_without_conversion(doc: Doc) -> None:
    found = doc_records(doc)
    ex = records_of(doc, Article(id="x", text=TEXT, outlet="Antiwar.com"), "test")
    assert [id(e) for e in ex.events] == [id(e) for e in found.events]
    assert [id(p) for p in ex.places] == [id(p) for p in found.places]
    assert [a for a in ex.attributions if a.id != "t0"] == found.attributions
    assert all(e.attribution for e in ex.events)  # linked to a claim or to the outlet


def test_only_one_records_extension_and_typed_versions(nlp: Any) -> None:
    assert Doc.has_extension(EXTENSION)
    for old in ("actors", "actor_of_token", "events", "casualties", "attributions", "places"):
        assert not Doc.has_extension(old), old
    version = pipeline_version()
    # typed records since v2; places detect names the model misses since v3; events keep
    # aggregate figures apart since v3; actors, attributions and events skip page furniture
    # since v3, v3 and v4; events keep only happenings since v6
    for name, current in (("actors", 3), ("places", 3), ("attributions", 3), ("events", 6)):
        assert f"overhorizon_{name}.v{current}" in version, name
        assert f"overhorizon_{name}.v1" not in version, name
    assert "overhorizon_furniture.v1" in version
