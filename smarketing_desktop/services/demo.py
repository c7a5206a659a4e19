"""The demo plan a newcomer sees on first start: a quarter of realistic work.

The plan ships in ``resources/demo_plan.json`` around a reference day (six weeks of
history with results entered, seven weeks ahead) and is moved by whole weeks so that the
reference day lands on today: weekly rules and weekdays stay right, and the month a
newcomer first sees is always busy. A move by weeks does not keep monthly rules ("the
last Wednesday"), so each series then starts on its rule's first day on or after the
moved start: the demo never holds a start its own rule does not match.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from smarketing_desktop import paths
from smarketing_desktop.domain.recurrence import first_rule_day
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.plan_json import read_document, write_records
from smarketing_desktop.services.slas import sync_review_item
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

REFERENCE_DAY = dt.date(2027, 2, 10)
_DATED_ITEM_KEYS = ("start", "end")
_DATED_ITEM_LISTS = ("exdates", "rdates")


def _shift(value: str, days: dt.timedelta) -> str:
    day = dt.date.fromisoformat(value[:10]) + days
    return day.isoformat() + value[10:]


def _onto_rule(value: str, rule: str) -> str:
    """``value`` moved to the first day ``rule`` matches on or after it (time kept)."""
    moment = dt.datetime.fromisoformat(value)
    matched = first_rule_day(rule, moment)
    if matched is None:
        return value
    return _shift(value, dt.timedelta(days=(matched.date() - moment.date()).days))


def _align_series(item: dict[str, Any]) -> None:
    rule = item.get("rrule")
    if not rule or not item.get("start"):
        return
    start = item["start"]
    aligned = _onto_rule(start, rule)
    if aligned == start:
        return
    moved = dt.date.fromisoformat(aligned[:10]) - dt.date.fromisoformat(start[:10])
    item["start"] = aligned
    if item.get("end"):
        item["end"] = _shift(item["end"], moved)
    for key in _DATED_ITEM_LISTS:
        item[key] = [_onto_rule(value, rule) for value in item.get(key, [])]


def demo_document(today: dt.date | None = None) -> dict[str, Any]:
    """The demo plan as an exchange document, moved so its reference day is ``today``."""
    today = today or dt.date.today()
    document: dict[str, Any] = json.loads(paths.asset("demo_plan.json").read_text("utf-8"))
    weeks = round((today - REFERENCE_DAY).days / 7)
    days = dt.timedelta(weeks=weeks)
    for item in document["items"]:
        for key in _DATED_ITEM_KEYS:
            if item.get(key):
                item[key] = _shift(item[key], days)
        for key in _DATED_ITEM_LISTS:
            item[key] = [_shift(value, days) for value in item.get(key, [])]
        _align_series(item)
        for goal in item.get("goals", []):
            if goal.get("results_on"):
                goal["results_on"] = _shift(goal["results_on"], days)
    for ack in document.get("acknowledgements", []):
        for occurrence in ack["items"]:
            for key in _DATED_ITEM_KEYS:
                occurrence[key] = _shift(occurrence[key], days)
        ack["acknowledged_at"] = _shift(ack["acknowledged_at"], days)
    for sla in document["slas"]:
        for key in ("effective", "ends"):
            sla[key] = _shift(sla[key], days)
        sla["reviews"]["start"] = _shift(sla["reviews"]["start"], days)
        for signatory in sla["signatories"]:
            if signatory.get("signed_on"):
                signatory["signed_on"] = _shift(signatory["signed_on"], days)
    return document


_TABLES_TO_CLEAR = (
    models.ItemPersona,
    models.ItemGoal,
    models.ItemRetrospective,
    models.ItemOverride,
    models.Item,
    models.SlaParty,
    models.SlaSignatory,
    models.SlaLeadDefinition,
    models.SlaCommitment,
    models.SlaSection,
    models.SlaVersion,
    models.Sla,
    models.Persona,
    models.Person,
    models.RuleSetting,
    models.ConflictAcknowledgement,
)


def has_data(session: Session) -> bool:
    for model in (models.Item, models.Person, models.Persona, models.Sla):
        if session.scalar(select(func.count()).select_from(model)):
            return True
    return False


def write_demo(plan: Plan, *, today: dt.date | None = None, replace: bool = False) -> None:
    """Fill ``plan`` with the demo plan, in one transaction.

    Args:
        plan: the plan to fill.
        today: the day the demo is moved to (default: today).
        replace: throw away what the plan holds first; without it a plan with data is
            refused, so the demo never overwrites real work by accident.
    """
    document = read_document(json.dumps(demo_document(today)))
    with plan.write() as session:
        if has_data(session):
            if not replace:
                raise UserError(
                    f"The plan “{plan.path}” already has data; the demo was not written. "
                    "Use --force to replace everything in it with the demo plan."
                )
            for model in _TABLES_TO_CLEAR:
                session.execute(delete(model))
        write_records(session, document)
        session.flush()
        for sla in document.slas:
            sync_review_item(session, sla["id"])
