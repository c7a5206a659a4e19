"""iCalendar export: one VCALENDAR that Outlook, Google, Apple Calendar and Thunderbird read.

Two layers. :func:`calendar_for` turns plain :class:`CalendarEvent` descriptions into the
bytes of a ``.ics`` file; anything that wants to hand events to a calendar (the plan's
items, an SLA's review meetings) describes them as ``CalendarEvent`` and gets the same
rules. :func:`export_ics` reads a plan's items through :class:`ItemFilter` and writes them.

The rules (issue 5): ``VERSION:2.0``, a PRODID, ``METHOD:PUBLISH``, ``X-WR-CALNAME``; CRLF,
no BOM, lines folded at 75 octets without splitting a character (icalendar does the
escaping and folding). ``UID`` is the item's uid, ``SEQUENCE`` its change counter,
``DTSTAMP``/``CREATED``/``LAST-MODIFIED`` in UTC. All-day events get ``VALUE=DATE`` and an
exclusive ``DTEND``; timed ones a ``TZID`` and a VTIMEZONE (see ``ical_timezones``), UTC
times for a fixed offset such as ``+01:00``, and floating times only without a zone.
Moved occurrences are VEVENTs of their own with the series' UID and a ``RECURRENCE-ID``.
An item imported from another calendar keeps the VEVENT it came from, so the properties
the app does not model (ATTENDEE, ORGANIZER, VALARM, X- properties) are written again.

Text is written literally. Characters a calendar file cannot carry (NUL and the other
control characters except tab and line breaks) are dropped; line breaks become ``\\n``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop import __version__
from smarketing_desktop.collector import collector_paused
from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.recurrence import occurs_between
from smarketing_desktop.domain.words import Kind, Status, Team
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.files import write_atomically
from smarketing_desktop.exchange.ical_timezones import is_utc, known_zone, vtimezone_for, zone
from smarketing_desktop.exchange.reader import is_offset, offset_zone
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

PRODID = f"-//Smarketing Desktop//Smarketing Desktop {__version__}//EN"
# The X- properties this app writes, so a re-import of its own file restores the item
# exactly (kind, team, status and impact are richer than CATEGORIES and STATUS).
X_KIND = "X-SMARKETING-KIND"
X_TEAM = "X-SMARKETING-TEAM"
X_STATUS = "X-SMARKETING-STATUS"
X_IMPACT = "X-SMARKETING-IMPACT"
X_TZ = "X-SMARKETING-TZ"
# Who and what an item is for, by id, so a plan that knows the same people and personas
# gets them back (DESCRIPTION says the same in words for people reading the calendar).
X_OWNER = "X-SMARKETING-OWNER"
X_PERSONA = "X-SMARKETING-PERSONA"
X_CHANNEL = "X-SMARKETING-CHANNEL"
X_GOAL = "X-SMARKETING-GOAL"
OWN_PROPERTIES = (X_KIND, X_TEAM, X_STATUS, X_IMPACT, X_TZ, X_OWNER, X_PERSONA, X_CHANNEL, X_GOAL)

ICAL_STATUS = {
    Status.IDEA.value: "TENTATIVE",
    Status.PLANNED.value: "TENTATIVE",
    Status.APPROVED.value: "CONFIRMED",
    Status.DONE.value: "CONFIRMED",
    Status.CANCELLED.value: "CANCELLED",
}
# Tradeshows, webinars and meetings take people's time; campaigns, content, launches and
# holidays (blackout days for campaigns, not appointments) must not block free/busy.
OPAQUE_KINDS = frozenset({Kind.TRADESHOW.value, Kind.WEBINAR.value, Kind.MEETING.value})

# Properties the app writes itself: dropped from a kept source VEVENT before writing.
_MODELLED_TEXT = """
    UID SUMMARY DESCRIPTION X-ALT-DESC DTSTART DTEND DURATION RRULE EXRULE EXDATE RDATE
    RECURRENCE-ID CATEGORIES TRANSP STATUS LOCATION URL SEQUENCE DTSTAMP CREATED LAST-MODIFIED
    X-MICROSOFT-CDO-BUSYSTATUS X-MICROSOFT-CDO-INTENDEDSTATUS X-MICROSOFT-CDO-ALLDAYEVENT
    X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT X-MICROSOFT-CDO-APPT-SEQUENCE X-MICROSOFT-CDO-INSTTYPE
