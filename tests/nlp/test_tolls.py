"""Casualties through the whole pipeline and an article's toll: an article in, records out
(real spaCy model, our own sentences)."""

from __future__ import annotations

from typing import Any

from overhorizon.nlp.extract import extract
from overhorizon.nlp.tolls import article_toll
from overhorizon.records import Article, Extraction


def run(nlp: Any, text: str) -> Extraction:
    return next(extract([(Article(id="t", text=text, published="2024-03-04"), "test")], nlp))


def killed_by_event(ex: Extraction) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in ex.casualties:
        if c.event and c.killed and c.killed.best and c.part_of is None:
            out[c.event] = out.get(c.event, 0) + c.killed.best
    return out


def test_the_passive_killing_is_a_violent_event_with_its_figure(nlp: Any) -> None:
    ex = run(nlp, "Seven people were killed when armed men stormed a village on Monday.")
    assaults = {e.id for e in ex.events if e.type == "ASSAULT" and e.polarity == "positive"}
    dead = killed_by_event(ex)
    assert assaults and set(dead) <= assaults and sum(dead.values()) == 7


def test_a_killing_with_no_other_trigger_is_an_assault(nlp: Any) -> None:
    ex = run(nlp, "Two farmers were killed near the river on Sunday.")
    (event,) = [e for e in ex.events if e.type == "ASSAULT"]
    assert event.polarity == "positive"
    assert killed_by_event(ex) == {event.id: 2}


def test_a_singular_victim_is_one(nlp: Any) -> None:
    text = "A 5-year-old was shot and killed Tuesday at her family's home."
    ex = run(nlp, text)
    assert sum(killed_by_event(ex).values()) == 1
    assert article_toll(text, ex.casualties).killed == 1


def test_a_later_death_continues_the_shooting(nlp: Any) -> None:
    """The second sentence tells no violent event: its death belongs to the shooting."""
    text = "A man was shot in the leg on Elm Street on Friday. He died at the hospital on Saturday."
    ex = run(nlp, text)
    (shooting,) = [e.id for e in ex.events if e.type == "ASSAULT"]
    assert killed_by_event(ex) == {shooting: 1}
    toll = article_toll(text, ex.casualties)
    assert (toll.killed, toll.injured) == (1, 0)  # the man shot is the man who died


def test_a_named_victim_counts_once_across_the_article(nlp: Any) -> None:
    text = (
        "Maria Lopez, 34, was killed in a shooting on Friday night. "
        "Officers found Lopez on the porch of her house. "
        "Lopez was pronounced dead at the scene, police said."
    )
    ex = run(nlp, text)
    named = [c for c in ex.casualties if c.victim and c.killed]
    assert len(named) >= 2 and {c.victim.split()[-1] for c in named if c.victim} == {"Lopez"}
    assert article_toll(text, ex.casualties).killed == 1


def test_killed_and_wounded_are_different_victims(nlp: Any) -> None:
    text = "A woman was killed and two men were wounded in the shooting on Sunday."
    ex = run(nlp, text)
    toll = article_toll(text, ex.casualties)
    assert (toll.killed, toll.injured) == (1, 2)


def test_an_aggregate_is_no_toll(nlp: Any) -> None:
    text = "A man was shot dead on Monday. The war has killed 300,000 people since 2011."
    ex = run(nlp, text)
    assert article_toll(text, ex.casualties).killed == 1


def test_killed_in_police_firing_names_police_as_the_source(nlp: Any) -> None:
    ex = run(nlp, "Two protesters were killed in police firing on Sunday.")
    police = {a.id for a in ex.actors if a.sector == "police"}
    dead = killed_by_event(ex)
    assert any(e.id in dead and e.source_actor in police for e in ex.events)


def test_police_fire_with_nobody_dead_gives_no_killed_figure(nlp: Any) -> None:
    ex = run(nlp, "Police opened fire to disperse the crowd on Sunday.")
    police = {a.id for a in ex.actors if a.sector == "police"}
    assert any(e.type == "ASSAULT" and e.source_actor in police for e in ex.events)
    assert killed_by_event(ex) == {}
