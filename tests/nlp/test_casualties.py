"""Casualty figures in one sentence: one group of asserts per form, on sentences written by us."""

from __future__ import annotations

import pytest

from overhorizon.nlp.casualties import CasualtyFigure, find_casualties
from overhorizon.nlp.numbers import parse_cardinal
from overhorizon.records import Count

Bounds = tuple[int | None, int | None, int | None]


def bounds(count: Count | None) -> Bounds | None:
    return None if count is None else (count.low, count.best, count.high)


def only(sentence: str) -> CasualtyFigure:
    """The one figure of a sentence that must hold exactly one."""
    figures = find_casualties(sentence)
    assert len(figures) == 1, figures
    return figures[0]


def words(sentence: str, figure: CasualtyFigure) -> str:
    return sentence[figure.span.start : figure.span.end]


# --- numbers --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ten civilians were killed.", (10, 10, 10)),
        ("Seven villagers were killed.", (7, 7, 7)),
        ("Twenty-three soldiers were killed.", (23, 23, 23)),
        ("A dozen worshippers were killed.", (12, 12, 12)),
        ("1,200 people were killed.", (1200, 1200, 1200)),
        ("One hundred and sixty-nine people were killed.", (169, 169, 169)),
        ("Dozens of passengers were killed.", (24, None, None)),
        ("Hundreds of residents were killed.", (200, None, None)),
        ("Scores of worshippers were killed.", (40, None, None)),
        ("A handful of marines were killed.", (2, None, None)),
        ("Several policemen were killed.", (3, None, None)),
    ],
)
def test_digits_number_words_and_vague_quantities(sentence: str, expected: Bounds) -> None:
    assert bounds(only(sentence).killed) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("At least 60 people were killed.", (60, 60, None)),
        ("More than 90 people were killed.", (90, 90, None)),
        ("Up to 20 people were killed.", (None, None, 20)),
        ("Nearly 170 people were killed.", (None, 170, 170)),
        ("Almost 170 people were killed.", (None, 170, 170)),
        ("About 170 people were killed.", (None, 170, None)),
        ("Around 170 people were killed.", (None, 170, None)),
        ("Some 170 people were killed.", (None, 170, None)),
        ("Between 10 and 15 people were killed.", (10, None, 15)),
        ("Two or three people were killed.", (2, None, 3)),
    ],
)
def test_modifiers_give_ranges(sentence: str, expected: Bounds) -> None:
    assert bounds(only(sentence).killed) == expected


def test_parse_cardinal() -> None:
    assert parse_cardinal("twenty-three") == 23
    assert parse_cardinal("1,200") == 1200
    assert parse_cardinal("two hundred and five") == 205
    assert parse_cardinal("half a dozen") == 6
    assert parse_cardinal("two three") is None
    assert parse_cardinal("Kabul") is None


# --- tolls ----------------------------------------------------------------------------------------
def test_death_toll_of() -> None:
    sentence = "The bombing outside the airport gate left a death toll of 169."
    figure = only(sentence)
    assert (figure.group, bounds(figure.killed), figure.injured) == (
        "unknown",
        (169, 169, 169),
        None,
    )
    assert words(sentence, figure) == "death toll of 169"


def test_toll_rose_to() -> None:
    assert bounds(only("By Friday the toll rose to 13.").killed) == (13, 13, 13)
    # The date inside the phrase is not the toll.
    sentence = "The death toll from the August 26 bombing has climbed to at least 170."
    assert bounds(only(sentence).killed) == (170, 170, None)


# --- verbs and nouns ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Three shepherds were killed by a mine.", 3, None),
        ("Three shepherds are dead.", 3, None),
        ("Three shepherds died in the shelling.", 3, None),
        ("The mine claimed 3 lives.", 3, None),
        ("Officials counted 3 fatalities.", 3, None),
        ("Rescuers pulled 3 bodies from the rubble.", 3, None),
        ("3 civilian deaths were recorded.", 3, None),
        ("Three shepherds were wounded.", None, 3),
        ("Three shepherds were injured.", None, 3),
        ("Three shepherds were hurt.", None, 3),
        ("The mine exploded, injuring 3 shepherds.", None, 3),
        ("The blast left 3 people dead and 5 wounded.", 3, 5),
    ],
)
def test_killed_and_injured_words(sentence: str, killed: int | None, injured: int | None) -> None:
    figure = only(sentence)
    assert (figure.killed and figure.killed.best, figure.injured and figure.injured.best) == (
        killed,
        injured,
    )


def test_killed_and_wounded_dozens_gives_both() -> None:
    figure = only("The explosion killed and wounded dozens.")
    assert bounds(figure.killed) == bounds(figure.injured) == (24, None, None)


def test_injured_alone_leaves_killed_unknown() -> None:
    figure = only("Dozens were injured in the stampede.")
    assert figure.killed is None
    assert bounds(figure.injured) == (24, None, None)


