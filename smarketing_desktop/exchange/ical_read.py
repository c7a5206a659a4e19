"""Reading ``.ics`` files: the events of Outlook, Google, Apple Calendar and Thunderbird.

Nothing here touches a plan: files become :class:`IcsEvent` records, which
``ical_import`` then adds to or updates in a plan.

* A file that cannot be read at all (empty, binary, not iCalendar, cut off) raises a
  :class:`UserError` naming the file.
* A single event with a problem (no start, a broken date, damaged lines) is skipped and
  reported with its reason; the rest of the file is read.

Each VEVENT becomes an item record: all-day stays all-day, time zones are kept (IANA names
as they are, Outlook's Windows names and custom VTIMEZONEs mapped to IANA names), RRULE,
EXDATE and RDATE are kept, moved occurrences (RECURRENCE-ID) become the item's overrides
and cancelled ones EXDATEs. Kind and team come from CATEGORIES. The UID is kept (an event
without one gets a uid derived from its content). The event's original VEVENT text is
kept, so properties the app does not model survive to the next export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import x_wr_timezone

from smarketing_desktop.collector import collector_paused
from smarketing_desktop.domain.links import normalise_link
from smarketing_desktop.domain.rule_check import RuleProblem, check_rule
from smarketing_desktop.domain.words import Better, Impact, Kind, Status, Team, words
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.ical_export import (
    GOAL_KEYS,
    HEADER_FIRST_LINE,
    MODELLED,
    UNTITLED,
    X_CHANNEL,
    X_GOAL,
    X_IMPACT,
    X_KIND,
    X_OWNER,
    X_PERSONA,
    X_STATUS,
    X_TEAM,
    X_TZ,
    clean_url,
    outlook_shape,
    recurrence_key,
    rule_text,
)
from smarketing_desktop.exchange.ical_timezones import (
    is_utc,
    known_zone,
    zone,
    zone_from_tzid,
    zone_matching,
)
from smarketing_desktop.exchange.ical_words import (
    STATUS_FROM_ICAL,
    html_to_text,
    kind_of,
    plain_description,
    team_of,
)
from smarketing_desktop.exchange.reader import format_offset, is_offset, offset_zone

Record = dict[str, Any]
Moment = dt.date | dt.datetime

# An event with extra dates (RDATE) but no rule is a series of its own start only, plus those.
RDATE_ONLY_RULE = "FREQ=DAILY;COUNT=1"
_MAX_UID = 500
_DAY = dt.timedelta(days=1)
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
# Control characters a text field cannot keep (tab and line breaks can); translate is
# several times faster than a regular expression on the many short values of a big file.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_KINDS = frozenset(words(Kind))
_TEAMS = frozenset(words(Team))
_STATUSES = frozenset(words(Status))
_IMPACTS = frozenset(words(Impact))
_BETTER = frozenset(words(Better))

# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class SkippedEvent:
    """An event that was not imported, and why."""

    file: str
    uid: str
    summary: str
    reason: str

    def __str__(self) -> str:
        title = f"“{self.summary}”" if self.summary else (self.uid or "an event")
        return f"{self.file}: {title}: {self.reason}"


@dataclass(slots=True)
class IcsEvent:
    """One event (or series, with its moved occurrences) read from a file."""

    file: str
    record: Record
    kind: str | None
    team: str | None
    status: str | None
    impact: str | None
    sequence: int
    own: bool
    notes: list[str] = field(default_factory=list)
    created: dt.datetime | None = None
    # Only in this app's own exports: "owner_id", "channels", "personas" (ids), "goals".
    links: Record = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return str(self.record["uid"])

    @property
    def title(self) -> str:
        return str(self.record["title"])


@dataclass(slots=True)
class IcsFiles:
    """What a set of ``.ics`` files holds, read and checked, before anything is written."""

    files: list[str] = field(default_factory=list)
    events: list[IcsEvent] = field(default_factory=list)
    skipped: list[SkippedEvent] = field(default_factory=list)
    kind: str = Kind.OTHER.value
    team: str = Team.MARKETING.value


# ---------------------------------------------------------------------------------------
# Reading files


class _EventProblem(Exception):
    """A single event cannot be imported; the message is the reason."""


def _binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes beyond a stray few (a NUL in one title
    is that event's problem, reported with it), or NULs in bytes that are no UTF-8."""
    nuls = data.count(b"\x00")
    if not nuls:
        return False
    if nuls > len(data) // 100:
        return True
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise UserError(f"“{name}” is empty: there is nothing to import.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"“{name}” is not an iCalendar file (unreadable text).") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _binary(data):
        raise UserError(f"“{name}” is a binary file, not an iCalendar (.ics) file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older Outlook versions write the Windows code page.
        return data.decode("cp1252", errors="replace")


@dataclass(slots=True)
class _Context:
    """What the events of one calendar share: its file, time zones and defaults."""

    file: str
    timezones: dict[str, icalendar.Component]
    matched: dict[str, tuple[str | None, dt.tzinfo | None]] = field(default_factory=dict)


@dataclass(slots=True)
class _CalendarText:
    """One VCALENDAR of a file, cut into the texts of its parts (nothing parsed yet)."""

    header: list[str] = field(default_factory=list)
    timezones: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)


def _split(text: str, name: str) -> list[_CalendarText]:
    """Check the BEGIN/END structure and cut out the text of each part of each calendar.

    icalendar reads a file cut off in the middle as an empty calendar, without complaint,
    so the structure is checked here; the parts are then parsed one by one, which lets
    one damaged event be skipped instead of the whole file, and shows progress.
    """
    lines = _LINE_BREAK.split(text)
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.upper() != "BEGIN:VCALENDAR":
        raise UserError(
            f"“{name}” is not an iCalendar file (it does not start with BEGIN:VCALENDAR)."
        )
    calendars: list[_CalendarText] = []
    stack: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if line[:1] in (" ", "\t"):
            # A folded continuation line belongs to the line before it, whatever it says.
            if len(stack) == 1:
                calendars[-1].header.append(line)
            continue
        upper = line.strip().upper()
        if upper.startswith("BEGIN:"):
            stack.append(upper[6:].strip())
            if len(stack) == 1:
                calendars.append(_CalendarText())
            elif len(stack) == 2:
                start = index
        elif upper.startswith("END:"):
            closing = upper[4:].strip()
            if not stack or stack[-1] != closing:
                raise UserError(
                    f"“{name}” is damaged: END:{closing} on line {index + 1} does not close "
                    f"{'BEGIN:' + stack[-1] if stack else 'anything'}."
                )
            stack.pop()
            if len(stack) == 1:
                part = "\r\n".join(lines[start : index + 1]) + "\r\n"
                if closing == "VEVENT":
                    calendars[-1].events.append(part)
                elif closing == "VTIMEZONE":
                    calendars[-1].timezones.append(part)
                else:
                    calendars[-1].others.append((closing, part))
        elif len(stack) == 1 and upper:
            calendars[-1].header.append(line)
        # Lines outside any calendar (a caching proxy's comment after END:VCALENDAR) are
        # not calendar data: left alone, as every calendar program does.
    if stack:
        raise UserError(f"“{name}” is cut off: it ends inside {stack[-1]} (no END:{stack[-1]}).")
    return calendars


def _component(text: str) -> icalendar.Component | None:
    try:
        component: icalendar.Component = icalendar.Component.from_ical(text)
    except Exception:  # untrusted input: any parser failure means "cannot be read"
        return None
    return component


_RAW_FIELD = re.compile(r"^(UID|SUMMARY)(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)


def _raw_fields(text: str) -> tuple[str, str]:
    """UID and SUMMARY of a part that does not parse, for the message that skips it."""
    found = {key.upper(): value.strip() for key, value in _RAW_FIELD.findall(text)}
    return found.get("UID", ""), found.get("SUMMARY", "")


def _header(part: _CalendarText) -> icalendar.Calendar:
    """The calendar's own properties (X-WR-TIMEZONE above all), or none if unreadable."""
    text = "\r\n".join(["BEGIN:VCALENDAR", *part.header, "END:VCALENDAR", ""])
    calendar = _component(text)
    return calendar if isinstance(calendar, icalendar.Calendar) else icalendar.Calendar()


def _standardise(calendar: icalendar.Calendar) -> icalendar.Calendar:
    """Google's X-WR-TIMEZONE files: UTC times become times in the calendar's zone."""
    if "X-WR-TIMEZONE" not in calendar:
        return calendar
    try:
        converted: icalendar.Calendar = x_wr_timezone.to_standard(calendar)
    except Exception:  # an unknown zone in X-WR-TIMEZONE: keep the UTC times as they are
        return calendar
    return converted


@dataclass(slots=True)
class _File:
    name: str
    calendars: list[_CalendarText]

    @property
    def event_count(self) -> int:
        return sum(len(c.events) for c in self.calendars)


def _load(data: bytes, name: str) -> _File:
    return _File(name, _split(_decode(data, name), name))


def _read_file(
    loaded: _File, result: IcsFiles, tick: Callable[[], None]
) -> list[tuple[icalendar.Component, str, _Context]]:
    """Parse the parts of one file; events that do not parse are skipped with a reason."""
    with warnings.catch_warnings():
        # icalendar warns about the quirks of real files (guessed zone ids and the like);
        # the importer reports what matters per event itself.
        warnings.simplefilter("ignore")
        return _parse_parts(loaded, result, tick)


def _parse_parts(
    loaded: _File, result: IcsFiles, tick: Callable[[], None]
) -> list[tuple[icalendar.Component, str, _Context]]:
    found: list[tuple[icalendar.Component, str, _Context]] = []
    for part in loaded.calendars:
        calendar = _header(part)
        zones: dict[str, icalendar.Component] = {}
        for text in part.timezones:
            zone_part = _component(text)
            if isinstance(zone_part, icalendar.Timezone) and "TZID" in zone_part:
                zones[str(zone_part["TZID"])] = zone_part
        context = _Context(file=loaded.name, timezones=zones)
        texts: list[str] = []
        for text in part.events:
            tick()
            event = _component(text)
            if not isinstance(event, icalendar.Event):
                uid, summary = _raw_fields(text)
                result.skipped.append(
                    SkippedEvent(loaded.name, uid, summary, "it cannot be read (damaged lines)")
                )
                continue
            calendar.add_component(event)
            texts.append(text)
        events = [c for c in _standardise(calendar).subcomponents if c.name == "VEVENT"]
        if len(events) != len(texts):  # never seen; keep the times as written then
            events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
        found += [(e, t, context) for e, t in zip(events, texts, strict=True)]
        for what, text in part.others:
            if what in ("VTODO", "VJOURNAL"):
                uid, summary = _raw_fields(text)
                kind = "a to-do" if what == "VTODO" else "a journal entry"
                result.skipped.append(
                    SkippedEvent(loaded.name, uid, summary, f"{kind}, not an event")
                )
    return found


def read_ics(
    data: bytes,
    name: str,
    *,
    kind: str = Kind.OTHER.value,
    team: str = Team.MARKETING.value,
) -> IcsFiles:
    """Read one ``.ics`` file's bytes (``name`` is used in messages).

    Raises:
        UserError: the file cannot be read at all.
    """
    result = IcsFiles(files=[name], kind=kind, team=team)
    _read_events(_read_file(_load(data, name), result, lambda: None), result)
    return result


Progress = Callable[[int, int], None]


def read_ics_files(
    paths: Iterable[Path],
    *,
    kind: str = Kind.OTHER.value,
    team: str = Team.MARKETING.value,
    progress: Progress | None = None,
) -> IcsFiles:
    """Read several files; any unreadable one stops everything (nothing is imported).

    Every file is decoded and its structure checked before the slow parsing starts, so
    an unreadable file is reported at once. ``progress(done, total)`` is called as events
    are parsed; whatever it raises stops the reading.

    Raises:
        UserError: a file is missing or cannot be read, or ``kind``/``team`` is unknown.
    """
    if kind not in words(Kind):
        raise UserError(f"Unknown kind {kind!r}; choose one of {', '.join(words(Kind))}.")
    if team not in words(Team):
        raise UserError(f"Unknown team {team!r}; choose one of {', '.join(words(Team))}.")
    loaded: list[_File] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise UserError(f"Cannot read “{path}”: {error.strerror}.") from error
        loaded.append(_load(data, Path(path).name))
    total = sum(f.event_count for f in loaded)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 50 == 0 or done == total):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    result = IcsFiles(kind=kind, team=team)
    with collector_paused():  # a tenth of a big file's reading otherwise
        for one in loaded:
            result.files.append(one.name)
            before = len(result.events)
            _read_events(_read_file(one, result, tick), result)
            _merge_duplicates(result, before)
    return result


def _merge_duplicates(result: IcsFiles, first_new: int) -> None:
    """The same event in two files (two exports of one calendar): the later file wins."""
    seen = {event.uid: index for index, event in enumerate(result.events[:first_new])}
    kept = result.events[:first_new]
    for event in result.events[first_new:]:
        index = seen.get(event.uid)
        if index is None:
            seen[event.uid] = len(kept)
            kept.append(event)
            continue
        earlier = kept[index]
        result.skipped.append(
            SkippedEvent(
                earlier.file, earlier.uid, earlier.title,
                f"also in {event.file}; the copy there was used",
            )
        )  # fmt: skip
        kept[index] = event
    result.events = kept


# ---------------------------------------------------------------------------------------
# From VEVENTs to item records


def _prop(component: icalendar.Component, key: str) -> Any:
    """``component.get(key)`` for an upper-case ``key``: icalendar keeps property names in
    upper case, and its own lookup folds the case and raises and catches a KeyError for
    every property an event lacks, two dozen lookups per event on import."""
    return dict.get(component, key)


def _text(component: icalendar.Component, key: str) -> str:
    value = _prop(component, key)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, icalendar.prop.vBroken):
        return ""
    return str(value)


