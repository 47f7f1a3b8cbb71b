"""``overhorizon sources``: add, list, remove and check through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import one_line_error
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "sources.toml"


def test_add_list_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    res = run_cli(
        "sources", "add", "TASS", "https://tass.com/rss/v2.xml", "https://tass.ru/rss/v2.xml",
        "--kind", "state_media", "--country", "rus", "--language", "ru",
        "--owner", "government:RUS", "--db", db,
    )  # fmt: skip
    assert res.code == 0, res.stderr
    assert res.stdout.startswith("added TASS: https://tass.com/rss/v2.xml")
    again = run_cli("sources", "add", "tass", "https://tass.com/en", "--db", db)
    assert again.code == 0 and again.stdout.startswith("replaced tass"), again.stderr
    listed = run_cli("sources", "list", "--db", db, "--json", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (row["name"], row["kind"], row["origin"], row["owner"]) == (
        "tass",
        "other",
        "store",
        None,
    )
    table = run_cli("sources", "list", "--db", db, "--file", str(EXAMPLE), cwd=tmp_path)
    assert table.code == 0, table.stderr
    assert "RIA Novosti" in table.stdout and "store" in table.stdout and "file" in table.stdout
    gone = run_cli("sources", "remove", "TASS", "--db", db)
    assert gone.code == 0 and "removed TASS" in gone.stdout
    missing = run_cli("sources", "remove", "TASS", "--db", db)
    assert missing.code == 2
    assert one_line_error(missing.stderr) == (
        "error: no source called 'TASS' in the store: list them with `overhorizon sources list`"
    )


def test_add_refuses_a_bad_source_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    for args, message in (
        (["--kind", "blog"], "source \"X\": kind 'blog' is not one of wire, newspaper"),
        (["--country", "Russia"], "source \"X\": country 'Russia' is not an ISO 3166-1 alpha-3"),
        (["--language", "russian"], "source \"X\": language 'russian' is not an ISO 639-1"),
    ):
        res = run_cli("sources", "add", "X", "https://x.example/feed", *args, "--db", db)
        assert res.code == 2
        assert one_line_error(res.stderr).startswith("error: " + message), res.stderr
    res = run_cli("sources", "add", "X", "file:///etc/passwd", "--db", db)
    assert res.code == 2
    assert "url 'file:///etc/passwd' is not an http(s) URL" in one_line_error(res.stderr)
    assert run_cli("sources", "list", "--db", db, "--json", cwd=tmp_path).stdout == ""


def test_check_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "A"\nurl = "https://a.example/"\nkind = "blog"\n'
        '[[source]]\nname = "a"\nurl = "https://b.example/"\n'
        '[[source]]\nname = "C"\nurl = "https://c.example/"\ncountry = "ZZZ"\n'
    )
    res = run_cli("sources", "check", "--db", "x.db", cwd=tmp_path)  # the default path
    assert res.code == 2, res.stderr
    errors = [line for line in res.stdout.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: sources.toml: source 1 (\"A\"): kind 'blog' is not one of wire, newspaper, "
        "broadcaster, state media, ngo, government, social, other",
        'error: sources.toml: source 2 ("a"): name \'a\' is already used by source 1 ("A")',
        "error: sources.toml: source 3 (\"C\"): country 'ZZZ' is not an ISO 3166-1 alpha-3 code",
    ]
    assert "3 errors" in res.stdout


def test_check_of_the_example_and_of_missing_files(tmp_path: Path) -> None:
    res = run_cli("sources", "check", "--file", str(EXAMPLE), "--db", "x.db", cwd=tmp_path)
    assert res.code == 0, res.stdout + res.stderr
    assert "0 errors" in res.stdout and "from the file" in res.stdout
    # no sources.toml at the default path: an empty registry
    res = run_cli("sources", "check", "--db", "x.db", cwd=tmp_path)
    assert res.code == 0 and res.stdout.startswith("0 sources"), res.stdout
    # a file named on purpose must exist
    res = run_cli("sources", "list", "--file", "nope.toml", "--db", "x.db", cwd=tmp_path)
    assert res.code == 2
    assert one_line_error(res.stderr).startswith(
        "error: nope.toml: the source registry does not exist"
    )
    res = run_cli("sources", "check", "--file", "nope.toml", "--db", "x.db", cwd=tmp_path)
    assert res.code == 2 and "nope.toml: the source registry does not exist" in res.stdout
