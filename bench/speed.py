"""Speed of overhorizon against a baseline measured in the same run.

    python bench/speed.py ingest [--copies N] [--repeat R]
    python bench/speed.py extract [--copies N] [--repeat R]
    python bench/speed.py geo [--repeat R] [--no-build]
    python bench/speed.py fuse [--sizes 1000,10000,100000] [--repeat R] [--seed S]
    python bench/speed.py api [--incidents 100000] [--clients 1,32] [--requests N] [--seed S]
    python bench/speed.py watch [--sources 100] [--repeat R]

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

``fuse``: incidents from event reports. For each size N (``--sizes``), seeded code (``--seed``)
generates a world of N reports of incidents whose truth it knows (``fuse_world``). The period
grows with N, one year per 10,000 reports (about 27 a day), so that the density of reports per
day stays that of a monitoring archive whatever N: a bigger archive covers a longer time, not
a busier day. Timed, best of R runs (fewer for a size whose runs pass two minutes):
``fusion.cluster.fuse`` alone, as reports/s and incidents/s (clusters made per second), and, as
the baseline measured in the same run, scoring the candidate pairs alone (``candidate_pairs``
and ``compare``, no merging): the ratio says what the merging adds. Untimed: the candidate
pairs compared, and the B-cubed precision, recall and F1 of the clusters against the generated
truth (``bench/coref_metrics.py``; a sanity figure, no floor). Growth from each size to the
next: the time ratio and the fitted exponent log(t2/t1)/log(n2/n1), printed as "close to
linear" below 1.3 (a verdict, not a test); the same for the candidate pairs. Memory: the
tracemalloc peak of one more ``fuse`` run at 10,000 reports at most (its working memory: the
reports exist before it starts; tracing slows it about fifteen-fold), and the process's peak
RSS after the largest size. Results go to stdout and under "fuse" in bench/out/speed.json.

``api``: latency of the REST API over loopback. Seeded code (``--seed``) writes a database of
``--incidents`` incidents (claims 1 to 20 each, summaries shaped as the fuser writes them, over
four years in six countries) and half as many articles of 200-500 words that their claims
cite, straight into the migrated schema (``executemany`` in one transaction; timed). ``overhorizon
serve`` runs over it as a user runs it (one uvicorn process). For each client count
(``--clients``), after a warm-up, ``--requests`` requests per scenario go out from that many
threads, each with its own keep-alive httpx client: ``list``, ``GET /api/incidents`` with a
query drawn from a fixed seeded set (the default order's first page, a date range, a bounding
box, ``grade=confirmed``, ``sort=-deaths``, a page in the last tenth); ``page``, ``GET
/api/incidents/{id}`` of a random incident. Per scenario (and per kind of list query): p50, p95,
p99 and max latency, requests/s, errors (non-200 answers and failed requests; expected 0), the
server's CPU ms per request. The baseline, measured in the same run: the library calls behind
the routes (``query_incidents``, ``get_incident``) in this process on the same database, with
SQLite's EXPLAIN QUERY PLAN of each statement, and the same for a text search (``q=``), which
the HTTP mix leaves out. The clients and the server share the machine's cores: with more
clients than cores the figures measure queueing. Results go to stdout and under "api" in
bench/out/speed.json.

``watch``: seconds per ``overhorizon watch`` cycle (``run_cycle``: poll, extraction of nothing,
no fusion) over ``--sources`` sources with no news, against a server in this process on
127.0.0.1 (a thread per request). Each source is one RSS feed of three items whose pages a
first, untimed cycle stored. Timed, best of R: (1) ``304``: the server honours the stored ETag,
so each source costs one conditional GET; (2) ``unchanged``: the server ignores validators and
sends the same feed again, which is parsed and whose entries are all found stored. The baseline,
measured in the same run: one httpx client GETting the same feed URLs, nothing else (no guard,
no robots.txt, no store). All sources share one host, so ``host_interval`` is 0 here; with the
default (1 s) a poll of N sources on one host takes at least N seconds, by design. Results go
to stdout and under "watch" in bench/out/speed.json.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from overhorizon.records import Article
from overhorizon.store.search import search_text

if TYPE_CHECKING:
    from overhorizon.fusion.cluster import Cluster
    from overhorizon.fusion.reports import Report
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


# --- fuse: incidents from event reports ----------------------------------------------------------

FUSE_SIZES = (1_000, 10_000, 100_000)
FUSE_TRACE_REPORTS = 10_000  # the largest fuse() run traced for memory
REPORTS_PER_YEAR = 10_000  # archive density: the period grows with N, reports per day stay put
FUSE_BUDGET_SECONDS = 120.0  # no further timed runs of one size once its runs took this long
LINEAR_EXPONENT = 1.3  # growth exponents below this print as "close to linear"
FUSE_EPOCH = date(2020, 1, 1).toordinal()
# Country (ISO 3166 alpha-3), the latitude and longitude of its centre, and the spread of its
# provinces around it (degrees).
FUSE_COUNTRIES = (
    ("SDN", 14.0, 31.0, 3.0),
    ("SSD", 7.0, 30.0, 2.5),
    ("ETH", 9.0, 39.5, 3.0),
    ("SOM", 4.0, 45.5, 2.5),
    ("MLI", 15.0, -2.0, 3.0),
    ("NGA", 10.5, 8.0, 3.0),
)
FUSE_PROVINCES = 6  # per country
FUSE_TOWNS = 300  # in all; a few hotspots get most incidents (Zipf weights)
FUSE_VOCABULARY = 6_000  # the distinctive words incidents draw theirs from
# PLOVER types of incidents in a conflict monitor's archive (relative weights).
FUSE_TYPES = {
    "ASSAULT": 40, "PROTEST": 16, "COERCE": 12, "CONSULT": 7, "MOBILIZE": 5, "THREATEN": 4,
    "ACCUSE": 4, "AID": 3, "SANCTION": 2, "RETREAT": 2, "REQUEST": 2, "AGREE": 1,
    "COOPERATE": 1, "SUPPORT": 1,
}  # fmt: skip
# Modes that dominate their type (relative weights); every other mode of the type weighs 1.
FUSE_MODE_WEIGHTS = {
    "firearms": 10, "clash": 8, "aerial": 5, "heavy-weapons": 5, "explosives": 5, "drone": 4,
    "abduct": 4, "execute": 2, "demo": 10, "riot": 3, "arrest": 8, "disperse": 3, "visit": 4,
    "multilateral": 3, "troops": 5, "humanitarian": 4,
}  # fmt: skip
# The type an extractor sometimes reads instead (FUSE_MISTYPED of the reports).
FUSE_CONFUSED = {
    "ASSAULT": "COERCE", "COERCE": "ASSAULT", "PROTEST": "COERCE", "CONSULT": "AGREE",
    "MOBILIZE": "THREATEN", "THREATEN": "ACCUSE", "AID": "SUPPORT", "SANCTION": "COERCE",
}  # fmt: skip
FUSE_MISTYPED = 0.03
# Reports per incident, 1 to 15: most incidents get one or two reports, a few get many.
FUSE_REPORTS_PER_INCIDENT = tuple(range(1, 16))
FUSE_REPORT_WEIGHTS = tuple(k**-1.7 for k in FUSE_REPORTS_PER_INCIDENT)
# Days from the incident to the article's publication (relative weights).
FUSE_LAGS = {0: 35, 1: 40, 2: 15, 3: 7, 5: 3}
FUSE_GROUPS = ("civilians", "civilians", "civilians", "combatants", "military", "police")
FUSE_SECTORS = ("military", "police", "rebel", "government")
# Words of conflict reporting that distinctive_words() keeps: every story has some of them.
FUSE_DOMAIN_WORDS = (
    "gunmen", "village", "soldiers", "army", "police", "security", "forces", "militants", "armed",
    "group", "fighters", "town", "district", "province", "region", "government", "residents",
    "witnesses", "local", "market", "road", "convoy", "checkpoint", "clashes", "violence",
    "bodies", "hospital", "victims", "protesters", "demonstrators", "capital", "minister",
    "spokesman", "statement", "military", "rebels", "troops", "camp", "displaced", "humanitarian",
    "fire", "shot", "opened", "bomb", "blast", "explosion", "airstrike", "raid", "arrested",
    "detained", "operation", "area", "north", "south", "east", "west", "state", "federal",
    "community", "leaders", "youths", "women", "children", "elders", "mosque", "church", "school",
    "highway", "border",
)  # fmt: skip
_CONSONANTS = "bdfghjklmnprstvwyz"
_VOWELS = "aeiou"


@dataclass(frozen=True, slots=True)
class Town:
    """A place incidents happen at, with the coarser points a vaguer report gives."""

    name: str
    country: str
    lat: float
    lon: float
    province: tuple[float, float]  # where a precision-3 report of the province puts it
    centre: tuple[float, float]  # where a precision-3 report of the country puts it


@dataclass(slots=True)
class FuseWorld:
    """Generated reports and the truth: which incident (a number) each report is of."""

    reports: list[Report]
    truth: dict[str, int]
    days: int
    incidents: int


def pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` new made-up words of two to four syllables (not in ``taken``, which grows)."""
    out: list[str] = []
    while len(out) < count:
        word = "".join(
            rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 4))
        )
        if word not in taken:
            taken.add(word)
            out.append(word)
    return out


