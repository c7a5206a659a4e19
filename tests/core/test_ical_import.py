"""iCalendar import (issue 5): real files from Outlook, Google, Apple and Thunderbird.

Each sample in tests/data/ics is shaped like what that program really writes (Outlook's
Windows zone names and TAB folding, Google's UTC times under X-WR-TIMEZONE and HTML
descriptions, Apple's zones from 1981/1996, Thunderbird's vendor TZIDs). What is stored is
read back through the plan exchange document, the app's public shape of an item.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange import ical_import, ical_read, plan_json
from smarketing_desktop.exchange.ical_export import export_ics_bytes
from smarketing_desktop.exchange.ical_read import read_ics_files
from smarketing_desktop.services import item_edits
from smarketing_desktop.store.planfile import Plan, create_plan
from tests.core.ical_support import DATA, STAMP, events, make_plan

OUTLOOK_SERIES = (
    "040000008200E00074C5B7101A82E00800000000B0C5D2F8E4B1DA01000000000000000"
    "010000000A1F3B1E7E6C0D44E9A0A2B7E8F0C5D1E"
)
EXCHANGE_SERIES = (
    "040000008200E00074C5B7101A82E00800000000D0A2B1C3E5F4DA010000000000000000"
    "10000000F3A1B2C4D5E6F708192A3B4C5D6E7F80"
)


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "plan.smplan", name="Imports")
    yield plan
    plan.close()


def stored(plan: Plan) -> dict[str, dict[str, Any]]:
    """The plan's items as plan-exchange records, by uid."""
    return {item["uid"]: item for item in plan_json.export_document(plan)["items"]}


def imported(plan: Plan, *names: str, **defaults: str) -> ical_import.IcsImportReport:
    return ical_import.import_ics(plan, [DATA / name for name in names], **defaults)


def test_outlook(plan: Plan) -> None:
    report = imported(plan, "outlook.ics")
    assert (report.added, report.updated, len(report.skipped)) == (4, 0, 0)
    items = stored(plan)
    series = items[OUTLOOK_SERIES]
    assert series["title"] == "Pipeline review"
    assert (series["kind"], series["team"]) == ("meeting", "joint")
    # "W. Europe Standard Time" is Outlook's name for Europe/Berlin.
    assert (series["start"], series["end"], series["tz"]) == (
        "2027-03-02T10:00:00",
        "2027-03-02T10:30:00",
        "Europe/Berlin",
    )
    assert "FREQ=WEEKLY" in series["rrule"] and "BYDAY=TU" in series["rrule"]
    assert "UNTIL=20270629T100000" in series["rrule"]  # 08:00Z as the series' wall clock
    # Two skipped dates, and the occurrence Outlook cancelled.
    assert series["exdates"] == [
        "2027-03-16T10:00:00",
        "2027-03-30T10:00:00",
        "2027-04-06T10:00:00",
    ]
    assert series["overrides"] == [
        {
            "recurrence_id": "2027-03-23T10:00:00",
            "start": "2027-03-24T11:30:00",
            "end": "2027-03-24T12:00:00",
            "title": "Pipeline review (moved)",
        }
    ]
    assert series["description"] == (
        "Weekly pipeline review, sales and marketing.\nAgenda: MQLs; hand-overs; follow-ups."
    )
    assert series["location"] == "Meeting room Berlin / Teams"
    messe = next(i for i in items.values() if i["title"] == "Hannover Messe")
    assert (messe["kind"], messe["start"], messe["end"]) == (
        "tradeshow",
        "2027-04-10",
        "2027-04-12",
    )
    assert messe["location"] == "Hannover Messe, Hall 4"
    # Outlook's midnight-to-midnight all-day event stays one all-day day.
    labour = items["outlook-labour-day-2027@acme.example"]
    assert (labour["kind"], labour["start"], labour["end"]) == (
        "holiday",
        "2027-05-01",
        "2027-05-01",
    )
    call = items["outlook-distributor-call@acme.example"]
    assert (call["start"], call["tz"], call["kind"], call["team"]) == (
        "2027-04-15T09:00:00",
        "America/New_York",
        "other",  # "Red Category" names no kind: the default
        "marketing",
    )