"""
MODELLED = frozenset(_MODELLED_TEXT.split()) | set(OWN_PROPERTIES)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_DAY = dt.timedelta(days=1)
_HOUR = dt.timedelta(hours=1)

Moment = dt.date | dt.datetime


def clean_text(text: str) -> str:
    """``text`` as a calendar file can carry it: line breaks as LF, no control characters."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", text))


def clean_url(url: str) -> str:
    """A URL without spaces, line breaks or control characters (which would break a file)."""
    return _URL_FORBIDDEN.sub(lambda m: "%20" if m.group() == " " else "", url.strip())


def category_name(name: str) -> str:
    """A category name without the commas and semicolons that separate categories."""
    return " ".join(clean_text(name).replace(",", " ").replace(";", " ").split())


@dataclass(frozen=True, slots=True)
class EventOverride:
    """One occurrence of a series moved or renamed ("this one only").

    ``recurrence_id`` is the original start of the occurrence; ``start``/``end`` follow the
    conventions of :class:`CalendarEvent` (all-day ``end`` is the last day, inclusive).
    """

    recurrence_id: Moment
    start: Moment
    end: Moment
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A plain description of one calendar event (or series) to write.

    ``start``/``end`` are dates for an all-day event (``end`` is the last day, inclusive:
    a campaign on 14–16 April has ``end`` 16 April) and naive wall-clock date-times for a
    timed one, in ``tz``: an IANA name, a fixed offset such as ``+01:00``, or None for
    floating time. ``end`` None means one day, or one hour. ``status`` is an iCalendar
    STATUS word (``TENTATIVE``, ``CONFIRMED``, ``CANCELLED``) or None; ``exdates`` and
    ``rdates`` are moments like ``start`` (a date for a timed series means that day at
    the series' time). ``source_ical`` is the VEVENT text (master first, then its moved
    occurrences) the event was imported from; ``extra`` are further X- properties.
    """

    uid: str
    summary: str
    start: Moment
    end: Moment | None = None
    tz: str | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    categories: Sequence[str] = ()
    status: str | None = None
    transparent: bool = False
    rrule: str | None = None
    exdates: Sequence[Moment] = ()
    rdates: Sequence[Moment] = ()
    overrides: Sequence[EventOverride] = ()
    sequence: int = 0
    created: dt.datetime | None = None
    last_modified: dt.datetime | None = None
    source_ical: str | None = None
    extra: Sequence[tuple[str, str]] = ()

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


# ---------------------------------------------------------------------------------------
# Moments as iCalendar values


def _as_datetime(value: Moment, time: dt.time) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, time)


def _zoned(value: dt.datetime, tz: str | None) -> dt.datetime:
    """A wall-clock date-time of zone ``tz`` as icalendar should write it."""
    if value.tzinfo is not None:
        if tz is None:
            return value.astimezone(dt.UTC)
        value = value.astimezone(_tzinfo(tz)).replace(tzinfo=None)
    if tz is None:
        return value
    if is_offset(tz):
        return value.replace(tzinfo=offset_zone(tz)).astimezone(dt.UTC)
    if is_utc(tz):
        return value.replace(tzinfo=dt.UTC)
    return value.replace(tzinfo=zone(tz))


def _tzinfo(tz: str) -> dt.tzinfo:
    if is_offset(tz):
        return offset_zone(tz)
    return dt.UTC if is_utc(tz) else zone(tz)


def _value(event: CalendarEvent, moment: Moment, time: dt.time) -> Moment:
    """``moment`` in the form of the event's DTSTART (date, zoned, UTC or floating)."""
    if event.all_day:
        return moment.date() if isinstance(moment, dt.datetime) else moment
    return _zoned(_as_datetime(moment, time), event.tz)


def _end(event: CalendarEvent, start: Moment, end: Moment | None) -> Moment:
    if event.all_day:
        last = start if end is None else end
        day = last.date() if isinstance(last, dt.datetime) else last
        return day + _DAY
    assert isinstance(start, dt.datetime)
    if end is None:
        return start + _HOUR
    return _as_datetime(end, start.time())