def fuse_world(n: int, seed: int) -> FuseWorld:
    """``n`` event reports of incidents in six countries over ``n / REPORTS_PER_YEAR`` years.

    Each incident is a latent truth: a PLOVER type and mode (FUSE_TYPES, FUSE_MODE_WEIGHTS), a
    day, a town (Zipf-weighted among FUSE_TOWNS), actors, a victim toll and its own few words.
    It gets 1 to 15 reports (skewed to few), each with its own noise: the exact day (sometimes
    a day off), a month, or undated (the week before its article's publication, 0-5 days
    after the incident, as ``window()`` makes it); the town, a point near it, or its province
    or country (precision 1-3), or no place; some of the incident's words among common
    reporting words; sometimes the toll (sometimes another figure), the mode, the actors; a
    few are read as a neighbouring type; about 5 % are negated, planned or hypothetical (not
    happenings: they make no incident; ``fuse`` may attach a negated one to an incident as a
    claim). About one article in twelve is a round-up that also
    carries an event of another incident published that day. An article's title and lead
    (``Report.lead``) have some of its first incident's words, and its town, among more common
    words; a round-up's second event shares its article's lead. Reports come shuffled.
    """
    from overhorizon.fusion.reports import Report, distinctive_words, window
    from overhorizon.nlp.lexicon import modes

    rng = random.Random(seed)
    taken: set[str] = set()
    towns: list[Town] = []
    per_country = FUSE_TOWNS // len(FUSE_COUNTRIES)
    actors: dict[str, list[str]] = {}
    for code, c_lat, c_lon, spread in FUSE_COUNTRIES:
        provinces = [
            (c_lat + rng.gauss(0, spread / 2), c_lon + rng.gauss(0, spread / 2))
            for _ in range(FUSE_PROVINCES)
        ]
        for name in pseudo_words(rng, per_country, taken):
            plat, plon = rng.choice(provinces)
            towns.append(
                Town(
                    name,
                    code,
                    plat + rng.gauss(0, 0.6),
                    plon + rng.gauss(0, 0.6),
                    (plat, plon),
                    (c_lat, c_lon),
                )
            )
        actors[code] = [
            f"{name} {rng.choice(('front', 'brigade', 'militia', 'movement'))}"
            for name in pseudo_words(rng, 10, taken)
        ]
    rng.shuffle(towns)
    town_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(towns))]
    vocabulary = pseudo_words(rng, FUSE_VOCABULARY, taken)
    modes_of: dict[str, list[str]] = defaultdict(list)
    for entry in modes():
        modes_of[entry.plover_type].append(entry.mode)
    types, type_weights = list(FUSE_TYPES), list(FUSE_TYPES.values())
    lags, lag_weights = list(FUSE_LAGS), list(FUSE_LAGS.values())
    days = max(1, round(365 * n / REPORTS_PER_YEAR))

    reports: list[Report] = []
    truth: dict[str, int] = {}
    roundups: dict[int, tuple[str, int]] = {}  # published day -> its last article, events
    leads: dict[str, frozenset[str]] = {}  # article -> the words of its title and lead
    articles = incidents = 0
    while len(reports) < n:
        incidents += 1
        typ = rng.choices(types, type_weights)[0]
        choices = modes_of.get(typ, [])
        mode = (
            rng.choices(choices, [FUSE_MODE_WEIGHTS.get(m, 1) for m in choices])[0]
            if choices
            else None
        )
        day = FUSE_EPOCH + rng.randrange(days)
        town = rng.choices(towns, town_weights)[0]
        toll = 0
        if typ == "ASSAULT" and rng.random() < 0.75:
            toll = 1 + int(rng.lognormvariate(1.2, 1.1))
        elif typ in ("PROTEST", "COERCE") and rng.random() < 0.05:
            toll = rng.randint(1, 12)
        group = rng.choice(FUSE_GROUPS)
        source = rng.choice(actors[town.country])
        sector = f"{town.country}:{rng.choice(FUSE_SECTORS)}".lower()
        target = f"{town.country}:civilian".lower()
        own_words = rng.sample(vocabulary, rng.randint(4, 8))
        count = rng.choices(FUSE_REPORTS_PER_INCIDENT, FUSE_REPORT_WEIGHTS)[0]
        for _ in range(min(count, n - len(reports))):
            published = day + rng.choices(lags, lag_weights)[0]
            if published in roundups and rng.random() < 1 / 12:
                article, events = roundups[published]
            else:
                articles += 1
                article, events = f"a{articles:07d}", 0
                lead = [w for w in own_words if rng.random() < 0.6]
                if rng.random() < 0.8:
                    lead.append(town.name)
                lead += rng.sample(FUSE_DOMAIN_WORDS, rng.randint(8, 16))
                leads[article] = distinctive_words(" ".join(lead))
            roundups[published] = (article, events + 1)
            u = rng.random()
            if u < 0.55:
                off = rng.choice((-1, 1)) if rng.random() < 0.05 else 0
                given: tuple[str | None, str | None] = (iso(day + off), None)
            elif u < 0.58:
                first = date.fromordinal(day).replace(day=1)
                last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                given = (first.isoformat(), last.isoformat())
            else:
                given = (None, None)
            start, end, _ = window(*given, iso(published))
            lat: float | None = None
            lon: float | None = None
            precision: int | None = None
            country: str | None = town.country
            u = rng.random()
            if u < 0.05:
                country = town.country if rng.random() < 0.5 else None
            elif u < 0.60:
                lat, lon, precision = town.lat, town.lon, 1
            elif u < 0.85:
                lat, lon, precision = town.lat + rng.gauss(0, 0.1), town.lon + rng.gauss(0, 0.1), 2
            else:
                lat, lon = town.province if rng.random() < 0.7 else town.centre
                precision = 3
            said_mode = None
            if mode and rng.random() < 0.65:
                said_mode = mode if rng.random() < 0.85 else rng.choice(choices)
            who: set[str] = set()
            if rng.random() < 0.55:
                who.add(source)
            if rng.random() < 0.35:
                who.add(sector)
            if rng.random() < 0.4:
                who.add(target)
            killed: tuple[tuple[str, int], ...] = ()
            if toll and rng.random() < 0.55:
                said = toll if rng.random() < 0.65 else max(1, round(toll * rng.uniform(0.6, 1.4)))
                killed = ((group, said),)
            text = [w for w in own_words if rng.random() < 0.5]
            if rng.random() < 0.7:
                text.append(town.name)
            text += rng.sample(FUSE_DOMAIN_WORDS, rng.randint(3, 8))
            text += [str(v) for _, v in killed]
            u = rng.random()
            polarity, modality = "positive", "asserted" if rng.random() < 0.65 else "reported"
            if u < 0.025:
                polarity = "negated"
            elif u < 0.045:
                modality = "planned"
            elif u < 0.05:
                modality = "hypothetical"
            key = f"{article}/e{events + 1}"
            reports.append(
                Report(
                    key=key,
                    article_id=article,
                    type=FUSE_CONFUSED.get(typ, typ) if rng.random() < FUSE_MISTYPED else typ,
                    mode=said_mode,
                    start=start,
                    end=end,
                    exact=given[0] is not None and given[1] is None,
                    lat=lat,
                    lon=lon,
                    precision=precision,
                    country=country,
                    actors=frozenset(who),
                    killed=killed,
                    words=distinctive_words(" ".join(text)),
                    source=article,
                    published=iso(published),
                    lead=leads[article],
                    polarity=polarity,
                    modality=modality,
                )
            )
            truth[key] = incidents
    rng.shuffle(reports)
    return FuseWorld(reports, truth, days, incidents)


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def growth(n1: int, t1: float, n2: int, t2: float) -> dict[str, float]:
    """How a figure grows from size ``n1`` to ``n2``: the ratio and the fitted exponent."""
    ratio = t2 / t1
    return {"ratio": round(ratio, 2), "exponent": round(math.log(ratio) / math.log(n2 / n1), 2)}


