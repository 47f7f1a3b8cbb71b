"""articles, sources, bands, runs, rejections

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ingest_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.String(length=32), nullable=False, comment='UTC ISO-8601'),
    sa.Column('finished_at', sa.String(length=32), nullable=True, comment='UTC ISO-8601; null while running or if it died'),
    sa.Column('status', sa.String(length=16), nullable=False, comment='running|finished|interrupted'),
    sa.Column('paths', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_runs'))
    )
    op.create_table('articles',
    sa.Column('id', sa.String(length=64), nullable=False, comment='sha256 of the normalised text'),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('published', sa.String(length=10), nullable=True, comment='YYYY-MM-DD as the source gave it'),
    sa.Column('published_at', sa.String(length=32), nullable=True, comment='UTC instant when the source gave a time'),
    sa.Column('published_precision', sa.String(length=8), nullable=True),
    sa.Column('published_text', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('language_confidence', sa.Float(), nullable=True),
    sa.Column('non_english', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('chars', sa.Integer(), nullable=False),
    sa.Column('near_duplicate_of', sa.String(length=64), nullable=True, comment='the earliest-published copy this one nearly repeats'),
    sa.Column('minhash', sa.LargeBinary(), nullable=False),
    sa.Column('first_run_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['first_run_id'], ['ingest_runs.id'], name=op.f('fk_articles_first_run_id_ingest_runs')),
    sa.ForeignKeyConstraint(['near_duplicate_of'], ['articles.id'], name=op.f('fk_articles_near_duplicate_of_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_near_duplicate_of'), ['near_duplicate_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)

    op.create_table('rejections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['ingest_runs.id'], name=op.f('fk_rejections_run_id_ingest_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejections'))
    )
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejections_run_id'), ['run_id'], unique=False)

    op.create_table('article_bands',
    sa.Column('band_key', sa.String(length=48), nullable=False, comment='LSH band: perms.rows.band:hash'),
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_bands_article_id_articles')),
    sa.PrimaryKeyConstraint('band_key', 'article_id', name=op.f('pk_article_bands'))
    )
    op.create_table('article_sources',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_key', sa.String(length=64), nullable=False, comment='sha256 of locator and article id: one row per place an article was seen'),
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='file|stdin|warc|feed|jsonl|json'),
    sa.Column('locator', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('warc_record_id', sa.Text(), nullable=True),
    sa.Column('feed', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('entry', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.Text(), nullable=True),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('published_at', sa.String(length=32), nullable=True),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_sources_article_id_articles')),
    sa.ForeignKeyConstraint(['run_id'], ['ingest_runs.id'], name=op.f('fk_article_sources_run_id_ingest_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_sources')),
    sa.UniqueConstraint('source_key', name=op.f('uq_article_sources_source_key'))
    )
    with op.batch_alter_table('article_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_sources_article_id'), ['article_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('article_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_sources_article_id'))

    op.drop_table('article_sources')
    op.drop_table('article_bands')
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejections_run_id'))

    op.drop_table('rejections')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_published'))
        batch_op.drop_index(batch_op.f('ix_articles_near_duplicate_of'))

    op.drop_table('articles')
    op.drop_table('ingest_runs')