def test_outlook_on_exchange_with_tab_folding_and_custom_zones(plan: Plan) -> None:
    report = imported(plan, "outlook-exchange.ics", kind="meeting", team="sales")
    assert (report.added, len(report.skipped)) == (4, 0)
    assert report.reasons() == [
        "outlook-exchange.ics: “Call with the research station”: its time zone "
        "“Customized Time Zone 1” matches no known zone; kept as UTC-02:17"
    ]
    items = stored(plan)
    series = items[EXCHANGE_SERIES]
    assert series["title"] == "Revue des leads (MQL → SQL)"
    assert (series["kind"], series["team"], series["status"]) == ("meeting", "sales", "approved")
    assert (series["start"], series["tz"]) == ("2027-01-12T10:00:00", "Europe/Paris")
    assert "BYDAY=2TU" in series["rrule"] and "UNTIL=20271214T100000" in series["rrule"]
    assert series["exdates"] == ["2027-08-10T10:00:00"]
    assert series["overrides"][0]["start"] == "2027-03-11T14:00:00"
    assert series["overrides"][0]["title"] == "Revue des leads (MQL → SQL) – salle Rivoli"
    assert "https://teams.microsoft.com/l/meetup-join/" in series["description"]
    cebit = next(i for i in items.values() if i["title"] == "CeBIT Australia")
    assert (cebit["kind"], cebit["team"], cebit["start"], cebit["end"]) == (
        "tradeshow",
        "sales",
        "2027-05-18",
        "2027-05-20",
    )
    assert cebit["description"] == "Stand B12. 🎪 Badges at the front desk."
    # "Customized Time Zone" has Sydney's offsets all year: it is Australia/Sydney.
    setup = next(i for i in items.values() if i["title"] == "Booth set-up")
    assert (setup["start"], setup["tz"]) == ("2027-05-17T08:00:00", "Australia/Sydney")
    station = next(i for i in items.values() if i["title"] == "Call with the research station")
    assert (station["start"], station["tz"]) == ("2027-06-01T09:00:00-02:17", None)


def test_an_old_outlook_file_in_the_windows_code_page(plan: Plan) -> None:
    imported(plan, "outlook-2007-cp1252.ics")
    (item,) = stored(plan).values()
    assert item["title"] == "automatica München" and item["location"] == "Messe München"
    assert item["description"] == "Messestand Halle A3 – Preise ab 99 € netto."
    assert (item["kind"], item["start"], item["end"]) == ("tradeshow", "2027-06-09", "2027-06-11")


def test_google(plan: Plan) -> None:
    report = imported(plan, "google.ics")
    assert (report.added, len(report.skipped), report.reasons()) == (4, 0, [])
    items = stored(plan)
    webinar = items["3k9d8f7g6h5j4k3l2m1n0p9q8r@google.com"]
    # UTC in the file, Chicago in the calendar (X-WR-TIMEZONE): 15:00Z is 10:00 CDT.
    assert (webinar["start"], webinar["end"], webinar["tz"]) == (
        "2027-03-16T10:00:00",
        "2027-03-16T11:00:00",
        "America/Chicago",
    )
    assert (webinar["kind"], webinar["status"]) == ("webinar", "approved")
    assert webinar["description"] == (
        "Join us for Predictive maintenance 101.\n\n"
        "Register: acme.example/webinar (https://acme.example/webinar)\nSpeakers: Priya & Jonas"
    )
    holiday = items["20270704_independence@holiday.calendar.google.com"]
    assert (holiday["kind"], holiday["start"], holiday["end"]) == (
        "holiday",
        "2027-07-04",
        "2027-07-04",
    )
    social = items["7h6g5f4d3s2a1@google.com"]
    assert (social["kind"], social["team"], social["status"]) == (
        "social_post",
        "marketing",
        "planned",
    )
    assert (social["start"], social["end"]) == ("2027-09-06", "2027-09-11")
    assert social["description"] == "Full week of social posts\n\n- LinkedIn\n- YouTube"
    standup = items["weekly-standup-9a8b7c@google.com"]
    assert (standup["kind"], standup["team"]) == ("meeting", "sales")
    assert "UNTIL=20270330T093000" in standup["rrule"]
    assert standup["exdates"] == ["2027-02-16T09:30:00"]
    assert standup["overrides"] == [
        {
            "recurrence_id": "2027-03-02T09:30:00",
            "start": "2027-03-02T10:30:00",
            "end": "2027-03-02T11:00:00",
            "title": None,
        }
    ]


