"""Exporters register under ``overhorizon.exporters`` like readers; a package adds a format."""

from __future__ import annotations

import io
import json
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from overhorizon.export import ExportItem, UnknownFormat, format_names, get_exporter
from overhorizon.export.registry import ENTRY_POINT_GROUP
from overhorizon.records import Incident
from tests.conftest import run_cli, run_cli_process

ITEM = ExportItem(Incident(id="i-1", type="ASSAULT", date_start="2021-08-29"))


def test_built_ins_register_through_entry_points() -> None:
    names = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
    assert names == ["acled-csv", "geojson", "jsonl"] == list(format_names())
    suffixes = {n: get_exporter(n).suffix for n in names}
    assert suffixes == {"acled-csv": ".csv", "geojson": ".geojson", "jsonl": ".jsonl"}
    assert get_exporter("geojson").media_type == "application/geo+json"
    out = io.StringIO()
    assert get_exporter("jsonl").write([ITEM], out).incidents == 1
    assert json.loads(out.getvalue())["id"] == "i-1"
    with pytest.raises(UnknownFormat, match="the formats: acled-csv, geojson, jsonl"):
        get_exporter("xls")


def test_unknown_format_exits_2_with_the_list(tmp_path: Path) -> None:
    res = run_cli("export", "--format", "xls", "--db", str(tmp_path / "e.db"))
    assert res.code == 2, res.stderr
    assert "acled-csv, geojson, jsonl" in res.stderr and "Traceback" not in res.stderr


def test_a_package_adds_a_format(tmp_path: Path) -> None:
    """A distribution on the path with an ``overhorizon.exporters`` entry point is a format for
    the CLI, with no change to overhorizon."""
    (tmp_path / "ids_exporter.py").write_text(
        textwrap.dedent(
            """
            from overhorizon.export.fields import Written
            from overhorizon.export.registry import WriterExporter

            def write(items, out):
                n = 0
                for item in items:
                    out.write(item.incident.id + "\\n")
                    n += 1
                return Written(n, 0)

            EXPORTER = WriterExporter("ids", "text/plain; charset=utf-8", ".txt", write)
            """
        ),
        encoding="utf-8",
    )
    info = tmp_path / "ids_exporter-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ids-exporter\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nids = ids_exporter:EXPORTER\n")
    db = str(tmp_path / "e.db")
    env = {"PYTHONPATH": str(tmp_path)}
    # a fresh process: the entry points of the path are read once per process
    res = run_cli_process("export", "--format", "ids", "--db", db, env=env, cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert "0 incidents written to standard output (ids)" in res.stderr
    bad = run_cli_process("export", "--format", "xls", "--db", db, env=env, cwd=tmp_path)
    assert bad.code == 2 and "acled-csv, geojson, ids, jsonl" in bad.stderr
