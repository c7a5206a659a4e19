"""Campaign review core: met / not met, summaries, CSV (formula-safe) and the PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.review import Outcome, attainment, outcome
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.review_csv import neutralise, review_csv, write_review_csv
from smarketing_desktop.exchange.review_pdf import write_review_pdf
from smarketing_desktop.services.review import by_persona, by_team_and_quarter, goal_rows
from smarketing_desktop.store.planfile import Plan, create_plan


@pytest.mark.parametrize(
    ("target", "actual", "better", "expected"),
    [
        (100, 120, "higher", Outcome.MET),
        (100, 100, "higher", Outcome.MET),  # exactly on target counts
        (100, 99.9, "higher", Outcome.MISSED),
        (24, 30, "lower", Outcome.MISSED),  # hours to follow-up: more is worse
        (24, 24, "lower", Outcome.MET),
        (24, 3, "lower", Outcome.MET),
        (0, 0, "higher", Outcome.MET),  # zero target, zero actual
        (0, 0, "lower", Outcome.MET),  # zero complaints wanted, zero had
        (0, 1, "lower", Outcome.MISSED),
        (0, -1, "higher", Outcome.MISSED),
        (None, 50, "higher", Outcome.NO_TARGET),
        (None, None, "lower", Outcome.NO_TARGET),
        (10, None, "higher", Outcome.PENDING),
        (-5, -3, "higher", Outcome.MET),  # margins can be negative
    ],
)
def test_outcome_edge_cases(target, actual, better, expected) -> None:
    assert outcome(target, actual, better) is expected


def test_attainment() -> None:
    assert attainment(200, 150) == 0.75
    assert attainment(24, 48, "lower") == 0.5
    assert attainment(0, 5) is None and attainment(None, 5) is None and attainment(5, None) is None
    assert attainment(24, 0, "lower") is None


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_higher_and_lower_agree_only_on_the_target(target: float, actual: float) -> None:
    up, down = outcome(target, actual, "higher"), outcome(target, actual, "lower")
    if actual == target:
        assert up is down is Outcome.MET
    else:
        assert {up, down} == {Outcome.MET, Outcome.MISSED}


HOSTILE_TITLES = [
    '=HYPERLINK("http://x","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    'Fine, "quoted"',
]


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    plan = create_plan(tmp_path / "plan.smplan")
    items = [
        {
            "uid": "a@x",
            "title": HOSTILE_TITLES[0],
            "kind": "email_campaign",
            "start": "2027-01-12",
            "personas": ["olivia"],
            "goals": [
                {"team": "marketing", "metric": "opens", "target": 4000, "actual": 4630},
                {"team": "sales", "metric": "meetings", "target": 25, "actual": 19},
            ],
        },
        {
            "uid": "b@x",
            "title": HOSTILE_TITLES[1],
            "kind": "tradeshow",
            "start": "2027-02-02",
            "end": "2027-02-04",
            "goals": [
                {
                    "team": "sales",
                    "metric": "=hours to follow-up",
                    "target": 24,
                    "actual": 30,
                    "better": "lower",
                }
            ],
        },
        {
            "uid": "c@x",
            "title": HOSTILE_TITLES[2],
            "kind": "webinar",
            "start": "2027-04-02",
            "personas": ["olivia"],
            "goals": [{"team": "marketing", "metric": "registrations", "target": 300}],
        },
        {
            "uid": "d@x",
            "title": "Cancelled push",
            "kind": "promotion",
            "start": "2027-01-20",
            "status": "cancelled",
            "goals": [{"team": "sales", "metric": "deals", "target": 5, "actual": 0}],
        },
        {
            "uid": "e@x",
            "title": "Team meeting",
            "kind": "meeting",
            "start": "2027-01-20",
            "goals": [{"team": "sales", "metric": "attendance", "target": 5, "actual": 5}],
        },
    ]
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "personas": [{"id": "olivia", "name": "Operations Olivia"}],
        "items": items,
    }
    plan_json.import_plan(plan, json.dumps(document))
    return plan


def test_goal_rows_cover_campaigns_in_the_period_only(plan: Plan) -> None:
    rows = goal_rows(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert [(r.uid, r.metric) for r in rows] == [
        ("a@x", "opens"),
        ("a@x", "meetings"),
        ("b@x", "=hours to follow-up"),
    ]
    assert [r.outcome for r in rows] == [Outcome.MET, Outcome.MISSED, Outcome.MISSED]
    assert rows[0].personas == ("Operations Olivia",)


def test_summaries(plan: Plan) -> None:
    rows = goal_rows(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    teams = by_team_and_quarter(rows)
    assert (teams[("2027 Q1", "marketing")].met, teams[("2027 Q1", "marketing")].judged) == (1, 1)
    assert (teams[("2027 Q1", "sales")].met, teams[("2027 Q1", "sales")].judged) == (0, 2)
    assert teams[("2027 Q2", "marketing")].pending == 1
    personas = by_persona(rows)
    assert personas["Operations Olivia"].campaigns == [HOSTILE_TITLES[0], HOSTILE_TITLES[2]]
    assert personas["Everyone (no persona chosen)"].campaigns == [HOSTILE_TITLES[1]]


def test_csv_neutralises_formulas_and_keeps_numbers(plan: Plan, tmp_path: Path) -> None:
    rows = goal_rows(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    target = tmp_path / "review.csv"
    write_review_csv(rows, target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Campaign", "Kind", "Start"]
    titles = [row[0] for row in table[1:]]
    assert titles[0] == "'" + HOSTILE_TITLES[0] and titles[2] == "'+1+1" and titles[3] == "'-2+3"
    assert table[3][6] == "'=hours to follow-up"
    assert table[1][7:11] == ["4000", "4630", "higher", "Met"]
    assert table[3][7:11] == ["24", "30", "lower", "Missed"]
    for row in table[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t")), cell


@pytest.mark.parametrize("text", HOSTILE_TITLES)
def test_neutralise(text: str) -> None:
    safe = neutralise(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.endswith(text)


def test_review_pdf_text(plan: Plan, tmp_path: Path) -> None:
    rows = goal_rows(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    target = tmp_path / "review.pdf"
    write_review_pdf(rows, "2027 H1", target)
    text = " ".join("".join(p.extract_text() for p in pypdf.PdfReader(target).pages).split())
    for part in (
        "Campaign review",
        "2027 H1",
        "Goals met per team and quarter",
        "Operations Olivia",
        *HOSTILE_TITLES[:3],
        "opens",
        "4,630",
        "Missed",
        "Met",
        "(lower is better)",
        "Pending",
    ):
        assert part in text, part
    assert "Cancelled push" not in text and "Team meeting" not in text


def test_csv_of_nothing_is_just_the_header() -> None:
    assert review_csv([]).splitlines() == [
        "Campaign,Kind,Start,End,Personas,Team,Metric,Target,Actual,Better,Result"
    ]