@dataclass(frozen=True, slots=True)
class Timing:
    """One timed call: wall and CPU seconds, and the garbage collector's part of the wall."""

    wall: float
    cpu: float
    gc_seconds: float
    gc_full: int  # collections of the oldest generation (they walk every tracked object)


def timed(fn: Callable[[], T]) -> tuple[T, Timing]:
    """``fn()`` after a full collection, timed; the collector's pauses clocked by gc.callbacks."""
    spent, began, full = [0.0], [0.0], [0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - began[0]
            full[0] += info["generation"] == 2

    gc.collect()
    gc.callbacks.append(watch)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        gc.callbacks.remove(watch)
    return out, Timing(wall, cpu, spent[0], full[0])


def bench_fuse(sizes: list[int], repeat: int, seed: int) -> dict[str, Any]:
    """Incidents per second of ``fuse`` and its growth with the archive's size (docstring)."""
    import tracemalloc

    from coref_metrics import b_cubed

    from overhorizon.fusion.cluster import candidate_pairs, eligible, fuse
    from overhorizon.fusion.reports import compare

    rows: list[dict[str, Any]] = []
    for n in sizes:
        start = time.perf_counter()
        world = fuse_world(n, seed)
        made = time.perf_counter() - start
        everything = sorted(world.reports, key=lambda r: r.key)
        pool = [r for r in everything if eligible(r)]
        pairs = sum(1 for _ in candidate_pairs(everything))
        pairs_happenings = sum(1 for _ in candidate_pairs(pool))

        def score_all(reports: list[Report] = everything) -> None:
            for a, b in candidate_pairs(reports):
                compare(a, b)

        runs: list[Timing] = []
        clusters: list[Cluster] = []
        while len(runs) < repeat and sum(r.wall for r in runs) < FUSE_BUDGET_SECONDS:
            clusters, timing = timed(partial(fuse, world.reports))
            runs.append(timing)
        scoring = min(timed(score_all)[1].wall for _ in runs)
        best = min(runs, key=lambda r: r.wall)
        gold = {r.key: world.truth[r.key] for r in pool}
        pred = {key: i for i, cluster in enumerate(clusters) for key in cluster.keys}
        b3 = b_cubed(gold, pred)
        attached = right = 0
        for cluster in clusters:
            truths = {world.truth[k] for k in cluster.keys}
            for claim in getattr(cluster, "attached", []):
                attached += 1
                right += world.truth[claim] in truths
        rows.append(
            {
                "reports": n,
                "days": world.days,
                "reports_per_day": round(n / world.days, 1),
                "happenings": len(pool),
                "not_happenings": n - len(pool),
                "negated": sum(1 for r in everything if r.polarity == "negated"),
                "incidents_true": len(set(gold.values())),
                "clusters": len(clusters),
                "candidate_pairs": pairs,
                "candidate_pairs_of_happenings": pairs_happenings,
                "pairs_per_report": round(pairs / n, 1),
                "runs": len(runs),
                "best_seconds": round(best.wall, 3),
                "best_cpu_seconds": round(min(r.cpu for r in runs), 3),
                "reports_per_second": round(n / best.wall),
                "incidents_per_second": round(len(clusters) / best.wall),
                "gc_seconds": round(best.gc_seconds, 3),
                "gc_full_collections": best.gc_full,
                "gc_share": round(best.gc_seconds / best.wall, 3),
                "scoring_seconds": round(scoring, 3),
                "ratio_fuse_vs_scoring": round(best.wall / scoring, 2),
                "b_cubed": {
                    "precision": round(b3.precision, 3),
                    "recall": round(b3.recall, 3),
                    "f1": round(b3.f1, 3),
                },
                "claims_attached": attached,
                "claims_attached_to_their_incident": right,
                "generate_seconds": round(made, 2),
            }
        )
    steps = []
    for small, big in itertools.pairwise(rows):
        n1, n2 = small["reports"], big["reports"]
        wall = growth(n1, small["best_seconds"], n2, big["best_seconds"])
        steps.append(
            {
                "from": n1,
                "to": n2,
                "time": wall,
                "cpu_time": growth(n1, small["best_cpu_seconds"], n2, big["best_cpu_seconds"]),
                "time_without_gc": growth(
                    n1,
                    small["best_seconds"] - small["gc_seconds"],
                    n2,
                    big["best_seconds"] - big["gc_seconds"],
                ),
                "candidate_pairs": growth(n1, small["candidate_pairs"], n2, big["candidate_pairs"]),
                "verdict": "close to linear"
                if wall["exponent"] < LINEAR_EXPONENT
                else "faster than linear",
            }
        )
    # Incremental fusion at the largest size: the newest 1 % of the articles arrive after a
    # fusion of the rest; what they reach (affected) is fused again, and must equal the whole.
    from overhorizon.fusion.incremental import affected

    world = fuse_world(sizes[-1], seed)
    reports_all = list(world.reports)
    by_date = sorted({(r.published or "", r.article_id) for r in reports_all})
    late = {a for _, a in by_date[-max(1, len(by_date) // 100) :]}
    early_clusters = fuse([r for r in reports_all if r.article_id not in late])
    new_keys = {r.key for r in reports_all if r.article_id in late}
    start = time.perf_counter()
    again = affected(
        reports_all, new_keys, incidents=[[*c.keys, *c.attached] for c in early_clusters]
    )
    reach_seconds = time.perf_counter() - start
    start = time.perf_counter()
    redone = fuse([r for r in reports_all if r.key in again])
    refuse_seconds = time.perf_counter() - start
    kept = [c for c in early_clusters if not (set(c.keys) | set(c.attached)) & again]
    whole = fuse(reports_all)
    same = {(frozenset(c.keys), frozenset(c.attached)) for c in kept + redone} == {
        (frozenset(c.keys), frozenset(c.attached)) for c in whole
    }
    incremental = {
        "reports": sizes[-1],
        "new_reports": len(new_keys),
        "reached": len(again),
        "affected_seconds": round(reach_seconds, 3),
        "fuse_reached_seconds": round(refuse_seconds, 3),
        "full_fuse_seconds": rows[-1]["best_seconds"],
        "same_as_full": same,
    }
    del world, reports_all, early_clusters, whole, kept, redone
    # tracemalloc slows fuse() about fifteen-fold (seven minutes at 100k reports): trace it at
    # FUSE_TRACE_REPORTS at most, and give the process's peak RSS for the largest size.
    traced_size = min(sizes[-1], FUSE_TRACE_REPORTS)
    world = fuse_world(traced_size, seed)
    gc.collect()
    start = time.perf_counter()
    tracemalloc.start()
    fuse(world.reports)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    traced_seconds = time.perf_counter() - start
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {
        "benchmark": "fuse",
        "seed": seed,
        "repeat": repeat,
        "assumption": f"the period grows with the archive: {REPORTS_PER_YEAR} reports a year "
        f"(about {REPORTS_PER_YEAR / 365:.0f} a day), whatever N",
        "sizes": rows,
        "growth": steps,
        "linear_below_exponent": LINEAR_EXPONENT,
        "incremental": incremental,
        "peak_memory": {
            "reports": traced_size,
            "fuse_traced_peak_mb": round(peak / MB, 1),
            "traced_run_seconds": round(traced_seconds, 1),
            "process_max_rss_mb": round(max_rss / MB, 1),
            "max_rss_reports": sizes[-1],
        },
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }


def print_fuse(result: dict[str, Any]) -> None:
    print(f"fuse(): seed {result['seed']}, best of {result['repeat']}; {result['assumption']}")
    columns = (
        ("reports", 9), ("days", 6), ("incidents", 10), ("clusters", 9), ("pairs", 9),
        ("seconds", 9), ("cpu s", 8), ("gc s", 7), ("reports/s", 10), ("incidents/s", 12),
        ("vs scoring", 11), ("B3 P", 6), ("B3 R", 6), ("B3 F1", 6),
    )  # fmt: skip
    print("".join(f"{name:>{width}}" for name, width in columns))
    for row in result["sizes"]:
        b3 = row["b_cubed"]
        values = (
            row["reports"], row["days"], row["incidents_true"], row["clusters"],
            row["candidate_pairs"], row["best_seconds"], row["best_cpu_seconds"],
            row["gc_seconds"], row["reports_per_second"], row["incidents_per_second"],
            row["ratio_fuse_vs_scoring"], b3["precision"], b3["recall"], b3["f1"],
        )  # fmt: skip
        print("".join(f"{v:>{width}}" for v, (_, width) in zip(values, columns, strict=True)))
    for step in result["growth"]:
        t, c, g, p = (
            step["time"],
            step["cpu_time"],
            step["time_without_gc"],
            step["candidate_pairs"],
        )
        print(
            f"{step['from']} -> {step['to']} reports: time x{t['ratio']} (exponent "
            f"{t['exponent']}; CPU {c['exponent']}, without GC {g['exponent']}), candidate pairs "
            f"x{p['ratio']} (exponent {p['exponent']}): {step['verdict']}"
        )
    inc = result["incremental"]
    print(
        f"incremental at {inc['reports']}: the newest 1% of articles ({inc['new_reports']} "
        f"reports) reach {inc['reached']}; affected() {inc['affected_seconds']} s + fuse() of "
        f"them {inc['fuse_reached_seconds']} s vs {inc['full_fuse_seconds']} s for everything; "
        f"same incidents as the full fusion: {inc['same_as_full']}"
    )
    last = result["sizes"][-1]
    mem = result["peak_memory"]
    print(
        f"at {last['reports']}: {last['gc_full_collections']} full collections, GC "
        f"{last['gc_share']:.0%} of fuse(); {last['claims_attached_to_their_incident']} of "
        f"{last['claims_attached']} attached claims on their incident ({last['negated']} "
        f"negated reports); "
        f"fuse() traced peak at {mem['reports']} reports {mem['fuse_traced_peak_mb']} MB "
        f"(the traced run: {mem['traced_run_seconds']} s); process peak RSS "
        f"{mem['process_max_rss_mb']} MB after {mem['max_rss_reports']} reports"
    )
    print(
        "incidents: true incidents among the happenings; pairs: candidate_pairs() of all the "
        "reports; vs scoring: fuse() over candidate_pairs() + compare() alone"
    )
    print(f"machine: {result['machine']}")


API_INCIDENTS = 100_000
API_CLIENTS = (1, 32)
API_REQUESTS = 200  # timed requests per scenario and client count
API_YEARS = 4  # the generated archive's period
API_TOWNS = 10  # per country
API_OUTLETS = 24
API_WORDS = (200, 500)  # words of a generated article
API_SENTENCE_WORDS = (12, 30)
API_CLAIMS = tuple(range(1, 21))  # claims per incident, skewed to few
API_CLAIM_WEIGHTS = tuple(k**-1.2 for k in API_CLAIMS)
API_GRADES = {"weak": 60, "fair": 22, "confirmed": 8, "contested": 7, "discounted": 3}
API_PRECISIONS = {"day": 55, "week": 25, "month": 10, "year": 3, "range": 7}
API_ACLED = {
    "ASSAULT": ("Violence against civilians", "Attack"),
    "PROTEST": ("Protests", "Peaceful protest"),
    "COERCE": ("Strategic developments", "Arrests"),
    "MOBILIZE": ("Strategic developments", "Headquarters or base established"),
    "RETREAT": ("Strategic developments", "Non-violent transfer of territory"),
}
API_QUERIES_PER_KIND = 12  # the fixed, seeded set of list queries each request draws from
API_LIST_KINDS = (
    "first_page", "date_range", "bbox", "grade_confirmed", "sort_deaths", "deep", "text", "cursor",
)  # fmt: skip
API_PAGE = 50
API_SAMPLES = 40  # library calls per query kind (and incident pages) for the in-process baseline
API_CASUALTY_RULE = (
    "best: the figure of the latest admission, confirmation or correction by an official party "
    "(government, military, police or an international body); else the latest figure from an "
    "official party; else the median of the claims' best figures (the lower middle one when "
    "their number is even)"
)


@dataclass(frozen=True, slots=True)
class ApiDatabase:
    """What ``api_database`` wrote, and how long each part took (seconds)."""

    incidents: list[str]  # ids, in generation order
    articles: int
    claims: int
    reports: int
    size_bytes: int
    seconds: dict[str, float]
    boxes: dict[str, tuple[float, float, float, float]]  # a country's bbox: west,south,east,north
    first_day: str
    last_day: str
    path: str = ""


def api_articles(
    rng: random.Random, n: int, days: int, vocabulary: list[str]
) -> Iterable[tuple[Any, ...]]:
    """``n`` article rows, published in order over ``days`` days from FUSE_EPOCH; sentence
    spans of each (its first ten) are yielded alongside, as the last item of the row."""
    outlets = [
        f"{w.title()} {k}" for w, k in zip(vocabulary, itertools.cycle(("Wire", "Daily", "Post")))
    ][:API_OUTLETS]
    blob = bytes(1024)
    for i in range(n):
        day = FUSE_EPOCH + min(days - 1, int(i * days / n + rng.uniform(0, 2)))
        words = rng.choices(vocabulary, k=rng.randint(*API_WORDS))
        sentences: list[str] = []
        spans: list[tuple[int, int]] = []
        at = k = 0
        while k < len(words):
            take = rng.randint(*API_SENTENCE_WORDS)
            sentence = " ".join(words[k : k + take]).capitalize() + "."
            if len(spans) < 10:
                spans.append((at, at + len(sentence)))
            sentences.append(sentence)
            at += len(sentence) + 1
            k += take
        text = " ".join(sentences)
        aid = hashlib.sha256(f"api-article/{i}".encode()).hexdigest()
        outlet = outlets[i % len(outlets)]
        published = iso(day)
        yield (
            aid, f"https://bench.example/{i}", outlet, sentences[0][:80], json.dumps(["Staff"]),
            published, None, "day", published, "en", 1.0, 0, text, len(text), None, blob, 1,
            "2024-01-01T00:00:00Z", spans,
        )  # fmt: skip


def api_database(path: Path, n: int, seed: int) -> ApiDatabase:
    """Write ``n`` incidents and ``n // 2`` cited articles into a new database at ``path``.

    The schema comes from ``open_store`` (the migrations); the rows go in with plain sqlite3
    ``executemany`` in batches inside one transaction. Incidents spread over API_YEARS years
    in the six FUSE_COUNTRIES (API_TOWNS towns each); each gets 1 to 20 claims (skewed to few)
    citing articles published about its date, a sentence of each as evidence, a summary shaped
    as the fuser writes it, and its reports in incident_reports."""
    from overhorizon.store import open_store

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    open_store(str(path)).close()
    seconds["schema"] = time.perf_counter() - start
    days = API_YEARS * 365
    vocabulary = list(FUSE_DOMAIN_WORDS) + pseudo_words(rng, 3000, set(FUSE_DOMAIN_WORDS))
    towns: list[tuple[str, str, float, float]] = []
    boxes = {}
    for country, lat, lon, spread in FUSE_COUNTRIES:
        boxes[country] = (lon - spread, lat - spread, lon + spread, lat + spread)
        for name in pseudo_words(rng, API_TOWNS, set(vocabulary)):
            towns.append(
                (
                    name.title(),
                    country,
                    lat + rng.uniform(-spread, spread),
                    lon + rng.uniform(-spread, spread),
                )
            )
    town_weights = [1 / (1 + i % API_TOWNS) for i in range(len(towns))]
    types, type_weights = list(FUSE_TYPES), list(FUSE_TYPES.values())
    grades, grade_weights = list(API_GRADES), list(API_GRADES.values())
    precisions, precision_weights = list(API_PRECISIONS), list(API_PRECISIONS.values())
    n_articles = max(1, n // 2)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO ingest_runs (id, started_at, finished_at, status, paths, report) "
            "VALUES (1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'finished', '[]', '{}')"
        )
        start = time.perf_counter()
        meta: list[tuple[str, str, str, list[tuple[int, int]]]] = []  # id, outlet, published
        rows = api_articles(rng, n_articles, days, vocabulary)
        columns = (
            "id, url, outlet, title, authors, published, published_at, published_precision, "
            "published_text, language, language_confidence, non_english, text, chars, "
            "near_duplicate_of, minhash, first_run_id, created_at"
        )
        sql = f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * 18)})"
        while batch := list(itertools.islice(rows, 5000)):
            meta.extend((r[0], r[2], r[5], r[-1], r[3], r[12]) for r in batch)
            db.executemany(sql, [r[:-1] for r in batch])
        seconds["articles"] = time.perf_counter() - start
        start = time.perf_counter()
        events = [0] * n_articles  # events numbered so far per article
        ids: list[str] = []
        claims_total = reports_total = 0
        links: list[tuple[str, str, str, str]] = []
        columns = (
            "id, type, mode, acled_event_type, acled_sub_event_type, date_start, date_end, "
            "date_precision, place, lat, lon, country, place_precision, reports, articles, "
            "sources, grade, grade_reason, contradictions, deaths, summary, updated_at, "
            "search_text"
        )
        sql = f"INSERT INTO incidents ({columns}) VALUES ({', '.join('?' * 23)})"
        batch_rows: list[tuple[Any, ...]] = []
        for i in range(n):
            iid = "i-" + hashlib.sha256(f"api/{seed}/{i}".encode()).hexdigest()[:16]
            ids.append(iid)
            day = rng.randrange(days)
            typ = rng.choices(types, type_weights)[0]
            grade = rng.choices(grades, grade_weights)[0]
            precision = rng.choices(precisions, precision_weights)[0]
            end_day = day + (rng.randint(1, 20) if precision == "range" else 0)
            centre = int(day * n_articles / days)
            cited = [
                min(n_articles - 1, max(0, centre + rng.randint(-3, 12)))
                for _ in range(rng.choices(API_CLAIMS, API_CLAIM_WEIGHTS)[0])
            ]
            claims, keys, deaths = [], [], 0
            searched: list[str] = []  # what fusion's search text holds: titles, sentences
            for j, a in enumerate(cited):
                aid, outlet, published, spans, title, body = meta[a]
                events[a] += 1
                key = f"{aid}/e{events[a]}"
                keys.append(key)
                links.append((aid, f"e{events[a]}", iid, "report"))
                ev_start, ev_end = rng.choice(spans)
                searched += [title, body[ev_start:ev_end]]
                official = rng.random() < 0.4
                figures = []
                if typ == "ASSAULT" and rng.random() < 0.6:
                    best = rng.randint(1, 40)
                    deaths = max(deaths, best)
                    figures.append(
                        {
                            "group": rng.choice(FUSE_GROUPS),
                            "killed": {"low": best, "best": best, "high": None},
                            "injured": None,
                        }
                    )
                claims.append(
                    {
                        "id": f"{aid}/t{j}", "article": aid, "outlet": outlet,
                        "published": published,
                        "speaker": "Officials" if official else outlet,
                        "stance": "denies" if rng.random() < 0.05 else "asserts",
                        "source": f"outlet:{outlet.lower()}", "events": [key],
                        "speaker_sector": "government" if official else "media",
                        "speaker_party": "state" if official else outlet.lower(),
                        "anonymous": official and rng.random() < 0.5, "via": None,
                        "first_report": j == 0, "negated": False, "perpetrator": None,
                        "perpetrator_party": None, "figures": figures,
                        "evidence": {"start": ev_start, "end": ev_end}, "responds_to": [],
                    }
                )  # fmt: skip
            sources = sorted({f"outlet:{meta[a][1].lower()}" for a in cited})
            contradictions = []
            if grade == "contested" and len(claims) > 1:
                contradictions = [
                    {
                        "a": claims[0]["id"], "b": claims[-1]["id"], "kind": "casualties",
                        "why": "incompatible figures",
                    }
                ]  # fmt: skip
            casualties = []
            if deaths:
                with_figures = [c["id"] for c in claims if c["figures"]]
                casualties.append(
                    {
                        "group": "civilians", "killed": {"low": 1, "best": deaths, "high": deaths},
                        "low_claims": with_figures[:1], "best_claims": with_figures,
                        "high_claims": with_figures[-1:],
                        "best_reason": "the latest official figure",
                    }
                )  # fmt: skip
            summary = {
                "reports": keys,
                "claims_attached": [],
                "sources": sources,
                "claims": claims,
                "contradictions": contradictions,
                "casualties": casualties,
                "casualty_rule": API_CASUALTY_RULE,
                "links": [
                    {"a": a, "b": b, "score": 4.5, "reasons": [f"both {typ}", "same place (0 km)"]}
                    for a, b in itertools.pairwise(keys)
                ],
            }
            town, country, lat, lon = rng.choices(towns, town_weights)[0]
            placed = rng.random() < 0.95
            speakers = [c["speaker"] for c in claims]
            acled = API_ACLED.get(typ, (None, None))
            batch_rows.append(
                (
                    iid, typ, None, acled[0], acled[1], iso(FUSE_EPOCH + day),
                    iso(FUSE_EPOCH + end_day), precision, town if placed else None,
                    lat if placed else None, lon if placed else None, country,
                    rng.randint(1, 3) if placed else None, len(keys), len(set(cited)),
                    len(sources), grade, f"{len(sources)} independent sources",
                    len(contradictions), deaths or None, json.dumps(summary),
                    "2024-01-01T00:00:00+00:00",
                    search_text([town if placed else None, *searched, *speakers]),
                )
            )  # fmt: skip
            claims_total += len(claims)
            reports_total += len(keys)
            if len(batch_rows) >= 5000:
                db.executemany(sql, batch_rows)
                batch_rows = []
        db.executemany(sql, batch_rows)
        db.executemany(
            "INSERT INTO incident_reports (article_id, event_id, incident_id, role) "
            "VALUES (?, ?, ?, ?)",
            links,
        )
        db.execute("COMMIT")
        seconds["incidents"] = time.perf_counter() - start
    finally:
        db.close()
    seconds["total"] = sum(seconds.values())
    return ApiDatabase(
        path=str(path),
        incidents=ids,
        articles=n_articles,
        claims=claims_total,
        reports=reports_total,
        size_bytes=sum(p.stat().st_size for p in path.parent.glob(path.name + "*")),
        seconds=seconds,
        boxes=boxes,
        first_day=iso(FUSE_EPOCH),
        last_day=iso(FUSE_EPOCH + days - 1),
    )


def api_cursor(world: ApiDatabase, iid: str) -> str:
    """The list's cursor (default order) just after incident ``iid``."""
    from overhorizon.records import Incident
    from overhorizon.store.incidents import cursor_after

    with sqlite3.connect(world.path) as db:
        (date_start,) = db.execute(
            "SELECT date_start FROM incidents WHERE id = ?", (iid,)
        ).fetchone()
    return cursor_after(Incident(id=iid, type="", date_start=date_start), "date")


def api_list_queries(world: ApiDatabase, n: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """The fixed, seeded set of list queries, API_QUERIES_PER_KIND of each kind."""
    rng = random.Random(seed + 1)
    first, last = date.fromisoformat(world.first_day), date.fromisoformat(world.last_day)
    out: dict[str, list[dict[str, str]]] = {}
    for kind in API_LIST_KINDS:
        queries = []
        for _ in range(API_QUERIES_PER_KIND):
            q: dict[str, str] = {"limit": str(API_PAGE)}
            if kind == "first_page":
                q["sort"] = rng.choice(("date", "-date"))
            elif kind == "date_range":
                since = first + timedelta(days=rng.randrange((last - first).days - 90))
                q["since"] = since.isoformat()
                q["until"] = (since + timedelta(days=rng.choice((7, 30, 90)))).isoformat()
            elif kind == "bbox":
                west, south, east, north = world.boxes[rng.choice(sorted(world.boxes))]
                half = rng.uniform(0.25, 1.0)  # a part of the country: zoomed in on the map
                cx, cy = (west + east) / 2, (south + north) / 2
                box = (
                    cx - half * (cx - west),
                    cy - half * (cy - south),
                    cx + half * (east - cx),
                    cy + half * (north - cy),
                )
                q["bbox"] = ",".join(f"{v:.3f}" for v in box)
            elif kind == "grade_confirmed":
                q["grade"] = "confirmed"
                q["offset"] = str(API_PAGE * rng.randrange(10))
            elif kind == "sort_deaths":
                q["sort"] = "-deaths"
                q["offset"] = str(API_PAGE * rng.randrange(10))
            elif kind == "text":  # one or two words of the articles' vocabulary
                q["q"] = " ".join(rng.sample(FUSE_DOMAIN_WORDS, rng.choice((1, 2))))
            elif kind == "cursor":  # a next page by its cursor, deep in the list
                q["after"] = api_cursor(world, world.incidents[rng.randrange(n)])
            else:  # deep: a page in the last tenth of the list
                q["offset"] = str(rng.randrange(int(n * 0.9), max(int(n * 0.9) + 1, n - API_PAGE)))
            queries.append(q)
        out[kind] = queries
    return out


def api_library(
    db: Path, queries: dict[str, list[dict[str, str]]], ids: list[str], seed: int
) -> dict[str, Any]:
    """The baseline, in this process: ``query_incidents`` and ``get_incident``, the library
    calls behind the two routes, on the same database (median ms of API_SAMPLES calls), with
    SQLite's EXPLAIN QUERY PLAN of every statement they run."""
    from sqlalchemy import event

    from overhorizon.store import open_store
    from overhorizon.store.incidents import IncidentQuery, get_incident, query_incidents

    rng = random.Random(seed + 2)
    store = open_store(str(db))
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, params))

    def as_query(q: dict[str, str]) -> tuple[IncidentQuery, str, int]:
        box = tuple(float(v) for v in q["bbox"].split(",")) if "bbox" in q else None
        return (
            IncidentQuery(
                since=q.get("since"),
                until=q.get("until"),
                bbox=cast("tuple[float, float, float, float] | None", box),
                grade=q.get("grade"),
                text=q.get("q"),
                sort=q.get("sort", "date"),
                after=q.get("after"),
            ),
            q.get("sort", "date"),
            int(q.get("offset", "0")),
        )

    kinds = dict(queries)
    out: dict[str, Any] = {}
    try:
        for kind, qs in [*kinds.items(), ("incident_page", [])]:
            calls: list[Callable[[], object]] = []
            if kind == "incident_page":
                calls = [partial(get_incident, store, rng.choice(ids)) for _ in range(API_SAMPLES)]
            else:
                for q in qs:
                    query, _sort, offset = as_query(q)
                    calls.append(partial(query_incidents, store, query, offset=offset))
            samples = API_SAMPLES
            calls[0]()  # warm the page cache
            times = []
            for k in range(samples):
                start = time.perf_counter()
                calls[k % len(calls)]()
                times.append(time.perf_counter() - start)
            seen.clear()
            event.listen(store.engine, "before_cursor_execute", record)
            calls[0]()
            event.remove(store.engine, "before_cursor_execute", record)
            raw = store.conn.connection.driver_connection
            assert raw is not None
            plans = []
            for statement, params in seen:
                steps = raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
                plans.append(
                    {
                        "sql": " ".join(statement.split())[:300],
                        "plan": [str(s[-1]) for s in steps],
                    }
                )
            out[kind] = {
                "calls": samples,
                "median_ms": round(statistics.median(times) * 1000, 2),
                "max_ms": round(max(times) * 1000, 2),
                "plans": plans,
            }
    finally:
        store.close()
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 (nearest rank) and max of latencies in seconds, as milliseconds."""
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {
        "p50_ms": round(rank(50) * 1000, 2),
        "p95_ms": round(rank(95) * 1000, 2),
        "p99_ms": round(rank(99) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (/proc); None where it is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive(
    base: str, paths: list[tuple[str, str]], clients: int
) -> tuple[list[tuple[str, float, int]], float]:
    """Request every (kind, path) with ``clients`` threads, each with its own keep-alive
    ``httpx.Client``, taking the next path as it finishes one. Returns (kind, seconds, status)
    per request (status 0: the request failed) and the wall seconds of the whole run."""
    import threading

    import httpx

    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    todo = iter(paths)

    def client() -> None:
        with httpx.Client(base_url=base, timeout=300.0) as http:
            while True:
                with lock:
                    item = next(todo, None)
                if item is None:
                    return
                kind, path = item
                start = time.perf_counter()
                try:
                    status = http.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.perf_counter() - start
                with lock:
                    results.append((kind, elapsed, status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - start


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``overhorizon serve`` over ``db`` on a free loopback port, once /api/health answers."""
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "overhorizon", "serve", "--db", str(db), "--port", str(port)],
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"overhorizon serve exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/api/health", timeout=30).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    sys.exit(f"overhorizon serve did not answer within 120 s: {log.read_text()[-2000:]}")


