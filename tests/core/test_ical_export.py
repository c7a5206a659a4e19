"""iCalendar export (issue 5): the rules Outlook and Google need, checked with two parsers.

Every file is read back with icalendar and with vobject (an independent parser), and the
raw bytes are checked where the parsers would hide a problem (line endings, folding).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.words import Kind, Status
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.ical_export import export_ics, export_ics_bytes
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan
from tests.core.ical_support import (
    STAMP,
    events,
    make_plan,
    one,
    parse,
    starts_between,
    vobject_events,
)

HOSTILE_TITLE = (
    'Launch, "big"; C:\\path\\ <b>bold</b> & <img src=x> 🚀🎉 مرحبا بالعالم 日本語のタイトル '
    + "x" * 2000
)
HOSTILE_TEXT = "Line one, with comma; and semicolon\nLine two \\ backslash\n\nمرحبا — 🙂 <script>"
SOURCE = (
    "BEGIN:VEVENT\r\n"
    "UID:imported@partner.example\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "DTSTART;VALUE=DATE:20270505\r\n"
    "SUMMARY:Partner day\r\n"
    "ORGANIZER;CN=Pat Partner:mailto:pat@partner.example\r\n"
    "ATTENDEE;CN=Ted Okafor;RSVP=TRUE:mailto:ted@acme.example\r\n"
    "X-PARTNER-TRACKING:abc-123\r\n"
    "CLASS:PUBLIC\r\n"
    "BEGIN:VALARM\r\n"
    "ACTION:DISPLAY\r\n"
    "TRIGGER:-PT30M\r\n"
    "DESCRIPTION:Reminder\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
)
ITEMS = [
    {
        "uid": "expo@acme.example",
        "title": "Spring Industry Expo",
        "kind": "tradeshow",
        "team": "sales",
        "start": "2027-04-14",
        "end": "2027-04-16",
        "status": "approved",
        "impact": "big",
        "owner": "ted",
        "personas": ["olivia"],
        "channels": ["events", "sales calls"],
        "goals": [{"team": "sales", "metric": "meetings booked", "target": 40, "actual": 12}],
        "description": "Booth 4-211.\nBring the demo line.",
        "location": "Hannover Messe, Hall 4",
        "url": "https://expo.example/spring",
    },
    {
        "uid": "blast@acme.example",
        "title": "Spring email",
        "kind": "email_campaign",
        "start": "2027-04-20",
        "status": "idea",
        "owner": "martha",
    },
    {
        "uid": "webinar@acme.example",
        "title": "Predictive maintenance 101",
        "kind": "webinar",
        "start": "2027-03-10T16:00:00",
        "end": "2027-03-10T17:00:00",
        "tz": "Europe/Berlin",
    },
    {
        "uid": "floating@acme.example",
        "title": "Whiteboard session",
        "kind": "meeting",
        "team": "joint",
        "start": "2027-03-11T09:00:00",
        "end": "2027-03-11T09:30:00",
    },
    {
        "uid": "offset@acme.example",
        "title": "Call with Pune",
        "kind": "meeting",
        "start": "2027-03-12T15:00:00+05:30",
        "end": "2027-03-12T16:00:00+05:30",
    },
    {
        "uid": "newsletter@acme.example",
        "title": "Weekly newsletter",
        "kind": "email_campaign",
        "start": "2027-03-02T10:00:00",
        "end": "2027-03-02T10:30:00",
        "tz": "Europe/Berlin",
        "rrule": "FREQ=WEEKLY;UNTIL=20270427T235959",
        "exdates": ["2027-03-16T10:00:00"],
        "overrides": [
            {
                "recurrence_id": "2027-03-23T10:00:00",
                "start": "2027-03-24T11:30:00",
                "end": "2027-03-24T12:00:00",
                "title": "Weekly newsletter (late edition)",
            }
        ],
    },
    {
        "uid": "promo@acme.example",
        "title": "Monthly promo",
        "kind": "promotion",
        "start": "2027-01-05",
        "end": "2027-01-07",
        "rrule": "FREQ=MONTHLY;COUNT=6",
        "exdates": ["2027-03-05"],
        "overrides": [
            {
                "recurrence_id": "2027-04-05",
                "start": "2027-04-12",
                "end": "2027-04-14",
                "title": None,
            }
        ],
    },
    {
        "uid": "cancelled@acme.example",
        "title": "Old blog post",
        "kind": "blog_post",
        "start": "2027-02-01",
        "status": "cancelled",
    },
    {
        "uid": "hostile@acme.example",
        "title": HOSTILE_TITLE,
        "kind": "social_post",
        "start": "2027-05-01",
        "description": HOSTILE_TEXT,
        "location": "Room 1, Floor 2; Building \\ A\nBack entrance",
    },
    {
        "uid": "imported@partner.example",
        "title": "Partner day",
        "kind": "other",
        "start": "2027-05-05",
        "source_ical": SOURCE,
    },
    {"uid": "idea@acme.example", "title": "Someday: ROI calculator", "kind": "blog_post"},
]
PEOPLE = [
    {"id": "ted", "name": "Ted Okafor", "team": "sales"},
    {"id": "martha", "name": "Martha Diaz", "team": "marketing"},
]
PERSONAS = [{"id": "olivia", "name": "Operations Olivia"}]


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = make_plan(tmp_path / "plan.smplan", *ITEMS, people=PEOPLE, personas=PERSONAS)
    yield plan
    plan.close()


@pytest.fixture
def data(plan: Plan) -> bytes:
    return export_ics_bytes(plan, stamp=STAMP)[0]


def _lines(data: bytes) -> list[str]:
    """The unfolded content lines of ``data``."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_the_calendar_says_what_it_is(data: bytes) -> None:
    lines = _lines(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2:] == ["END:VCALENDAR", ""]
    for expected in ("VERSION:2.0", "METHOD:PUBLISH", "X-WR-CALNAME:Acme plan"):
        assert expected in lines
    assert any(line.startswith("PRODID:-//Smarketing Desktop//") for line in lines)


