"""Independent sources under the source registry: one owner counts once, a state's outlets and
the state's own claims count once; without a registry nothing changes."""

from __future__ import annotations

from dataclasses import replace

from overhorizon.fusion.claims import assess
from overhorizon.fusion.independence import Outlet, SourceMap, independent_sources
from overhorizon.records import ArticleInput
from tests.fusion.test_claims import FAMILY, PENTAGON, US_MIL, article

RU_MOD = {
    "id": "a7",
    "name": "Russian Defence Ministry",
    "kind": "organisation",
    "country": "RUS",
    "sector": "military",
}
RU_STATE = Outlet("TASS", owner="government:RUS", state="RUS", kind="state media")
REGISTRY = SourceMap.of(
    [
        (RU_STATE, ["tass.com", "tass.ru"]),
        (Outlet("RIA Novosti", "government:RUS", "RUS", "state media"), ["ria.ru"]),
        (Outlet("Reuters", None, None, "wire"), ["reuters.com"]),
        (Outlet("Kremlin", None, "RUS", "government"), ["kremlin.ru"]),
        (Outlet("Courier", "Courier Group", None, "newspaper"), ["courier.example"]),
        (Outlet("Evening Courier", "courier group", None, "newspaper"), ["evening.example"]),
        (Outlet("DVIDS", None, "USA", "government"), ["dvidshub.net"]),
    ]
)


def three_outlets() -> list[ArticleInput]:
    return [
        article("a", "2022-03-01", FAMILY, killed={"civilians": (4, 4, 4)}, outlet="TASS"),
        article("b", "2022-03-01", FAMILY, killed={"civilians": (4, 4, 4)}, outlet="RIA Novosti"),
        article("c", "2022-03-02", FAMILY, killed={"civilians": (4, 4, 4)}, outlet="Reuters"),
    ]


def test_without_a_registry_nothing_changes() -> None:
    arts = three_outlets()
    before = assess(arts)
    for registry in (None, SourceMap()):
        after = assess(arts, registry)
        assert (after.grade, after.grade_reason) == ("fair", "3 independent sources")
        assert after.sources == before.sources and len(after.independent) == 3
        assert all(g.why is None for g in after.independent)


def test_outlets_of_one_owner_count_once_and_the_reason_says_so() -> None:
    found = assess(three_outlets(), REGISTRY)
    assert len(found.sources) == 3 and len(found.independent) == 2
    assert found.grade == "fair"
    assert found.grade_reason == (
        "2 independent sources (RIA Novosti and TASS share owner government:RUS)"
    )
    # said once, by owner: the state rule adds nothing the owner did not already join
    assert "speak for the state" not in found.grade_reason


def test_owner_names_match_whatever_their_case() -> None:
    arts = [
        article("a", "2022-03-01", FAMILY, outlet="Courier"),
        article("b", "2022-03-02", FAMILY, outlet="Evening Courier"),
    ]
    found = assess(arts, REGISTRY)
    assert found.grade == "weak"
    assert found.grade_reason == (
        "one independent source (Courier and Evening Courier share owner Courier Group)"
    )


def test_a_state_outlet_and_that_states_own_claim_elsewhere_are_one_source() -> None:
    arts = [
        article("a", "2022-03-01", FAMILY, killed={"civilians": (4, 4, 4)}, outlet="TASS"),
        # Reuters only carries what the Russian military says
        article("b", "2022-03-01", RU_MOD, killed={"civilians": (4, 4, 4)}, outlet="Reuters"),
    ]
    found = assess(arts, REGISTRY)
    assert len(found.independent) == 1 and found.grade == "weak"
    assert found.grade_reason == (
        "one independent source (Russian Defence Ministry (in Reuters) and TASS (state media "
        "of RUS) speak for the state of RUS)"
    )
    # without the registry the two are two sources
    assert assess(arts).grade_reason == "2 independent sources"
    # a third outlet reporting for itself is independent of both
    found = assess([*arts, article("c", "2022-03-02", FAMILY, outlet="Courier")], REGISTRY)
    assert len(found.independent) == 2 and found.grade == "fair"


def test_a_government_outlet_matched_by_url_joins_the_states_claims() -> None:
    kremlin = replace(
        article("a", "2022-03-01", FAMILY, outlet="Presidential press service"),
        url="https://en.kremlin.ru/events/president/news/1",
    )
    quoted = article("b", "2022-03-01", RU_MOD, outlet="Reuters")
    found = assess([kremlin, quoted], REGISTRY)
    assert len(found.independent) == 1
    assert "Kremlin (government of RUS)" in found.grade_reason
    # another state's voice is independent of it
    us = article("c", "2022-03-02", PENTAGON, outlet="Reuters")
    assert len(assess([kremlin, us], REGISTRY).independent) == 2


def test_a_states_voice_joins_only_when_that_state_has_an_outlet_in_the_incident() -> None:
    # two wires quoting the US military: two sources, as without a registry
    arts = [
        article("a", "2022-03-01", US_MIL, outlet="Reuters"),
        article("b", "2022-03-01", US_MIL, outlet="Courier"),
    ]
    assert len(assess(arts, REGISTRY).independent) == 2
    dvids = article("c", "2022-03-01", FAMILY, outlet="DVIDS")
    found = assess([*arts, dvids], REGISTRY)
    assert len(found.independent) == 1
    assert found.grade_reason.startswith("one independent source (DVIDS (government of USA)")


def test_a_near_duplicate_matches_by_its_canonical_copy() -> None:
    copy = replace(
        article("b", "2022-03-01", FAMILY, outlet=None, canonical="a"),
        url="https://tass.ru/proisshestviya/1",
    )
    found = assess([copy, article("c", "2022-03-01", FAMILY, outlet="RIA Novosti")], REGISTRY)
    assert len(found.sources) == 2 and len(found.independent) == 1


def test_groups_list_their_sources() -> None:
    found = assess(three_outlets(), REGISTRY)
    groups = independent_sources(found.claims)
    assert [g.sources for g in groups] == [
        ("outlet:reuters",),
        ("outlet:ria novosti",),
        ("outlet:tass",),
    ]
    assert [g.sources for g in found.independent] == [
        ("outlet:reuters",),
        ("outlet:ria novosti", "outlet:tass"),
    ]
