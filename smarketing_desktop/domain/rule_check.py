"""Which recurrence rules a plan takes, in one place for every way a rule comes in
(the item dialog, the plan file, an iCalendar import, an SLA's review meetings).

A plan is made of days: a rule repeating more often than daily would fill every view
with thousands of occurrences (and expanding it would freeze the app), so it is refused.
So are rules that never occur (the item would vanish from every view), rules with both
COUNT and UNTIL (RFC 5545 allows one), and counts beyond what anyone plans.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from smarketing_desktop.domain.repeat import split_rule

PLANNED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_TOO_OFTEN = ("HOURLY", "MINUTELY", "SECONDLY")
# Ten years of daily occurrences and then some: more is a mistake, and would be slow.
MAX_COUNT = 5000
_MAX_INTERVAL = 1000
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z)?)?$")


class RuleProblem(ValueError):
    """Why a rule cannot be taken, in words for the user (without the rule itself)."""


def _body(text: str) -> str:
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:].strip()
    return rule


def local_until(text: str, zone: str | None, *, all_day: bool) -> str:
    """``text`` with a UTC ``UNTIL=…Z`` (as Outlook and Google write it) as local time.

    The store keeps UNTIL as the series' own wall clock (see ``domain.repeat``); a UTC
    limit becomes the moment in ``zone`` (an IANA name; None or an offset: the
    computer's zone), and only its day for an all-day series. Other rules come back as
    they are.
    """
    rule = _body(text)
    parts = rule.split(";")
    for index, part in enumerate(parts):
        name, _, value = part.partition("=")
        found = _UNTIL.match(value.strip().upper())
        if name.strip().upper() != "UNTIL" or found is None or not found.group(3):
            continue
        try:
            moment = dt.datetime.strptime(found.group(1) + found.group(2), "%Y%m%d%H%M%S")
            target = ZoneInfo(zone) if zone and zone[:1] not in "+-" else None
            local = moment.replace(tzinfo=dt.UTC).astimezone(target).replace(tzinfo=None)
        except (ValueError, KeyError, OverflowError):
            continue  # the check that follows says what is wrong with it
        parts[index] = f"UNTIL={local:%Y%m%d}" if all_day else f"UNTIL={local:%Y%m%dT%H%M%S}"
    return ";".join(parts)


def _impossible_days(parts: dict[str, str]) -> bool:
    """Days of the month no listed month has (the 31st of February): dateutil would
    search up to the year 9999 for them, so this is decided without it."""
    if "BYMONTHDAY" not in parts or "BYMONTH" not in parts:
        return False
    try:
        days = [int(v) for v in parts["BYMONTHDAY"].split(",") if v]
        months = [int(v) for v in parts["BYMONTH"].split(",") if v]
    except ValueError:
        return False
    longest = {m: calendar.monthrange(2024, m)[1] for m in months if 1 <= m <= 12}
    return not any(abs(day) <= size for day in days for size in longest.values())


def _missed_weekdays(parts: dict[str, str], start: dt.datetime, interval: int) -> bool:
    """Every 7th (14th…) day lands on the start's weekday only: other BYDAY days never come."""
    if parts["FREQ"] != "DAILY" or interval % 7 or "BYDAY" not in parts:
        return False
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
    return weekday not in {token.strip()[-2:] for token in parts["BYDAY"].split(",")}


def check_rule(text: str, start: dt.datetime) -> str:
    """The rule (without a leading ``RRULE:``) if a plan can take it, for a series whose
    first occurrence is ``start`` (a wall clock, no zone).

    Raises:
        RuleProblem: what is wrong, worded to follow the rule's name or path (e.g.
            "repeats every hour; a plan repeats at most daily (FREQ=DAILY)").
    """
    rule = _body(text)
    if "\x00" in rule:
        raise RuleProblem("contains a NUL character")
    parts = split_rule(rule)
    freq = parts.get("FREQ")
    if not freq:
        raise RuleProblem("not a recurrence rule (expected FREQ=…)")
    if freq in _TOO_OFTEN:
        raise RuleProblem(
            f"repeats within a day (FREQ={freq}); a plan repeats at most daily (FREQ=DAILY)"
        )
    if freq not in PLANNED_FREQUENCIES:
        raise RuleProblem(f"unknown frequency FREQ={freq[:20]}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleProblem("has both COUNT and UNTIL; a rule ends one way only")
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit():
            raise RuleProblem("COUNT must be a whole number")
        count = int(parts["COUNT"])
        if count < 1:
            raise RuleProblem("never occurs (COUNT must be at least 1)")
        if count > MAX_COUNT:
            raise RuleProblem(f"repeats more than {MAX_COUNT} times (COUNT={count})")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= _MAX_INTERVAL:
        # INTERVAL=0 would have dateutil step on the spot for ever.
        raise RuleProblem(f"INTERVAL must be from 1 to {_MAX_INTERVAL}")
    if parts.get("UNTIL", "").endswith("Z"):
        raise RuleProblem("UNTIL is in UTC (…Z); write it in the item's own time")
    try:
        expanded = rrulestr(rule, dtstart=start)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise RuleProblem(f"not a valid recurrence rule ({error})") from None
    if _impossible_days(parts) or _missed_weekdays(parts, start, int(interval)):
        raise RuleProblem("never occurs: none of its months or weekdays comes round")
    try:
        first = expanded.after(start, inc=True)
    except (ValueError, OverflowError) as error:
        raise RuleProblem(f"not a valid recurrence rule ({error})") from None
    if first is None:
        if "UNTIL" in parts:
            raise RuleProblem("never occurs: its UNTIL is before the first occurrence")
        raise RuleProblem("never occurs")
    return rule


def review_rule(rule: str | None, ends: dt.date | None) -> str | None:
    """The rule of an SLA's review meetings: ``rule`` ending with the agreement.

    A rule that already ends (COUNT or UNTIL) is kept as it is, since RFC 5545 allows
    only one of them; an open one stops at the end of ``ends``.
    """
    if not rule or ends is None:
        return rule
    parts = split_rule(rule)
    if "UNTIL" in parts or "COUNT" in parts:
        return _body(rule)
    return f"{_body(rule)};UNTIL={ends:%Y%m%d}T235959"
