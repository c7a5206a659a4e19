"""Campaign review: the goals of the campaigns in a period, and summaries of them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from smarketing_desktop.domain.review import (
    CAMPAIGN_KINDS,
    GoalRow,
    Tally,
    by_persona,
    by_team_and_quarter,
)
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


def goal_rows(plan: Plan, first: dt.date, last: dt.date) -> list[GoalRow]:
    """Every goal of the campaigns that start within ``first``..``last``, by start date.

    Cancelled items and ideas are not reviewed: they never ran.
    """
    query = (
        select(models.Item, models.ItemGoal)
        .join(models.ItemGoal, models.ItemGoal.item_id == models.Item.id)
        .where(models.Item.kind.in_([k.value for k in CAMPAIGN_KINDS]))
        .where(models.Item.status.not_in(["cancelled", "idea"]))
        .where(models.Item.start_date.is_not(None))
        .where(models.Item.start_date >= first, models.Item.start_date <= last)
        .order_by(models.Item.start_date, models.Item.title, models.ItemGoal.position)
    )
    links = select(models.ItemPersona.item_id, models.Persona.name).join(
        models.Persona, models.Persona.id == models.ItemPersona.persona_id
    )
    with plan.read() as session:
        personas: dict[int, list[str]] = defaultdict(list)
        for item_id, name in session.execute(links.order_by(models.ItemPersona.position)):
            personas[item_id].append(name)
        rows = []
        for item, goal in session.execute(query):
            assert item.start_date is not None and item.end_date is not None
            rows.append(
                GoalRow(
                    uid=item.uid,
                    title=item.title,
                    kind=item.kind,
                    start=item.start_date,
                    end=item.end_date,
                    personas=tuple(personas.get(item.id, ())),
                    team=goal.team,
                    metric=goal.metric,
                    target=goal.target,
                    actual=goal.actual,
                    better=goal.better,
                    position=goal.position,
                )
            )
        return rows


__all__ = ["Tally", "by_persona", "by_team_and_quarter", "goal_rows"]