def test_apple(plan: Plan) -> None:
    report = imported(plan, "apple.ics")
    assert (report.added, len(report.skipped), report.reasons()) == (4, 0, [])
    items = stored(plan)
    launch = items["8A1C4E2B-3D5F-4A6B-9C7D-1E2F3A4B5C6D"]
    assert (launch["kind"], launch["start"], launch["tz"]) == (
        "product_launch",
        "2027-04-20T10:00:00",
        "Europe/Berlin",
    )
    assert launch["url"] == "https://acme.example/line-monitor"
    assert launch["location"] == "Acme HQ\nMain Street 1\nBerlin"
    promo = items["D4E5F6A7-B8C9-4D0E-8F1A-2B3C4D5E6F7A"]
    assert (promo["start"], promo["end"], promo["kind"]) == (
        "2027-03-01",
        "2027-03-01",
        "promotion",
    )
    assert "FREQ=MONTHLY" in promo["rrule"] and "INTERVAL=3" in promo["rrule"]
    assert (promo["exdates"], promo["rdates"]) == (["2027-06-01"], ["2027-08-15"])
    tokyo = items["E5F6A7B8-C9D0-4E1F-9A2B-3C4D5E6F7A8B"]
    assert (tokyo["start"], tokyo["tz"]) == ("2027-05-05T11:00:00", "Europe/Berlin")
    whit = items["F6A7B8C9-D0E1-4F2A-8B3C-4D5E6F7A8B9C"]
    assert (whit["kind"], whit["start"], whit["end"]) == ("holiday", "2027-05-17", "2027-05-17")


def test_thunderbird_with_vendor_zone_ids_and_broken_events(plan: Plan) -> None:
    report = imported(plan, "thunderbird.ics")
    assert (report.added, len(report.skipped)) == (2, 3)
    assert sorted(str(s) for s in report.skipped) == [
        "thunderbird.ics: “Event with a broken date”: its start (DTSTART) is not a valid date "
        "(20271345T250000)",
        "thunderbird.ics: “Event without a start”: it has no start (DTSTART)",
        "thunderbird.ics: “Write the newsletter”: a to-do, not an event",
    ]
    items = stored(plan)
    newsletter = items["b7c9e4f2-5a1d-4c3e-9f8b-2d6a0e1c3b5f"]
    assert (newsletter["kind"], newsletter["status"]) == ("email_campaign", "planned")
    assert (newsletter["start"], newsletter["tz"]) == ("2027-03-10T08:00:00", "Europe/London")
    blackout = next(i for i in items.values() if i["title"] == "Blackout: year-end freeze")
    assert blackout["uid"].endswith("@import.smarketing")
    assert (blackout["kind"], blackout["start"], blackout["end"]) == (
        "holiday",
        "2027-12-24",
        "2028-01-01",
    )


def test_thunderbird_115(plan: Plan) -> None:
    imported(plan, "thunderbird-115.ics")
    items = stored(plan)
    dry_run = items["5f2d1c8e-0a8b-4a53-9c1b-2d6a7b8c9d0e"]
    assert (dry_run["start"], dry_run["tz"], dry_run["kind"]) == (
        "2027-01-14T10:00:00",
        "America/New_York",
        "webinar",
    )
    assert dry_run["exdates"] == ["2027-01-28T10:00:00"]  # written in UTC, kept as local
    assert dry_run["overrides"][0]["recurrence_id"] == "2027-02-04T10:00:00"
    assert dry_run["overrides"][0]["start"] == "2027-02-05T13:00:00"
    sprint = items["9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"]
    assert (sprint["tz"], sprint["kind"], sprint["team"]) == ("Asia/Kolkata", "meeting", "joint")
    floating = items["1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"]
    assert (floating["start"], floating["tz"]) == ("2027-01-25T09:00:00", None)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.ics", "“empty.ics” is empty: there is nothing to import."),
        ("binary.ics", "“binary.ics” is a binary file, not an iCalendar (.ics) file."),
        (
            "not-icalendar.ics",
            "“not-icalendar.ics” is not an iCalendar file (it does not start with BEGIN:VCALENDAR).",
        ),
        ("truncated.ics", "“truncated.ics” is cut off: it ends inside VEVENT (no END:VEVENT)."),
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_message_and_nothing_is_written(
    plan: Plan, name: str, message: str
) -> None:
    imported(plan, "google.ics")
    before = plan_json.export_plan(plan)
    with pytest.raises(UserError) as error:
        imported(plan, "apple.ics", name)  # a good file first: all or nothing
    assert str(error.value) == message
    assert plan_json.export_plan(plan) == before


