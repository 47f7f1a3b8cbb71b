"""Speed of overhorizon against a baseline measured in the same run.

    python bench/speed.py ingest [--copies N] [--repeat R]

``ingest``: articles/s of ``overhorizon ingest`` on the sample corpus's HTML pages and WARC
records (each page copied N times, the copies made distinct by shuffling the words of their
paragraphs; half as .html files, half inside one WARC.gz), against bare
``trafilatura.extract`` on the same pages in the same process. Ours is timed three ways: the
library call ``ingest()`` in-process, warmed up like the baseline, with one process and with
the default worker pool (one per core), and the CLI as a user runs it (a fresh process:
start-up and imports included). The goal is a ratio of at least 0.8 for ``ingest()`` with the
default settings. Results go to stdout and bench/out/speed.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from overhorizon.records import Article

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "overhorizon" / "sample"
OUT = REPO / "bench" / "out"


def sample_pages() -> list[tuple[str, bytes]]:
    """The sample corpus's HTML pages and the HTML payloads of its WARC records."""
    from warcio.archiveiterator import ArchiveIterator

    pages = [(p.name, p.read_bytes()) for p in sorted((SAMPLE / "html").glob("*.htm*"))]
    for warc in sorted(SAMPLE.rglob("*.warc.gz")):
        if "bad" in warc.parts:
            continue
        with open(warc, "rb") as fh:
            for rec in ArchiveIterator(fh):
                ctype = rec.http_headers.get_header("Content-Type") if rec.http_headers else ""
                if rec.rec_type == "response" and (ctype or "").startswith("text/html"):
                    pages.append(
                        (rec.rec_headers.get_header("WARC-Target-URI"), rec.content_stream().read())
                    )
    if not pages:
        sys.exit("no HTML pages found in overhorizon/sample")
    return pages


_PARA_RE = re.compile(rb"(<p\b[^>]*>)([^<]{40,})(</p>)", re.I)


def unique_copies(pages: list[tuple[str, bytes]], copies: int) -> list[tuple[str, bytes]]:
    """Each page ``copies`` times as distinct articles: copy 0 is the page as it is; later
    copies have the words of each plain paragraph shuffled (seeded), which keeps the markup,
    the length and the language but makes them different texts, not near-duplicates of each
    other (a stream where 19 of 20 articles are near-copies would time de-duplication, not
    ingest)."""
    out = []
    for c in range(copies):
        rng = random.Random(c)
        for i, (_name, html) in enumerate(pages):
            marked = html
            if c:

                def shuffle(m: re.Match[bytes], rng: random.Random = rng) -> bytes:
                    words = m.group(2).split()
                    rng.shuffle(words)
                    return m.group(1) + b" ".join(words) + m.group(3)

                marked = _PARA_RE.sub(shuffle, html)
            out.append((f"{c:03d}-{i:03d}.html", marked))
    return out


def write_inputs(pages: list[tuple[str, bytes]], root: Path) -> None:
    """Half the pages as .html files, half as responses inside one WARC.gz."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root.mkdir(parents=True)
    half = len(pages) // 2
    for name, html in pages[:half]:
        (root / name).write_bytes(html)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for name, html in pages[half:]:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://bench.example/{name}",
                "response",
                payload=io.BytesIO(html),
                http_headers=headers,
            )
        )
    (root / "pages.warc.gz").write_bytes(buf.getvalue())


def time_baseline(pages: list[tuple[str, bytes]]) -> tuple[float, int]:
    import trafilatura

    start = time.perf_counter()
    ok = sum(1 for _, html in pages if trafilatura.extract(html))
    return time.perf_counter() - start, ok


def time_library(root: Path, db: Path, workers: int) -> tuple[float, int]:
    from overhorizon.ingest.run import ingest
    from overhorizon.settings import load_settings
    from overhorizon.store import open_store

    settings = load_settings(env={}, overrides={"db": str(db), "workers": workers})
    with open_store(str(db), near_duplicate_threshold=settings.near_duplicate_threshold) as store:
        start = time.perf_counter()
        report = ingest([str(root)], store, settings)
        elapsed = time.perf_counter() - start
    return elapsed, report.stored


def time_cli(root: Path, db: Path) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    report = db.with_suffix(".json")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "overhorizon",
            "ingest",
            str(root),
            "--db",
            str(db),
            "--report",
            str(report),
            "-q",
        ],
        check=False,
        env=env,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(json.loads(report.read_text())["stored"])


def bench_ingest(copies: int, repeat: int) -> dict[str, object]:
    pages = unique_copies(sample_pages(), copies)
    n = len(pages)
    work = Path(tempfile.mkdtemp(prefix="overhorizon-bench-"))
    try:
        write_inputs(pages, work / "in")
        # Warm up both sides: imports, trafilatura's caches, the language model.
        time_baseline(pages[:5])
        write_inputs(pages[:5], work / "warm")
        time_library(work / "warm", work / "warm.db", workers=1)
        runs: dict[str, list[float]] = {"baseline": [], "library_1": [], "library": [], "cli": []}
        stored: dict[str, int] = {}
        for r in range(repeat):
            for key, timer in (
                ("baseline", lambda: time_baseline(pages)),
                ("library_1", lambda r=r: time_library(work / "in", work / f"l1-{r}.db", 1)),
                ("library", lambda r=r: time_library(work / "in", work / f"l0-{r}.db", 0)),
                ("cli", lambda r=r: time_cli(work / "in", work / f"cli{r}.db")),
            ):
                t, ok = timer()
                runs[key].append(t)
                stored[key] = ok
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v) for k, v in runs.items()}
    rate = {k: n / v for k, v in best.items()}
    result = {
        "benchmark": "ingest",
        "pages": n,
        "copies": copies,
        "repeat": repeat,
        "articles_extracted": stored,
        "best_seconds": {k: round(v, 3) for k, v in best.items()},
        "articles_per_second": {k: round(v, 1) for k, v in rate.items()},
        "ratio_library_vs_trafilatura": round(rate["library"] / rate["baseline"], 3),
        "ratio_library_one_process_vs_trafilatura": round(rate["library_1"] / rate["baseline"], 3),
        "ratio_cli_vs_trafilatura": round(rate["cli"] / rate["baseline"], 3),
        "goal": "library ratio >= 0.8",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    return result


def sample_texts(copies: int) -> list[Article]:
    """The sample corpus's articles, read as ingest reads them, ``copies`` times over."""
    from overhorizon.ingest.run import read_paths
    from overhorizon.records import PreparedArticle
    from overhorizon.settings import load_settings

    settings = load_settings(env={}, overrides={"workers": 1})
    found = [
        r.article for r in read_paths([str(SAMPLE)], settings) if isinstance(r, PreparedArticle)
    ]
    return found * copies


