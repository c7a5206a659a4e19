"""Time zones for iCalendar files: VTIMEZONEs to write, IANA names for what we read.

Export writes a VTIMEZONE the way Outlook and Google write theirs: a ``DTSTART`` in 1970
and one yearly ``RRULE`` for the STANDARD and one for the DAYLIGHT part, derived from the
rules zoneinfo applies now (a zone without daylight saving gets a single STANDARD part).
A zone whose rules cannot be said in that shape (Israel's "Friday before the last Sunday",
a zone about to change its rules) falls back to icalendar's own explicit transitions.

Import maps what real files name a zone by to an IANA name: IANA names as they are,
Windows names (``W. Europe Standard Time``) through the CLDR table icalendar ships, the
"globally unique" ``/vendor/Europe/Berlin`` form of Mozilla and libical, and a custom
VTIMEZONE by comparing its offsets with every zone zoneinfo knows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import icalendar
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Names for UTC that need no VTIMEZONE: times in these zones are written with a "Z".
UTC_NAMES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
        "Z",
        "GMT",
        "Etc/GMT",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "Etc/GMT0",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Etc/Greenwich",
        "Greenwich",
    }
)
# How many years the derived yearly rules must hold to be written as RRULEs.
RULE_YEARS = 10
_EPOCH_YEAR = 1970
_DAY = dt.timedelta(days=1)
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def is_utc(name: str | None) -> bool:
    return name is not None and name in UTC_NAMES


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The zoneinfo zone of an IANA name (cached: looked up once per export)."""
    return ZoneInfo(name)


def known_zone(name: str) -> bool:
    """True when ``name`` is an IANA zone this machine's zone database has."""
    if not name or name.startswith("/") or ".." in name or name != name.strip():
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# ---------------------------------------------------------------------------------------
# Export: VTIMEZONE in the 1970 + yearly RRULE style


@dataclass(frozen=True, slots=True)
class _Transition:
    """A change of offset, said as the local wall-clock time before the change."""

    local: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    daylight: bool


@dataclass(frozen=True, slots=True)
class YearlyRule:
    """One yearly change: ``month``, the ``nth`` ``weekday`` (-1: last), a local time."""

    month: int
    nth: int
    weekday: int
    time: dt.time
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str

    def first_in(self, year: int) -> dt.datetime:
        day: weekday = _WEEKDAYS[self.weekday](self.nth)
        start = dt.datetime.combine(dt.date(year, self.month, 1), self.time)
        if self.nth < 0:
            return start + relativedelta(day=31, weekday=day)
        return start + relativedelta(weekday=day)

    @property
    def rrule(self) -> dict[str, object]:
        return {
            "FREQ": "YEARLY",
            "BYMONTH": self.month,
            "BYDAY": f"{self.nth}{_ICAL_DAYS[self.weekday]}",
        }


def _offset(tz: dt.tzinfo, moment: dt.datetime) -> dt.timedelta:
    offset = moment.astimezone(tz).utcoffset()
    assert offset is not None
    return offset


def transitions(name: str, first_year: int, last_year: int) -> list[_Transition]:
    """Every change of UTC offset of zone ``name`` in ``first_year``..``last_year``."""
    tz = zone(name)
    begin = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    result = []
    moment, offset = begin, _offset(tz, begin)
    while moment < end:
        following = moment + _DAY
        next_offset = _offset(tz, following)
        if next_offset != offset:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _offset(tz, middle) == offset:
                    low = middle
                else:
                    high = middle
            local = (high + offset).replace(tzinfo=None)
            after = high.astimezone(tz)
            daylight = bool(after.dst())
            result.append(_Transition(local, offset, next_offset, after.tzname() or "", daylight))
        moment, offset = following, next_offset
    return result


