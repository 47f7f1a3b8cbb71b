"""The app layer: ``run`` over a few short articles of our own, the same as ``overhorizon run``
stores, and its progress callback, phase by phase; the CLI's progress bars."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

from rich.console import Console

from overhorizon.app import (
    FUSE_STEPS,
    PHASES,
    ProgressEvent,
    extract_pending,
    fuse_stored,
    run,
)
from overhorizon.cli.progress import progress_bars
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.watch.rules import add_rule
from tests.conftest import run_cli

# Written for these tests: two outlets on one roadside bombing, a third article on a raid
# elsewhere two days later.
ARTICLES = {
    "wire.txt": """Title: Roadside bomb kills four soldiers near Kandahar
Outlet: Test Wire
Published: 2022-03-14

A roadside bomb killed four soldiers on a highway outside Kandahar on Monday, a provincial
police spokesman said. The blast struck an army truck on its way to the city, he said.
""",
    "harbour.txt": """Title: Soldiers killed in Kandahar highway blast
Outlet: Harbour Daily
Published: 2022-03-14

Four soldiers were killed when a bomb hidden by the road exploded near Kandahar on Monday,
an army officer told Harbour Daily. No group said it had planted the bomb.
""",
    "raid.txt": """Title: Gunmen attack checkpoint in Herat
Outlet: Test Wire
Published: 2022-03-16

Gunmen attacked a police checkpoint in Herat on Wednesday and killed two guards, the
provincial governor's office said in a statement.
""",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def stored(db: Path) -> dict[str, Any]:
    """What a run left in the database: row counts and the incidents' ids and reports."""
    with sqlite3.connect(db) as conn:
        counts = {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("articles", "extractions", "actors", "events", "casualties", "incidents")
        }
        links = conn.execute(
            "select incident_id, article_id, event_id, role from incident_reports order by 1, 2, 3"
        ).fetchall()
    return {**counts, "links": links}


def test_run_stores_what_the_cli_stores_and_reports_each_phase(
    tmp_path: Path, settings: Settings, nlp: Any
) -> None:
    news = write_articles(tmp_path / "news")
    events: list[ProgressEvent] = []
    with open_store(settings.db) as store:
        add_rule(store, settings, {"name": "afghanistan", "country": "AFG", "backfill": True})
        done = run([str(news)], store, settings, progress=events.append, load=lambda: nlp)
    assert done.ingest.stored == 3 and not done.ingest.rejected
    assert done.extraction.articles == 3 and done.extraction.events >= 2
    assert done.saved.incidents >= 2  # the bombing and the raid are not one happening
    assert done.alerts.rules == 1

    assert [e.phase for e in events] == sorted((e.phase for e in events), key=PHASES.index)
    for phase in PHASES:
        seen = [e for e in events if e.phase == phase]
        assert seen, f"no progress for {phase}"
        dones = [e.done for e in seen]
        assert dones == sorted(dones), f"{phase} went back: {dones}"
        assert seen[-1].done == seen[-1].total, f"{phase} ended at {dones[-1]} of {seen[-1].total}"
    extract = [e for e in events if e.phase == "extract"]
    assert {e.total for e in extract} == {3}  # known from the start
    assert [e.done for e in extract][-3:] == [1, 2, 3]  # one event per article
    assert [e.done for e in events if e.phase == "fuse"] == list(range(FUSE_STEPS + 1))
    assert [e.done for e in events if e.phase == "alerts"][-1] == 1  # one rule

    cli = run_cli("run", str(news), "--db", "cli.db", cwd=tmp_path)
    assert cli.code == 0, cli.stderr
    assert stored(Path(settings.db)) == stored(tmp_path / "cli.db")
    assert "━" not in cli.stderr and "extract " not in cli.stderr  # not a terminal: no bars


def test_a_second_run_extracts_nothing_and_fusion_still_ends(
    tmp_path: Path, settings: Settings, nlp: Any
) -> None:
    news = write_articles(tmp_path / "news")
    with open_store(settings.db) as store:
        run([str(news)], store, settings, load=lambda: nlp)
        before = stored(Path(settings.db))
        events: list[ProgressEvent] = []
        counts = extract_pending(store, settings, load=lambda: nlp, progress=events.append)
        reports, saved = fuse_stored(store, incremental=True, progress=events.append)
        store.checkpoint()
    assert counts.articles == 0 and saved.written == 0 and reports >= 2
    assert events[0] == ProgressEvent("extract", 0, 0, "")
    assert [(e.phase, e.done, e.total) for e in events[1:]] == [
        ("fuse", n, FUSE_STEPS) for n in range(FUSE_STEPS + 1)
    ]
    assert stored(Path(settings.db)) == before


def test_bars_are_drawn_on_a_terminal_only() -> None:
    events = [ProgressEvent("ingest", 0, 2, "a.txt"), ProgressEvent("ingest", 2, 2, "")]
    events += [ProgressEvent("extract", n, 3, f"article {n}") for n in range(4)]
    events += [ProgressEvent("fuse", n, FUSE_STEPS, "step") for n in range(FUSE_STEPS + 1)]

    def drawn(console: Console, *, quiet: bool = False) -> str:
        with progress_bars(console, quiet=quiet) as show:
            for e in events:
                show(e)
        out = console.file
        assert isinstance(out, io.StringIO)
        return out.getvalue()

    terminal = drawn(Console(file=io.StringIO(), force_terminal=True, width=160))
    for phase, count in (("ingest", "2/2"), ("extract", "3/3"), ("fuse", "3/3")):
        assert phase in terminal and count in terminal
    assert "article 3" in terminal  # the last item is always drawn (others at most 10 a second)
    assert drawn(Console(file=io.StringIO(), force_terminal=False, width=160)) == ""
    assert drawn(Console(file=io.StringIO(), force_terminal=True, width=160), quiet=True) == ""
