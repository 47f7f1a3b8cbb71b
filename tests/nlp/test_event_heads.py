"""The shipped event heads on the real encoder: a sentence in, a reading out.

Every sentence here is written by us."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from overhorizon.nlp.encoder import DIMENSIONS, SentenceEncoder
from overhorizon.nlp.event_heads import PLOVER_TYPES, EventHeads, HeadReading, heads_path

Read = Callable[[str], HeadReading]


@pytest.fixture(scope="module")
def read() -> Read:
    encoder = SentenceEncoder()
    heads = EventHeads.load()

    def reading(sentence: str) -> HeadReading:
        return heads.predict(encoder.encode([sentence]))[0]

    return reading


def test_the_heads_ship_with_a_readme() -> None:
    assert (heads_path() / "heads.npz").stat().st_size < 1_000_000
    assert "Andy Halterman" in (heads_path() / "README.md").read_text("utf-8")


def test_a_reading_ranks_every_type_and_sums_to_one(read: Read) -> None:
    r = read("Rebel fighters attacked an army post outside the city overnight.")
    assert sorted(t for t, _ in r.types) == sorted(PLOVER_TYPES)
    assert sum(p for _, p in r.types) == pytest.approx(1.0, abs=1e-5)
    assert [p for _, p in r.types] == sorted((p for _, p in r.types), reverse=True)
    assert 0.0 <= r.p_happening <= 1.0


def test_a_drone_strike_is_an_assault_by_drone(read: Read) -> None:
    r = read("A drone struck a car on the highway, killing two militants.")
    assert r.plover_type == "ASSAULT"
    assert r.mode == "drone"
    assert r.p_mode is not None and r.p_mode > 0.5


def test_a_suicide_bombing_is_an_assault_of_that_mode(read: Read) -> None:
    r = read("A suicide bomber blew himself up at a checkpoint, killing five soldiers.")
    assert (r.plover_type, r.mode) == ("ASSAULT", "suicide-attack")


def test_a_withdrawal_is_a_retreat(read: Read) -> None:
    r = read("The army withdrew its troops from the border villages.")
    assert (r.plover_type, r.mode) == ("RETREAT", "withdraw")


def test_relief_supplies_are_aid(read: Read) -> None:
    r = read("The United Nations sent food and medicine to the flooded province.")
    assert r.plover_type == "AID"
    assert r.mode in {None, "humanitarian"}  # "" (no mode) reads as None


def test_a_march_is_a_protest(read: Read) -> None:
    assert read("Thousands of teachers marched through the capital.").plover_type == "PROTEST"


def test_a_strike_reads_more_like_a_happening_than_a_capability(read: Read) -> None:
    happened = read("A drone struck a car on the highway, killing two militants.")
    capability = read("Drones can be used for surveillance and airstrikes.")
    assert happened.p_happening > capability.p_happening


def test_no_embeddings_no_readings() -> None:
    heads = EventHeads.load()
    assert heads.predict(np.zeros((0, DIMENSIONS), dtype=np.float32)) == []
    assert "aerial" in heads.mode_labels("ASSAULT")
    assert "sign" in heads.mode_labels("AGREE")  # our own examples gave AGREE a mode head
    assert heads.mode_labels("NO SUCH TYPE") == ()