def _start_time(event: CalendarEvent) -> dt.time:
    return event.start.time() if isinstance(event.start, dt.datetime) else dt.time.min


_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def outlook_shape(rule: icalendar.vRecur, start: Moment) -> icalendar.vRecur:
    """``rule`` with the parts RFC 5545 takes from DTSTART written out, as Outlook does.

    Outlook maps a rule to one of its patterns (weekly on these days, monthly on day N or
    on the n-th weekday, yearly on a date) and writes every part of that pattern itself;
    a rule that leaves them to DTSTART is one it may show as a single event. The meaning
    does not change: these are the values RFC 5545 would take from DTSTART anyway.
    """
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    day = start.date() if isinstance(start, dt.datetime) else start
    has = {
        key for key in ("BYDAY", "BYMONTHDAY", "BYMONTH", "BYYEARDAY", "BYWEEKNO") if rule.get(key)
    }
    if freq == "WEEKLY" and not has & {"BYDAY"}:
        rule["BYDAY"] = [_ICAL_WEEKDAYS[day.weekday()]]
    elif freq == "MONTHLY" and not has & {"BYDAY", "BYMONTHDAY"}:
        rule["BYMONTHDAY"] = [day.day]
    elif freq == "YEARLY" and not has & {"BYYEARDAY", "BYWEEKNO"}:
        if "BYMONTH" not in has:
            rule["BYMONTH"] = [day.month]
        if not has & {"BYDAY", "BYMONTHDAY"}:
            rule["BYMONTHDAY"] = [day.day]
    return rule


def rule_text(rule: icalendar.vRecur) -> str:
    """The RRULE value of ``rule`` as text (``FREQ=WEEKLY;BYDAY=TU``)."""
    data: bytes = rule.to_ical()  # type: ignore[no-untyped-call]  # icalendar leaves it untyped
    return data.decode("ascii")


def _rrule(event: CalendarEvent) -> icalendar.vRecur:
    """The stored rule in Outlook's shape, UNTIL in the form RFC 5545 wants for DTSTART."""
    text = event.rrule or ""
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    rule: icalendar.vRecur = outlook_shape(icalendar.vRecur.from_ical(text.strip()), event.start)
    untils = rule.get("UNTIL")
    if untils:
        until = untils[0]
        if event.all_day:
            rule["UNTIL"] = [until.date() if isinstance(until, dt.datetime) else until]
        else:
            moment = _as_datetime(until, dt.time(23, 59, 59))
            if moment.tzinfo is None and event.tz is not None:
                moment = _zoned(moment, event.tz)
            # A zoned or UTC series needs UNTIL in UTC; a floating one stays floating.
            rule["UNTIL"] = [moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment]
    return rule


# ---------------------------------------------------------------------------------------
# Building components


# A content line's name: what comes before its first ":" or ";" (after unfolding).
_LINE_NAME = re.compile(r"([A-Za-z0-9-]+)[:;]")
# Unfolding and line splitting exactly as icalendar does them (``(\r?\n)+[ \t]`` is a
# fold, even across blank lines, which Mozilla's old files have), so the carried lines
# parse as the whole event would. The lookbehinds pin a match to the first break of a
# run (linear on long runs, as icalendar's own pattern); coming after the first
# character, they let the search skip to line breaks, five times quicker than icalendar's.
_FOLD = re.compile(r"(?:\r(?<!\n\r)\n|\n(?<![\r\n]\n))(?:\r?\n)*[ \t]")
_NEWLINE = re.compile(r"\r?\n")


# Kept at the VEVENT's own level although the export writes them: which occurrence a kept
# VEVENT is, and the count it came with (see ``_own_sequence``).
_IDENTIFYING = frozenset({"RECURRENCE-ID", "SEQUENCE"})


