"""Fusion of reports into incidents: pure functions, built from seeded reports."""

from __future__ import annotations

import random

from overhorizon.fusion.cluster import fuse
from overhorizon.fusion.reports import Report, compare, distinctive_words

KABUL = (34.53, 69.17)


def report(
    key: str,
    day: str | None,
    *,
    mode: str | None = "drone",
    words: str = "",
    place: tuple[float, float] | None = KABUL,
    precision: int = 1,
    exact: bool = True,
    killed: tuple[tuple[str, int], ...] = (),
    polarity: str = "positive",
    type_: str = "ASSAULT",
) -> Report:
    article = key.split("/")[0]
    return Report(
        key=key,
        article_id=article,
        type=type_,
        mode=mode,
        start=day,
        end=day,
        exact=exact,
        lat=place[0] if place else None,
        lon=place[1] if place else None,
        precision=precision if place else None,
        country="AFG",
        killed=killed,
        words=distinctive_words(words),
        source=article,
        published=day,
        polarity=polarity,
    )


STRIKE = "a US drone strike hit a car in the courtyard of a family home in Kabul"
BOMB = "a suicide bomber struck crowds at the Abbey Gate of Kabul airport"


def corpus() -> list[Report]:
    return [
        report("a1/e1", "2021-08-29", words=STRIKE, killed=(("civilians", 10),)),
        report("a2/e1", "2021-08-29", words=STRIKE + " killing ten members of one family"),
        report(
            "a3/e2",
            "2021-08-29",
            words="relatives said the drone strike killed children",
            killed=(("civilians", 10),),
        ),
        report("a4/e1", "2021-08-26", mode="suicide-attack", words=BOMB),
        report("a5/e3", "2021-08-26", mode="explosives", words=BOMB + " near the Baron Hotel"),
        report(
            "a6/e1",
            "2021-09-19",
            mode="explosives",
            words="a bomb hit a Taliban vehicle",
            place=(34.43, 70.45),
        ),
    ]


def groups(clusters: list) -> set[frozenset[str]]:
    return {frozenset(c.keys) for c in clusters}


def test_one_happening_one_incident_and_days_apart_stay_apart() -> None:
    got = groups(fuse(corpus()))
    assert frozenset({"a1/e1", "a2/e1", "a3/e2"}) in got  # the drone strike
    assert frozenset({"a4/e1", "a5/e3"}) in got  # the airport bombing, three days earlier
    assert frozenset({"a6/e1"}) in got  # another city, weeks later


def test_the_result_does_not_depend_on_input_order() -> None:
    expected = groups(fuse(corpus()))
    rng = random.Random(7)
    for _ in range(20):
        shuffled = corpus()
        rng.shuffle(shuffled)
        assert groups(fuse(shuffled)) == expected


def test_incremental_joins_equal_a_full_run() -> None:
    reports = corpus()
    first = groups(fuse(reports[:2]))
    assert first == {frozenset({"a1/e1", "a2/e1"})}
    assert groups(fuse(reports)) == groups(fuse(reports[2:] + reports[:2]))


def test_every_link_keeps_its_reasons() -> None:
    (strike,) = [c for c in fuse(corpus()) if "a1/e1" in c.keys]
    assert len(strike.links) == 2
    for _a, _b, score, reasons in strike.links:
        assert score > 0 and "both ASSAULT" in reasons
        assert any(r.startswith("same date") for r in reasons)


def test_vetoes_explain_why_not() -> None:
    a, b = corpus()[0], corpus()[3]
    assert compare(a, b).veto == "dates 3 days apart (2021-08-29, 2021-08-26)"
    far = report("x/e1", "2021-08-29", words=STRIKE, place=(31.61, 65.71))  # Kandahar
    assert (compare(a, far).veto or "").startswith("places ")
    other = report("y/e1", "2021-08-29", type_="PROTEST", words=STRIKE)
    assert compare(a, other).veto == "types differ (ASSAULT, PROTEST)"


