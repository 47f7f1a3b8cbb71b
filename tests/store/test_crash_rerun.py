"""SIGKILL mid-ingest, then run again: every article stored exactly once, one source row per
place it was seen, the same near-duplicate links as a clean run, and the killed run left
'running'. Against a SQLite file and a PostgreSQL database, through the real CLI."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from overhorizon.ingest.run import ingest
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.schema import article_sources, articles, ingest_runs
from tests.conftest import PgServer, run_cli

pytestmark = pytest.mark.slow

SEED = 20210829
BATCH_ENV = {"OVERHORIZON_BATCH_SIZE": "10"}  # commit every 10 articles: many points to die at
SCALES = (1, 2, 4)  # corpus size multipliers: a run that ends before the kill gets a larger one
POLL_SECONDS = 0.02
RUN_TIMEOUT = 120.0
ORPHAN_GRACE_SECONDS = 5.0

_PROSE = (
    "ministry officials reported heavy shelling near the northern district overnight while "
    "residents fled toward the coast aid convoys waited at the checkpoint for clearance local "
    "authorities confirmed that the bridge was damaged and the market remained closed witnesses "
    "described gunfire before dawn a spokesman for the regional council said talks would resume "
    "hospitals received wounded civilians and engineers began repairing power lines"
)
_WORDS = _PROSE.split()


@dataclass
class CrashCorpus:
    """A corpus of small articles: ``needles`` has one sentence per distinct article (each in
    exactly one), ``locators`` every place an article is seen, relative to ``root``."""

    root: Path
    needles: list[str] = field(default_factory=list)
    locators: set[str] = field(default_factory=set)
    near_duplicates: int = 0


def build(root: Path, scale: int) -> CrashCorpus:
    """Write ~400 × ``scale`` documents: .txt files, one big .jsonl, an RSS feed, with exact
    duplicates (the same text from another source) and near-duplicates (a few words changed)."""
    rng = random.Random(SEED)
    c = CrashCorpus(root)
    bodies: list[tuple[str, list[str]]] = []  # (needle, words of the body after it)

    def needle() -> str:
        n = f"Dispatch {len(c.needles) + 1} carries reference {rng.randrange(10**8, 10**9)}."
        c.needles.append(n)
        return n

    def body() -> tuple[str, list[str]]:
        words = [rng.choice(_WORDS) for _ in range(120)]
        return needle(), words

    def text(n: str, words: list[str]) -> str:
        paras = [" ".join(words[i : i + 40]) + "." for i in range(0, len(words), 40)]
        return n + " " + "\n\n".join(paras)

    def day() -> str:
        return f"2021-08-{rng.randint(1, 28):02d}"

    def txt(rel: str, title: str, content: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title: {title}\nPublished: {day()}\n\n{content}\n", "utf-8")
        c.locators.add(rel)

    for i in range(150 * scale):
        bodies.append(body())
        txt(f"txt/{i:04d}.txt", f"Report {i}", text(*bodies[-1]))
    for i in range(30 * scale):  # near-duplicates: a new needle and two words changed
        _, words = bodies[rng.randrange(len(bodies))]
        words = list(words)
        for pos in rng.sample(range(len(words)), 2):
            words[pos] = "reportedly"
        txt(f"near/{i:04d}.txt", f"Rewrite {i}", text(needle(), words))
        c.near_duplicates += 1
    for i in range(20 * scale):  # exact duplicates: the same text under another title
        txt(f"dups/{i:04d}.txt", f"Copy {i}", text(*bodies[rng.randrange(len(bodies))]))
    lines = []
    for i in range(150 * scale):
        # Every 15th line is an exact duplicate of a .txt article.
        content = text(*bodies[rng.randrange(len(bodies))]) if i % 15 == 7 else text(*body())
        lines.append(
            json.dumps({"id": f"w{i}", "title": f"Line {i}", "text": content, "published": day()})
        )
        c.locators.add(f"wire.jsonl:{i + 1}")
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    items = []
    for i in range(40 * scale):
        items.append(
            f"<item><title>Item {i}</title><link>https://example.org/{i}</link>"
            f"<description>{text(*body())}</description>"
            f"<pubDate>Sun, {rng.randint(1, 28):02d} Aug 2021 10:00:00 GMT</pubDate></item>"
        )
        c.locators.add(f"feed.rss#entry={i + 1}")
    (root / "feed.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Wire</title><link>https://example.org/</link>"
        + "".join(items)
        + "</channel></rss>\n",
        "utf-8",
    )
    return c


# --- the killed run -------------------------------------------------------------------------
Counter = Callable[[], int | None]


def sqlite_counter(db: Path) -> Counter:
    """Count stored articles read-only; None while the file or table is missing or locked."""

    def count() -> int | None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
            try:
                return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.OperationalError:  # no file or table yet, or 'database is locked'
            return None

    return count


def pg_counter(url: str) -> Counter:
    def count() -> int | None:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
                return int(row[0]) if row else None
        except psycopg.errors.UndefinedTable:  # migrations not applied yet
            return None

    return count


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    return {**env, **BATCH_ENV, "NO_COLOR": "1"}


def descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (ingest's worker pool and its resource tracker), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended while we looked
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            out.add(pid)
    return out


def check_no_orphans(pids: set[int]) -> None:
    """A killed ingest must not leave worker processes behind, waiting forever for work."""
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(pids)
    for pid in left:  # ours to clean up: they were started by the ingest this test started
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} processes of the killed ingest outlived it"


def start_and_kill(corpus: CrashCorpus, db: str, count: Counter, workdir: Path) -> int | None:
    """Start ingest, SIGKILL it once some articles but not all are committed; return how many
    were, or None when the run ended (or stored all) before it could be killed mid-way."""
    with open(workdir / "killed.out", "wb") as out, open(workdir / "killed.err", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "overhorizon", "ingest", str(corpus.root), "--db", db, "-q"],
            cwd=workdir,
            env=cli_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        below: set[int] = set()
        try:
            deadline = time.monotonic() + RUN_TIMEOUT
            while proc.poll() is None:
                assert time.monotonic() < deadline, "the first run neither progressed nor ended"
                n = count()
                if n is not None and len(corpus.needles) // 2 <= n < len(corpus.needles):
                    below = descendants(proc.pid)
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                time.sleep(POLL_SECONDS)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if proc.returncode != -signal.SIGKILL:
        return None  # finished before we saw a partial state: the caller retries, larger
    check_no_orphans(below)
    after = count()
    assert after is not None
    return after if after < len(corpus.needles) else None


@dataclass
class Outcome:
    corpus: CrashCorpus
    db: str
    committed_before_kill: int
    report: dict[str, object]


def crash_and_rerun(
    tmp_path: Path, new_db: Callable[[Path], str], counter: Callable[[str], Counter]
) -> Outcome:
    for attempt, scale in enumerate(SCALES):
        work = tmp_path / f"attempt{attempt}"
        corpus = build(work / "corpus", scale)
        db = new_db(work)
        committed = start_and_kill(corpus, db, counter(db), work)
        if committed is not None:
            break
    else:
        pytest.fail(f"ingest always finished before it could be killed (scales {SCALES})")
    assert "Traceback" not in (work / "killed.err").read_text("utf-8", "replace")
    report_path = work / "rerun.json"
    result = run_cli(
        "ingest",
        str(corpus.root),
        "--db",
        db,
        "--report",
        str(report_path),
        cwd=work,
        env=BATCH_ENV,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    assert result.code == 0, result.stderr[-3000:]
    report = json.loads(report_path.read_text("utf-8"))
    return Outcome(corpus, db, committed, report)


# --- what both databases must hold afterwards -----------------------------------------------
def near_links(db: str) -> set[tuple[str, str]]:
    with open_store(db) as store:
        rows = store.conn.execute(
            select(articles.c.id, articles.c.near_duplicate_of).where(
                articles.c.near_duplicate_of.is_not(None)
            )
        ).all()
    return {(r.id, r.near_duplicate_of) for r in rows}


def check_exactly_once(out: Outcome, clean_db: str) -> None:
    c = out.corpus
    assert 0 < out.committed_before_kill < len(c.needles), "the kill was not mid-way"
    # The re-run stored exactly what the killed run had not committed.
    assert out.report["stored"] == len(c.needles) - out.committed_before_kill
    assert out.report["rejected"] == []
    with open_store(out.db) as store:
        conn = store.conn
        texts = conn.execute(select(articles.c.text)).scalars().all()
        sources = conn.execute(select(article_sources.c.locator, article_sources.c.article_id))
        sources = [tuple(r) for r in sources]
        runs = conn.execute(
            select(ingest_runs.c.status, ingest_runs.c.finished_at).order_by(ingest_runs.c.id)
        ).all()
        dangling = conn.execute(
            select(func.count())
            .select_from(article_sources)
            .where(article_sources.c.article_id.not_in(select(articles.c.id)))
        ).scalar_one()
    assert len(texts) == len(set(texts)) == len(c.needles)
    for needle in c.needles:
        assert sum(needle in t for t in texts) == 1, needle
    # One source row per place an article was seen: none lost, none twice.
    assert len(sources) == len(set(sources)) == len(c.locators)
    prefix = str(c.root) + "/"
    assert {loc.removeprefix(prefix) for loc, _ in sources} == c.locators
    assert dangling == 0
    assert [r.status for r in runs] == ["running", "finished"]
    assert runs[0].finished_at is None and runs[1].finished_at is not None
    links = near_links(out.db)
    assert len(links) >= c.near_duplicates // 2, "too few near-duplicates found to compare"
    assert links == near_links(clean_db)


def clean_run(corpus: CrashCorpus, db: str, settings: Settings) -> str:
    with open_store(db) as store:
        rep = ingest([str(corpus.root)], store, settings)
    assert rep.stored == len(corpus.needles)
    return db


def test_sigkill_then_rerun_stores_each_article_once_sqlite(
    tmp_path: Path, settings: Settings
) -> None:
    out = crash_and_rerun(
        tmp_path, lambda work: str(work / "crash.db"), lambda db: sqlite_counter(Path(db))
    )
    check_exactly_once(out, clean_run(out.corpus, str(tmp_path / "clean.db"), settings))


@pytest.mark.postgres
def test_sigkill_then_rerun_stores_each_article_once_postgresql(
    tmp_path: Path, settings: Settings, pg_server: PgServer
) -> None:
    out = crash_and_rerun(tmp_path, lambda work: pg_server.create_database(), pg_counter)
    check_exactly_once(out, clean_run(out.corpus, pg_server.create_database(), settings))
