"""The real command line: exit statuses, one-line errors, stdin, --db, --report, help."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scripts.docs import command_paths, help_text
from tests.conftest import PgServer, copy_database, run_cli, run_cli_process
from tests.ingest.pages import BODY

GOOD = "Title: Kunduz\nOutlet: Test Desk\nPublished: 2021-08-08\n\n" + BODY + "\n"


def one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def articles_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


def test_all_accepted_exits_0_and_writes_report(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    db, rep = tmp_path / "x.db", tmp_path / "r.json"
    # a smoke test of the real process (python -m overhorizon); most others run in process
    res = run_cli_process("ingest", str(tmp_path / "a.txt"), "--db", str(db), "--report", str(rep))
    assert res.code == 0, res.stderr
    report = json.loads(rep.read_text())
    assert {"accepted", "duplicates", "near_duplicates", "rejected"} <= set(report)
    assert (report["accepted"], report["stored"], report["rejected"]) == (1, 1, [])
    assert "stored (new articles)" in res.stdout
    assert articles_in(db) == 1


def test_something_rejected_exits_1_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_bytes(b"")
    db, rep = tmp_path / "x.db", tmp_path / "r.json"
    res = run_cli("ingest", str(tmp_path), "--db", str(db), "--report", str(rep))
    assert res.code == 1, res.stderr
    report = json.loads(rep.read_text())
    assert report["stored"] == 1
    assert [(r["reason"], Path(r["source"]).name) for r in report["rejected"]] == [
        ("empty", "empty.txt")
    ]
    assert "empty" in res.stdout and "Traceback" not in res.stdout + res.stderr
    assert articles_in(db) == 1


def test_stdin(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    res = run_cli_process("ingest", "-", "--db", str(db), stdin=GOOD.encode())  # smoke test
    assert res.code == 0, res.stderr
    assert articles_in(db) == 1


def test_default_db_in_cwd_and_env_var(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    res = run_cli("ingest", "a.txt", "-q", cwd=tmp_path)
    assert res.code == 0 and (tmp_path / "overhorizon.db").is_file()
    res = run_cli("ingest", "a.txt", "-q", cwd=tmp_path, env={"OVERHORIZON_DB": "env.db"})
    assert res.code == 0 and articles_in(tmp_path / "env.db") == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["ingest", "does-not-exist.txt"], "does-not-exist.txt"),
        (["ingest", "a.txt", "--db", "no/such/dir/x.db"], "no/such/dir"),
        (["ingest", "a.txt", "--db", "notes.txt"], "notes.txt"),
        (["ingest", "a.txt", "--db", "oracle://u@h/x"], "oracle"),
        (["ingest", "a.txt", "--report", "no/such/dir/r.json"], "--report"),
        (["ingest", "a.txt", "--bogus"], "--bogus"),
        (["ingest"], "PATH"),
        (["articles", "--limit", "zero"], "--limit"),
        (["articles", "--limit", "0"], "--limit"),
        (["nonsense"], "nonsense"),
    ],
)
def test_usage_and_config_errors_exit_2_with_one_line(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("not a database " * 100)
    res = run_cli(*args, cwd=tmp_path)
    assert res.code == 2, (res.stdout, res.stderr)
    assert needle in one_line_error(res.stderr)
    assert (tmp_path / "notes.txt").read_text().startswith("not a database")


def test_bad_setting_from_environment_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    env = {"OVERHORIZON_BATCH_SIZE": "lots"}
    res = run_cli_process("ingest", "a.txt", cwd=tmp_path, env=env)  # smoke test
    assert res.code == 2
    line = one_line_error(res.stderr)
    assert "OVERHORIZON_BATCH_SIZE" in line and "docs/settings.md" in line


def test_bad_config_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "overhorizon.toml").write_text("near_duplicate_threshold = 7\n")
    res = run_cli("ingest", "a.txt", cwd=tmp_path)
    assert res.code == 2
    assert "near_duplicate_threshold" in one_line_error(res.stderr)


def test_db_upgrade_and_stats(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    first = run_cli("db", "upgrade", "--db", db)
    again = run_cli("db", "upgrade", "--db", db)
    versions = Path(__file__).resolve().parents[2] / "overhorizon/store/migrations/versions"
    head = max(p.name[:4] for p in versions.glob("0*.py"))
    assert first.code == 0 and f"upgraded from empty to {head}" in first.stdout
    assert again.code == 0 and f"already at revision {head}" in again.stdout
    stats = run_cli("db", "stats", "--db", db)
    assert stats.code == 0 and "articles" in stats.stdout


def test_every_command_has_help_with_an_example() -> None:
    for words in command_paths():
        text = help_text(words)
        assert "Usage:" in text
        if words and words != ["db"]:
            assert "Example: overhorizon " + " ".join(words) in text, words


def test_file_names_are_shown_as_text_not_markup(tmp_path: Path) -> None:
    d = tmp_path / "c" / "["
    d.mkdir(parents=True)
    (d / "oops].txt").write_bytes(b"")
    (tmp_path / "c" / "[bold]x.txt").write_bytes(b"")
    res = run_cli("ingest", "c", "--db", "t.db", cwd=tmp_path)
    assert res.code == 1 and "Traceback" not in res.stderr + res.stdout
    assert "[bold]x.txt" in res.stdout and "oops].txt" in res.stdout.replace("\n", "")


@pytest.mark.postgres
def test_ingest_into_postgresql_by_url(tmp_path: Path, pg_server: PgServer) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    url = pg_server.create_database()
    first = run_cli("ingest", "a.txt", "--db", url, cwd=tmp_path)
    again = run_cli("ingest", "a.txt", "--db", url, "-q", cwd=tmp_path)
    assert (first.code, again.code) == (0, 0), first.stderr
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*), max(outlet) from articles").fetchone()
    assert row == (1, "Test Desk")


STRIKE = (
    "Title: Strike\nOutlet: Test Desk\nPublished: 2021-08-30\n\n"
    "A US drone strike hit a car in Kabul on Sunday, killing 10 civilians, including seven "
    "children, relatives said.\n"
)


def test_extract_json_one_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STRIKE)
    res = run_cli("extract", "a.txt", "--json", cwd=tmp_path)
    assert res.code == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) >= {"article", "actors", "places", "events", "casualties", "attributions"}
    assert data["source"] == "a.txt"
    (strike,) = [e for e in data["events"] if e["type"] == "ASSAULT"]
    assert strike["date"]["start"] == "2021-08-29" and strike["mode"] == "drone"
    assert {c["group"]: c["killed"]["best"] for c in data["casualties"]} == {
        "civilians": 10,
        "children": 7,
    }


def test_extract_jsonl_in_input_order_with_ids(tmp_path: Path) -> None:
    lines = [
        {"id": "first", "text": "Taliban fighters attacked a police post in Ghazni."},
        {"id": "second", "text": "Putin offered the US the use of bases in Tajikistan."},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    res = run_cli("extract", "a.jsonl", "--jsonl", "--published", "2021-07-17", cwd=tmp_path)
    assert res.code == 0, res.stderr
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["source"] for x in out] == ["first", "second"]
    assert out[0]["article"]["published"] == "2021-07-17"
    assert [e["type"] for e in out[1]["events"]] == ["AGREE"]
    assert out[1]["events"][0]["modality"] == "offered"


def test_extract_json_refuses_several_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STRIKE)
    (tmp_path / "b.txt").write_text(STRIKE.replace("Kabul", "Jalalabad"))
    res = run_cli("extract", ".", "--json", cwd=tmp_path)
    assert res.code == 2
    assert "--jsonl" in one_line_error(res.stderr)


def test_run_extracts_once_and_lists_events(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STRIKE)
    first = run_cli_process("run", "a.txt", "--db", "x.db", cwd=tmp_path)  # smoke test
    again = run_cli("run", "a.txt", "--db", "x.db", cwd=tmp_path)
    assert (first.code, again.code) == (0, 0), first.stderr

    def extracted(out: str) -> str:
        line = next(x for x in out.splitlines() if "articles extracted now" in x)
        return line.replace("│", "").split()[-1]

    assert (extracted(first.stdout), extracted(again.stdout)) == ("1", "0")
    with sqlite3.connect(tmp_path / "x.db") as conn:
        rows = conn.execute(
            "select type, mode, date_start, evidence_start, evidence_end from events"
        ).fetchall()
        deaths = conn.execute("select sum(killed_best) from casualties where part_of is null")
        assert deaths.fetchone()[0] == 10
        said = conn.execute(
            "select a.cue, a.stance from attributions a join events e on e.article_id ="
            " a.article_id and e.attribution = a.attribution_id where e.type = 'ASSAULT'"
        ).fetchall()
        assert ("said", "asserts") in said
    assert ("ASSAULT", "drone", "2021-08-29") in {r[:3] for r in rows}
    listing = run_cli("events", "--db", "x.db", cwd=tmp_path)
    assert listing.code == 0 and "Air/drone strike" in listing.stdout
    assert "Kabul (1)" in listing.stdout


def test_geocode_ranks_candidates_in_context(tmp_path: Path) -> None:
    res = run_cli("geocode", "Kabul", cwd=tmp_path)
    assert res.code == 0, res.stderr
    first = next(line for line in res.stdout.splitlines() if "→" in line)
    assert "Kabul" in first and "AFG" in first and "precision 1" in first
    res = run_cli(
        "geocode", "Georgia", "--context", "Voters in Atlanta queued for hours.", cwd=tmp_path
    )
    first = next(line for line in res.stdout.splitlines() if "→" in line)
    assert "USA" in first
    res = run_cli("geocode", "Xyzzyville", cwd=tmp_path)
    assert res.code == 1 and "no place fits" in res.stdout


def test_unusable_gazetteer_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the gazetteer's folder should be")
    res = run_cli(
        "geocode", "Kabul", cwd=tmp_path, env={"OVERHORIZON_GAZETTEER": str(blocker / "g.sqlite")}
    )
    assert res.code == 2
    assert "OVERHORIZON_GAZETTEER" in one_line_error(res.stderr)


def test_gazetteer_setting_in_a_config_file(tmp_path: Path) -> None:
    """The ``gazetteer`` setting names the file, as OVERHORIZON_GAZETTEER does: nothing is built
    in the cache directory."""
    import os

    cache = tmp_path / "cache"
    cache.mkdir()
    conf = tmp_path / "my.toml"
    conf.write_text(f'gazetteer = "{os.environ["OVERHORIZON_GAZETTEER"]}"\n')
    env = {"OVERHORIZON_GAZETTEER": "", "XDG_CACHE_HOME": str(cache)}
    res = run_cli("geocode", "the Gulf", "--config", str(conf), cwd=tmp_path, env=env)
    assert res.code == 0, res.stderr
    first = next(line for line in res.stdout.splitlines() if "→" in line)
    assert "region" in first and "overhorizon-regions:" in first
    assert list(cache.iterdir()) == []


def test_incidents_show_split_and_merge_on_the_sample(tmp_path: Path, sample_run: Path) -> None:
    # this test's own copy of `overhorizon run overhorizon/sample` (tests/conftest.py)
    copy_database(sample_run, tmp_path / "s.db")
    listed = run_cli("incidents", "--db", "s.db", "--near", "Kabul", "--json", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    (strike,) = [r for r in rows if r["mode"] == "drone" and r["date_start"] == "2021-08-29"]
    assert strike["grade"] == "confirmed"
    shown = run_cli("show", strike["id"], "--db", "s.db", cwd=tmp_path)
    assert shown.code == 0, shown.stderr
    assert "confirmed" in shown.stdout and "admission:" in shown.stdout
    assert "Lantern Post" in shown.stdout and "“" in shown.stdout  # claims with sentences
    # split one report out: it gets an incident of its own and stays apart after a re-fuse
    report = strike["summary"]["reports"][-1]
    split = run_cli("incidents", "split", strike["id"], report, "--db", "s.db", cwd=tmp_path)
    assert split.code == 0, split.stderr
    run_cli("fuse", "--db", "s.db", cwd=tmp_path)
    again = run_cli(
        "incidents",
        "--db",
        "s.db",
        "--json",
        "--min-articles",
        "1",
        "--limit",
        "9999",
        cwd=tmp_path,
    )
    after = [json.loads(line) for line in again.stdout.splitlines()]
    (holder,) = [r for r in after if report in r["summary"]["reports"]]
    main = next(r for r in after if strike["summary"]["reports"][0] in r["summary"]["reports"])
    assert report not in main["summary"]["reports"] and holder["id"] != main["id"]
    # and merged back by hand: one incident holds both again, after any later fusion too
    merged = run_cli("incidents", "merge", main["id"], holder["id"], "--db", "s.db", cwd=tmp_path)
    assert merged.code == 0, merged.stderr
    run_cli("fuse", "--db", "s.db", cwd=tmp_path)
    listing = ("incidents", "--db", "s.db", "--json", "--min-articles", "1", "--limit", "9999")
    final = run_cli(*listing, cwd=tmp_path)
    rows = [json.loads(line) for line in final.stdout.splitlines()]
    assert any(
        {report, strike["summary"]["reports"][0]} <= set(r["summary"]["reports"]) for r in rows
    )


def test_incidents_refuses_a_date_that_is_not_iso(tmp_path: Path) -> None:
    res = run_cli("incidents", "--since", "last week", "--db", "x.db", cwd=tmp_path)
    assert res.code == 2 and "is not a date (YYYY-MM-DD)" in res.stderr