def test_manual_split_and_merge_are_respected() -> None:
    apart = fuse(corpus(), apart=[("a1/e1", "a3/e2")])
    assert not any({"a1/e1", "a3/e2"} <= set(c.keys) for c in apart)
    together = fuse(corpus(), together=[("a1/e1", "a6/e1")])
    (joined,) = [c for c in together if "a6/e1" in c.keys]
    assert "a1/e1" in joined.keys
    assert any(reasons == ["merged by hand"] for *_, reasons in joined.links)


def test_denials_and_plans_make_no_incident() -> None:
    reports = [
        report("a1/e1", "2021-08-29", words=STRIKE, polarity="negated"),
        report("a2/e1", "2021-08-29", words=STRIKE, polarity="negated"),
    ]
    assert fuse(reports) == []


def test_undated_reports_fall_in_the_week_before_publication() -> None:
    dated = report("a1/e1", "2021-08-29", words=STRIKE)
    undated = Report(
        **{
            **_fields(dated),
            "key": "a9/e1",
            "article_id": "a9",
            "source": "a9",
            "start": "2021-08-23",
            "end": "2021-08-30",
            "exact": False,
        }
    )
    assert compare(dated, undated).veto is None
    assert groups(fuse([dated, undated])) == {frozenset({"a1/e1", "a9/e1"})}


def _fields(r: Report) -> dict[str, object]:
    return {name: getattr(r, name) for name in Report.__slots__}


def test_reports_with_no_date_at_all_meet_only_reports_that_share_a_word() -> None:
    from overhorizon.fusion.cluster import candidate_pairs

    dated = [
        report(
            f"d{i}/e1",
            "2021-08-29",
            words=f"convoy ambush village{i} road{i}",
            place=(20.0 + i, 60.0),  # fifty towns far apart
        )
        for i in range(50)
    ]
    undated = [
        report("u1/e1", None, words=STRIKE),
        report("u2/e1", None, words=STRIKE + " relatives"),
    ]
    strike = report("s/e1", "2021-08-29", words=STRIKE)
    pairs = {frozenset((a.key, b.key)) for a, b in candidate_pairs([*dated, *undated, strike])}
    assert frozenset({"u1/e1", "u2/e1"}) in pairs and frozenset({"u1/e1", "s/e1"}) in pairs
    assert not any("u1/e1" in p and any(k.startswith("d") for k in p) for p in pairs)
    got = groups(fuse([*dated, *undated, strike]))
    assert frozenset({"u1/e1", "u2/e1", "s/e1"}) in got


def test_history_an_article_recalls_makes_no_incident_but_joins_one_as_a_claim() -> None:
    from dataclasses import replace

    invasion = replace(
        report("a1/e9", "2001-10-07", words="the 2001 invasion toppled the Taliban"),
        published="2021-08-29",
        dated=True,
    )
    assert fuse([invasion]) == []
    recap = replace(
        report("a9/e1", "2021-08-29", words=STRIKE),
        published="2021-12-13",
        dated=True,
    )
    (strike,) = [c for c in fuse([*corpus(), recap]) if "a1/e1" in c.keys]
    assert "a9/e1" in strike.attached and "a9/e1" not in strike.keys


def test_no_chain_joins_reports_whose_dates_would_be_vetoed() -> None:
    """Exact reports ten days apart are never compared (not a candidate pair), but week-dated
    reports between them link to both: the chain must not join them."""
    from dataclasses import replace

    def week(key: str, first: str, last: str) -> Report:
        return replace(report(key, first, words=BOMB, exact=False), end=last)

    reports = [
        report("b1/e1", "2021-08-16", words=BOMB),
        week("b2/e1", "2021-08-15", "2021-08-21"),
        week("b3/e1", "2021-08-20", "2021-08-26"),
        report("b4/e1", "2021-08-26", words=BOMB),
    ]
    joined = [set(c.keys) for c in fuse(reports)]
    assert not any({"b1/e1", "b4/e1"} <= keys for keys in joined)
    assert compare(reports[1], reports[2]).veto is None  # the links themselves are allowed
    # without the far ends, the week-dated ones and either end join as before
    assert any({"b1/e1", "b2/e1"} <= keys for keys in joined)
