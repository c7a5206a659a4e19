"""Kept originals are parsed again only when, and only as far as, they carry something:
the same file either way.

An export skips re-parsing a kept VEVENT that holds nothing beyond what the item models,
and parses only the carried lines of the others (the speed fix for big imported plans);
the file must be byte for byte what a full parse of every kept event gives, over real files from Outlook, Google, Apple and Thunderbird and
the icalendar / recurring-ical-events corpora.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

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
        # Folded across a blank line, as Mozilla wrote them: still the property X-MOZ.
        ("BEGIN:VEVENT\r\nX-MOZ\r\n\r\n :15\r\nEND:VEVENT\r\n", True),
        ("BEGIN:VEVENT\r\nSUMMARY\r\n\r\n :Christmas\r\nEND:VEVENT\r\n", False),
    ],
)
def test_what_a_kept_event_carries_is_seen_without_parsing(source: str, carries: bool) -> None:
    assert (ical_export._carried_text(source) is not None) is carries


def test_a_carried_value_is_split_only_where_icalendar_splits_lines() -> None:
    source = "BEGIN:VEVENT\r\nX-NOTE:one\u2028two\x0cthree\r\nEND:VEVENT\r\n"
    assert ical_export._carried_text(source) == source


def test_only_the_carried_lines_and_what_identifies_the_event_are_parsed_again() -> None:
    source = (
        "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Launch\r\nDESCRIPTION:long text\r\n"
        "RECURRENCE-ID:20270105T090000\r\nSEQUENCE:0\r\n"
        "ATTENDEE;CN=Sam:mailto:s\r\n am@example.com\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\n"
        "END:VALARM\r\nEND:VEVENT\r\n"
    )
    assert ical_export._carried_text(source) == (
        "BEGIN:VEVENT\r\nRECURRENCE-ID:20270105T090000\r\nSEQUENCE:0\r\n"
        "ATTENDEE;CN=Sam:mailto:sam@example.com\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\n"
        "END:VALARM\r\nEND:VEVENT\r\n"
    )


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
            patched.setattr(ical_export, "_carried_text", lambda source: source)
            full = ical_export.export_ics_bytes(plan, stamp=STAMP)
        plan.close()
        assert fast == full, path.name
        checked += fast[1] > 0
    assert checked > 50  # the corpora are there and most files have events


_LINES = st.sampled_from(
    [
        "BEGIN:VEVENT",
        "END:VEVENT",
        "UID:a",
        "uid;x=y:a",
        "SUMMARY:x",
        "DTSTART;VALUE=DATE:20270101",
        "RECURRENCE-ID:20270105",
        "SEQUENCE:0",
        "SEQUENCE:",
        "SEQUENCE:2",
        "SEQUENCE;X=1:0",
        "sequence:0",
        "",
        "  ",
        "ATTENDEE:mailto:a@x",
        "X-CUSTOM:v",
        "BEGIN:VALARM",
        "END:VALARM",
        "DESCRIPTION:y",
        "ODD_NAME:v",
        "UIDX:v",
        "DTSTARTED:v",
        ":no name",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=12), st.sampled_from(["\r\n", "\n"]))
def test_the_quick_look_never_skips_an_event_that_carries_something(
    lines: list[str], newline: str
) -> None:
    source = newline.join(lines) + newline
    unfolded = ical_export._FOLD.sub("", source)
    if ical_export._NOT_PLAIN.search(unfolded) is None:
        assert ical_export._carried_lines(unfolded) is None


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", " ", "\t", "a", ":"]), max_size=16))
def test_kept_lines_are_unfolded_exactly_as_icalendar_unfolds_them(parts: list[str]) -> None:
    # icalendar's own pattern (internal, hence only here): the carried lines must parse
    # as the whole kept event would.
    from icalendar.parser.content_line import UFOLD

    text = "".join(parts)
    assert ical_export._FOLD.sub("", text) == UFOLD.sub("", text)
