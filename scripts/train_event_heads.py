#!/usr/bin/env python3
"""Train the event heads (overhorizon/nlp/models/event_heads/heads.npz) on encoder embeddings.

Three heads, each a multinomial logistic regression on the shipped MiniLM embedding (written in
numpy here; at run time a matmul and a softmax, overhorizon/nlp/event_heads.py):
    happening  is this sentence a specific happening (yes/no)
    type       which of the 16 PLOVER types
    mode       which mode, one head per type that has modes (our vocabulary: nlp/data/modes.tsv)

Training data (all allowed, see ../shared/train/README.md):
    NGEC synthetic stories (../shared/train/ngec-synthetic/stories.jsonl): the title (its
        {country_1}-style slots filled from a fixed list with a seeded generator) and the first two
        sentences carry the story's type and mode; the last sentence of a long story is taken as a
        weak "not the happening" example for the happening head only (weight 0.3).
    PETRARCH2 unit-test sentences (../shared/train/petrarch2-unit-tests/), their CAMEO codes mapped
        through CAMEO2PLOVER-2021.txt; a sentence without a coding is "not a happening".
    Our own examples, overhorizon/nlp/models/event_heads/examples.tsv when present (columns text,
        happening yes/no, kind, plover_type, mode).
Every training text is first filtered against the PLOVER dev sentences and the ACLED dev snippets
(read only for that, and for the diagnostic figures printed at the end): a text whose embedding has
cosine >= 0.9 to a dev text, or that shares a run of 8 words with one, is dropped.

Usage (run time packages only; fixed seed, so reruns give the same heads):
    .venv/bin/python scripts/train_event_heads.py [--cache /tmp/heads-cache.npz]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from overhorizon.nlp.encoder import SentenceEncoder
from overhorizon.nlp.event_heads import PLOVER_TYPES

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TRAIN = SHARED / "train"
STORIES = TRAIN / "ngec-synthetic" / "stories.jsonl"
PETRARCH = TRAIN / "petrarch2-unit-tests" / "PETR.UnitTest.records.xml"
CAMEO2PLOVER = TRAIN / "petrarch2-unit-tests" / "CAMEO2PLOVER-2021.txt"
PLOVER_DEV = SHARED / "data" / "plover" / "dev.jsonl"
ACLED_DEV = SHARED / "data" / "acled-types" / "dev.jsonl"
MODELS = ROOT / "overhorizon" / "nlp" / "models" / "event_heads"
EXAMPLES = MODELS / "examples.tsv"
MODES = ROOT / "overhorizon" / "nlp" / "data" / "modes.tsv"
PLOVER_ACLED = ROOT / "overhorizon" / "nlp" / "data" / "plover_acled.tsv"
SEED = 15
LEAD = 2  # sentences of a story, after its title, that carry its label

# NGEC's modes in our vocabulary (modes.tsv); a mode missing here is trained as "no mode".
NGEC_MODES = {
    ("ASSAULT", "AERIAL"): "aerial",
    ("ASSAULT", "DRONE"): "drone",
    ("ASSAULT", "PRIMATIVE"): "primitive",
    ("ASSAULT", "DESTROY"): "destroy",
    ("ASSAULT", "TORTURE"): "torture",
    ("ASSAULT", "ABDUCT"): "abduct",
    ("ASSAULT", "SUICIDE-ATTACK"): "suicide-attack",
    ("ASSAULT", "BEAT"): "beat",
    ("ASSAULT", "EXECUTE"): "execute",
    ("ASSAULT", "EXPLOSIVES"): "explosives",
    ("ASSAULT", "ASSASSINATE"): "assassinate",
    ("ASSAULT", "SEXUAL"): "sexual",
    ("ASSAULT", "CROWD-CONTROL"): "crackdown",
    ("ASSAULT", "UNCONVENTIONAL"): "chemical",
    ("PROTEST", "RIOT"): "riot",
    ("PROTEST", "STRIKE"): "strike-lim",
    ("PROTEST", "DEMO"): "demo",
    ("PROTEST", "OBSTRUCT"): "obstruct",
    ("PROTEST", "HUNGER"): "strike-hun",
    ("PROTEST", "BOYCOTT"): "boycott",
    ("MOBILIZE", "MILITIA"): "troops",
    ("MOBILIZE", "POLICE"): "police",
    ("MOBILIZE", "WEAPONS"): "weapons",
    ("SANCTION", "CONVICT"): "convict",
    ("SANCTION", "WITHDRAW"): "withdraw",
    ("SANCTION", "EXPEL"): "expel",
    ("SANCTION", "DISCONTINUE"): "sever",
    ("COERCE", "SIEZE"): "confiscate",
}
# Same name in both vocabularies once lower-cased.
for _type, _mode in [
    *(("RETREAT", m) for m in ("WITHDRAW", "CEASEFIRE", "DISARM", "RELEASE", "ACCESS", "RESIGN")),
    ("RETREAT", "RETURN"),
    *(("THREATEN", m) for m in ("ARREST", "BAN", "RELATIONS", "TERRITORY", "VIOLENCE", "EXPEL")),
    ("THREATEN", "RESTRICT"),
    *(("COERCE", m) for m in ("BAN", "WITHHOLD", "MARTIAL-LAW", "CENSOR", "CURFEW", "ARREST")),
    *(("CONSULT", m) for m in ("VISIT", "MULTILATERAL", "THIRD-PARTY", "PHONE")),
    *(("REJECT", m) for m in ("ASSIST", "MEET", "YIELD", "CHANGE")),
    *(("REQUEST", m) for m in ("ASSIST", "CHANGE", "YIELD", "MEET")),
]:
    NGEC_MODES[(_type, _mode)] = _mode.lower()

SLOT_FILLERS = {
    "country": ["Kenya", "Peru", "Ukraine", "Nepal", "Mali", "Chile", "Iraq", "Ghana", "Yemen",
                "Poland", "Bolivia", "Sudan", "Vietnam", "Morocco", "Colombia", "Nigeria"],
    "city": ["Lagos", "Lima", "Kharkiv", "Kathmandu", "Bamako", "Mosul", "Accra", "Aden",
             "Gdansk", "La Paz", "Khartoum", "Hue", "Fez", "Cali", "Kano", "Valparaiso"],
}  # fmt: skip


@dataclass
class Example:
    text: str
    origin: str
    happening: int | None = None  # 1 yes, 0 no, None: not for this head
    plover_type: str | None = None
    mode: str | None = None  # "" = no mode, None = unknown
    weight: float = 1.0


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", " ".join(text.split()))
    return [p.strip() for p in parts if len(p.split()) >= 4]


def our_modes() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with MODES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.setdefault(row["plover_type"], set()).add(row["mode"])
    return out


def ngec_examples(rng: random.Random) -> list[Example]:
    out = []
    with STORIES.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            label, mode = row["label"], row["mode"]
            ours = "" if mode is None else NGEC_MODES.get((label, mode))
            title = re.sub(
                r"\{(country|city)_?\d*\}",
                lambda m: rng.choice(SLOT_FILLERS[m.group(1)]),
                row["title"],
            )
            parts = sentences(row["text"])
            for text in [title, *parts[:LEAD]]:
                out.append(Example(text, "ngec", 1, label, ours))
            if len(parts) >= 6:
                out.append(Example(parts[-1], "ngec-late", 0, weight=0.3))
    return out


def cameo_table() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for line in CAMEO2PLOVER.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,\s*([^,#]*)", line)
        if found:
            out[found.group(1)] = (found.group(2), found.group(3).strip())
    return out


def petrarch_examples(modes: dict[str, set[str]]) -> list[Example]:
    table = cameo_table()
    text = PETRARCH.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"<Sentence\b.*?</Sentence>", text, flags=re.DOTALL):
        try:
            node = ET.fromstring(block)
        except ET.ParseError:
            continue
        body = " ".join((node.findtext("Text") or "").split())
        if not body:
            continue
        codes = [c.get("eventcode", "") for c in node.iter("EventCoding")]
        types = [table[c] for c in codes if c in table]
        if not codes or all(c in {"", "null", "---"} for c in codes):
            out.append(Example(body, "petrarch", 0))
        elif types:
            plover, mode = types[0]
            mode = mode if mode in modes.get(plover, set()) else ""
            out.append(Example(body, "petrarch", 1, plover, mode))
    return out


def own_examples(path: Path) -> list[Example]:
    if not path.is_file():
        return []
    out = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            yes = (row.get("happening") or "").strip().lower()
            plover = (row.get("plover_type") or "").strip().upper() or None
            mode = (row.get("mode") or "").strip().lower()
            happening = 1 if yes == "yes" else 0 if yes == "no" else None
            out.append(
                Example(row["text"], "ours", happening, plover if happening else None, mode, 2.0)
            )
    return out


def words8(text: str) -> set[str]:
    tokens = re.findall(r"\w+", text.lower())
    return {" ".join(tokens[i : i + 8]) for i in range(max(len(tokens) - 7, 0))}


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)  # type: ignore[no-any-return]


def train_lr(
    x: np.ndarray, y: np.ndarray, k: int, w: np.ndarray, l2: float = 1e-3, steps: int = 600
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, classes weighted to balance, full-batch Adam."""
    counts = np.bincount(y, minlength=k).astype(np.float64)
    balance = np.where(counts > 0, len(y) / (k * np.maximum(counts, 1)), 0.0)
    sw = w * balance[y]
    sw = sw / sw.sum()
    onehot = np.eye(k)[y]
    weights = np.zeros((x.shape[1], k))
    bias = np.zeros(k)
    m = [np.zeros_like(weights), np.zeros_like(bias)]
    v = [np.zeros_like(weights), np.zeros_like(bias)]
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        p = softmax(x @ weights + bias)
        g = (p - onehot) * sw[:, None]
        grads = [x.T @ g + l2 * weights, g.sum(0)]
        for i, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            m[i] = b1 * m[i] + (1 - b1) * grad
            v[i] = b2 * v[i] + (1 - b2) * grad * grad
            param -= lr * (m[i] / (1 - b1**t)) / (np.sqrt(v[i] / (1 - b2**t)) + 1e-8)
    return weights.astype(np.float32), bias.astype(np.float32)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="embeddings cache (npz), keyed by text hash")
    parser.add_argument("--out", type=Path, default=MODELS / "heads.npz")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--examples", type=Path, default=EXAMPLES, help="our own examples (TSV)")
    args = parser.parse_args()
    rng = random.Random(SEED)
    modes = our_modes()
    examples = ngec_examples(rng) + petrarch_examples(modes) + own_examples(args.examples)
    dev_plover = [json.loads(line) for line in PLOVER_DEV.open(encoding="utf-8")]
    dev_acled = [json.loads(line) for line in ACLED_DEV.open(encoding="utf-8")]
    dev_texts = [r["text"] for r in dev_plover] + [r["text"] for r in dev_acled]

    encoder = SentenceEncoder(threads=2)
    cache: dict[str, np.ndarray] = {}
    if args.cache and args.cache.is_file():
        with np.load(args.cache) as stored:
            cache = {k: stored[k] for k in stored.files}

    def embed(texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in cache})
        if todo:
            vectors = encoder.encode([t for _, t in todo])
            cache.update({k: vec for (k, _), vec in zip(todo, vectors, strict=True)})
        return np.stack([cache[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    dev_vectors = embed(dev_texts)
    x_all = embed([e.text for e in examples])
    if args.cache:
        np.savez(args.cache, **cache)

    # drop near-duplicates of the dev texts
    dev_grams = set().union(*(words8(t) for t in dev_texts))
    close = (x_all @ dev_vectors.T).max(1) >= 0.9
    keep = [i for i, e in enumerate(examples) if not close[i] and not (words8(e.text) & dev_grams)]
    dropped = Counter(examples[i].origin for i in range(len(examples)) if i not in set(keep))
    examples = [examples[i] for i in keep]
    x_all = x_all[keep]
    print("training examples:", dict(Counter(e.origin for e in examples)))
    print("dropped as near-duplicates of dev texts:", dict(dropped))

    heads: dict[str, np.ndarray] = {}
    weight = np.array([e.weight for e in examples])
    # happening
    rows = [i for i, e in enumerate(examples) if e.happening is not None]
    y = np.array([examples[i].happening for i in rows])
    heads["happening_W"], heads["happening_b"] = train_lr(x_all[rows], y, 2, weight[rows], args.l2)
    heads["happening_labels"] = np.array(["no", "yes"])
    # type
    index = {t: i for i, t in enumerate(PLOVER_TYPES)}
    rows = [i for i, e in enumerate(examples) if e.plover_type in index]
    y = np.array([index[str(examples[i].plover_type)] for i in rows])
    heads["type_W"], heads["type_b"] = train_lr(x_all[rows], y, len(index), weight[rows], args.l2)
    heads["type_labels"] = np.array(PLOVER_TYPES)
    # modes, per type
    for plover in PLOVER_TYPES:
        rows = [
            i
            for i, e in enumerate(examples)
            if e.plover_type == plover and e.mode is not None
            and (e.mode == "" or e.mode in modes.get(plover, set()))
        ]  # fmt: skip
        labels = sorted({str(examples[i].mode) for i in rows})
        if len(labels) < 2 or labels == [""]:
            continue
        y = np.array([labels.index(str(examples[i].mode)) for i in rows])
        w_, b_ = train_lr(x_all[rows], y, len(labels), weight[rows], args.l2)
        heads[f"mode_{plover}_W"], heads[f"mode_{plover}_b"] = w_, b_
        heads[f"mode_{plover}_labels"] = np.array(labels)
        print(f"mode head {plover}: {len(rows)} examples, modes {labels}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **heads)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    diagnose(args.out, dev_plover, dev_vectors[: len(dev_plover)], dev_acled,
             dev_vectors[len(dev_plover) :])  # fmt: skip
    return 0


def diagnose(
    path: Path,
    plover: list[dict[str, object]],
    xp: np.ndarray,
    acled: list[dict[str, object]],
    xa: np.ndarray,
) -> None:
    """Figures on the dev sets, a diagnostic: PLOVER type top-1/top-3, ACLED sub-event by mode."""
    from overhorizon.nlp.event_heads import EventHeads

    heads = EventHeads.load(path)
    readings = heads.predict(xp)
    gold = [str(r["event_type_2023"]) for r in plover]
    top1 = sum(r.types[0][0] == g for r, g in zip(readings, gold, strict=True))
    top3 = sum(g in [t for t, _ in r.types[:3]] for r, g in zip(readings, gold, strict=True))
    n = len(gold)
    print(f"PLOVER dev: type top-1 {top1}/{n} = {top1 / n:.3f}, top-3 {top3}/{n} = {top3 / n:.3f}")
    happening = sum(r.p_happening >= 0.5 for r in readings)
    print(f"PLOVER dev: p_happening >= 0.5 for {happening}/{n} (all are events)")
    table: dict[tuple[str, str], str] = {}
    with PLOVER_ACLED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if not row["source_sector"] and not row["target_sector"]:
                mode = "" if row["mode"] == "*" else row["mode"]
                if row["acled_sub_event_type"]:
                    table[(row["plover_type"], mode)] = row["acled_sub_event_type"]
    readings = heads.predict(xa)
    scored = right = typed = 0
    reachable = set(table.values())
    by_gold: dict[str, list[int]] = {}
    for row, r in zip(acled, readings, strict=True):
        gold_sub = str(row.get("acled_sub_event_type") or "")
        if not gold_sub:
            continue
        scored += 1
        mapped = table.get((r.types[0][0], r.mode or "")) or table.get((r.types[0][0], ""))
        typed += mapped is not None
        right += mapped == gold_sub
        if gold_sub in reachable:
            by_gold.setdefault(gold_sub, [0, 0])
            by_gold[gold_sub][0] += 1
            by_gold[gold_sub][1] += mapped == gold_sub
    print(
        f"ACLED dev: {scored} snippets with a sub-event; top type + mode map to one for {typed}, "
        f"the right one for {right} ({right / max(scored, 1):.3f})"
    )
    n_reach = sum(v[0] for v in by_gold.values())
    n_right = sum(v[1] for v in by_gold.values())
    print(f"ACLED dev: of {n_reach} snippets whose sub-event a mode alone gives, right {n_right} "
          f"({n_right / max(n_reach, 1):.3f}): "
          + ", ".join(f"{k} {v[1]}/{v[0]}" for k, v in sorted(by_gold.items())))  # fmt: skip
    pairs = zip(acled, readings, strict=True)
    none = [r for row, r in pairs if not row.get("acled_sub_event_type")]
    print(f"ACLED dev: snippets without a sub-event, p_happening >= 0.5: "
          f"{sum(r.p_happening >= 0.5 for r in none)}/{len(none)}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
