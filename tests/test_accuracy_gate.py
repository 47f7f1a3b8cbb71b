"""The accuracy gate: bench/accuracy.py --quick --check holds against bench/baseline.json, and
the gate really fails when a figure is below its floor or a corpus changed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench" / "accuracy.py"
DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed"


def bench_input(name: str) -> Path:
    path = DATA / name / "dev.jsonl"
    assert path.is_file(), f"{path} is missing: the accuracy gate needs ../shared/data"
    return path


def bench(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    """Run the accuracy bench with the repo's python, as a user or CI does; its figures go to
    ``out`` (a temporary file: a test never overwrites bench/out/)."""
    for need in (DATA, SEED):
        assert need.is_dir(), (
            f"{need} is missing: the accuracy gate needs ../shared beside the repo"
        )
    return subprocess.run(
        [sys.executable, str(BENCH), *args, "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


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


def test_quote_attribution_floors(tmp_path: Path) -> None:
    """Quote spans, speakers and cues on the first articles of quotes/dev.jsonl stay above
    the floors pinned in bench/baseline.json ("quotes")."""
    pinned = json.loads((REPO / "bench" / "baseline.json").read_text(encoding="utf-8"))["quotes"]
    out = tmp_path / "quotes.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "accuracy_quotes.py"),
            "--limit",
            str(pinned["limit"]),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    measured = json.loads(out.read_text(encoding="utf-8"))["results"]
    below = []
    for key, floor in pinned["floors"].items():
        set_name, metric, field = key.split(".")
        row = next(r for r in measured if r["set"] == set_name)
        value = row[metric][field]
        if value < floor:
            below.append(f"{key}: {value:.3f} < {floor}")
    assert not below, below
