"""Story clustering on articles we write: one happening told many ways is one story; two
happenings of one kind in one town and week are two; the input order changes nothing."""

from __future__ import annotations

import random

from overhorizon.fusion.stories import StoryDoc, cluster_stories

MARKET = [
    StoryDoc(
        "m1",
        "Car bomb kills 12 at Qaryatayn vegetable market",
        "A car bomb exploded at the vegetable market of Qaryatayn on Tuesday morning, killing "
        "12 shoppers and wounding 30, the provincial health directorate said. The blast tore "
        "through stalls near the old mosque.",
        "2031-04-08",
    ),
    StoryDoc(
        "m2",
        "Qaryatayn market bombing toll rises",
        "The toll of Tuesday's car bomb at the Qaryatayn vegetable market rose to 12, health "
        "officials said, as stall owners near the old mosque counted their losses.",
        "2031-04-09",
    ),
    StoryDoc(
        "m3",
        "Witnesses describe Qaryatayn market blast",
        "Witnesses said the car bomb went off between the vegetable stalls of the Qaryatayn "
        "market, close to the old mosque, where 12 people died.",
        "2031-04-10",
    ),
]
CHECKPOINT = [
    StoryDoc(
        "c1",
        "Gunmen attack army checkpoint on Qaryatayn road",
        "Gunmen on motorcycles opened fire on an army checkpoint on the Palmyra road outside "
        "Qaryatayn late on Wednesday, killing two conscripts, a military source said.",
        "2031-04-09",
    ),
    StoryDoc(
        "c2",
        "Two soldiers killed at checkpoint near Qaryatayn",
        "Two conscripts were shot dead when gunmen riding motorcycles attacked a checkpoint on "
        "the Palmyra road near Qaryatayn on Wednesday night, the army said.",
        "2031-04-10",
    ),
]


def test_one_happening_is_one_story_and_another_in_the_same_town_and_week_is_another() -> None:
    stories = cluster_stories([*MARKET, *CHECKPOINT])
    assert stories == [["c1", "c2"], ["m1", "m2", "m3"]]


def test_the_input_order_changes_nothing() -> None:
    docs = [*MARKET, *CHECKPOINT]
    first = cluster_stories(docs)
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_stories(shuffled) == first


def test_articles_further_apart_than_the_window_are_not_one_story() -> None:
    later = StoryDoc("m9", MARKET[0].title, MARKET[0].text, "2031-06-20")
    assert ["m9"] in cluster_stories([*MARKET, later])
    # undated: compared with every article (a story of undated copies holds together)
    undated = [StoryDoc(d.id, d.title, d.text, None) for d in MARKET]
    assert cluster_stories(undated) == [["m1", "m2", "m3"]]


def test_nothing_in_nothing_out_and_one_article_is_its_own_story() -> None:
    assert cluster_stories([]) == []
    assert cluster_stories([MARKET[0]]) == [["m1"]]