def test_the_calendar_name_says_which_filter_made_it(plan: Plan) -> None:
    chosen = ItemFilter(
        teams=frozenset({"sales"}),
        kinds=frozenset({"tradeshow"}),
        first=dt.date(2027, 4, 1),
        last=dt.date(2027, 4, 30),
    )
    data, count = export_ics_bytes(plan, chosen, stamp=STAMP)
    assert count == 1
    assert "X-WR-CALNAME:Acme plan (Sales; Tradeshow; 2027-04-01 – 2027-04-30)" in _lines(data)


def test_the_bytes_are_crlf_without_bom_folded_at_75_octets_whole_characters(
    data: bytes,
) -> None:
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    raw_lines = data.split(b"\r\n")
    assert max(len(line) for line in raw_lines) <= 75
    for line in raw_lines:
        line.decode("utf-8")  # a multi-byte character split by folding would fail here
    # The long hostile title really was folded, and its multi-byte characters survived.
    assert sum(1 for line in raw_lines if line.startswith(b" ")) > 20


def test_every_scheduled_item_is_one_event_with_its_stable_uid(plan: Plan, data: bytes) -> None:
    found = events(data)
    scheduled = {item["uid"] for item in ITEMS if item.get("start")}
    assert set(found) == scheduled
    assert set(vobject_events(data)) == scheduled
    assert export_ics_bytes(plan, stamp=STAMP)[0] == data  # identical in every export


def test_an_unscheduled_idea_is_not_exported(data: bytes) -> None:
    assert "idea@acme.example" not in events(data)


