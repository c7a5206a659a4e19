"""Recurrence facts the store keeps so range queries need not expand every series."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable

from dateutil.rrule import rrule, rruleset, rrulestr

from smarketing_desktop.domain.rule_check import MAX_COUNT

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
    occurrence (including extra RDATEs; for a rule with UNTIL, the end of an occurrence
    on the UNTIL day, which may be a little later than the last one), so "which items
    touch this month" is one indexed range query instead of an expansion of every series
    in the plan.
    """
    if start_date is None or end_date is None:
        return None
    if not rrule:
        return end_date
    upper = rrule.upper()
    if not any(part in upper for part in _BOUNDED):
        return None
    length = end_date - start_date
    extra = [dt.date.fromisoformat(value[:10]) for value in rdates]
    until = _until_day(upper)
    if until is not None:
        # UNTIL bounds the series without expanding it (a daily rule to 2099 would take
        # long); the last occurrence is at most that day, which is what a range query needs.
        return max([until, start_date, *extra]) + length
    count = _count(upper)
    if count is None or count > MAX_COUNT:
        # Unreadable or larger than any rule the plan takes now: treated as without end,
        # which only costs a range query some extra rows.
        return None
    first = dt.datetime.combine(start_date, start_time or dt.time.min)
    last = start_date
    for moment in series_rule(rrule, first):
        last = moment.date()
    return max([last, *extra]) + length


def series_rule(rule: str, dtstart: dt.datetime) -> rruleset:
    """The occurrences of a series as RFC 5545 defines them, for dateutil to expand.

    DTSTART is always the first occurrence, even on a day the rule does not match (a
    "last Wednesday" series starting on the 11th takes place on the 11th too), as in
    Outlook, Google Calendar and recurring_ical_events; dateutil alone would drop it.
    It also counts as the first of COUNT, so COUNT=3 from a start the rule does not
    match is the start and the rule's next two days. A start after UNTIL is left out,
    as recurring_ical_events does. Every place that expands a series uses this, so the
    calendar, the conflict engine, the printout and the exported file agree.

    Args:
        rule: the RRULE value (``FREQ=…``), as the store keeps it.
        dtstart: the first occurrence (naive: floating or all-day).

    Returns:
        A set the caller can add RDATEs to; EXDATEs are the caller's to skip.
    """
    parsed = rrulestr(rule, dtstart=dtstart)
    if not isinstance(parsed, rrule):  # several rules in one value: kept as dateutil reads them
        parsed.rdate(dtstart)
        return parsed
    result = rruleset()
    matches_start = first_rule_day(rule, dtstart) == dtstart
    count = _count(rule.upper())
    if count is not None and not matches_start:
        # The start took the first of COUNT's places; the rule supplies the rest.
        if count > 1:
            result.rrule(parsed.replace(count=count - 1))
    else:
        result.rrule(parsed)
    until: dt.datetime | None = getattr(parsed, "_until", None)
    if until is None or dtstart <= until:
        result.rdate(dtstart)
    return result


def first_rule_day(rule: str, dtstart: dt.datetime) -> dt.datetime | None:
    """The first moment on or after ``dtstart`` that ``rule`` itself matches.

    That is ``dtstart`` for a start the rule matches; a later day for a start it does
    not (such a start is still an occurrence, see :func:`series_rule`); None for a rule
    that ends before it matches anything.
    """
    matched: dt.datetime | None = rrulestr(rule, dtstart=dtstart).after(dtstart, inc=True)
    return matched


def _until_day(rule: str) -> dt.date | None:
    found = re.search(r"(?:^|;)UNTIL=(\d{8})", rule)
    if found is None:
        return None
    try:
        return dt.datetime.strptime(found.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _count(rule: str) -> int | None:
    found = re.search(r"(?:^|;)COUNT=(\d{1,9})(?:;|$)", rule)
    return int(found.group(1)) if found else None


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?\d*)(MO|TU|WE|TH|FR|SA|SU)$")


def _shift_until(value: str, delta: dt.timedelta) -> str:
    if len(value) == 8:
        day = dt.datetime.strptime(value, "%Y%m%d").date() + dt.timedelta(days=delta.days)
        return day.strftime("%Y%m%d")
    utc = value.endswith("Z")
    moment = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S") + delta
    return moment.strftime("%Y%m%dT%H%M%S") + ("Z" if utc else "")


def shift_rule(rule: str, old_start: dt.datetime, new_start: dt.datetime) -> str:
    """The RRULE of a series whose first occurrence moved from ``old_start`` to ``new_start``.

    Weekdays move along (the Monday meeting dragged to Wednesday becomes a Wednesday
    meeting), as do days of the month and the UNTIL limit; a move by whole weeks leaves
    the weekdays as they are. Parts the move does not concern are kept as written.
    """
    delta = new_start - old_start
    days = (new_start.date() - old_start.date()).days
    parts = []
    for part in rule.split(";"):
        name, equals, value = part.partition("=")
        key = name.upper()
        if key == "BYDAY" and days % 7:
            moved = []
            for token in value.split(","):
                found = _BYDAY.match(token.strip().upper())
                if found is None:
                    moved.append(token)
                    continue
                index = (_WEEKDAYS.index(found.group(2)) + days) % 7
                moved.append(f"{found.group(1)}{_WEEKDAYS[index]}")
            value = ",".join(moved)
        elif key == "BYMONTHDAY" and days:
            shifted = []
            for token in value.split(","):
                number = int(token) if token.strip().lstrip("+-").isdigit() else 0
                target = number + days
                # Counted from the month's end (-1) or pushed past its days: left as it was.
                shifted.append(str(target) if number > 0 and 1 <= target <= 28 else token)
            value = ",".join(shifted)
        elif key == "UNTIL" and delta:
            # An UNTIL this app cannot read is kept as it is.
            with contextlib.suppress(ValueError):
                value = _shift_until(value.strip(), delta)
        parts.append(f"{name}={value}" if equals else part)
    return ";".join(parts)


def occurs_between(
    span: tuple[dt.date, dt.time | None, dt.date],
    rule: str,
    exceptions: tuple[Iterable[object], Iterable[object]],
    moved: Iterable[tuple[str, dt.date, dt.date]],
    first: dt.date,
    last: dt.date,
) -> bool:
    """Whether a series has an occurrence touching the days ``first``..``last``.

    Args:
        span: the first occurrence's start day, start time (None: all-day) and end day.
        rule: the RRULE text.
        exceptions: the skipped (EXDATE) and extra (RDATE) moments, as ISO text.
        moved: moved occurrences as (recurrence id, new first day, new last day).
        first: the first day of the range.
        last: the last day of the range.
    """
    start_date, start_time, end_date = span
    exdates, rdates = exceptions
    moved = list(moved)
    if any(day0 <= last and day1 >= first for _, day0, day1 in moved):
        return True
    length = end_date - start_date
    rules = series_rule(rule, dt.datetime.combine(start_date, start_time or dt.time.min))
    for value in rdates:
        extra = dt.datetime.fromisoformat(str(value))
        rules.rdate(extra.replace(tzinfo=None))
    away = {dt.date.fromisoformat(str(v)[:10]) for v in exdates}
    away |= {dt.date.fromisoformat(rid[:10]) for rid, _, _ in moved}
    window = rules.xafter(dt.datetime.combine(first - length, dt.time.min), inc=True)
    for moment in window:
        if moment.date() > last:
            return False
        if moment.date() not in away:
            return True
    return False
