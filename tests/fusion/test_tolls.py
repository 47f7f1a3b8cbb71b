"""An incident's toll is its happening's: aggregate figures are context, overlapping victim
groups count once, and the ACLED export's fatalities follow (records built by hand)."""

from __future__ import annotations

import csv
import io
from typing import Any

from overhorizon.codec import decode_records
from overhorizon.export.acled_csv import write_acled_csv
from overhorizon.export.fields import ExportItem
from overhorizon.fusion.claims import assess
from overhorizon.fusion.cluster import Cluster
from overhorizon.fusion.incidents import assemble, reports_of
from overhorizon.records import Article, ArticleInput

TEXT = (
    "A drone strike killed 12 people in the town. Twelve civilians died there. "
    "The war has killed more than 300,000 people since 2011."
)


def figure(event: str | None, group: str, best: int, start: int, **more: Any) -> dict[str, Any]:
    return {
        "event": event,
        "group": group,
        "killed": {"low": best, "best": best, "high": best},
        "injured": None,
        "evidence": {"start": start, "end": start + 5},
        **more,
    }


def article(aid: str, casualties: list[dict[str, Any]], outlet: str = "Ledger") -> ArticleInput:
    records = {
        "events": [
            {
                "id": "e1",
                "type": "ASSAULT",
                "mode": "drone",
                "acled_event_type": "Explosions/Remote violence",
                "acled_sub_event_type": "Air/drone strike",
                "trigger": "strike",
                "evidence": {"start": 0, "end": 44},
                "date": {
                    "start": "2016-05-02",
                    "end": "2016-05-02",
                    "precision": "day",
                    "text": "Monday",
                },
            }
        ],
        "casualties": casualties,
    }
    art = Article(id=aid, text=TEXT, outlet=outlet, published="2016-05-03")
    return ArticleInput(decode_records(records, art), aid, outlet, events=("e1",))


WAR = figure(
    None,
    "unknown",
    300_000,
    TEXT.index("killed more"),
    aggregate=True,
    scope="conflict",
    scope_text="war has killed",
    context_of="e1",
)


def test_an_aggregate_figure_is_context_never_a_casualty() -> None:
    found = assess([article("a", [figure("e1", "unknown", 12, 15), WAR])])
    assert [(r.group, r.killed.best) for r in found.casualties] == [("unknown", 12)]
    assert [f.killed.best for c in found.claims for f in c.figures if f.killed] == [12]
    (context,) = found.context
    assert (context.claim, context.event, context.scope, context.scope_text) == (
        "a/t0",
        "a/e1",
        "conflict",
        "war has killed",
    )
    assert context.killed is not None and context.killed.best == 300_000


def test_the_same_dead_in_two_groups_count_once() -> None:
    found = assess(
        [article("a", [figure("e1", "unknown", 12, 15), figure("e1", "civilians", 12, 45)])]
    )
    ranges = {r.group: r for r in found.casualties}
    assert ranges["unknown"].overlaps == "civilians" and ranges["civilians"].overlaps is None
    # an unknown group no larger than a named one, across articles too
    two = assess(
        [
            article("a", [figure("e1", "unknown", 9, 15)]),
            article("b", [figure("e1", "military", 11, 15)], outlet="Courier"),
        ]
    )
    assert {r.group: r.overlaps for r in two.casualties} == {
        "military": None,
        "unknown": "military",
    }
    # civilians and the children among them: the children keep the figure
    kids = assess(
        [article("a", [figure("e1", "civilians", 7, 15), figure("e1", "children", 7, 45)])]
    )
    assert {r.group: r.overlaps for r in kids.casualties} == {
        "children": None,
        "civilians": "children",
    }
    # a larger unknown figure is not covered: other dead may be in it
    more = assess([article("a", [figure("e1", "unknown", 20, 15), figure("e1", "women", 3, 45)])])
    assert all(r.overlaps is None for r in more.casualties)


def test_an_incident_s_deaths_and_the_export_s_fatalities_leave_aggregates_out() -> None:
    arts = {
        "a": article("a", [figure("e1", "unknown", 12, 15), figure("e1", "civilians", 12, 45), WAR])
    }
    reports = {r.key: r for r in reports_of(arts.values())}
    fused = assemble("i-1", Cluster(keys=["a/e1"]), reports, arts)
    incident = fused.incident
    assert incident.deaths == 12
    assert incident.summary is not None and len(incident.summary.context) == 1
    killed = incident.summary.killed()
    assert killed is not None and killed.best == 12
    out = io.StringIO(newline="")
    write_acled_csv([ExportItem(incident)], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert (row["fatalities"], row["deaths_best"]) == ("12", "12")


def test_a_figure_counts_only_for_the_incident_of_its_event() -> None:
    records = {
        "events": [
            {
                "id": "e1",
                "type": "ASSAULT",
                "trigger": "strike",
                "evidence": {"start": 0, "end": 9},
            },
            {
                "id": "e2",
                "type": "ASSAULT",
                "trigger": "raid",
                "evidence": {"start": 10, "end": 19},
            },
        ],
        "casualties": [figure("e1", "civilians", 5, 0)],
    }
    art = Article(id="a", text=TEXT, outlet="Ledger", published="2016-05-03")
    ex = decode_records(records, art)
    both = {"a": ArticleInput(ex, "a", "Ledger", events=("e1",))}
    reports = {r.key: r for r in reports_of(both.values())}
    first = assemble("i-1", Cluster(keys=["a/e1"]), reports, both)
    second = assemble("i-2", Cluster(keys=["a/e2"]), reports, both)
    assert (first.incident.deaths, second.incident.deaths) == (5, None)