def test_a_stray_nul_in_one_title_is_that_events_problem(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "nul.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;VALUE=DATE:20270301\r\nSUMMARY:Fa\x00ir\r\n"
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTART;VALUE=DATE:20270302\r\n"
        b"SUMMARY:Expo\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    report = ical_import.import_ics(plan, [path])
    assert report.added == 2
    assert report.reasons() == ["nul.ics: “Fair”: NUL characters were removed from its title"]
    assert {uid: item["title"] for uid, item in stored(plan).items()} == {
        "a@x": "Fair",
        "b@x": "Expo",
    }
    # Many NULs (a UTF-16 file without its byte order mark) are still not text.
    wide = tmp_path / "wide.ics"
    wide.write_bytes(path.read_bytes().replace(b"\x00", b"").decode().encode("utf-16-le"))
    with pytest.raises(UserError, match="is a binary file"):
        ical_import.import_ics(plan, [wide])


def test_a_file_without_events_is_named(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "noevents.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n")
    report = ical_import.import_ics(plan, [DATA / "apple.ics", path])
    assert report.empty_files == ["noevents.ics"]
    assert report.reasons()[-1] == "noevents.ics: there are no events in this file"


def test_a_missing_file_is_refused(plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Cannot read"):
        ical_import.import_ics(plan, [tmp_path / "nowhere.ics"])
    assert stored(plan) == {}


@pytest.mark.parametrize(
    "name",
    [
        "outlook.ics",
        "outlook-exchange.ics",
        "outlook-2007-cp1252.ics",
        "google.ics",
        "apple.ics",
        "thunderbird.ics",
        "thunderbird-115.ics",
    ],
)
def test_importing_the_same_file_again_changes_nothing(plan: Plan, name: str) -> None:
    first = imported(plan, name)
    before = plan_json.export_plan(plan)
    sequences = _sequences(plan)
    again = imported(plan, name)
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)
    assert plan_json.export_plan(plan) == before and _sequences(plan) == sequences


def test_a_changed_event_is_updated_in_place_and_its_sequence_grows(
    plan: Plan, tmp_path: Path
) -> None:
    imported(plan, "google.ics")
    sequence = _sequences(plan)["7h6g5f4d3s2a1@google.com"]
    changed = tmp_path / "google.ics"
    changed.write_bytes(
        (DATA / "google.ics")
        .read_bytes()
        .replace(b"SUMMARY:Social media week", b"SUMMARY:Social week")
    )
    report = ical_import.import_ics(plan, [changed])
    assert (report.added, report.updated) == (0, 1)
    assert stored(plan)["7h6g5f4d3s2a1@google.com"]["title"] == "Social week"
    assert _sequences(plan)["7h6g5f4d3s2a1@google.com"] == sequence + 1
    assert len(stored(plan)) == 4


def test_an_older_file_keeps_what_was_changed_here(plan: Plan, tmp_path: Path) -> None:
    """Re-importing a file written before a local edit does not silently revert it."""
    uid = "7h6g5f4d3s2a1@google.com"
    imported(plan, "google.ics")
    document = item_edits.get_item(plan, uid)
    item_edits.save_item(plan, {**document, "title": "Social week (ours)"})
    before = plan_json.export_plan(plan)
    for report in (
        ical_import.preview(plan, [DATA / "google.ics"])[1],
        imported(plan, "google.ics"),
    ):
        assert (report.updated, report.kept, report.unchanged) == (0, 1, 3)
        assert report.notes == [
            "google.ics: “Social media week”: kept: changed here since this file was written"
        ]
        assert report.summary() == "0 added, 0 updated, 3 unchanged, 1 skipped (1 remark)"
    assert plan_json.export_plan(plan) == before
    # The other calendar edits it again, later, without growing SEQUENCE (as Google does
    # for a new title): that is newer than this plan's copy, however often it was updated.
    for title, stamp in ((b"Social week", b"20270201"), (b"Social weeks", b"20270202")):
        newer = tmp_path / "google.ics"
        newer.write_bytes(
            (DATA / "google.ics")
            .read_bytes()
            .replace(b"SUMMARY:Social media week", b"SUMMARY:" + title)
            .replace(b"LAST-MODIFIED:20270120", b"LAST-MODIFIED:" + stamp)
        )
        report = ical_import.import_ics(plan, [newer])
        assert (report.updated, report.kept) == (1, 0)
        assert stored(plan)[uid]["title"] == title.decode()
    assert ical_import.import_ics(plan, [newer]).unchanged == 4


def test_an_own_export_from_before_a_local_edit_is_kept(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "own.smplan", {"uid": "a@x", "title": "Launch", "kind": "webinar",
                     "start": "2027-03-01", "end": "2027-03-01"})  # fmt: skip
    old = tmp_path / "old.ics"
    old.write_bytes(export_ics_bytes(plan)[0])
    item_edits.save_item(plan, {**item_edits.get_item(plan, "a@x"), "title": "Launch (moved)"})
    report = ical_import.import_ics(plan, [old])
    assert (report.updated, report.kept) == (0, 1)
    assert stored(plan)["a@x"]["title"] == "Launch (moved)"
    plan.close()


def test_a_moved_occurrence_keeps_its_own_higher_sequence_on_export(plan: Plan) -> None:
    imported(plan, "google.ics")  # the standup: series SEQUENCE 0, moved occurrence 1
    series, moved = events(export_ics_bytes(plan)[0])["weekly-standup-9a8b7c@google.com"]
    assert "RECURRENCE-ID" not in series and "RECURRENCE-ID" in moved
    assert (int(series["SEQUENCE"]), int(moved["SEQUENCE"])) == (0, 1)


def test_events_without_uid_are_reimported_without_duplicates(plan: Plan, tmp_path: Path) -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270301\r\nSUMMARY:Spring fair\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270302\r\nSUMMARY:Spring fair\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    path = tmp_path / "no-uids.ics"
    path.write_text(data, encoding="utf-8", newline="")
    first = ical_import.import_ics(plan, [path])
    again = ical_import.import_ics(plan, [path])
    assert (first.added, again.added, again.unchanged) == (2, 0, 2)
    assert len(stored(plan)) == 2


def test_two_files_are_one_import(plan: Plan) -> None:
    report = imported(plan, "google.ics", "apple.ics")
    assert report.added == 8 and report.files == ["google.ics", "apple.ics"]


def test_the_same_event_in_two_files_is_imported_once_from_the_later_file(
    plan: Plan, tmp_path: Path
) -> None:
    later = tmp_path / "later.ics"
    later.write_bytes(
        (DATA / "google.ics").read_bytes().replace(b"SUMMARY:Independence Day", b"SUMMARY:July 4th")
    )
    report = ical_import.import_ics(plan, [DATA / "google.ics", later])
    assert report.added == 4
    assert any("also in later.ics" in str(s) for s in report.skipped)
    assert stored(plan)["20270704_independence@holiday.calendar.google.com"]["title"] == "July 4th"


@pytest.mark.parametrize(
    ("categories", "kind", "team"),
    [
        ("Trade show", "tradeshow", None),
        ("TRADESHOW", "tradeshow", None),
        ("Email", "email_campaign", None),
        ("e-mail", "email_campaign", None),
        ("Newsletter", "email_campaign", None),
        ("Social media", "social_post", None),
        ("Holiday", "holiday", None),
        ("Public holidays", "holiday", None),
        ("Blackout", "holiday", None),
        ("Webinar,Sales", "webinar", "sales"),
        ("Product launch,Joint", "product_launch", "joint"),
        ("Meeting,Marketing team", "meeting", "marketing"),
        ("Blog", "blog_post", None),
        ("Ad campaign", "ad_campaign", None),
        ("Promo", "promotion", None),
        ("Red Category", None, None),
    ],
)
def test_kind_and_team_come_from_categories_else_from_the_defaults(
    plan: Plan, tmp_path: Path, categories: str, kind: str | None, team: str | None
) -> None:
    path = tmp_path / "c.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:c@x\r\n"
        f"DTSTART;VALUE=DATE:20270301\r\nSUMMARY:C\r\nCATEGORIES:{categories}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    ical_import.import_ics(plan, [path], kind="webinar", team="sales")
    item = stored(plan)["c@x"]
    assert (item["kind"], item["team"]) == (kind or "webinar", team or "sales")


def test_unknown_defaults_are_refused(plan: Plan) -> None:
    with pytest.raises(UserError, match="Unknown kind 'party'"):
        imported(plan, "google.ics", kind="party")
    with pytest.raises(UserError, match="Unknown team 'finance'"):
        imported(plan, "google.ics", team="finance")
    assert stored(plan) == {}


def test_what_the_app_does_not_model_goes_out_again_with_the_item(plan: Plan) -> None:
    imported(plan, "outlook.ics")
    data = export_ics_bytes(plan, stamp=STAMP)[0]
    master, moved = events(data)[OUTLOOK_SERIES]
    assert [str(a) for a in master["ATTENDEE"]] == [
        "mailto:martha@acme.example",
        "mailto:ted@acme.example",
    ]
    assert str(master["ORGANIZER"]) == "mailto:ted@acme.example"
    assert str(master["X-MICROSOFT-CDO-IMPORTANCE"]) == "1"
    assert master.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(minutes=15)
    # What the app models is written by the app: its own free/busy and description.
    assert "X-MICROSOFT-CDO-BUSYSTATUS" not in master and "X-ALT-DESC" not in master
    assert str(master["TRANSP"]) == "OPAQUE"
    assert str(moved["SUMMARY"]) == "Pipeline review (moved)"
    assert str(moved["LOCATION"]) == "Meeting room Berlin / Teams"


def test_an_own_export_round_trips_exactly(tmp_path: Path) -> None:
    from tests.core.test_ical_export import ITEMS, PEOPLE, PERSONAS

    with make_plan(tmp_path / "a.smplan", *ITEMS, people=PEOPLE, personas=PERSONAS) as original:
        first = export_ics_bytes(original, stamp=STAMP)[0]
        before = stored(original)
    path = tmp_path / "export.ics"
    path.write_bytes(first)
    with make_plan(tmp_path / "b.smplan", people=PEOPLE, personas=PERSONAS) as copy:
        report = ical_import.import_ics(copy, [path])
        assert report.added == 10 and report.reasons() == []
        second = export_ics_bytes(copy, stamp=STAMP)[0]
        after = stored(copy)
        # Importing the export into the plan it came from changes nothing.
    with make_plan(tmp_path / "a2.smplan", *ITEMS, people=PEOPLE, personas=PERSONAS) as same:
        again = ical_import.import_ics(same, [path])
        assert (again.added, again.updated) == (0, 0)
    assert _comparable(second) == _comparable(first)
    for uid, item in after.items():
        original_item = before[uid]
        for key in ("title", "kind", "team", "status", "impact", "start", "end", "tz", "rrule",
                    "exdates", "overrides", "description", "location", "url"):  # fmt: skip
            if key == "rrule" and item[key]:
                continue  # written out in Outlook's shape; compared as events above
            assert item[key] == original_item[key], (uid, key)


def test_hostile_text_comes_back_literally(tmp_path: Path) -> None:
    from tests.core.test_ical_export import HOSTILE_TEXT, HOSTILE_TITLE

    item = {
        "uid": "h@x",
        "title": HOSTILE_TITLE,
        "kind": "other",
        "start": "2027-03-01",
        "description": HOSTILE_TEXT,
        "location": "a,b;c\\d\ne",
        "url": "https://x.example/?q=a,b;c&d=<e>",
    }
    with make_plan(tmp_path / "a.smplan", item) as plan:
        path = tmp_path / "h.ics"
        path.write_bytes(export_ics_bytes(plan)[0])
    with make_plan(tmp_path / "b.smplan") as plan:
        ical_import.import_ics(plan, [path])
        back = stored(plan)["h@x"]
    for key in ("title", "description", "location", "url"):
        assert back[key] == item[key], key


def test_a_damaged_event_is_skipped_and_the_rest_imported(plan: Plan, tmp_path: Path) -> None:
    data = (
        (DATA / "google.ics")
        .read_bytes()
        .replace(
            b"SUMMARY:Independence Day\r\n",
            b"SUMMARY:Independence Day\r\nDTEND;VALUE=DATE=:\x7f\r\n",
        )
    )
    path = tmp_path / "g.ics"
    path.write_bytes(data)
    report = ical_import.import_ics(plan, [path])
    assert report.added >= 3


def test_a_file_with_a_byte_order_mark_and_lf_endings_is_read(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "bom.ics"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "google.ics").read_bytes().replace(b"\r\n", b"\n"))
    assert ical_import.import_ics(plan, [path]).added == 4


