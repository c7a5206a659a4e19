"""SLAs name their parties: the leader of marketing and the leader of sales.

Existing agreements get the first signatory of each team as that team's party, which is
what their printouts showed as parties until now.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sla_parties",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sla_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sla_id"], ["slas.id"], name=op.f("fk_sla_parties_sla_id_slas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_parties")),
    )
    with op.batch_alter_table("sla_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sla_parties_sla_id"), ["sla_id"], unique=False)
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT sla_id, team, name, title FROM sla_signatories "
            "WHERE team IN ('marketing', 'sales') ORDER BY sla_id, position, id"
        )
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    for sla_id, team, name, title in rows:
        if (sla_id, team) in seen:
            continue
        seen.add((sla_id, team))
        bind.execute(
            sa.text(
                "INSERT INTO sla_parties (sla_id, position, team, name, title) "
                "VALUES (:sla_id, :position, :team, :name, :title)"
            ),
            {
                "sla_id": sla_id,
                "position": 0 if team == "marketing" else 1,
                "team": team,
                "name": name,
                "title": title,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("sla_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sla_parties_sla_id"))
    op.drop_table("sla_parties")
