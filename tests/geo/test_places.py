"""Places in text: toponyms resolved in context, precision codes, the place of an event."""

from __future__ import annotations

from typing import Any

from overhorizon.nlp.extract import extract
from overhorizon.records import Article, Extraction, Place


def run(nlp: Any, text: str, published: str = "2021-09-01") -> Extraction:
    return next(extract([(Article(id="t", text=text, published=published), "t")], nlp))


def place(ex: Extraction, name: str) -> Place:
    for p in ex.places:
        if p.name == name or any(ex.article.text[m.start : m.end] == name for m in p.mentions):
            return p
    raise AssertionError(f"no place {name!r} in {[(p.name, p.country) for p in ex.places]}")


def test_city_country_and_precision(nlp: Any) -> None:
    ex = run(nlp, "Taliban fighters entered Kabul on Sunday as the government of Afghanistan fell.")
    kabul = place(ex, "Kabul")
    assert (kabul.country, kabul.feature, kabul.precision) == ("AFG", "city", 1)
    assert abs(kabul.lat - 34.53) < 0.2 and abs(kabul.lon - 69.17) < 0.2
    assert kabul.gazetteer_id.startswith("geonames:")
    afg = place(ex, "Afghanistan")
    assert (afg.feature, afg.precision) == ("country", 3)


def test_spelling_variants(nlp: Any) -> None:
    for spelling in ("Mazar-i-Sharif", "Mazar-e Sharif"):
        ex = run(nlp, f"Fighting was reported in {spelling}, in northern Afghanistan.")
        p = place(ex, spelling)
        assert p.country == "AFG" and abs(p.lat - 36.7) < 0.2, spelling


def test_context_picks_the_namesake(nlp: Any) -> None:
    ex = run(nlp, "Protesters gathered in Tbilisi, the capital of Georgia, on Monday.")
    assert place(ex, "Georgia").country == "GEO"
    ex = run(nlp, "Voters in Atlanta, Georgia, queued for hours on Tuesday in the United States.")
    assert place(ex, "Georgia").country == "USA"


def test_near_lowers_precision_and_the_event_takes_its_place(nlp: Any) -> None:
    ex = run(nlp, "A US drone strike in Kabul on August 29 killed 10 civilians.")
    (strike,) = [e for e in ex.events if e.type == "ASSAULT" and e.polarity == "positive"]
    assert {p.id: p.name for p in ex.places}[strike.place or ""] == "Kabul"
    assert strike.place_precision == 1
    ex = run(nlp, "A roadside bomb exploded near Jalalabad on Saturday, killing two soldiers.")
    (bomb,) = [e for e in ex.events if e.type == "ASSAULT" and e.polarity == "positive"]
    assert {p.id: p.name for p in ex.places}[bomb.place or ""] == "Jalalabad"
    assert bomb.place_precision == 2


def test_dateline_is_the_fallback_with_lower_precision(nlp: Any) -> None:
    ex = run(nlp, "KANDAHAR, Afghanistan — Gunmen attacked a checkpoint overnight, officials said.")
    (attack,) = [e for e in ex.events if e.type == "ASSAULT"]
    assert attack.place is not None and attack.place_precision == 2


def test_unknown_places_are_null_not_guesses(nlp: Any) -> None:
    ex = run(nlp, "Officials in Xyzzyville said the convoy was stopped.")
    assert all(p.name != "Xyzzyville" for p in ex.places)
    assert not any(
        ex.article.text[m.start : m.end] == "Xyzzyville" for p in ex.places for m in p.mentions
    )


def test_people_are_not_places(nlp: Any) -> None:
    ex = run(nlp, "Michael Jordan said the talks in Doha would continue.")
    assert [p.country for p in ex.places] == ["QAT"]


def test_a_capital_beats_a_namesake_village_in_an_american_story(nlp: Any) -> None:
    ex = run(nlp, "Officials in Washington and Texas said a drone struck a car in Kabul.")
    assert place(ex, "Kabul").country == "AFG"


def test_regions_and_seas_resolve_with_their_member_countries(nlp: Any) -> None:
    ex = run(
        nlp,
        "Moscow offered its bases in Central Asia, while US carriers stayed in the Gulf region "
        "and tankers crossed the Red Sea.",
    )
    asia = place(ex, "Central Asia")
    assert (asia.feature, asia.precision, asia.country) == ("region", 3, None)
    assert {"KAZ", "KGZ", "TJK", "TKM", "UZB"} <= set(asia.countries)
    assert asia.gazetteer_id.startswith("overhorizon-regions:")
    gulf = place(ex, "Gulf region")
    assert gulf.country is None and {"IRN", "SAU", "QAT"} <= set(gulf.countries)
    sea = place(ex, "Red Sea")
    assert sea.feature == "sea" and "YEM" in sea.countries
    # a town keeps no member list
    assert place(ex, "Moscow").countries == []


def test_a_continent_is_not_a_village_of_its_name(nlp: Any) -> None:
    ex = run(nlp, "Aid agencies warned that drought in Africa would deepen the hunger crisis.")
    africa = place(ex, "Africa")
    assert africa.feature == "region" and africa.country is None
    assert {"NGA", "ETH", "TUN"} <= set(africa.countries)


def test_a_region_inside_one_country_has_that_country(nlp: Any) -> None:
    ex = run(nlp, "Shelling continued across the Donbas on Thursday, Ukrainian officials said.")
    assert place(ex, "Donbas").country == "UKR"


def test_a_dateline_is_a_town_not_a_state(nlp: Any) -> None:
    ex = run(nlp, "WASHINGTON — The Pentagon said on Friday that the strike was a mistake.")
    dc = place(ex, "Washington")
    assert (dc.feature, dc.admin1, dc.precision) == ("city", "District of Columbia", 1)
    ex = run(nlp, "Washington state officials said the fires spread east.")
    assert place(ex, "Washington").feature == "admin1"