# A line of a kept VEVENT that certainly carries nothing: the VEVENT's own BEGIN and END, a
# modelled property, SEQUENCE 0, or blank. One search finds the first other line, so the
# many kept events that carry nothing are told apart without a loop over their lines.
_PLAIN_LINE = "|".join(
    [r"(?:BEGIN|END):VEVENT\r?$", r"SEQUENCE:0?\r?$", r"[ \t]*\r?$"]
    + [re.escape(name) + "[:;]" for name in sorted(MODELLED - {"SEQUENCE"})]
)
_NOT_PLAIN = re.compile(f"^(?!{_PLAIN_LINE})", re.MULTILINE | re.IGNORECASE)


def _carried_text(source: str) -> str | None:
    """The lines of a kept VEVENT text that an export carries over (ATTENDEE, VALARM…),
    with what identifies each VEVENT; None when it carries nothing.

    Most kept events hold only what the item models, and those that carry something hold
    mostly modelled lines: parsing whole kept events again made an export of a big
    imported plan half as slow again as the library. Unfolded lines, so a property folded
    across lines is judged by its whole name; the library parses what is left.
    """
    unfolded = _FOLD.sub("", source)
    if _NOT_PLAIN.search(unfolded) is None:
        return None
    return _carried_lines(unfolded)


def _carried_lines(unfolded: str) -> str | None:
    """``_carried_text`` line by line, of an unfolded VEVENT text."""
    kept: list[str] = []
    carries = False
    depth = 0  # 1 inside a VEVENT, more inside its VALARM (or other subcomponent)
    for line in _NEWLINE.split(unfolded):
        if not line.strip():
            continue
        match = _LINE_NAME.match(line)
        name = match.group(1).upper() if match is not None else ""
        value = line[match.end() :].strip().upper() if match is not None else ""
        # VEVENTs do not nest: a stray BEGIN:VEVENT starts the next one, as the quick look
        # in ``_carried_text`` takes it.
        if name == "BEGIN":
            depth = 1 if value == "VEVENT" else depth + 1
            carries = carries or value != "VEVENT"
        elif name == "END":
            depth = 0 if value == "VEVENT" else depth - 1
        elif depth <= 1 and match is not None and name in MODELLED:
            if name not in _IDENTIFYING:
                continue
            # A moved occurrence keeps a count of its own (see ``_own_sequence``).
            carries = carries or (name == "SEQUENCE" and value not in ("", "0"))
        else:
            carries = True  # not modelled, or unreadable: the library decides
        kept.append(line)
    return "\r\n".join(kept) + "\r\n" if carries else None


def _source_components(source: str | None) -> list[icalendar.Component]:
    text = _carried_text(source) if source else None
    if text is None:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            components = icalendar.Component.from_ical(text, multiple=True)
    except Exception:  # a damaged kept VEVENT must not stop an export
        return []
    return [c for c in components if c.name == "VEVENT"]


def _base(component: icalendar.Component | None) -> icalendar.Event:
    event = icalendar.Event()
    if component is None:
        return event
    for name, value in component.items():
        if name.upper() not in MODELLED:
            event[name] = value
    for sub in component.subcomponents:
        event.add_component(sub)
    return event


def recurrence_key(value: Moment, tz: str | None, all_day: bool) -> str:
    """A RECURRENCE-ID as the ISO text the store keeps: the series' local wall clock."""
    if all_day or not isinstance(value, dt.datetime):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if value.tzinfo is not None:
        value = value.astimezone(_tzinfo(tz) if tz is not None else dt.UTC)
    return value.replace(tzinfo=None).isoformat()


def _fill(
    vevent: icalendar.Event,
    event: CalendarEvent,
    start: Moment,
    end: Moment,
    summary: str,
    stamp: dt.datetime,
    sequence: int = 0,
) -> None:
    vevent.add("uid", clean_text(event.uid))
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", max(0, event.sequence, sequence))
    if event.created is not None:
        vevent.add("created", event.created.astimezone(dt.UTC))
    if event.last_modified is not None:
        vevent.add("last-modified", event.last_modified.astimezone(dt.UTC))
    summary = clean_text(summary)
    # What the import calls an event without a title, so a round trip keeps it.
    vevent.add("summary", summary if summary.strip() else UNTITLED)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    description, location = clean_text(event.description), clean_text(event.location)
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    url = clean_url(event.url)
    if url:
        vevent.add("url", url)
    categories = [name for name in (category_name(c) for c in event.categories) if name]
    if categories:
        vevent.add("categories", categories)
    vevent.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
    if event.status:
        vevent.add("status", event.status)
    for name, value in event.extra:
        # icalendar writes an X- property raw unless told it is TEXT (then it escapes
        # commas, semicolons and line breaks, and reads them back).
        vevent.add(name, icalendar.vText(clean_text(value)), parameters={"VALUE": "TEXT"})


