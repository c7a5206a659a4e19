"""First plan schema: people, personas, items, SLAs and conflict-rule settings.

Frozen: later schema changes are new revisions, never edits here, so plans made by
this version always migrate.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('people',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=500), nullable=False),
    sa.Column('email', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    op.create_table('personas',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('role', sa.String(length=500), nullable=False),
    sa.Column('company_size', sa.String(length=200), nullable=False),
    sa.Column('industry', sa.String(length=500), nullable=False),
    sa.Column('buying_role', sa.String(length=50), nullable=False),
    sa.Column('buying_stage', sa.String(length=50), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('challenges', sa.JSON(), nullable=False),
    sa.Column('information_sources', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('objections', sa.JSON(), nullable=False),
    sa.Column('customers', sa.JSON(), nullable=False),
    sa.Column('insights_sales', sa.JSON(), nullable=False),
    sa.Column('insights_marketing', sa.JSON(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('picture', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personas'))
    )
    op.create_table('plan_info',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_plan_info'))
    )
    op.create_table('rule_settings',
    sa.Column('rule_id', sa.String(length=200), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('user_defined', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('rule_id', name=op.f('pk_rule_settings'))
    )
    op.create_table('slas',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('sla_version', sa.Integer(), nullable=False),
    sa.Column('effective', sa.Date(), nullable=True),
    sa.Column('ends', sa.Date(), nullable=True),
    sa.Column('escalation', sa.Text(), nullable=False),
    sa.Column('review_start', sa.DateTime(), nullable=True),
    sa.Column('review_tz', sa.String(length=100), nullable=True),
    sa.Column('review_duration_minutes', sa.Integer(), nullable=True),
    sa.Column('review_rrule', sa.Text(), nullable=True),
    sa.Column('review_location', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slas'))
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uid', sa.String(length=500), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('tz', sa.String(length=100), nullable=True),
    sa.Column('impact', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('rrule', sa.Text(), nullable=True),
    sa.Column('exdates', sa.JSON(), nullable=False),
    sa.Column('rdates', sa.JSON(), nullable=False),
    sa.Column('signoff_marketing', sa.Boolean(), nullable=False),
    sa.Column('signoff_sales', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_items_owner_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_items_uid'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_items_span', ['start_date', 'end_date'], unique=False)

    op.create_table('sla_commitments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sla_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=False),
    sa.Column('metric', sa.Text(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('period', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('on_miss', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sla_id'], ['slas.id'], name=op.f('fk_sla_commitments_sla_id_slas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_commitments'))
    )
    with op.batch_alter_table('sla_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_commitments_sla_id'), ['sla_id'], unique=False)

    op.create_table('sla_lead_definitions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sla_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('term', sa.Text(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sla_id'], ['slas.id'], name=op.f('fk_sla_lead_definitions_sla_id_slas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_lead_definitions'))
    )
    with op.batch_alter_table('sla_lead_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_lead_definitions_sla_id'), ['sla_id'], unique=False)

    op.create_table('sla_sections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sla_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sla_id'], ['slas.id'], name=op.f('fk_sla_sections_sla_id_slas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_sections'))
    )
    with op.batch_alter_table('sla_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_sections_sla_id'), ['sla_id'], unique=False)

    op.create_table('sla_signatories',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sla_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['sla_id'], ['slas.id'], name=op.f('fk_sla_signatories_sla_id_slas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_signatories'))
    )
    with op.batch_alter_table('sla_signatories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_signatories_sla_id'), ['sla_id'], unique=False)

    op.create_table('sla_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sla_id', sa.String(length=200), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sla_id'], ['slas.id'], name=op.f('fk_sla_versions_sla_id_slas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_versions'))
    )
    with op.batch_alter_table('sla_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_versions_sla_id'), ['sla_id'], unique=False)

    op.create_table('item_goals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=False),
    sa.Column('metric', sa.Text(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.Column('better', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_goals_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_goals'))
    )
    with op.batch_alter_table('item_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_goals_item_id'), ['item_id'], unique=False)

    op.create_table('item_overrides',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('recurrence_id', sa.String(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_overrides_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_overrides'))
    )
    with op.batch_alter_table('item_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_overrides_item_id'), ['item_id'], unique=False)

    op.create_table('item_personas',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_personas_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['persona_id'], ['personas.id'], name=op.f('fk_item_personas_persona_id_personas'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('item_id', 'persona_id', name=op.f('pk_item_personas'))
    )
    with op.batch_alter_table('item_personas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_personas_persona_id'), ['persona_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('item_personas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_personas_persona_id'))

    op.drop_table('item_personas')
    with op.batch_alter_table('item_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_overrides_item_id'))

    op.drop_table('item_overrides')
    with op.batch_alter_table('item_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_goals_item_id'))

    op.drop_table('item_goals')
    with op.batch_alter_table('sla_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_versions_sla_id'))

    op.drop_table('sla_versions')
    with op.batch_alter_table('sla_signatories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_signatories_sla_id'))

    op.drop_table('sla_signatories')
    with op.batch_alter_table('sla_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_sections_sla_id'))

    op.drop_table('sla_sections')
    with op.batch_alter_table('sla_lead_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_lead_definitions_sla_id'))

    op.drop_table('sla_lead_definitions')
    with op.batch_alter_table('sla_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_commitments_sla_id'))

    op.drop_table('sla_commitments')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_span')
        batch_op.drop_index(batch_op.f('ix_items_owner_id'))

    op.drop_table('items')
    op.drop_table('slas')
    op.drop_table('rule_settings')
    op.drop_table('plan_info')
    op.drop_table('personas')
    op.drop_table('people')
    
