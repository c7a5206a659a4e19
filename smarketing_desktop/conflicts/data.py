"""The compact data the engine works on: each item's facts and its occurrences as ints.

An ``Occ`` is one occurrence: first and last local day as ordinals (inclusive) and, for
timed items, start and end in UTC minutes, so meetings in different zones compare right.
Series are expanded with dateutil; an open-ended series only within the plan's range
(see ``Horizon``), never by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smarketing_desktop.domain.recurrence import series_end, series_rule
from smarketing_desktop.domain.words import Impact, Status

# Ideas are not plans yet, cancelled items will not happen: neither can conflict.
INACTIVE = frozenset({Status.IDEA.value, Status.CANCELLED.value})
# An open-ended series is expanded at most this long after its first occurrence.
MAX_OPEN_SERIES_DAYS = 5 * 366
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_IMPACT_RANK = {impact.value: impact.rank for impact in Impact}
_FIRST_MOMENT = dt.datetime(1, 1, 1)


def open_ended(rrule: str | None) -> bool:
    """True for a series without COUNT or UNTIL (it never ends)."""
    upper = (rrule or "").upper()
    return bool(upper) and "COUNT=" not in upper and "UNTIL=" not in upper


@dataclass(frozen=True, slots=True)
class OverrideFacts:
    """One moved occurrence of a series ("this one only")."""

    recurrence_id: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None


# Not frozen: a plan's worth is made at every check, and frozen dataclasses are slow to
# build. Treat instances as values (``dataclasses.replace`` makes a changed copy).
@dataclass(slots=True)
class ItemFacts:
    """What the rules need to know about one item, straight from the plan."""

    uid: str
    title: str
    kind: str
    impact: str = Impact.MEDIUM.value
    status: str = Status.PLANNED.value
    owner: str | None = None
    personas: tuple[str, ...] = ()
    signoff_marketing: bool = False
    signoff_sales: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    tz: str | None = None
    rrule: str | None = None
    exdates: tuple[str, ...] = ()
    rdates: tuple[str, ...] = ()
    overrides: tuple[OverrideFacts, ...] = ()

    @property
    def active(self) -> bool:
        """Scheduled, and neither an idea nor cancelled."""
        return self.start_date is not None and self.status not in INACTIVE

    def last_day(self) -> dt.date | None:
        """The last day any occurrence touches; None for an open-ended series."""
        end = series_end(self.start_date, self.start_time, self.end_date, self.rrule, self.rdates)
        if end is not None and self.overrides:
            end = max(end, *(o.end_date for o in self.overrides))
        return end


class Occ:
    """One occurrence of an item, as small ints (compared millions of times)."""

    __slots__ = ("d0", "d1", "entry", "lm0", "lm1", "n", "u0", "u1")

    def __init__(
        self, entry: Entry, d0: int, d1: int, lm0: int = -1, lm1: int = -1, u0: int = 0, u1: int = 0
    ) -> None:
        self.entry = entry
        self.d0 = d0  # first local day (ordinal)
        self.d1 = d1  # last local day (ordinal), inclusive
        self.lm0 = lm0  # local start minute of the day; -1 for all-day
        self.lm1 = lm1
        self.u0 = u0  # UTC minutes since 1970 (timed only)
        self.u1 = u1
        self.n = 0  # a sequence number the engine gives, for a stable order

    @property
    def timed(self) -> bool:
        return self.lm0 >= 0

    @property
    def start(self) -> dt.date:
        return dt.date.fromordinal(self.d0)

    @property
    def end(self) -> dt.date:
        return dt.date.fromordinal(self.d1)

    def moment(self, last: bool = False) -> str:
        """The local start (or end) as ISO text: a date, or a date-time without zone."""
        day = dt.date.fromordinal(self.d1 if last else self.d0).isoformat()
        minute = self.lm1 if last else self.lm0
        return day if minute < 0 else f"{day}T{minute // 60:02d}:{minute % 60:02d}:00"

    def __repr__(self) -> str:
        return f"Occ({self.entry.uid!r}, {self.moment()}..{self.moment(True)})"


class Entry:
    """An active item: its facts as the rules use them, and its occurrences."""

    __slots__ = (
        "impact",
        "kind",
        "occs",
        "owner",
        "personas",
        "recurring",
        "signed_marketing",
        "signed_sales",
        "title",
        "uid",
    )

    def __init__(self, facts: ItemFacts) -> None:
        self.uid = facts.uid
        self.title = facts.title
        self.kind = facts.kind
        self.impact = _IMPACT_RANK.get(facts.impact, 1)
        self.owner = facts.owner
        self.personas = frozenset(facts.personas)
        self.signed_marketing = facts.signoff_marketing
        self.signed_sales = facts.signoff_sales
        self.recurring = bool(facts.rrule)
        self.occs: tuple[Occ, ...] = ()

    def __repr__(self) -> str:
        return f"Entry({self.uid!r}, {self.kind}, {len(self.occs)} occurrences)"


@dataclass(frozen=True, slots=True)
class Horizon:
    """The plan's range, over which series are expanded.

    ``last`` is the latest day any single item or bounded series touches (or the latest
    start of an open-ended series). An open-ended series is expanded from its start to
    ``last``, and never more than ``MAX_OPEN_SERIES_DAYS`` past its start, so a stray
    far-future item cannot make every weekly meeting expand for decades. A check keeps
    its horizon; when an edit moves an item outside it, the caller checks afresh.
    """

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, facts: Iterable[ItemFacts]) -> Horizon:
        first: dt.date | None = None
        last: dt.date | None = None
        for item in facts:
            if not item.active or item.start_date is None:
                continue
            end = item.last_day() or item.start_date
            first = item.start_date if first is None else min(first, item.start_date)
            last = end if last is None else max(last, end)
        today = dt.date.today()
        return cls(first or today, last or today)

    def covers(self, facts: ItemFacts) -> bool:
        """True when the item lies within this range (so the range need not grow)."""
        if facts.start_date is None:
            return True
        end = facts.last_day() or facts.start_date
        return self.first <= facts.start_date and end <= self.last


def zone_of(tz: str | None, floating: dt.tzinfo) -> dt.tzinfo:
    """The zone of a timed item: an IANA name, a fixed offset ``+01:00``, or floating."""
    if not tz:
        return floating
    if len(tz) == 6 and tz[0] in "+-" and tz[3] == ":":
        sign = -1 if tz[0] == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return floating


def _utc_minutes(moment: dt.datetime, zone: dt.tzinfo) -> int:
    # The zone's offset at that wall-clock time, applied to plain minute arithmetic: the
    # same instant as an aware subtraction, at a third of the cost (run per occurrence).
    offset = zone.utcoffset(moment) or dt.timedelta(0)
    local = (moment.toordinal() - _EPOCH_DAY) * 1440 + moment.hour * 60 + moment.minute
    return local - int(offset.total_seconds()) // 60


def _make_occ(
    entry: Entry, start: dt.datetime, end: dt.datetime, timed: bool, zone: dt.tzinfo
) -> Occ:
    if not timed:
        return Occ(entry, start.toordinal(), end.toordinal())
    u0 = _utc_minutes(start, zone)
    # A zero-length meeting still takes its minute.
    u1 = max(_utc_minutes(end, zone), u0 + 1)
    return Occ(
        entry,
        start.toordinal(),
        end.toordinal(),
        start.hour * 60 + start.minute,
        end.hour * 60 + end.minute,
        u0,
        u1,
    )


def build_entry(facts: ItemFacts, horizon: Horizon, floating: dt.tzinfo = dt.UTC) -> Entry | None:
    """The compact entry of an item, or None when it cannot conflict (inactive).

    Args:
        facts: the item.
        horizon: the plan's range, for open-ended series.
        floating: the zone floating times are read in (the user's local zone).
    """
    if not facts.active or facts.start_date is None:
        return None
    entry = Entry(facts)
    timed = facts.start_time is not None
    end_date = facts.end_date or facts.start_date
    start = dt.datetime.combine(facts.start_date, facts.start_time or dt.time.min)
    end = dt.datetime.combine(end_date, facts.end_time or dt.time.min)
    length = max(end - start, dt.timedelta(0))
    zone = zone_of(facts.tz, floating) if timed else dt.UTC
    if not facts.rrule:
        entry.occs = (_make_occ(entry, start, start + length, timed, zone),)
        return entry
    rule = series_rule(facts.rrule, start)
    for value in facts.rdates:
        extra = dt.datetime.fromisoformat(value)
        rule.rdate(extra.replace(tzinfo=None))
    skipped = {value[:10] for value in facts.exdates}
    moved = {o.recurrence_id[:10]: o for o in facts.overrides}
    upper = horizon.last
    if open_ended(facts.rrule):
        upper = min(upper, facts.start_date + dt.timedelta(days=MAX_OPEN_SERIES_DAYS))
    moments = rule.between(_FIRST_MOMENT, dt.datetime.combine(upper, dt.time.max), inc=True)
    occs = []
    for moment in moments:
        key = moment.date().isoformat()
        if key in skipped or key in moved:
            continue
        occs.append(_make_occ(entry, moment, moment + length, timed, zone))
    for override in moved.values():
        o_start = dt.datetime.combine(override.start_date, override.start_time or dt.time.min)
        o_end = dt.datetime.combine(override.end_date, override.end_time or dt.time.min)
        occs.append(_make_occ(entry, o_start, max(o_end, o_start), timed, zone))
    occs.sort(key=lambda o: (o.d0, o.lm0, o.d1, o.lm1))
    entry.occs = tuple(occs)
    return entry