def test_killed_and_wounded_of_one_group_are_one_figure() -> None:
    sentence = "13 US service members were killed and 18 wounded in the airport bombing."
    figure = only(sentence)
    assert (figure.group, bounds(figure.killed), bounds(figure.injured)) == (
        "military",
        (13, 13, 13),
        (18, 18, 18),
    )
    assert words(sentence, figure) == "13 US service members were killed and 18 wounded"


def test_perpetrators_are_not_victims() -> None:
    figure = only("Five gunmen killed 10 people at the checkpoint.")
    assert (figure.group, bounds(figure.killed)) == ("unknown", (10, 10, 10))


# --- groups ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("noun", "group"),
    [
        ("fighters", "combatants"),
        ("militants", "combatants"),
        ("insurgents", "combatants"),
        ("gunmen", "combatants"),
        ("Taliban fighters", "combatants"),
        ("soldiers", "military"),
        ("troops", "military"),
        ("US service members", "military"),
        ("marines", "military"),
        ("policemen", "police"),
        ("police officers", "police"),
        ("civilians", "civilians"),
        ("residents", "civilians"),
        ("worshippers", "civilians"),
        ("passengers", "civilians"),
        ("children", "children"),
        ("kids", "children"),
        ("boys", "children"),
        ("girls", "children"),
        ("women", "women"),
        ("people", "unknown"),
    ],
)
def test_groups(noun: str, group: str) -> None:
    assert only(f"Two {noun} were killed in the raid.").group == group


def test_a_singular_noun_counts_one() -> None:
    figure = only("A 10-year-old child was killed when the rocket hit.")
    assert (figure.group, bounds(figure.killed)) == ("children", (1, 1, 1))


def test_coordinated_groups_are_separate_figures() -> None:
    figures = find_casualties("Two Taliban fighters and a civilian were killed.")
    assert [(f.group, bounds(f.killed)) for f in figures] == [
        ("combatants", (2, 2, 2)),
        ("civilians", (1, 1, 1)),
    ]


# --- parts of a group -----------------------------------------------------------------------------
def test_including_is_a_part_not_an_addition() -> None:
    sentence = "The drone strike in Kabul killed 10 civilians, including seven children."
    figures = find_casualties(sentence)
    assert [(f.group, bounds(f.killed), f.part_of) for f in figures] == [
        ("civilians", (10, 10, 10), None),
        ("children", (7, 7, 7), "civilians"),
    ]
    assert words(sentence, figures[1]) == "seven children"
    assert [f.killed.best for f in figures if f.killed and f.part_of is None] == [10]


def test_including_before_the_verb() -> None:
    figures = find_casualties("Ten members of one family, including seven children, were killed.")
    assert [(f.group, bounds(f.killed), f.part_of) for f in figures] == [
        ("civilians", (10, 10, 10), None),
        ("children", (7, 7, 7), "civilians"),
    ]


def test_killing_civilians_including_women() -> None:
    sentence = "The shell hit a market, killing 6 civilians, including 2 women."
    figures = find_casualties(sentence)
    assert [(f.group, bounds(f.killed), f.part_of) for f in figures] == [
        ("civilians", (6, 6, 6), None),
        ("women", (2, 2, 2), "civilians"),
    ]
    assert words(sentence, figures[0]) == "killing 6 civilians"


def test_of_them_is_a_part() -> None:
    figures = find_casualties("Nine people were killed, four of them children.")
    assert [(f.group, bounds(f.killed), f.part_of) for f in figures] == [
        ("unknown", (9, 9, 9), None),
        ("children", (4, 4, 4), "unknown"),
    ]


# --- negations and things that are not figures ----------------------------------------------------
def test_no_one_hurt_is_zero_killed_and_injured() -> None:
    figure = only("A rocket landed near the compound but no one was hurt.")
    assert bounds(figure.killed) == bounds(figure.injured) == (0, 0, 0)


def test_no_casualties_is_zero() -> None:
    figure = only("The convoy was ambushed but there were no casualties.")
    assert (figure.group, bounds(figure.killed), bounds(figure.injured)) == (
        "unknown",
        (0, 0, 0),
        (0, 0, 0),
    )


def test_no_one_killed_says_nothing_of_injured() -> None:
    figure = only("No one was killed in the attack.")
    assert (bounds(figure.killed), figure.injured) == ((0, 0, 0), None)


