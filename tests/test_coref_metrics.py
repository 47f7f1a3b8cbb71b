"""The coreference scores (bench/coref_metrics.py) against values worked out by hand, the
published examples, brute force, and the properties the definitions promise."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Hashable, Mapping, Sequence

import pytest

from bench.coref_metrics import (
    PRF,
    b_cubed,
    ceaf_e,
    conll_f1,
    evaluate,
    muc,
    optimal_assignment,
)

Clustering = Mapping[str, Hashable]
Scorer = Callable[[Clustering, Clustering], PRF]


def clustering(*clusters: str) -> dict[str, int]:
    """``clustering("abc", "d")``: items a, b, c in one cluster and d in another."""
    return {item: number for number, cluster in enumerate(clusters) for item in cluster}


def assert_prf(got: PRF, precision: float, recall: float) -> None:
    assert got.precision == pytest.approx(precision)
    assert got.recall == pytest.approx(recall)
    total = precision + recall
    assert got.f1 == pytest.approx(2 * precision * recall / total if total else 0.0)


def random_clustering(items: Sequence[str], clusters: int, rng: random.Random) -> dict[str, int]:
    return {item: rng.randrange(clusters) for item in items}


def phi4(gold: set[str], pred: set[str]) -> float:
    return 2 * len(gold & pred) / (len(gold) + len(pred))


def groups(labels: Clustering) -> list[set[str]]:
    by_label: dict[Hashable, set[str]] = {}
    for item, label in labels.items():
        by_label.setdefault(label, set()).add(item)
    return list(by_label.values())


def brute_force_ceaf_e(gold: Clustering, pred: Clustering) -> PRF:
    """CEAF-e by trying every one-to-one alignment of the smaller side into the larger."""
    keys, responses = groups(gold), groups(pred)
    small, large = (keys, responses) if len(keys) <= len(responses) else (responses, keys)
    best = max(
        sum(phi4(a, b) for a, b in zip(small, chosen, strict=True))
        for chosen in itertools.permutations(large, len(small))
    )
    return PRF.of(best / len(responses), best / len(keys))


# Perfect and degenerate clusterings ------------------------------------------------------------


def test_perfect_clustering_scores_one_everywhere() -> None:
    gold = clustering("abc", "de", "f")
    pred = {item: f"cluster-{label}" for item, label in gold.items()}
    for scorer in (b_cubed, muc, ceaf_e):
        assert scorer(gold, pred) == PRF(1.0, 1.0, 1.0)
    assert conll_f1(gold, pred) == 1.0
    assert evaluate(gold, pred) == {
        "b3_p": 1.0,
        "b3_r": 1.0,
        "b3_f1": 1.0,
        "muc_f1": 1.0,
        "ceafe_f1": 1.0,
        "conll_f1": 1.0,
        "clusters_gold": 3,
        "clusters_pred": 3,
        "items": 6,
    }


def test_all_singletons_prediction() -> None:
    gold = clustering("abc", "d")
    pred = clustering("a", "b", "c", "d")
    # B3: every predicted cluster is pure, so precision is 1; recall per item is
    # a, b, c: 1/3 each, d: 1, averaged: (1/3 * 3 + 1) / 4 = 0.5.
    assert_prf(b_cubed(gold, pred), 1.0, 0.5)
    # MUC: the prediction has no link, so precision is 0/0, taken as 0; recall splits {a,b,c}
    # into 3 pieces and {d} into 1: (3 - 3 + 1 - 1) / (2 + 0) = 0.
    assert muc(gold, pred) == PRF(0.0, 0.0, 0.0)
    # CEAF-e: phi4({a,b,c},{a}) = 2*1/(3+1) = 1/2 and phi4({d},{d}) = 1; no alignment does
    # better than 1/2 + 1 = 3/2, so precision is 3/2 over 4 predicted clusters = 3/8 and recall
    # 3/2 over 2 gold clusters = 3/4; F1 = 2 * 3/8 * 3/4 / (9/8) = 1/2.
    assert_prf(ceaf_e(gold, pred), 3 / 8, 3 / 4)
    # CoNLL: (MUC 0 + B3 2/3 + CEAF-e 1/2) / 3 = 7/18.
    assert conll_f1(gold, pred) == pytest.approx(7 / 18)


def test_one_big_cluster_prediction() -> None:
    gold = clustering("abc", "d")
    pred = clustering("abcd")
    # B3: recall is 1 (every gold cluster is whole); precision per item is a, b, c: 3/4 each,
    # d: 1/4, averaged: (3/4 * 3 + 1/4) / 4 = 10/16 = 0.625.
    assert_prf(b_cubed(gold, pred), 0.625, 1.0)
    # MUC: recall (3 - 1 + 1 - 1) / (2 + 0) = 1; precision: {a,b,c,d} falls into 2 gold
    # clusters, (4 - 2) / (4 - 1) = 2/3.
    assert_prf(muc(gold, pred), 2 / 3, 1.0)
    # CEAF-e: the one predicted cluster goes to {a,b,c}, phi4 = 2*3/(3+4) = 6/7 (against {d}:
    # 2/5); precision 6/7 over 1, recall 6/7 over 2 = 3/7.
    assert_prf(ceaf_e(gold, pred), 6 / 7, 3 / 7)


def test_all_singletons_on_both_sides_have_no_links() -> None:
    gold = clustering("a", "b", "c")
    pred = {"a": "x", "b": "y", "c": "z"}
    # MUC has nothing to count on either side: 0/0 is reported as 0, not an error.
    assert muc(gold, pred) == PRF(0.0, 0.0, 0.0)
    assert b_cubed(gold, pred) == PRF(1.0, 1.0, 1.0)
    assert ceaf_e(gold, pred) == PRF(1.0, 1.0, 1.0)
    assert conll_f1(gold, pred) == pytest.approx(2 / 3)


def test_a_single_item() -> None:
    assert evaluate({"a": 1}, {"a": 2}) == {
        "b3_p": 1.0,
        "b3_r": 1.0,
        "b3_f1": 1.0,
        "muc_f1": 0.0,
        "ceafe_f1": 1.0,
        "conll_f1": pytest.approx(2 / 3),
        "clusters_gold": 1,
        "clusters_pred": 1,
        "items": 1,
    }


# Published examples ------------------------------------------------------------------------


def test_b_cubed_bagga_baldwin_example() -> None:
    # Bagga & Baldwin (1998): truth {1..5}, {6,7}, {8,9,A,B,C}. Both responses below make one
    # wrong merge, and MUC scores them alike (recall 1, precision 9/10: one spurious link among
    # ten); B3 tells them apart.
    gold = clustering("12345", "67", "89ABC")
    # Response 1 merges the two big clusters: precision per item is 5/10 for each of the ten
    # items of {1..5, 8..C} and 2/2 for 6 and 7: (10 * 1/2 + 2 * 1) / 12 = 7/12 (~58%).
    merged_big = clustering("1234589ABC", "67")
    assert_prf(b_cubed(gold, merged_big), 7 / 12, 1.0)
    # Response 2 merges {6,7} into {1..5}: items 1..5 get 5/7, 6 and 7 get 2/7, 8..C keep 5/5:
    # (5 * 5/7 + 2 * 2/7 + 5 * 1) / 12 = (25/7 + 4/7 + 35/7) / 12 = 64/84 = 16/21 (~76%).
    merged_small = clustering("1234567", "89ABC")
    assert_prf(b_cubed(gold, merged_small), 16 / 21, 1.0)
    # MUC: 12 items in 3 gold clusters, 9 links; response 1 has 12 - 2 = 10 links, of which
    # 12 - 3 = 9 survive the gold split: precision 9/10; the same for response 2.
    assert_prf(muc(gold, merged_big), 9 / 10, 1.0)
    assert_prf(muc(gold, merged_small), 9 / 10, 1.0)


def test_muc_vilain_example() -> None:
    # Vilain et al. (1995): key {1,2,3,4}, response {1,2}, {3,4}. Recall: the key cluster is
    # split into 2 pieces, (4 - 2) / (4 - 1) = 2/3; precision: each response cluster lies inside
    # one key cluster, ((2 - 1) + (2 - 1)) / ((2 - 1) + (2 - 1)) = 1.
    gold = clustering("1234")
    pred = clustering("12", "34")
    assert_prf(muc(gold, pred), 1.0, 2 / 3)
    assert muc(gold, pred).f1 == pytest.approx(0.8)


# CEAF-e and its alignment ------------------------------------------------------------------


def test_ceaf_e_needs_the_optimal_alignment_not_the_greedy_one() -> None:
    gold = clustering("abc", "d")
    pred = clustering("abd", "c")
    # phi4: {a,b,c}-{a,b,d} = 2*2/6 = 2/3, {a,b,c}-{c} = 2/4 = 1/2, {d}-{a,b,d} = 2/4 = 1/2,
    # {d}-{c} = 0. Taking the best pair first (2/3) leaves {d}-{c} = 0; the optimal alignment
    # {a,b,c}-{c} and {d}-{a,b,d} scores 1/2 + 1/2 = 1. Precision 1/2, recall 1/2.
    assert_prf(ceaf_e(gold, pred), 0.5, 0.5)


def test_optimal_assignment_matches_brute_force() -> None:
    rng = random.Random(20240501)
    for _ in range(300):
        rows, cols = rng.randint(1, 6), rng.randint(1, 6)
        # Coarse values make ties common, which is where a wrong update shows.
        weights = [
            [rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]) for _ in range(cols)] for _ in range(rows)
        ]
        pairs = optimal_assignment(weights)
        assert len(pairs) == min(rows, cols)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        got = sum(weights[r][c] for r, c in pairs)
        if rows <= cols:
            best = max(
                sum(weights[r][c] for r, c in enumerate(chosen))
                for chosen in itertools.permutations(range(cols), rows)
            )
        else:
            best = max(
                sum(weights[r][c] for c, r in enumerate(chosen))
                for chosen in itertools.permutations(range(rows), cols)
            )
        assert got == pytest.approx(best)


def test_optimal_assignment_edge_cases() -> None:
    assert optimal_assignment([]) == []
    assert optimal_assignment([[]]) == []
    # Three rows, two columns: of the six ways to use both columns, rows 1 and 2 taking
    # columns 1 and 0 (5 + 1 = 6) beats rows 0 and 1 (0 + 5 or 3 + 2 = 5) and the rest.
    assert optimal_assignment([[0.0, 3.0], [2.0, 5.0], [1.0, 0.0]]) == [(1, 1), (2, 0)]
    # Negative weights: a maximum, not the assignment of the largest absolute values.
    assert optimal_assignment([[-1.0, -5.0], [-4.0, -2.0]]) == [(0, 0), (1, 1)]
    with pytest.raises(ValueError, match="rectangular"):
        optimal_assignment([[1.0, 2.0], [3.0]])


def test_ceaf_e_matches_brute_force() -> None:
    rng = random.Random(7)
    items = [f"doc{n}" for n in range(12)]
    for _ in range(150):
        gold = random_clustering(items, rng.randint(1, 5), rng)
        pred = random_clustering(items, rng.randint(1, 5), rng)
        got, want = ceaf_e(gold, pred), brute_force_ceaf_e(gold, pred)
        assert got.precision == pytest.approx(want.precision)
        assert got.recall == pytest.approx(want.recall)


def test_ceaf_e_by_components_equals_one_alignment_of_everything() -> None:
    # The scorer aligns each group of overlapping clusters on its own; aligning the full
    # similarity matrix at once must give the same total.
    rng = random.Random(11)
    items = [f"doc{n}" for n in range(200)]
    for clusters in (5, 30, 80):
        gold = random_clustering(items, clusters, rng)
        pred = random_clustering(items, clusters + 7, rng)
        keys, responses = groups(gold), groups(pred)
        weights = [[phi4(k, r) for r in responses] for k in keys]
        total = sum(weights[r][c] for r, c in optimal_assignment(weights))
        assert_prf(ceaf_e(gold, pred), total / len(responses), total / len(keys))


# Properties ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scorer", [b_cubed, muc, ceaf_e], ids=["b3", "muc", "ceaf_e"])
def test_swapping_gold_and_pred_swaps_precision_and_recall(scorer: Scorer) -> None:
    rng = random.Random(3)
    items = [f"doc{n}" for n in range(40)]
    for _ in range(50):
        gold = random_clustering(items, rng.randint(1, 12), rng)
        pred = random_clustering(items, rng.randint(1, 12), rng)
        forward, backward = scorer(gold, pred), scorer(pred, gold)
        assert forward.precision == pytest.approx(backward.recall)
        assert forward.recall == pytest.approx(backward.precision)
        assert forward.f1 == pytest.approx(backward.f1)


def test_label_names_and_item_order_do_not_matter() -> None:
    rng = random.Random(5)
    items = [f"doc{n}" for n in range(60)]
    gold = random_clustering(items, 8, rng)
    pred = random_clustering(items, 11, rng)
    renamed = {item: ("event", 1000 - label) for item, label in pred.items()}
    shuffled = list(pred.items())
    rng.shuffle(shuffled)
    reordered = dict(shuffled)
    want = evaluate(gold, pred)
    assert evaluate(gold, renamed) == pytest.approx(want)
    assert evaluate(gold, reordered) == pytest.approx(want)
    assert evaluate({i: str(g) for i, g in gold.items()}, pred) == pytest.approx(want)


def test_evaluate_agrees_with_the_single_scorers() -> None:
    gold = clustering("abcd", "efg", "h", "ij")
    pred = clustering("ab", "cde", "fgh", "i", "j")
    got = evaluate(gold, pred)
    b3 = b_cubed(gold, pred)
    assert got["b3_p"] == b3.precision
    assert got["b3_r"] == b3.recall
    assert got["b3_f1"] == b3.f1
    assert got["muc_f1"] == muc(gold, pred).f1
    assert got["ceafe_f1"] == ceaf_e(gold, pred).f1
    assert got["conll_f1"] == pytest.approx(conll_f1(gold, pred))
    assert got["conll_f1"] == pytest.approx((got["muc_f1"] + got["b3_f1"] + got["ceafe_f1"]) / 3)
    assert (got["clusters_gold"], got["clusters_pred"], got["items"]) == (4, 5, 10)
    # MUC by hand: gold {a,b,c,d} falls into 2 predicted pieces, {e,f,g} into 2, {h} 1, {i,j} 2:
    # recall (4-2 + 3-2 + 1-1 + 2-2) / (3 + 2 + 0 + 1) = 3/6; predicted {a,b} 1 gold piece,
    # {c,d,e} 2, {f,g,h} 2, {i} 1, {j} 1: precision (1 + 1 + 1 + 0 + 0) / (1 + 2 + 2) = 3/5.
    assert_prf(muc(gold, pred), 3 / 5, 1 / 2)


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scorer", [b_cubed, muc, ceaf_e, conll_f1, evaluate])
def test_different_items_are_refused(scorer: Callable[[Clustering, Clustering], object]) -> None:
    gold = clustering("abc")
    pred = clustering("ab", "xy")
    with pytest.raises(ValueError, match=r"1 gold item\(s\) are missing from pred and 2 pred"):
        scorer(gold, pred)


def test_nothing_to_evaluate_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to evaluate"):
        evaluate({}, {})
