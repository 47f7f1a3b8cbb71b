"""extraction records: extractions, actors, events, casualties

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('actor_id', sa.String(length=16), nullable=False, comment='a1, a2 ... within the article'),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('sector', sa.String(length=24), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('mentions', sa.JSON(), nullable=False, comment='[{start, end}] character offsets'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_actors_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', 'actor_id', name=op.f('pk_actors'))
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_name'), ['name'], unique=False)

    op.create_table('casualties',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=16), nullable=True),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('killed_low', sa.Integer(), nullable=True),
    sa.Column('killed_best', sa.Integer(), nullable=True),
    sa.Column('killed_high', sa.Integer(), nullable=True),
    sa.Column('injured_low', sa.Integer(), nullable=True),
    sa.Column('injured_best', sa.Integer(), nullable=True),
    sa.Column('injured_high', sa.Integer(), nullable=True),
    sa.Column('part_of', sa.String(length=16), nullable=True),
    sa.Column('attribution', sa.String(length=16), nullable=True),
    sa.Column('evidence_start', sa.Integer(), nullable=False),
    sa.Column('evidence_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_casualties_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casualties'))
    )
    with op.batch_alter_table('casualties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casualties_article_id'), ['article_id'], unique=False)

    op.create_table('events',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False, comment='PLOVER type'),
    sa.Column('mode', sa.String(length=32), nullable=True),
    sa.Column('acled_event_type', sa.String(length=40), nullable=True),
    sa.Column('acled_sub_event_type', sa.String(length=60), nullable=True),
    sa.Column('source_actor', sa.String(length=16), nullable=True),
    sa.Column('target_actor', sa.String(length=16), nullable=True),
    sa.Column('place', sa.String(length=16), nullable=True),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('date_end', sa.String(length=10), nullable=True),
    sa.Column('date_precision', sa.String(length=8), nullable=True),
    sa.Column('date_text', sa.Text(), nullable=True),
    sa.Column('polarity', sa.String(length=10), nullable=False),
    sa.Column('modality', sa.String(length=16), nullable=False),
    sa.Column('attribution', sa.String(length=16), nullable=True),
    sa.Column('trigger', sa.Text(), nullable=False),
    sa.Column('evidence_start', sa.Integer(), nullable=False),
    sa.Column('evidence_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_events_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', 'event_id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_date_start'), ['date_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_type'), ['type'], unique=False)

    op.create_table('extractions',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('pipeline', sa.String(length=200), nullable=False, comment='model and component versions'),
    sa.Column('records', sa.JSON(), nullable=False, comment='actors, events, casualties as RECORDS.md'),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_extractions_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_extractions'))
    )


def downgrade() -> None:
    op.drop_table('extractions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_type'))
        batch_op.drop_index(batch_op.f('ix_events_date_start'))

    op.drop_table('events')
    with op.batch_alter_table('casualties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casualties_article_id'))

    op.drop_table('casualties')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_name'))

    op.drop_table('actors')
