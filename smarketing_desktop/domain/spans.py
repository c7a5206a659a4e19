"""Where an item goes when it is dragged or resized on the calendar.

A :class:`Span` is the days (and, for a timed item, the times) an occurrence takes. Moving
keeps its length; resizing moves one edge and never lets the end pass the start. Timed
items snap to :data:`SNAP_MINUTES`; all-day items move by whole days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from smarketing_desktop.domain.items import Occurrence

SNAP_MINUTES = 15
DAY_MINUTES = 24 * 60
# The shortest timed item a resize can make: one snap step.
_SHORTEST = dt.timedelta(minutes=SNAP_MINUTES)


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    """``minutes`` rounded down to the step (a time slot under the pointer)."""
    return int(minutes // step) * step


def snap_nearest(minutes: float, step: int = SNAP_MINUTES) -> int:
    """``minutes`` rounded to the nearest step (an edge being dragged)."""
    return round(minutes / step) * step


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min) + dt.timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class Span:
    """First and last day (inclusive) and, for a timed item, its start and end times."""

    start: dt.date
    end: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None

    @classmethod
    def of(cls, occurrence: Occurrence) -> Span:
        return cls(occurrence.start, occurrence.end, occurrence.start_time, occurrence.end_time)

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Span:
        """The span of an item in the exchange shape (its first occurrence for a series).

        A time with an offset keeps its wall-clock time, as the calendar shows it.
        """
        start, end = str(document["start"]), str(document.get("end") or document["start"])
        if "T" not in start:
            return cls(dt.date.fromisoformat(start), dt.date.fromisoformat(end[:10]))
        begin = dt.datetime.fromisoformat(start).replace(tzinfo=None)
        finish = dt.datetime.fromisoformat(end).replace(tzinfo=None)
        return cls(begin.date(), finish.date(), begin.time(), finish.time())

    @property
    def timed(self) -> bool:
        return self.start_time is not None

    @property
    def begin(self) -> dt.datetime:
        return dt.datetime.combine(self.start, self.start_time or dt.time.min)

    @property
    def finish(self) -> dt.datetime:
        """The end moment: the end time of a timed item, the end of the last day otherwise."""
        if self.end_time is None:
            return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        return dt.datetime.combine(self.end, self.end_time)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def _timed(cls, begin: dt.datetime, finish: dt.datetime) -> Span:
        return cls(begin.date(), finish.date(), begin.time(), finish.time())

    def moved(self, days: int = 0, minutes: int = 0) -> Span:
        """The same length, ``days`` (and, if timed, ``minutes``) later."""
        if not self.timed:
            shift = dt.timedelta(days=days)
            return Span(self.start + shift, self.end + shift)
        shift = dt.timedelta(days=days, minutes=minutes)
        return Span._timed(self.begin + shift, self.finish + shift)

    def with_start(self, day: dt.date, minutes: int | None = None) -> Span:
        """The start edge dragged to ``day`` (at ``minutes`` past midnight, if given).

        The start never passes the end: an all-day item keeps at least its last day, a
        timed one at least one snap step.
        """
        if not self.timed:
            return Span(min(day, self.end), self.end)
        wanted = (
            _at(day, minutes)
            if minutes is not None
            else dt.datetime.combine(day, self.start_time or dt.time.min)
        )
        return Span._timed(min(wanted, self.finish - _SHORTEST), self.finish)

    def with_end(self, day: dt.date, minutes: int | None = None) -> Span:
        """The end edge dragged to ``day`` (to ``minutes`` past midnight, if given)."""
        if not self.timed:
            return Span(self.start, max(day, self.start))
        wanted = (
            _at(day, minutes)
            if minutes is not None
            else dt.datetime.combine(day, self.end_time or dt.time.min)
        )
        return Span._timed(self.begin, max(wanted, self.begin + _SHORTEST))

    def shifted_like(self, old: Span, new: Span) -> Span:
        """This span (a series' own) changed as ``old`` (one occurrence) became ``new``.

        Used when a resize of one occurrence is applied to the whole series: its start
        and end move by what the occurrence's start and end moved.
        """
        begin = self.begin + (new.begin - old.begin)
        finish = self.finish + (new.finish - old.finish)
        if not self.timed:
            last = (finish - dt.timedelta(days=1)).date()
            return Span(begin.date(), max(last, begin.date()))
        return Span._timed(begin, max(finish, begin + _SHORTEST))

    def within_day(self) -> bool:
        """Whether a timed item fits on its first day (ending at midnight included)."""
        if not self.timed:
            return False
        if self.end == self.start:
            return True
        return self.end == self.start + dt.timedelta(days=1) and self.end_time == dt.time.min

    def minutes(self) -> tuple[int, int]:
        """Start and end of a timed item in minutes after its first midnight."""
        base = dt.datetime.combine(self.start, dt.time.min)
        return (
            int((self.begin - base).total_seconds() // 60),
            int((self.finish - base).total_seconds() // 60),
        )

    def document_fields(self) -> dict[str, str]:
        """``start`` and ``end`` in the exchange shape (dates, or wall-clock date-times)."""
        if not self.timed:
            return {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"start": self.begin.isoformat(), "end": self.finish.isoformat()}

    def describe(self) -> str:
        """``Tue 12 Jan``, ``Tue 12 – Thu 14 Jan``, ``Tue 12 Jan, 09:30 – 10:15``."""
        if self.timed:
            if self.within_day():
                end = "24:00" if self.end != self.start else f"{self.end_time:%H:%M}"
                return f"{_day(self.start)}, {self.start_time:%H:%M} – {end}"
            return (
                f"{_day(self.start)} {self.start_time:%H:%M} – "
                f"{_day(self.end)} {self.end_time:%H:%M}"
            )
        if self.start == self.end:
            return _day(self.start)
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start:%a} {self.start.day} – {_day(self.end)}"
        return f"{_day(self.start)} – {_day(self.end)}"


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
