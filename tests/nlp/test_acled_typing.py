"""Every violent event ACLED-typed, with ACLED's columns: a sentence in, a record out.

The sentences are ours. Each checks one rule of overhorizon/nlp/acled.py and the mapping table
(docs/plover-acled.md): a weapon named anywhere in the sentence, the kind of party hit, the
default of an attack with no mode and no known victim, protests that turn violent or are broken
up, object-decided triggers, and the columns disorder_type, civilian_targeting, inter1, inter2
and interaction.
"""

from __future__ import annotations

from typing import Any

import pytest

from overhorizon.nlp import acled, lexicon
from overhorizon.nlp.extract import extract
from overhorizon.records import Article, Event


def events(nlp: Any, text: str) -> list[Event]:
    article = Article(id="t", text=text, published="2024-05-01")
    return [e for e in next(extract([(article, "t")], nlp)).events if e.polarity == "positive"]


def first_typed(nlp: Any, text: str) -> Event:
    typed = [e for e in events(nlp, text) if e.acled_sub_event_type]
    assert typed, f"no ACLED-typed event in {text!r}"
    return typed[0]


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        # no mode on the trigger: the weapon named elsewhere in the sentence gives it
        ("Warplanes pounded the outskirts of the town overnight, killing six civilians.",
         "Explosions/Remote violence", "Air/drone strike"),
        ("A rocket slammed into the main hospital of the city on Friday, killing four patients.",
         "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("The shells fired at the town were filled with chlorine gas, killing three residents.",
         "Explosions/Remote violence", "Chemical weapon"),
        # direct violence: the target decides
        ("Gunmen stormed a crowded market on Tuesday and killed nine villagers.",
         "Violence against civilians", "Attack"),
        ("Militants ambushed a military patrol near the border on Monday, killing two soldiers.",
         "Battles", "Armed clash"),
        ("Government troops beat back terrorists who tried to overrun an army checkpoint.",
         "Battles", "Armed clash"),
        # protests
        ("Protesters threw stones at the police and set fire to tyres during a rally.",
         "Riots", "Violent demonstration"),
        ("Police fired tear gas to break up a rally of striking teachers on Monday.",
         "Protests", "Protest with intervention"),
        ("Thousands of people took to the streets of the capital on Friday to demand elections.",
         "Protests", "Peaceful protest"),
        ("Security forces shot dead two protesters during a march in the capital on Saturday.",
         "Protests", "Excessive force against protesters"),
        # the object decides the type
        ("Police seized rifles and hundreds of rounds of ammunition in the north of the city.",
         "Strategic developments", "Disrupted weapons use"),
        ("Turkish forces set up a new observation post near the town on Thursday.",
         "Strategic developments", "Headquarters or base established"),
    ],
)  # fmt: skip
def test_a_sentence_gets_its_acled_type(
    nlp: Any, text: str, event_type: str, sub_event_type: str
) -> None:
    e = first_typed(nlp, text)
    assert (e.acled_event_type, e.acled_sub_event_type) == (event_type, sub_event_type)
    assert e.disorder_type == acled.disorder_types()[sub_event_type]


def test_an_attack_with_no_mode_and_no_victim_is_an_attack_on_civilians(nlp: Any) -> None:
    (e,) = [e for e in events(nlp, "Unknown assailants attacked the village at dawn.")]
    assert (e.type, e.mode) == ("ASSAULT", None)
    assert (e.acled_event_type, e.acled_sub_event_type) == ("Violence against civilians", "Attack")


def test_a_natural_disaster_is_no_acled_event(nlp: Any) -> None:
    found = events(nlp, "A powerful earthquake killed at least 30 people in the villages.")
    assert found and all(e.acled_event_type is None for e in found)
    assert all(e.disorder_type is None and e.interaction is None for e in found)


def test_actor_types_and_interaction_of_state_forces_on_civilians(nlp: Any) -> None:
    e = first_typed(nlp, "The Syrian army shelled a market in Idlib, killing five civilians.")
    assert e.acled_event_type == "Explosions/Remote violence"
    assert (e.inter1, e.inter2, e.interaction) == (1, 7, 17)
    assert e.civilian_targeting == acled.CIVILIAN_TARGETING
    assert e.disorder_type == "Political violence"


def test_actor_types_of_a_battle_between_rebels_and_the_state(nlp: Any) -> None:
    e = first_typed(
        nlp, "Militants ambushed a military patrol near the border, killing two soldiers."
    )
    assert (e.inter1, e.inter2, e.interaction) == (2, 1, 12)
    assert e.civilian_targeting is None


def test_protesters_alone_are_60(nlp: Any) -> None:
    e = first_typed(nlp, "Thousands of people took to the streets of the capital on Friday.")
    assert (e.inter1, e.inter2, e.interaction) == (6, None, 60)
    assert e.disorder_type == "Demonstrations"


def test_an_intervention_is_political_violence_and_demonstrations(nlp: Any) -> None:
    e = first_typed(nlp, "Police fired tear gas to break up a rally of striking teachers.")
    assert e.disorder_type == "Political violence; Demonstrations"
    assert (e.inter1, e.inter2, e.interaction) == (1, 6, 16)


def test_state_forces_abroad_are_external_forces() -> None:
    assert acled.inter_of("military", "RUS", "SYR") == 8
    assert acled.inter_of("military", "SYR", "SYR") == 1
    assert acled.inter_of("military", None, "SYR") == 1  # unknown: never guessed abroad
    assert acled.inter_of(None, "RUS", "SYR") is None


def test_every_sub_event_type_has_a_disorder_type_and_every_sector_a_code() -> None:
    assert set(acled.disorder_types()) == set(lexicon.ACLED_SUB_EVENT_TYPES)
    assert set(acled.inter_codes()) == set(lexicon.SECTORS)
    assert set(acled.inter_codes().values()) <= set(acled.INTER_NAMES)


def test_the_stronger_weapon_wins() -> None:
    ranks = {w.mode: w.rank for w in acled.weapons()}
    assert ranks["chemical"] < ranks["suicide-attack"] < ranks["explosives"]
    assert ranks["aerial"] < ranks["heavy-weapons"]  # "missiles fired by jets": an air strike
    aerial = next(w for w in acled.weapons() if w.mode == "aerial")
    assert acled.reading_mode("heavy-weapons", aerial) == "aerial"
    assert acled.reading_mode("clash", aerial) == "clash"  # two-sided fighting keeps its mode
    assert acled.reading_mode(None, None) is None
