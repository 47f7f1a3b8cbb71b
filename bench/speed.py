"""Speed of overhorizon against a baseline measured in the same run.

    python bench/speed.py ingest [--copies N] [--repeat R]
    python bench/speed.py extract [--copies N] [--repeat R]
    python bench/speed.py geo [--repeat R] [--no-build]

``ingest``: articles/s of ``overhorizon ingest`` on the sample corpus's HTML pages and WARC
records (each page copied N times, the copies made distinct by shuffling the words of their
paragraphs; half as .html files, half inside one WARC.gz), against bare
``trafilatura.extract`` on the same pages in the same process. Ours is timed three ways: the
library call ``ingest()`` in-process, warmed up like the baseline, with one process and with
the default worker pool (one per core), and the CLI as a user runs it (a fresh process:
start-up and imports included). The goal is a ratio of at least 0.8 for ``ingest()`` with the
default settings. Results go to stdout and bench/out/speed.json.

``extract``: words/s of the whole extraction against bare ``nlp.pipe`` of the same model on
the same sample articles, in one and two processes (bench/out/speed-extract.json).

``geo``: the offline gazetteer and the place resolver. (1) ``build_gazetteer`` into a temporary
directory, run once in a fresh process: seconds, file size, places by kind, names, the build's
peak RSS; ``--no-build`` skips it and uses the gazetteer ``open_gazetteer()`` finds
($OVERHORIZON_GAZETTEER, else the user's cache), refusing a missing or stale one rather than
rebuilding it. (2) The extraction pipeline runs once over the sample articles in another fresh
process, recording what its places component hands the resolver for each article (toponyms from
the model's GPE/LOC/FAC entities, context countries from the actors); this process then times,
best of R runs of ten passes over the articles (seconds per pass), ``Resolver.resolve`` over
every article (toponyms/s, articles/s), the gazetteer look-ups alone (``Gazetteer.candidates``
per distinct name of an article, as the resolver asks them: their share of resolving) and
``open_gazetteer()`` of the built file; and the resolver's share of the pipeline's one pass.
(3) Memory: the tracemalloc peak of one resolve pass over all articles (Python objects only, not
SQLite's page cache) and this process's RSS growth (VmRSS; ru_maxrss peak) from opening the
gazetteer and resolving. The model and the GeoNames packages load only in the child processes,
so that they do not blur these figures. MB are 10**6 bytes. No goal is pinned: the figures come
with their context (cores, Python, SQLite). Results go to stdout and under "geo" in
bench/out/speed.json (the other keys are kept).
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
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from overhorizon.records import Article

if TYPE_CHECKING:
    from overhorizon.geo.build import GazetteerInfo
    from overhorizon.geo.resolver import Resolution, Toponym

T = TypeVar("T")

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
            timers: tuple[tuple[str, Callable[[], tuple[float, int]]], ...] = (
                ("baseline", partial(time_baseline, pages)),
                ("library_1", partial(time_library, work / "in", work / f"l1-{r}.db", 1)),
                ("library", partial(time_library, work / "in", work / f"l0-{r}.db", 0)),
                ("cli", partial(time_cli, work / "in", work / f"cli{r}.db")),
            )
            for key, timer in timers:
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


MB = 1_000_000
OPENS = 20  # open_gazetteer() calls per timed run: one takes about a millisecond
PASSES = 10  # passes over all sample articles per timed run: one takes some tens of ms


def rss_bytes() -> int | None:
    """This process's resident set size now (VmRSS); None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        return None
    return None


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far (ru_maxrss: kB on Linux, bytes on macOS)."""
    import resource

    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak if sys.platform == "darwin" else peak * 1024


def in_child(fn: Callable[[Path], T], arg: Path) -> T:
    """``fn(arg)`` in a fresh (spawned) process: what it loads (GeoNames package data, the spaCy
    model) never enters this one, whose memory the geo benchmark measures."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(fn, arg).result()


