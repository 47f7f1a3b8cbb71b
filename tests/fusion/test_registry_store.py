"""Fusing the sample corpus with a source registry in the store (SQLite, PostgreSQL): sources of
one owner count once, and without the registry the incidents are exactly as before."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from overhorizon.app import fuse_stored
from overhorizon.fusion.independence import SourceMap
from overhorizon.registry import registry_map, source_from
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.schema import incidents
from overhorizon.store.sources import add_source
from tests.fusion.test_incidents_store import load

PAIR = {"outlet:bastion daily (sample)", "outlet:meridian courier (sample)"}


def rows(store: Any) -> dict[str, dict[str, Any]]:
    return {
        r.id: {k: v for k, v in r._mapping.items() if k != "updated_at"}
        for r in store.conn.execute(select(incidents))
    }


def test_one_owner_counts_once_and_no_registry_changes_nothing(
    db_url: str, settings: Settings, nlp: Any
) -> None:
    here = settings.replace(db=db_url, sources_file="")
    with open_store(db_url) as store:
        load(store, settings, nlp)
        fuse_stored(store)
        before = rows(store)
        # an empty registry is no registry: nothing is rewritten
        _, saved = fuse_stored(store, SourceMap())
        assert (saved.written, saved.removed) == (0, 0)
        assert registry_map(store, here) == SourceMap()
        pair = [r for r in before.values() if set(r["summary"]["sources"]) == PAIR]
        assert pair and all(r["sources"] == 2 and r["grade"] == "fair" for r in pair)
        for name, url in (
            ("Bastion Daily (sample)", "https://bastion.example/feed"),
            ("Meridian Courier (sample)", "https://meridian.example/rss"),
        ):
            add_source(
                store,
                source_from(
                    {"name": name, "url": url, "owner": "Sample Holdings"}, name, origin="store"
                ),
            )
        _, saved = fuse_stored(store, registry_map(store, here))
        assert saved.written > 0
        after = rows(store)
        for r in pair:
            now = after[r["id"]]
            assert (now["sources"], now["grade"]) == (1, "weak")
            assert now["grade_reason"] == (
                "one independent source (Bastion Daily (sample) and Meridian Courier (sample) "
                "share owner Sample Holdings)"
            )
            assert now["summary"]["sources"] == r["summary"]["sources"]
            (group,) = now["summary"]["independence"]
            assert set(group["sources"]) == PAIR
        # incidents without both outlets keep their count
        for iid, r in before.items():
            if not PAIR.issubset(r["summary"]["sources"]):
                assert after[iid]["sources"] == r["sources"], iid
        # fused again without the registry: back to exactly the first result
        fuse_stored(store)
        assert rows(store) == before
