"""Claims, contradictions, casualty ranges, sources and grades from hand-built records."""

from __future__ import annotations

from typing import Any

from overhorizon.codec import decode_records
from overhorizon.fusion.claims import assess
from overhorizon.records import Article, ArticleInput

US_MIL = {
    "id": "a1",
    "name": "US military",
    "kind": "organisation",
    "country": "USA",
    "sector": "military",
}
PENTAGON = {
    "id": "a2",
    "name": "Pentagon",
    "kind": "organisation",
    "country": "USA",
    "sector": "government",
}
FAMILY = {"id": "a3", "name": "relatives", "kind": "group", "country": "AFG", "sector": "civilian"}
TALIBAN = {"id": "a4", "name": "Taliban", "kind": "group", "country": "AFG", "sector": "rebel"}
ISIS = {
    "id": "a5",
    "name": "Islamic State Khorasan",
    "kind": "group",
    "country": None,
    "sector": "rebel",
}
JOURNAL = {
    "id": "a6",
    "name": "The Wall Street Journal",
    "kind": "outlet",
    "country": "USA",
    "sector": "media",
}
SPAN = {"start": 0, "end": 10}


def article(
    aid: str,
    published: str,
    speaker: dict[str, Any] | None,
    *,
    stance: str = "asserts",
    killed: dict[str, tuple[int | None, int | None, int | None]] | None = None,
    perpetrator: dict[str, Any] | None = None,
    polarity: str = "positive",
    outlet: str | None = "Ledger",
    canonical: str | None = None,
    canonical_outlet: str | None = None,
    via: dict[str, Any] | None = None,
) -> ArticleInput:
    actors = [a for a in (speaker, perpetrator, via) if a]
    records = {
        "actors": actors,
        "attributions": [
            {
                "id": "t1",
                "claim": SPAN,
                "speaker": speaker["id"] if speaker else None,
                "cue": "said",
                "stance": stance,
                "evidence": SPAN,
                "anonymous": speaker is None,
                "via": via["id"] if via else None,
                "first_report": False,
            }
        ],
        "events": [
            {
                "id": "e1",
                "type": "ASSAULT",
                "evidence": SPAN,
                "trigger": "strike",
                "attribution": "t1",
                "polarity": polarity,
                "source_actor": perpetrator["id"] if perpetrator else None,
            }
        ],
        "casualties": [
            {
                "event": "e1",
                "group": g,
                "killed": {"low": lo, "best": b, "high": hi},
                "injured": None,
                "evidence": SPAN,
                "attribution": "t1",
            }
            for g, (lo, b, hi) in (killed or {}).items()
        ],
    }
    art = Article(id=aid, text="", outlet=outlet, published=published)
    return ArticleInput(
        extraction=decode_records(records, art),
        canonical=canonical or aid,
        canonical_outlet=canonical_outlet or outlet,
        events=("e1",),
    )


def test_claims_run_in_time_order_and_the_admission_confirms() -> None:
    found = assess(
        [
            article(
                "c",
                "2021-09-17",
                PENTAGON,
                stance="admits",
                killed={"civilians": (10, 10, 10)},
                outlet="Post",
            ),
            article("a", "2021-08-29", US_MIL, perpetrator=US_MIL, outlet="Daily"),
            article(
                "b", "2021-08-30", FAMILY, killed={"civilians": (10, 10, 10)}, outlet="Courier"
            ),
        ]
    )
    assert [c.article for c in found.claims] == ["a", "b", "c"]
    (admission,) = [x for x in found.contradictions if x.kind == "admission"]
    assert (admission.a, admission.b) == ("a/t1", "c/t1")
    assert "a/t1" in found.claims[2].responds_to
    assert found.grade == "confirmed" and "Pentagon" in found.grade_reason