def event_components(event: CalendarEvent, stamp: dt.datetime) -> list[icalendar.Event]:
    """The VEVENTs of one event: the event (or series) and its moved occurrences."""
    kept = _source_components(event.source_ical)
    master_source = next((c for c in kept if "RECURRENCE-ID" not in c), None)
    time = _start_time(event)
    start = _value(event, event.start, time)
    end = _value(event, _end(event, event.start, event.end), time)
    master = _base(master_source)
    _fill(master, event, start, end, event.summary, stamp)
    result = [master]
    if not event.rrule:
        return result
    master.add("rrule", _rrule(event))
    if event.exdates:
        master.add("exdate", sorted({_value(event, d, time) for d in event.exdates}, key=_order))
    if event.rdates:
        master.add("rdate", sorted({_value(event, d, time) for d in event.rdates}, key=_order))
    moved_sources = {}
    for component in kept:
        if "RECURRENCE-ID" in component:
            try:
                original = component.decoded("RECURRENCE-ID")
            except Exception:  # an unreadable kept occurrence is dropped
                continue
            moved_sources[recurrence_key(original, event.tz, event.all_day)] = component
    for override in sorted(event.overrides, key=lambda o: _order(o.recurrence_id)):
        original = _value(event, override.recurrence_id, time)
        key = recurrence_key(original, event.tz, event.all_day)
        source = moved_sources.get(key)
        vevent = _base(source)
        o_start = _value(event, override.start, time)
        o_end = _value(event, _end(event, override.start, override.end), time)
        # An occurrence changed in its own calendar may count further than its series:
        # a lower SEQUENCE than the one it came with would make calendars ignore it.
        own = _own_sequence(source)
        _fill(vevent, event, o_start, o_end, override.summary or event.summary, stamp, own)
        vevent.add("recurrence-id", original)
        result.append(vevent)
    return result