def test_sequence_grows_with_each_change_of_the_item(plan: Plan, data: bytes) -> None:
    before = int(one(data, "blast@acme.example")["SEQUENCE"])
    for title in ("Spring email v2", "Spring email v3"):
        with plan.write() as session:
            item = session.scalar(
                select(models.Item).where(models.Item.uid == "blast@acme.example")
            )
            assert item is not None
            item.title = title
        after = export_ics_bytes(plan, stamp=STAMP)[0]
        assert int(one(after, "blast@acme.example")["SEQUENCE"]) == before + 1
        before += 1
    assert int(one(after, "expo@acme.example")["SEQUENCE"]) == 0


def test_stamps_are_utc(data: bytes) -> None:
    for event in (group[0] for group in events(data).values()):
        assert event.decoded("DTSTAMP") == STAMP
        for key in ("CREATED", "LAST-MODIFIED"):
            value = event.decoded(key)
            assert value.utcoffset() == dt.timedelta(0), key
    assert b"\r\nDTSTAMP:20270115T120000Z\r\n" in data


def test_all_day_items_have_date_values_and_an_exclusive_end(data: bytes) -> None:
    lines = _lines(data)
    expo = _vevent_lines(lines, "expo@acme.example")
    assert "DTSTART;VALUE=DATE:20270414" in expo
    assert "DTEND;VALUE=DATE:20270417" in expo  # a campaign on 14–16 April ends on 17 April
    single = _vevent_lines(lines, "blast@acme.example")
    assert "DTSTART;VALUE=DATE:20270420" in single and "DTEND;VALUE=DATE:20270421" in single
    vobj = vobject_events(data)["expo@acme.example"][0]
    assert vobj.dtstart.value == dt.date(2027, 4, 14) and vobj.dtend.value == dt.date(2027, 4, 17)


def test_every_event_has_an_end(data: bytes) -> None:
    text = data.decode()
    assert text.count("BEGIN:VEVENT") == len(re.findall(r"^DTEND[;:]", text, re.MULTILINE))


