"""Reading items for the views: only what a visible date range needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from smarketing_desktop.domain.items import Idea, Occurrence
from smarketing_desktop.domain.recurrence import series_rule
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


def count_items(plan: Plan) -> int:
    with plan.read() as session:
        return session.scalar(select(func.count()).select_from(models.Item)) or 0


_COLUMNS = (
    models.Item.uid,
    models.Item.title,
    models.Item.kind,
    models.Item.team,
    models.Item.status,
    models.Item.impact,
    models.Item.start_date,
    models.Item.end_date,
    models.Item.start_time,
    models.Item.end_time,
    models.Item.tz,
    models.Item.owner_id,
    models.Person.name,
    models.Item.description,
    models.Item.rrule,
    models.Item.channels,
    models.Item.id,
)


def occurrences_between(plan: Plan, first: dt.date, last: dt.date) -> list[Occurrence]:
    """Every occurrence touching the days ``first``..``last`` (inclusive), by start.

    Single items and series are found by one indexed range query (a series by the last
    day it touches), reading only the columns a view needs: a view of one month never
    loads the whole plan, nor expands series that ended before it.
    """
    # One range query over (start_date, series_end), answered from the index: a single
    # item's series_end is its end date, a series' the last day it touches (None: never ends).
    columns = select(*_COLUMNS).outerjoin(models.Person, models.Item.owner_id == models.Person.id)
    query = columns.where(
        models.Item.start_date.is_not(None), models.Item.start_date <= last
    ).where(or_(models.Item.series_end >= first, models.Item.series_end.is_(None)))
    # A "this one only" occurrence can be moved outside its series' own span (the last
    # meeting a month later): such series are found through their (few) overrides.
    moved_here = columns.where(
        models.Item.rrule.is_not(None),
        models.Item.id.in_(
            select(models.ItemOverride.item_id).where(
                models.ItemOverride.start_date <= last, models.ItemOverride.end_date >= first
            )
        ),
    )
    result: list[Occurrence] = []
    with plan.read() as session:
        series_rows = []
        rows = list(session.execute(query))
        found = {row.id for row in rows}
        rows += [row for row in session.execute(moved_here) if row.id not in found]
        personas = _personas_of(session, [row.id for row in rows])
        for row in rows:
            if row.rrule is None:
                result.append(_occurrence(row, row.start_date, row.end_date, personas))
            else:
                series_rows.append(row)
        moved: dict[int, dict[dt.date, models.ItemOverride]] = {}
        extras: dict[int, tuple[list[Any], list[Any]]] = {}
        if series_rows:
            # Exceptions are read for series only: most items have none to decode.
            ids = [row.id for row in series_rows]
            for item_id, exdates, rdates in session.execute(
                select(models.Item.id, models.Item.exdates, models.Item.rdates).where(
                    models.Item.id.in_(ids)
                )
            ):
                extras[item_id] = (exdates, rdates)
            overrides = session.scalars(
                select(models.ItemOverride).where(
                    models.ItemOverride.item_id.in_([row.id for row in series_rows])
                )
            )
            for override in overrides:
                key = dt.date.fromisoformat(override.recurrence_id[:10])
                moved.setdefault(override.item_id, {})[key] = override
        for row in series_rows:
            exdates, rdates = extras[row.id]
            result.extend(
                _series(row, first, last, exdates, rdates, moved.get(row.id, {}), personas)
            )
    result.sort(key=lambda o: (o.start, o.start_time or dt.time.min, o.title.lower()))
    return result


def backlog(plan: Plan) -> list[Idea]:
    """The ideas backlog: items without dates, by title."""
    query = (
        select(*_COLUMNS)
        .outerjoin(models.Person, models.Item.owner_id == models.Person.id)
        .where(models.Item.start_date.is_(None))
        .order_by(func.lower(models.Item.title), models.Item.uid)
    )
    with plan.read() as session:
        rows = list(session.execute(query))
        personas = _personas_of(session, [row.id for row in rows])
        return [
            Idea(
                uid=row.uid,
                title=row.title,
                kind=row.kind,
                team=row.team,
                status=row.status,
                impact=row.impact,
                owner_id=row.owner_id,
                owner_name=row.name or "",
                description=row.description,
                personas=personas.get(row.id, ()),
            )
            for row in rows
        ]


def _personas_of(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The personas each item targets, in the user's order (one query per 500 items)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        links = session.execute(
            select(models.ItemPersona.item_id, models.ItemPersona.persona_id)
            .where(models.ItemPersona.item_id.in_(ids[start : start + 500]))
            .order_by(models.ItemPersona.item_id, models.ItemPersona.position)
        )
        for item_id, persona_id in links:
            found.setdefault(item_id, []).append(persona_id)
    return {item_id: tuple(values) for item_id, values in found.items()}


def _occurrence(
    row: Any,
    start: dt.date,
    end: dt.date,
    personas: dict[int, tuple[str, ...]],
    title: str | None = None,
    recurrence_id: str | None = None,
) -> Occurrence:
    return Occurrence(
        uid=row.uid,
        title=title or row.title,
        kind=row.kind,
        team=row.team,
        status=row.status,
        impact=row.impact,
        start=start,
        end=end,
        start_time=row.start_time,
        end_time=row.end_time,
        tz=row.tz,
        owner_id=row.owner_id,
        owner_name=row.name or "",
        description=row.description,
        recurring=row.rrule is not None,
        recurrence_id=recurrence_id,
        personas=personas.get(row.id, ()),
        channels=tuple(row.channels or ()),
    )


def _series(
    row: Any,
    first: dt.date,
    last: dt.date,
    exdates: list[Any],
    rdates: list[Any],
    moved: dict[dt.date, models.ItemOverride],
    personas: dict[int, tuple[str, ...]],
) -> list[Occurrence]:
    """The occurrences of one series that touch ``first``..``last``.

    Skipped dates (EXDATE) are left out, extra dates (RDATE) added, and a moved
    occurrence ("this one only") appears on its new days, wherever those are.
    """
    length = row.end_date - row.start_date
    dtstart = dt.datetime.combine(row.start_date, row.start_time or dt.time.min)
    rule = series_rule(row.rrule, dtstart)
    for value in rdates:
        extra = dt.datetime.fromisoformat(str(value))
        rule.rdate(extra if extra.tzinfo is None else extra.replace(tzinfo=None))
    skipped = {dt.date.fromisoformat(str(value)[:10]) for value in exdates}
    window = rule.between(
        dt.datetime.combine(first - length, dt.time.min),
        dt.datetime.combine(last, dt.time.max),
        inc=True,
    )
    result = [
        _occurrence(
            row,
            moment.date(),
            moment.date() + length,
            personas,
            recurrence_id=recurrence_key(moment, all_day=row.start_time is None),
        )
        for moment in window
        if moment.date() not in skipped and moment.date() not in moved
    ]
    for override in moved.values():
        if override.start_date <= last and override.end_date >= first:
            occurrence = _occurrence(
                row,
                override.start_date,
                override.end_date,
                personas,
                override.title,
                override.recurrence_id,
            )
            if override.start_time is not None:
                occurrence = replace(
                    occurrence, start_time=override.start_time, end_time=override.end_time
                )
            result.append(occurrence)
    return result


def recurrence_key(moment: dt.datetime, *, all_day: bool) -> str:
    """How the original start of an occurrence is written in overrides and exceptions."""
    return moment.date().isoformat() if all_day else moment.replace(tzinfo=None).isoformat()
