"""``smarketing export … .ics`` and ``smarketing import FILE.ics…`` as users script them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smarketing_desktop.exchange import plan_json
from smarketing_desktop.services.slas import review_item_uid
from smarketing_desktop.store.planfile import open_plan
from tests.core.ical_support import DATA, events, starts_between, vobject_events
from tests.core.test_cli import document, one_error_line, run

SLA = {
    "id": "sla-2027",
    "title": "Sales & marketing SLA 2027",
    "status": "signed",
    "version": 2,
    "effective": "2027-01-01",
    "ends": "2027-06-30",
    "signatories": [{"name": "Martha Diaz", "title": "VP Marketing", "team": "marketing"}],
    "commitments": [
        {"team": "marketing", "metric": "MQLs delivered", "target": 120, "unit": "leads",
         "period": "month", "source": "CRM report"},
        {"team": "sales", "metric": "hours to first follow-up", "target": 24, "unit": "hours",
         "period": "lead"},
    ],
    "reviews": {"start": "2027-01-15T10:00:00", "tz": "Europe/Berlin", "duration_minutes": 90,
                "rrule": "FREQ=MONTHLY", "location": "Board room, 3rd floor; or Teams"},
    "escalation": "Misses go to the COO.",
}  # fmt: skip
ITEMS = [
    {"uid": "expo@x", "title": "Expo", "kind": "tradeshow", "team": "sales",
     "start": "2027-03-10", "end": "2027-03-12", "owner": "ted"},
    {"uid": "mail@x", "title": "Mail", "kind": "email_campaign", "start": "2027-03-11",
     "status": "idea"},
    {"uid": "late@x", "title": "Late", "kind": "webinar", "start": "2027-09-01T16:00:00",
     "end": "2027-09-01T17:00:00", "tz": "America/Chicago"},
]  # fmt: skip
PEOPLE = [{"id": "ted", "name": "Ted Okafor", "team": "sales"}]


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "plan.smplan"
    source = tmp_path / "seed.json"
    source.write_text(document(people=PEOPLE, items=ITEMS, slas=[SLA]), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--db", str(path))
    assert code == 0, err
    return path


def test_export_the_calendar_with_filters(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sales.ics"
    code, text, err = run(
        capsys, "export", "--db", str(db), "--out", str(out), "--team", "sales", "--team",
        "joint", "--from", "2027-03-01", "--to", "2027-03-31",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert text == f"Exported 1 event to {out}\n"
    data = out.read_bytes()
    assert set(events(data)) == set(vobject_events(data)) == {"expo@x"}


def test_a_range_leaves_out_series_without_an_occurrence_in_it(tmp_path: Path, capsys) -> None:
    db, source = tmp_path / "plan.smplan", tmp_path / "seed.json"
    quarterly = {"uid": "review@x", "title": "Quarterly SLA review", "kind": "meeting",
                 "start": "2027-01-15T10:00:00", "end": "2027-01-15T11:00:00",
                 "tz": "Europe/Berlin", "rrule": "FREQ=MONTHLY;INTERVAL=3"}  # fmt: skip
    source.write_text(document(people=PEOPLE, items=[*ITEMS, quarterly]), encoding="utf-8")
    assert run(capsys, "import", str(source), "--db", str(db))[0] == 0
    out = tmp_path / "march.ics"
    code, text, err = run(
        capsys, "export", "--db", str(db), "--out", str(out), "--from", "2027-03-01",
        "--to", "2027-03-31",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert text == f"Exported 2 events to {out}\n"
    assert set(events(out.read_bytes())) == {"expo@x", "mail@x"}
    code, text, _ = run(
        capsys, "export", "--db", str(db), "--out", str(out), "--from", "2027-03-01",
        "--to", "2027-04-15",
    )  # fmt: skip
    assert text == f"Exported 3 events to {out}\n"
    assert "review@x" in events(out.read_bytes())


def test_export_by_owner_kind_status_and_persona(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.ics"
    for argv, expected in (
        (["--owner", "ted"], {"expo@x"}),
        (["--kind", "email_campaign"], {"mail@x"}),
        (["--status", "idea"], {"mail@x"}),
    ):
        code, _, err = run(capsys, "export", "--db", str(db), "--out", str(out), *argv)
        assert code == 0, err
        assert set(events(out.read_bytes())) == expected


@pytest.mark.parametrize(
    ("argv", "words", "exit_code"),
    [
        (["--owner", "nobody"], "No person has the id 'nobody'", 1),
        (["--persona", "nobody"], "No persona has the id 'nobody'", 1),
        (["--sla", "nope"], "There is no SLA with id 'nope'", 1),
        # Options that contradict each other are wrong usage, as argparse's own mistakes.
        (["--from", "2027-05-01", "--to", "2027-04-01"], "is before --from", 2),
        (["--sla", "sla-2027", "--kind", "meeting"], "drop --kind", 2),
        (["--review"], "--personas and --review make PDFs", 2),
    ],
)
def test_bad_export_choices_are_one_line_and_write_nothing(
    db: Path, tmp_path: Path, capsys, argv: list[str], words: str, exit_code: int
) -> None:
    out = tmp_path / "x.ics"
    code, _, err = run(capsys, "export", "--db", str(db), "--out", str(out), *argv)
    prefix = "smarketing: error: " if exit_code == 1 else "smarketing export: error: "
    assert code == exit_code and err.startswith(prefix) and err.count("\n") == 1, err
    assert words in err
    assert not out.exists()


def test_an_unknown_team_is_wrong_usage(db: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "export", "--db", str(db), "--out", str(tmp_path / "x.ics"), "--team", "hr")
    assert exit_.value.code == 2


def test_export_an_slas_review_meetings(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sla.ics"
    code, text, err = run(capsys, "export", "--db", str(db), "--out", str(out), "--sla", "sla-2027")
    assert (code, err) == (0, "")
    assert "review meetings of the SLA 'sla-2027' (3 events)" in text
    data = out.read_bytes()
    raw = data.decode()
    assert "METHOD:PUBLISH\r\n" in raw and "TZID:Europe/Berlin\r\n" in raw
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    found = events(data)
    meeting = found[review_item_uid("sla-2027")][0]
    assert str(meeting["LOCATION"]) == "Board room, 3rd floor; or Teams"
    description = str(meeting["DESCRIPTION"])
    assert "- Marketing: MQLs delivered — target 120 leads per month (measured by: CRM report)" in (
        description
    )
    assert "- Sales: hours to first follow-up — target 24 hours per lead" in description
    assert str(meeting["STATUS"]) == "CONFIRMED"
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == dt.timedelta(minutes=90)
    # Monthly from 15 January until the agreement ends on 30 June: six meetings.
    berlin = ZoneInfo("Europe/Berlin")
    expected = [dt.datetime(2027, month, 15, 10, tzinfo=berlin) for month in range(1, 7)]
    assert (
        starts_between(
            data, review_item_uid("sla-2027"), dt.date(2027, 1, 1), dt.date(2028, 12, 31)
        )
        == expected
    )
    vmeeting = vobject_events(data)[review_item_uid("sla-2027")][0]
    assert [d for d in vmeeting.getrruleset(addRDate=True)] == expected
    effective = found["sla-effective-sla-2027@smarketing.local"][0]
    ends = found["sla-ends-sla-2027@smarketing.local"][0]
    assert (effective.decoded("DTSTART"), effective.decoded("DTEND")) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
    )
    assert ends.decoded("DTSTART") == dt.date(2027, 6, 30)
    # The same UIDs in every export, so a second file updates the meetings people have.
    again = tmp_path / "again.ics"
    run(capsys, "export", "--db", str(db), "--out", str(again), "--sla", "sla-2027")
    assert set(events(again.read_bytes())) == set(found)


def test_import_calendars_with_defaults(db: Path, capsys) -> None:
    code, text, err = run(
        capsys, "import", str(DATA / "outlook.ics"), str(DATA / "thunderbird.ics"), "--db", str(db),
        "--kind", "meeting", "--team", "sales",
    )  # fmt: skip
    assert code == 0
    assert (
        text
        == "outlook.ics, thunderbird.ics: 6 added, 0 updated, 0 unchanged, 3 skipped (4 remarks)\n"
    )
    assert "it has no start (DTSTART)" in err and "Traceback" not in err
    with open_plan(db) as plan:
        items = {i["uid"]: i for i in plan_json.export_document(plan)["items"]}
    call = items["outlook-distributor-call@acme.example"]
    assert (call["kind"], call["team"]) == ("meeting", "sales")
    code, text, _ = run(capsys, "import", str(DATA / "outlook.ics"), "--db", str(db))
    assert text == "outlook.ics: 0 added, 0 updated, 4 unchanged, 0 skipped\n"


def test_import_of_json_and_ics_together_is_all_or_nothing(
    db: Path, tmp_path: Path, capsys
) -> None:
    with open_plan(db) as plan:
        before = plan_json.export_plan(plan)
    good = tmp_path / "more.json"
    good.write_text(
        document(items=[{"uid": "n@x", "title": "N", "kind": "other", "start": "2027-01-01"}])
    )
    for bad in ("truncated.ics", "binary.ics", "empty.ics", "not-icalendar.ics"):
        code, _, err = run(
            capsys, "import", str(good), str(DATA / "google.ics"), str(DATA / bad), "--db", str(db)
        )
        assert code == 1 and one_error_line(err) and bad in err, err
    with open_plan(db) as plan:
        assert plan_json.export_plan(plan) == before


def test_a_failed_import_into_a_new_plan_leaves_no_plan(tmp_path: Path, capsys) -> None:
    db = tmp_path / "new.smplan"
    code, _, err = run(capsys, "import", str(DATA / "truncated.ics"), "--db", str(db))
    assert code == 1 and one_error_line(err)
    assert not db.exists()
    code, text, _ = run(capsys, "import", str(DATA / "google.ics"), "--db", str(db))
    assert code == 0 and "4 added" in text


def test_import_with_an_unknown_default_kind_is_wrong_usage(db: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "import", str(DATA / "google.ics"), "--db", str(db), "--kind", "party")
    assert exit_.value.code == 2


def test_own_export_reimports_unchanged(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "all.ics"
    run(capsys, "export", "--db", str(db), "--out", str(out))
    code, text, _ = run(capsys, "import", str(out), "--db", str(db))
    assert code == 0 and text == "all.ics: 0 added, 0 updated, 3 unchanged, 0 skipped\n"
    with open_plan(db) as plan:
        assert len(json.loads(plan_json.export_plan(plan))["items"]) == 3
