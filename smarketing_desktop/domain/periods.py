"""Periods of the plan: quarters, the coming three months, and printed pages."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def quarter_span(day: dt.date, shift: int = 0) -> tuple[dt.date, dt.date]:
    """First and last day of the quarter of ``day``, moved by ``shift`` quarters."""
    index = day.year * 4 + (day.month - 1) // 3 + shift
    year, quarter = divmod(index, 4)
    first = dt.date(year, 3 * quarter + 1, 1)
    following = dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter ``day`` is in."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def coming_months(today: dt.date, months: int = 3) -> tuple[dt.date, dt.date]:
    """``today`` and the ``months`` after it, up to the day before the same day of the
    month (the 31st of January runs to the 30th of April: no day is lost when the last
    month is shorter)."""
    later = today + relativedelta(months=months)  # the month's last day if it is shorter
    if later.day != today.day:
        return today, later
    return today, later - dt.timedelta(days=1)


def quarter_name(day: dt.date) -> str:
    """``2027 Q1``."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def describe_period(first: dt.date, last: dt.date) -> str:
    """``2027 Q1`` for a whole quarter, else ``2027-01-01 to 2027-02-15``."""
    if (first, last) == quarter_span(first):
        return quarter_name(first)
    return f"{first.isoformat()} to {last.isoformat()}"


def page_count(first: dt.date, last: dt.date, view: str) -> int:
    """How many pages the calendar printout of ``first``..``last`` has: one per month
    (``view == "month"``) or per quarter touched."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if view == "month":
        return max(months, 0)
    quarters = (last.year * 4 + (last.month - 1) // 3) - (first.year * 4 + (first.month - 1) // 3)
    return max(quarters + 1, 0)
