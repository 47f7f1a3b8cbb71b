"""The bundled sample corpus does what docs/sample-corpus.md says it does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from overhorizon.ingest.run import ingest
from overhorizon.records import IngestReport
from overhorizon.settings import Settings, load_settings
from overhorizon.store import Store, open_store
from overhorizon.store.schema import article_sources, articles
from tests.conftest import SAMPLE

EXPECTED_REJECTIONS = {
    ("empty.txt", "empty"),
    ("blank.txt", "whitespace_only"),
    ("photo.jpg", "binary"),
    ("nul-bytes.txt", "binary"),
    ("script-only.html", "no_main_text"),
    ("broken-feed.rss", "malformed_feed"),
    ("not-a-feed.xml", "not_a_feed"),
    ("mixed.jsonl:2", "bad_json_line"),
    ("mixed.jsonl:4", "missing_text"),
    ("mixed.jsonl:5", "bad_json_line"),
    ("truncated.warc.gz", "truncated_warc"),
    ("truncated.txt.gz", "truncated_gzip"),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, IngestReport, Settings]:
    d = tmp_path_factory.mktemp("sample")
    settings = load_settings(env={}, cwd=d, overrides={"db": str(d / "s.db")})
    store = open_store(settings.db, near_duplicate_threshold=settings.near_duplicate_threshold)
    report = ingest([str(SAMPLE)], store, settings)
    return store, report, settings


def _rejected(report: IngestReport) -> set[tuple[str, str]]:
    out = set()
    for r in report.rejected:
        name = Path(r.source.split("#")[0]).name
        out.add((name, r.reason))
    return out


def test_every_broken_file_gets_its_reason(loaded: tuple[Store, IngestReport, Settings]) -> None:
    _, report, _ = loaded
    assert _rejected(report) == EXPECTED_REJECTIONS


def test_counts(loaded: tuple[Store, IngestReport, Settings]) -> None:
    _, report, _ = loaded
    # 58 good reports, plus the 8 good items inside bad/ (3 feed items, 2 JSONL lines,
    # 2 WARC pages, the Latin-1 report); 3 wire copies are the same text as another report.
    assert report.accepted == 66
    assert (report.stored, report.duplicates) == (63, 3)
    assert report.near_duplicates == 3
    assert report.non_english >= 4
    assert report.skipped == {"warc_non_html": 2, "warc_request": 6, "warc_warcinfo": 1}


def _article_of(store: Store, locator_suffix: str) -> str:
    ids = (
        store.conn.execute(
            select(article_sources.c.article_id).where(
                article_sources.c.locator.endswith(locator_suffix)
            )
        )
        .scalars()
        .all()
    )
    assert len(ids) == 1, (locator_suffix, ids)
    return str(ids[0])


def test_wire_copy_is_one_article(loaded: tuple[Store, IngestReport, Settings]) -> None:
    store, _, _ = loaded
    text_copy = _article_of(store, "text/10-nangarhar-strike-wire.txt")
    rows = store.conn.execute(
        select(article_sources.c.kind, article_sources.c.external_id).where(
            article_sources.c.article_id == text_copy
        )
    ).all()
    assert sorted(r.kind for r in rows) == ["file", "jsonl"]
    assert "hd-2021-0828-nangarhar-strike" in {r.external_id for r in rows}


def test_near_duplicate_points_to_earlier_report(
    loaded: tuple[Store, IngestReport, Settings],
) -> None:
    store, _, _ = loaded
    first = _article_of(store, "text/13-kabul-strike-family.txt")
    later = _article_of(store, "html/2021-08-30-kabul-strike-family-mourns.html")
    assert store.get_article(later).near_duplicate_of == first  # type: ignore[union-attr]
    assert store.get_article(first).near_duplicate_of is None  # type: ignore[union-attr]


def test_languages_and_encodings(loaded: tuple[Store, IngestReport, Settings]) -> None:
    store, _, _ = loaded
    latin1 = store.get_article(_article_of(store, "bad/latin1-nodeclared.txt"))
    assert latin1 is not None and latin1.language == "fr" and latin1.non_english
    assert "é" in latin1.text
    cp1252 = store.get_article(_article_of(store, "html/pentagon-tragic-mistake.html"))
    assert cp1252 is not None and cp1252.language == "en"
    assert "\u2019" in cp1252.text or "\u201c" in cp1252.text
    langs = set(store.conn.execute(select(articles.c.language)).scalars())
    assert {"en", "fr", "ru", "fa"} <= langs


def test_rerun_stores_nothing(loaded: tuple[Store, IngestReport, Settings]) -> None:
    store, first, settings = loaded
    again = ingest([str(SAMPLE)], store, settings)
    assert (again.stored, again.unchanged) == (0, first.accepted)
    assert _rejected(again) == EXPECTED_REJECTIONS
