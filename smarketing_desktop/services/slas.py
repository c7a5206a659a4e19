"""SLAs as lists show them (the builder comes with its own capability)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


@dataclass(frozen=True, slots=True)
class SlaSummary:
    id: str
    title: str
    status: str
    version: int
    effective: dt.date | None
    ends: dt.date | None
    signatories: tuple[str, ...]
    commitments: int


def list_sla_summaries(plan: Plan) -> list[SlaSummary]:
    with plan.read() as session:
        rows = session.scalars(
            select(models.Sla)
            .options(selectinload(models.Sla.signatories), selectinload(models.Sla.commitments))
            .order_by(func.lower(models.Sla.title))
        )
        return [
            SlaSummary(
                id=row.id,
                title=row.title,
                status=row.status,
                version=row.sla_version,
                effective=row.effective,
                ends=row.ends,
                signatories=tuple(s.name for s in row.signatories),
                commitments=len(row.commitments),
            )
            for row in rows
        ]
