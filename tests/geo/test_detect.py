"""What a place mention says (``overhorizon_places.v3``): demonyms and organisations' seats are
mentions but never an event's place; the event takes the place struck or tied to its trigger.
Sentences are our own."""

from __future__ import annotations

from typing import Any

from overhorizon.nlp.doc_records import doc_records
from overhorizon.records import Event, Extraction, Place
from tests.geo.test_places import place, run


def assault(ex: Extraction) -> Event:
    (event,) = [e for e in ex.events if e.type == "ASSAULT" and e.polarity == "positive"]
    return event


def event_place(ex: Extraction, event: Event) -> Place:
    return {p.id: p for p in ex.places}[event.place or ""]


def test_a_demonym_is_a_mention_never_the_event_place(nlp: Any) -> None:
    ex = run(nlp, "Russian jets struck the town of Ariha on Sunday.")
    russia = place(ex, "Russian")
    assert (russia.country, russia.feature) == ("RUS", "country")  # a mention of Russia
    where = event_place(ex, assault(ex))
    assert (where.name, where.country) == ("Ariha", "SYR")  # not Russia
    # Russia sets no scene: Ariha is the Syrian town, not Jericho (Ariha in Arabic)
    assert where.feature == "city" and abs(where.lat - 35.8) < 0.2
    doc = nlp("Russian jets struck the town of Ariha on Sunday.")
    of_token = doc_records(doc).place_of_token
    assert 0 not in of_token  # "Russian" places nothing
    assert {doc[i].text for i in of_token} == {"Ariha"}


def test_an_organisations_seat_is_never_the_event_place(nlp: Any) -> None:
    ex = run(
        nlp,
        "Government forces shelled Idlib on Friday, a London-based monitor said.",
    )
    assert place(ex, "London").country == "GBR"  # a mention
    assert event_place(ex, assault(ex)).name == "Idlib"
    ex = run(
        nlp,
        "Syrian government forces shelled Madaya, in Rif Dimashq, on Sunday, the "
        "Britain-based Syrian Observatory for Human Rights said.",
    )
    where = event_place(ex, assault(ex))
    assert (where.name, where.country) == ("Madaya", "SYR")


def test_the_town_struck_beats_the_province_beside_it(nlp: Any) -> None:
    ex = run(nlp, "Artillery shelled Madaya, in Rif Dimashq, on Thursday.")
    event = assault(ex)
    assert event_place(ex, event).name == "Madaya" and event.place_precision == 1


def test_a_country_name_stays_the_country(nlp: Any) -> None:
    ex = run(nlp, "Troops from Tajikistan crossed into Afghanistan on Monday.")
    assert place(ex, "Tajikistan").feature == "country"
    assert place(ex, "Afghanistan").country == "AFG"


def test_an_own_name_beats_another_towns_alternate_name(nlp: Any) -> None:
    ex = run(nlp, "Shelling hit the town of Ariha on Monday, residents said.")
    assert place(ex, "Ariha").country == "SYR"
