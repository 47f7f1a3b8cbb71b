"""the source registry: sources added with `overhorizon sources add`

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sources',
    sa.Column('name', sa.String(length=200), nullable=False, comment='unique regardless of case'),
    sa.Column('urls', sa.JSON(), nullable=False, comment='feeds, sitemaps or pages, http(s)'),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='wire|newspaper|...|other (KINDS)'),
    sa.Column('country', sa.String(length=3), nullable=True, comment='ISO 3166-1 alpha-3'),
    sa.Column('language', sa.String(length=8), nullable=True, comment='ISO 639-1'),
    sa.Column('owner', sa.Text(), nullable=True, comment='outlets of one owner are one source to fusion'),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('domains', sa.JSON(), nullable=False, comment='hosts it publishes under, without www.'),
    sa.Column('created_at', sa.String(length=32), nullable=False, comment='UTC ISO-8601'),
    sa.Column('updated_at', sa.String(length=32), nullable=False, comment='UTC ISO-8601'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sources'))
    )


def downgrade() -> None:
    op.drop_table('sources')
