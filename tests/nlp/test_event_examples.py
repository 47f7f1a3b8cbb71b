"""The project's own "is this a specific happening" examples: a valid table, in our own words.

``overhorizon/nlp/models/event_heads/examples.tsv`` is training data for the event heads. These
tests hold it to its header and vocabularies (PLOVER types and modes from the lexicon), keep its
texts unique, and check that no text shares a run of eight words with the evaluation sets or the
public training sets in ``../shared`` (a near-copy would inflate the bench and leak the held-out
part's style).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from overhorizon.nlp import lexicon
from tests.nlp.conftest import SHARED

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "overhorizon" / "nlp" / "models" / "event_heads" / "examples.tsv"
HEADER = ["text", "happening", "kind", "plover_type", "mode"]
YES_KINDS = frozenset({"happening", "planned"})
NO_KINDS = frozenset(
    {"modifier", "generic", "habitual", "capability", "history", "aggregate", "opinion",
     "furniture", "quote-frame"}
)  # fmt: skip
RUN = 8  # words: a shared run this long means a text was copied or closely paraphrased
# The sets our texts must not echo: every "text" of these JSON-lines files.
OTHERS = (
    "data/plover/dev.jsonl", "data/acled-types/dev.jsonl", "data/real-news-syria/dev.jsonl",
    "train/ngec-synthetic/stories.jsonl",
)  # fmt: skip
WORD = re.compile(r"[^\W_]+")


@cache
def rows() -> tuple[dict[str, str], ...]:
    with EXAMPLES.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def runs(text: str) -> Iterator[tuple[str, ...]]:
    w = words(text)
    return (tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1))


def test_header_and_cells() -> None:
    with EXAMPLES.open(encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split("\t") == HEADER
    bad = [r for r in rows() if None in r or any(v is None for v in r.values())]
    assert bad == [], "rows with too many or too few cells"
    assert len(rows()) >= 300


def test_labels_follow_the_kind() -> None:
    for r in rows():
        assert r["happening"] in ("yes", "no"), r
        assert r["kind"] in YES_KINDS | NO_KINDS, r
        assert (r["happening"] == "yes") == (r["kind"] in YES_KINDS), r


def test_types_and_modes_are_ours() -> None:
    for r in rows():
        typ, mode = r["plover_type"], r["mode"]
        if r["kind"] in YES_KINDS:
            assert typ in lexicon.PLOVER_TYPES, r
        else:
            assert typ == "" or typ in lexicon.PLOVER_TYPES, r
        if mode:
            assert typ, r
            assert lexicon.canonical_mode(typ, mode) == mode, r


def test_every_type_has_happenings_and_most_violence_a_mode() -> None:
    happenings = [r for r in rows() if r["kind"] == "happening"]
    per_type = Counter(r["plover_type"] for r in happenings)
    assert set(per_type) == set(lexicon.PLOVER_TYPES)
    assert min(per_type.values()) >= 8, per_type
    assault = [r for r in happenings if r["plover_type"] == "ASSAULT"]
    assert sum(bool(r["mode"]) for r in assault) >= 0.6 * len(assault)


def test_texts_are_unique_sentences_of_news_length() -> None:
    seen = Counter(" ".join(words(r["text"])) for r in rows())
    assert [t for t, n in seen.items() if n > 1] == []
    for r in rows():
        shortest = 3 if r["kind"] == "furniture" else 8  # page furniture: "Click here for more"
        assert shortest <= len(r["text"].split()) <= 45, r["text"]
        assert r["text"] == r["text"].strip() and "  " not in r["text"], r["text"]


@cache
def other_runs() -> frozenset[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name in OTHERS:
        path = SHARED / name
        if not path.is_file():
            pytest.fail(f"{path} is missing: the tests need ../shared beside the repository")
        with path.open(encoding="utf-8") as f:
            for line in f:
                found.update(runs(json.loads(line)["text"]))
    return frozenset(found)


def test_no_text_echoes_the_evaluation_or_training_sets() -> None:
    others = other_runs()
    echoes = [(r["text"], " ".join(w)) for r in rows() for w in runs(r["text"]) if w in others]
    assert echoes == []