def build_child(path: Path) -> tuple[GazetteerInfo, int]:
    """Child process: build the gazetteer at ``path``; the build's info and peak RSS in bytes."""
    from overhorizon.geo.gazetteer import build_gazetteer

    info = build_gazetteer(path, min_population=500)
    return info, peak_rss_bytes()


def toponyms_child(gazetteer: Path) -> tuple[list[tuple[list[Toponym], list[str]]], float]:
    """Child process: the extraction pipeline over the sample articles, once (after a warm-up
    of five), with ``gazetteer``. Returns, per article, the toponyms and context countries its
    places component handed the resolver, and the seconds of that one pass."""
    from overhorizon.geo.gazetteer import ENV_PATH
    from overhorizon.geo.resolver import Resolver
    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import load_pipeline

    os.environ[ENV_PATH] = str(gazetteer)  # the component opens the gazetteer by itself
    seen: list[tuple[list[Toponym], list[str]]] = []

    class Recording(Resolver):
        def resolve(
            self, toponyms: Iterable[Toponym], *, context_countries: Iterable[str] = ()
        ) -> list[Resolution]:
            items, context = list(toponyms), sorted(set(context_countries))
            seen.append((items, context))
            return super().resolve(items, context_countries=context)

    nlp = load_pipeline()
    finder = nlp.get_pipe("overhorizon_places")
    finder.resolver = Recording(finder.resolver.gazetteer)
    articles = sample_texts(1)
    list(extract([(a, None) for a in articles[:5]], nlp))
    seen.clear()
    start = time.perf_counter()
    list(extract([(a, None) for a in articles], nlp, batch_size=32, n_process=1))
    elapsed = time.perf_counter() - start
    if len(seen) != len(articles):
        sys.exit(f"the places component resolved {len(seen)} times for {len(articles)} articles")
    return seen, elapsed


def gazetteer_figures(path: Path, meta: dict[str, str]) -> dict[str, Any]:
    """Size and counts of an existing gazetteer file, from its meta table."""
    return {
        "path": str(path),
        "size_mb": round(path.stat().st_size / MB, 1),
        "places": int(meta["places"]),
        "places_by_kind": json.loads(meta["places_by_kind"]),
        "names": int(meta["names"]),
        "min_population": int(meta["min_population"]),
        "sources": json.loads(meta["sources"]),
    }


