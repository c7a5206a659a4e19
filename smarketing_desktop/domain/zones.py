"""Timed items in the user's own zone: what the calendar shows, and back again.

An item stores its wall-clock times in its own zone (an IANA name, a fixed offset such as
``+01:00``, or none: floating). The calendar shows every item at the user's clock time, so
a 09:00 New York call sits at 15:00 for a planner in Berlin; an edit made on the calendar
is turned back into the item's zone before it is stored.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from dateutil.tz import tzlocal

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import last_day
from smarketing_desktop.domain.spans import Span

# No zone is more than 14 hours from another's clock, so at most a day's difference.
_DAY = dt.timedelta(days=1)


def zone_name(zone: dt.tzinfo) -> str:
    """The name a reader knows a zone by: its IANA key (``Europe/Berlin``) where there is
    one, else the zone's abbreviation now (``CET``, ``UTC``)."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    if isinstance(zone, tzlocal):
        # The computer's zone is named by the file /etc/localtime links to (or TZ).
        named = os.environ.get("TZ", "").lstrip(":")
        if not named:
            target = os.path.realpath("/etc/localtime")
            named = target.partition("zoneinfo/")[2]
        if named in zoneinfo.available_timezones():
            return named
    return zone.tzname(dt.datetime.now(zone)) or "UTC"


def system_zone() -> dt.tzinfo:
    """The zone of this computer (for the command line; the app asks Qt for its name)."""
    return tzlocal()


@lru_cache(maxsize=256)
def zone_of(name: str | None) -> dt.tzinfo | None:
    """The zone an item's ``tz`` names, or None for floating or unknown zones."""
    if not name:
        return None
    if name[:1] in "+-":
        try:
            return dt.datetime.fromisoformat(f"2000-01-01T00:00:00{name}").tzinfo
        except ValueError:
            return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _moved(span: Span, source: dt.tzinfo, target: dt.tzinfo) -> Span:
    begin = span.begin.replace(tzinfo=source).astimezone(target).replace(tzinfo=None)
    finish = span.finish.replace(tzinfo=source).astimezone(target).replace(tzinfo=None)
    return Span(begin.date(), finish.date(), begin.time(), finish.time())


def in_zone(occurrence: Occurrence, zone: dt.tzinfo) -> Occurrence:
    """``occurrence`` at the clock times of ``zone`` (all-day and floating ones as they are).

    ``tz`` stays the item's own zone, so a tooltip can name it and an edit can go back.
    """
    source = zone_of(occurrence.tz) if occurrence.start_time is not None else None
    if source is None or source is zone:  # ZoneInfo keeps one object per zone name
        return occurrence
    span = Span.of(occurrence)
    shown = _moved(span, source, zone)
    if shown == span:
        return occurrence
    return replace(
        occurrence,
        start=shown.start,
        end=shown.end,
        start_time=shown.start_time,
        end_time=shown.end_time,
    )


def to_item_zone(span: Span, tz: str | None, zone: dt.tzinfo) -> Span:
    """A span chosen on the calendar (clock times of ``zone``) in the item's own zone."""
    source = zone_of(tz)
    if source is None or source is zone or not span.timed:
        return span
    return _moved(span, zone, source)


def own_zone_span(occurrence: Occurrence, zone: dt.tzinfo) -> Span | None:
    """The occurrence's span in its own zone when that differs from what ``zone`` shows
    (for a tooltip), else None."""
    if occurrence.start_time is None or zone_of(occurrence.tz) is None:
        return None
    own = to_item_zone(Span.of(occurrence), occurrence.tz, zone)
    return None if own == Span.of(occurrence) else own


def shown_between(
    fetch: Callable[[dt.date, dt.date], list[Occurrence]],
    first: dt.date,
    last: dt.date,
    zone: dt.tzinfo,
) -> list[Occurrence]:
    """The occurrences touching ``first``..``last`` at ``zone``'s clock times.

    ``fetch(a, b)`` reads what is stored as touching ``a``..``b``; it is asked for one day
    more on each side, since a timed item stored on the day after the range (01:00 in
    Tokyo) can fall inside it at the user's clock (the evening before in New York), and
    one stored inside can move out.
    """
    found = [in_zone(o, zone) for o in fetch(first - _DAY, last + _DAY)]
    inside = [o for o in found if o.start <= last and last_day(o) >= first]
    inside.sort(key=lambda o: (o.start, o.start_time or dt.time.min))
    return inside
