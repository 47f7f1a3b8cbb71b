"""The hostile corpus, end to end: every bad input gets its reason code, no good article is lost,
nothing is stored twice, and nothing ends the run. Through the real CLI into a SQLite file, and
through the library into SQLite and PostgreSQL (which refuses NUL characters)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from overhorizon.ingest.run import ingest
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.schema import article_sources, articles
from tests.conftest import CliResult, run_cli
from tests.hostile.corpus import Corpus, build

pytestmark = pytest.mark.slow

# The CLI holds at most one document (10 MB) and a chunk at a time; reading the 60 MB file or
# the 1 GB gzip bomb whole would go far past this.
MAX_RSS_BYTES = 600 * 1024 * 1024
CLI_TIMEOUT = 300.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build(tmp_path_factory.mktemp("hostile") / "corpus")


@dataclass
class Stored:
    """What a run left in the database, read back with plain SQL."""

    rows: list[dict[str, object]]
    sources: int

    @property
    def texts(self) -> list[str]:
        return [str(r["text"]) for r in self.rows]


def relative(source: str, root: Path) -> str:
    prefix = str(root) + "/"
    assert source.startswith(prefix), source
    return source[len(prefix) :]


def owner(source: str, corpus: Corpus) -> str:
    """The manifest file a rejection source belongs to (``f``, ``f:line``, ``f#record``)."""
    for name in sorted(corpus.manifest, key=len, reverse=True):
        if source == name or source.startswith((name + ":", name + "#")):
            return name
    return source  # not in the manifest: shows up as an extra entry in the comparison


def check_accounted(corpus: Corpus, rejected: list[tuple[str, str]], stored: Stored) -> None:
    """Every file gave exactly its articles and its rejections; nothing else was stored."""
    assert all(e.needles or e.rejections for e in corpus.manifest.values())
    sources = [relative(s, corpus.root) for s, _ in rejected]
    assert not [s for s, n in Counter(sources).items() if n > 1], "a source rejected twice"
    assert dict(zip(sources, [r for _, r in rejected], strict=True)) == corpus.rejections
    observed: dict[str, tuple[list[str], dict[str, str]]] = {
        name: ([], {}) for name in corpus.manifest
    }
    for source, (_, reason) in zip(sources, rejected, strict=True):
        observed.setdefault(owner(source, corpus), ([], {}))[1][source] = reason
    for name, expect in corpus.manifest.items():
        for needle in expect.needles:
            holders = [t for t in stored.texts if needle in t]
            assert len(holders) <= 1, f"{name}: {needle!r} stored {len(holders)} times"
            if holders:
                observed[name][0].append(needle)
    expected = {name: (e.needles, e.rejections) for name, e in corpus.manifest.items()}
    assert observed == expected
    # Nothing stored that the manifest does not name: no half of a truncated file, no bomb.
    assert len(stored.rows) == sum(e.articles for e in corpus.manifest.values())
    for name, expect in corpus.manifest.items():
        for phrase in expect.phrases:
            (text,) = [t for t in stored.texts if expect.needles[0] in t]
            assert phrase in text, f"{name}: {phrase!r} not decoded as written"


def check_contents(corpus: Corpus, stored: Stored) -> None:
    """Stored values are clean text: no NULs, no BOMs, and the page's words, not its scripts."""
    for row in stored.rows:
        for key, value in row.items():
            for piece in value if isinstance(value, list) else [value]:
                if isinstance(piece, str):
                    assert "\x00" not in piece, f"NUL stored in {key}"
                    assert "\ufeff" not in piece, f"BOM stored in {key}"
    (xss,) = [r for r in stored.rows if corpus.manifest["xss.html"].needles[0] in str(r["text"])]
    text, title = str(xss["text"]), str(xss["title"])
    # The script elements' code is not text a reader of the page saw, in the body or the title
    # (taken from the <h1>, whose <script> child must not leak into it)...
    assert corpus.xss_script_code not in text
    assert corpus.xss_script_code not in title
    assert title.split() == list(corpus.xss_title_words)
    # ...but markup the page showed as text is kept as the characters it showed.
    assert corpus.xss_visible_markup in text


def sqlite_stored(db: Path) -> Stored:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute("SELECT * FROM articles")]
        for r in rows:
            r["authors"] = json.loads(str(r["authors"]))
            del r["minhash"]
        (sources,) = conn.execute("SELECT count(*) FROM article_sources").fetchone()
    finally:
        conn.close()
    return Stored(rows, int(sources))


