"""Scores for event coreference: how well a predicted clustering of documents matches the gold one.

A clustering is a mapping from item (a document or mention id) to cluster label; only which
items share a label counts, never the label itself. Gold and prediction must cover exactly the
same items: a scorer given different item sets raises ``ValueError`` saying how many are missing
on each side, because silently dropping or adding items changes every figure.

``b_cubed``  Bagga & Baldwin (1998). For each item, precision is the share of its predicted
    cluster that is also in its gold cluster, recall the share of its gold cluster that is also
    in its predicted cluster; both are averaged over items (every item weighs the same).
``muc``  Vilain et al. (1995), link-based. Recall is the number of links needed to join each
    gold cluster minus those the prediction misses, over the number needed: for gold cluster K
    split into p(K) pieces by the prediction, sum(|K| - p(K)) / sum(|K| - 1); precision is the
    same with gold and prediction swapped. Singletons carry no link and count for nothing. When
    a side has no link at all (only singletons), its denominator is zero and the figure is 0, as
    in the CoNLL reference scorer, rather than a division by zero.
``ceaf_e``  Luo (2005), entity-based CEAF. Each gold cluster K is aligned to at most one
    predicted cluster R, one-to-one, so as to maximise the total similarity
    phi4(K, R) = 2 |K & R| / (|K| + |R|) (found with :func:`optimal_assignment`, the
    Hungarian method); precision is that total over the number of predicted clusters, recall
    over the number of gold clusters.
``conll_f1``  the mean of the MUC, B-cubed and CEAF-e F1 (the CoNLL-2011/2012 figure).

Every figure is a fraction in [0, 1]; F1 is 0 when precision and recall are both 0.
:func:`evaluate` computes them all from one pass over the items.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)

__all__ = [
    "PRF",
    "b_cubed",
    "ceaf_e",
    "conll_f1",
    "evaluate",
    "muc",
    "optimal_assignment",
]


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean, each a fraction in [0, 1]."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        """Return the triple for ``precision`` and ``recall``; F1 is 0 when both are 0."""
        total = precision + recall
        f1 = 2 * precision * recall / total if total > 0 else 0.0
        return cls(precision, recall, f1)


@dataclass(frozen=True)
class _Table:
    """Two clusterings of the same items, as cluster sizes and their overlaps.

    Clusters are numbered from 0 on each side; ``overlap[(g, p)]`` is the number of items in
    gold cluster ``g`` and predicted cluster ``p``, present only when above zero.
    """

    items: int
    gold_sizes: tuple[int, ...]
    pred_sizes: tuple[int, ...]
    overlap: Mapping[tuple[int, int], int]


def _numbered(clustering: Mapping[Item, Hashable]) -> tuple[dict[Item, int], list[int]]:
    """Number each distinct label from 0 in order of first appearance: item -> cluster, sizes."""
    index: dict[Hashable, int] = {}
    sizes: list[int] = []
    cluster_of: dict[Item, int] = {}
    for item, label in clustering.items():
        number = index.setdefault(label, len(index))
        if number == len(sizes):
            sizes.append(0)
        sizes[number] += 1
        cluster_of[item] = number
    return cluster_of, sizes


def _table(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> _Table:
    """Check that ``gold`` and ``pred`` cover the same items and tabulate their overlaps."""
    only_gold = len(gold.keys() - pred.keys())
    only_pred = len(pred.keys() - gold.keys())
    if only_gold or only_pred:
        raise ValueError(
            f"gold and pred must cluster the same items: {only_gold} gold item(s) are missing "
            f"from pred and {only_pred} pred item(s) are missing from gold; evaluate both on "
            "the same set of items"
        )
    if not gold:
        raise ValueError("nothing to evaluate: gold and pred are both empty")
    gold_of, gold_sizes = _numbered(gold)
    pred_of, pred_sizes = _numbered(pred)
    overlap: dict[tuple[int, int], int] = {}
    for item, g in gold_of.items():
        key = (g, pred_of[item])
        overlap[key] = overlap.get(key, 0) + 1
    return _Table(len(gold), tuple(gold_sizes), tuple(pred_sizes), overlap)


def _b_cubed(table: _Table) -> PRF:
    # Every item of the cell (g, p) has the same per-item precision n / |p| and recall n / |g|,
    # so a cell of n items adds n * n / |p| to the precision sum and n * n / |g| to the recall's.
    precision = recall = 0.0
    for (g, p), n in table.overlap.items():
        precision += n * n / table.pred_sizes[p]
        recall += n * n / table.gold_sizes[g]
    return PRF.of(precision / table.items, recall / table.items)


def _muc(table: _Table) -> PRF:
    # Each item lies in exactly one cluster on each side, so the pieces a gold cluster is split
    # into are the predicted clusters it overlaps, and the other way round.
    gold_pieces = [0] * len(table.gold_sizes)
    pred_pieces = [0] * len(table.pred_sizes)
    for g, p in table.overlap:
        gold_pieces[g] += 1
        pred_pieces[p] += 1
    recall_links = table.items - len(table.gold_sizes)  # sum of |K| - 1 over gold clusters
    precision_links = table.items - len(table.pred_sizes)
    recall = (table.items - sum(gold_pieces)) / recall_links if recall_links else 0.0
    precision = (table.items - sum(pred_pieces)) / precision_links if precision_links else 0.0
    return PRF.of(precision, recall)


def _components(table: _Table) -> list[tuple[list[int], list[int]]]:
    """Group clusters that overlap, directly or through others: (gold, pred) cluster numbers.

    Clusters in different groups have phi4 = 0 with each other, so an optimal alignment can be
    found group by group, which keeps each assignment problem small.
    """
    gold_links: list[list[int]] = [[] for _ in table.gold_sizes]
    pred_links: list[list[int]] = [[] for _ in table.pred_sizes]
    for g, p in table.overlap:
        gold_links[g].append(p)
        pred_links[p].append(g)
    seen_gold = [False] * len(table.gold_sizes)
    seen_pred = [False] * len(table.pred_sizes)
    groups: list[tuple[list[int], list[int]]] = []
    for start in range(len(table.gold_sizes)):
        if seen_gold[start]:
            continue
        golds: list[int] = []
        preds: list[int] = []
        seen_gold[start] = True
        todo = [start]
        while todo:
            g = todo.pop()
            golds.append(g)
            for p in gold_links[g]:
                if seen_pred[p]:
                    continue
                seen_pred[p] = True
                preds.append(p)
                for other in pred_links[p]:
                    if not seen_gold[other]:
                        seen_gold[other] = True
                        todo.append(other)
        groups.append((golds, preds))
    return groups


def _ceaf_e(table: _Table) -> PRF:
    similarity = 0.0
    for golds, preds in _components(table):
        weights = [
            [
                2 * table.overlap.get((g, p), 0) / (table.gold_sizes[g] + table.pred_sizes[p])
                for p in preds
            ]
            for g in golds
        ]
        similarity += sum(weights[r][c] for r, c in optimal_assignment(weights))
    return PRF.of(similarity / len(table.pred_sizes), similarity / len(table.gold_sizes))


def optimal_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pair rows with columns one-to-one so that the summed weight is as large as possible.

    ``weights`` is a rectangular matrix (rows of equal length). Returns ``(row, column)`` pairs
    sorted by row: one for each row when there are no more rows than columns, else one for each
    column. Hungarian method (Kuhn-Munkres) with row and column potentials, O(n * n * m) for
    n = min(rows, columns) and m = max(rows, columns).
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if any(len(row) != cols for row in weights):
        raise ValueError("weights must be a rectangular matrix: rows differ in length")
    if rows == 0 or cols == 0:
        return []
    if rows > cols:
        transposed = [[weights[r][c] for r in range(rows)] for c in range(cols)]
        return sorted((r, c) for c, r in optimal_assignment(transposed))
    # Minimise cost = -weight. Rows 1..n, columns 1..m; column 0 is a sentinel that holds the
    # row being inserted. owner[j] is the row assigned to column j (0: none); u, v are the
    # potentials, kept so that cost[i][j] - u[i] - v[j] >= 0 with equality on assigned pairs.
    n, m = rows, cols
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)
    came_from = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col = 0
        slack = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            # Grow the tree of tight edges from the new row until it reaches a free column.
            used[col] = True
            i = owner[col]
            weight_row = weights[i - 1]
            ui = u[i]
            delta = math.inf
            nxt = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = -weight_row[j - 1] - ui - v[j]
                if reduced < slack[j]:
                    slack[j] = reduced
                    came_from[j] = col
                if slack[j] < delta:
                    delta = slack[j]
                    nxt = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    slack[j] -= delta
            col = nxt
            if owner[col] == 0:
                break
        # Flip the alternating path back to the sentinel: every column on it changes owner.
        while col:
            prev = came_from[col]
            owner[col] = owner[prev]
            col = prev
    return sorted((owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j])


def b_cubed(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> PRF:
    """B-cubed precision, recall and F1 of ``pred`` against ``gold`` (item -> cluster label)."""
    return _b_cubed(_table(gold, pred))


def muc(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> PRF:
    """MUC (link-based) precision, recall and F1 of ``pred`` against ``gold``."""
    return _muc(_table(gold, pred))


def ceaf_e(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> PRF:
    """Entity-based CEAF (phi4, optimal one-to-one alignment) of ``pred`` against ``gold``."""
    return _ceaf_e(_table(gold, pred))


def conll_f1(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> float:
    """The CoNLL score: mean of the MUC, B-cubed and CEAF-e F1 of ``pred`` against ``gold``."""
    table = _table(gold, pred)
    return (_muc(table).f1 + _b_cubed(table).f1 + _ceaf_e(table).f1) / 3


def evaluate(gold: Mapping[Item, Hashable], pred: Mapping[Item, Hashable]) -> dict[str, float]:
    """All the scores of ``pred`` against ``gold``, with the counts they rest on.

    Keys: ``b3_p``, ``b3_r``, ``b3_f1``, ``muc_f1``, ``ceafe_f1``, ``conll_f1`` (fractions) and
    ``clusters_gold``, ``clusters_pred``, ``items`` (counts, as ints).
    """
    table = _table(gold, pred)
    b3 = _b_cubed(table)
    muc_f1 = _muc(table).f1
    ceafe_f1 = _ceaf_e(table).f1
    return {
        "b3_p": b3.precision,
        "b3_r": b3.recall,
        "b3_f1": b3.f1,
        "muc_f1": muc_f1,
        "ceafe_f1": ceafe_f1,
        "conll_f1": (muc_f1 + b3.f1 + ceafe_f1) / 3,
        "clusters_gold": len(table.gold_sizes),
        "clusters_pred": len(table.pred_sizes),
        "items": table.items,
    }
