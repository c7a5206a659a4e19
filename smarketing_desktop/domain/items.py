"""Items as the calendar shows them: one occurrence of an item on its days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One appearance of an item on the calendar (a recurring item has many).

    ``start``/``end`` are the first and last local day, inclusive; ``start_time`` and
    ``end_time`` are None for all-day items. An occurrence of a series has a
    ``recurrence_id``: the original start of that occurrence as stored in overrides and
    exceptions (``2027-01-12`` or ``2027-01-12T10:00:00``), even when it was moved.
    """

    uid: str
    title: str
    kind: str
    team: str
    status: str
    impact: str
    start: dt.date
    end: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    tz: str | None = None
    owner_id: str | None = None
    owner_name: str = ""
    description: str = ""
    recurring: bool = False
    recurrence_id: str | None = None
    personas: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Idea:
    """An unscheduled item in the ideas backlog (no dates yet)."""

    uid: str
    title: str
    kind: str
    team: str
    status: str
    impact: str
    owner_id: str | None = None
    owner_name: str = ""
    description: str = ""
    personas: tuple[str, ...] = ()