def test_a_comment_after_the_calendar_is_ignored(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "proxy.ics"
    path.write_bytes((DATA / "apple.ics").read_bytes() + b"X-COMMENT:Cached by a proxy\r\n")
    assert ical_import.import_ics(plan, [path]).added == 4


def test_preview_says_what_would_happen_and_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    imported(plan, "google.ics")
    changed = tmp_path / "google.ics"
    changed.write_bytes(
        (DATA / "google.ics").read_bytes().replace(b"SUMMARY:Sales standup", b"SUMMARY:Standup")
    )
    shutil.copy(DATA / "thunderbird.ics", tmp_path / "thunderbird.ics")
    before = plan_json.export_plan(plan)
    parsed, preview = ical_import.preview(plan, [changed, tmp_path / "thunderbird.ics"])
    assert (preview.added, preview.updated, preview.unchanged, len(preview.skipped)) == (2, 1, 3, 3)
    assert plan_json.export_plan(plan) == before
    report = ical_import.apply(plan, parsed)
    assert (report.added, report.updated) == (2, 1)


def _sequences(plan: Plan) -> dict[str, int]:
    from sqlalchemy import select

    from smarketing_desktop.store import models

    with plan.read() as session:
        return {
            uid: seq for uid, seq in session.execute(select(models.Item.uid, models.Item.sequence))
        }


def _comparable(data: bytes) -> dict[str, list[bytes]]:
    """The events of a file without the lines that say when it was written."""
    result = {}
    for uid, group in events(data).items():
        result[uid] = [
            b"\r\n".join(
                line
                for line in e.to_ical().split(b"\r\n")
                if not line.startswith((b"DTSTAMP", b"LAST-MODIFIED", b"CREATED"))
            )
            for e in group
        ]
    return result


def test_an_import_is_undone_exactly(plan: Plan, tmp_path: Path) -> None:
    imported(plan, "google.ics")
    with plan.write() as session:  # the user worked on an imported item since
        from sqlalchemy import select

        from smarketing_desktop.store import models

        row = session.scalar(
            select(models.Item).where(models.Item.uid == "7h6g5f4d3s2a1@google.com")
        )
        assert row is not None
        row.channels = ["linkedin"]
    before = stored(plan)
    changed = tmp_path / "google.ics"
    changed.write_bytes(
        (DATA / "google.ics")
        .read_bytes()
        .replace(b"SUMMARY:Social media week", b"SUMMARY:Social week")
        # Edited there after the channel was set here: newer, so it is taken.
        .replace(b"LAST-MODIFIED:20270120", b"LAST-MODIFIED:20270220")
    )
    parsed = read_ics_files([changed, DATA / "apple.ics"])
    uids = [event.uid for event in parsed.events]
    # The import command's undo: the whole states of the items it touches, put back.
    states = item_edits.item_states(plan, uids)
    report = ical_import.apply(plan, parsed)
    assert (report.added, report.updated) == (4, 1)
    assert stored(plan)["7h6g5f4d3s2a1@google.com"]["channels"] == ["linkedin"]  # kept
    item_edits.restore_states(plan, states, item_edits.item_states(plan, uids))
    assert stored(plan) == before


def test_undo_is_refused_when_an_imported_item_changed_since(plan: Plan) -> None:
    parsed = read_ics_files([DATA / "apple.ics"])
    uids = [event.uid for event in parsed.events]
    states = item_edits.item_states(plan, uids)
    ical_import.apply(plan, parsed)
    done = item_edits.item_states(plan, uids)
    with plan.write() as session:
        from sqlalchemy import select

        from smarketing_desktop.store import models

        row = session.scalar(
            select(models.Item).where(models.Item.title == "Quarterly promo kick-off")
        )
        assert row is not None
        row.title = "Renamed in another window"
    after = stored(plan)
    with pytest.raises(UserError, match="was changed in another window"):
        item_edits.restore_states(plan, states, done)
    assert stored(plan) == after


def test_property_lookups_rely_on_icalendar_keeping_names_in_upper_case() -> None:
    # The importer reads properties straight from the component's dict (see ``_prop``).
    component = icalendar.Component.from_ical(
        "BEGIN:VEVENT\r\nuid:a\r\nSummary:b\r\nEND:VEVENT\r\n"
    )
    assert ical_read._prop(component, "UID") == "a"
    assert ical_read._prop(component, "SUMMARY") == "b"
    assert ical_read._prop(component, "LOCATION") is None
