"""Changing items through the services, and putting exact states back (undo)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.errors import (
    ConcurrentEditError,
    NotFoundError,
    UserError,
    ValidationError,
)
from smarketing_desktop.exchange.plan_json import export_document, import_plan
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import backlog, occurrences_between
from smarketing_desktop.store.planfile import Plan, create_plan

D = dt.date


def document(**extra: object) -> str:
    import json

    base = {
        "format": "smarketing-plan",
        "version": 1,
        "people": [{"id": "ted", "name": "Ted Okafor", "team": "sales"}],
        "personas": [{"id": "olivia", "name": "Operations Olivia"}],
        "items": [
            {
                "uid": "expo@x",
                "title": "Spring Expo",
                "kind": "tradeshow",
                "start": "2027-03-10",
                "end": "2027-03-12",
                "owner": "ted",
                "personas": ["olivia"],
            },
            {
                "uid": "call@x",
                "title": "Kick-off call",
                "kind": "meeting",
                "start": "2027-03-08T09:30:00",
                "end": "2027-03-08T10:00:00",
                "tz": "Europe/Berlin",
            },
            {
                "uid": "weekly@x",
                "title": "Weekly newsletter",
                "kind": "email_campaign",
                "start": "2027-03-02",
                "end": "2027-03-02",
                "rrule": "FREQ=WEEKLY;COUNT=6",
                "exdates": ["2027-03-16"],
                "overrides": [
                    {"recurrence_id": "2027-03-09", "start": "2027-03-11", "end": "2027-03-11"}
                ],
            },
            {"uid": "idea@x", "title": "ROI calculator", "kind": "blog_post", "status": "idea"},
        ],
        **extra,
    }
    return json.dumps(base)


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    plan = create_plan(tmp_path / "p.smplan")
    import_plan(plan, document())
    return plan


def spans(plan: Plan, first: D, last: D, uid: str) -> list[tuple[D, D]]:
    return [(o.start, o.end) for o in occurrences_between(plan, first, last) if o.uid == uid]


def items_of(plan: Plan) -> list[dict]:
    return export_document(plan)["items"]


def test_create_gives_a_new_uid_and_validates(plan: Plan) -> None:
    saved = item_edits.create_item(
        plan, {"uid": "", "title": "Launch", "kind": "product_launch", "start": "2027-04-01"}
    )
    assert saved["uid"].endswith("@" + item_edits.UID_DOMAIN) and saved["row_version"] == 1
    assert spans(plan, D(2027, 4, 1), D(2027, 4, 1), saved["uid"]) == [(D(2027, 4, 1),) * 2]
    before = items_of(plan)
    with pytest.raises(ValidationError, match=r"item\.title"):
        item_edits.create_item(plan, {"title": " ", "kind": "other"})
    with pytest.raises(ValidationError, match=r"owner"):
        item_edits.create_item(plan, {"title": "x", "kind": "other", "owner": "nobody"})
    with pytest.raises(ValidationError, match="already taken"):
        item_edits.create_item(plan, {"uid": "expo@x", "title": "x", "kind": "other"})
    assert items_of(plan) == before


def test_save_refuses_a_stale_copy(plan: Plan) -> None:
    first = item_edits.get_item(plan, "expo@x")
    item_edits.save_item(plan, {**first, "title": "Spring Expo 2027"})
    with pytest.raises(ConcurrentEditError):
        item_edits.save_item(plan, {**first, "title": "Something else"})
    assert item_edits.get_item(plan, "expo@x")["title"] == "Spring Expo 2027"


def test_shift_moves_all_day_timed_and_whole_series(plan: Plan) -> None:
    item_edits.shift_items(plan, ["expo@x", "call@x", "weekly@x"], days=2, minutes=90)
    expo = item_edits.get_item(plan, "expo@x")
    assert (expo["start"], expo["end"]) == ("2027-03-12", "2027-03-14")
    call = item_edits.get_item(plan, "call@x")
    assert (call["start"], call["end"], call["tz"]) == (
        "2027-03-10T11:00:00",
        "2027-03-10T11:30:00",
        "Europe/Berlin",
    )
    weekly = item_edits.get_item(plan, "weekly@x")
    assert weekly["start"] == "2027-03-04" and weekly["exdates"] == ["2027-03-18"]
    assert weekly["overrides"][0]["recurrence_id"] == "2027-03-11"
    assert weekly["overrides"][0]["start"] == "2027-03-13"
    # Every change grows the iCalendar sequence.
    assert item_edits.item_states(plan, ["expo@x"])["expo@x"].sequence == 1


def test_set_span_resizes_and_schedules_an_idea(plan: Plan) -> None:
    item_edits.set_span(plan, "expo@x", D(2027, 3, 10), D(2027, 3, 15))
    assert spans(plan, D(2027, 3, 1), D(2027, 3, 31), "expo@x") == [
        (D(2027, 3, 10), D(2027, 3, 15))
    ]
    item_edits.set_span(plan, "idea@x", D(2027, 5, 3), D(2027, 5, 3))
    assert backlog(plan) == []
    with pytest.raises(ValidationError, match="before start"):
        item_edits.set_span(plan, "expo@x", D(2027, 3, 10), D(2027, 3, 9))


def test_unschedule_puts_an_item_in_the_backlog_but_not_a_series(plan: Plan) -> None:
    item_edits.unschedule(plan, "expo@x")
    # By title: "ROI calculator" before "Spring Expo".
    assert [i.uid for i in backlog(plan)] == ["idea@x", "expo@x"]
    assert spans(plan, D(2027, 1, 1), D(2027, 12, 31), "expo@x") == []
    with pytest.raises(UserError, match="repeats"):
        item_edits.unschedule(plan, "weekly@x")


def test_one_occurrence_moves_and_is_skipped(plan: Plan) -> None:
    march = (D(2027, 3, 1), D(2027, 4, 30))
    occurrences = [o for o in occurrences_between(plan, *march) if o.uid == "weekly@x"]
    assert [o.recurrence_id for o in occurrences] == [
        "2027-03-02",
        "2027-03-09",  # moved to the 11th
        "2027-03-23",
        "2027-03-30",
        "2027-04-06",
    ]
    item_edits.move_occurrence(plan, "weekly@x", "2027-03-23", D(2027, 3, 24), D(2027, 3, 24))
    assert (D(2027, 3, 24), D(2027, 3, 24)) in spans(plan, *march, "weekly@x")
    assert (D(2027, 3, 23), D(2027, 3, 23)) not in spans(plan, *march, "weekly@x")
    item_edits.skip_occurrence(plan, "weekly@x", "2027-03-30")
    assert (D(2027, 3, 30), D(2027, 3, 30)) not in spans(plan, *march, "weekly@x")
    weekly = item_edits.get_item(plan, "weekly@x")
    assert weekly["exdates"] == ["2027-03-16", "2027-03-30"]
    with pytest.raises(ValidationError, match="kind of time"):
        item_edits.move_occurrence(
            plan, "weekly@x", "2027-04-06", D(2027, 4, 7), D(2027, 4, 7), dt.time(9), dt.time(10)
        )
    with pytest.raises(UserError, match="does not repeat"):
        item_edits.skip_occurrence(plan, "expo@x", "2027-03-10")


def test_restore_puts_back_exact_states_and_refuses_concurrent_changes(plan: Plan) -> None:
    before_export = items_of(plan)
    uids = ["expo@x", "weekly@x", "call@x"]
    before = item_edits.item_states(plan, uids)
    item_edits.delete_items(plan, ["expo@x", "weekly@x"])
    item_edits.shift_items(plan, ["call@x"], days=1)
    after = item_edits.item_states(plan, uids)
    assert after["expo@x"].document is None
    item_edits.restore_states(plan, before, after)
    assert items_of(plan) == before_export
    # The undone items are not stale: a redo works...
    item_edits.restore_states(plan, after, before)
    assert item_edits.item_states(plan, ["expo@x"])["expo@x"].document is None
    # ...but not after someone else changed one of them in between.
    item_edits.shift_items(plan, ["call@x"], days=1)
    with pytest.raises(ConcurrentEditError):
        item_edits.restore_states(plan, before, after)
    assert item_edits.item_states(plan, ["expo@x"])["expo@x"].document is None


def test_restore_grows_the_sequence(plan: Plan) -> None:
    before = item_edits.item_states(plan, ["expo@x"])
    item_edits.shift_items(plan, ["expo@x"], days=1)
    after = item_edits.item_states(plan, ["expo@x"])
    item_edits.restore_states(plan, before, after)
    assert item_edits.item_states(plan, ["expo@x"])["expo@x"].sequence == 2


def test_paste_and_duplicate_make_new_items(plan: Plan, tmp_path: Path) -> None:
    copied = item_edits.copy_documents(plan, ["expo@x", "weekly@x"])
    pasted = item_edits.paste_documents(plan, copied, start=D(2027, 6, 1))
    assert len(pasted.uids) == 2 and not pasted.notes
    new = {uid: item_edits.get_item(plan, uid) for uid in pasted.uids}
    starts = sorted(d["start"] for d in new.values())
    # The earliest copy (the series, on the 2nd) lands on the chosen day; the rest keep
    # their distance to it.
    assert starts == ["2027-06-01", "2027-06-09"]
    series = next(d for d in new.values() if d["rrule"])
    assert series["exdates"] == ["2027-06-15"]

    duplicated = item_edits.duplicate_items(plan, ["expo@x"])
    copy = item_edits.get_item(plan, duplicated.uids[0])
    assert copy["title"] == "Spring Expo (copy)" and copy["start"] == "2027-03-10"

    other = create_plan(tmp_path / "other.smplan")
    result = item_edits.paste_documents(other, copied[:1])
    assert result.notes and "owner" in result.notes[0]
    assert item_edits.get_item(other, result.uids[0])["personas"] == []


def test_missing_items_are_reported(plan: Plan) -> None:
    with pytest.raises(NotFoundError):
        item_edits.get_item(plan, "gone@x")
    with pytest.raises(NotFoundError):
        item_edits.shift_items(plan, ["gone@x"], days=1)
    with pytest.raises(UserError, match="not on the calendar"):
        item_edits.shift_items(plan, ["idea@x"], days=1)


def test_occurrences_carry_personas_and_channels(plan: Plan) -> None:
    expo = next(
        o for o in occurrences_between(plan, D(2027, 3, 1), D(2027, 3, 31)) if o.uid == "expo@x"
    )
    assert expo.personas == ("olivia",) and expo.recurrence_id is None
    assert ItemFilter(personas=frozenset({"olivia"})).matches(expo)
    assert not ItemFilter(personas=frozenset({ItemFilter.EVERYONE})).matches(expo)
    assert ItemFilter(text="SPRING").matches(expo)
    assert not ItemFilter(teams=frozenset({"sales"}), kinds=frozenset({"webinar"})).matches(expo)


@st.composite
def filters(draw: st.DrawFn) -> ItemFilter:
    words = st.frozensets(st.text(max_size=6), max_size=3)
    return ItemFilter(
        draw(words), draw(words), draw(words), draw(words), draw(words), draw(st.text(max_size=8))
    )


@given(filters())
def test_filter_survives_settings(chosen: ItemFilter) -> None:
    assert ItemFilter.from_json(chosen.to_json()) == chosen


@given(
    st.one_of(
        st.none(), st.integers(), st.lists(st.integers()), st.dictionaries(st.text(), st.integers())
    )
)
def test_filter_from_garbage_is_empty(garbage: object) -> None:
    assert ItemFilter.from_json(garbage).is_empty


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["expo@x", "call@x", "weekly@x"]),
            st.integers(-40, 40),
            st.integers(-300, 300),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_moves_undo_exactly(plan: Plan, moves: list[tuple[str, int, int]]) -> None:
    original = items_of(plan)
    uids = ["expo@x", "call@x", "weekly@x"]
    before = item_edits.item_states(plan, uids)
    for uid, days, minutes in moves:
        item_edits.shift_items(plan, [uid], days=days, minutes=minutes)
    item_edits.restore_states(plan, before, item_edits.item_states(plan, uids))
    assert items_of(plan) == original
