"""watch rules and alerts: rules, alerts, alert_marks, incident_seen

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rules',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('origin', sa.String(length=8), nullable=False, comment='store (rules add) or file (rules.toml)'),
    sa.Column('spec', sa.JSON(), nullable=False, comment="the rule's fields as rules.toml has them"),
    sa.Column('created_at', sa.String(length=32), nullable=False, comment='UTC ISO-8601; for file: first seen'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rules'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('incident_id', sa.String(length=24), nullable=False, comment='no foreign key: fusion rewrites'),
    sa.Column('kind', sa.String(length=8), nullable=False, comment='new|changed'),
    sa.Column('fingerprint', sa.String(length=64), nullable=False, comment='casualty ranges and grade'),
    sa.Column('reasons', sa.JSON(), nullable=False, comment='why the rule matched, in words'),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False, comment='the incident in a few lines, as sent'),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('webhook', sa.String(length=8), nullable=False, comment='none|pending|sent|failed'),
    sa.Column('webhook_at', sa.String(length=32), nullable=True, comment='when it was sent'),
    sa.Column('email', sa.String(length=8), nullable=False, comment='none|pending|sent|failed'),
    sa.Column('email_at', sa.String(length=32), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False, comment='delivery runs that tried it'),
    sa.Column('last_error', sa.Text(), nullable=True, comment="delivery_failed: the latest failure's detail"),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_rule_created_at'), ['rule', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_created_at'), ['created_at'], unique=False)

    op.create_table('alert_marks',
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('incident_id', sa.String(length=24), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False, comment='as of the last alert or baseline'),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('rule', 'incident_id', name=op.f('pk_alert_marks'))
    )
    op.create_table('incident_seen',
    sa.Column('incident_id', sa.String(length=24), nullable=False),
    sa.Column('first_seen', sa.String(length=32), nullable=False, comment='UTC ISO-8601: first written'),
    sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_incident_seen'))
    )
    with op.batch_alter_table('incident_seen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_seen_first_seen'), ['first_seen'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident_seen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_seen_first_seen'))
    op.drop_table('incident_seen')
    op.drop_table('alert_marks')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_created_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_incident_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_rule_created_at'))
    op.drop_table('alerts')
    op.drop_table('rules')
