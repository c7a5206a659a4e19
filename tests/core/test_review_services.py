"""Entering results and retrospectives: one transaction each, stale edits refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from smarketing_desktop.domain.review import GoalResult, Retrospective
from smarketing_desktop.errors import ConcurrentEditError, NotFoundError, ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.services.review import enter_result, review_campaigns, save_retrospective
from smarketing_desktop.store.planfile import Plan, create_plan

PERIOD = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
DAY = dt.date(2027, 2, 1)


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    plan = create_plan(tmp_path / "plan.smplan")
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "items": [
            {
                "uid": "expo@x",
                "title": "Expo",
                "kind": "tradeshow",
                "start": "2027-02-02",
                "goals": [
                    {"team": "sales", "metric": "leads", "target": 60},
                    {"team": "sales", "metric": "hours", "target": 24, "better": "lower"},
                ],
            }
        ],
    }
    plan_json.import_plan(plan, json.dumps(document))
    return plan


def campaign(plan: Plan):
    (only,) = review_campaigns(plan, *PERIOD)
    return only


def stored_document(plan: Plan) -> dict:
    return json.loads(plan_json.export_plan(plan))["items"][0]


def test_a_result_is_stored_with_who_and_when_and_counts_as_a_change(plan: Plan) -> None:
    before = campaign(plan)
    goal = before.goals[1]
    version, stored = enter_result(
        plan,
        uid="expo@x",
        position=goal.position,
        metric="hours",
        result=GoalResult(30, "  Sam Ortiz ", DAY),
        previous=goal.result,
        version=before.version,
    )
    assert stored == GoalResult(30.0, "Sam Ortiz", DAY)
    after = campaign(plan)
    assert version == after.version == before.version + 1
    assert after.goals[1].result == stored and after.goals[1].outcome.value == "missed"
    exported = stored_document(plan)["goals"][1]
    assert (exported["actual"], exported["results_by"], exported["results_on"]) == (
        30,
        "Sam Ortiz",
        "2027-02-01",
    )


def test_clearing_a_result_clears_who_and_when(plan: Plan) -> None:
    goal = campaign(plan).goals[0]
    _, first = enter_result(
        plan,
        uid="expo@x",
        position=0,
        metric="leads",
        result=GoalResult(71, "Lena", DAY),
        previous=goal.result,
    )
    _, cleared = enter_result(
        plan,
        uid="expo@x",
        position=0,
        metric="leads",
        result=GoalResult(None, "Lena", DAY),
        previous=first,
    )
    assert cleared == GoalResult() == campaign(plan).goals[0].result


def test_a_stale_view_is_refused_and_nothing_changes(plan: Plan) -> None:
    seen = campaign(plan)
    goal = seen.goals[0]
    enter_result(
        plan,
        uid="expo@x",
        position=0,
        metric="leads",
        result=GoalResult(50, "Ana", DAY),
        previous=goal.result,
        version=seen.version,
    )
    with pytest.raises(ConcurrentEditError):  # the same view, one edit later
        enter_result(
            plan,
            uid="expo@x",
            position=0,
            metric="leads",
            result=GoalResult(99, "Bo", DAY),
            previous=goal.result,
            version=seen.version,
        )
    with pytest.raises(ConcurrentEditError):  # undo of an entry someone overwrote
        enter_result(
            plan,
            uid="expo@x",
            position=0,
            metric="leads",
            result=GoalResult(),
            previous=GoalResult(42, "Ana", DAY),
        )
    with pytest.raises(ConcurrentEditError):  # the goal list changed under the view
        enter_result(
            plan,
            uid="expo@x",
            position=0,
            metric="hours",
            result=GoalResult(1, "Ana", DAY),
            previous=GoalResult(50.0, "Ana", DAY),
        )
    with pytest.raises(ConcurrentEditError):
        enter_result(
            plan,
            uid="expo@x",
            position=7,
            metric="leads",
            result=GoalResult(1, "Ana", DAY),
            previous=GoalResult(50.0, "Ana", DAY),
        )
    assert campaign(plan).goals[0].result == GoalResult(50.0, "Ana", DAY)


@pytest.mark.parametrize(
    ("result", "problem"),
    [
        (GoalResult(float("nan"), "Ana", DAY), "not a finite number"),
        (GoalResult(float("inf"), "Ana", DAY), "not a finite number"),
        (GoalResult(5, "A\x00na", DAY), "NUL"),
        (GoalResult(5, "A" * 501, DAY), "longer than"),
    ],
)
def test_bad_results_are_refused(plan: Plan, result: GoalResult, problem: str) -> None:
    before = stored_document(plan)
    with pytest.raises(ValidationError, match=problem):
        enter_result(
            plan, uid="expo@x", position=0, metric="leads", result=result, previous=GoalResult()
        )
    assert stored_document(plan) == before


def test_a_removed_campaign_is_reported(plan: Plan) -> None:
    with pytest.raises(NotFoundError, match="no longer in the plan"):
        enter_result(
            plan,
            uid="gone@x",
            position=0,
            metric="leads",
            result=GoalResult(1),
            previous=GoalResult(),
        )
    with pytest.raises(NotFoundError):
        save_retrospective(
            plan, uid="gone@x", note=Retrospective("sales", "x"), previous=Retrospective("sales")
        )


def test_retrospectives_per_team_are_saved_changed_and_removed(plan: Plan) -> None:
    seen = campaign(plan)
    note = Retrospective("sales", " Demos <b>worked</b> ", "Scan into the CRM", "Lena & Sam")
    version, stored = save_retrospective(
        plan, uid="expo@x", note=note, previous=Retrospective("sales"), version=seen.version
    )
    assert stored == Retrospective(
        "sales", "Demos <b>worked</b>", "Scan into the CRM", "Lena & Sam"
    )
    marketing = Retrospective("marketing", "Pre-show email", "", "Martha")
    save_retrospective(plan, uid="expo@x", note=marketing, previous=Retrospective("marketing"))
    assert campaign(plan).retrospectives == (marketing, stored)
    assert campaign(plan).retrospective("joint") == Retrospective("joint")
    assert campaign(plan).version == version + 1
    # Emptying every field removes the note.
    save_retrospective(
        plan, uid="expo@x", note=Retrospective("sales", " ", "", ""), previous=stored
    )
    assert campaign(plan).retrospectives == (marketing,)
    assert [r["team"] for r in stored_document(plan)["retrospectives"]] == ["marketing"]


def test_a_stale_retrospective_is_refused(plan: Plan) -> None:
    seen = campaign(plan)
    save_retrospective(
        plan, uid="expo@x", note=Retrospective("sales", "first"), previous=Retrospective("sales")
    )
    with pytest.raises(ConcurrentEditError):
        save_retrospective(
            plan,
            uid="expo@x",
            note=Retrospective("sales", "second"),
            previous=Retrospective("sales"),
            version=seen.version,
        )
    with pytest.raises(ConcurrentEditError):
        save_retrospective(
            plan,
            uid="expo@x",
            note=Retrospective("sales", "second"),
            previous=Retrospective("sales"),
        )
    assert campaign(plan).retrospective("sales").went_well == "first"


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        (Retrospective("finance", "x"), "not a team"),
        (Retrospective("sales", "a\x00b"), "NUL"),
        (Retrospective("sales", "", "x" * 20_001), "longer than"),
    ],
)
def test_bad_retrospectives_are_refused(plan: Plan, note: Retrospective, problem: str) -> None:
    before = stored_document(plan)
    with pytest.raises(ValidationError, match=problem):
        save_retrospective(plan, uid="expo@x", note=note, previous=Retrospective(note.team))
    assert stored_document(plan) == before
