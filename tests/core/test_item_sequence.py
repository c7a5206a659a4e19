"""SEQUENCE grows with every change of what an item's exported VEVENT shows, whoever writes.

Outlook and Google ignore an updated event whose SEQUENCE did not grow, so the counter is
kept by the store itself (a before-flush hook), not by each service.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from smarketing_desktop.exchange import plan_json
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan, create_plan

DOCUMENT = {
    "format": "smarketing-plan",
    "version": 1,
    "personas": [{"id": "olivia", "name": "Operations Olivia"}, {"id": "ian", "name": "IT Ian"}],
    "items": [
        {
            "uid": "series@acme.example",
            "title": "Weekly newsletter",
            "kind": "email_campaign",
            "start": "2027-01-05T10:00:00",
            "end": "2027-01-05T10:30:00",
            "tz": "Europe/Berlin",
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "personas": ["olivia"],
            "goals": [{"team": "marketing", "metric": "opens", "target": 500}],
            "overrides": [
                {
                    "recurrence_id": "2027-01-12T10:00:00",
                    "start": "2027-01-13T11:00:00",
                    "end": "2027-01-13T11:30:00",
                    "title": None,
                }
            ],
        }
    ],
}


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "plan.smplan")
    plan_json.import_plan(plan, json.dumps(DOCUMENT))
    yield plan
    plan.close()


def _sequence(plan: Plan) -> int:
    with plan.read() as session:
        value = session.scalar(
            select(models.Item.sequence).where(models.Item.uid == "series@acme.example")
        )
        assert value is not None
        return value


def _edit(plan: Plan, change: Callable[[Session, models.Item], None]) -> int:
    before = _sequence(plan)
    with plan.write() as session:
        item = session.scalar(select(models.Item).where(models.Item.uid == "series@acme.example"))
        assert item is not None
        change(session, item)
    return _sequence(plan) - before


def _retitle(_s: Session, item: models.Item) -> None:
    item.title = "Weekly newsletter (new look)"


def _move(_s: Session, item: models.Item) -> None:
    item.start_date = item.start_date + dt.timedelta(days=1)  # type: ignore[operator]


def _locate(_s: Session, item: models.Item) -> None:
    item.location = "Berlin"


def _result(_s: Session, item: models.Item) -> None:
    item.goals[0].actual = 612


def _add_persona(_s: Session, item: models.Item) -> None:
    item.persona_links.append(models.ItemPersona(persona_id="ian", position=1))


def _drop_persona(s: Session, item: models.Item) -> None:
    s.delete(item.persona_links[0])


def _move_occurrence(_s: Session, item: models.Item) -> None:
    item.overrides[0].start_time = dt.time(12, 0)


def _add_occurrence_change(_s: Session, item: models.Item) -> None:
    item.overrides.append(
        models.ItemOverride(
            recurrence_id="2027-01-19T10:00:00",
            start_date=dt.date(2027, 1, 19),
            end_date=dt.date(2027, 1, 19),
            start_time=dt.time(9, 0),
            end_time=dt.time(9, 30),
        )
    )


def _skip_occurrence(_s: Session, item: models.Item) -> None:
    item.exdates = [*item.exdates, "2027-01-26T10:00:00"]


@pytest.mark.parametrize(
    "change",
    [
        _retitle,
        _move,
        _locate,
        _result,
        _add_persona,
        _drop_persona,
        _move_occurrence,
        _add_occurrence_change,
        _skip_occurrence,
    ],
)
def test_every_change_of_the_event_grows_the_sequence_by_one(plan: Plan, change) -> None:
    assert _edit(plan, change) == 1


def test_a_change_the_event_does_not_show_leaves_the_sequence(plan: Plan) -> None:
    def retrospective(_s: Session, item: models.Item) -> None:
        item.retrospectives.append(
            models.ItemRetrospective(team="joint", went_well="Good open rate")
        )

    def same_title(_s: Session, item: models.Item) -> None:
        item.title = "Weekly newsletter"

    assert _edit(plan, retrospective) == 0
    assert _edit(plan, same_title) == 0


def test_a_service_that_sets_the_sequence_itself_is_not_bumped_again(plan: Plan) -> None:
    def explicit(_s: Session, item: models.Item) -> None:
        item.title = "Renamed"
        item.sequence += 5

    assert _edit(plan, explicit) == 5


def test_reimporting_an_unchanged_plan_document_keeps_the_sequence(plan: Plan) -> None:
    before = _sequence(plan)
    plan_json.import_plan(plan, json.dumps(DOCUMENT))
    assert _sequence(plan) == before
    changed = {**DOCUMENT, "items": [{**DOCUMENT["items"][0], "title": "Renamed"}]}
    plan_json.import_plan(plan, json.dumps(changed))
    assert _sequence(plan) == before + 1


UID = "series@acme.example"


def _service_edits() -> list[tuple[str, Callable[[Plan], object]]]:
    from smarketing_desktop.services import item_edits

    def save(plan: Plan) -> object:
        document = item_edits.get_item(plan, UID)
        return item_edits.save_item(plan, {**document, "title": "Renamed in the dialog"})

    return [
        ("drag", lambda plan: item_edits.shift_items(plan, [UID], days=1)),
        (
            "resize",
            lambda plan: item_edits.set_span(
                plan, UID, dt.date(2027, 1, 5), dt.date(2027, 1, 5), dt.time(10), dt.time(11)
            ),
        ),
        ("back to the backlog", lambda plan: item_edits.unschedule(plan, UID)),
        (
            "move one occurrence",
            lambda plan: item_edits.move_occurrence(
                plan,
                UID,
                "2027-01-19T10:00:00",
                dt.date(2027, 1, 20),
                dt.date(2027, 1, 20),
                dt.time(10),
                dt.time(10, 30),
            ),
        ),
        (
            "skip one occurrence",
            lambda plan: item_edits.skip_occurrence(plan, UID, "2027-01-26T10:00:00"),
        ),
        ("item dialog", save),
    ]


@pytest.mark.parametrize("name", [name for name, _ in _service_edits()])
def test_every_edit_service_grows_the_sequence_exactly_once(plan: Plan, name: str) -> None:
    edit = dict(_service_edits())[name]
    if name == "back to the backlog":  # a series cannot go back: make it a single item
        with plan.write() as session:
            item = session.scalar(select(models.Item).where(models.Item.uid == UID))
            assert item is not None
            item.rrule, item.overrides = None, []
    before = _sequence(plan)
    edit(plan)
    assert _sequence(plan) == before + 1
