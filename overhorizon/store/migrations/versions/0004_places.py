"""places

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('places',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('place_id', sa.String(length=16), nullable=False, comment='p1, p2 ... within the article'),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('admin1', sa.Text(), nullable=True),
    sa.Column('feature', sa.String(length=16), nullable=False),
    sa.Column('gazetteer_id', sa.String(length=32), nullable=False),
    sa.Column('precision', sa.Integer(), nullable=False, comment='1 town, 2 district or near, 3 province'),
    sa.Column('near', sa.Boolean(), nullable=False),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_places_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', 'place_id', name=op.f('pk_places'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_gazetteer_id'), ['gazetteer_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_precision', sa.Integer(), nullable=True, comment="of this event's location reading"))



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('place_precision')

    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_gazetteer_id'))

    op.drop_table('places')
