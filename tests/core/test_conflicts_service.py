"""Conflict services on a real plan file: checks, rule settings, acknowledgements, JSON."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from smarketing_desktop.domain.conflict_rules import RuleConfig
from smarketing_desktop.errors import NotFoundError, ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.services import conflicts as service
from smarketing_desktop.services.demo import REFERENCE_DAY, write_demo
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = REFERENCE_DAY  # the demo lands on its reference day
EMAIL = "spring-email@demo.smarketing"
EXPO = "spring-expo@demo.smarketing"
PROMO = "upgrade-promo@demo.smarketing"


@pytest.fixture
def plan(tmp_path: Path):
    plan = create_plan(tmp_path / "demo.smplan")
    write_demo(plan, today=TODAY)
    yield plan
    plan.close()


def check(plan: Plan, **kwargs: Any) -> list[service.Finding]:
    return service.check_plan(plan, today=TODAY, floating=dt.UTC, **kwargs)


def summary(findings: list[service.Finding]) -> list[tuple[str, str, tuple[str, ...], bool]]:
    return [
        (f.conflict.severity, f.conflict.rule, f.conflict.items, f.acknowledged) for f in findings
    ]


def move(plan: Plan, uid: str, days: int) -> None:
    with plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == uid))
        row.start_date += dt.timedelta(days=days)
        row.end_date += dt.timedelta(days=days)


def test_the_demo_shows_an_error_and_warnings_one_acknowledged(plan: Plan) -> None:
    assert summary(check(plan)) == [
        ("error", "email-during-tradeshow", (EMAIL, EXPO), False),
        ("warning", "blackout", ("search-ads@demo.smarketing", "holiday@demo.smarketing"), True),
        ("warning", "blackout", (PROMO, "holiday@demo.smarketing"), False),
    ]
    first = check(plan)[0]
    assert first.titles == ("Line Monitor 3.0 product email", "Industrial Automation Expo")
    assert "sales cannot follow up" in first.conflict.message
    assert service.worst_unacknowledged(check(plan)) == "error"


def test_a_date_range_keeps_the_conflicts_that_touch_it(plan: Plan) -> None:
    assert [f.conflict.rule for f in check(plan, first=dt.date(2027, 3, 1))] == [
        "email-during-tradeshow"
    ]
    assert [f.conflict.rule for f in check(plan, last=dt.date(2027, 2, 28))] == [
        "blackout",
        "blackout",
    ]
    assert check(plan, first=dt.date(2027, 3, 12), last=dt.date(2027, 3, 31)) == []


def test_an_acknowledgement_lasts_until_an_item_moves(plan: Plan) -> None:
    error = check(plan)[0]
    ack = service.acknowledge(plan, error.conflict, "Only the newsletter list; sales agreed.")
    assert ack.note == "Only the newsletter list; sales agreed."
    assert summary(check(plan))[0] == ("error", "email-during-tradeshow", (EMAIL, EXPO), True)
    assert service.worst_unacknowledged(check(plan)) == "warning"
    # The show grows by a day: the email is still during it, but it is a new situation.
    with plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == EXPO))
        row.end_date += dt.timedelta(days=1)
    assert summary(check(plan))[0][3] is False
    with plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == EXPO))
        row.end_date -= dt.timedelta(days=1)
    assert summary(check(plan))[0][3] is True  # moved back (an undo): acknowledged again
    move(plan, EMAIL, 1)
    assert summary(check(plan))[0] == ("error", "email-during-tradeshow", (EMAIL, EXPO), False)


def test_unacknowledge_and_restore(plan: Plan) -> None:
    error = check(plan)[0].conflict
    ack = service.acknowledge(plan, error, "  Fine.  ")
    assert ack.note == "Fine."
    removed = service.unacknowledge(plan, service.digest_of(error))
    assert removed == ack and not check(plan)[0].acknowledged
    with pytest.raises(NotFoundError):
        service.unacknowledge(plan, service.digest_of(error))
    service.restore_acknowledgement(plan, removed)
    assert service.acknowledgements(plan)[ack.digest] == ack


@pytest.mark.parametrize(
    ("note", "problem"),
    [("", "say why"), ("   ", "say why"), ("ok\x00", "NUL"), ("x" * 2001, "longer than 2000")],
)
def test_a_bad_note_is_refused_and_nothing_is_stored(plan: Plan, note: str, problem: str) -> None:
    before = service.acknowledgements(plan)
    with pytest.raises(ValidationError, match=problem):
        service.acknowledge(plan, check(plan)[0].conflict, note)
    assert service.acknowledgements(plan) == before


def test_hostile_notes_are_kept_literally(plan: Plan) -> None:
    note = "<b>ok</b> & <img src=x> שלום 👍 " + "W" * 300
    service.acknowledge(plan, check(plan)[0].conflict, note)
    assert check(plan)[0].acknowledgement.note == note.strip()


def test_rule_settings_are_checked_and_only_changes_are_kept(plan: Plan) -> None:
    mine = RuleConfig(
        "no-webinar-in-launch-week",
        severity="error",
        params={
            "name": "No webinar in launch week",
            "kind_a": "webinar",
            "kind_b": "product_launch",
            "buffer_before": 0,
            "buffer_after": 6,
            "min_impact": None,
        },
        user_defined=True,
    )
    saved = service.save_rule_settings(
        plan,
        [
            RuleConfig("persona-fatigue", params={"max_items": 3, "window_days": 7}),  # defaults
            RuleConfig("blackout", enabled=False),
            RuleConfig("email-during-tradeshow", severity="warning"),
            mine,
        ],
    )
    assert [c.rule_id for c in saved] == ["blackout", "email-during-tradeshow", mine.rule_id]
    assert service.rule_settings(plan) == sorted(saved, key=lambda c: c.rule_id)
    assert summary(check(plan)) == [
        ("warning", "email-during-tradeshow", (EMAIL, EXPO), False),
    ]
    # A webinar three days after the launch breaks the new rule.
    with plan.write() as session:
        row = session.scalar(
            select(models.Item).where(models.Item.uid == "launch-lm3@demo.smarketing")
        )
        row.start_date = row.end_date = dt.date(2027, 2, 14)
    assert ("error", mine.rule_id) in [(s, r) for s, r, _, _ in summary(check(plan))]


@pytest.mark.parametrize(
    ("configs", "path"),
    [
        (
            [RuleConfig("persona-fatigue", params={"window_days": 0})],
            "persona-fatigue.params.window_days",
        ),
        ([RuleConfig("missing-signoff", severity="fatal")], "missing-signoff.severity"),
        (
            [
                RuleConfig(
                    "a",
                    params={"name": "Same", "kind_a": "webinar", "kind_b": "meeting"},
                    user_defined=True,
                ),
                RuleConfig(
                    "b",
                    params={"name": " same", "kind_a": "webinar", "kind_b": "meeting"},
                    user_defined=True,
                ),
            ],
            "b.params.name",
        ),
    ],
)
def test_bad_rule_settings_name_the_field_and_change_nothing(plan: Plan, configs, path) -> None:
    before = service.rule_settings(plan)
    with pytest.raises(ValidationError) as caught:
        service.save_rule_settings(plan, configs)
    assert caught.value.path == path
    assert service.rule_settings(plan) == before


def test_a_newer_apps_rule_survives_saving(plan: Plan) -> None:
    with plan.write() as session:
        session.add(models.RuleSetting(rule_id="from-the-future", params={"x": 1}))
    service.save_rule_settings(plan, [RuleConfig("blackout", enabled=False)])
    assert [c.rule_id for c in service.rule_settings(plan)] == ["blackout", "from-the-future"]
    # A broken setting written into the file by hand does not stop the check.
    with plan.write() as session:
        session.add(models.RuleSetting(rule_id="persona-fatigue", params={"max_items": "many"}))
    assert check(plan)


# --- plan JSON ----------------------------------------------------------------------


def exported(plan: Plan) -> dict[str, Any]:
    return json.loads(plan_json.export_plan(plan))


def test_acknowledgements_travel_in_the_plan_json(plan: Plan, tmp_path: Path) -> None:
    service.acknowledge(plan, check(plan)[0].conflict, "Agreed with sales.")
    document = exported(plan)
    acks = document["acknowledgements"]
    assert [a["rule"] for a in acks] == ["blackout", "email-during-tradeshow"]
    assert acks[1]["items"] == [
        {"uid": EMAIL, "start": "2027-03-11", "end": "2027-03-11"},
        {"uid": EXPO, "start": "2027-03-10", "end": "2027-03-12"},
    ]
    assert acks[1]["note"] == "Agreed with sales." and acks[1]["persona"] is None
    other = create_plan(tmp_path / "other.smplan")
    try:
        report = plan_json.import_plan(other, json.dumps(document))
        assert report.added["acknowledgements"] == 2
        assert plan_json.export_plan(other) == plan_json.export_plan(plan)
        assert [f.acknowledged for f in check(other)] == [True, True, False]
        again = plan_json.import_plan(other, json.dumps(document))
        assert "acknowledgements" not in again.added and "acknowledgements" not in again.updated
    finally:
        other.close()


def test_an_acknowledgement_of_a_deleted_item_is_not_exported(plan: Plan) -> None:
    service.acknowledge(plan, check(plan)[0].conflict, "Agreed.")
    with plan.write() as session:
        session.delete(session.scalar(select(models.Item).where(models.Item.uid == EMAIL)))
    assert [a["rule"] for a in exported(plan)["acknowledgements"]] == ["blackout"]


def _ack(**changes: Any) -> dict[str, Any]:
    ack = {
        "rule": "blackout",
        "items": [{"uid": PROMO, "start": "2027-01-18", "end": "2027-02-26"}],
        "note": "fine",
    }
    ack.update(changes)
    return ack


@pytest.mark.parametrize(
    ("acks", "path", "problem"),
    [
        (
            [_ack(items=[{"uid": "ghost", "start": "2027-01-01", "end": "2027-01-01"}])],
            "acknowledgements[0].items[0].uid",
            "no item",
        ),
        ([_ack(items=[])], "acknowledgements[0].items", "at least one"),
        (
            [_ack(items=[{"uid": PROMO, "start": "2027-02-30", "end": "2027-03-01"}])],
            "acknowledgements[0].items[0].start",
            "not a date",
        ),
        (
            [
                _ack(
                    items=[
                        {"uid": PROMO, "start": "2027-02-01T10:00:00+01:00", "end": "2027-03-01"}
                    ]
                )
            ],
            "acknowledgements[0].items[0].start",
            "without offset",
        ),
        ([_ack(note="a\x00")], "acknowledgements[0].note", "NUL"),
        ([_ack(rule="")], "acknowledgements[0].rule", "empty"),
        (
            [_ack(acknowledged_at="2027-02-01T10:00:00")],
            "acknowledgements[0].acknowledged_at",
            "offset",
        ),
        ([_ack(), _ack(note="other")], "acknowledgements[1]", "same conflict"),
    ],
)
def test_bad_acknowledgements_are_refused_with_the_path(plan: Plan, acks, path, problem) -> None:
    before = plan_json.export_plan(plan)
    document = {"format": "smarketing-plan", "version": 1, "acknowledgements": acks}
    with pytest.raises(ValidationError) as caught:
        plan_json.import_plan(plan, json.dumps(document))
    assert caught.value.path == path and problem in str(caught.value)
    assert plan_json.export_plan(plan) == before


@pytest.mark.parametrize(
    ("rule", "path", "problem"),
    [
        (
            {"id": "persona-fatigue", "params": {"max_items": -1}},
            "rules[0].params.max_items",
            "at least 1",
        ),
        ({"id": "blackout", "params": {}, "user_defined": True}, "rules[0].id", "built-in"),
        (
            {
                "id": "mine",
                "user_defined": True,
                "params": {"name": "Mine", "kind_a": "party", "kind_b": "meeting"},
            },
            "rules[0].params.kind_a",
            "must be one of",
        ),
    ],
)
def test_bad_rules_are_refused_with_the_path(plan: Plan, rule, path, problem) -> None:
    document = {"format": "smarketing-plan", "version": 1, "rules": [rule]}
    with pytest.raises(ValidationError) as caught:
        plan_json.import_plan(plan, json.dumps(document))
    assert caught.value.path == path and problem in str(caught.value)


def test_the_demo_document_carries_its_acknowledgement_to_today() -> None:
    from smarketing_desktop.services.demo import demo_document

    moved = demo_document(REFERENCE_DAY + dt.timedelta(weeks=3))
    original = demo_document(REFERENCE_DAY)
    ack, before = moved["acknowledgements"][0], original["acknowledgements"][0]
    assert ack["items"][0]["start"] == "2027-03-08" and before["items"][0]["start"] == "2027-02-15"
    assert copy.deepcopy(ack)["note"] == before["note"]


# --- the schema ---------------------------------------------------------------------


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    plan = create_plan(tmp_path / "fresh.smplan")
    try:
        with plan.engine.connect() as connection:
            assert (
                compare_metadata(MigrationContext.configure(connection), models.Base.metadata) == []
            )
    finally:
        plan.close()
