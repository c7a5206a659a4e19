"""Recurrence facts the store keeps so range queries need not expand every series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.rrule import rrulestr

# A series without COUNT or UNTIL never ends; None says so.
_BOUNDED = ("COUNT=", "UNTIL=")


def series_end(
    start_date: dt.date | None,
    start_time: dt.time | None,
    end_date: dt.date | None,
    rrule: str | None,
    rdates: Iterable[str] = (),
) -> dt.date | None:
    """The last day any occurrence of an item touches, or None for a series without end.

    For a single item that is its end date. For a series it is the end of its last
    occurrence (including extra RDATEs), so "which items touch this month" is one
    indexed range query instead of an expansion of every series in the plan.
    """
    if start_date is None or end_date is None:
        return None
    if not rrule:
        return end_date
    upper = rrule.upper()
    if not any(part in upper for part in _BOUNDED):
        return None
    length = end_date - start_date
    first = dt.datetime.combine(start_date, start_time or dt.time.min)
    rule = rrulestr(rrule, dtstart=first)
    last = start_date
    for moment in rule:
        last = moment.date()
    extra = [dt.date.fromisoformat(value[:10]) for value in rdates]
    return max([last, *extra]) + length
