"""attributions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attributions',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('attribution_id', sa.String(length=16), nullable=False, comment="t0 is the article's outlet"),
    sa.Column('speaker', sa.String(length=16), nullable=True, comment='actor id of the article'),
    sa.Column('via', sa.String(length=16), nullable=True, comment='actor id that relays the claim'),
    sa.Column('cue', sa.String(length=40), nullable=False),
    sa.Column('cue_lemma', sa.String(length=40), nullable=True),
    sa.Column('stance', sa.String(length=10), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('first_report', sa.Boolean(), nullable=False),
    sa.Column('direct', sa.Boolean(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('speaker_text', sa.Text(), nullable=True),
    sa.Column('claim_start', sa.Integer(), nullable=False),
    sa.Column('claim_end', sa.Integer(), nullable=False),
    sa.Column('evidence_start', sa.Integer(), nullable=False),
    sa.Column('evidence_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_attributions_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', 'attribution_id', name=op.f('pk_attributions'))
    )


def downgrade() -> None:
    op.drop_table('attributions')
