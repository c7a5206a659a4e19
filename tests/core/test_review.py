"""Campaign review core: met / not met, summaries, CSV (formula-safe) and the PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.review import (
    GoalResult,
    GoalRow,
    Outcome,
    Retrospective,
    attainment,
    format_number,
    outcome,
    parse_actual,
    persona_reach,
    result_text,
)
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.review_csv import neutralise, review_csv, write_review_csv
from smarketing_desktop.exchange.review_pdf import write_review_pdf
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.services.review import (
    by_persona,
    by_team_and_quarter,
    enter_result,
    goal_rows,
    review_campaigns,
    save_retrospective,
)
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
        (-5, -3, "lower", Outcome.MISSED),
        (0, 0.0001, "higher", Outcome.MET),
        (None, 0, "lower", Outcome.NO_TARGET),
        (0, None, "lower", Outcome.PENDING),  # a zero target still waits for its actual
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
    "\rReturn",
    "-5% churn",
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
    campaigns = review_campaigns(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    target = tmp_path / "review.pdf"
    write_review_pdf(campaigns, "2027 H1", target)
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
        "Campaign,Kind,Start,End,Personas,Team,Metric,Target,Actual,Better,Result,"
        "Entered by,Entered on"
    ]


def goal(**values) -> GoalRow:
    base = dict(
        uid="u@x",
        title="Spring push",
        kind="email_campaign",
        start=dt.date(2027, 1, 5),
        end=dt.date(2027, 1, 5),
        personas=(),
        team="marketing",
        metric="opens",
        target=100.0,
        actual=None,
        better="higher",
        position=0,
    )
    base.update(values)
    return GoalRow(**base)


def test_csv_keeps_plain_negative_numbers_and_neutralises_the_rest() -> None:
    rows = [
        goal(metric="-3", target=-5.0, actual=-3.5),
        goal(metric="-5% churn", title="\rReturn", personas=("-1",)),
        goal(
            metric="x", results_by="=cmd|' /C calc'!A0", results_on=dt.date(2027, 1, 9), actual=7.0
        ),
        goal(metric="y", results_by="@SUM(1)", actual=8.0),
    ]
    table = list(csv.reader(io.StringIO(review_csv(rows))))
    assert table[0][-2:] == ["Entered by", "Entered on"]
    first, second, third, fourth = table[1:]
    assert first[6] == "-3" and first[7:9] == ["-5", "-3.5"]  # numbers stay numbers
    assert second[0] == "'\rReturn" and second[6] == "'-5% churn" and second[4] == "-1"
    assert third[-2:] == ["'=cmd|' /C calc'!A0", "2027-01-09"]
    assert fourth[-2:] == ["'@SUM(1)", ""]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("-3", "-3"),
        ("-12.5", "-12.5"),
        ("-1-1", "'-1-1"),
        ("-1e3", "'-1e3"),
        ("- 3", "'- 3"),
        ("-", "'-"),
        ("-٣", "'-٣"),  # digits of other scripts are not what a spreadsheet sums
        ("+3", "'+3"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_neutralise_keeps_only_plain_negative_numbers(text: str, safe: str) -> None:
    assert neutralise(text) == safe


@given(st.text())
def test_nothing_neutralised_starts_a_formula(text: str) -> None:
    safe = neutralise(text)
    assert safe.endswith(text)
    if safe.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert re.fullmatch(r"-[0-9]+(\.[0-9]+)?", safe), safe  # only a plain negative number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4630", 4630),
        ("4,630", 4630),
        ("4 630", 4630),
        ("4\u202f630", 4630),
        ("1,234,567.5", 1234567.5),
        (" 12.5 ", 12.5),
        ("-3", -3),
        ("+7", 7),
        (".5", 0.5),
        ("1e3", 1000),
        ("12,5", 12.5),  # the decimal comma, as in the SLA tables and the item dialog
        ("1,23", 1.23),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_actual_reads_what_people_type(text: str, value: float | None) -> None:
    assert parse_actual(text) == value


@pytest.mark.parametrize(
    "text", ["abc", "1,2,3", "1.2.3", "--1", "1e999", "nan", "inf", "12 %", "\x00", "=1+1"]
)
def test_parse_actual_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValidationError, match=r"not a number|too large"):
        parse_actual(text)


def test_parse_actual_message_shows_the_text_safely() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_actual("x\x00" + "y" * 200)
    message = str(caught.value)
    assert "\x00" not in message and "…" in message and len(message) < 220


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_actual_reads_back_any_number_python_writes(value: float) -> None:
    assert parse_actual(repr(value)) == value


@given(st.integers(-(10**15), 10**15))
def test_parse_actual_reads_back_grouped_whole_numbers(value: int) -> None:
    assert parse_actual(f"{value:,}") == value
    assert parse_actual(format_number(value)) == value


def test_numbers_and_results_read_well() -> None:
    assert [format_number(v) for v in (4630, 12.5, -3, 0.004, 1234.567, None)] == [
        "4,630",
        "12.5",
        "-3",
        "0.004",
        "1,234.57",
        "—",
    ]
    assert result_text(goal(target=4000.0, actual=4630.0)) == "✓ 4,630 of 4,000"
    assert result_text(goal(target=24.0, actual=30.0, better="lower")) == "✗ 30 of ≤ 24"
    assert result_text(goal(target=120.0)) == "… open, target 120"
    assert result_text(goal(target=None, actual=5.0)) == "– 5, no target"
    assert result_text(goal(target=None)) == "– no target"
    assert {o.symbol for o in Outcome} == {"✓", "✗", "…", "–"}  # told apart without colour


def test_persona_reach_lists_each_campaign_with_its_own_tally(plan: Plan) -> None:
    rows = goal_rows(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    reach = persona_reach(rows)
    olivia = reach["Operations Olivia"]
    assert [(r.title, r.tally.met, r.tally.missed, r.tally.pending) for r in olivia] == [
        (HOSTILE_TITLES[0], 1, 1, 0),
        (HOSTILE_TITLES[2], 0, 0, 1),
    ]
    assert [r.uid for r in reach["Everyone (no persona chosen)"]] == ["b@x"]


def pdf_words(path: Path) -> str:
    return " ".join("".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())


def test_review_pdf_shows_retrospectives_and_who_entered_results(
    plan: Plan, tmp_path: Path
) -> None:
    period = (dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    campaign = review_campaigns(plan, *period)[0]
    first = campaign.goals[0]
    enter_result(
        plan,
        uid=campaign.uid,
        position=first.position,
        metric=first.metric,
        result=GoalResult(4630, "Ana <b>Souza</b> & Co", dt.date(2027, 1, 30)),
        previous=first.result,
    )
    save_retrospective(
        plan,
        uid=campaign.uid,
        note=Retrospective(
            "sales", "Calls <i>landed</i> & stuck", "Brief SDRs a week earlier", "Ted"
        ),
        previous=Retrospective("sales"),
    )
    save_retrospective(
        plan,
        uid=campaign.uid,
        note=Retrospective("marketing", "تم إرسال البريد 📧 ok", "X" * 120, "Мария"),
        previous=Retrospective("marketing"),
    )
    target = tmp_path / "review.pdf"
    write_review_pdf(review_campaigns(plan, *period), "2027 H1", target)
    text = pdf_words(target)
    for part in (
        "Retrospective",
        "What went well",
        "What to change",
        "Calls <i>landed</i> & stuck",
        "Brief SDRs a week earlier",
        "Мария",
        "Ana <b>Souza</b> & Co",
        "30 Jan",
        "No retrospective written yet.",
    ):
        assert part in text, part
    assert "X" * 40 in text.replace(" ", "")  # the long word is printed, split, not dropped


def test_review_pdf_compares_the_chosen_campaigns_side_by_side(plan: Plan, tmp_path: Path) -> None:
    campaigns = review_campaigns(plan, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    chosen = tmp_path / "chosen.pdf"
    write_review_pdf(campaigns, "2027 H1", chosen, compare=["a@x", "b@x"])
    text = pdf_words(chosen)
    assert "Compared side by side" in text
    assert "1 " + HOSTILE_TITLES[0] in text and "2 " + HOSTILE_TITLES[1] in text
    assert "✓ 4,630 of 4,000" in text and "✗ 30 of ≤ 24" in text and "not measured" in text
    # Without a choice, only metrics two campaigns share are compared; here there are none.
    plain = tmp_path / "plain.pdf"
    write_review_pdf(campaigns, "2027 H1", plain)
    text = pdf_words(plain)
    assert "Compared side by side" not in text and "Metrics several campaigns share" not in text


def test_review_pdf_of_an_empty_period_says_so(tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    write_review_pdf([], "2031 Q2", target)
    assert "No campaign with goals started in this period." in pdf_words(target)


@pytest.mark.slow
def test_review_pdf_of_a_crowded_quarter_with_huge_notes_is_written(tmp_path: Path) -> None:
    """Nothing a plan can hold makes a row taller than a page (reportlab would give up)."""
    plan = create_plan(tmp_path / "crowded.smplan")
    items = []
    for n in range(20):
        goals = [{"team": "sales", "metric": "leads", "target": 10, "actual": n}]
        if n == 1:
            goals[0]["metric"] = "M" * 5000  # one enormous word
        if n == 2:
            goals += [
                {"team": "marketing", "metric": f"goal {k}", "target": k, "actual": k + 1}
                for k in range(40)
            ]
        item = {
            "uid": f"c{n}@x",
            "title": f"Campaign {n}",
            "kind": "webinar",
            "start": f"2027-01-{n + 1:02d}",
            "personas": ["p"],
            "goals": goals,
        }
        if n == 3:
            item["retrospectives"] = [
                {
                    "team": "sales",
                    "went_well": "word " * 3000,
                    "to_change": "x" * 20000,
                    "author": "A",
                }
            ]
        items.append(item)
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "personas": [{"id": "p", "name": "P" * 300}],
        "items": items,
    }
    plan_json.import_plan(plan, json.dumps(document))
    campaigns = review_campaigns(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    target = tmp_path / "crowded.pdf"
    write_review_pdf(campaigns, "2027 Q1", target, compare=[c.uid for c in campaigns])
    text = pdf_words(target)
    assert "Campaign 19" in text and "goal 39" in text
    assert "The first 12 of 20 campaigns are compared here" in text
    plan.close()


@pytest.mark.parametrize(
    "today", [dt.date(2027, 2, 10), dt.date(2026, 11, 23), dt.date(2031, 7, 1)]
)
def test_the_demo_plan_is_worth_reviewing(tmp_path: Path, today: dt.date) -> None:
    plan = create_plan(tmp_path / "demo.smplan")
    write_demo(plan, today=today)
    past = review_campaigns(plan, today - dt.timedelta(days=60), today)
    goals = [goal for campaign in past for goal in campaign.goals]
    outcomes = {goal.outcome for goal in goals}
    assert {Outcome.MET, Outcome.MISSED, Outcome.PENDING} <= outcomes
    assert any(g.better == "lower" and g.actual is not None for g in goals)
    assert any(g.kind == "blog_post" for g in goals)  # content is reviewed too
    entered = [g for g in goals if g.actual is not None]
    assert entered and all(g.results_by and g.results_on for g in entered)
    # Results were entered after the campaign started and before today, wherever today is.
    assert all(g.start <= g.results_on <= today for g in entered)
    notes = [note for campaign in past for note in campaign.retrospectives]
    assert {note.team for note in notes} == {"marketing", "sales"}
    assert all(note.went_well and note.to_change and note.author for note in notes)
    plan.close()