def bench_api(n: int, clients: list[int], requests: int, seed: int) -> dict[str, Any]:
    """p50/p95 latency of the incident list and an incident page over HTTP (module docstring)."""
    from urllib.parse import urlencode

    work = Path(tempfile.mkdtemp(prefix="overhorizon-bench-api-"))
    try:
        db = work / "api.db"
        world = api_database(db, n, seed)
        queries = api_list_queries(world, n, seed)
        library = api_library(db, queries, world.incidents, seed)
        rng = random.Random(seed + 3)
        flat = [(kind, q) for kind, qs in queries.items() for q in qs]

        def plan(scenario: str, count: int) -> list[tuple[str, str]]:
            if scenario == "page":
                return [
                    ("page", f"/api/incidents/{rng.choice(world.incidents)}") for _ in range(count)
                ]
            picks = [rng.choice(flat) for _ in range(count)]
            return [(kind, "/api/incidents?" + urlencode(q)) for kind, q in picks]

        proc, base = start_server(db, work / "serve.log")
        rows: list[dict[str, Any]] = []
        try:
            for c in clients:
                for scenario in ("list", "page"):
                    drive(base, plan(scenario, min(requests, max(20, 2 * c))), c)  # warm-up
                    server_cpu = process_cpu_seconds(proc.pid)
                    client_cpu = time.process_time()
                    results, wall = drive(base, plan(scenario, requests), c)
                    client_cpu = time.process_time() - client_cpu
                    after = process_cpu_seconds(proc.pid)
                    server_cpu = None if server_cpu is None or after is None else after - server_cpu
                    errors = Counter(status for _, _, status in results if status != 200)
                    by_kind: dict[str, list[float]] = defaultdict(list)
                    for kind, seconds, _ in results:
                        by_kind[kind].append(seconds)
                    rows.append(
                        {
                            "clients": c,
                            "scenario": scenario,
                            "requests": len(results),
                            **percentiles([s for _, s, _ in results]),
                            "requests_per_second": round(len(results) / wall, 1),
                            "wall_seconds": round(wall, 2),
                            "errors": sum(errors.values()),
                            "errors_by_status": {str(k): v for k, v in sorted(errors.items())},
                            "server_cpu_ms_per_request": None
                            if server_cpu is None
                            else round(server_cpu / len(results) * 1000, 2),
                            "client_cpu_ms_per_request": round(client_cpu / len(results) * 1000, 2),
                            "by_kind": {
                                k: {"requests": len(v), **percentiles(v)}
                                for k, v in sorted(by_kind.items())
                            }
                            if scenario == "list"
                            else {},
                        }
                    )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    one = {(r["scenario"]): r for r in rows if r["clients"] == min(clients)}
    versus = {}
    for kind in API_LIST_KINDS:
        if kind in one["list"]["by_kind"] and library[kind]["median_ms"]:
            versus[kind] = round(
                one["list"]["by_kind"][kind]["p50_ms"] / library[kind]["median_ms"], 2
            )
    if library["incident_page"]["median_ms"]:
        versus["incident_page"] = round(
            one["page"]["p50_ms"] / library["incident_page"]["median_ms"], 2
        )
    return {
        "benchmark": "api",
        "seed": seed,
        "incidents": n,
        "articles": world.articles,
        "claims": world.claims,
        "reports": world.reports,
        "database_mb": round(world.size_bytes / MB, 1),
        "generate_seconds": {k: round(v, 2) for k, v in world.seconds.items()},
        "page_size": API_PAGE,
        "list_queries": queries,
        "runs": rows,
        "library": library,
        "ratio_http_p50_vs_library_median": versus,
        "notes": "client threads and the one-process server share the machine's cores; "
        "with more clients than cores the latencies measure queueing",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    }


