"""The campaign review as a PDF for the quarterly joint meeting.

Summary first (goals met per team per quarter, what reached each persona), then one
block per campaign: its goals side by side and a chart of actual against target.
Metrics differ in scale (4,000 opens, 25 meetings), so the chart shows each actual as a
share of its target, with the target at 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from smarketing_desktop.domain.review import (
    GoalRow,
    Outcome,
    Tally,
    attainment,
    by_persona,
    by_team_and_quarter,
)
from smarketing_desktop.domain.words import Kind, Team
from smarketing_desktop.exchange import pdf

PAGE = landscape(A4)
WIDTH = PAGE[0] - 36 * mm
_OUTCOME_COLOURS = {
    Outcome.MET: colors.HexColor("#2b8a3e"),
    Outcome.MISSED: colors.HexColor("#c92a2a"),
    Outcome.PENDING: colors.HexColor("#868e96"),
    Outcome.NO_TARGET: colors.HexColor("#868e96"),
}


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"


def _grid(rows: Sequence[Sequence[Flowable]], widths: list[float]) -> Table:
    table = Table([list(row) for row in rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, pdf.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _tally_text(tally: Tally) -> str:
    text = f"{tally.met} of {tally.judged} met" if tally.judged else "none judged yet"
    return text + (f", {tally.pending} pending" if tally.pending else "")


def _summary(rows: Sequence[GoalRow]) -> list[Flowable]:
    story: list[Flowable] = [pdf.para("Goals met per team and quarter", "Heading")]
    head = [pdf.para(h, "CellBold") for h in ("Quarter", "Team", "Goals", "Campaigns")]
    table = [head] + [
        [
            pdf.para(quarter, "Cell"),
            pdf.para(Team(team).label if team in Team._value2member_map_ else team, "Cell"),
            pdf.para(_tally_text(tally), "Cell"),
            pdf.para(", ".join(tally.campaigns), "Cell"),
        ]
        for (quarter, team), tally in by_team_and_quarter(list(rows)).items()
    ]
    story.append(_grid(table, [WIDTH * f for f in (0.1, 0.1, 0.2, 0.6)]))
    story.append(pdf.para("What reached each persona", "Heading"))
    head = [pdf.para(h, "CellBold") for h in ("Persona", "Goals", "Campaigns")]
    table = [head] + [
        [
            pdf.para(name, "CellBold"),
            pdf.para(_tally_text(t), "Cell"),
            pdf.para(", ".join(t.campaigns), "Cell"),
        ]
        for name, t in by_persona(list(rows)).items()
    ]
    story.append(_grid(table, [WIDTH * f for f in (0.2, 0.2, 0.6)]))
    return story


def _chart(goals: Sequence[GoalRow]) -> Drawing | None:
    """Actual as a share of target per metric, target line at 100 %."""
    shares = [attainment(g.target, g.actual, g.better) for g in goals]
    if not any(s is not None for s in shares):
        return None
    height = 18 + 16 * len(goals)
    drawing = Drawing(WIDTH * 0.47, height + 20)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 14
    chart.width, chart.height = int(WIDTH * 0.47) - 200, height
    chart.data = [[round(100 * (s or 0), 1) for s in shares]]
    top = max(150.0, *(100 * (s or 0) for s in shares))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top * 1.05
    chart.valueAxis.valueStep = 50 if top <= 300 else 100
    chart.valueAxis.labels.fontName = pdf.FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.categoryAxis.categoryNames = [g.metric[:28] for g in goals]
    chart.categoryAxis.labels.fontName = pdf.FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.reverseDirection = 1
    chart.bars[0].fillColor = pdf.ACCENT
    chart.bars.strokeColor = None
    for index, goal in enumerate(goals):
        chart.bars[(0, index)].fillColor = _OUTCOME_COLOURS[goal.outcome]
    chart.barLabelFormat = "%.0f %%"
    chart.barLabels.fontName = pdf.FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 12
    drawing.add(chart)
    x = chart.x + chart.width * 100 / chart.valueAxis.valueMax
    drawing.add(
        Line(
            x,
            chart.y - 2,
            x,
            chart.y + chart.height + 2,
            strokeColor=pdf.INK,
            strokeDashArray=[3, 2],
            strokeWidth=0.8,
        )
    )
    drawing.add(
        String(
            x + 2,
            chart.y + chart.height + 4,
            "target",
            fontName=pdf.FONT,
            fontSize=7,
            fillColor=pdf.MUTED,
        )
    )
    return drawing


def _campaign(goals: Sequence[GoalRow]) -> list[Flowable]:
    first = goals[0]
    kind = Kind(first.kind).label if first.kind in Kind._value2member_map_ else first.kind
    span = first.start.isoformat() if first.start == first.end else f"{first.start} – {first.end}"
    head = [pdf.para(h, "CellBold") for h in ("Team", "Metric", "Target", "Actual", "Result")]
    rows = [head] + [
        [
            pdf.para(Team(g.team).label if g.team in Team._value2member_map_ else g.team, "Cell"),
            pdf.para(g.metric + (" (lower is better)" if g.better == "lower" else ""), "Cell"),
            pdf.para(_num(g.target), "Cell"),
            pdf.para(_num(g.actual), "Cell"),
            pdf.para(g.outcome.label, "CellBold"),
        ]
        for g in goals
    ]
    table = _grid(rows, [WIDTH * 0.5 * f for f in (0.16, 0.38, 0.14, 0.14, 0.18)])
    chart = _chart(goals)
    side = Table(
        [[table, chart or pdf.para("No actuals entered yet.", "Small")]],
        colWidths=[WIDTH * 0.53, WIDTH * 0.47],
        hAlign="LEFT",
    )
    side.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    personas = ", ".join(first.personas) or "everyone"
    return [
        CondPageBreak(45 * mm),
        KeepTogether(
            [
                pdf.para(first.title, "Heading2"),
                pdf.para(f"{kind} · {span} · for {personas}", "Small"),
                Spacer(1, 2 * mm),
                side,
            ]
        ),
    ]


def review_flowables(rows: Sequence[GoalRow], period: str) -> list[Flowable]:
    story: list[Flowable] = [
        pdf.para("Campaign review", "Title"),
        pdf.para(f"{period} · sales and marketing, reviewed together", "Subtitle"),
    ]
    if not rows:
        story.append(pdf.para("No campaign with goals started in this period."))
        return story
    story += _summary(rows)
    story.append(pdf.para("Campaigns", "Heading"))
    campaigns: dict[str, list[GoalRow]] = {}
    for row in rows:
        campaigns.setdefault(row.uid, []).append(row)
    for goals in campaigns.values():
        story += _campaign(goals)
    return story


def write_review_pdf(rows: Sequence[GoalRow], period: str, path: Path) -> None:
    decor = pdf.PageDecor(title=f"Campaign review {period}", footer=f"Campaign review · {period}")
    pdf.write_pdf(path, review_flowables(rows, period), decor, pagesize=PAGE)
