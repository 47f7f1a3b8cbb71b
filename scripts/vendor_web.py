#!/usr/bin/env python3
"""Vendor the web UI's third-party assets from npm into overhorizon/web/static/vendor/.

The web UI makes no request to another origin, so the few JavaScript and CSS files it needs are
copied into the package. For each pinned package below this script:

1. asks the registry for the version's ``dist.integrity`` (``npm view <pkg>@<version> --json``);
2. downloads the tarball into a temporary folder (``npm pack <pkg>@<version> --ignore-scripts``:
   nothing is installed, no install script runs);
3. checks the tarball's sha512 against that integrity, and stops if they differ;
4. copies only the listed files into ``vendor/<dest>/``, replacing what was there;
5. rewrites ``vendor/README.md`` with package, version, licence and the sha256 of each file
   (``tests/web/test_vendor.py`` holds the shipped files to those sums, offline).

To refresh, change a version below, run the script, look at the diff of the README, and run
``pytest tests/web``. Needs ``npm`` on PATH and the npm registry; stdlib only.

Usage:
    .venv/bin/python scripts/vendor_web.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO / "overhorizon" / "web" / "static" / "vendor"


@dataclass(frozen=True)
class Vendored:
    """One npm package: the exact version, its licence, and the files we ship from it."""

    package: str
    version: str
    licence: str
    dest: str
    files: tuple[str, ...]
    why: str


# Exact versions: a refresh is a deliberate edit here, reviewed with the README diff.
PACKAGES = [
    Vendored(
        package="swagger-ui-dist",
        version="5.35.0",
        licence="Apache-2.0",
        dest="swagger-ui",
        # The bundle and its stylesheet; LICENSE and NOTICE (Apache-2.0 asks for both) and the
        # licences of the libraries compiled into the bundle. No source maps, no initializer.
        files=(
            "swagger-ui-bundle.js",
            "swagger-ui.css",
            "LICENSE",
            "NOTICE",
            "swagger-ui-bundle.js.LICENSE.txt",
        ),
        why="the API's /docs page (Swagger UI), served by overhorizon/api/app.py",
    ),
    Vendored(
        package="leaflet",
        version="1.9.4",  # the latest 1.9.x; 2.0 is still alpha
        licence="BSD-2-Clause",
        dest="leaflet",
        # Script and stylesheet only: the dashboard draws circle markers and no layer control,
        # so none of the marker or layer images is loaded. No source map.
        files=("dist/leaflet.js", "dist/leaflet.css", "LICENSE"),
        why="the dashboard's map (overhorizon/web/static/dashboard/), with no tile layer",
    ),
    Vendored(
        package="topojson-client",
        version="3.1.0",
        licence="ISC",
        dest="topojson-client",
        files=("dist/topojson-client.min.js", "LICENSE"),
        why="decoding the shipped world-atlas TopoJSON into the dashboard's offline basemap",
    ),
]


def npm(*args: str, cwd: Path | None = None) -> str:
    """Run npm and return its standard output; a failure stops the script with npm's message."""
    proc = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        sys.exit(f"npm {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def registry_integrity(spec: str) -> str:
    """The ``dist.integrity`` (``sha512-<base64>``) the registry publishes for ``spec``."""
    meta = json.loads(npm("view", spec, "--json"))
    integrity = meta.get("dist", {}).get("integrity", "")
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        sys.exit(f"{spec}: the registry gives no sha512 integrity ({integrity!r})")
    return integrity


def fetch(item: Vendored, workdir: Path) -> Path:
    """Download the tarball of ``item`` into ``workdir`` and check it against the registry."""
    spec = f"{item.package}@{item.version}"
    expected = registry_integrity(spec)
    (packed,) = json.loads(
        npm("pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(workdir))
    )
    if packed.get("version") != item.version:
        sys.exit(f"{spec}: npm packed version {packed.get('version')!r}")
    tarball = workdir / packed["filename"]
    actual = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != expected:
        sys.exit(f"{spec}: tarball integrity {actual} differs from the registry's {expected}")
    print(f"{spec}: {tarball.name} matches the registry integrity {expected[:30]}...")
    return tarball


def extract(item: Vendored, tarball: Path) -> Path:
    """Replace ``vendor/<dest>/`` with exactly the listed files from ``tarball``."""
    dest = VENDOR / item.dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for name in item.files:
            member = tar.getmember(f"package/{name}")
            source = tar.extractfile(member) if member.isfile() else None
            if source is None:
                sys.exit(f"{item.package}: package/{name} is not a regular file")
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with source:
                target.write_bytes(source.read())
    return dest


def readme() -> str:
    """The text of vendor/README.md, from the files now on disk."""
    lines = [
        "# Vendored web assets",
        "",
        "Third-party files the web UI serves itself, so that a browser pointed at overhorizon",
        "makes no request to another origin (and so that they load under the strict",
        "Content-Security-Policy of `overhorizon/api/app.py`). Written by",
        "`scripts/vendor_web.py`: do not edit by hand.",
        "",
    ]
    for item in PACKAGES:
        lines += [
            f"## {item.package} {item.version} ({item.licence})",
            "",
            f"- npm package: `{item.package}@{item.version}`, licence {item.licence}"
            f" (text in `{item.dest}/LICENSE`).",
            f"- Used for {item.why}.",
            f"- Folder: `{item.dest}/`.",
            "",
            "| file | bytes | sha256 |",
            "|---|---|---|",
        ]
        for name in item.files:
            data = (VENDOR / item.dest / name).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            lines.append(f"| `{item.dest}/{name}` | {len(data)} | `{digest}` |")
        lines.append("")
    lines += [
        "## Refreshing",
        "",
        "1. Change the version in `PACKAGES` in `scripts/vendor_web.py`.",
        "2. Run `.venv/bin/python scripts/vendor_web.py` (needs `npm` and the npm registry). It",
        "   downloads each tarball with `npm pack --ignore-scripts`, checks its sha512 against the",
        "   registry's `dist.integrity` (`npm view --json`), copies the listed files and rewrites",
        "   this README.",
        "3. Run `.venv/bin/python -m pytest tests/web` (a real Chromium renders `/docs` under the",
        "   CSP, with no request to another origin) and note the new version in `CHANGELOG.md`.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    if shutil.which("npm") is None:
        sys.exit("npm not found on PATH")
    with tempfile.TemporaryDirectory(prefix="overhorizon-vendor-") as tmp:
        for item in PACKAGES:
            tarball = fetch(item, Path(tmp))
            dest = extract(item, tarball)
            print(f"{item.package}: wrote {len(item.files)} files to {dest.relative_to(REPO)}")
    (VENDOR / "README.md").write_text(readme(), encoding="utf-8")
    print(f"wrote {(VENDOR / 'README.md').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
