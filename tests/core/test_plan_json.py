"""The plan exchange format (shared/PLAN_FORMAT.md): round trips, defaults, refusals."""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smarketing_desktop.errors import ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan, create_plan
from tests.core.strategies import plan_documents

SPEC = Path(__file__).parents[2] / ".." / "shared" / "PLAN_FORMAT.md"
SPEC_EXAMPLE = {
    "format": "smarketing-plan",
    "version": 1,
    "people": [
        {
            "id": "martha",
            "name": "Martha Diaz",
            "team": "marketing",
            "role": "Content lead",
            "email": "martha@example.com",
            "phone": "+1 555 0100",
        },
        {"id": "ted", "name": "Ted Okafor", "team": "sales", "role": "Account executive"},
    ],
    "personas": [
        {"id": "ops-olivia", "name": "Operations Olivia", "goals": ["Cut unplanned downtime"]}
    ],
    "items": [
        {
            "uid": "expo-2027@acme.example",
            "title": "Spring Industry Expo",
            "kind": "tradeshow",
            "team": "sales",
            "start": "2027-03-10",
            "end": "2027-03-12",
            "impact": "big",
            "status": "planned",
            "owner": "ted",
            "personas": ["ops-olivia"],
        },
        {
            "uid": "spring-blast@acme.example",
            "title": "Spring product email",
            "kind": "email_campaign",
            "start": "2027-03-11",
            "signoff": {"marketing": True, "sales": False},
            "goals": [
                {"team": "marketing", "metric": "new subscribers", "target": 200, "actual": None},
                {"team": "sales", "metric": "hours to follow-up", "target": 24, "better": "lower"},
            ],
        },
        {
            "uid": "newsletter@acme.example",
            "title": "Weekly newsletter",
            "kind": "email_campaign",
            "team": "marketing",
            "start": "2027-01-05T10:00:00",
            "end": "2027-01-05T10:30:00",
            "tz": "Europe/Berlin",
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "exdates": ["2027-03-09"],
            "impact": "small",
        },
        {
            "uid": "call@acme.example",
            "title": "Call",
            "kind": "meeting",
            "start": "2027-03-10T09:00:00+01:00",
        },
    ],
}

# Hypothesis reuses one plan per example; a fresh file per example would dominate the run.
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    return create_plan(tmp_path / "plan.smplan")


def fresh(tmp_path: Path) -> Plan:
    path = tmp_path / f"p{random.getrandbits(64):x}.smplan"
    return create_plan(path)


def exported(plan: Plan) -> dict[str, Any]:
    return json.loads(plan_json.export_plan(plan))


def test_the_spec_example_imports(plan: Plan) -> None:
    example = SPEC.read_text("utf-8").split("```json")[1].split("```")[0]
    report = plan_json.import_plan(plan, example)
    assert report.added == {"people": 2, "personas": 1, "items": 3, "slas": 1}
    document = exported(plan)
    assert [i["uid"] for i in document["items"]] == sorted(i["uid"] for i in document["items"])
    sla = document["slas"][0]
    assert sla["commitments"][1] == {
        "team": "sales",
        "metric": "hours to first follow-up",
        "target": 24,
        "unit": "",
        "period": "lead",
        "source": "",
        "on_miss": "",
    }
    assert sla["reviews"]["rrule"] == "FREQ=MONTHLY;INTERVAL=3"


def test_defaults_and_shapes(plan: Plan) -> None:
    plan_json.import_plan(plan, json.dumps(SPEC_EXAMPLE))
    items = {i["uid"]: i for i in exported(plan)["items"]}
    blast = items["spring-blast@acme.example"]
    # Omitted optional keys take the documented defaults; a missing all-day end is one day.
    assert (blast["team"], blast["impact"], blast["status"]) == ("marketing", "medium", "planned")
    assert (blast["start"], blast["end"]) == ("2027-03-11", "2027-03-11")
    assert blast["goals"][1]["better"] == "lower" and blast["goals"][0]["better"] == "higher"
    assert blast["goals"][0]["target"] == 200 and isinstance(blast["goals"][0]["target"], int)
    # A timed item without end lasts one hour; an offset without tz is kept as written.
    call = items["call@acme.example"]
    assert (call["start"], call["end"], call["tz"]) == (
        "2027-03-10T09:00:00+01:00",
        "2027-03-10T10:00:00+01:00",
        None,
    )
    letter = items["newsletter@acme.example"]
    assert (letter["tz"], letter["exdates"], letter["rrule"]) == (
        "Europe/Berlin",
        ["2027-03-09"],
        "FREQ=WEEKLY;BYDAY=TU",
    )
    people = {p["id"]: p for p in exported(plan)["people"]}
    assert people["ted"]["email"] == ""


