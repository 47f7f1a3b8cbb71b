"""Events' dates, a sentence in and a record out: the sentence's own date, the lead's date
carried to the sentences that continue it, the publication date as a marked fallback, and no
number read as a year nor a happening dated after its report. Our own sentences."""

from __future__ import annotations

from typing import Any

from overhorizon.nlp.extract import extract
from overhorizon.records import Article, Event, Extraction

PUBLISHED = "2021-09-29"  # a Wednesday


def run(nlp: Any, text: str, published: str | None = PUBLISHED) -> Extraction:
    article = Article(id="t", text=text, published=published)
    return next(extract([(article, "test")], nlp))


def violent(ex: Extraction) -> list[Event]:
    return [e for e in ex.events if e.type == "ASSAULT" and e.polarity == "positive"]


def when(e: Event) -> tuple[str | None, str | None, str, str]:
    assert e.date is not None, e
    return e.date.start, e.date.end, e.date.precision, e.date.basis


def test_a_weekday_anywhere_in_the_sentence_dates_its_event(nlp: Any) -> None:
    ex = run(nlp, "Fourteen villagers were killed on Saturday due to mortar attacks on the market.")
    assert {when(e)[:3] for e in violent(ex)} == {("2021-09-25", "2021-09-25", "day")}
    assert {when(e)[3] for e in violent(ex)} == {"text"}


def test_late_on_a_weekday_is_that_day(nlp: Any) -> None:
    ex = run(nlp, "Militants shelled the garrison late on Tuesday.")
    assert [when(e) for e in violent(ex)] == [("2021-09-28", "2021-09-28", "day", "text")]


def test_possessive_weekday_without_its_apostrophe(nlp: Any) -> None:
    ex = run(nlp, "Tuesdays bombing of the bridge left the town cut off.")
    assert [when(e)[:3] for e in violent(ex)] == [("2021-09-28", "2021-09-28", "day")]


def test_overnight_is_a_two_day_range(nlp: Any) -> None:
    ex = run(nlp, "Overnight, militants shelled the garrison.")
    assert [when(e) for e in violent(ex)] == [("2021-09-28", "2021-09-29", "range", "text")]


def test_the_same_day_points_back_at_the_earlier_day(nlp: Any) -> None:
    ex = run(
        nlp,
        "Rebels captured the hill on Monday. Government jets bombed the valley the same day.",
    )
    bombed = next(e for e in violent(ex) if e.trigger.startswith("bomb"))
    assert when(bombed) == ("2021-09-27", "2021-09-27", "day", "text")


def test_the_leads_day_carries_to_the_sentences_that_continue_it(nlp: Any) -> None:
    text = (
        "A car bomb killed nine people at a checkpoint near the river on Sunday. "
        "Gunmen then opened fire on the soldiers who rushed to the scene."
    )
    ex = run(nlp, text)
    fired = next(e for e in violent(ex) if e.evidence.start > 60)
    assert when(fired) == ("2021-09-26", "2021-09-26", "day", "article")


def test_an_undated_article_falls_back_to_the_week_before_publication(nlp: Any) -> None:
    ex = run(nlp, "Soldiers shot dead two smugglers at the border crossing.")
    (e,) = violent(ex)
    assert when(e) == ("2021-09-22", "2021-09-29", "range", "published")
    assert e.date is not None and e.date.text == PUBLISHED


def test_no_fallback_without_a_publication_date(nlp: Any) -> None:
    ex = run(nlp, "Soldiers shot dead two smugglers at the border crossing.", published=None)
    assert [e.date for e in violent(ex)] == [None]


def test_a_resolution_number_or_a_clock_time_is_no_year(nlp: Any) -> None:
    ex = run(nlp, "Warplanes bombed the depot at 1900 GMT in breach of resolution 2118.")
    for e in violent(ex):
        assert e.date is not None and e.date.basis == "published", e.date


def test_a_reported_happening_is_never_dated_after_its_article(nlp: Any) -> None:
    text = "The envoy will travel to the city, where troops attacked a convoy on Friday."
    ex = run(nlp, text)
    for e in violent(ex):
        assert e.date is not None and (e.date.start or "") <= PUBLISHED, e.date


def test_a_planned_strike_may_lie_ahead(nlp: Any) -> None:
    ex = run(nlp, "The army will attack the town next week.")
    planned = [e for e in ex.events if e.type == "ASSAULT" and e.modality == "planned"]
    assert planned and planned[0].date is not None
    assert (planned[0].date.start or "") > PUBLISHED


def test_a_publication_stamp_is_not_the_date_of_the_sentence_it_runs_into(nlp: Any) -> None:
    ex = run(nlp, "Published September 29 2021 Drones struck a fuel convoy near the airport.")
    (e,) = violent(ex)
    assert e.date is not None and e.date.basis == "published"


def test_a_wire_dateline_dates_its_lead(nlp: Any) -> None:
    ex = run(nlp, "Aleppo SANA- Terrorists fired rockets at a school in the city.")
    (e,) = violent(ex)
    assert when(e) == (PUBLISHED, PUBLISHED, "day", "article")
