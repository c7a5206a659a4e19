"""Items keep the last day their series touches, for fast range queries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op
from dateutil.rrule import rrulestr

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _series_end(start: str, start_time: str | None, end: str, rule: str | None) -> dt.date | None:
    # Frozen copy of the calculation at the time of this revision (migrations never import
    # app code that may change later).
    start_date, end_date = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if not rule:
        return end_date
    if "COUNT=" not in rule.upper() and "UNTIL=" not in rule.upper():
        return None
    first = dt.datetime.combine(start_date, dt.time.fromisoformat(start_time) if start_time else dt.time.min)
    last = start_date
    for moment in rrulestr(rule, dtstart=first):
        last = moment.date()
    return last + (end_date - start_date)


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_end", sa.Date(), nullable=True))
        batch_op.create_index("ix_items_series", ["start_date", "series_end"])
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, start_date, start_time, end_date, rrule FROM items WHERE start_date IS NOT NULL")
    ).fetchall()
    for item_id, start, start_time, end, rule in rows:
        value = _series_end(str(start), str(start_time) if start_time else None, str(end), rule)
        bind.execute(
            sa.text("UPDATE items SET series_end = :value WHERE id = :id"),
            {"value": value, "id": item_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_series")
        batch_op.drop_column("series_end")