def test_export_is_byte_stable_and_reimport_does_not_duplicate(plan: Plan, tmp_path: Path) -> None:
    plan_json.import_plan(plan, json.dumps(SPEC_EXAMPLE))
    first = plan_json.export_plan(plan)
    assert plan_json.export_plan(plan) == first
    report = plan_json.import_plan(plan, first)
    assert report.added == {} and report.updated == {}
    assert plan_json.export_plan(plan) == first
    other = fresh(tmp_path)
    plan_json.import_plan(other, first)
    assert plan_json.export_plan(other) == first


def test_reimport_updates_in_place_and_counts_changes(plan: Plan) -> None:
    plan_json.import_plan(plan, json.dumps(SPEC_EXAMPLE))
    changed = copy.deepcopy(SPEC_EXAMPLE)
    changed["items"][0]["title"] = "Spring Industry Expo (moved hall)"
    changed["items"][1]["goals"][0]["actual"] = 180
    report = plan_json.import_plan(plan, json.dumps(changed))
    assert report.updated == {"items": 2} and report.added == {}
    with plan.read() as session:
        rows = {row.uid: row for row in session.query(models.Item)}
        assert len(rows) == 4
        # SEQUENCE grows only for items that changed (what calendars use to see updates).
        assert rows["expo-2027@acme.example"].sequence == 1
        assert rows["spring-blast@acme.example"].sequence == 1
        assert rows["newsletter@acme.example"].sequence == 0


def test_unknown_keys_are_ignored(plan: Plan) -> None:
    document = copy.deepcopy(SPEC_EXAMPLE)
    document["colour_scheme"] = "dark"
    document["items"][0]["future_field"] = {"x": 1}
    plan_json.import_plan(plan, json.dumps(document))
    assert "future_field" not in exported(plan)["items"][0]


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (lambda d: d.update(version=2), "version", "newer than this app reads"),
        (lambda d: d.update(format="something-else"), "format", "not a Smarketing plan"),
        (lambda d: d["items"][3].update(start="2027-02-30"), "items[3].start", "not a date"),
        (lambda d: d["items"][0].update(end="2027-03-01"), "items[0].end", "before start"),
        (lambda d: d["items"][0].update(kind="party"), "items[0].kind", "must be one of"),
        (lambda d: d["items"][0].update(owner="nobody"), "items[0].owner", "no person"),
        (lambda d: d["items"][0].update(personas=["ghost"]), "items[0].personas[0]", "no persona"),
        (
            lambda d: d["items"][1].update(uid="expo-2027@acme.example"),
            "items[1].uid",
            "appears twice",
        ),
        (lambda d: d["items"][2].update(tz="Mars/Olympus"), "items[2].tz", "unknown time zone"),
        (
            lambda d: d["items"][2].update(rrule="EVERY TUESDAY"),
            "items[2].rrule",
            "not a recurrence rule",
        ),
        (lambda d: d["items"][3].update(tz="Asia/Tokyo"), "items[3].start", "does not match"),
        (
            lambda d: d["items"][1]["goals"][0].update(target="lots"),
            "items[1].goals[0].target",
            "number",
        ),
        (
            lambda d: d["items"][1]["goals"][0].update(target=True),
            "items[1].goals[0].target",
            "number",
        ),
        (lambda d: d["items"][0].update(title="Expo\x00"), "items[0].title", "NUL"),
        (lambda d: d["items"][0].update(title="   "), "items[0].title", "empty"),
        (
            lambda d: d["items"][2].update(url="javascript:alert(1)"),
            "items[2].url",
            "“javascript:alert(1)” is not a web address",
        ),
        (
            lambda d: d["items"][2].update(url="javascript://example.com/%0aalert(1)"),
            "items[2].url",
            "not “javascript:”",
        ),
        (lambda d: d["items"][0].update(url="<img src=x>"), "items[0].url", "not a web address"),
        (lambda d: d["people"][0].update(team="joint"), "people[0].team", "must be one of"),
        (lambda d: d["people"].append(3), "people[2]", "must be an object"),
        (lambda d: d.update(items={"a": 1}), "items", "must be a list"),
        (
            lambda d: d["items"][1].update(signoff={"sales": "yes"}),
            "items[1].signoff.sales",
            "true or false",
        ),
    ],
)
def test_bad_documents_are_refused_with_the_path(
    plan: Plan, mutate: Any, path: str, problem: str
) -> None:
    before = plan_json.export_plan(plan)
    document = copy.deepcopy(SPEC_EXAMPLE)
    mutate(document)
    with pytest.raises(ValidationError) as caught:
        plan_json.import_plan(plan, json.dumps(document))
    assert caught.value.path == path
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")
    assert plan_json.export_plan(plan) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not"),
        (b"[1, 2]", "must be an object"),
        (b'{"format": "smarketing-plan", "version": 1, "items": [', "not valid JSON (line 1"),
        (b'{"format": "smarketing-plan", "version": "1"}', "whole number"),
    ],
)
def test_malformed_text_is_refused(plan: Plan, text: bytes, problem: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(problem)):
        plan_json.import_plan(plan, text)


