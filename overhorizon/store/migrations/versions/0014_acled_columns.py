"""acled_columns: ACLED's disorder type, civilian targeting and actor types (inter1, inter2,
interaction) on events and incidents

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("disorder_type", sa.String(length=40), "ACLED disorder type"),
    ("civilian_targeting", sa.String(length=20), "'Civilian targeting' or null"),
    ("inter1", sa.Integer(), "ACLED actor type code of the source, 1-8"),
    ("inter2", sa.Integer(), "ACLED actor type code of the target, 1-8"),
    ("interaction", sa.Integer(), "the two codes, lower first (17, 12, 60)"),
)


def upgrade() -> None:
    for table in ("events", "incidents"):
        with op.batch_alter_table(table) as batch:
            for name, kind, comment in _COLUMNS:
                batch.add_column(sa.Column(name, kind, nullable=True, comment=comment))


def downgrade() -> None:
    for table in ("events", "incidents"):
        with op.batch_alter_table(table) as batch:
            for name, _kind, _comment in reversed(_COLUMNS):
                batch.drop_column(name)