def test_zoned_times_name_their_zone_and_the_file_defines_it(data: bytes) -> None:
    lines = _lines(data)
    webinar = _vevent_lines(lines, "webinar@acme.example")
    assert "DTSTART;TZID=Europe/Berlin:20270310T160000" in webinar
    assert "DTEND;TZID=Europe/Berlin:20270310T170000" in webinar
    assert "TZID:Europe/Berlin" in lines
    # Outlook's and Google's own style: a 1970 start and yearly rules.
    zone = _block(lines, "VTIMEZONE")
    assert "DTSTART:19700329T020000" in zone and "DTSTART:19701025T030000" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    start = vobject_events(data)["webinar@acme.example"][0].dtstart.value
    berlin = dt.datetime(2027, 3, 10, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert start == berlin and start.utcoffset() == berlin.utcoffset()


def test_floating_times_only_where_no_zone_was_chosen(data: bytes) -> None:
    lines = _lines(data)
    assert "DTSTART:20270311T090000" in _vevent_lines(lines, "floating@acme.example")
    # A fixed offset is not a zone anyone can subscribe to: it is written in UTC.
    offset = _vevent_lines(lines, "offset@acme.example")
    assert "DTSTART:20270312T093000Z" in offset and "DTEND:20270312T103000Z" in offset
    assert [line for line in lines if line.startswith("TZID:")] == ["TZID:Europe/Berlin"]


def test_a_series_has_one_rule_its_skipped_dates_and_its_moved_occurrences(data: bytes) -> None:
    group = events(data)["newsletter@acme.example"]
    assert len(group) == 2
    master, moved = group
    assert master.to_ical().count(b"RRULE:") == 1
    lines = _lines(data)
    newsletter = _vevent_lines(lines, "newsletter@acme.example")
    # Outlook's shape: the weekday written out; UNTIL in UTC for a zoned series.
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270427T215959Z;BYDAY=TU" in newsletter
    assert "EXDATE;TZID=Europe/Berlin:20270316T100000" in newsletter
    assert moved.decoded("RECURRENCE-ID") == dt.datetime(
        2027, 3, 23, 10, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert str(moved["SUMMARY"]) == "Weekly newsletter (late edition)"
    assert "RRULE" not in moved
    berlin = ZoneInfo("Europe/Berlin")
    expected = [
        dt.datetime(2027, 3, 2, 10, tzinfo=berlin),
        dt.datetime(2027, 3, 9, 10, tzinfo=berlin),
        dt.datetime(2027, 3, 24, 11, 30, tzinfo=berlin),
        dt.datetime(2027, 3, 30, 10, tzinfo=berlin),
        dt.datetime(2027, 4, 6, 10, tzinfo=berlin),
        dt.datetime(2027, 4, 13, 10, tzinfo=berlin),
        dt.datetime(2027, 4, 20, 10, tzinfo=berlin),
        dt.datetime(2027, 4, 27, 10, tzinfo=berlin),
    ]
    found = starts_between(
        data, "newsletter@acme.example", dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    )
    assert found == expected
    # vobject expands the rule alone the same way (the moved one at its original date).
    vobj = vobject_events(data)["newsletter@acme.example"]
    master_v = next(e for e in vobj if not hasattr(e, "recurrence_id"))
    dates = sorted(d.date() for d in master_v.getrruleset(addRDate=True))
    assert dates == sorted(
        {d.date() for d in expected} - {dt.date(2027, 3, 24)} | {dt.date(2027, 3, 23)}
    )


def test_an_all_day_series_keeps_date_values_everywhere(data: bytes) -> None:
    lines = _lines(data)
    promo = _vevent_lines(lines, "promo@acme.example")
    assert "RRULE:FREQ=MONTHLY;COUNT=6;BYMONTHDAY=5" in promo
    assert "EXDATE;VALUE=DATE:20270305" in promo
    assert "RECURRENCE-ID;VALUE=DATE:20270405" in lines
    found = starts_between(data, "promo@acme.example", dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert found == [
        dt.date(2027, 1, 5),
        dt.date(2027, 2, 5),
        dt.date(2027, 4, 12),
        dt.date(2027, 5, 5),
        dt.date(2027, 6, 5),
    ]


def test_the_description_is_plain_text_with_the_facts(data: bytes) -> None:
    text = str(one(data, "expo@acme.example")["DESCRIPTION"])
    assert text == (
        "Kind: Tradeshow\nTeam: Sales\nStatus: Approved\nImpact: Big\nOwner: Ted Okafor\n"
        "Personas: Operations Olivia\nChannels: events, sales calls\nGoals:\n"
        "- Sales: meetings booked, target 40, result 12\n\nBooth 4-211.\nBring the demo line."
    )
    assert vobject_events(data)["expo@acme.example"][0].description.value == text


def test_categories_are_the_kind_and_team_names(data: bytes) -> None:
    assert "CATEGORIES:Tradeshow,Sales" in _vevent_lines(_lines(data), "expo@acme.example")
    assert vobject_events(data)["expo@acme.example"][0].categories.value == ["Tradeshow", "Sales"]


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_only_events_that_take_peoples_time_block_free_busy(tmp_path: Path, kind: str) -> None:
    item = {"uid": "x@acme.example", "title": "X", "kind": kind, "start": "2027-03-01"}
    with make_plan(tmp_path / "p.smplan", item) as plan:
        event = one(export_ics_bytes(plan)[0], "x@acme.example")
    opaque = kind in ("tradeshow", "webinar", "meeting")
    assert str(event["TRANSP"]) == ("OPAQUE" if opaque else "TRANSPARENT")


@pytest.mark.parametrize(
    ("status", "word"),
    [
        ("idea", "TENTATIVE"),
        ("planned", "TENTATIVE"),
        ("approved", "CONFIRMED"),
        ("done", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_status_maps_to_icalendar(tmp_path: Path, status: str, word: str) -> None:
    assert {s.value for s in Status} >= {status}
    item = {"uid": "x@acme.example", "title": "X", "kind": "other", "start": "2027-03-01"}
    with make_plan(tmp_path / "p.smplan", {**item, "status": status}) as plan:
        assert str(one(export_ics_bytes(plan)[0], "x@acme.example")["STATUS"]) == word


def test_location_and_link_are_written(data: bytes) -> None:
    expo = one(data, "expo@acme.example")
    assert str(expo["LOCATION"]) == "Hannover Messe, Hall 4"
    assert str(expo["URL"]) == "https://expo.example/spring"
    assert "LOCATION:Hannover Messe\\, Hall 4" in _vevent_lines(_lines(data), "expo@acme.example")


def test_what_the_app_does_not_model_survives_from_the_imported_event(data: bytes) -> None:
    event = one(data, "imported@partner.example")
    assert str(event["ORGANIZER"]) == "mailto:pat@partner.example"
    assert str(event["ATTENDEE"]) == "mailto:ted@acme.example"
    assert event["ATTENDEE"].params["CN"] == "Ted Okafor"
    assert str(event["X-PARTNER-TRACKING"]) == "abc-123"
    assert str(event["CLASS"]) == "PUBLIC"
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -dt.timedelta(minutes=30)
    # What the app does model is its own, not the kept copy's.
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["TRANSP"]) == "TRANSPARENT"
    vobj = vobject_events(data)["imported@partner.example"][0]
    assert vobj.organizer.value == "mailto:pat@partner.example"


def test_hostile_text_is_written_literally(data: bytes) -> None:
    event = one(data, "hostile@acme.example")
    assert str(event["SUMMARY"]) == HOSTILE_TITLE
    assert str(event["DESCRIPTION"]).endswith("\n\n" + HOSTILE_TEXT)
    assert str(event["LOCATION"]) == "Room 1, Floor 2; Building \\ A\nBack entrance"
    vobj = vobject_events(data)["hostile@acme.example"][0]
    assert vobj.summary.value == HOSTILE_TITLE
    assert vobj.location.value == "Room 1, Floor 2; Building \\ A\nBack entrance"


def test_category_names_never_carry_separators(tmp_path: Path) -> None:
    from smarketing_desktop.exchange.ical_export import CalendarEvent, calendar_for

    event = CalendarEvent(
        uid="c@x", summary="C", start=dt.date(2027, 1, 1), categories=["Trade, fairs; EU", "Ok"]
    )
    data = calendar_for([event], name="Test", stamp=STAMP)
    assert "CATEGORIES:Trade fairs EU,Ok" in _lines(data)
    assert vobject_events(data)["c@x"][0].categories.value == ["Trade fairs EU", "Ok"]


def promos(first: dt.date, last: dt.date) -> ItemFilter:
    return ItemFilter(kinds=frozenset({"promotion"}), first=first, last=last)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (ItemFilter(teams=frozenset({"joint"})), {"floating@acme.example"}),
        (
            ItemFilter(kinds=frozenset({"meeting"})),
            {"floating@acme.example", "offset@acme.example"},
        ),
        (ItemFilter(personas=frozenset({"olivia"})), {"expo@acme.example"}),
        (ItemFilter(owners=frozenset({"martha"})), {"blast@acme.example"}),
        (
            ItemFilter(statuses=frozenset({"cancelled", "idea"})),
            {"cancelled@acme.example", "blast@acme.example"},
        ),
        (
            ItemFilter(first=dt.date(2027, 4, 15), last=dt.date(2027, 4, 20)),
            {
                "expo@acme.example",
                "blast@acme.example",
                "newsletter@acme.example",
            },
        ),
        (ItemFilter(first=dt.date(2027, 7, 1)), set()),
        (ItemFilter(last=dt.date(2027, 1, 31)), {"promo@acme.example"}),
        # The calendar's own choices export the same: "no persona in particular" and text.
        (
            ItemFilter(personas=frozenset({"olivia"}), kinds=frozenset({"tradeshow", "meeting"})),
            {"expo@acme.example"},
        ),
        (
            ItemFilter(
                personas=frozenset({"olivia", ItemFilter.EVERYONE}),
                first=dt.date(2027, 4, 15),
                last=dt.date(2027, 4, 20),
            ),
            {
                "expo@acme.example",
                "blast@acme.example",
                "newsletter@acme.example",
            },
        ),
        # A series counts only with an occurrence in the range (the monthly promo on the
        # 5th-7th, March skipped, April moved to the 12th-14th).
        (promos(dt.date(2027, 5, 6), dt.date(2027, 5, 6)), {"promo@acme.example"}),
        (promos(dt.date(2027, 4, 13), dt.date(2027, 4, 20)), {"promo@acme.example"}),
        (promos(dt.date(2027, 4, 5), dt.date(2027, 4, 6)), set()),
        (promos(dt.date(2027, 3, 1), dt.date(2027, 4, 1)), set()),
        (promos(dt.date(2027, 6, 8), dt.date(2027, 12, 31)), set()),
        (ItemFilter(text="demo LINE"), {"expo@acme.example"}),
        (ItemFilter(text="100%_x"), set()),
    ],
    ids=[
        "team",
        "kind",
        "persona",
        "owner",
        "status",
        "range",
        "from",
        "to",
        "persona-kind",
        "everyone",
        "series-in-range",
        "moved-into-range",
        "moved-out-of-range",
        "skipped-in-range",
        "after-the-series",
        "text",
        "text-wildcards",
    ],
)
def test_filters_choose_the_items(plan: Plan, chosen: ItemFilter, expected: set[str]) -> None:
    data, count = export_ics_bytes(plan, chosen, stamp=STAMP)
    assert set(events(data)) == expected and count == len(expected)


def test_the_calendar_name_tells_the_calendars_own_choices(plan: Plan) -> None:
    chosen = ItemFilter(personas=frozenset({ItemFilter.EVERYONE}), text=" demo ")
    data, _ = export_ics_bytes(plan, chosen, stamp=STAMP)
    assert parse(data)["X-WR-CALNAME"] == "Acme plan (no persona; “demo”)"


@pytest.mark.parametrize(
    ("chosen", "words"),
    [
        (ItemFilter(teams=frozenset({"finance"})), "Unknown team 'finance'"),
        (ItemFilter(owners=frozenset({"nobody"})), "No person has the id 'nobody'"),
        (ItemFilter(personas=frozenset({"nobody"})), "No persona has the id 'nobody'"),
        (ItemFilter(first=dt.date(2027, 5, 1), last=dt.date(2027, 4, 1)), "before its start"),
    ],
)
def test_a_bad_filter_is_refused_and_nothing_is_written(
    plan: Plan, tmp_path: Path, chosen: ItemFilter, words: str
) -> None:
    out = tmp_path / "out.ics"
    with pytest.raises(UserError, match=re.escape(words)):
        export_ics(plan, out, chosen)
    assert not out.exists()


def test_the_file_is_replaced_atomically(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "cal.ics"
    out.write_bytes(b"old subscribers' copy")
    assert export_ics(plan, out) == 10
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# ---------------------------------------------------------------------------------------


def _block(lines: list[str], name: str) -> list[str]:
    start = lines.index(f"BEGIN:{name}")
    return lines[start : lines.index(f"END:{name}", start) + 1]


def _vevent_lines(lines: list[str], uid: str) -> list[str]:
    """The lines of every VEVENT with ``uid``."""
    result: list[str] = []
    current: list[str] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = []
        current.append(line)
        if line == "END:VEVENT" and f"UID:{uid}" in current:
            result += current
    return result
