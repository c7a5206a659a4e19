"""Reading items for the views: only what a visible date range needs."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from sqlalchemy import func, or_, select

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan


def count_items(plan: Plan) -> int:
    with plan.read() as session:
        return session.scalar(select(func.count()).select_from(models.Item)) or 0


def occurrences_between(plan: Plan, first: dt.date, last: dt.date) -> list[Occurrence]:
    """Every occurrence touching the days ``first``..``last`` (inclusive), by start.

    Only rows whose span overlaps the range (or recurring series that started before its
    end) are read, via the span index: a view of one month never loads the whole plan.
    """
    query = (
        select(models.Item, models.Person.name)
        .outerjoin(models.Person, models.Item.owner_id == models.Person.id)
        .where(models.Item.start_date.is_not(None))
        .where(models.Item.start_date <= last)
        .where(or_(models.Item.end_date >= first, models.Item.rrule.is_not(None)))
    )
    result: list[Occurrence] = []
    with plan.read() as session:
        for item, owner_name in session.execute(query):
            result.extend(_occurrences(item, owner_name or "", first, last))
    result.sort(key=lambda o: (o.start, o.start_time or dt.time.min, o.title.lower()))
    return result


def _occurrences(
    item: models.Item, owner_name: str, first: dt.date, last: dt.date
) -> list[Occurrence]:
    assert item.start_date is not None and item.end_date is not None
    length = item.end_date - item.start_date
    base = dict(
        uid=item.uid,
        title=item.title,
        kind=item.kind,
        team=item.team,
        status=item.status,
        impact=item.impact,
        start_time=item.start_time,
        end_time=item.end_time,
        tz=item.tz,
        owner_id=item.owner_id,
        owner_name=owner_name,
        description=item.description,
        recurring=bool(item.rrule),
    )
    if not item.rrule:
        return [Occurrence(start=item.start_date, end=item.end_date, **base)]  # type: ignore[arg-type]
    starts = _series_starts(item, first - length, last)
    return [
        Occurrence(start=start, end=start + length, **base)  # type: ignore[arg-type]
        for start in starts
    ]


def _series_starts(item: models.Item, first: dt.date, last: dt.date) -> list[dt.date]:
    assert item.start_date is not None and item.rrule is not None
    dtstart = dt.datetime.combine(item.start_date, item.start_time or dt.time.min)
    rule = rrulestr(item.rrule, dtstart=dtstart, forceset=True)
    skipped = {dt.date.fromisoformat(str(value)[:10]) for value in item.exdates}
    window = rule.between(
        dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last, dt.time.max), inc=True
    )
    return [moment.date() for moment in window if moment.date() not in skipped]
