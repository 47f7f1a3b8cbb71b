"""The store on SQLite and PostgreSQL: idempotent ingest, exact and near duplicates, migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from overhorizon.ingest.run import ingest
from overhorizon.reasons import ConfigError
from overhorizon.settings import Settings
from overhorizon.store import Store, open_store
from overhorizon.store.schema import article_sources, articles, metadata
from overhorizon.store.search import OUTSIDE_METADATA
from tests.ingest.pages import BODY

EXTRA = (
    " The road to the border crossing at Sher Khan Bandar was also reported closed by the "
    "afternoon, according to two drivers who spoke by phone."
)


def write(path: Path, title: str, outlet: str, published: str, body: str) -> Path:
    path.write_text(
        f"Title: {title}\nOutlet: {outlet}\nPublished: {published}\n\n{body}\n", encoding="utf-8"
    )
    return path


def open_for(db: str, settings: Settings) -> Store:
    return open_store(db, near_duplicate_threshold=settings.near_duplicate_threshold)


def near_links(store: Store) -> set[tuple[str | None, str | None]]:
    rows = store.conn.execute(select(articles.c.title, articles.c.near_duplicate_of)).all()
    by_id = dict(store.conn.execute(select(articles.c.id, articles.c.title)).all())
    return {(r.title, by_id.get(r.near_duplicate_of)) for r in rows}


def test_rerun_stores_nothing_new(tmp_path: Path, settings: Settings, db_url: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        write(
            src / f"{i}.txt",
            f"Story {i}",
            "Desk",
            f"2021-08-0{i + 1}",
            f"Story number {i} is about district {i * 7} of Kunduz province. " * 8,
        )
    with open_for(db_url, settings) as store:
        first = ingest([str(src)], store, settings)
        second = ingest([str(src)], store, settings)
        counts = store.counts()
    assert (first.stored, first.accepted) == (5, 5)
    assert (second.stored, second.unchanged, second.duplicates) == (0, 5, 0)
    assert counts["articles"] == 5 and counts["article_sources"] == 5
    assert counts["ingest_runs"] == 2


def test_exact_duplicate_is_one_article_with_two_sources(
    tmp_path: Path, settings: Settings, db_url: str
) -> None:
    write(tmp_path / "a.txt", "Blast at airport", "Wire A", "2021-08-26", BODY)
    write(tmp_path / "b.txt", "Airport blast kills dozens", "Paper B", "2021-08-27", BODY)
    with open_for(db_url, settings) as store:
        rep = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store, settings)
        rows = store.conn.execute(select(article_sources.c.outlet)).scalars().all()
        (art,) = store.conn.execute(select(articles.c.outlet, articles.c.published)).all()
    assert (rep.stored, rep.duplicates) == (1, 1)
    assert sorted(rows) == ["Paper B", "Wire A"]
    assert tuple(art) == ("Wire A", "2021-08-26")


def test_exact_duplicate_published_earlier_takes_over_metadata(
    tmp_path: Path, settings: Settings
) -> None:
    write(tmp_path / "late.txt", "Late copy", "Paper B", "2021-08-27", BODY)
    write(tmp_path / "early.txt", "Early copy", "Wire A", "2021-08-26", BODY)
    with open_for(settings.db, settings) as store:
        ingest([str(tmp_path / "late.txt")], store, settings)
        ingest([str(tmp_path / "early.txt")], store, settings)
        (art,) = store.conn.execute(select(articles.c.outlet, articles.c.title)).all()
    assert tuple(art) == ("Wire A", "Early copy")


def test_near_duplicate_points_to_earliest_in_any_order(
    tmp_path: Path, settings: Settings, db_url: str
) -> None:
    files = [
        write(tmp_path / "1.txt", "Original", "Wire A", "2021-08-08", BODY),
        write(tmp_path / "2.txt", "Reworded", "Paper B", "2021-08-09", BODY + EXTRA),
        write(
            tmp_path / "3.txt",
            "Trimmed",
            "Paper C",
            "2021-08-10",
            BODY.replace(" Aid groups said", " Aid workers said"),
        ),
        write(
            tmp_path / "4.txt",
            "Unrelated",
            "Paper D",
            "2021-08-11",
            "The summit in Geneva lasted less than four hours, and both leaders spoke to "
            "reporters separately afterwards about arms control and cyber attacks.",
        ),
    ]
    expected = {
        ("Original", None),
        ("Reworded", "Original"),
        ("Trimmed", "Original"),
        ("Unrelated", None),
    }
    with open_for(db_url, settings) as store:
        rep = ingest([str(f) for f in reversed(files)], store, settings)
        assert near_links(store) == expected
    assert rep.near_duplicates >= 2
    # Ingesting one at a time, latest first, gives the same groups.
    other = str(tmp_path / "other.db")
    with open_for(other, settings) as store:
        for f in reversed(files):
            ingest([str(f)], store, settings)
        assert near_links(store) == expected


def test_threshold_setting_controls_near_duplicates(tmp_path: Path, settings: Settings) -> None:
    write(tmp_path / "1.txt", "Original", "Wire A", "2021-08-08", BODY)
    write(tmp_path / "2.txt", "Reworded", "Paper B", "2021-08-09", BODY + EXTRA)
    strict = settings.replace(near_duplicate_threshold=0.99)
    with open_for(settings.db, strict) as store:
        rep = ingest([str(tmp_path)], store, strict)
    assert (rep.stored, rep.near_duplicates) == (2, 0)


def test_migrations_match_schema(db_url: str) -> None:
    with open_store(db_url) as store:
        # The full-text search's FTS5 table and GIN index are made by migration 0012 alone.
        def ours(name: str | None, _type: str, _parent: object) -> bool:
            return not (name or "").startswith(OUTSIDE_METADATA)

        ctx = MigrationContext.configure(
            store.conn, opts={"compare_type": True, "include_name": ours}
        )
        assert compare_metadata(ctx, metadata) == []


@pytest.mark.parametrize(
    "db",
    ["/nonexistent-dir/x.db", "mysql://u@localhost/x", "postgresql://u@127.0.0.1:1/x"],
)
def test_unopenable_database_is_a_config_error(db: str) -> None:
    with pytest.raises(ConfigError) as exc:
        open_store(db).close()
    assert exc.value.reason.code == "db_unavailable"


def test_not_a_database_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(ConfigError) as exc:
        open_store(str(p)).close()
    assert exc.value.reason.code == "db_unavailable"
    assert p.read_text().startswith("these are notes")


def test_worker_processes_give_the_same_store_as_one_process(
    tmp_path: Path, settings: Settings
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(40):
        body = BODY if i % 10 == 0 else f"Report {i} on district {i * 3} of Herat province. " * 9
        write(src / f"{i:02d}.txt", f"Story {i}", "Desk", f"2021-08-{i % 28 + 1:02d}", body)
    (src / "empty.txt").write_bytes(b"")
    results = []
    for workers in (1, 2):
        s = settings.replace(workers=workers, db=str(tmp_path / f"w{workers}.db"))
        with open_for(s.db, s) as store:
            rep = ingest([str(src)], store, s)
            ids = store.conn.execute(
                select(article_sources.c.locator, article_sources.c.article_id).order_by(
                    article_sources.c.id
                )
            ).all()
            results.append((rep.to_dict(), [tuple(r) for r in ids], near_links(store)))
    (rep1, ids1, links1), (rep2, ids2, links2) = results
    rep1.pop("run_id"), rep2.pop("run_id")
    assert rep1 == rep2 and rep1["stored"] == 37 and rep1["duplicates"] == 3
    assert ids1 == ids2 and links1 == links2
