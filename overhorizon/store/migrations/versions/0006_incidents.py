"""incidents, incident_reports, incident_decisions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('id', sa.String(length=24), nullable=False, comment='i- + sha256 of its first report key'),
    sa.Column('type', sa.String(length=16), nullable=False, comment='PLOVER type'),
    sa.Column('mode', sa.String(length=32), nullable=True),
    sa.Column('acled_event_type', sa.String(length=40), nullable=True),
    sa.Column('acled_sub_event_type', sa.String(length=60), nullable=True),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('date_end', sa.String(length=10), nullable=True),
    sa.Column('date_precision', sa.String(length=8), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('place_precision', sa.Integer(), nullable=True),
    sa.Column('reports', sa.Integer(), nullable=False, comment='events of articles fused here'),
    sa.Column('articles', sa.Integer(), nullable=False),
    sa.Column('sources', sa.Integer(), nullable=False, comment='independent sources'),
    sa.Column('grade', sa.String(length=12), nullable=False, comment='confirmed|fair|weak|contested|discounted'),
    sa.Column('grade_reason', sa.Text(), nullable=False),
    sa.Column('contradictions', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False, comment='claims, contradictions, casualties, sources, links'),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_date_start'), ['date_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_type'), ['type'], unique=False)

    op.create_table('incident_reports',
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=16), nullable=False),
    sa.Column('incident_id', sa.String(length=24), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False, comment='report (a happening) or claim (a denial)'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_incident_reports_article_id_articles')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_reports_incident_id_incidents')),
    sa.PrimaryKeyConstraint('article_id', 'event_id', name=op.f('pk_incident_reports'))
    )
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_reports_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('report_a', sa.String(length=90), nullable=False, comment='article_id/event_id'),
    sa.Column('report_b', sa.String(length=90), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False, comment='together|apart'),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_decisions'))
    )


def downgrade() -> None:
    op.drop_table('incident_decisions')
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_reports_incident_id'))
    op.drop_table('incident_reports')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_type'))
        batch_op.drop_index(batch_op.f('ix_incidents_date_start'))
    op.drop_table('incidents')
