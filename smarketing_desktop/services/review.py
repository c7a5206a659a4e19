"""Campaign review: the goals of the campaigns in a period, their results and retrospectives."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from smarketing_desktop.domain.review import (
    CAMPAIGN_KINDS,
    Campaign,
    GoalResult,
    GoalRow,
    Retrospective,
    Tally,
    by_persona,
    by_team_and_quarter,
    campaigns_of,
)
from smarketing_desktop.domain.words import Team
from smarketing_desktop.errors import ConcurrentEditError, NotFoundError, ValidationError
from smarketing_desktop.services.common import check_version
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

# Longer than any note a team writes after a campaign; stops a paste of a whole file.
MAX_NOTE = 20_000
MAX_NAME = 500


_ROW_COLUMNS = (
    models.Item.id,
    models.Item.uid,
    models.Item.title,
    models.Item.kind,
    models.Item.start_date,
    models.Item.end_date,
    models.Item.version,
    models.ItemGoal.team,
    models.ItemGoal.metric,
    models.ItemGoal.target,
    models.ItemGoal.actual,
    models.ItemGoal.better,
    models.ItemGoal.position,
    models.ItemGoal.results_by,
    models.ItemGoal.results_on,
)


def goal_rows(plan: Plan, first: dt.date, last: dt.date) -> list[GoalRow]:
    """Every goal of the campaigns that start within ``first``..``last``, by start date.

    Cancelled items and ideas are not reviewed: they never ran. Only the columns the
    review shows are read, and only the period's persona links.
    """
    query = (
        select(*_ROW_COLUMNS)
        .join(models.ItemGoal, models.ItemGoal.item_id == models.Item.id)
        .where(models.Item.kind.in_([k.value for k in CAMPAIGN_KINDS]))
        .where(models.Item.status.not_in(["cancelled", "idea"]))
        .where(models.Item.start_date.is_not(None))
        .where(models.Item.start_date >= first, models.Item.start_date <= last)
        .order_by(models.Item.start_date, models.Item.title, models.ItemGoal.position)
    )
    with plan.read() as session:
        found = list(session.execute(query))
        personas: dict[int, list[str]] = defaultdict(list)
        ids = sorted({row.id for row in found})
        # In chunks: SQLite limits the number of parameters of one statement.
        for start in range(0, len(ids), 500):
            links = (
                select(models.ItemPersona.item_id, models.Persona.name)
                .join(models.Persona, models.Persona.id == models.ItemPersona.persona_id)
                .where(models.ItemPersona.item_id.in_(ids[start : start + 500]))
                .order_by(models.ItemPersona.item_id, models.ItemPersona.position)
            )
            for item_id, name in session.execute(links):
                personas[item_id].append(name)
    rows = []
    for row in found:
        assert row.start_date is not None and row.end_date is not None
        rows.append(
            GoalRow(
                uid=row.uid,
                title=row.title,
                kind=row.kind,
                start=row.start_date,
                end=row.end_date,
                personas=tuple(personas.get(row.id, ())),
                team=row.team,
                metric=row.metric,
                target=row.target,
                actual=row.actual,
                better=row.better,
                position=row.position,
                results_by=row.results_by,
                results_on=row.results_on,
                item_version=row.version,
            )
        )
    return rows


def review_campaigns(plan: Plan, first: dt.date, last: dt.date) -> list[Campaign]:
    """The campaigns with goals that start within ``first``..``last``, with retrospectives."""
    campaigns = campaigns_of(goal_rows(plan, first, last))
    if not campaigns:
        return []
    uids = [c.uid for c in campaigns]
    notes: dict[str, list[Retrospective]] = defaultdict(list)
    with plan.read() as session:
        for start in range(0, len(uids), 500):
            query = (
                select(models.Item.uid, models.ItemRetrospective)
                .join(models.Item, models.Item.id == models.ItemRetrospective.item_id)
                .where(models.Item.uid.in_(uids[start : start + 500]))
                .order_by(models.ItemRetrospective.team)
            )
            for uid, row in session.execute(query):
                notes[uid].append(Retrospective(row.team, row.went_well, row.to_change, row.author))
    return [replace(c, retrospectives=tuple(notes.get(c.uid, ()))) for c in campaigns]


def _item(session: Session, uid: str) -> models.Item:
    item = session.scalar(select(models.Item).where(models.Item.uid == uid))
    if item is None:
        raise NotFoundError("This campaign is no longer in the plan (it was removed meanwhile).")
    return item


def _changed_meanwhile() -> ConcurrentEditError:
    return ConcurrentEditError(
        "This result was changed in another window or by another command in the meantime; "
        "the review now shows what is stored. Enter it again if it is still needed."
    )


def _text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    if "\x00" in value:
        raise ValidationError(what, "contains a NUL character")
    if len(value) > limit:
        raise ValidationError(what, f"is longer than {limit:,} characters")
    return value.strip()


def enter_result(
    plan: Plan,
    *,
    uid: str,
    position: int,
    metric: str,
    result: GoalResult,
    previous: GoalResult,
    version: int | None = None,
) -> tuple[int, GoalResult]:
    """Store the actual of a campaign's goal, who entered it and when; one transaction.

    Clearing the actual (``None``) clears who entered it and when as well.

    Args:
        uid: the campaign.
        position: the goal's place in the campaign's goals.
        metric: the goal's metric as the user saw it; a goal list changed meanwhile is
            refused rather than a result written to the wrong goal.
        result: what to store.
        previous: the result the user saw (what this entry replaces). If the stored
            result differs, someone else entered one meanwhile and this entry is refused.
        version: the campaign's version counter the user saw, when the entry comes from a
            view; undo and redo leave it out and rely on ``previous``.

    Returns:
        The campaign's new version counter and the result as stored.

    Raises:
        NotFoundError: the campaign is gone.
        ConcurrentEditError: the campaign or this result changed meanwhile.
        ValidationError: the actual is not a finite number, or a name is unusable.
    """
    if result.actual is not None and not math.isfinite(result.actual):
        raise ValidationError("actual", "is not a finite number")
    entered_by = _text(result.results_by, "results entered by", MAX_NAME)
    if result.actual is None:
        result = GoalResult()
    else:
        result = replace(result, actual=float(result.actual), results_by=entered_by or None)
    with plan.write() as session:
        item = _item(session, uid)
        if version is not None:
            check_version(item.version, version)
        goal = next((g for g in item.goals if g.position == position), None)
        if goal is None or goal.metric != metric:
            raise _changed_meanwhile()
        if GoalResult(goal.actual, goal.results_by, goal.results_on) != previous:
            raise _changed_meanwhile()
        goal.actual, goal.results_by, goal.results_on = (
            result.actual,
            result.results_by,
            result.results_on,
        )
        # A goal is part of its campaign: the campaign's version counts this change, so a
        # dialog still showing the old goals cannot overwrite it.
        item.updated_at = models.utcnow()
        session.flush()
        return item.version, result


def save_retrospective(
    plan: Plan,
    *,
    uid: str,
    note: Retrospective,
    previous: Retrospective,
    version: int | None = None,
) -> tuple[int, Retrospective]:
    """Store one team's retrospective of a campaign; an all-empty note removes it.

    Args:
        uid: the campaign.
        note: the team's note as it should be stored (leading and trailing spaces go).
        previous: the note the user saw; if the stored one differs, the save is refused.
        version: the campaign's version counter the user saw (left out by undo and redo).

    Returns:
        The campaign's new version counter and the note as stored.

    Raises:
        NotFoundError: the campaign is gone.
        ConcurrentEditError: the campaign or this note changed meanwhile.
        ValidationError: an unknown team, a NUL character or an overly long text.
    """
    if note.team not in Team._value2member_map_:
        raise ValidationError("team", f"{note.team!r} is not a team")
    note = Retrospective(
        note.team,
        _text(note.went_well, "what went well", MAX_NOTE) or "",
        _text(note.to_change, "what to change", MAX_NOTE) or "",
        _text(note.author, "author", MAX_NAME) or "",
    )
    with plan.write() as session:
        item = _item(session, uid)
        if version is not None:
            check_version(item.version, version)
        row = next((r for r in item.retrospectives if r.team == note.team), None)
        stored = (
            Retrospective(row.team, row.went_well, row.to_change, row.author)
            if row is not None
            else Retrospective(note.team)
        )
        if stored != previous:
            raise ConcurrentEditError(
                "This retrospective was changed in another window or by another command in "
                "the meantime; the review now shows what is stored."
            )
        if note.empty:
            if row is not None:
                item.retrospectives.remove(row)
        elif row is None:
            item.retrospectives.append(
                models.ItemRetrospective(
                    team=note.team,
                    went_well=note.went_well,
                    to_change=note.to_change,
                    author=note.author,
                )
            )
        else:
            row.went_well, row.to_change, row.author = note.went_well, note.to_change, note.author
        item.updated_at = models.utcnow()
        session.flush()
        return item.version, note


__all__ = [
    "Tally",
    "by_persona",
    "by_team_and_quarter",
    "enter_result",
    "goal_rows",
    "review_campaigns",
    "save_retrospective",
]
