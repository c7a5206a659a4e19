"""Properties of the iCalendar exchange over generated plans and damaged files (hypothesis).

* Any plan exported, imported into a fresh plan and exported again gives the same events.
* Any damage to a real file either imports what is readable or is refused with one
  clear message; no other error escapes, and a refused import changes nothing.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange import ical_import, plan_json
from smarketing_desktop.exchange.ical_export import export_ics_bytes
from smarketing_desktop.exchange.ical_read import read_ics
from smarketing_desktop.store.planfile import create_plan
from tests.core.ical_support import DATA, STAMP, events
from tests.core.strategies import plan_documents

SLOW = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAMPLES = sorted(p for p in DATA.glob("*.ics") if p.stat().st_size > 100)


def _without_stamps(data: bytes) -> dict[str, list[list[bytes]]]:
    """Each event's unfolded lines, without those that say when the file was written."""
    return {
        uid: [
            sorted(
                line
                for line in e.to_ical().replace(b"\r\n ", b"").split(b"\r\n")
                if not line.startswith((b"DTSTAMP", b"LAST-MODIFIED", b"CREATED"))
            )
            for e in group
        ]
        for uid, group in events(data).items()
    }


def _difference(first: bytes, second: bytes) -> list[tuple[str, set[bytes], set[bytes]]]:
    a, b = _without_stamps(first), _without_stamps(second)
    result = []
    for uid in sorted(set(a) | set(b)):
        lines_a = {line for group in a.get(uid, []) for line in group}
        lines_b = {line for group in b.get(uid, []) for line in group}
        if lines_a != lines_b or len(a.get(uid, [])) != len(b.get(uid, [])):
            result.append((uid, lines_a - lines_b, lines_b - lines_a))
    return result


@SLOW
@given(plan_documents())
def test_export_import_export_gives_the_same_events(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with create_plan(root / "a.smplan", name="Generated") as original:
            plan_json.import_plan(original, json.dumps(document))
            first, count = export_ics_bytes(original, stamp=STAMP)
        path = root / "plan.ics"
        path.write_bytes(first)
        people_only = {**document, "items": [], "slas": [], "rules": [], "acknowledgements": []}
        with create_plan(root / "b.smplan", name="Generated") as copy:
            plan_json.import_plan(copy, json.dumps(people_only))
            report = ical_import.import_ics(copy, [path])
            assert report.added == count and report.skipped == []
            second, again = export_ics_bytes(copy, stamp=STAMP)
            assert again == count
            assert _difference(first, second) == []
            # A second import of the same file changes nothing.
            assert ical_import.import_ics(copy, [path]).added == 0
            assert export_ics_bytes(copy, stamp=STAMP)[0] == second


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    sample = draw(st.sampled_from(SAMPLES))
    data = bytearray(sample.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "delete", "insert", "flip", "line"]))
        if how == "cut":
            data = data[:where]
        elif how == "delete":
            data[where : where + draw(st.integers(1, 200))] = b""
        elif how == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=40))
        elif how == "flip" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif how == "line":
            line = draw(
                st.sampled_from(
                    [
                        b"BEGIN:VEVENT\r\n",
                        b"END:VEVENT\r\n",
                        b"DTSTART:2027\r\n",
                        b"RRULE:FREQ=SOMETIMES\r\n",
                        b"DTSTART;TZID=Nowhere/Land:20270101T250000\r\n",
                        b"EXDATE:notadate\r\n",
                        b"RECURRENCE-ID:20270101\r\n",
                        b" folded continuation\r\n",
                        b"CATEGORIES:\r\n",
                        b"DURATION:PXYZ\r\n",
                    ]
                )
            )
            data[where:where] = line
    return sample.name, bytes(data)


@SLOW
@given(damaged())
def test_damaged_files_import_what_is_readable_or_change_nothing(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / name
        path.write_bytes(data)
        with create_plan(root / "p.smplan") as plan:
            plan_json.import_plan(
                plan,
                json.dumps(
                    {
                        "format": "smarketing-plan",
                        "version": 1,
                        "items": [{"uid": "keep@x", "title": "Keep", "kind": "other",
                                   "start": "2027-01-01"}],
                    }
                ),
            )  # fmt: skip
            before = plan_json.export_plan(plan)
            try:
                report = ical_import.import_ics(plan, [path, DATA / "google.ics"])
            except UserError as error:
                message = str(error)
                assert "\n" not in message and name in message
                assert plan_json.export_plan(plan) == before
                return
            assert report.added >= 4  # google.ics always comes in whole
            exported = export_ics_bytes(plan)[0]
            assert set(events(exported)) >= {"keep@x"}


@SLOW
@given(st.text(max_size=300))
def test_any_text_reads_or_is_refused_clearly(text: str) -> None:
    for data in (text.encode("utf-8"), ("BEGIN:VCALENDAR\r\n" + text).encode("utf-8")):
        try:
            read_ics(data, "x.ics")
        except UserError as error:
            assert "x.ics" in str(error)


def test_generated_documents_have_scheduled_items_sometimes() -> None:
    # The round-trip property means something only if the strategy makes events.
    found = []

    @settings(max_examples=30, deadline=None)
    @given(plan_documents())
    def collect(document: dict[str, Any]) -> None:
        found.append(sum(1 for item in document["items"] if item.get("start")))

    collect()
    assert max(found) >= 2
