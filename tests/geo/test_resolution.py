"""Resolution in context: country names, prominence, the area named beside a place, the
``geocode`` command. Sentences are our own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from overhorizon.records import Extraction
from tests.conftest import run_cli
from tests.geo.test_places import place, run


def countries(ex: Extraction) -> dict[str, str | None]:
    text = ex.article.text
    return {text[m.start : m.end]: p.country for p in ex.places for m in p.mentions}


def test_a_country_name_is_the_country_in_an_american_story(nlp: Any) -> None:
    ex = run(
        nlp,
        "Senators in Washington and officials in Texas said Russia had moved troops, and "
        "Egypt and Mexico asked for talks.",
    )
    found = countries(ex)
    assert (found["Russia"], found["Egypt"], found["Mexico"]) == ("RUS", "EGY", "MEX")
    assert place(ex, "Russia").feature == "country"


def test_a_famous_city_beats_a_small_namesake_in_the_focus_country(nlp: Any) -> None:
    ex = run(
        nlp,
        "Officials in Chicago and Texas said envoys would meet in Geneva, and that "
        "Moscow had not replied.",
    )
    found = countries(ex)
    assert found["Geneva"] == "CHE" and found["Moscow"] == "RUS"


def test_the_text_can_say_otherwise(nlp: Any) -> None:
    ex = run(nlp, "The fair in Moscow, Idaho, drew farmers from across the county.")
    moscow = place(ex, "Moscow")
    assert (moscow.country, moscow.admin1) == ("USA", "Idaho")
    ex = run(nlp, "A flood hit Russia, Ohio, a village of a few hundred people, on Monday.")
    assert place(ex, "Russia").country == "USA"


def test_the_province_beside_a_town_picks_the_namesake(nlp: Any) -> None:
    ex = run(nlp, "Aid reached the besieged town of Madaya, in Rif Dimashq, on Thursday.")
    madaya = place(ex, "Madaya")
    assert madaya.country == "SYR" and madaya.feature == "city"


def test_one_reading_per_article(nlp: Any) -> None:
    ex = run(
        nlp,
        "Shelling hit Aleppo on Monday. Residents of Aleppo said the bakery near the "
        "citadel was destroyed.",
    )
    aleppo = [p for p in ex.places if p.name == "Aleppo"]
    assert len(aleppo) == 1 and len(aleppo[0].mentions) == 2 and aleppo[0].country == "SYR"


def first_row(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if "→" in line)


def test_geocode_command_reads_names_as_an_analyst_would(tmp_path: Path) -> None:
    res = run_cli("geocode", "Russia", cwd=tmp_path)
    assert res.code == 0, res.stderr
    row = first_row(res.stdout)
    assert "RUS" in row and "country" in row
    assert "CHE" in first_row(run_cli("geocode", "Geneva", cwd=tmp_path).stdout)
    res = run_cli("geocode", "Madaya", "--context", "Rif Dimashq", cwd=tmp_path)
    assert "SYR" in first_row(res.stdout)
