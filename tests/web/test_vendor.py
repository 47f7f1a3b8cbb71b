"""Vendored web assets: each file matches its sha256 in vendor/README.md and has its licence."""

from __future__ import annotations

import hashlib
import re

from overhorizon.web import STATIC_DIR

VENDOR = STATIC_DIR / "vendor"
ROW = re.compile(r"^\| `(?P<path>[^`]+)` \| (?P<size>\d+) \| `(?P<sha256>[0-9a-f]{64})` \|$")


def test_vendored_files_match_their_checksums() -> None:
    rows = [m for line in (VENDOR / "README.md").read_text().splitlines() if (m := ROW.match(line))]
    listed = {m["path"] for m in rows}
    shipped = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {
        "README.md"
    }
    assert listed == shipped  # nothing unlisted ships, nothing listed is missing
    for m in rows:
        data = (VENDOR / m["path"]).read_bytes()
        assert len(data) == int(m["size"]), m["path"]
        assert hashlib.sha256(data).hexdigest() == m["sha256"], m["path"]


def test_swagger_ui_ships_with_its_licence() -> None:
    folder = VENDOR / "swagger-ui"
    assert "Apache License" in (folder / "LICENSE").read_text()
    assert "SmartBear" in (folder / "NOTICE").read_text()
    assert "swagger-ui-dist 5.35.0 (Apache-2.0)" in (VENDOR / "README.md").read_text()
