"""Fusing only what new reports reach gives what a fusion of everything gives.

Generated archives (the seeded generator of ``bench/speed.py fuse``: incidents with reports
dated, undated and ranged, near-duplicates, negated claims) are fused in two goes: the
earlier articles, then the later ones through :func:`affected`; the incidents must equal
those of one fusion over all reports."""

from __future__ import annotations

import random

import pytest

from bench.speed import fuse_world
from overhorizon.fusion.cluster import Cluster, fuse
from overhorizon.fusion.incremental import affected
from overhorizon.fusion.reports import Report


def _shape(clusters: list[Cluster]) -> set[tuple[frozenset[str], frozenset[str]]]:
    return {(frozenset(c.keys), frozenset(c.attached)) for c in clusters}


def _in_two_goes(
    reports: list[Report], cut: float, seed: int
) -> tuple[list[Cluster], list[Cluster], set[str]]:
    articles = sorted({r.article_id for r in reports})
    random.Random(seed).shuffle(articles)
    late = set(articles[int(len(articles) * cut) :])
    early = [r for r in reports if r.article_id not in late]
    first = fuse(early)
    new = {r.key for r in reports if r.article_id in late}
    again = affected(reports, new, incidents=[[*c.keys, *c.attached] for c in first])
    kept = [c for c in first if not (set(c.keys) | set(c.attached)) & again]
    redone = fuse([r for r in reports if r.key in again])
    return kept + redone, fuse(reports), again


@pytest.mark.parametrize(("n", "seed", "cut"), [(1500, 1, 0.9), (1500, 2, 0.5), (3000, 3, 0.97)])
def test_two_goes_equal_one(n: int, seed: int, cut: float) -> None:
    reports = list(fuse_world(n, seed).reports)
    incremental, full, again = _in_two_goes(reports, cut, seed)
    assert _shape(incremental) == _shape(full)
    if cut > 0.9:  # a few late articles reach a small part of the archive
        assert len(again) < len(reports) / 4


def test_nothing_new_reaches_nothing() -> None:
    reports = list(fuse_world(500, 4).reports)
    assert affected(reports, []) == set()
    one = next(r for r in reports if r.polarity == "positive")
    assert one.key in affected(reports, [one.key])
