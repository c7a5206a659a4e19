"""Goals remember who entered the result and when; campaigns get retrospectives per team.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("item_goals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("results_on", sa.Date(), nullable=True))
    op.create_table(
        "item_retrospectives",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=20), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("to_change", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_retrospectives_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "team", name=op.f("pk_item_retrospectives")),
    )


def downgrade() -> None:
    op.drop_table("item_retrospectives")
    with op.batch_alter_table("item_goals", schema=None) as batch_op:
        batch_op.drop_column("results_on")
        batch_op.drop_column("results_by")