def bench_extract(copies: int, repeat: int) -> dict[str, object]:
    """Words/s of the whole extraction against bare nlp.pipe of the same model, same texts."""
    import spacy

    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import load_pipeline, pipeline_config

    articles = sample_texts(copies)
    words = sum(len(a.text.split()) for a in articles)
    bare = spacy.load(pipeline_config()["model"]["package"])
    ours = load_pipeline()
    list(bare.pipe([a.text for a in articles[:5]]))  # warm up both
    list(extract([(a, None) for a in articles[:5]], ours))
    runs: dict[str, list[float]] = {"bare": [], "ours_1": [], "ours_2": [], "bare_2": []}
    for _ in range(repeat):
        start = time.perf_counter()
        list(bare.pipe([a.text for a in articles], batch_size=32))
        runs["bare"].append(time.perf_counter() - start)
        start = time.perf_counter()
        list(extract([(a, None) for a in articles], ours, batch_size=32, n_process=1))
        runs["ours_1"].append(time.perf_counter() - start)
        start = time.perf_counter()
        list(extract([(a, None) for a in articles], ours, batch_size=32, n_process=2))
        runs["ours_2"].append(time.perf_counter() - start)
        start = time.perf_counter()
        list(bare.pipe([a.text for a in articles], batch_size=32, n_process=2))
        runs["bare_2"].append(time.perf_counter() - start)
    best = {k: min(v) for k, v in runs.items()}
    rate = {k: words / v for k, v in best.items()}
    return {
        "benchmark": "extract",
        "articles": len(articles),
        "words": words,
        "repeat": repeat,
        "best_seconds": {k: round(v, 3) for k, v in best.items()},
        "words_per_second": {k: round(v) for k, v in rate.items()},
        "ratio_ours_vs_bare_one_process": round(rate["ours_1"] / rate["bare"], 3),
        "gain_two_processes": round(rate["ours_2"] / rate["ours_1"], 3),
        "gain_two_processes_bare": round(rate["bare_2"] / rate["bare"], 3),
        "goals": "ratio >= 0.7; gain >= 1.8",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["ingest", "extract"])
    parser.add_argument("--copies", type=int, default=40, help="copies of each sample page")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    args = parser.parse_args()
    if args.what == "extract":
        result = bench_extract(max(1, args.copies // 8), args.repeat)
        OUT.mkdir(exist_ok=True)
        (OUT / "speed-extract.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        return 0
    result = bench_ingest(args.copies, args.repeat)
    OUT.mkdir(exist_ok=True)
    (OUT / "speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':28}{'articles/s':>12}{'seconds':>10}")
    for key, label in (
        ("baseline", "bare trafilatura.extract"),
        ("library_1", "ingest(), workers=1"),
        ("library", "ingest(), workers=auto"),
        ("cli", "overhorizon ingest (CLI)"),
    ):
        print(
            f"{label:28}{result['articles_per_second'][key]:>12}"  # type: ignore[index]
            f"{result['best_seconds'][key]:>10}"
        )  # type: ignore[index]
    print(f"pages: {result['pages']}, extracted: {result['articles_extracted']}")
    print(f"ratio one process/trafilatura: {result['ratio_library_one_process_vs_trafilatura']}")
    print(
        f"ratio library/trafilatura: {result['ratio_library_vs_trafilatura']}"
        f"   CLI/trafilatura: {result['ratio_cli_vs_trafilatura']}   (goal >= 0.8)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