@pytest.mark.parametrize(
    "sentence",
    [
        "His father was killed 10 years ago.",
        "In 2021, the Taliban returned to Kabul.",
        "The 13th convoy left on time.",
        "A bomb exploded on Route 7 near the bridge.",
        "The blast came at 10:30 in the morning.",
        "Donors pledged $1 billion for the displaced.",
        "Medics saved 10 lives.",
        "Ten rockets were fired at the base.",
        "He said 10 people were not killed.",
        "The strike caused 20 casualties.",
        "An unknown number were killed in the raid.",
        "The toll of 2021 on Afghan families was heavy.",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert find_casualties(sentence) == []


def test_the_killed_as_a_noun_is_still_a_figure() -> None:
    assert bounds(only("The 10 killed were buried on Monday.").killed) == (10, 10, 10)


# --- offsets --------------------------------------------------------------------------------------
def test_offset_is_added_to_every_span() -> None:
    article = "Kabul, 29 August. A drone strike killed 10 civilians, including seven children."
    sentence_start = article.index("A drone")
    figures = find_casualties(article[sentence_start:], offset=sentence_start)
    assert [article[f.span.start : f.span.end] for f in figures] == [
        "killed 10 civilians",
        "seven children",
    ]


def test_the_number_killed_has_risen_to() -> None:
    f = only("The number of Afghans killed in the bombing has risen to about 170, officials said.")
    assert (f.group, bounds(f.killed), f.injured) == ("unknown", (None, 170, None), None)
    assert find_casualties("The number of refugees has risen to 170.") == []
    assert find_casualties("The number of people killed in the attack is unknown.") == []


def test_including_a_group_without_a_number() -> None:
    f = only("An official said at least 13 people, including children, had been killed.")
    assert (f.group, bounds(f.killed), f.part_of) == ("unknown", (13, 13, None), None)


def test_the_year_of_a_date_before_a_count_is_not_the_count() -> None:
    """Page text without commas: the dateline's year runs into the sentence's own number."""
    (figure,) = find_casualties("Sep 24 2016 Ninety-two civilians were killed and 273 hurt.")
    assert figure.group == "civilians" and figure.killed is not None
    assert figure.killed.best == 92


# --- issue 15: every usual word, singular and named victims --------------------------------
@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("Three citizens were martyred in the shelling.", 3),
        ("Two guards were slain at the gate.", 2),
        ("Four villagers perished in the fire.", 4),
        ("Two passengers lost their lives in the crash.", 2),
        ("The driver was shot dead at the checkpoint.", 1),
        ("A teacher was gunned down outside the school.", 1),
        ("A farmer was fatally shot near his field.", 1),
        ("Two men were stabbed to death in the market.", 2),
        ("A shopkeeper succumbed to his injuries on Sunday.", 1),
        ("The victim died at the hospital.", 1),
        ("A 5-year-old was shot and killed on Tuesday.", 1),
        ("She was later pronounced dead at the scene.", 1),
    ],
)
def test_killed_by_every_usual_word(sentence: str, killed: int) -> None:
    figure = only(sentence)
    assert figure.killed is not None and figure.killed.best == killed
    assert figure.injured is None  # "shot and killed" is one victim, dead, not also hurt


@pytest.mark.parametrize(
    "sentence",
    [
        "A guard was hospitalised after the blast.",
        "A bystander was grazed by a bullet.",
        "A boy is in critical condition.",
        "A student was treated for gunshot wounds.",
        "A man was shot in the leg on Elm Street.",
        "The clerk was taken to a hospital in stable condition.",
        "A nurse suffered minor injuries.",
    ],
)
def test_injured_by_every_usual_word(sentence: str) -> None:
    figure = only(sentence)
    assert (figure.killed, bounds(figure.injured)) == (None, (1, 1, 1))


def test_a_wound_then_death_in_one_sentence_is_one_death() -> None:
    figure = only("A clerk was shot in the chest and taken to a hospital, where he died.")
    assert (bounds(figure.killed), figure.injured) == ((1, 1, 1), None)


def test_a_named_victim_is_one_and_keeps_the_name() -> None:
    sentence = "Maria Lopez, a 34-year-old nurse, was killed on Friday."
    figure = only_named(sentence, "Maria Lopez")
    assert (figure.group, bounds(figure.killed), figure.victim) == (
        "unknown",
        (1, 1, 1),
        "Maria Lopez",
    )
    other = only_named("Paramedics pronounced Lopez dead at the scene.", "Lopez")
    assert other.victim == "Lopez" and bounds(other.killed) == (1, 1, 1)


def only_named(sentence: str, name: str) -> CasualtyFigure:
    start = sentence.index(name)
    figures = find_casualties(sentence, names=[(start, start + len(name))])
    assert len(figures) == 1, figures
    return figures[0]


def test_ages_addresses_and_times_are_not_counts() -> None:
    sentence = "At 8:20 a.m. a 34-year-old man was shot dead in the 1000 block of Elm Street."
    figure = only(sentence)
    assert (figure.group, bounds(figure.killed)) == ("unknown", (1, 1, 1))


@pytest.mark.parametrize(
    "sentence",
    [
        "Gunmen shot at the car before dawn.",
        "He shot a neighbour's dog.",
        "The gunman was shot by a deputy.",
        "The 1000 block of Elm Street was closed.",
    ],
)
def test_not_victims(sentence: str) -> None:
    assert find_casualties(sentence) == []