def _yearly_rule(changes: list[_Transition]) -> YearlyRule | None:
    """The one yearly rule that all ``changes`` (one per year) follow, if there is one."""
    first = changes[0]
    if any(
        (c.local.month, c.local.time(), c.local.weekday(), c.offset_from, c.offset_to)
        != (
            first.local.month,
            first.local.time(),
            first.local.weekday(),
            first.offset_from,
            first.offset_to,
        )
        for c in changes
    ):
        return None
    if all(c.local.day + 7 > calendar.monthrange(c.local.year, c.local.month)[1] for c in changes):
        nth = -1
    else:
        numbers = {(c.local.day - 1) // 7 + 1 for c in changes}
        if len(numbers) != 1:
            return None
        nth = numbers.pop()
    return YearlyRule(
        month=first.local.month,
        nth=nth,
        weekday=first.local.weekday(),
        time=first.local.time(),
        offset_from=first.offset_from,
        offset_to=first.offset_to,
        name=first.name,
    )


@dataclass(frozen=True, slots=True)
class ZoneRules:
    """The current rules of a zone: a fixed offset, or a yearly STANDARD/DAYLIGHT pair."""

    offset: dt.timedelta
    name: str
    standard: YearlyRule | None = None
    daylight: YearlyRule | None = None


@functools.cache
def zone_rules(name: str, first_year: int, years: int = RULE_YEARS) -> ZoneRules | None:
    """The rules of ``name`` as one yearly pair, or None when they do not fit that shape."""
    tz = zone(name)
    last_year = first_year + years - 1
    changes = transitions(name, first_year, last_year)
    if not changes:
        moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
        return ZoneRules(offset=_offset(tz, moment), name=moment.astimezone(tz).tzname() or "")
    if len(changes) != 2 * years:
        return None
    onsets = [c for c in changes if c.offset_to > c.offset_from]
    ends = [c for c in changes if c.offset_to < c.offset_from]
    if len(onsets) != years or len(ends) != years:
        return None
    daylight, standard = _yearly_rule(onsets), _yearly_rule(ends)
    if daylight is None or standard is None:
        return None
    if daylight.offset_to != standard.offset_from or standard.offset_to != daylight.offset_from:
        return None
    return ZoneRules(
        offset=standard.offset_to, name=standard.name, standard=standard, daylight=daylight
    )


def _part(
    kind: type[icalendar.TimezoneStandard] | type[icalendar.TimezoneDaylight],
    start: dt.datetime,
    offset_from: dt.timedelta,
    offset_to: dt.timedelta,
    name: str,
    rule: dict[str, object] | None = None,
) -> icalendar.Component:
    part = kind()
    part.add("dtstart", start)
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", offset_to)
    if name:
        part.add("tzname", name)
    if rule is not None:
        part.add("rrule", rule)
    return part


def vtimezone_for(
    zone_name: str,
    *,
    year: int | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> icalendar.Timezone:
    """A VTIMEZONE for the IANA zone ``zone_name``, in the style Outlook and Google write.

    The zone is written as a 1970 start with one yearly RRULE for STANDARD and one for
    DAYLIGHT when its rules are the same every year from ``first_year`` to ``last_year``
    (give the years the calendar's events span; at least ``year``, default this year, and
    the ``RULE_YEARS`` after it). A zone whose rules changed or change in that span, or
    that follows no "n-th weekday of the month" rule, gets its explicit transitions in
    that span instead (icalendar's own ``Timezone.from_tzinfo``), which is right for every
    date in it rather than approximately right for all.

    Raises:
        ValueError: ``zone_name`` is not a zone this machine knows.
    """
    if not known_zone(zone_name):
        raise ValueError(f"unknown time zone {zone_name!r}")
    year = year or dt.date.today().year
    first = min(first_year or year, year)
    last = max(last_year or year, year + RULE_YEARS - 1)
    return _vtimezone(zone_name, first, last)


@functools.cache
def _vtimezone(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    rules = zone_rules(zone_name, first_year, last_year - first_year + 1)
    if rules is None:
        return _explicit(zone_name, first_year - 1, last_year + 1)
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    component.add("x-lic-location", zone_name)
    if rules.standard is None or rules.daylight is None:
        component.add_component(
            _part(
                icalendar.TimezoneStandard,
                dt.datetime(_EPOCH_YEAR, 1, 1),
                rules.offset,
                rules.offset,
                rules.name,
            )
        )
        return component
    for kind, rule in (
        (icalendar.TimezoneDaylight, rules.daylight),
        (icalendar.TimezoneStandard, rules.standard),
    ):
        component.add_component(
            _part(
                kind,
                rule.first_in(_EPOCH_YEAR),
                rule.offset_from,
                rule.offset_to,
                rule.name,
                rule.rrule,
            )
        )
    return component


def _explicit(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """Every change of offset in the years given, one part per kind of change with RDATEs.

    Not icalendar's ``Timezone.from_tzinfo``: it writes the DTSTART of a change to
    daylight saving in the wall-clock time after the change, while RFC 5545 reads it in
    the time before (TZOFFSETFROM), which puts the change an hour late.
    """
    tz = zone(zone_name)
    begin = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC).astimezone(tz)
    offset = begin.utcoffset() or dt.timedelta()
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    component.add("x-lic-location", zone_name)
    daylight = bool(begin.dst())
    kinds: dict[bool, type[icalendar.TimezoneStandard] | type[icalendar.TimezoneDaylight]] = {
        True: icalendar.TimezoneDaylight,
        False: icalendar.TimezoneStandard,
    }
    component.add_component(
        _part(kinds[daylight], begin.replace(tzinfo=None), offset, offset, begin.tzname() or "")
    )
    groups: dict[tuple[dt.timedelta, dt.timedelta, str, bool], list[dt.datetime]] = {}
    for change in transitions(zone_name, first_year, last_year):
        key = (change.offset_from, change.offset_to, change.name, change.daylight)
        groups.setdefault(key, []).append(change.local)
    for (offset_from, offset_to, name, is_daylight), starts in groups.items():
        part = _part(kinds[is_daylight], starts[0], offset_from, offset_to, name)
        # One RDATE line per change: vobject, for one, reads only the first of a list.
        for start in starts[1:]:
            part.add("rdate", start)
        component.add_component(part)
    return component


# ---------------------------------------------------------------------------------------
# Import: from what a file calls a zone to an IANA name

# When several zones fit a custom VTIMEZONE, the one people most likely meant.
_PREFERRED = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Europe/Lisbon",
    "Europe/Dublin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Bogota",
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Seoul",
    "Asia/Jakarta",
    "Asia/Bangkok",
    "Asia/Karachi",
    "Asia/Tehran",
    "Asia/Jerusalem",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Perth",
    "Pacific/Auckland",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Africa/Lagos",
    "Africa/Nairobi",
    "UTC",
)
_WORD = re.compile(r"[A-Za-z]{3,}")


def zone_from_tzid(tzid: str) -> str | None:
    """The IANA name for a TZID by its name alone, or None when the name says nothing.

    The same lookups as icalendar's ``tzp.timezone`` (Windows names through the CLDR table
    icalendar ships, ``/vendor/Area/City`` ids), but without its process-wide cache: once
    any file defined a custom "W. Europe Standard Time", ``tzp`` returns that definition
    for every later file instead of Europe/Berlin.
    """
    cleaned = tzid.strip().strip('"').strip()
    if known_zone(cleaned):
        return cleaned
    windows = WINDOWS_TO_OLSON.get(cleaned)
    if windows and known_zone(windows):
        return windows
    parts = cleaned.strip("/").split("/")
    for start in range(1, len(parts)):
        candidate = "/".join(parts[start:])
        if "/" in candidate and known_zone(candidate):
            return candidate
    return None


@functools.cache
def _candidate_zones() -> tuple[str, ...]:
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    }
    preferred = [name for name in _PREFERRED if name in names or name == "UTC"]
    return (*preferred, *sorted(names - set(preferred)))


def _samples(first_year: int, *, daily: bool) -> Iterator[dt.datetime]:
    moment = dt.datetime(first_year, 1, 1, 12, tzinfo=dt.UTC)
    end = dt.datetime(first_year + 2, 1, 1, tzinfo=dt.UTC)
    step = _DAY if daily else dt.timedelta(days=15)
    while moment < end:
        yield moment
        moment += step


def zone_matching(
    custom: dt.tzinfo, year: int, *, hint: str = "", names: Iterable[str] = ()
) -> str | None:
    """The IANA zone with the same offsets as ``custom`` over ``year`` and the next year.

    Zones whose city appears in ``hint`` (the TZID) come first, then zones whose
    abbreviations match ``names`` (the VTIMEZONE's TZNAMEs), then the commonly used ones.
    """
    coarse = [(m, _offset(custom, m)) for m in _samples(year, daily=False)]
    fine = [(m, _offset(custom, m)) for m in _samples(year, daily=True)]
    fits = []
    for name in _candidate_zones():
        tz = zone(name)
        if all(_offset(tz, m) == offset for m, offset in coarse) and all(
            _offset(tz, m) == offset for m, offset in fine
        ):
            fits.append(name)
    if not fits:
        return None
    words = {w.lower() for w in _WORD.findall(hint)}
    abbreviations = {n.upper() for n in names}

    def rank(name: str) -> tuple[int, int]:
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        by_hint = 0 if city in words or any(w in city.split() for w in words) else 1
        if by_hint and hint and city.replace(" ", "") in hint.lower().replace(" ", ""):
            by_hint = 0
        tz = zone(name)
        seen = {m.astimezone(tz).tzname() or "" for m, _ in coarse}
        by_names = 0 if abbreviations and abbreviations <= {s.upper() for s in seen} else 1
        return by_hint, by_names

    return min(fits, key=lambda name: (*rank(name), fits.index(name)))
