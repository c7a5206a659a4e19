"""Kept originals are parsed again only when they carry something: same file either way.

An export skips re-parsing a kept VEVENT that holds nothing beyond what the item models
(the speed fix for big imported plans); the file must be byte for byte what a full parse
of every kept event gives, over real files from Outlook, Google, Apple and Thunderbird and
the icalendar / recurring-ical-events corpora.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange import ical_export, ical_import
from smarketing_desktop.store.planfile import create_plan

DATA = Path(__file__).resolve().parents[1] / "data" / "ics"
FOLDERS = [
    DATA,
    Path(icalendar.__file__).parent / "tests" / "calendars",
    Path(recurring_ical_events.__file__).parent / "test" / "calendars",
]
FILES = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.glob("*.ics"))
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("source", "carries"),
    [
        ("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:20270101\r\nEND:VEVENT\r\n", False),
        ("BEGIN:VEVENT\r\nUID:a\r\nSUMMA\r\n RY:folded\r\nEND:VEVENT\r\n", False),
        ("BEGIN:VEVENT\r\nUID:a\r\nATTENDEE:mailto:a@x\r\nEND:VEVENT\r\n", True),
        ("BEGIN:VEVENT\r\nUID:a\r\nATTEN\r\n DEE:mailto:a@x\r\nEND:VEVENT\r\n", True),
        ('BEGIN:VEVENT\r\nuid:a\r\nx-custom;p="a:b":v\r\nEND:VEVENT\r\n', True),
        ("BEGIN:VEVENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n", True),
        ("BEGIN:VEVENT\r\nODD_NAME:v\r\nEND:VEVENT\r\n", True),
    ],
)
def test_what_a_kept_event_carries_is_seen_without_parsing(source: str, carries: bool) -> None:
    assert ical_export._carries_anything(source) is carries


@pytest.mark.slow
def test_skipping_the_parse_changes_no_byte_of_any_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    for number, path in enumerate(FILES):
        plan = create_plan(tmp_path / f"p{number}.smplan")
        try:
            ical_import.import_ics(plan, [path])
        except UserError:
            plan.close()
            continue
        fast = ical_export.export_ics_bytes(plan, stamp=STAMP)
        with monkeypatch.context() as patched:
            patched.setattr(ical_export, "_carries_anything", lambda _source: True)
            full = ical_export.export_ics_bytes(plan, stamp=STAMP)
        plan.close()
        assert fast == full, path.name
        checked += fast[1] > 0
    assert checked > 50  # the corpora are there and most files have events
