"""The accuracy gate: bench/accuracy.py --quick --check holds against bench/baseline.json, and
the gate really fails when a figure is below its floor or a corpus changed."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench import accuracy, accuracy_quotes

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed"


def bench_input(name: str) -> Path:
    path = DATA / name / "dev.jsonl"
    assert path.is_file(), f"{path} is missing: the accuracy gate needs ../shared/data"
    return path


@dataclass
class BenchRun:
    returncode: int
    stdout: str
    stderr: str


def bench(*args: str, out: Path) -> BenchRun:
    """Run the accuracy bench (its ``main``, in this process with the session's pipeline), as
    a user or CI does; its figures go to ``out`` (a temporary file: a test never overwrites
    bench/out/)."""
    for need in (DATA, SEED):
        assert need.is_dir(), (
            f"{need} is missing: the accuracy gate needs ../shared beside the repo"
        )
    stdout, stderr = io.StringIO(), io.StringIO()
    sys.path.insert(0, str(REPO / "bench"))  # as for a script: its folder first (coref_metrics)
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            code = accuracy.main([*args, "--json", str(out)])
    finally:
        sys.path.remove(str(REPO / "bench"))
    return BenchRun(code, stdout.getvalue(), stderr.getvalue())


@pytest.mark.slow
def test_quick_run_holds_every_pinned_floor(tmp_path: Path) -> None:
    res = bench("--quick", "--check", out=tmp_path / "figures.json")
    assert res.returncode == 0, f"accuracy gate failed:\n{res.stdout}\n{res.stderr}"
    assert "every pinned figure holds" in res.stdout


def test_check_fails_below_a_floor_and_on_a_changed_corpus(tmp_path: Path) -> None:
    digest = hashlib.sha256(bench_input("plover").read_bytes()).hexdigest()
    baseline: dict[str, Any] = {
        "quick": {
            "metrics": {"plover/types micro/f1": 1.01, "plover/source country/accuracy": 0.0},
            "corpora": {"plover": {"sha256": "0" * 64, "items": 163}},
        }
    }
    path, out = tmp_path / "baseline.json", tmp_path / "figures.json"
    path.write_text(json.dumps(baseline), "utf-8")
    res = bench("--quick", "--stage", "plover", "--check", "--baseline", str(path), out=out)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "FAIL plover/types micro/f1" in res.stdout, res.stdout
    assert "FAIL corpus plover" in res.stdout, res.stdout
    failed = [line for line in res.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 2, f"only the two broken pins may fail:\n{res.stdout}"

    baseline["quick"]["metrics"]["plover/types micro/f1"] = 0.0
    baseline["quick"]["corpora"]["plover"]["sha256"] = digest
    path.write_text(json.dumps(baseline), "utf-8")
    res = bench("--quick", "--stage", "plover", "--check", "--baseline", str(path), out=out)
    assert res.returncode == 0, res.stdout + res.stderr


def test_update_refuses_to_lower_a_floor_without_the_flag(tmp_path: Path) -> None:
    path, out = tmp_path / "baseline.json", tmp_path / "figures.json"
    floors = {"quick": {"metrics": {"plover/types micro/f1": 1.01}, "corpora": {}}}
    path.write_text(json.dumps(floors), "utf-8")
    args = ["--quick", "--stage", "plover", "--baseline", str(path), "--update-baseline"]
    res = bench(*args, "--reason", "test", out=out)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "REFUSED plover/types micro/f1" in res.stdout
    assert json.loads(path.read_text("utf-8")) == floors, "a refused update wrote the file"

    res = bench(*args, "--reason", "test", "--allow-lower", out=out)
    assert res.returncode == 0, res.stdout + res.stderr
    written = json.loads(path.read_text("utf-8"))
    assert written["quick"]["metrics"]["plover/types micro/f1"] < 1.01
    assert written["history"][-1]["reason"] == "test"
    assert written["history"][-1]["lowered"] is True


def test_quote_attribution_floors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Quote spans, speakers and cues on the first articles of quotes/dev.jsonl stay above
    the floors pinned in bench/baseline.json ("quotes"), as ``--check`` (make bench) says. The
    script runs in this process, with the session's pipeline."""
    pinned = json.loads((REPO / "bench" / "baseline.json").read_text(encoding="utf-8"))["quotes"]
    out = tmp_path / "quotes.json"
    code = accuracy_quotes.main(["--limit", str(pinned["limit"]), "--json", str(out), "--check"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "every pinned figure holds" in printed.out
    measured = json.loads(out.read_text(encoding="utf-8"))["results"]
    below = []
    for key, floor in pinned["floors"].items():
        set_name, metric, field = key.split(".")
        row = next(r for r in measured if r["set"] == set_name)
        value = row[metric][field]
        if value < floor:
            below.append(f"{key}: {value:.3f} < {floor}")
    assert not below, below


def test_quote_check_fails_below_a_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``accuracy_quotes.py --check`` exits 1 naming each figure below its floor or never
    measured, and refuses to check fewer articles than the floors were pinned on."""
    bench_input("quotes")
    baseline = tmp_path / "baseline.json"
    floors = {"all.content_overlap.f1": 1.01, "all.cue.accuracy": 0.0, "all.nothing.f1": 0.5}
    baseline.write_text(json.dumps({"quotes": {"limit": 2, "floors": floors}}), "utf-8")
    args = ["--json", str(tmp_path / "q.json"), "--check", "--baseline", str(baseline)]
    assert accuracy_quotes.main([*args, "--limit", "2"]) == 1
    printed = capsys.readouterr().out
    failed = [line for line in printed.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 2, printed
    assert failed[0].startswith("FAIL all.content_overlap.f1: ")
    assert failed[1] == "FAIL all.nothing.f1: not measured (floor 0.5)"
    assert accuracy_quotes.main([*args, "--limit", "1"]) == 2
    assert "pinned on 2 articles" in capsys.readouterr().err
