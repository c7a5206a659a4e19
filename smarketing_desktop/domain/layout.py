"""Where calendar bars go: lanes computed over the visible window, not in the painter.

Both the month grid and the quarter timeline stack bars so that none overlap; the same
computation serves the screen and the printout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from smarketing_desktop.domain.items import Occurrence


@dataclass(frozen=True, slots=True)
class Bar:
    """One occurrence drawn in one row of days (a week of the month, or a timeline)."""

    occurrence: Occurrence
    first: int  # column of the first day shown (0-based)
    last: int  # column of the last day shown (inclusive)
    lane: int  # 0 = top
    cut_before: bool  # the item started before this row
    cut_after: bool  # the item goes on after this row
    title_before: bool = False  # its title is written before it (see ``stack``'s lead)


def last_day(o: Occurrence) -> dt.date:
    """The last day an occurrence takes on a calendar: a timed item that ends at midnight
    is over before its end date starts."""
    if o.end_time == dt.time.min and o.start_time is not None and o.end > o.start:
        return o.end - dt.timedelta(days=1)
    return o.end


def _order(o: Occurrence) -> tuple[dt.date, int, dt.time, str]:
    # Long items first on a day so they keep one lane across the week.
    return (o.start, -(last_day(o) - o.start).days, o.start_time or dt.time.min, o.title.casefold())


def stack(
    occurrences: Iterable[Occurrence],
    first_day: dt.date,
    days: int,
    extent: Callable[[Occurrence], int] | None = None,
    lead: Callable[[Occurrence, int], int] | None = None,
) -> list[Bar]:
    """Bars for the days ``first_day`` .. ``first_day + days - 1``, each in the first free lane.

    ``extent(o)`` may say how many columns an occurrence really takes (a short bar with its
    title written beside it), so that the next bar in its lane leaves room for the title.
    ``lead(o, first_column)`` may say how many columns before the bar its title would
    take (a bar at the end of the row, with no room after it): the bar goes in the first
    lane with that room free before it, so its whole title is shown.
    """
    final = first_day + dt.timedelta(days=days - 1)
    lanes_end: list[int] = []  # per lane, the last column taken
    bars = []
    for occurrence in sorted(occurrences, key=_order):
        end = last_day(occurrence)
        if end < first_day or occurrence.start > final:
            continue
        first = max(0, (occurrence.start - first_day).days)
        last = min(days - 1, (end - first_day).days)
        occupied = max(last, first + extent(occurrence) - 1) if extent else last
        before = lead(occurrence, first) if lead else 0
        lane = next((n for n, taken in enumerate(lanes_end) if taken < first - before), -1)
        if lane >= 0:
            lanes_end[lane] = occupied
        else:
            lane = len(lanes_end)
            lanes_end.append(occupied)
        bars.append(
            Bar(
                occurrence,
                first,
                last,
                lane,
                occurrence.start < first_day,
                end > final,
                before > 0,
            )
        )
    return bars


def hidden_per_day(bars: Sequence[Bar], lanes: int, days: int) -> list[int]:
    """How many bars each day cannot show when only ``lanes`` fit ("+N more")."""
    hidden = [0] * days
    for bar in bars:
        if bar.lane >= lanes:
            for column in range(bar.first, bar.last + 1):
                hidden[column] += 1
    return hidden


def month_weeks(year: int, month: int) -> list[dt.date]:
    """The Mondays of the weeks a month grid shows (the first may be in the month before)."""
    first = dt.date(year, month, 1)
    monday = first - dt.timedelta(days=first.weekday())
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    weeks = []
    while monday < next_month:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks
