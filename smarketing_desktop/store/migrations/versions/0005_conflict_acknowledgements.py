"""Acknowledged conflicts: "we know, it is fine", with a note, until an item moves.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conflict_acknowledgements",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("persona_id", sa.String(length=200), nullable=True),
        sa.Column("occurrences", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_conflict_acknowledgements")),
    )


def downgrade() -> None:
    op.drop_table("conflict_acknowledgements")