def _clean(text: str, notes: list[str], what: str) -> str:
    if "\x00" in text:
        notes.append(f"NUL characters were removed from its {what}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL)


def _link(url: str, notes: list[str]) -> str:
    """The event's URL as the item's link, or none when it is not one people can open
    safely (``javascript:``, ``file:``, not an address at all)."""
    try:
        return normalise_link(url)
    except UserError as problem:
        notes.append(f"its link was left out: {problem}")
        return ""


def _description(component: icalendar.Component, own: bool, notes: list[str]) -> str:
    text = _clean(_text(component, "DESCRIPTION"), notes, "description")
    if own:
        # This app's own export: a header of facts, a blank line, then the description.
        if text.startswith(HEADER_FIRST_LINE):
            _, _, body = text.partition("\n\n")
            return body
        return text
    if not text.strip():
        alt = _text(component, "X-ALT-DESC")
        return html_to_text(_clean(alt, notes, "description")) if alt else ""
    return plain_description(text)


def _categories(component: icalendar.Component) -> list[str]:
    values = _prop(component, "CATEGORIES")
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    names: list[str] = []
    for value in values:
        cats = getattr(value, "cats", None)
        if cats is None:
            names += str(value).split(",")
        else:
            for cat in cats:
                names += str(cat).replace("\\,", ",").split(",")
    return [name.strip() for name in names if name.strip()]


def _word(component: icalendar.Component, key: str, allowed: frozenset[str]) -> str | None:
    value = _text(component, key).strip().lower()
    return value if value in allowed else None


def _derived_uid(component: icalendar.Component) -> str:
    parts = []
    for key in ("SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "LOCATION"):
        value = _prop(component, key)
        if value is not None and not isinstance(value, list):
            try:
                parts.append(value.to_ical().decode("utf-8", "replace"))
            except Exception:  # a broken value still identifies the event by its text
                parts.append(str(value))
        else:
            parts.append("")
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"ics-{digest}@import.smarketing"


def _uid(component: icalendar.Component) -> tuple[str, list[str]]:
    notes: list[str] = []
    uid = _clean(_text(component, "UID"), notes, "UID").strip()
    if not uid:
        return _derived_uid(component), ["it had no UID; one was derived from its content"]
    if len(uid) > _MAX_UID:
        digest = hashlib.sha256(uid.encode("utf-8")).hexdigest()[:32]
        return f"ics-{digest}@import.smarketing", ["its very long UID was shortened"]
    return uid, notes


@dataclass(frozen=True, slots=True)
class _When:
    """A DTSTART/DTEND-like value read: wall clock, zone name and zone object."""

    wall: Moment
    tz: str | None
    tzinfo: dt.tzinfo | None


def _custom_zone(tzid: str, context: _Context, year: int) -> tuple[str | None, dt.tzinfo | None]:
    if tzid in context.matched:
        return context.matched[tzid]
    component = context.timezones.get(tzid)
    result: tuple[str | None, dt.tzinfo | None] = (None, None)
    if component is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                custom = (
                    component.to_tz(lookup_tzid=False)
                    if isinstance(component, icalendar.Timezone)
                    else None
                )
        except Exception:  # a VTIMEZONE that cannot be understood: the zone stays unknown
            custom = None
        if custom is not None:
            names = [str(part.get("TZNAME", "")) for part in component.subcomponents]
            try:
                found = zone_matching(custom, year, hint=tzid, names=[n for n in names if n])
            except Exception:  # offsets of a broken custom zone cannot be compared
                found = None
            result = (found, zone(found) if found else custom)
    context.matched[tzid] = result
    return result


def _resolve_tzid(
    tzid: str, context: _Context, wall: dt.datetime, notes: list[str]
) -> tuple[str | None, dt.tzinfo | None]:
    """The zone a TZID names: an IANA name, else a fixed offset, else floating (None)."""
    name = zone_from_tzid(tzid)
    if name is not None:
        return name, dt.UTC if is_utc(name) else zone(name)
    found, tzinfo = _custom_zone(tzid, context, wall.year)
    if found is not None:
        return found, zone(found)
    if tzinfo is not None:
        offset = wall.replace(tzinfo=tzinfo).utcoffset() or dt.timedelta()
        tz = format_offset(offset)
        notes.append(f"its time zone “{tzid}” matches no known zone; kept as UTC{tz}")
        return tz, offset_zone(tz)
    notes.append(f"its time zone “{tzid}” is unknown; times kept as local times")
    return None, None


def _when(prop: Any, context: _Context, notes: list[str], what: str) -> _When:
    if prop is None:
        raise _EventProblem(f"it has no {what}")
    if isinstance(prop, list):
        prop = prop[0]
    if isinstance(prop, icalendar.prop.vBroken):
        raise _EventProblem(
            f"its {what} is not a valid date ({prop.to_ical().decode(errors='replace')[:40]})"
        )
    try:
        value = prop.dt
    except Exception as error:
        raise _EventProblem(f"its {what} cannot be read ({error})") from None
    if isinstance(value, dt.timedelta | dt.time) or not isinstance(value, dt.date):
        raise _EventProblem(f"its {what} is not a date or date-time")
    if not isinstance(value, dt.datetime):
        return _When(value, None, None)
    value = value.replace(microsecond=0)
    tzid = getattr(prop, "params", {}).get("TZID")
    wall = value.replace(tzinfo=None)
    if tzid:
        tz, tzinfo = _resolve_tzid(str(tzid), context, wall, notes)
        return _When(wall, tz, tzinfo)
    if value.tzinfo is None:
        return _When(wall, None, None)
    key = getattr(value.tzinfo, "key", None)
    if isinstance(value.tzinfo, ZoneInfo) and key and known_zone(key):
        return _When(wall, "UTC" if is_utc(key) else key, value.tzinfo)
    offset = value.utcoffset() or dt.timedelta()
    if not offset:
        return _When(value.astimezone(dt.UTC).replace(tzinfo=None), "UTC", dt.UTC)
    tz = format_offset(offset)
    return _When(wall, tz, offset_zone(tz))


def _in_zone(moment: _When, target: _When) -> Moment:
    """``moment`` as a wall clock of ``target``'s zone (dates stay dates)."""
    if not isinstance(moment.wall, dt.datetime):
        return moment.wall
    if moment.tzinfo is None or target.tzinfo is None:
        return moment.wall
    aware = moment.wall.replace(tzinfo=moment.tzinfo)
    return aware.astimezone(target.tzinfo).replace(tzinfo=None)


def _span(
    component: icalendar.Component, context: _Context, notes: list[str]
) -> tuple[_When, Moment]:
    """DTSTART and the end (exclusive for all-day, in the start's zone)."""
    start = _when(_prop(component, "DTSTART"), context, notes, "start (DTSTART)")
    all_day = not isinstance(start.wall, dt.datetime)
    end: Moment | None = None
    if _prop(component, "DTEND") is not None:
        try:
            end = _in_zone(_when(_prop(component, "DTEND"), context, notes, "end (DTEND)"), start)
        except _EventProblem as problem:
            notes.append(f"{problem}; the end was left out")
    elif _prop(component, "DURATION") is not None:
        try:
            duration = component.decoded("DURATION")
            if isinstance(duration, dt.timedelta):
                end = start.wall + duration
        except Exception:  # a broken DURATION: treated as missing
            notes.append("its duration could not be read; the end was left out")
    if all_day:
        assert not isinstance(start.wall, dt.datetime)
        day = end.date() if isinstance(end, dt.datetime) else end
        if day is None or day <= start.wall:
            day = start.wall + _DAY
        return start, day
    assert isinstance(start.wall, dt.datetime)
    if end is None:
        return start, start.wall
    if not isinstance(end, dt.datetime):
        end = dt.datetime.combine(end, dt.time.min)
    if end < start.wall:
        notes.append("its end was before its start; it was set to the start")
        end = start.wall
    return start, end


def _outlook_all_day(component: icalendar.Component, start: _When, end: Moment) -> bool:
    """Outlook writes some all-day events as midnight-to-midnight with a flag."""
    flag = _text(component, "X-MICROSOFT-CDO-ALLDAYEVENT").strip().upper()
    return (
        flag == "TRUE"
        and isinstance(start.wall, dt.datetime)
        and start.wall.time() == dt.time.min
        and isinstance(end, dt.datetime)
        and end.time() == dt.time.min
        and end > start.wall
    )


def _iso(value: Moment) -> str:
    return value.isoformat()


def _moments(
    component: icalendar.Component, key: str, start: _When, all_day: bool, context: _Context
) -> list[str]:
    """EXDATE/RDATE values as ISO text in the series' zone (dates for all-day series)."""
    props = _prop(component, key)
    if props is None:
        return []
    if not isinstance(props, list):
        props = [props]
    result: list[str] = []
    for prop in props:
        if isinstance(prop, icalendar.prop.vBroken):
            continue
        tzid = getattr(prop, "params", {}).get("TZID")
        for item in getattr(prop, "dts", []):
            value = item.dt
            if isinstance(value, tuple):  # RDATE;VALUE=PERIOD: the period's start
                value = value[0]
            if not isinstance(value, dt.date):
                continue
            if all_day:
                day = value.date() if isinstance(value, dt.datetime) else value
                result.append(day.isoformat())
                continue
            assert isinstance(start.wall, dt.datetime)
            if not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, start.wall.time())
            if tzid:
                _, tzinfo = _resolve_tzid(str(tzid), context, value.replace(tzinfo=None), [])
                value = value.replace(tzinfo=tzinfo)
            if value.tzinfo is not None and start.tzinfo is not None:
                value = value.astimezone(start.tzinfo)
            result.append(value.replace(tzinfo=None, microsecond=0).isoformat())
    return sorted(set(result))


def _until_local(rule: icalendar.vRecur, start: _When, all_day: bool) -> None:
    untils = rule.get("UNTIL")
    if not untils:
        return
    until = untils[0]
    if all_day:
        rule["UNTIL"] = [until.date() if isinstance(until, dt.datetime) else until]
        return
    if not isinstance(until, dt.datetime):
        until = dt.datetime.combine(until, dt.time(23, 59, 59))
    if until.tzinfo is not None:
        if start.tzinfo is not None:
            until = until.astimezone(start.tzinfo)
        until = until.replace(tzinfo=None)
    rule["UNTIL"] = [until]


def canonical_rrule(text: str, start: Moment) -> str:
    """A rule in one spelling (order of parts, UNTIL as a local wall clock, the parts
    taken from DTSTART written out), so equal rules compare equal."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    rule = outlook_shape(icalendar.vRecur.from_ical(body), start)
    all_day = not isinstance(start, dt.datetime)
    _until_local(rule, _When(start, None, None), all_day)
    return rule_text(rule)


def _rrule(
    component: icalendar.Component, start: _When, all_day: bool, notes: list[str]
) -> str | None:
    props = _prop(component, "RRULE")
    if props is None:
        return None
    if isinstance(props, list):
        if len(props) > 1:
            notes.append("it had several recurrence rules; only the first was kept")
        props = props[0]
    if isinstance(props, icalendar.prop.vBroken):
        notes.append("its recurrence rule could not be read; imported as a single event")
        return None
    try:
        rule = icalendar.vRecur(props)
        if rule.get("COUNT") and rule.get("UNTIL"):
            # RFC 5545 allows one of them; dateutil is about to refuse both.
            del rule["COUNT"]
            notes.append("its recurrence had both an end date and a count; the end date was kept")
        _until_local(rule, start, all_day)
        text = rule_text(rule)
        first = (
            start.wall
            if isinstance(start.wall, dt.datetime)
            else dt.datetime.combine(start.wall, dt.time.min)
        )
        return check_rule(text, first)
    except RuleProblem as problem:
        # A rule the plan does not take (hourly, never occurring…): the event still comes in.
        notes.append(f"its recurrence rule was left out ({problem}); imported as a single event")
        return None
    except Exception:  # a rule dateutil cannot expand is of no use to the calendar
        notes.append("its recurrence rule is not understood; imported as a single event")
        return None


def _to_record_moment(value: Moment) -> tuple[dt.date, dt.time | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time()
    return value, None


def _convert(
    component: icalendar.Component,
    raw: str,
    instances: list[tuple[icalendar.Component, str]],
    uid: str,
    context: _Context,
    notes: list[str],
) -> IcsEvent:
    own = X_KIND in component
    start, end = _span(component, context, notes)
    all_day = not isinstance(start.wall, dt.datetime)
    if _outlook_all_day(component, start, end):
        assert isinstance(start.wall, dt.datetime) and isinstance(end, dt.datetime)
        start = _When(start.wall.date(), None, None)
        end = end.date()
        all_day = True
    own_tz = _text(component, X_TZ).strip()
    if own and is_offset(own_tz) and not all_day and start.tzinfo is not None:
        # This app wrote a fixed-offset item in UTC: back to the offset the user chose.
        target = _When(start.wall, own_tz, offset_zone(own_tz))
        end = _in_zone(_When(end, start.tz, start.tzinfo), target)
        start = _When(_in_zone(start, target), own_tz, target.tzinfo)
    title = _clean(_text(component, "SUMMARY"), notes, "title")
    if not own:
        title = " ".join(title.split())
    title = title if title.strip() else UNTITLED
    if all_day:
        assert not isinstance(start.wall, dt.datetime) and not isinstance(end, dt.datetime)
        start_date, start_time = start.wall, None
        end_date, end_time = end - _DAY, None
    else:
        assert isinstance(start.wall, dt.datetime) and isinstance(end, dt.datetime)
        start_date, start_time = start.wall.date(), start.wall.time()
        end_date, end_time = end.date(), end.time()
    tz = None if all_day else start.tz
    rrule = _rrule(component, start, all_day, notes)
    exdates = _moments(component, "EXDATE", start, all_day, context) if rrule else []
    rdates = _moments(component, "RDATE", start, all_day, context)
    if rdates and not rrule:
        rrule = RDATE_ONLY_RULE
    overrides: list[Record] = []
    for instance, _text_of in instances:
        if not rrule:
            notes.append("a changed occurrence was left out: the event does not repeat")
            break
        try:
            moved = _override(
                instance,
                start,
                all_day,
                title,
                context,
                own=own,
                series_cancelled=_text(component, "STATUS").strip().upper() == "CANCELLED",
            )
        except _EventProblem as problem:
            notes.append(f"a changed occurrence was left out: {problem}")
            continue
        if moved is None:
            continue
        if isinstance(moved, str):
            exdates = sorted({*exdates, moved})
        else:
            overrides.append(moved)
    by_id = {o["recurrence_id"]: o for o in overrides}
    categories = _categories(component)
    kind = _word(component, X_KIND, _KINDS) or kind_of(categories)
    team = _word(component, X_TEAM, _TEAMS) or team_of(categories)
    status = _word(component, X_STATUS, _STATUSES)
    if status is None:
        status = STATUS_FROM_ICAL.get(_text(component, "STATUS").strip().upper())
    try:
        sequence = max(0, int(_text(component, "SEQUENCE").strip() or 0))
    except ValueError:
        sequence = 0
    url = _link(clean_url(_clean(_text(component, "URL"), notes, "link")), notes)
    # A copy of the app's own export is kept only for what came into it from elsewhere.
    keep = not own or _carries_more(component, *(i for i, _ in instances))
    source = "".join([raw, *(t for _, t in instances)]) if keep else None
    record: Record = {
        "uid": uid,
        "title": title,
        "description": _description(component, own, notes),
        "location": _clean(_text(component, "LOCATION"), notes, "location"),
        "url": url,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "tz": tz,
        "rrule": rrule,
        "exdates": exdates,
        "rdates": rdates,
        "overrides": sorted(by_id.values(), key=lambda o: str(o["recurrence_id"])),
        "source_ical": source,
    }
    return IcsEvent(
        file=context.file,
        record=record,
        kind=kind,
        team=team,
        status=status,
        impact=_word(component, X_IMPACT, _IMPACTS),
        sequence=sequence,
        own=own,
        created=_created(component),
        links=_links(component, notes) if own else {},
        notes=list(dict.fromkeys(notes)),
    )


def _carries_more(*components: icalendar.Component) -> bool:
    """True when a VEVENT holds properties or alarms the app does not model."""
    return any(
        c.subcomponents or any(name.upper() not in MODELLED for name in c) for c in components
    )


def _texts(component: icalendar.Component, key: str, notes: list[str]) -> list[str]:
    values = _prop(component, key)
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    return [_clean(str(v), notes, key.lower()) for v in values]


def _links(component: icalendar.Component, notes: list[str]) -> Record:
    """Owner, channels, personas and goals that this app wrote into its own export."""
    owner = _texts(component, X_OWNER, notes)
    goals = []
    for text in _texts(component, X_GOAL, notes):
        goal = _goal(text)
        if goal is None:
            notes.append("a goal that could not be read was left out")
        else:
            goals.append(goal)
    return {
        "owner_id": owner[0] if owner and owner[0] else None,
        "channels": _texts(component, X_CHANNEL, notes),
        "personas": list(dict.fromkeys(_texts(component, X_PERSONA, notes))),
        "goals": goals,
    }


def _is_number(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _goal(text: str) -> Record | None:
    """A goal from its ``X-SMARKETING-GOAL`` JSON, checked like the plan format checks it."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    goal: Record = {key: value.get(key) for key in GOAL_KEYS}
    numbers_ok = all(_is_number(goal[key]) for key in ("target", "actual"))
    if (
        goal["team"] not in _TEAMS
        or not isinstance(goal["metric"], str)
        or not goal["metric"].strip()
        or goal["better"] not in _BETTER
        or not numbers_ok
        or not (goal["results_by"] is None or isinstance(goal["results_by"], str))
    ):
        return None
    try:
        on = goal["results_on"]
        goal["results_on"] = dt.date.fromisoformat(on) if isinstance(on, str) else None
    except ValueError:
        goal["results_on"] = None
    for key in ("target", "actual"):
        goal[key] = None if goal[key] is None else float(goal[key])
    return goal


def _override(
    instance: icalendar.Component,
    series: _When,
    all_day: bool,
    title: str,
    context: _Context,
    *,
    own: bool,
    series_cancelled: bool,
) -> Record | str | None:
    """A moved occurrence as an override record, a cancelled one as its EXDATE text."""
    original = _when(
        _prop(instance, "RECURRENCE-ID"), context, [], "original start (RECURRENCE-ID)"
    )
    original_value = _in_zone(original, series)
    if all_day != (not isinstance(original_value, dt.datetime)):
        if all_day and isinstance(original_value, dt.datetime):
            original_value = original_value.date()
        else:
            raise _EventProblem("its original start is not of the series' kind (date or time)")
    key = recurrence_key(original_value, None, all_day)
    # One cancelled occurrence of a running series is a skipped date; in a series that is
    # cancelled as a whole, a changed occurrence is cancelled like the rest of it.
    if _text(instance, "STATUS").strip().upper() == "CANCELLED" and not series_cancelled:
        return key
    notes: list[str] = []
    start, end = _span(instance, context, notes)
    if all_day != (not isinstance(start.wall, dt.datetime)):
        raise _EventProblem("it is timed in an all-day series (or the other way round)")
    start_value = _in_zone(start, series)
    end_value = _in_zone(_When(end, start.tz, start.tzinfo), series)
    if all_day:
        assert not isinstance(end_value, dt.datetime)
        end_value = end_value - _DAY
    start_date, start_time = _to_record_moment(start_value)
    end_date, end_time = _to_record_moment(end_value)
    summary = _clean(_text(instance, "SUMMARY"), notes, "title")
    if not own:
        summary = " ".join(summary.split())
    return {
        "recurrence_id": key,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "title": summary if summary and summary != title else None,
    }


def _created(component: icalendar.Component) -> dt.datetime | None:
    """CREATED as an aware UTC time, if it is one (the item then dates from it)."""
    try:
        value = component.decoded("CREATED")
    except Exception:  # missing or unreadable: the item dates from the import
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _sequence_of(component: icalendar.Component) -> int:
    try:
        return int(_text(component, "SEQUENCE").strip() or 0)
    except ValueError:
        return 0


def _read_events(
    components: list[tuple[icalendar.Component, str, _Context]], result: IcsFiles
) -> None:
    with warnings.catch_warnings():
        # Reading values can warn too (a guessed zone id); reasons are reported per event.
        warnings.simplefilter("ignore")
        _convert_events(components, result)


def _convert_events(
    components: list[tuple[icalendar.Component, str, _Context]], result: IcsFiles
) -> None:
    masters: dict[str, tuple[icalendar.Component, str, _Context, list[str]]] = {}
    order: list[str] = []
    instances: dict[str, list[tuple[icalendar.Component, str]]] = {}
    for component, raw, context in components:
        uid, notes = _uid(component)
        if "RECURRENCE-ID" in component and _text(component, "UID").strip():
            instances.setdefault(uid, []).append((component, raw))
            continue
        if uid in masters:
            earlier = masters[uid]
            if _sequence_of(component) < _sequence_of(earlier[0]):
                result.skipped.append(
                    SkippedEvent(
                        context.file, uid, _text(component, "SUMMARY"),
                        "the same event appears again with a newer version; that was used",
                    )
                )  # fmt: skip
                continue
            result.skipped.append(
                SkippedEvent(
                    earlier[2].file, uid, _text(earlier[0], "SUMMARY"),
                    "the same event appears again later; the later copy was used",
                )
            )  # fmt: skip
        else:
            order.append(uid)
        masters[uid] = (component, raw, context, notes)
    for uid, moved in instances.items():
        if uid not in masters:
            # Only changed occurrences of a series we do not have (an invitation to one
            # meeting of a series): each becomes an event of its own.
            for index, (component, raw) in enumerate(moved):
                own_uid = f"{uid[: _MAX_UID - 12]}#{index + 1}" if len(moved) > 1 else uid
                context = next(c for comp, _, c in components if comp is component)
                alone = "a changed occurrence of a series not in the file; imported on its own"
                masters[own_uid] = (component, raw, context, [alone])
                order.append(own_uid)
    for uid in order:
        component, raw, context, notes = masters[uid]
        own_instances = [] if "RECURRENCE-ID" in component else instances.get(uid, [])
        try:
            event = _convert(component, raw, own_instances, uid, context, list(notes))
        except _EventProblem as problem:
            result.skipped.append(
                SkippedEvent(context.file, uid, _text(component, "SUMMARY"), str(problem))
            )
            continue
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            OverflowError,
            IndexError,
        ) as error:
            result.skipped.append(
                SkippedEvent(
                    context.file, uid, _text(component, "SUMMARY"),
                    f"it could not be read ({' '.join(str(error).split())[:120]})",
                )
            )  # fmt: skip
            continue
        result.events.append(event)
