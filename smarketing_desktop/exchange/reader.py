"""Typed reading of untrusted JSON values, each error naming the path of the bad value."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smarketing_desktop.errors import ValidationError

_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


class Reader:
    """A JSON object being read at ``path`` (``items[3]``)."""

    def __init__(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise ValidationError(path or "document", "must be an object")
        self.data: dict[str, Any] = value
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required or default is None:
                raise ValidationError(self.at(key), "is missing")
            return default
        return check_text(value, self.at(key), allow_empty=not required)

    def optional_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        return check_text(value, self.at(key), allow_empty=False)

    def choice(self, key: str, allowed: Iterable[str], default: str | None = None) -> str:
        allowed = list(allowed)
        value = self.text(key, default)
        if value not in allowed:
            raise ValidationError(
                self.at(key), f"must be one of {', '.join(allowed)}, not {value!r}"
            )
        return value

    def optional_choice(self, key: str, allowed: Iterable[str]) -> str | None:
        if self.data.get(key) is None:
            return None
        return self.choice(key, allowed)

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ValidationError(self.at(key), "must be true or false")
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(self.at(key), "must be a number or null")
        if not math.isfinite(value):
            raise ValidationError(self.at(key), "must be a finite number")
        return float(value)

    def integer(self, key: str, *, minimum: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(self.at(key), "must be a whole number")
        if minimum is not None and value < minimum:
            raise ValidationError(self.at(key), f"must be at least {minimum}")
        return value

    def objects(self, key: str) -> list[Reader]:
        return [
            Reader(value, f"{self.at(key)}[{index}]")
            for index, value in enumerate(self.values(key))
        ]

    def values(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValidationError(self.at(key), "must be a list")
        return value

    def texts(self, key: str) -> list[str]:
        return [
            check_text(value, f"{self.at(key)}[{index}]", allow_empty=False)
            for index, value in enumerate(self.values(key))
        ]

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ValidationError(self.at(key), "is missing")
            return None
        return parse_date(value, self.at(key))


def check_text(value: Any, path: str, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, "must be text")
    if "\x00" in value:
        raise ValidationError(path, "contains a NUL character")
    if not allow_empty and not value.strip():
        raise ValidationError(path, "must not be empty")
    return value


def parse_date(value: Any, path: str) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValidationError(path, "not a date (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(path, "not a date (expected YYYY-MM-DD)") from None


def parse_moment(value: Any, path: str) -> dt.date | dt.datetime:
    """A date (``2027-03-10``) or a date-time with or without offset."""
    if not isinstance(value, str):
        raise ValidationError(path, "not a date or date-time")
    if len(value) == 10:
        return parse_date(value, path)
    if "T" not in value:
        raise ValidationError(path, "not a date or date-time (expected ISO 8601)")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(path, "not a date or date-time (expected ISO 8601)") from None
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        offset = moment.utcoffset()
        assert offset is not None
        if offset.seconds % 60 or offset.microseconds:
            raise ValidationError(path, "offsets must be whole minutes")
    return moment


def check_zone(value: str, path: str) -> str:
    """An IANA time zone name that this machine's zone database knows."""
    if _OFFSET.match(value):
        raise ValidationError(
            path, "must be an IANA zone name such as Europe/Berlin; put offsets in the time"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(path, f"unknown time zone {value!r}") from None
    return value


def is_offset(tz: str | None) -> bool:
    return tz is not None and bool(_OFFSET.match(tz))


def format_offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def offset_zone(tz: str) -> dt.timezone:
    sign = -1 if tz[0] == "-" else 1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