#: Runs the command given and writes its peak resident memory (kB) to the file given first.
#: The CLI is started from this small process, not from the test process: a child forked from
#: a process keeps that process's resident memory as its own high-water mark across exec, so
#: measured straight from a test worker that loaded the pipeline, ``ru_maxrss`` would be that
#: worker's size, not the CLI's.
_MEASURE = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_cli_measured(*args: str, workdir: Path) -> tuple[CliResult, int]:
    """Run the CLI as ``run_cli`` does and return its peak resident memory in bytes, too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERHORIZON_")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    out_path, err_path = workdir / "cli.out", workdir / "cli.err"
    peak_path = workdir / "cli.maxrss"
    command = [sys.executable, "-c", _MEASURE, str(peak_path), sys.executable, "-m"]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [*command, "overhorizon", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=workdir,
            start_new_session=True,  # so that a timeout stops the CLI under the measurer too
        )
        try:
            proc.wait(timeout=CLI_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"overhorizon {' '.join(args)} ran over {CLI_TIMEOUT} s")
    result = CliResult(
        proc.returncode,
        out_path.read_text("utf-8", "replace"),
        err_path.read_text("utf-8", "replace"),
    )
    return result, int(peak_path.read_text()) * 1024  # kilobytes on Linux


def run_report(
    corpus: Corpus, db: Path, report: Path, *, measure: bool = False
) -> tuple[int, dict[str, object], int]:
    args = ("ingest", str(corpus.root), "--db", str(db), "--report", str(report))
    rss = 0
    if measure:
        result, rss = run_cli_measured(*args, workdir=report.parent)
    else:
        result = run_cli(*args, cwd=report.parent)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    return result.code, json.loads(report.read_text("utf-8")), rss


def rejected_pairs(report: dict[str, object]) -> list[tuple[str, str]]:
    items = report["rejected"]
    assert isinstance(items, list)
    return [(r["source"], r["reason"]) for r in items]


def test_cli_reads_the_hostile_corpus_and_loses_nothing(corpus: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    code, report, peak_rss = run_report(corpus, db, tmp_path / "first.json", measure=True)
    assert code == 1, "something was rejected: exit status 1"
    first = rejected_pairs(report)
    stored = sqlite_stored(db)
    check_accounted(corpus, first, stored)
    check_contents(corpus, stored)
    assert report["accepted"] == report["stored"] == len(corpus.needles)
    assert report["duplicates"] == report["unchanged"] == report["near_duplicates"] == 0
    assert stored.sources == len(corpus.needles)
    # Memory stayed bounded: the 60 MB file and the 1 GB bomb were never read whole.
    assert 0 < peak_rss < MAX_RSS_BYTES, f"peak RSS {peak_rss / 2**20:.0f} MiB"

    code, again, _ = run_report(corpus, db, tmp_path / "second.json")
    assert code == 1
    assert again["stored"] == 0
    assert again["unchanged"] == again["accepted"] == len(corpus.needles)
    assert sorted(rejected_pairs(again)) == sorted(first)
    after = sqlite_stored(db)
    assert len(after.rows) == len(stored.rows)
    assert after.sources == stored.sources
    assert sorted(after.texts) == sorted(stored.texts)


@pytest.mark.postgres
def test_library_reads_the_hostile_corpus_into_each_database(
    corpus: Corpus, db_url: str, settings: Settings
) -> None:
    def run() -> tuple[list[tuple[str, str]], Stored, int]:
        with open_store(db_url) as store:
            rep = ingest([str(corpus.root)], store, settings)
            rows = [dict(r._mapping) for r in store.conn.execute(select(articles))]
            for r in rows:
                del r["minhash"]
            n_sources = store.conn.execute(
                select(func.count()).select_from(article_sources)
            ).scalar_one()
        assert rep.accepted == len(corpus.needles)
        return [(r.source, r.reason) for r in rep.rejected], Stored(rows, n_sources), rep.stored

    first, stored, n_new = run()
    assert n_new == len(corpus.needles)
    check_accounted(corpus, first, stored)
    check_contents(corpus, stored)

    again, after, n_new = run()
    assert n_new == 0
    assert sorted(again) == sorted(first)
    assert sorted(after.texts) == sorted(stored.texts)
    assert after.sources == stored.sources == len(corpus.needles)
