"""Personas as lists show them (the editor comes with its own capability)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


@dataclass(frozen=True, slots=True)
class PersonaCard:
    id: str
    name: str
    role: str
    summary: str
    buying_stage: str
    picture: bytes | None


def _summary(row: models.Persona) -> str:
    if row.quote:
        return f"“{row.quote}”"
    if row.goals:
        return f"Wants to {str(row.goals[0])[:1].lower()}{str(row.goals[0])[1:]}"
    return ", ".join(part for part in (row.industry, row.company_size) if part)


def list_persona_cards(plan: Plan) -> list[PersonaCard]:
    with plan.read() as session:
        rows = session.scalars(select(models.Persona).order_by(func.lower(models.Persona.name)))
        return [
            PersonaCard(
                id=row.id,
                name=row.name,
                role=row.role,
                summary=_summary(row),
                buying_stage=row.buying_stage,
                picture=row.picture,
            )
            for row in rows
        ]
