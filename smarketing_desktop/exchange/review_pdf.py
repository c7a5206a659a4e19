"""The campaign review as a PDF for the quarterly joint meeting.

Summary first (goals met per team per quarter, which campaigns reached each persona and
how they did), then the campaigns compared side by side, then one block per campaign:
its goals, a chart of target against actual, and each team's retrospective. The charts
are drawn from the same layout as the Review tab's chart (``domain.review_chart``), so
the meeting sees the picture the teams saw in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from smarketing_desktop.domain.review import (
    OUTCOME_COLOURS,
    Campaign,
    GoalRow,
    Tally,
    by_team_and_quarter,
    format_number,
    kind_label,
    persona_reach,
    result_text,
    target_text,
    team_label,
)
from smarketing_desktop.domain.review_chart import charted, metric_groups
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.chart_pdf import chart_drawing, chart_drawings, pdf_layout
from smarketing_desktop.exchange.files import write_atomically

PAGE = landscape(A4)
WIDTH = PAGE[0] - 36 * mm
# Campaigns per comparison table: more columns would squeeze the cells unreadably.
COMPARE_COLUMNS = 5
# A campaign with more goals (or taller ones) gets its chart below the goals, not beside.
SIDE_BY_SIDE_GOALS = 6
SIDE_BY_SIDE_HEIGHT = 110 * mm


def _day(day: dt.date, *, year: bool = False) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


# A cell holds a flowable, or several stacked.
Cell = Flowable | list[Flowable]


def _grid(rows: Sequence[Sequence[Cell]], widths: list[float]) -> Table:
    # splitInRow: a row of long notes may run onto the next page instead of failing.
    table = Table(
        [list(row) for row in rows], colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1
    )
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
    return text + (f", {tally.pending} open" if tally.pending else "")


def _result(goal: GoalRow) -> Flowable:
    colour = OUTCOME_COLOURS[goal.outcome]
    return pdf.markup(
        f'<font color="{colour}">{pdf.literal(goal.outcome.symbol)} '
        f"{pdf.literal(goal.outcome.label)}</font>",
        "CellBold",
    )


def _summary(campaigns: Sequence[Campaign]) -> list[Flowable]:
    rows = [goal for campaign in campaigns for goal in campaign.goals]
    story: list[Flowable] = [pdf.para("Goals met per team and quarter", "Heading")]
    head = [pdf.para(h, "CellBold") for h in ("Quarter", "Team", "Goals", "Campaigns")]
    table = [head] + [
        [
            pdf.para(quarter, "Cell"),
            pdf.para(team_label(team), "Cell"),
            pdf.para(_tally_text(tally), "Cell"),
            pdf.para(_some(tally.campaigns), "Cell"),
        ]
        for (quarter, team), tally in by_team_and_quarter(rows).items()
    ]
    story.append(_grid(table, [WIDTH * f for f in (0.1, 0.1, 0.2, 0.6)]))
    story.append(pdf.para("What reached each persona, and how it did", "Heading"))
    head = [pdf.para(h, "CellBold") for h in ("Persona", "Campaign", "Goals")]
    table = [head]
    rules = []
    # No row spans: a persona reached by many campaigns must be able to run onto the
    # next page, which a spanned cell would prevent.
    for name, reaches in persona_reach(rows).items():
        if len(table) > 1:
            rules.append(("LINEABOVE", (0, len(table)), (-1, len(table)), 0.8, pdf.RULE))
        for number, reach in enumerate(reaches):
            table.append(
                [
                    pdf.para(name if number == 0 else "", "CellBold"),
                    pdf.para(f"{reach.title} ({_day(reach.start)})", "Cell"),
                    pdf.para(_tally_text(reach.tally), "Cell"),
                ]
            )
    grid = _grid(table, [WIDTH * f for f in (0.22, 0.53, 0.25)])
    grid.setStyle(TableStyle(rules))
    story.append(grid)
    return story


def _some(titles: Sequence[str], limit: int = 12) -> str:
    """Campaign titles for one cell: a long list is cut, since a row cannot span pages."""
    shown = ", ".join(titles[:limit])
    return shown + (f", and {len(titles) - limit} more" if len(titles) > limit else "")


def _comparison_tables(campaigns: Sequence[Campaign], *, shared_only: bool) -> list[Flowable]:
    groups = metric_groups(campaigns, shared_only=shared_only)
    story: list[Flowable] = []
    for first in range(0, len(campaigns), COMPARE_COLUMNS):
        chunk = range(first, min(first + COMPARE_COLUMNS, len(campaigns)))
        rows = [
            group for group in groups if any(group.cell(number + 1) is not None for number in chunk)
        ]
        if not rows:
            continue
        head = [pdf.para("Metric", "CellBold")] + [
            pdf.para(f"{number + 1}  {campaigns[number].title}", "CellBold") for number in chunk
        ]
        body = [
            [
                pdf.para(
                    f"{group.metric} · {team_label(group.team)}"
                    + (" · lower is better" if group.lower_is_better else ""),
                    "Cell",
                )
            ]
            + [_cell(group.cell(number + 1)) for number in chunk]
            for group in rows
        ]
        metric_width = 0.28 if len(chunk) > 1 else 0.4
        each = (1 - metric_width) / COMPARE_COLUMNS
        story.append(_grid([head, *body], [WIDTH * metric_width] + [WIDTH * each] * len(chunk)))
        story.append(Spacer(1, 3 * mm))
    return story


def _cell(goal: GoalRow | None) -> Flowable:
    if goal is None:
        return pdf.para("not measured", "Small")
    colour = OUTCOME_COLOURS[goal.outcome]
    return pdf.markup(f'<font color="{colour}">{pdf.literal(result_text(goal))}</font>', "Cell")


def _comparison(campaigns: Sequence[Campaign], chosen: bool) -> list[Flowable]:
    """Campaigns side by side: the table of their goals and the chart, by metric.

    Campaigns the user chose are compared on every metric; without a choice (the command
    line) every campaign of the period is, on the metrics two or more of them share.
    """
    shared_only = not chosen
    if shared_only:
        sharing = {
            entry.goal.uid
            for group in metric_groups(campaigns, shared_only=True)
            for entry in group.entries
        }
        campaigns = [c for c in campaigns if c.uid in sharing]
    if not metric_groups(campaigns, shared_only=shared_only):
        return []
    title = "Compared side by side" if chosen else "Metrics several campaigns share"
    story: list[Flowable] = [CondPageBreak(60 * mm), pdf.para(title, "Heading")]
    shown, left_out = charted(campaigns)
    if left_out:
        story.append(
            pdf.para(
                f"The first {len(shown)} of {len(campaigns)} campaigns are compared here; "
                "choose the campaigns to compare in the Review tab and export from there.",
                "Small",
            )
        )
    # The user's own choice is tabled in full; the automatic one only as far as charted.
    story += _comparison_tables(campaigns if chosen else shown, shared_only=shared_only)
    story += chart_drawings(pdf_layout(shown, WIDTH, shared_only=shared_only))
    return story


def _actual(goal: GoalRow) -> list[Flowable]:
    cell: list[Flowable] = [pdf.para(format_number(goal.actual), "Cell")]
    if goal.actual is not None and (goal.results_by or goal.results_on):
        when = _day(goal.results_on) if goal.results_on else ""
        cell.append(pdf.para(" · ".join(p for p in (goal.results_by or "", when) if p), "Small"))
    return cell


def _retrospectives(campaign: Campaign) -> list[Flowable]:
    notes = [note for note in campaign.retrospectives if not note.empty]
    if not notes:
        return [Spacer(1, 1.5 * mm), pdf.para("No retrospective written yet.", "Small")]
    head: list[Cell] = [
        pdf.para(h, "CellBold") for h in ("Team", "What went well", "What to change")
    ]
    rows: list[list[Cell]] = [head] + [
        [
            [pdf.para(team_label(note.team), "CellBold"), pdf.para(note.author, "Small")],
            pdf.para(note.went_well or "—", "Cell"),
            pdf.para(note.to_change or "—", "Cell"),
        ]
        for note in notes
    ]
    return [
        Spacer(1, 2 * mm),
        pdf.para("Retrospective", "Label"),
        _grid(rows, [WIDTH * f for f in (0.14, 0.43, 0.43)]),
    ]


def _campaign(campaign: Campaign, number: int, lead: Sequence[Flowable] = ()) -> list[Flowable]:
    """A campaign's block; ``lead`` (a section heading) stays on the page with it."""
    first = campaign.goals[0]
    span = (
        _day(first.start, year=True)
        if first.start == first.end
        else f"{_day(first.start)} – {_day(first.end, year=True)}"
    )
    head: list[Cell] = [
        pdf.para(h, "CellBold") for h in ("Team", "Metric", "Target", "Actual", "Result")
    ]
    rows: list[list[Cell]] = [head] + [
        [
            pdf.para(team_label(g.team), "Cell"),
            pdf.para(g.metric + (" (lower is better)" if g.better == "lower" else ""), "Cell"),
            pdf.para(target_text(g) if g.target is not None else "—", "Cell"),
            _actual(g),
            _result(g),
        ]
        for g in campaign.goals
    ]
    personas = ", ".join(campaign.personas) or "everyone"
    lead = [
        *lead,
        pdf.para(f"{number}. {campaign.title}", "Heading2"),
        pdf.para(f"{kind_label(campaign.kind)} · {span} · for {personas}", "Small"),
        Spacer(1, 2 * mm),
    ]
    table = _grid(rows, [WIDTH * 0.53 * f for f in (0.14, 0.31, 0.11, 0.26, 0.18)])
    chart = pdf_layout([campaign], WIDTH * 0.45, panel_height=112)
    tall = max(table.wrap(WIDTH * 0.53, PAGE[1])[1], chart.height) > SIDE_BY_SIDE_HEIGHT
    if len(campaign.goals) > SIDE_BY_SIDE_GOALS or tall:
        # Too tall to sit beside each other (a table cell cannot break across pages):
        # the goals full width, then the chart a row of panels at a time.
        table = _grid(rows, [WIDTH * f for f in (0.1, 0.4, 0.12, 0.24, 0.14)])
        return [
            KeepTogether([*lead, table]),  # splits anyway if longer than a page
            Spacer(1, 3 * mm),
            *chart_drawings(pdf_layout([campaign], WIDTH, panel_height=112)),
            *_retrospectives(campaign),
        ]
    side = Table(
        [[table, chart_drawing(chart) if chart.bands else pdf.para("Nothing to chart.", "Small")]],
        colWidths=[WIDTH * 0.55, WIDTH * 0.45],
        hAlign="LEFT",
    )
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    # A campaign stays on one page with its retrospective; one longer than a page
    # still breaks (between flowables, or inside a long note).
    return [KeepTogether([*lead, side, *_retrospectives(campaign)])]


