"""indexes for the incident list: its date order, date ranges, deaths, grade

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations


from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_incidents_date_order', 'incidents', ['date_start', 'id'])
    op.create_index('ix_incidents_date_end', 'incidents', ['date_end'])
    op.create_index('ix_incidents_deaths', 'incidents', ['deaths', 'id'])
    op.create_index('ix_incidents_grade', 'incidents', ['grade', 'date_start'])


def downgrade() -> None:
    for name in ('ix_incidents_grade', 'ix_incidents_deaths', 'ix_incidents_date_end',
                 'ix_incidents_date_order'):
        op.drop_index(name, table_name='incidents')