def test_figures_that_do_not_overlap_contradict_and_make_a_range() -> None:
    found = assess(
        [
            article("a", "2021-08-26", TALIBAN, killed={"unknown": (13, 13, None)}),
            article("b", "2021-08-27", PENTAGON, killed={"unknown": (60, 60, None)}, outlet="Wire"),
            article(
                "c", "2021-08-28", FAMILY, killed={"unknown": (170, 170, 170)}, outlet="Courier"
            ),
        ]
    )
    tolls = [x for x in found.contradictions if x.kind == "casualties"]
    # a changing toll: each figure against the one before it
    assert [(x.a, x.b) for x in tolls] == [("a/t1", "b/t1"), ("b/t1", "c/t1")]
    assert "at least 13" in tolls[0].why and "a revised figure" in tolls[0].why
    (toll,) = found.casualties
    assert (toll.killed.low, toll.killed.high) == (13, 170)
    assert toll.low_claims == ["a/t1"] and toll.high_claims == ["c/t1"]
    # the only official figure is the Pentagon's 60
    assert toll.killed.best == 60 and "official" in toll.best_reason
    closed = assess(
        [
            article("a", "2021-08-26", TALIBAN, killed={"unknown": (2, 2, 2)}),
            article("b", "2021-08-27", FAMILY, killed={"unknown": (5, 5, 5)}, outlet="Wire"),
        ]
    )
    assert [x.kind for x in closed.contradictions] == ["casualties"]
    assert "2 unknown killed" in closed.contradictions[0].why
    assert "incompatible figures" in closed.contradictions[0].why


def test_a_denial_contradicts_the_first_assertion_of_another_party() -> None:
    found = assess(
        [
            article("a", "2021-08-26", FAMILY, killed={"civilians": (3, 3, 3)}),
            article("b", "2021-08-27", US_MIL, stance="denies", outlet="Wire"),
            article("c", "2021-08-28", None, polarity="negated", outlet="Courier"),
        ]
    )
    denials = [x for x in found.contradictions if x.kind == "denial"]
    assert {(x.a, x.b) for x in denials} == {("a/t1", "b/t1"), ("a/t1", "c/t1")}
    assert found.claims[2].stance == "denies" and found.claims[2].negated


def test_competing_perpetrators_make_it_contested() -> None:
    found = assess(
        [
            article("a", "2021-08-26", TALIBAN, perpetrator=ISIS),
            article("b", "2021-08-27", FAMILY, perpetrator=US_MIL, outlet="Wire"),
        ]
    )
    assert [x.kind for x in found.contradictions] == ["perpetrator"]
    assert found.grade == "contested"
    assert "Islamic State Khorasan" in found.grade_reason and "US military" in found.grade_reason


def test_combatant_victims_are_discounted() -> None:
    found = assess([article("a", "2021-08-26", TALIBAN, killed={"combatants": (5, 5, 5)})])
    assert found.grade == "discounted"


def test_wire_copy_and_relays_count_once() -> None:
    found = assess(
        [
            article("a", "2021-08-26", FAMILY, outlet="Wire"),
            # a near-duplicate of a in another outlet: the canonical copy's outlet
            article(
                "b", "2021-08-26", FAMILY, outlet="Courier", canonical="a", canonical_outlet="Wire"
            ),
        ]
    )
    assert found.sources == ["outlet:wire"] and found.grade == "weak"
    relays = assess(
        [
            article("a", "2021-08-26", None, via=JOURNAL, outlet="Antiwar"),
            article("b", "2021-08-26", None, via=JOURNAL, outlet="Courier"),
            article("c", "2021-08-26", FAMILY, outlet="Ledger"),
        ]
    )
    assert relays.sources == ["outlet:ledger", "outlet:the wall street journal"]
    assert relays.grade == "fair" and relays.grade_reason == "2 independent sources"


def test_one_perpetrator_seen_two_ways_is_not_a_contest() -> None:
    taliban_gov = {**TALIBAN, "id": "a7", "sector": "government"}  # after August 2021
    found = assess(
        [
            article("a", "2021-09-06", FAMILY, perpetrator=TALIBAN),
            article("b", "2021-09-07", FAMILY, perpetrator=taliban_gov, outlet="Wire"),
        ]
    )
    assert not [x for x in found.contradictions if x.kind == "perpetrator"]
    assert found.grade != "contested"


def test_an_article_without_outlet_is_its_own_source() -> None:
    found = assess([article("abcdef0123456789", "2021-09-06", FAMILY, outlet="")])
    assert found.sources == ["article:abcdef012345"]
