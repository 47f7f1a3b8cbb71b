"""Aggregate casualty figures: counts over a war, a period or a place are not a happening's toll.

Every sentence here is written by us."""

from __future__ import annotations

import pytest

from overhorizon.nlp.casualties import CasualtyFigure, find_casualties
from overhorizon.nlp.lexicon import LexiconError
from overhorizon.nlp.scope import CUE_COLUMNS, cues, parse_cues


def scoped(sentence: str) -> list[tuple[int | None, str | None, str | None]]:
    """(killed best, scope, cue words) of each figure of the sentence, parts left out."""
    out = []
    for f in find_casualties(sentence):
        if f.part_of is None:
            out.append((f.killed.best if f.killed else None, f.scope, cue_words(sentence, f)))
    return out


def cue_words(sentence: str, f: CasualtyFigure) -> str | None:
    return sentence[f.scope_span.start : f.scope_span.end] if f.scope_span else None


def test_a_war_total_is_aggregate_not_a_toll() -> None:
    assert scoped("The war has killed more than 300,000 people since 2011.") == [
        (300_000, "conflict", "war has killed")
    ]


def test_a_toll_and_a_running_total_in_one_sentence() -> None:
    sentence = (
        "The strike killed 12 people, bringing the number killed in the province this year to 480."
    )
    assert scoped(sentence) == [(12, None, None), (480, "period", "this year")]


@pytest.mark.parametrize(
    ("sentence", "best", "scope"),
    [
        ("The conflict has claimed the lives of over 470,000 people.", 470_000, "conflict"),
        ("The uprising, which began in 2012, has left 9,000 people dead.", 9000, "conflict"),
        ("More than 5,000 people have died since the war began.", 5000, "conflict"),
        ("Since the start of the revolt, 4,000 villagers have been killed.", 4000, "conflict"),
        ("The seven-year conflict has caused more than 60,000 deaths.", 60_000, "conflict"),
        ("Some 2,500 fighters have died in the civil war.", 2500, "conflict"),
        ("Over 8,000 people were killed and millions displaced.", 8000, "conflict"),
        ("More than 9,000 people have died since protests erupted in May 2012.", 9000, "conflict"),
        ("About 7,000 people were killed in four years of turmoil.", 7000, "conflict"),
        ("Over 6,000 people were killed and half of the population has fled.", 6000, "conflict"),
        ("A war that has so far claimed 50,000 lives.", 50_000, "conflict"),
        ("The group said 3,000 people died in jails from May 2012 to June 2015.", 3000, "period"),
        ("Some 4,000 soldiers were killed in six years.", 4000, "period"),
        ("At least 900 civilians have been killed since April.", 900, "period"),
        ("Since early 2014, 700 people have been killed in the valley.", 700, "period"),
        ("So far 340 people have been killed in the region.", 340, "period"),
        ("To date, 1,200 soldiers have been killed.", 1200, "period"),
        ("More than 600 people have died this year.", 600, "period"),
        ("Over the past three years, 2,000 people have been killed.", 2000, "period"),
        ("The monitor documented 1,700 deaths in May.", 1700, "period"),
        ("In total, 95 people have been killed in the raids and the shootings.", 95, "total"),
        ("Air raids killed 40 civilians across the province on Sunday.", 40, "place"),
        ("Altogether 150 people died in the floods and the fighting.", 150, "total"),
    ],
)
def test_cues_give_a_scope(sentence: str, best: int, scope: str | None) -> None:
    ((killed, found, _words),) = scoped(sentence)
    assert (killed, found) == (best, scope)


@pytest.mark.parametrize(
    "sentence",
    [
        "The strike killed 12 people on Monday, the deadliest attack since 2015.",
        "An airstrike earlier this year killed 40 people.",
        "At least 12 people have been killed so far in the attack.",
        "In total 30 people were killed in the bombing.",
        "No strikes were seen since August 3rd, when a drone killed 10 civilians.",
        "A car bomb killed 14 people in the market of the town.",
        "Shelling killed nine people in March, the monitor said.",
        "The war goes on in the north, where a car bomb has killed 12 people.",
    ],
)
def test_a_happening_s_toll_stays_a_toll(sentence: str) -> None:
    assert [scope for _b, scope, _w in scoped(sentence)] == [None]


def test_a_part_shares_the_scope_of_its_whole() -> None:
    figures = find_casualties("Since 2015, 800 civilians, including 300 children, have died.")
    assert [(f.group, f.part_of, f.scope) for f in figures] == [
        ("civilians", None, "period"),
        ("children", "civilians", "period"),
    ]


def test_the_shipped_table_reads_and_orders_conflict_first() -> None:
    table = cues()
    assert table and table[0].scope == "conflict"
    order = ["conflict", "period", "total", "place"]
    assert [order.index(c.scope) for c in table] == sorted(order.index(c.scope) for c in table)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("since <decade>\tperiod\tclause\t\t\t", "unknown word class"),
        ("since 2011\tforever\tclause\t\t\t", "unknown scope"),
        ("since 2011\tperiod\tsomewhere\t\t\t", "unknown attach"),
        ("* since\tperiod\tclause\t\t\t", "starts and ends with a word"),
        ("Since\tperiod\tclause\t\t\t", "lower case"),
    ],
)
def test_a_bad_cue_row_names_its_line(row: str, message: str) -> None:
    text = "\t".join(CUE_COLUMNS) + "\n" + row + "\n"
    with pytest.raises(LexiconError, match=f"line 2: .*{message}"):
        parse_cues(text, "cues.tsv")
