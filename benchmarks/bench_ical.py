"""iCalendar figures (issue 5), each beside the bare icalendar library in the same run:

* export of a 10,000-item plan to one ``.ics`` file, against building the same events
  directly with icalendar and ``Calendar.to_ical()`` (and against ``to_ical()`` alone);
* import of that 10,000-event file into a new plan, against ``Calendar.from_ical()``.

Target: within 1.5x of the bare library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import icalendar

from benchmarks.plans import make_plan
from benchmarks.timing import median_ms
from smarketing_desktop.exchange import ical_export, ical_import
from smarketing_desktop.store.planfile import create_plan

TARGET = 1.5


def _bare_calendar(events: list[ical_export.CalendarEvent]) -> icalendar.Calendar:
    """The same events built directly with icalendar: what a hand-rolled export would do."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//bench//bare icalendar//EN")
    calendar.add("version", "2.0")
    stamp = dt.datetime.now(dt.UTC)
    for event in events:
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("summary", event.summary)
        start = ical_export._value(event, event.start, dt.time.min)
        end = ical_export._value(
            event, ical_export._end(event, event.start, event.end), dt.time.min
        )
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("description", event.description)
        vevent.add("categories", list(event.categories))
        vevent.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
        if event.status:
            vevent.add("status", event.status)
        vevent.add("sequence", event.sequence)
        if event.rrule:
            vevent.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        calendar.add_component(vevent)
    return calendar


def run(args: argparse.Namespace) -> dict[str, Any]:
    repeat = max(3, args.repeat // 2)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        plan = make_plan(root / "big.smplan", args.items)
        events, _name = ical_export.plan_events(plan)

        export_ms = median_ms(lambda: ical_export.export_ics_bytes(plan), repeat)
        data, count = ical_export.export_ics_bytes(plan)
        bare_build_ms = median_ms(lambda: _bare_calendar(events).to_ical(), repeat)
        built = _bare_calendar(events)
        bare_serialize_ms = median_ms(built.to_ical, repeat)

        path = root / "big.ics"
        path.write_bytes(data)
        counter = iter(range(1000))

        def import_fresh() -> None:
            target = create_plan(root / f"import{next(counter)}.smplan")
            ical_import.import_ics(target, [path])
            target.close()

        import_ms = median_ms(import_fresh, 3)
        bare_parse_ms = median_ms(lambda: icalendar.Calendar.from_ical(data), 3)
        plan.close()
    return {
        "events": count,
        "file_bytes": len(data),
        "export": {
            "plan_to_ics_ms": export_ms,
            "bare_build_and_to_ical_ms": bare_build_ms,
            "bare_to_ical_only_ms": bare_serialize_ms,
            "ratio": round(export_ms / bare_build_ms, 2),
            "ratio_to_to_ical_only": round(export_ms / bare_serialize_ms, 2),
            "target_ratio": TARGET,
            "meets_target": export_ms / bare_build_ms <= TARGET,
            "what": "read the items from the plan, describe, build VEVENTs and VTIMEZONEs, "
            "serialize; the baseline builds the same events directly and serializes",
        },
        "import": {
            "ics_to_new_plan_ms": import_ms,
            "bare_from_ical_ms": bare_parse_ms,
            "ratio": round(import_ms / bare_parse_ms, 2),
            "target_ratio": TARGET,
            "meets_target": import_ms / bare_parse_ms <= TARGET,
            "what": "decode, check, parse, convert every event and write all items in one "
            "transaction; the baseline is Calendar.from_ical of the same bytes",
        },
    }