def print_api(result: dict[str, Any]) -> None:
    g = result["generate_seconds"]
    print(
        f"api: {result['incidents']} incidents ({result['claims']} claims), "
        f"{result['articles']} articles, {result['database_mb']} MB; generated in {g['total']} s "
        f"(schema {g['schema']}, articles {g['articles']}, incidents {g['incidents']}); "
        f"seed {result['seed']}"
    )
    columns = (
        ("clients", 8), ("scenario", 16), ("requests", 9), ("p50 ms", 11), ("p95 ms", 11),
        ("p99 ms", 11), ("max ms", 11), ("req/s", 8), ("errors", 7), ("srv CPU ms/req", 15),
    )  # fmt: skip
    print("".join(f"{name:>{width}}" for name, width in columns))
    for row in result["runs"]:
        lines = [(row["scenario"], row)]
        lines += [(f"  {k}", v) for k, v in row["by_kind"].items()]
        for label, r in lines:
            values = (
                row["clients"], label, r["requests"], r["p50_ms"], r["p95_ms"], r["p99_ms"],
                r["max_ms"], r.get("requests_per_second", ""), r.get("errors", ""),
                r.get("server_cpu_ms_per_request", "") if r is row else "",
            )  # fmt: skip
            print("".join(f"{v!s:>{w}}" for v, (_, w) in zip(values, columns, strict=True)))
        if row["errors"]:
            print(f"  errors by status (0: no response): {row['errors_by_status']}")
    print("library calls in this process (the baseline), median ms, and HTTP p50 at 1 client / it:")
    ratios = result["ratio_http_p50_vs_library_median"]
    for kind, lib in result["library"].items():
        steps = "; ".join(" / ".join(p["plan"]) for p in lib["plans"])
        print(f"  {kind:16}{lib['median_ms']:>9} ms  x{ratios.get(kind, '-'):<6} plan: {steps}")
    print(f"{result['notes']}; machine: {result['machine']}")


