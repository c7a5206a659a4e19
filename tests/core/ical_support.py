"""Shared helpers of the iCalendar tests: plans from plan documents, and two parsers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events
import vobject

from smarketing_desktop.exchange import plan_json
from smarketing_desktop.store.planfile import Plan, create_plan

DATA = Path(__file__).parents[1] / "data" / "ics"
STAMP = dt.datetime(2027, 1, 15, 12, 0, tzinfo=dt.UTC)


def document(*items: dict[str, Any], **lists: Any) -> dict[str, Any]:
    return {"format": "smarketing-plan", "version": 1, "items": list(items), **lists}


def make_plan(path: Path, *items: dict[str, Any], name: str = "Acme plan", **lists: Any) -> Plan:
    plan = create_plan(path, name=name)
    if items or lists:
        plan_json.import_plan(plan, json.dumps(document(*items, **lists)))
    return plan


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def events(data: bytes) -> dict[str, list[icalendar.Event]]:
    """The VEVENTs of ``data`` by UID (a series first, then its moved occurrences)."""
    found: dict[str, list[icalendar.Event]] = {}
    for event in parse(data).walk("VEVENT"):
        found.setdefault(str(event["UID"]), []).append(event)
    for group in found.values():
        group.sort(key=lambda e: "RECURRENCE-ID" in e)
    return found


def one(data: bytes, uid: str) -> icalendar.Event:
    return events(data)[uid][0]


def vobject_events(data: bytes) -> dict[str, list[Any]]:
    """The same through vobject, an independent parser."""
    calendar = vobject.readOne(data.decode("utf-8"))
    found: dict[str, list[Any]] = {}
    for event in calendar.vevent_list:
        found.setdefault(event.uid.value, []).append(event)
    return found


def starts_between(
    data: bytes, uid: str, first: dt.date, last: dt.date
) -> list[dt.date | dt.datetime]:
    """Where the occurrences of ``uid`` start, as recurring-ical-events expands them."""
    calendar = parse(data)
    occurrences = recurring_ical_events.of(calendar).between(first, last + dt.timedelta(days=1))
    return sorted(
        (o.decoded("DTSTART") for o in occurrences if str(o["UID"]) == uid),
        key=lambda v: (
            (v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time.min))
            .replace(tzinfo=None)
            .isoformat()
        ),
    )


def record_publish_writes(monkeypatch: Any) -> list[tuple[Path, bytes]]:
    """Every file publishing writes from now on (path and bytes); the writes still happen."""
    from smarketing_desktop.services import publish as publish_service

    writes: list[tuple[Path, bytes]] = []
    real = publish_service.write_atomically

    def write(path: Path, data: bytes) -> None:
        writes.append((path, data))
        real(path, data)

    monkeypatch.setattr(publish_service, "write_atomically", write)
    return writes