def bench_geo(repeat: int, build: bool) -> dict[str, Any]:
    """Gazetteer build, place resolution throughput and resolver memory (module docstring)."""
    import tracemalloc

    from overhorizon.geo.build import build_key
    from overhorizon.geo.gazetteer import ENV_PATH, default_gazetteer_path, open_gazetteer
    from overhorizon.geo.resolver import Resolver

    work = Path(tempfile.mkdtemp(prefix="overhorizon-bench-geo-"))
    try:
        if build:
            path = work / "gazetteer.sqlite"
            start = time.perf_counter()
            info, build_peak = in_child(build_child, path)
            wall = time.perf_counter() - start
            figures: dict[str, Any] = {
                "built": True,
                "build_seconds": round(info.seconds, 1),
                "build_seconds_with_process_start": round(wall, 1),
                "build_peak_rss_mb": round(build_peak / MB),
                "path": "(temporary)",
                "size_mb": round(info.size_bytes / MB, 1),
                "places": info.places,
                "places_by_kind": info.by_kind,
                "names": info.names,
                "min_population": info.min_population,
                "sources": info.sources,
            }
        else:
            path = default_gazetteer_path()
            # open_gazetteer() would rebuild a missing or stale file in place: not with --no-build.
            with open_gazetteer(path) as found:
                if found.meta.get("build_key") != build_key(int(found.meta["min_population"])):
                    sys.exit(
                        f"{path} was built from other package versions or an older schema; "
                        "run without --no-build, or rebuild it (open_gazetteer() does)"
                    )
                figures = {"built": False, **gazetteer_figures(found.path, found.meta)}
        env = {ENV_PATH: str(path)}
        per_article, pipeline_seconds = in_child(toponyms_child, path)
        # From here on, only this process: the gazetteer opens and resolves here.
        rss_start, peak_start = rss_bytes(), peak_rss_bytes()
        open_runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            for _ in range(OPENS):
                open_gazetteer(env=env).close()
            open_runs.append((time.perf_counter() - start) / OPENS)
        gazetteer = open_gazetteer(env=env)
        rss_opened = rss_bytes()
        resolver = Resolver(gazetteer)
        resolve_runs, first_pass = [], 0.0
        for _ in range(repeat):
            start = time.perf_counter()
            for _ in range(PASSES):
                for toponyms, context in per_article:
                    resolver.resolve(toponyms, context_countries=context)
                first_pass = first_pass or time.perf_counter() - start  # a fresh connection
            resolve_runs.append((time.perf_counter() - start) / PASSES)
        rss_resolved = rss_bytes()
        names = [list(dict.fromkeys(t.text for t in toponyms)) for toponyms, _ in per_article]
        lookup_runs = []
        found_candidates = 0
        for _ in range(repeat):
            start = time.perf_counter()
            for _ in range(PASSES):
                found_candidates = 0
                for article_names in names:
                    for name in article_names:
                        found_candidates += len(gazetteer.candidates(name, limit=25))
            lookup_runs.append((time.perf_counter() - start) / PASSES)
        tracemalloc.start()
        resolved = 0
        for toponyms, context in per_article:
            results = resolver.resolve(toponyms, context_countries=context)
            resolved += sum(1 for r in results if r.candidate is not None)
        del results
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss_end, peak_end = rss_bytes(), peak_rss_bytes()
        gazetteer.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def grown(before: int | None, after: int | None) -> float | None:
        return None if before is None or after is None else round((after - before) / MB, 1)

    articles = len(per_article)
    toponym_count = sum(len(t) for t, _ in per_article)
    lookups = sum(len(n) for n in names)
    best = {
        "resolve": min(resolve_runs),
        "lookup": min(lookup_runs),
        "open_gazetteer": min(open_runs),
    }
    return {
        "benchmark": "geo",
        "repeat": repeat,
        "gazetteer": figures,
        "articles": articles,
        "toponyms": toponym_count,
        "lookups": lookups,
        "candidates_per_lookup": round(found_candidates / max(1, lookups), 2),
        "toponyms_resolved": resolved,
        "best_seconds_per_pass": {k: round(v, 4) for k, v in best.items() if k != "open_gazetteer"},
        "passes_per_run": PASSES,
        "resolve_first_pass_seconds": round(first_pass, 4),
        "toponyms_per_second": round(toponym_count / best["resolve"]),
        "articles_per_second": round(articles / best["resolve"], 1),
        "lookups_per_second": round(lookups / best["lookup"]),
        "lookup_share_of_resolve": round(best["lookup"] / best["resolve"], 3),
        "open_gazetteer_ms": round(best["open_gazetteer"] * 1000, 2),
        "pipeline_seconds_one_pass": round(pipeline_seconds, 2),
        "resolve_share_of_pipeline": round(best["resolve"] / pipeline_seconds, 4),
        "memory_mb": {
            "resolve_traced_peak": round(traced_peak / MB, 2),
            "rss_growth_open": grown(rss_start, rss_opened),
            "rss_growth_open_and_resolve": grown(rss_start, rss_resolved),
            "rss_growth_to_end": grown(rss_start, rss_end),
            "rss_at_start": grown(0, rss_start),
            "maxrss_growth": grown(peak_start, peak_end),
        },
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }


