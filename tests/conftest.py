"""Shared fixtures: real SQLite files, a real PostgreSQL server on loopback, the real CLI."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from overhorizon.geo.gazetteer import GazetteerInfo
from overhorizon.settings import Settings, load_settings
from overhorizon.store import Store, open_store
from tests.clirun import CliResult, run_cli, run_cli_process  # noqa: F401 (used by tests)

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "overhorizon" / "sample"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Shipped defaults only: no user file, no environment."""
    return load_settings(env={}, cwd=tmp_path, overrides={"db": str(tmp_path / "t.db")})


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(settings.db, near_duplicate_threshold=settings.near_duplicate_threshold) as s:
        yield s


# --- PostgreSQL: one real server per test session, on loopback --------------------------------
@dataclass
class PgServer:
    host: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start a throwaway PostgreSQL cluster; missing binaries fail the test (see .ci/run)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found: apt-get install postgresql (.ci/run does)"
        )
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="overhorizon-pg-"))
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(base, "postgres", "postgres")

    def run(*args: str) -> None:
        cmd = ["runuser", "-u", "postgres", "--", *args] if as_root else list(args)
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    port = _free_port()
    data = base / "data"
    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "postgres",
        "--no-sync",
        "-E",
        "UTF8",
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield PgServer("127.0.0.1", port)
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind: a SQLite file, and a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


# --- the real command line (tests/clirun.py): in process, or in a subprocess for smoke tests --
@pytest.fixture
def cli() -> type[CliResult]:
    return CliResult


_GAZETTEER_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.pop("OVERHORIZON_DB", None)
    os.environ.pop("OVERHORIZON_CONFIG", None)
    # One gazetteer per test session, built on first use in a temporary folder, shared by the
    # pipeline in this process, the CLI subprocesses (run_cli passes it on) and any worker
    # processes (they inherit the variable); removed when the session ends.
    if not os.environ.get("OVERHORIZON_GAZETTEER"):
        folder = Path(tempfile.mkdtemp(prefix="overhorizon-gazetteer-"))
        config.stash[_GAZETTEER_FOLDER] = folder
        os.environ["OVERHORIZON_GAZETTEER"] = str(folder / "gazetteer.sqlite")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_GAZETTEER_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("OVERHORIZON_GAZETTEER", None)


@pytest.fixture(scope="session")
def session_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> GazetteerInfo:
    """The build report of the full gazetteer at $OVERHORIZON_GAZETTEER,
    the one every pipeline of the session opens: built here, before any of them would build it
    on first use, so the build is done once and its report known (tests/geo/). When the suite
    runs in several worker processes (pytest-xdist), they share the file: the first to take
    the lock builds it and leaves its report beside it, the others wait and read that report.
    When the file was there before the session (a gazetteer of the user's), the report is of a
    build of its own in a temporary folder."""
    import fcntl
    import pickle

    path = Path(os.environ["OVERHORIZON_GAZETTEER"])
    report = path.with_name(path.name + ".report.pickle")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".session.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if report.exists():
            info: GazetteerInfo = pickle.loads(report.read_bytes())
            return info
        if path.exists():
            return built_elsewhere(tmp_path_factory.mktemp("gazetteer") / "g.sqlite", 500)
        info = built_elsewhere(path, 500)
        report.write_bytes(pickle.dumps(info))
        return info


def built_elsewhere(path: Path, min_population: int) -> GazetteerInfo:
    """Build a gazetteer in a spawned process, so this test process does not keep the build's
    memory (which would also show up in the memory of every subprocess it forks later)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from overhorizon.geo.gazetteer import build_gazetteer

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(build_gazetteer, path, min_population=min_population).result()


@pytest.fixture(scope="session")
def nlp(session_gazetteer: GazetteerInfo) -> Any:
    """The extraction pipeline, as every command loads it (once per session), over the
    session's gazetteer."""
    from overhorizon.nlp.pipeline import load_pipeline

    return load_pipeline()


# --- the sample corpus, extracted once per session ------------------------------------------
@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, session_gazetteer: GazetteerInfo) -> Path:
    """A SQLite file holding ``overhorizon run overhorizon/sample`` (once per session). Read it
    only: a test that writes takes a copy (:func:`copy_database`)."""
    db = tmp_path_factory.mktemp("sample-run") / "sample.db"
    res = run_cli("run", str(SAMPLE), "--db", str(db), "-q", cwd=db.parent)
    assert res.code in (0, 1), res.stderr  # 1: sample/bad/ is rejected on purpose
    return db


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of the SQLite file ``source`` at ``target`` (SQLite's backup API)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target
