"""Incidents made on stories, through the real pipeline and store, on articles we write: the
same happening told by two outlets in other words is one incident, joined as the main
happenings of one story; the other happening an article reports is an incident of its own; a
shooting in the same town three days later is another; incremental fusion gives what a full
fusion gives when a later article changes a story."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from overhorizon.app import extract_pending, fuse_stored, ingest_paths
from overhorizon.fusion.incidents import reports_of
from overhorizon.records import Incident
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.articles import Store
from overhorizon.store.incidents import (
    IncidentQuery,
    iter_incidents,
    load_inputs,
    stored_stories,
)

MARKET = {
    "id": "a1",
    "title": "Gunmen attack market in Tal Rifaat",
    "published": "2024-03-02",
    "outlet": "Northern Wire",
    "text": (
        "Gunmen opened fire on a crowded market in Tal Rifaat on Friday, killing seven people, "
        "local officials said.\n\nIn a separate attack on Thursday, a car bomb killed two "
        "soldiers in Azaz."
    ),
}
RETOLD = {
    "id": "a2",
    "title": "Seven dead as armed men storm Tal Rifaat market",
    "published": "2024-03-02",
    "outlet": "Valley Post",
    "text": (
        "Seven people were killed when armed men stormed the market in Tal Rifaat on Friday, "
        "witnesses said. Shoppers fled as the shooting went on for several minutes."
    ),
}
FARMERS = {
    "id": "a3",
    "title": "Farmers shot dead near Tal Rifaat",
    "published": "2024-03-05",
    "outlet": "Valley Post",
    "text": "Gunmen shot dead three farmers near Tal Rifaat on Monday, a relative said.",
}


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run(store: Store, settings: Settings, nlp: Any, path: Path, *, incremental: bool) -> None:
    ingest_paths([str(path)], store, settings.replace(workers=1))
    extract_pending(store, settings, load=lambda: nlp)
    fuse_stored(store, incremental=incremental)
    store.checkpoint()


def incidents(store: Store) -> list[Incident]:
    return [i for i, _ in iter_incidents(store, IncidentQuery())]


def articles_of(store: Store) -> dict[str, set[str]]:
    """Each incident's articles (by external id), keyed by the incident's label and date."""
    names = {aid: art.extraction.article.title for aid, art in load_inputs(store).items()}
    out: dict[str, set[str]] = {}
    for inc in incidents(store):
        assert inc.summary is not None
        arts = {names[k.split("/", 1)[0]] or "" for k in inc.summary.reports}
        out[f"{inc.label} {inc.date_start}"] = arts
    return out


def test_one_happening_told_twice_is_one_incident_and_the_others_are_their_own(
    tmp_path: Path, settings: Settings, nlp: Any
) -> None:
    path = write(tmp_path / "news.jsonl", [MARKET, RETOLD, FARMERS])
    with open_store(str(tmp_path / "s.db")) as store:
        run(store, settings, nlp, path, incremental=False)
        reports = reports_of(load_inputs(store).values())
        story = {r.article_id: r.story for r in reports}
        by_title = {art.extraction.article.title: aid for aid, art in load_inputs(store).items()}
        market, retold, farmers = (by_title[r["title"]] for r in (MARKET, RETOLD, FARMERS))
        # with three articles the town's name weighs little: the farmers may share the story,
        # and their shooting three days later is still an incident of its own (dates differ)
        assert story[market] == story[retold]
        got = articles_of(store)
        # the market attack: both articles, joined as one story's main happenings
        (joined,) = [arts for arts in got.values() if len(arts) == 2]
        assert joined == {MARKET["title"], RETOLD["title"]}
        (market_incident,) = [i for i in incidents(store) if i.articles == 2]
        assert market_incident.summary is not None
        reasons = [why for link in market_incident.summary.links for why in link.reasons]
        assert "main happenings of one story" in reasons
        # the car bomb the first article also reports, and the farmers three days later
        bomb = [k for k in got if k.startswith("ASSAULT/explosives")]
        assert len(bomb) == 1 and got[bomb[0]] == {MARKET["title"]}
        assert any(arts == {FARMERS["title"]} for arts in got.values())
        # what the store keeps of the stories: one row per article, its main happening
        kept = stored_stories(store)
        assert {kept[a][0] for a in (market, retold)} == {story[market]}
        assert all(kept[a][1] for a in (market, retold, farmers))
        assert story[farmers] in {r.story for r in reports}


def test_a_later_article_that_changes_a_story_fuses_as_a_full_run_would(
    tmp_path: Path, settings: Settings, nlp: Any
) -> None:
    first = write(tmp_path / "first.jsonl", [MARKET, FARMERS])
    later = write(tmp_path / "later.jsonl", [RETOLD])
    both = write(tmp_path / "both.jsonl", [MARKET, FARMERS, RETOLD])
    with open_store(str(tmp_path / "inc.db")) as store:
        run(store, settings, nlp, first, incremental=True)
        run(store, settings, nlp, later, incremental=True)
        stepwise = articles_of(store)
    with open_store(str(tmp_path / "full.db")) as store:
        run(store, settings, nlp, both, incremental=False)
        assert articles_of(store) == stepwise