def print_geo(result: dict[str, Any]) -> None:
    g, mem, best = result["gazetteer"], result["memory_mb"], result["best_seconds_per_pass"]
    if g["built"]:
        print(
            f"gazetteer build: {g['build_seconds']} s ({g['build_seconds_with_process_start']} s "
            f"with process start), peak RSS {g['build_peak_rss_mb']} MB"
        )
    else:
        print(f"gazetteer: {g['path']} (not rebuilt)")
    print(f"  {g['size_mb']} MB, {g['places']} places {g['places_by_kind']}, {g['names']} names")
    print(
        f"corpus: {result['articles']} articles, {result['toponyms']} toponyms, "
        f"{result['lookups']} look-ups (distinct names per article), "
        f"{result['candidates_per_lookup']} candidates each, "
        f"{result['toponyms_resolved']} toponyms resolved"
    )
    print(f"{'':32}{'per second':>12}{'s/pass':>10}")
    print(
        f"{'Resolver.resolve, toponyms':32}{result['toponyms_per_second']:>12}{best['resolve']:>10}"
    )
    print(f"{'Resolver.resolve, articles':32}{result['articles_per_second']:>12}")
    print(
        f"{'Gazetteer.candidates alone':32}{result['lookups_per_second']:>12}{best['lookup']:>10}"
    )
    print(
        f"look-ups' share of resolving: {result['lookup_share_of_resolve']}   "
        f"first resolve pass: {result['resolve_first_pass_seconds']} s   "
        f"open_gazetteer(): {result['open_gazetteer_ms']} ms"
    )
    print(
        f"resolving's share of the pipeline's one pass ({result['pipeline_seconds_one_pass']} s): "
        f"{result['resolve_share_of_pipeline']}"
    )
    print(
        f"memory: resolve pass traced peak {mem['resolve_traced_peak']} MB; RSS "
        f"{mem['rss_at_start']} MB at start, +{mem['rss_growth_open']} MB opened, "
        f"+{mem['rss_growth_open_and_resolve']} MB after resolving, "
        f"+{mem['rss_growth_to_end']} MB at the end; ru_maxrss +{mem['maxrss_growth']} MB"
    )
    print(f"machine: {result['machine']}")


def merge_into_speed_json(update: dict[str, Any]) -> None:
    """Write ``update``'s keys into bench/out/speed.json, keeping the keys already there."""
    OUT.mkdir(exist_ok=True)
    target = OUT / "speed.json"
    current = json.loads(target.read_text()) if target.is_file() else {}
    if not isinstance(current, dict):
        sys.exit(f"{target} does not hold a JSON object; move it away and run again")
    current.update(update)
    target.write_text(json.dumps(current, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["ingest", "extract", "geo"])
    parser.add_argument("--copies", type=int, default=40, help="copies of each sample page")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="geo: skip the gazetteer build; use the one open_gazetteer() finds",
    )
    args = parser.parse_args()
    if args.what == "geo":
        geo = bench_geo(args.repeat, build=not args.no_build)
        merge_into_speed_json({"geo": geo})
        print_geo(geo)
        return 0
    if args.what == "extract":
        result = bench_extract(max(1, args.copies // 8), args.repeat)
        OUT.mkdir(exist_ok=True)
        (OUT / "speed-extract.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        return 0
    result = bench_ingest(args.copies, args.repeat)
    merge_into_speed_json(result)
    rates = cast(dict[str, float], result["articles_per_second"])
    seconds = cast(dict[str, float], result["best_seconds"])
    print(f"{'':28}{'articles/s':>12}{'seconds':>10}")
    for key, label in (
        ("baseline", "bare trafilatura.extract"),
        ("library_1", "ingest(), workers=1"),
        ("library", "ingest(), workers=auto"),
        ("cli", "overhorizon ingest (CLI)"),
    ):
        print(f"{label:28}{rates[key]:>12}{seconds[key]:>10}")
    print(f"pages: {result['pages']}, extracted: {result['articles_extracted']}")
    print(f"ratio one process/trafilatura: {result['ratio_library_one_process_vs_trafilatura']}")
    print(
        f"ratio library/trafilatura: {result['ratio_library_vs_trafilatura']}"
        f"   CLI/trafilatura: {result['ratio_cli_vs_trafilatura']}   (goal >= 0.8)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