WATCH_SOURCES = 100
WATCH_ITEMS = 3  # items per feed


def watch_server(n: int) -> tuple[Any, str, dict[str, bool]]:
    """A threaded HTTP server on 127.0.0.1 serving n feeds (ETag'd) and their small pages;
    ``mode["honour"]`` says whether If-None-Match gets a 304. Returns (server, base URL, mode)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    mode = {"honour": True}
    words = "The convoy reached the town at dawn and officials said the road was open. "
    routes: dict[str, tuple[bytes, str]] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for i in range(n):
        items = []
        for k in range(WATCH_ITEMS):
            path = f"/news/{i}-{k}.html"
            text = f"Report {i}-{k}. " + words * 12
            routes[path] = (
                f"<html><head><title>Report {i}-{k}</title></head><body><article><h1>Report "
                f"{i}-{k}</h1><p>{text}</p><p>{text}</p></article></body></html>".encode(),
                "text/html; charset=utf-8",
            )
            items.append(f"<item><title>Report {i}-{k}</title><link>{base}{path}</link></item>")
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>'
        routes[f"/feed/{i}.xml"] = (
            (feed + "".join(items) + "</channel></rss>").encode(),
            "application/rss+xml",
        )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            found = routes.get(self.path)
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, ctype = found
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if mode["honour"] and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server.RequestHandlerClass = Handler
    server.daemon_threads = True
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base, mode


def bench_watch(n: int, repeat: int) -> dict[str, Any]:
    import httpx

    from overhorizon.records import Source
    from overhorizon.settings import load_settings
    from overhorizon.store import open_store
    from overhorizon.watch.cycle import run_cycle

    server, base, mode = watch_server(n)
    sources = [Source(f"Feed {i}", (f"{base}/feed/{i}.xml",)) for i in range(n)]
    out: dict[str, Any] = {"sources": n, "items_per_feed": WATCH_ITEMS}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "watch.db")
        settings = load_settings(
            env={},
            cwd=Path(tmp),
            overrides={
                "db": db,
                "allow_private_addresses": True,
                "host_interval": 0.0,
                "fetch_retries": 0,
                "workers": 1,
            },
        )
        with open_store(db) as store:
            start = time.perf_counter()
            first = run_cycle(store, sources, settings)  # stores and extracts the pages
            out["first_cycle_seconds"] = round(time.perf_counter() - start, 3)
            out["first_cycle_new_articles"] = first.poll.totals()["new_articles"]
            for label, honour in (("304", True), ("unchanged", False)):
                mode["honour"] = honour
                best, requests, totals = math.inf, 0, {}
                for _ in range(repeat):
                    start = time.perf_counter()
                    cycle = run_cycle(store, sources, settings)
                    best = min(best, time.perf_counter() - start)
                    requests, totals = cycle.poll.requests, cycle.poll.totals()
                out[label] = {
                    "seconds_per_cycle": round(best, 4),
                    "ms_per_source": round(1000 * best / n, 3),
                    "requests": requests,
                    "new_articles": totals["new_articles"],
                    "not_modified": totals["not_modified"],
                    "skipped": totals["skipped"],
                }
    best = math.inf
    with httpx.Client() as client:
        for _ in range(repeat):
            start = time.perf_counter()
            for s in sources:
                client.get(s.urls[0]).raise_for_status()
            best = min(best, time.perf_counter() - start)
    server.shutdown()
    server.server_close()
    out["baseline_bare_httpx_seconds"] = round(best, 4)
    out["ratio_304_vs_bare_httpx"] = round(out["304"]["seconds_per_cycle"] / best, 2)
    out["ratio_unchanged_vs_bare_httpx"] = round(out["unchanged"]["seconds_per_cycle"] / best, 2)
    out["machine"] = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    return out


def print_watch(result: dict[str, Any]) -> None:
    n = result["sources"]
    print(
        f"watch cycle over {n} sources with no news (first cycle: "
        f"{result['first_cycle_seconds']} s, {result['first_cycle_new_articles']} articles)"
    )
    for label in ("304", "unchanged"):
        r = result[label]
        print(
            f"  {label:10} {r['seconds_per_cycle']:>8} s/cycle  {r['ms_per_source']:>7} ms/source"
            f"  requests {r['requests']}  new {r['new_articles']}"
        )
    print(
        f"  bare httpx GETs of the feeds: {result['baseline_bare_httpx_seconds']} s; ratios "
        f"304 x{result['ratio_304_vs_bare_httpx']}, unchanged "
        f"x{result['ratio_unchanged_vs_bare_httpx']}; {result['machine']}"
    )


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
    parser.add_argument("what", choices=["ingest", "extract", "geo", "fuse", "api", "watch"])
    parser.add_argument("--copies", type=int, default=40, help="copies of each sample page")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="geo: skip the gazetteer build; use the one open_gazetteer() finds",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in FUSE_SIZES),
        help="fuse: numbers of reports, comma-separated, smallest first",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="fuse, api: seed of the generated reports/incidents"
    )
    parser.add_argument(
        "--incidents", type=int, default=API_INCIDENTS, help="api: incidents to generate"
    )
    parser.add_argument(
        "--clients",
        default=",".join(str(c) for c in API_CLIENTS),
        help="api: numbers of concurrent clients, comma-separated",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=API_REQUESTS,
        help="api: timed requests per scenario and client count",
    )
    parser.add_argument(
        "--sources", type=int, default=WATCH_SOURCES, help="watch: sources (feeds) to poll"
    )
    args = parser.parse_args()
    if args.what == "watch":
        if args.sources < 1:
            sys.exit("--sources must be at least 1")
        watched = bench_watch(args.sources, args.repeat)
        merge_into_speed_json({"watch": watched})
        print_watch(watched)
        return 0
    if args.what == "api":
        clients = [int(c) for c in args.clients.split(",") if c.strip()]
        if not clients or min(clients) < 1 or args.incidents < 100 or args.requests < 1:
            sys.exit("--clients must be numbers >= 1, --incidents >= 100, --requests >= 1")
        api = bench_api(args.incidents, clients, args.requests, args.seed)
        merge_into_speed_json({"api": api})
        print_api(api)
        return 0
    if args.what == "fuse":
        sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
        if not sizes or sizes != sorted(set(sizes)) or sizes[0] < 10:
            sys.exit(
                f"--sizes must be distinct numbers of at least 10, smallest first: {args.sizes}"
            )
        fused = bench_fuse(sizes, args.repeat, args.seed)
        merge_into_speed_json({"fuse": fused})
        print_fuse(fused)
        return 0
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