@FAST
@given(document=plan_documents())
def test_random_valid_plans_round_trip_exactly(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any]
) -> None:
    plan = fresh(tmp_path_factory.mktemp("rt"))
    try:
        plan_json.import_plan(plan, json.dumps(document))
        assert exported(plan) == document
        text = plan_json.export_plan(plan)
        assert plan_json.dumps(document) == text
    finally:
        plan.close()


BAD_VALUES = [None, 7, 1.5, True, "", "\x00", [], {}, "not-a-thing", "2027-13-45", -1]


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid document, and a copy with one value somewhere replaced by a wrong one."""
    valid = draw(plan_documents())
    document = copy.deepcopy(valid)
    # Only values the format constrains: a change there must be refused.
    candidates: list[tuple[list[Any], str]] = []
    for index, item in enumerate(document["items"]):
        for key in ("uid", "title", "kind", "team", "impact", "status", "signoff", "goals"):
            candidates.append((["items", index, key], key))
        if item["start"] is not None:
            candidates.append((["items", index, "start"], "start"))
    for index, _ in enumerate(document["people"]):
        for key in ("id", "name", "team"):
            candidates.append((["people", index, key], key))
    for index, _ in enumerate(document["personas"]):
        for key in ("id", "name", "goals"):
            candidates.append((["personas", index, key], key))
    for index, _ in enumerate(document["slas"]):
        for key in ("id", "title", "status", "commitments"):
            candidates.append((["slas", index, key], key))
    candidates.append((["version"], "version"))
    candidates.append((["format"], "format"))
    path, key = draw(st.sampled_from(candidates))
    target = document
    for part in path[:-1]:
        target = target[part]
    allowed = {
        "goals": [7, "x", {"a": 1}, [1]],
        "commitments": [7, "x", [1], [{"team": "nobody", "metric": "m"}]],
        "signoff": [7, "x", [1], {"sales": "no"}],
        "start": [7, "x", "2027-13-45", "2027-02-30T10:00:00", True],
    }.get(key, [v for v in BAD_VALUES if not (key in ("role", "email") and v == "")])
    if key in ("title", "name", "id", "uid", "metric", "heading"):
        allowed = [v for v in BAD_VALUES if v not in ("not-a-thing", "2027-13-45", -1)]
    if key in ("team", "impact", "status") and path[0] in ("items", "slas"):
        allowed = [v for v in allowed if v is not None]  # null there means "the default"
    if key == "version":
        allowed = [None, "1", 2, 99, 0, True, 1.5]
    target[path[-1]] = draw(st.sampled_from(allowed))
    return valid, document


@settings(
    FAST, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much]
)
@given(bad=corrupted())
def test_random_corruptions_are_refused_and_change_nothing(
    tmp_path_factory: pytest.TempPathFactory, bad: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    plan = fresh(tmp_path_factory.mktemp("bad"))
    try:
        base, document = bad
        # The plan already holds the valid version, so a partial write would show.
        plan_json.import_plan(plan, json.dumps(base))
        before = plan_json.export_plan(plan)
        with pytest.raises(ValidationError):
            plan_json.import_plan(plan, json.dumps(document))
        assert plan_json.export_plan(plan) == before
    finally:
        plan.close()
