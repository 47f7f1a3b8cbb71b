"""Accuracy of the attribution component on the quotes dev set (PolNeAR, dev split).

    python bench/accuracy_quotes.py [--data DIR] [--json FILE] [--limit N] [-v]
                                    [--check [--baseline FILE]]

Each gold attribution has a content span (what was said), a source span (who said it) and a cue
span; character offsets into the article text. Our attributions are matched one-to-one to the
gold ones by content overlap (largest character overlap over union first; any overlap counts).
Over all attributions and over the direct and mixed quotes only (gold content holding a quotation
mark; ours with a ``quote``):

``content exact``    P/R/F1 of claim spans equal to the gold content span, ignoring whitespace
                     and punctuation at the edges (quote marks, commas, "that" is kept).
``content overlap``  P/R/F1 of matched pairs (any character overlap).
``speaker``          over matched pairs whose gold has a source: ours is right when the phrase
                     we took for the speaker, or a mention of the actor we resolved it to,
                     overlaps the gold source span. ``speaker (actor)`` counts only the resolved
                     actor's mentions, over gold sources that are not pronouns.
``cue``              over matched pairs: our cue span overlaps the gold cue span.

The anchors are what state-of-the-art quote extractors report on their own data (quote F1 83.7,
speaker accuracy 86.5); PolNeAR also annotates attributions of beliefs, plans and findings
without a reporting verb, which we do not look for, so the "quotes" rows compare more fairly.
Figures and error examples go to bench/out/accuracy-quotes.json (not versioned; no dev text is
written into the repository).

``--check`` also holds the figures against the floors pinned in bench/baseline.json (section
``quotes``: its ``limit`` and ``floors``, keyed ``set.metric.field``), measured on the first
``limit`` articles of the run (so a full run is checked on the same articles as the pinned one):
one ``FAIL`` line per figure below its floor, exit status 1 if any. The floors are written by
hand (measured, rounded down, minus 0.01), like accuracy.py's ``--update-baseline``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "out" / "accuracy-quotes.json"
BASELINE = REPO / "bench" / "baseline.json"
ANCHORS = {"quote F1": 0.837, "speaker accuracy": 0.865}
_QUOTE_MARK = re.compile(r"[\"“”]|''|``")
_EDGE = " \t\n\r\u00a0.,;:!?—–-\"'“”‘’`()[]"
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "who"}

Span = tuple[int, int]


@dataclass
class Tally:
    """Counts for one row of the table."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    speaker_n: int = 0
    speaker_ok: int = 0
    actor_n: int = 0
    actor_ok: int = 0
    source_exact: int = 0
    cue_n: int = 0
    cue_ok: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def prf(self, tp: int) -> tuple[float, float, float]:
        p = tp / self.pred if self.pred else 0.0
        r = tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _trim(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return s, e


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _any_overlap(a: Span, spans: Iterable[Span]) -> bool:
    return any(_overlap(a, b) > 0 for b in spans)


def read_dev(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def predict(nlp: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our attributions for each article, with the mentions of their speakers."""
    from overhorizon.nlp.doc_records import doc_records

    def docs() -> Iterator[Any]:
        for row in rows:
            doc = nlp.make_doc(row["text"])
            doc._.published = (row.get("date") or "")[:10] or None
            yield doc

    out = []
    for doc in nlp.pipe(docs(), batch_size=16):
        found = doc_records(doc)
        mentions = {a.id: [(m.start, m.end) for m in a.mentions] for a in found.actors}
        preds = []
        for a in found.attributions:
            parts = found.attribution_parts[a.id]
            said = parts.speaker
            preds.append(
                {
                    **asdict(a),
                    "cue_span": asdict(parts.cue),
                    "speaker_span": asdict(said) if said else None,
                    "speaker_mentions": mentions.get(a.speaker or "", []),
                }
            )
        out.append({"preds": preds})
    return out


def _match(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) by content overlap, best first."""
    pairs = []
    for gi, g in enumerate(gold):
        gs = (g["content"]["start"], g["content"]["end"])
        for pi, p in enumerate(preds):
            ps = (p["claim"]["start"], p["claim"]["end"])
            ov = _overlap(gs, ps)
            if ov > 0:
                union = max(gs[1], ps[1]) - min(gs[0], ps[0])
                pairs.append((ov / union, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score(rows: list[dict[str, Any]], results: list[dict[str, Any]], quotes_only: bool) -> Tally:
    t = Tally()
    for row, res in zip(rows, results, strict=True):
        text = row["text"]
        gold = [a for a in row["attributions"] if a["content"]]
        preds = res["preds"]
        if quotes_only:
            gold = [a for a in gold if _QUOTE_MARK.search(a["content"]["text"])]
            preds = [p for p in preds if p["quote"]]
        t.gold += len(gold)
        t.pred += len(preds)
        pairs = _match(gold, preds)
        t.matched += len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], preds[pi]
            gs = _trim(text, (g["content"]["start"], g["content"]["end"]))
            ps = _trim(text, (p["claim"]["start"], p["claim"]["end"]))
            t.exact += gs == ps
            if g["source"]:
                src = (g["source"]["start"], g["source"]["end"])
                said = p["speaker_span"]
                ours = [(said["start"], said["end"])] if said else []
                t.speaker_n += 1
                ok = _any_overlap(src, ours + p["speaker_mentions"])
                t.speaker_ok += ok
                t.source_exact += bool(ours) and _trim(text, ours[0]) == _trim(text, src)
                if g["source"]["text"].lower() not in _PRONOUNS:
                    t.actor_n += 1
                    t.actor_ok += _any_overlap(src, p["speaker_mentions"])
                if not ok and len(t.errors) < 40:
                    t.errors.append(
                        {
                            "article": row["id"],
                            "gold": g["source"]["text"],
                            "ours": p["speaker_text"],
                            "cue": p["cue"],
                        }
                    )
            if g["cue"]:
                cues = [tuple(f) for f in g["cue"]["fragments"]] or [
                    (g["cue"]["start"], g["cue"]["end"])
                ]
                t.cue_n += 1
                t.cue_ok += _any_overlap((p["cue_span"]["start"], p["cue_span"]["end"]), cues)
    return t


def table(rows: dict[str, Tally]) -> list[dict[str, Any]]:
    out = []
    for name, t in rows.items():
        pe, re_, fe = t.prf(t.exact)
        po, ro, fo = t.prf(t.matched)
        out.append(
            {
                "set": name,
                "gold": t.gold,
                "ours": t.pred,
                "matched": t.matched,
                "content_exact": {"p": pe, "r": re_, "f1": fe, "tp": t.exact},
                "content_overlap": {"p": po, "r": ro, "f1": fo, "tp": t.matched},
                "speaker": {"accuracy": _div(t.speaker_ok, t.speaker_n), "n": t.speaker_n},
                "speaker_actor": {"accuracy": _div(t.actor_ok, t.actor_n), "n": t.actor_n},
                "source_exact": {"accuracy": _div(t.source_exact, t.speaker_n), "n": t.speaker_n},
                "cue": {"accuracy": _div(t.cue_ok, t.cue_n), "n": t.cue_n},
            }
        )
    return out


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def render(result: list[dict[str, Any]], seconds: float, articles: int) -> str:
    lines = [
        f"quotes dev set: {articles} articles, {seconds:.1f} s "
        f"({articles / seconds if seconds else 0:.1f} articles/s)",
        "",
        f"{'set':<16}{'metric':<22}{'P':>7}{'R':>7}{'F1':>7}{'n / tp':>12}{'anchor':>9}",
    ]
    for r in result:
        name = r["set"]
        for metric, key in (
            ("content exact", "content_exact"),
            ("content overlap", "content_overlap"),
        ):
            v = r[key]
            anchor = f"{ANCHORS['quote F1']:.1%}" if key == "content_overlap" else ""
            lines.append(
                f"{name:<16}{metric:<22}{v['p']:>7.1%}{v['r']:>7.1%}{v['f1']:>7.1%}"
                f"{v['tp']:>6}/{r['gold']:<5}{anchor:>9}"
            )
            name = ""
        for metric, key in (
            ("speaker", "speaker"),
            ("speaker (actor)", "speaker_actor"),
            ("source span exact", "source_exact"),
            ("cue", "cue"),
        ):
            v = r[key]
            anchor = f"{ANCHORS['speaker accuracy']:.1%}" if key == "speaker" else ""
            lines.append(
                f"{'':<16}{metric:<22}{'':>7}{'':>7}{v['accuracy']:>7.1%}{v['n']:>12}{anchor:>9}"
            )
    lines.append("")
    lines.append(
        "F1 column holds accuracy for speaker and cue rows (over matched pairs); anchors: "
        "state-of-the-art quote extractors on their own data."
    )
    return "\n".join(lines)


def below_floors(result: list[dict[str, Any]], floors: dict[str, float]) -> list[str]:
    """One line per pinned figure (``set.metric.field``) of ``result`` below its floor."""
    below = []
    for key, floor in floors.items():
        set_name, metric, name = key.split(".")
        row = next((r for r in result if r["set"] == set_name), None)
        if row is None or metric not in row or name not in row[metric]:
            below.append(f"{key}: not measured (floor {floor})")
        elif row[metric][name] < floor:
            below.append(f"{key}: {row[metric][name]:.3f} < {floor}")
    return below


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=DATA, help="the dev sets (default ../shared/data)")
    p.add_argument("--json", type=Path, default=OUT, help="where the figures go")
    p.add_argument("--limit", type=int, default=0, help="score the first N articles only")
    p.add_argument("-v", "--verbose", action="store_true", help="print error examples")
    p.add_argument(
        "--check", action="store_true", help="exit 1 if a figure is below its pinned floor"
    )
    p.add_argument("--baseline", type=Path, default=BASELINE, help="the floors file")
    args = p.parse_args(argv)
    path = args.data / "quotes" / "dev.jsonl"
    if not path.is_file():
        print(f"error: {path} not found (use --data DIR)", file=sys.stderr)
        return 2
    pinned: dict[str, Any] = {}
    if args.check:
        try:
            pinned = json.loads(args.baseline.read_text(encoding="utf-8"))["quotes"]
            pinned_limit, floors = int(pinned["limit"]), dict(pinned["floors"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"error: no quotes floors in {args.baseline} ({exc!r})", file=sys.stderr)
            return 2
        if args.limit and args.limit < pinned_limit:
            print(
                f"error: the floors are pinned on {pinned_limit} articles; --limit "
                f"{args.limit} scores fewer",
                file=sys.stderr,
            )
            return 2
    from overhorizon.nlp.pipeline import load_pipeline, pipeline_version

    nlp = load_pipeline()
    rows = list(read_dev(path))
    if args.limit:
        rows = rows[: args.limit]
    started = time.perf_counter()
    results = predict(nlp, rows)
    seconds = time.perf_counter() - started
    tallies = {"all": score(rows, results, False), "quotes": score(rows, results, True)}
    result = table(tallies)
    print(render(result, seconds, len(rows)))
    if args.verbose:
        for e in tallies["all"].errors:
            print(json.dumps(e, ensure_ascii=False))
    problems: list[str] = []
    if args.check:
        first, got = rows[:pinned_limit], results[:pinned_limit]
        checked = table({"all": score(first, got, False), "quotes": score(first, got, True)})
        problems = below_floors(checked, floors)
        if len(rows) < pinned_limit:
            problems.append(f"only {len(rows)} articles scored, the floors need {pinned_limit}")
        for line in problems:
            print(f"FAIL {line}")
        verdict = f"{len(problems)} problem(s)" if problems else "every pinned figure holds"
        print(f"check against {args.baseline} [quotes, first {pinned_limit} articles]: {verdict}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "pipeline": pipeline_version(),
        "data": str(path),
        "articles": len(rows),
        "seconds": round(seconds, 2),
        "anchors": ANCHORS,
        "results": result,
        "errors": tallies["all"].errors,
    }
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
