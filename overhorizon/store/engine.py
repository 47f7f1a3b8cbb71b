"""Opening a database: URL or path, SQLite pragmas (WAL), migrations applied on first use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from overhorizon.reasons import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(value: str) -> str:
    """Turn ``--db`` into a SQLAlchemy URL: a plain path becomes a SQLite file URL.

    ``postgresql://`` and ``postgres://`` URLs get the psycopg 3 driver.
    """
    value = value.strip()
    if not value:
        raise ConfigError("db_unavailable", "empty --db value")
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(value: str) -> Engine:
    """Create an engine for ``value`` (path or URL); raise ConfigError when it cannot work."""
    url = database_url(value)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError("db_unavailable", f"--db {value!r} is not a URL ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not Path(db).parent.is_dir():
            raise ConfigError(
                "db_unavailable", f"cannot open database {db}: its directory does not exist"
            )
    elif parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            "db_unavailable", f"database {parsed.get_backend_name()!r} is not supported"
        )
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError("db_unavailable", f"cannot use {safe_url(url)} ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply Alembic migrations up to ``revision``; return (before, after) revision ids."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    try:
        with engine.begin() as conn:
            before = MigrationContext.configure(conn).get_current_revision()
            if before == head and revision == "head":
                return before, before
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            after = MigrationContext.configure(conn).get_current_revision()
    except (OperationalError, DatabaseError) as exc:
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ConfigError(
            "db_unavailable", f"cannot open database {safe_url(str(engine.url))}: {detail}"
        ) from None
    return before, after
