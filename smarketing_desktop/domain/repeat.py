"""Recurrence rules as people set them: the simple choices of the item dialog (every N
days, weeks on some weekdays, months or years; ending never, after N times or on a day),
and a plain-language sentence for any rule.

Rules are RFC 5545 RRULE text (``FREQ=WEEKLY;BYDAY=MO,WE``) as the store and the iCalendar
exchange keep them; dateutil expands them. UNTIL is written in local time, as the store
keeps series (the iCalendar export converts it to what RFC 5545 wants).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_UNITS = {
    "DAILY": ("day", "days"),
    "WEEKLY": ("week", "weeks"),
    "MONTHLY": ("month", "months"),
    "YEARLY": ("year", "years"),
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class RepeatSpec:
    """The simple choices: ``freq`` every ``interval`` units, on ``weekdays`` (weekly only),
    ending after ``count`` occurrences or on ``until`` (inclusive), or never."""

    freq: str
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    count: int | None = None
    until: dt.date | None = None


def split_rule(rule: str) -> dict[str, str]:
    """``FREQ=WEEKLY;BYDAY=MO`` -> ``{"FREQ": "WEEKLY", "BYDAY": "MO"}`` (upper-cased)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for part in text.upper().split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            parts[key.strip()] = value.strip()
    return parts


def build_rrule(spec: RepeatSpec, *, timed: bool) -> str:
    """The RRULE text for ``spec``; ``timed`` series end at the end of their UNTIL day."""
    if spec.freq not in FREQUENCIES:
        raise ValueError(f"unknown frequency {spec.freq!r}")
    parts = [f"FREQ={spec.freq}"]
    if spec.interval > 1:
        parts.append(f"INTERVAL={spec.interval}")
    if spec.freq == "WEEKLY" and spec.weekdays:
        parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in spec.weekdays))
    if spec.count is not None:
        parts.append(f"COUNT={spec.count}")
    elif spec.until is not None:
        parts.append(f"UNTIL={spec.until:%Y%m%d}" + ("T235959" if timed else ""))
    return ";".join(parts)


def _until(value: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{8})(T\d{6}Z?)?", value)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def parse_rrule(rule: str) -> RepeatSpec | None:
    """The simple choices a rule stands for, or None when only "custom" can show it."""
    parts = split_rule(rule)
    if parts.get("FREQ") not in FREQUENCIES:
        return None
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL"}:
        return None
    freq = parts["FREQ"]
    try:
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        return None
    if interval < 1 or (count is not None and count < 1):
        return None
    weekdays: tuple[str, ...] = ()
    if "BYDAY" in parts:
        days = parts["BYDAY"].split(",")
        if freq != "WEEKLY" or not all(day in WEEKDAYS for day in days):
            return None
        weekdays = tuple(d for d in WEEKDAYS if d in days)
    until = None
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"])
        if until is None or count is not None:
            return None
    return RepeatSpec(freq, interval, weekdays, count, until)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _nth(number: int) -> str:
    """``1st``, ``22nd``, ``-2`` -> ``2nd to last``."""
    if number < 0:
        return "last" if number == -1 else f"{_nth(-number)} to last"
    teen = 10 <= number % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _ordinal(number: int) -> str:
    """``first`` … ``fifth``, ``last``; numbers beyond (``7th``, ``2nd to last``)."""
    return _ORDINALS.get(number) or _nth(number)


def _days(byday: str, position: int | None) -> str | None:
    """``MO,WE`` -> ``Monday and Wednesday``; ``-1WE`` -> ``the last Wednesday``."""
    named = []
    for token in byday.split(","):
        match = _BYDAY.match(token)
        if match is None:
            return None
        number = int(match.group(1)) if match.group(1) else position
        name = DAY_NAMES[match.group(2)]
        if number is None:
            named.append(name)
        elif number == 0 or abs(number) > 53:
            return None
        else:
            named.append(f"the {_ordinal(number)} {name}")
    if [token for token in byday.split(",")] == ["MO", "TU", "WE", "TH", "FR"]:
        return "weekdays"
    return _and(named)


def describe_recurrence(rule: str | None, start: dt.date | None = None) -> str:
    """A sentence for a rule: ``Every 2 weeks on Monday and Wednesday, 10 times``.

    ``start`` (the first occurrence) fills in what the rule leaves to it: the day of the
    month or of the year. A rule with parts this does not know is shown as it is.
    """
    if not rule or not rule.strip():
        return "Does not repeat"
    parts = split_rule(rule)
    units = _UNITS.get(parts.get("FREQ", ""))
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL"}
    custom = f"Custom rule: {rule.strip()}"
    if units is None or set(parts) - known:
        return custom
    try:
        interval = int(parts.get("INTERVAL", "1"))
        position = int(parts["BYSETPOS"]) if "BYSETPOS" in parts else None
        month_days = [int(v) for v in parts.get("BYMONTHDAY", "").split(",") if v]
        months = [int(v) for v in parts.get("BYMONTH", "").split(",") if v]
    except ValueError:
        return custom
    if interval < 1 or not all(1 <= m <= 12 for m in months):
        return custom
    if any(day == 0 or abs(day) > 31 for day in month_days):
        return custom
    freq = parts["FREQ"]
    text = f"Every {units[0]}" if interval == 1 else f"Every {interval} {units[1]}"
    if freq == "MONTHLY" and interval == 3 and len(parts) == 2:
        text = "Every quarter"
    if freq == "DAILY" and interval == 1 and parts.get("BYDAY") == "MO,TU,WE,TH,FR":
        text, parts = "Every weekday", {k: v for k, v in parts.items() if k != "BYDAY"}
    days = _days(parts["BYDAY"], position) if "BYDAY" in parts else ""
    if days is None:
        return custom
    if months and freq == "YEARLY":
        text += " in " + _and([_MONTHS[m - 1] for m in months])
    if days:
        text += f" on {days}"
    elif month_days:
        text += " on the " + _and([_nth(d) for d in month_days])
        text += " day" if any(d < 0 for d in month_days) else ""
    elif start is not None and freq == "MONTHLY":
        text += f" on the {_nth(start.day)}"
    elif start is not None and freq == "YEARLY" and not months:
        text += f" on {start.day} {_MONTHS[start.month - 1]}"
    elif start is not None and freq == "WEEKLY":
        text += f" on {start:%A}"
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit():
            return custom
        count = int(parts["COUNT"])
        text += ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"])
        if until is None:
            return custom
        text += f", until {until.day} {_MONTHS[until.month - 1][:3]} {until.year}"
    return text


def recurrence_phrase(rule: str | None, start: dt.date | None = None) -> str:
    """:func:`describe_recurrence` for the middle of a sentence: ``every quarter``, and
    ``once`` for no rule ("Then every quarter", "Meets once")."""
    if not rule or not rule.strip():
        return "once"
    text = describe_recurrence(rule, start)
    return text[:1].lower() + text[1:]
