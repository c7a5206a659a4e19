"""Moving, pasting and duplicating series: one shift for the whole document (rule,
skipped and moved dates), mixed day-and-minute moves, all-or-nothing multi-item edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.plan_json import export_document
from smarketing_desktop.services import item_edits
from smarketing_desktop.store.planfile import Plan, create_plan

SERIES = {
    "uid": "sync@x",
    "title": "Pipeline sync",
    "kind": "meeting",
    "team": "joint",
    "start": "2027-03-01T09:00:00",  # a Monday
    "end": "2027-03-01T09:30:00",
    "rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270329T235959",
    "exdates": ["2027-03-15T09:00:00"],
    "overrides": [
        {
            "recurrence_id": "2027-03-08T09:00:00",
            "start": "2027-03-08T11:00:00",
            "end": "2027-03-08T11:30:00",
        }
    ],
}
MONTHLY = {
    "uid": "report@x",
    "title": "Monthly report",
    "kind": "other",
    "team": "marketing",
    "start": "2027-03-05",
    "end": "2027-03-05",
    "rrule": "FREQ=MONTHLY;BYMONTHDAY=5;COUNT=4",
}
ALL_DAY = {
    "uid": "expo@x",
    "title": "Expo",
    "kind": "tradeshow",
    "team": "sales",
    "start": "2027-03-10",
    "end": "2027-03-11",
}


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "plan.smplan")
    for document in (SERIES, MONTHLY, ALL_DAY):
        item_edits.create_item(plan, document)
    yield plan
    plan.close()


def occurrences(document: dict) -> list[dt.datetime]:
    start = dt.datetime.fromisoformat(str(document["start"]))
    rule = rrulestr(str(document["rrule"]), dtstart=start)
    return list(rule)


def assert_exceptions_on_occurrences(document: dict) -> None:
    days = {moment.isoformat() if "T" in document["start"] else moment.date().isoformat()
            for moment in occurrences(document)}  # fmt: skip
    assert set(document["exdates"]) <= days
    assert {o["recurrence_id"] for o in document["overrides"]} <= days


def test_a_paste_on_another_weekday_moves_the_rule_and_the_exceptions(plan: Plan) -> None:
    copied = item_edits.copy_documents(plan, ["sync@x"])
    pasted = item_edits.paste_documents(plan, copied, start=dt.date(2027, 4, 7))  # a Wednesday
    copy = item_edits.get_item(plan, pasted.uids[0])
    assert copy["rrule"] == "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270505T235959"
    assert copy["exdates"] == ["2027-04-21T09:00:00"]
    assert copy["overrides"][0]["recurrence_id"] == "2027-04-14T09:00:00"
    assert_exceptions_on_occurrences(copy)
    assert len(occurrences(copy)) == 5  # as many meetings as the original


def test_a_paste_moves_the_day_of_the_month_too(plan: Plan) -> None:
    copied = item_edits.copy_documents(plan, ["report@x"])
    pasted = item_edits.paste_documents(plan, copied, start=dt.date(2027, 3, 8))
    copy = item_edits.get_item(plan, pasted.uids[0])
    assert copy["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=8;COUNT=4"
    assert [m.day for m in occurrences(copy)] == [8, 8, 8, 8]


def test_a_duplicate_on_the_same_day_keeps_the_rule(plan: Plan) -> None:
    duplicated = item_edits.duplicate_items(plan, ["sync@x"])
    copy = item_edits.get_item(plan, duplicated.uids[0])
    assert copy["title"] == "Pipeline sync (copy)"
    assert (copy["rrule"], copy["exdates"]) == (SERIES["rrule"], SERIES["exdates"])


def test_a_move_by_a_day_less_half_an_hour_still_moves_all_day_items_a_day(plan: Plan) -> None:
    item_edits.shift_items(plan, ["expo@x", "sync@x"], days=1, minutes=-30)
    expo = item_edits.get_item(plan, "expo@x")
    assert (expo["start"], expo["end"]) == ("2027-03-11", "2027-03-12")
    sync = item_edits.get_item(plan, "sync@x")
    assert (sync["start"], sync["end"]) == ("2027-03-02T08:30:00", "2027-03-02T09:00:00")
    assert sync["rrule"] == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330T232959"
    assert sync["exdates"] == ["2027-03-16T08:30:00"]
    assert_exceptions_on_occurrences(sync)


def test_a_move_across_midnight_backwards_moves_the_series_to_the_day_before(
    plan: Plan,
) -> None:
    item_edits.shift_items(plan, ["sync@x"], days=0, minutes=-10 * 60)  # 09:00 -> 23:00
    sync = item_edits.get_item(plan, "sync@x")
    assert sync["start"] == "2027-02-28T23:00:00"
    assert "BYDAY=SU" in sync["rrule"]
    assert_exceptions_on_occurrences(sync)


def test_moving_a_series_start_by_its_span_moves_its_exceptions(plan: Plan) -> None:
    item_edits.set_span(
        plan,
        "sync@x",
        dt.date(2027, 3, 2),
        dt.date(2027, 3, 2),
        dt.time(9),
        dt.time(9, 30),
    )
    sync = item_edits.get_item(plan, "sync@x")
    assert "BYDAY=TU" in sync["rrule"]
    assert_exceptions_on_occurrences(sync)


def test_unscheduling_several_items_is_all_or_nothing_in_one_step(plan: Plan) -> None:
    before = export_document(plan)
    with pytest.raises(UserError, match="repeats"):
        item_edits.unschedule_items(plan, ["expo@x", "sync@x"])
    assert export_document(plan) == before
    item_edits.unschedule_items(plan, ["expo@x"])
    assert item_edits.get_item(plan, "expo@x")["start"] is None
