"""article_stories: each article's story and main happening as the last fusion read them, so
that an incremental fusion knows which stored reports a change of story reaches

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'article_stories',
        sa.Column('article_id', sa.String(length=64), sa.ForeignKey('articles.id'), nullable=False),
        sa.Column('story', sa.String(length=64), nullable=False, comment="the story's first article"),
        sa.Column(
            'main_event', sa.String(length=16), comment="the article's main happening (an event id)"
        ),
        sa.PrimaryKeyConstraint('article_id'),
    )


def downgrade() -> None:
    op.drop_table('article_stories')