def _own_sequence(component: icalendar.Component | None) -> int:
    """The SEQUENCE a kept VEVENT came with (0 when none or unreadable)."""
    if component is None:
        return 0
    try:
        return int(str(component.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        return 0


def _order(value: Moment) -> tuple[dt.date, str]:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.date(), value.time().isoformat()
    return value, ""


def _zones_of(events: Iterable[CalendarEvent]) -> tuple[set[str], int, int]:
    names: set[str] = set()
    years = [dt.date.today().year]
    for event in events:
        if event.all_day or event.tz is None or is_offset(event.tz) or is_utc(event.tz):
            continue
        names.add(event.tz)
        years.append(event.start.year)
    return names, min(years), max(years)


def calendar_for(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    stamp: dt.datetime | None = None,
    description: str = "",
) -> bytes:
    """The bytes of one ``.ics`` file holding ``events`` (UTF-8, CRLF, folded, no BOM).

    ``name`` becomes ``X-WR-CALNAME`` (what Outlook and Google call the calendar);
    ``stamp`` is the ``DTSTAMP`` of every event (default: now).

    Raises:
        UserError: an event names a time zone this machine does not know.
    """
    events = list(events)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Read raw by Outlook and Google (no unescaping): one line, nothing to escape.
    calendar.add("x-wr-calname", " ".join(clean_text(name).split()))
    if description:
        calendar.add("x-wr-caldesc", " ".join(clean_text(description).split()))
    # A published file is polled: ask subscribers (Outlook, Google) to look every hour.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    zones, first_year, last_year = _zones_of(events)
    for zone_name in sorted(zones):
        if not known_zone(zone_name):
            raise UserError(f"Unknown time zone {zone_name!r}: it cannot be written to a calendar.")
        calendar.add_component(vtimezone_for(zone_name, first_year=first_year, last_year=last_year))
    for event in events:
        for component in event_components(event, stamp):
            calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data


# ---------------------------------------------------------------------------------------
# The plan's items


@dataclass(slots=True)
class _Names:
    people: dict[str, str] = field(default_factory=dict)
    personas: dict[str, str] = field(default_factory=dict)


def _label(enum: type[Kind] | type[Team], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _clean_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(slots=True)
class ScheduledItem:
    """A scheduled item as an export reads it: its row of the items table, and the rows
    of its goals and moved occurrences and its persona ids, in their stored order.

    Plain rows, not ORM objects: building 10,000 items with their collections through
    the ORM took longer than writing their VEVENTs (see ``_scheduled``).
    """

    row: Row[Any]
    goals: list[Row[Any]] = field(default_factory=list)
    persona_ids: list[str] = field(default_factory=list)
    overrides: list[Row[Any]] = field(default_factory=list)


def item_description(scheduled: ScheduledItem, names: _Names) -> str:
    """The plain-text DESCRIPTION: a header of facts, a blank line, the description."""
    item = scheduled.row
    lines = [
        f"Kind: {_label(Kind, item.kind)}",
        f"Team: {_label(Team, item.team)}",
        f"Status: {item.status.capitalize()}",
        f"Impact: {item.impact.capitalize()}",
    ]
    if item.owner_id:
        lines.append(f"Owner: {_clean_line(names.people.get(item.owner_id, item.owner_id))}")
    personas = [names.personas.get(p, p) for p in scheduled.persona_ids]
    if personas:
        lines.append("Personas: " + ", ".join(_clean_line(p) for p in personas))
    if item.channels:
        lines.append("Channels: " + ", ".join(_clean_line(str(c)) for c in item.channels))
    if scheduled.goals:
        lines.append("Goals:")
        for goal in scheduled.goals:
            result = "" if goal.actual is None else f", result {_number(goal.actual)}"
            lines.append(
                f"- {_label(Team, goal.team)}: {_clean_line(goal.metric)}, "
                f"target {_number(goal.target)}{result}"
            )
    header = "\n".join(lines)
    body = clean_text(item.description)
    return f"{header}\n\n{body}" if body else header


HEADER_FIRST_LINE = "Kind: "
UNTITLED = "Untitled event"
GOAL_KEYS = ("team", "metric", "target", "actual", "better", "results_by", "results_on")


def goal_json(goal: models.ItemGoal | Row[Any]) -> str:
    """A goal as compact JSON (the value of an ``X-SMARKETING-GOAL``)."""
    value = {key: getattr(goal, key) for key in GOAL_KEYS}
    value["results_on"] = goal.results_on.isoformat() if goal.results_on else None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _moment(text: str) -> Moment:
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def _combine(day: dt.date, time: dt.time | None) -> Moment:
    return day if time is None else dt.datetime.combine(day, time)


def event_from_item(scheduled: ScheduledItem, names: _Names | None = None) -> CalendarEvent:
    """The calendar event of a scheduled item (``start_date`` must be set)."""
    item = scheduled.row
    assert item.start_date is not None and item.end_date is not None
    names = names or _Names()
    tz = None if item.start_time is None else item.tz
    extra = [
        (X_KIND, item.kind),
        (X_TEAM, item.team),
        (X_STATUS, item.status),
        (X_IMPACT, item.impact),
    ]
    if tz is not None and is_offset(tz):
        extra.append((X_TZ, tz))
    if item.owner_id:
        extra.append((X_OWNER, item.owner_id))
    extra += [(X_PERSONA, persona_id) for persona_id in scheduled.persona_ids]
    extra += [(X_CHANNEL, str(channel)) for channel in item.channels]
    extra += [(X_GOAL, goal_json(goal)) for goal in scheduled.goals]
    return CalendarEvent(
        uid=item.uid,
        summary=item.title,
        start=_combine(item.start_date, item.start_time),
        end=_combine(item.end_date, item.end_time),
        tz=tz,
        description=item_description(scheduled, names),
        location=item.location,
        url=item.url,
        categories=(_label(Kind, item.kind), _label(Team, item.team)),
        status=ICAL_STATUS.get(item.status),
        transparent=item.kind not in OPAQUE_KINDS,
        rrule=item.rrule,
        exdates=[_moment(str(v)) for v in item.exdates] if item.rrule else (),
        rdates=[_moment(str(v)) for v in item.rdates] if item.rrule else (),
        overrides=[
            EventOverride(
                recurrence_id=_moment(o.recurrence_id),
                start=_combine(o.start_date, o.start_time),
                end=_combine(o.end_date, o.end_time),
                summary=o.title,
            )
            for o in scheduled.overrides
        ]
        if item.rrule
        else (),
        sequence=item.sequence,
        created=item.created_at,
        last_modified=item.updated_at,
        source_ical=item.source_ical,
        extra=extra,
    )


def _query(chosen: ItemFilter, *, columns: Any) -> Select[Any]:
    query = select(columns).where(models.Item.start_date.is_not(None))
    if chosen.teams:
        query = query.where(models.Item.team.in_(sorted(chosen.teams)))
    if chosen.kinds:
        query = query.where(models.Item.kind.in_(sorted(chosen.kinds)))
    if chosen.statuses:
        query = query.where(models.Item.status.in_(sorted(chosen.statuses)))
    if chosen.owners:
        query = query.where(models.Item.owner_id.in_(sorted(chosen.owners)))
    if chosen.personas:
        targeting: ColumnElement[bool] = models.Item.id.in_(
            select(models.ItemPersona.item_id).where(
                models.ItemPersona.persona_id.in_(sorted(chosen.personas))
            )
        )
        if ItemFilter.EVERYONE in chosen.personas:  # or items that target no persona
            targeting = or_(targeting, models.Item.id.not_in(select(models.ItemPersona.item_id)))
        query = query.where(targeting)
    needle = chosen.text.strip()
    if needle:
        # SQLite folds the case of ASCII letters only, unlike the calendar's casefold().
        query = query.where(
            or_(
                models.Item.title.icontains(needle, autoescape=True),
                models.Item.description.icontains(needle, autoescape=True),
            )
        )
    if chosen.first is not None or chosen.last is not None:
        first = chosen.first or dt.date.min
        last = chosen.last or dt.date.max
        in_span = (models.Item.start_date <= last) & or_(
            models.Item.series_end >= first, models.Item.series_end.is_(None)
        )
        # A moved occurrence can lie outside its series' own span.
        moved_here = models.Item.id.in_(
            select(models.ItemOverride.item_id).where(
                models.ItemOverride.start_date <= last, models.ItemOverride.end_date >= first
            )
        )
        query = query.where(or_(in_span, moved_here))
    return query


def describe_filter(chosen: ItemFilter, names: _Names) -> str:
    """The filter in words, for the calendar's name (``Sales; Tradeshow; 2027-03-01 – …``)."""
    parts = []
    parts += [_label(Team, t) for t in sorted(chosen.teams)]
    parts += [_label(Kind, k) for k in sorted(chosen.kinds)]
    parts += [s.capitalize() for s in sorted(chosen.statuses)]
    parts += [
        f"persona {names.personas.get(p, p)}" if p != ItemFilter.EVERYONE else "no persona"
        for p in sorted(chosen.personas)
    ]
    parts += [f"owner {names.people.get(o, o)}" for o in sorted(chosen.owners)]
    if chosen.first or chosen.last:
        first = chosen.first.isoformat() if chosen.first else "…"
        last = chosen.last.isoformat() if chosen.last else "…"
        parts.append(f"{first} – {last}")
    if chosen.text.strip():
        parts.append(f"“{chosen.text.strip()}”")
    return "; ".join(_clean_line(p) for p in parts)


def plan_events(plan: Plan, chosen: ItemFilter | None = None) -> tuple[list[CalendarEvent], str]:
    """The scheduled items ``chosen`` selects as events, and the calendar's name.

    Raises:
        UserError: the filter names an unknown word, person or persona.
    """
    chosen = chosen or ItemFilter()
    chosen.check()
    with plan.read() as session:
        names = _Names(
            people={k: v for k, v in session.execute(select(models.Person.id, models.Person.name))},
            personas={
                k: v for k, v in session.execute(select(models.Persona.id, models.Persona.name))
            },
        )
        for label, wanted, known in (
            ("person", chosen.owners, names.people),
            ("persona", chosen.personas - {ItemFilter.EVERYONE}, names.personas),
        ):
            missing = sorted(wanted - set(known))
            if missing:
                raise UserError(f"No {label} has the id {missing[0]!r}.")
        events = [
            event_from_item(scheduled, names)
            for scheduled in _scheduled(session, chosen)
            if _occurs_in(
                chosen,
                scheduled.row,
                [(o.recurrence_id, o.start_date, o.end_date) for o in scheduled.overrides],
            )
        ]
    title = plan.name
    description = describe_filter(chosen, names)
    return events, f"{title} ({description})" if description else title


def _scheduled(session: Session, chosen: ItemFilter) -> list[ScheduledItem]:
    """The items ``chosen`` selects, by uid, with their goals, personas and moved
    occurrences: four queries, whatever the number of items."""
    chosen_ids = _query(chosen, columns=models.Item.id)
    items = {
        row.id: ScheduledItem(row)
        for row in session.execute(
            _query(chosen, columns=models.Item.__table__).order_by(models.Item.uid)
        )
    }

    def children(model: type[models.Base], order: str) -> Iterable[Row[Any]]:
        table = model.__table__
        return session.execute(
            select(table)
            .where(table.c.item_id.in_(chosen_ids))
            .order_by(table.c.item_id, table.c[order])
        )

    for goal in children(models.ItemGoal, "position"):
        items[goal.item_id].goals.append(goal)
    for link in children(models.ItemPersona, "position"):
        items[link.item_id].persona_ids.append(link.persona_id)
    for override in children(models.ItemOverride, "recurrence_id"):
        items[override.item_id].overrides.append(override)
    return list(items.values())


def count_events(plan: Plan, chosen: ItemFilter | None = None) -> int:
    """How many items an export with ``chosen`` writes (each with its moved occurrences).

    Raises:
        UserError: the filter names an unknown word.
    """
    chosen = chosen or ItemFilter()
    chosen.check()
    with plan.read() as session:
        if chosen.first is None or chosen.last is None:
            return session.scalar(_query(chosen, columns=func.count(models.Item.id))) or 0
        # A series whose span covers the range may still have no occurrence in it.
        count = _query(chosen, columns=func.count(models.Item.id))
        total = session.scalar(count.where(models.Item.rrule.is_(None))) or 0
        series = _query(chosen, columns=models.Item).where(models.Item.rrule.is_not(None))
        for item in session.scalars(series.options(selectinload(models.Item.overrides))):
            moved = [(o.recurrence_id, o.start_date, o.end_date) for o in item.overrides]
            total += _occurs_in(chosen, item, moved)
        return total


def _occurs_in(
    chosen: ItemFilter, item: models.Item | Row[Any], moved: list[tuple[str, dt.date, dt.date]]
) -> bool:
    """Whether ``item`` has an occurrence in the chosen date range (the query already
    keeps only series whose span reaches into it)."""
    if not item.rrule or chosen.first is None or chosen.last is None:
        return True
    assert item.start_date is not None and item.end_date is not None
    return occurs_between(
        (item.start_date, item.start_time, item.end_date),
        item.rrule,
        (item.exdates or [], item.rdates or []),
        moved,
        chosen.first,
        chosen.last,
    )


def export_ics_bytes(
    plan: Plan, chosen: ItemFilter | None = None, *, stamp: dt.datetime | None = None
) -> tuple[bytes, int]:
    """The ``.ics`` bytes of the plan's items that ``chosen`` selects, and how many."""
    # Every item's event and component stays alive until the file is written: the
    # collector's scans of them were a sixth of a big export.
    with collector_paused():
        events, name = plan_events(plan, chosen)
        return calendar_for(events, name=name, stamp=stamp), len(events)


def export_ics(
    plan: Plan, out: Path, chosen: ItemFilter | None = None, *, stamp: dt.datetime | None = None
) -> int:
    """Write the selected items to ``out`` atomically; returns how many were written."""
    data, count = export_ics_bytes(plan, chosen, stamp=stamp)
    write_atomically(out, data)
    return count
