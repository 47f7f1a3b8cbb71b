"""what watch fetched, with validators: fetch_state

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fetch_state',
    sa.Column('url', sa.Text(), nullable=False, comment='as registered or as a listing gave it'),
    sa.Column('source', sa.Text(), nullable=False, comment='name of the registered source'),
    sa.Column('role', sa.String(length=8), nullable=False, comment='source, sitemap (of an index) or entry'),
    sa.Column('kind', sa.String(length=16), nullable=True, comment='rss|atom|jsonfeed|sitemap|sitemapindex|page'),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.String(length=64), nullable=True, comment='as the server sent it'),
    sa.Column('last_status', sa.Integer(), nullable=True, comment='HTTP status of the last answer'),
    sa.Column('last_fetched_at', sa.String(length=32), nullable=True, comment='UTC ISO-8601'),
    sa.Column('failures', sa.Integer(), nullable=False, comment='failed fetches in a row'),
    sa.Column('last_reason', sa.String(length=32), nullable=True, comment='reason code of the last failure or rejection'),
    sa.Column('last_detail', sa.Text(), nullable=True),
    sa.Column('article_id', sa.String(length=64), nullable=True, comment='what the page gave'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_fetch_state_article_id_articles')),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_fetch_state'))
    )
    with op.batch_alter_table('fetch_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fetch_state_source'), ['source'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fetch_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fetch_state_source'))
    op.drop_table('fetch_state')