def review_flowables(
    campaigns: Sequence[Campaign], period: str, compare: Sequence[str] = ()
) -> list[Flowable]:
    """The review's story.

    Args:
        campaigns: the campaigns of the period, with their goals and retrospectives.
        period: how the period is named on the title (``2027 Q1``).
        compare: uids of the campaigns the user chose to compare (two or more); without
            them, the metrics the period's campaigns share are compared.
    """
    story: list[Flowable] = [
        pdf.para("Campaign review", "Title"),
        pdf.para(f"{period} · sales and marketing, reviewed together", "Subtitle"),
    ]
    if not campaigns:
        story.append(pdf.para("No campaign with goals started in this period."))
        return story
    story += _summary(campaigns)
    chosen = [c for c in campaigns if c.uid in set(compare)]
    if len(chosen) >= 2:
        story += _comparison(chosen, chosen=True)
    else:
        story += _comparison(campaigns, chosen=False)
    for number, campaign in enumerate(campaigns, start=1):
        lead = [pdf.para("Campaigns", "Heading")] if number == 1 else []
        story += _campaign(campaign, number, lead)
    return story


def render_review_pdf(
    campaigns: Sequence[Campaign],
    period: str,
    compare: Sequence[str] = (),
    on_page: Callable[[int], None] | None = None,
) -> bytes:
    """The review PDF as bytes (see review_flowables).

    Args:
        on_page: called with each page number as it is laid out (progress; raising in it
            stops the work).
    """
    decor = pdf.PageDecor(title=f"Campaign review {period}", footer=f"Campaign review · {period}")
    hook = (lambda canvas, doc: on_page(doc.page)) if on_page else None
    return pdf.render(
        review_flowables(campaigns, period, compare), decor, pagesize=PAGE, on_page=hook
    )


def write_review_pdf(
    campaigns: Sequence[Campaign], period: str, path: Path, compare: Sequence[str] = ()
) -> None:
    """Write the review PDF of ``campaigns`` to ``path`` atomically (see review_flowables)."""
    write_atomically(path, render_review_pdf(campaigns, period, compare))
