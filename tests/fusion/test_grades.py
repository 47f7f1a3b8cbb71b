"""Parties and grades, from our own sentences run through the real pipeline.

Each article is one text of ours; every event it has is taken as the incident's. What is
checked: names of one side are one party (not contested), parties blaming each other or
denying what another asserts (contested), and a party to the happening taking responsibility
(confirmed, with the words in the reason); "acknowledged" alone confirms nothing.
"""

from __future__ import annotations

from typing import Any

from overhorizon.fusion.claims import IncidentClaims, assess
from overhorizon.nlp.extract import extract
from overhorizon.nlp.parties import party_of
from overhorizon.records import Article, ArticleInput


def fuse(nlp: Any, *texts: tuple[str, str, str]) -> IncidentClaims:
    """Assess the articles ``(outlet, published, text)`` as one incident."""
    items = [
        (Article(id=f"art{n}", text=text, outlet=outlet, published=day), None)
        for n, (outlet, day, text) in enumerate(texts)
    ]
    inputs = [
        ArticleInput(
            extraction=ex,
            canonical=ex.article.id,
            canonical_outlet=ex.article.outlet,
            events=tuple(e.id for e in ex.events),
        )
        for ex in extract(items, nlp)
    ]
    return assess(inputs)


def test_names_of_one_side_are_one_party() -> None:
    syrian = [
        party_of("Syrian forces"),
        party_of("regime forces", where="SYR"),
        party_of("Government forces", where="SYR"),
        party_of("the Syrian army"),
        party_of("Syrian Arab Army", kind="organisation", country="SYR", sector="military"),
    ]
    assert {p.id if p else None for p in syrian} == {"syr-state"}
    us = [party_of("the Pentagon"), party_of("US Central Command"), party_of("the US military")]
    assert {p.id if p else None for p in us} == {"usa-state"}
    # the same words elsewhere are another side; a witness is no party
    afghan = party_of("government forces", where="AFG")
    assert afghan is not None and afghan.id == "afg-state"
    assert party_of("relatives") is None and party_of("is") is None
    coalition = party_of("the US-led coalition")
    assert coalition is not None and coalition.side == "usa-state"


def test_names_of_one_side_do_not_make_it_contested(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-08-01", "Syrian forces shelled the town of Ariha in Syria."),
        ("Orontes Daily", "2016-08-01", "Regime forces shelled Ariha in Syria on Monday."),
        ("Idlib Post", "2016-08-02", "Government forces shelled Ariha in Syria, residents said."),
    )
    assert {c.perpetrator_side for c in found.claims if c.perpetrator} == {"syr-state"}
    assert not [x for x in found.contradictions if x.kind == "perpetrator"]
    assert found.grade == "fair"


def test_two_parties_blaming_each_other_is_contested(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-08-01", "Syrian forces shelled a market in Ariha in Syria."),
        ("Orontes Daily", "2016-08-01", "Islamic State fighters shelled a market in Ariha."),
    )
    assert found.grade == "contested"
    assert "the Syrian government side" in found.grade_reason
    assert "the Islamic State" in found.grade_reason


def test_a_party_denying_the_harm_makes_it_contested(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-08-01", "Jets struck a hospital in Idlib, the Observatory said."),
        (
            "Orontes Daily",
            "2016-08-02",
            "The Russian Defence Ministry denied that its aircraft had bombed the hospital.",
        ),
    )
    assert found.grade == "contested"
    assert "the Russian government and military denies it" in found.grade_reason
    assert "its aircraft had bombed the hospital" in found.grade_reason


def test_the_perpetrators_admission_confirms_it_with_the_words(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2021-08-29", "A US drone strike hit a car in Kabul on Sunday."),
        (
            "Orontes Daily",
            "2021-09-17",
            "The Pentagon admitted on Friday that the strike had killed ten civilians.",
        ),
    )
    assert found.grade == "confirmed"
    reason = found.grade_reason
    assert "United States Department of Defense" in reason and "admits" in reason
    assert "the strike had killed ten civilians" in reason
    assert "the US government and military is the party blamed" in reason


def test_acknowledging_that_a_meeting_took_place_confirms_nothing(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2021-09-12", "US officials met Taliban leaders in Doha on Sunday."),
        (
            "Orontes Daily",
            "2021-09-13",
            "US officials acknowledged that the meeting with Taliban leaders took place.",
        ),
    )
    assert found.grade != "confirmed"


def test_a_confirmation_by_someone_not_blamed_confirms_nothing(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-08-01", "Syrian forces shelled a market in Ariha in Syria."),
        ("Orontes Daily", "2016-08-02", "The UN confirmed that the shelling killed 12."),
    )
    assert found.grade != "confirmed"


def test_claiming_responsibility_confirms_it(nlp: Any) -> None:
    found = fuse(
        nlp,
        (
            "Levant Wire",
            "2016-07-27",
            "Islamic State claimed responsibility for the bombing in Qamishli that killed 12.",
        ),
    )
    assert found.grade == "confirmed"
    assert "the Islamic State took responsibility" in found.grade_reason
    assert "claimed responsibility" in found.grade_reason


def test_no_one_claiming_responsibility_confirms_nothing(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-07-27", "No group has claimed responsibility for the bombing."),
    )
    assert found.grade != "confirmed"


def test_a_related_link_admitting_something_confirms_nothing(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2021-08-29", "A US drone strike hit a car in Kabul on Sunday."),
        (
            "Orontes Daily",
            "2021-08-30",
            "Relatives said ten people died when a US drone strike hit their car in Kabul.\n"
            "Related: Pentagon admits drone strike killed civilians\n",
        ),
    )
    assert found.grade != "confirmed"
    assert not [c for c in found.claims if c.stance == "admits"]


def test_one_voice_naming_two_sides_tells_of_two_acts(nlp: Any) -> None:
    found = fuse(
        nlp,
        (
            "Levant Wire",
            "2016-08-01",
            "Syrian forces shelled a market in Ariha. Islamic State fighters shelled Raqqa.",
        ),
    )
    assert found.grade != "contested"


def test_sides_fighting_each_other_are_a_clash_not_a_contest(nlp: Any) -> None:
    found = fuse(
        nlp,
        ("Levant Wire", "2016-08-01", "Kurdish forces attacked Islamic State fighters in Raqqa."),
        ("Orontes Daily", "2016-08-01", "Islamic State fighters attacked Kurdish forces in Raqqa."),
    )
    sides = {(c.perpetrator_side, c.target_side) for c in found.claims if c.perpetrator}
    assert sides == {("sdf", "isis"), ("isis", "sdf")}
    assert found.grade != "contested"


def test_a_claim_about_the_next_days_attack_does_not_join(nlp: Any) -> None:
    found = fuse(
        nlp,
        (
            "Levant Wire",
            "2021-08-30",
            "A US drone strike hit a car in Kabul on Sunday, killing ten civilians.",
        ),
        (
            "Orontes Daily",
            "2021-08-30",
            "A US drone strike hit a car in Kabul on Sunday, relatives said.\n"
            "Rockets were fired at Kabul airport on Monday, but US officials said that nobody "
            "was killed.\n",
        ),
    )
    assert not [c for c in found.claims if c.speaker == "US officials"]
    assert not [x for x in found.contradictions if x.kind == "casualties"]
    assert [c.speaker for c in found.claims if c.article == "art1"] == ["relatives"]
