"""Only happenings become events: a sentence in, its events out (``nlp.happening``'s rules).

Every sentence is ours; each names the kind of non-event (or of one happening written as
several trigger words) that the rules are for.
"""

from __future__ import annotations

from typing import Any

import pytest

from overhorizon.nlp.extract import extract
from overhorizon.records import Article, Event


def events(nlp: Any, text: str) -> list[Event]:
    article = Article(id="t", text=text, published="2024-05-20")
    ex = next(extract([(article, "test")], nlp))
    return [e for e in ex.events if e.polarity == "positive"]


def types(nlp: Any, text: str) -> list[str]:
    return sorted(e.type for e in events(nlp, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # modifiers: the trigger word describes a noun
        (
            "The Kurdish-led SDF, a US-backed group, held a meeting in Qamishli on Monday.",
            ["CONSULT"],
        ),
        ("Officials said the outlawed militia had no offices left in the besieged town.", []),
        (
            "Medics treated refugees fleeing the fighting at a clinic in Mafraq on Sunday.",
            [],
        ),
        # content: what was agreed, demanded, threatened or refused is not a second event
        (
            "The two governments agreed on Tuesday that their navies should cooperate "
            "to help stranded fishermen return home.",
            ["AGREE"],
        ),
        (
            "The rebel council rejected an offer by the governor to host talks in Kano.",
            ["REJECT"],
        ),
        (
            "The opposition alliance threatened on Friday to boycott the vote and block "
            "the main highway.",
            ["THREATEN"],
        ),
        # an alleged violent act stays a happening beside the accusation
        (
            "Villagers blamed the army for the shelling of their market on Thursday.",
            ["ACCUSE", "ASSAULT"],
        ),
        # habitual, capability, generic
        ("The valley is regularly targeted by air strikes and artillery.", []),
        ("Insurgents have been able to carry out attacks on the airport for years.", []),
        ("Collaborating with the occupiers only brings misery, the cleric said.", []),
        # a noun of another noun
        ("The envoy said Moscow had lost its standing as a sponsor of negotiations.", []),
        # a resolution's words are not events
        (
            "The council cited resolution 2401, which calls for an end to all attacks "
            "on civilians.",
            [],
        ),
    ],
)
def test_only_happenings_become_events(nlp: Any, text: str, expected: list[str]) -> None:
    assert types(nlp, text) == expected, [(e.type, e.trigger) for e in events(nlp, text)]


def test_a_past_ability_that_was_used_is_a_happening(nlp: Any) -> None:
    found = events(nlp, "Police opened fire and were able to arrest 12 looters at the depot.")
    assert "COERCE" in {e.type for e in found}
    assert types(nlp, "Police are able to arrest looters anywhere in the province.") == []


def test_wounded_others_are_still_counted(nlp: Any) -> None:
    article = Article(
        id="t",
        text="Three soldiers were killed and 11 others injured when a bomb exploded in Gao.",
        published="2024-05-20",
    )
    ex = next(extract([(article, "test")], nlp))
    injured = [c.injured.best for c in ex.casualties if c.injured is not None]
    assert 11 in injured


def test_a_condition_is_no_event_and_its_consequence_is_hypothetical(nlp: Any) -> None:
    found = events(nlp, "If the militia retakes the bridge, the army will shell the old town.")
    assert [(e.type, e.modality) for e in found] == [("ASSAULT", "hypothetical")]
