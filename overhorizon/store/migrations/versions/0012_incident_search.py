"""incident search and list orders: incidents.search_text with a full-text index (FTS5 on
SQLite, a GIN tsvector index on PostgreSQL), and indexes for the -articles/-sources sorts and
date ranges

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The FTS5 table mirrors incidents.search_text by rowid ("external content"); the triggers keep
# it in step with every insert, delete and update of incidents, whoever writes them.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE incidents_fts USING fts5("
    "search_text, content='incidents', content_rowid='rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN "
    "INSERT INTO incidents_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN "
    "INSERT INTO incidents_fts(incidents_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER incidents_fts_update AFTER UPDATE OF search_text ON incidents BEGIN "
    "INSERT INTO incidents_fts(incidents_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO incidents_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
]
PG_INDEX = (
    "CREATE INDEX ix_incidents_search ON incidents "
    "USING gin (to_tsvector('simple'::regconfig, coalesce(search_text, '')))"
)


def upgrade() -> None:
    op.add_column(
        'incidents',
        sa.Column('search_text', sa.Text(), comment='place, titles, sentences, names: searched'),
    )
    # Rows fused before this revision get their place and summary until fused again.
    op.execute(
        "UPDATE incidents SET search_text = coalesce(place, '') || ' ' || "
        + ("summary" if op.get_bind().dialect.name == "sqlite" else "summary::text")
    )
    # Date ranges filter on both ends: each index carries the other end, so that a range is
    # answered from the index without reading every row before it.
    op.drop_index('ix_incidents_date_order', table_name='incidents')
    op.drop_index('ix_incidents_date_end', table_name='incidents')
    op.create_index('ix_incidents_date_order', 'incidents', ['date_start', 'id', 'date_end'])
    op.create_index('ix_incidents_date_end', 'incidents', ['date_end', 'date_start'])
    op.create_index('ix_incidents_lat_lon', 'incidents', ['lat', 'lon'])  # map boxes
    op.create_index('ix_incidents_articles', 'incidents', ['articles', 'id'])
    op.create_index('ix_incidents_sources', 'incidents', ['sources', 'id'])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO incidents_fts(incidents_fts) VALUES ('rebuild')")
    else:
        op.execute(PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ('incidents_fts_insert', 'incidents_fts_delete', 'incidents_fts_update'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS incidents_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_incidents_search")
    op.drop_index('ix_incidents_sources', table_name='incidents')
    op.drop_index('ix_incidents_articles', table_name='incidents')
    op.drop_index('ix_incidents_lat_lon', table_name='incidents')
    op.drop_index('ix_incidents_date_end', table_name='incidents')
    op.drop_index('ix_incidents_date_order', table_name='incidents')
    op.create_index('ix_incidents_date_order', 'incidents', ['date_start', 'id'])
    op.create_index('ix_incidents_date_end', 'incidents', ['date_end'])
    op.drop_column('incidents', 'search_text')
