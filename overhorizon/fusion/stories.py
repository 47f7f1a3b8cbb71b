"""Stories: articles about one main happening, clustered by their words inside a date window.

An article's *story* is what its title, lead and body are mostly about. Two articles are told of
one story when their TF-IDF vectors are close (cosine), and a cluster of articles holds together
by **average linkage**: two clusters merge while the mean similarity of their articles' pairs is
at least the threshold, so one shared name or one boilerplate line cannot chain unrelated
articles together the way single links do. Articles published more than ``window_days`` apart
count as dissimilar (a similarity of 0), so a story rarely spans more than the window.

The result depends only on the set of articles, never on the order they come in: the
vocabulary's weights (IDF) come from the whole set, the articles are ordered by id, and every
merge takes the best pair with ties broken by those ids. Pure functions; :func:`cluster_stories`
is what incident fusion builds on (docs/incidents.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

#: Mean cosine two clusters of articles need to merge (chosen on the development sets: see
#: bench/accuracy.py's ``stories`` stage).
THRESHOLD = 0.15
#: Articles published further apart than this (days) are not compared.
WINDOW_DAYS = 7
#: How much more a word of the title counts than a word of the body.
TITLE_WEIGHT = 2

_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|\d[\d,.]*\d|\w", re.UNICODE)
# Words every article has: they say nothing about which story it tells.
_STOP_WORDS = (
    "a about above after again against all also am an and any are as at be because been "
    "before being below between both but by can could did do does doing down during each "
    "few for from further had has have having he her here hers herself him himself his how "
    "i if in into is it its itself just me more most my myself no nor not now of off on "
    "once only or other our ours ourselves out over own same she should so some such than "
    "that the their theirs them themselves then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with "
    "would you your yours yourself yourselves said says say told according news reported "
    "report reports reporting one two three mr mrs ms new get got like year years day days "
    "week time people"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """One article as story clustering reads it: its id, title, text and publication date
    (ISO ``YYYY-MM-DD``; None when unknown: then it is compared with every article)."""

    id: str
    title: str | None
    text: str
    published: str | None = None


def terms(title: str | None, text: str) -> Counter[str]:
    """The words of an article that can say what it is about, with their counts: lower-cased,
    no stop words, numbers kept; the title's words count :data:`TITLE_WEIGHT` times."""
    out: Counter[str] = Counter()
    for weight, part in ((TITLE_WEIGHT, title or ""), (1, text)):
        for w in _WORD.findall(part.lower()):
            if w not in _STOP and len(w) > 1:
                out[w] += weight
    return out


def vectors(docs: Sequence[StoryDoc]) -> sparse.csr_matrix:
    """The L2-normalised TF-IDF vectors of ``docs`` (rows in their order): sub-linear term
    frequency, smoothed inverse document frequency over ``docs`` themselves."""
    counts = [terms(d.title, d.text) for d in docs]
    df: Counter[str] = Counter(t for c in counts for t in c)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    n = len(docs)
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
    rows, cols, vals = [], [], []
    for r, c in enumerate(counts):
        weights = {t: (1.0 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for t, v in weights.items():
            rows.append(r)
            cols.append(vocab[t])
            vals.append(v / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _within(days: Sequence[int | None], i: np.ndarray, j: np.ndarray, window: int) -> np.ndarray:
    di = np.array([days[k] if days[k] is not None else -1 for k in i], dtype=np.int64)
    dj = np.array([days[k] if days[k] is not None else -1 for k in j], dtype=np.int64)
    undated = (di < 0) | (dj < 0)
    out: np.ndarray = undated | (np.abs(di - dj) <= window)
    return out


def cluster_stories(
    docs: Iterable[StoryDoc],
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
) -> list[list[str]]:
    """Articles grouped into stories (each a sorted list of ids; stories sorted by their first
    id), by average linkage of TF-IDF cosines inside the date window."""
    ordered = sorted({d.id: d for d in docs}.values(), key=lambda d: d.id)
    if not ordered:
        return []
    x = vectors(ordered)
    days = [_day(d.published) for d in ordered]
    sims = (x @ x.T).tocoo()
    keep = (sims.row < sims.col) & (sims.data >= threshold)
    i, j = sims.row[keep], sims.col[keep]
    inside = _within(days, i, j, window_days)
    i, j = i[inside], j[inside]
    n = len(ordered)
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for k, c in enumerate(component):
        members.setdefault(int(c), []).append(k)
    stories: list[list[str]] = []
    for group in members.values():
        if len(group) == 1:
            stories.append([ordered[group[0]].id])
            continue
        for part in _average_linkage(x, days, group, threshold, window_days):
            stories.append(sorted(ordered[k].id for k in part))
    return sorted(stories, key=lambda s: s[0])


def _average_linkage(
    x: sparse.csr_matrix,
    days: Sequence[int | None],
    group: list[int],
    threshold: float,
    window_days: int,
) -> list[list[int]]:
    """Average-linkage clusters of the articles ``group`` (indexes into ``x``), merged while
    the best pair of clusters has a mean similarity of at least ``threshold``."""
    sub = x[group]
    sim = np.asarray((sub @ sub.T).todense(), dtype=np.float64)
    idx = np.arange(len(group))
    ii, jj = np.meshgrid(idx, idx, indexing="ij")
    apart = ~_within([days[g] for g in group], ii.ravel(), jj.ravel(), window_days)
    sim[apart.reshape(sim.shape)] = 0.0
    # ``total[a, b]``: the sum of the similarities between clusters a and b; ``size[a]``.
    total = sim.copy()
    np.fill_diagonal(total, 0.0)
    size = np.ones(len(group))
    alive = np.ones(len(group), dtype=bool)
    clusters = [[k] for k in range(len(group))]
    while True:
        mean = total / np.outer(size, size)
        mask = np.outer(alive, alive)
        np.fill_diagonal(mask, False)
        mean[~mask] = -1.0
        best = int(np.argmax(mean))  # the first best pair: ties go by index, so by id
        a, b = divmod(best, len(group))
        if mean[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        clusters[a] += clusters[b]
        clusters[b] = []
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        total[a, a] = 0.0
        size[a] += size[b]
        alive[b] = False
        total[b, :] = 0.0
        total[:, b] = 0.0
    return [[group[k] for k in c] for c in clusters if c]
