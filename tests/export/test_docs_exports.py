"""docs/exports.md is held to the code: every column and property, and its Python example."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from overhorizon.export.acled_csv import COLUMNS
from overhorizon.export.fields import facts
from overhorizon.export.geojson import properties
from overhorizon.store import open_store
from overhorizon.store.schema import incidents
from tests.export.test_query import stored
from tests.export.test_writers import incident

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")


def test_every_csv_column_and_geojson_property_is_documented() -> None:
    documented = set(re.findall(r"`([a-z0-9_]+)`", PAGE))
    assert set(COLUMNS) <= documented
    assert set(properties(facts(incident()))) <= documented


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example,) = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)
    monkeypatch.chdir(tmp_path)
    with open_store("demo.db") as store:
        store.conn.execute(
            incidents.insert(),
            [stored("i-1", "2021-08-29", grade="confirmed"), stored("i-2", None)],
        )
    exec(compile(example, "docs/exports.md", "exec"), {})
    with open(tmp_path / "incidents.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(io.StringIO(f.read(), newline="")))
    assert [r["event_id_cnty"] for r in rows] == ["i-1"]
