"""The calendar printed: one landscape page per month (a grid of weeks) or per quarter
(a timeline with a swim lane per team), with a legend of kinds on every page."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import hidden_per_day, month_weeks, stack
from smarketing_desktop.domain.periods import quarter_start
from smarketing_desktop.domain.words import KIND_COLOURS, Kind, Team
from smarketing_desktop.exchange import pdf

View = Literal["month", "quarter"]
PAGE = landscape(A4)
MARGIN = 12 * mm
BAR = 4.3 * mm
LEGEND = 9 * mm
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
Fetch = Callable[[dt.date, dt.date], Sequence[Occurrence]]


def _colour(kind: str) -> colors.Color:
    return colors.HexColor(
        KIND_COLOURS.get(Kind(kind) if kind in Kind._value2member_map_ else Kind.OTHER, "#5c7cfa")
    )


def _fit(text: str, width: float, size: float, font: str = pdf.FONT) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…" if text else ""


def _label(o: Occurrence) -> str:
    prefix = "★ " if o.impact == "big" else ""
    time = f"{o.start_time:%H:%M} " if o.start_time is not None else ""
    return f"{prefix}{time}{o.title}"


def draw_bar(
    canvas: Canvas,
    o: Occurrence,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    cut_before: bool = False,
    cut_after: bool = False,
    beside: float = 0,
) -> None:
    """One item as a bar: filled in its kind's colour, hollow for ideas, struck if cancelled."""
    colour = _colour(o.kind)
    idea, cancelled = o.status == "idea", o.status == "cancelled"
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.setStrokeColor(colour)
    if idea or cancelled:
        canvas.setFillColor(colors.white)
        if idea:
            canvas.setDash(2, 1.5)
    else:
        canvas.setFillColor(colour)
    radius = 0 if (cut_before or cut_after) else 1.2
    canvas.roundRect(x, y, width, height, radius, stroke=1, fill=1)
    canvas.setDash()
    text_colour = colour if (idea or cancelled) else colors.white
    canvas.setFillColor(text_colour)
    size = min(7.2, height * 0.62)
    text = ("◀ " if cut_before else "") + _label(o)
    canvas.setFont(pdf.FONT, size)
    if beside and stringWidth(text, pdf.FONT, size) > width - 3:
        # A short bar on the timeline: its lane left room for the title after it.
        canvas.setFillColor(pdf.INK)
        shown = _fit(text, beside, size)
        canvas.drawString(x + width + 1.5, y + height * 0.28, shown)
        canvas.restoreState()
        return
    shown = _fit(text, width - 3, size)
    canvas.drawString(x + 1.5, y + height * 0.28, shown)
    if cancelled:
        canvas.setStrokeColor(text_colour)
        canvas.setLineWidth(0.6)
        middle = y + height * 0.5
        canvas.line(x + 1.5, middle, x + 1.5 + stringWidth(shown, pdf.FONT, size), middle)
    canvas.restoreState()


LEGEND_NOTE = "★ big impact · dashed: idea · struck: cancelled"


def draw_legend(canvas: Canvas, x: float, y: float, width: float) -> None:
    """Every kind's colour, and what the marks mean; the marks go to a second line when
    the kinds fill the first (every kind is always listed)."""
    canvas.saveState()
    canvas.setFont(pdf.FONT, 7)
    labels = [(kind, kind.label) for kind in Kind]
    widths = [4 * mm + stringWidth(label, pdf.FONT, 7) + 3 * mm for _, label in labels]
    note_width = stringWidth(LEGEND_NOTE, pdf.FONT, 7)
    one_line = sum(widths) + 6 * mm + note_width <= width
    row = y + (0 if one_line else 4.2 * mm)
    cursor = x
    for (kind, label), needed in zip(labels, widths, strict=True):
        canvas.setFillColor(_colour(kind))
        canvas.roundRect(cursor, row, 3 * mm, 3 * mm, 0.6, stroke=0, fill=1)
        canvas.setFillColor(pdf.INK)
        canvas.drawString(cursor + 4 * mm, row + 0.7 * mm, label)
        cursor += needed
    canvas.setFillColor(pdf.MUTED)
    if one_line:
        canvas.drawRightString(x + width, y + 0.7 * mm, LEGEND_NOTE)
    else:
        canvas.drawString(x, y + 0.2 * mm, LEGEND_NOTE)
    canvas.restoreState()


class _Page(Flowable):
    """A whole page drawn by hand: the calendar is a picture, not flowing text."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.title, self.subtitle = title, subtitle
        self.width, self.height = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 8 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # The page fills whatever the frame offers.
        self.width, self.height = available_width, available_height - 1
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFont(pdf.FONT_BOLD, 16)
        canvas.setFillColor(pdf.INK)
        canvas.drawString(0, self.height - 14, self.title)
        canvas.setFont(pdf.FONT, 9)
        canvas.setFillColor(pdf.MUTED)
        canvas.drawRightString(self.width, self.height - 12, self.subtitle)
        draw_legend(canvas, 0, 0, self.width)
        self.body(canvas, 0, LEGEND, self.width, self.height - 24 - LEGEND)

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        raise NotImplementedError


class MonthPage(_Page):
    def __init__(
        self,
        year: int,
        month: int,
        occurrences: Sequence[Occurrence],
        subtitle: str,
        today: dt.date,
    ) -> None:
        super().__init__(dt.date(year, month, 1).strftime("%B %Y"), subtitle)
        self.year, self.month, self.occurrences, self.today = year, month, occurrences, today

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        weeks = month_weeks(self.year, self.month)
        column = width / 7
        header = 5 * mm
        row = (height - header) / len(weeks)
        canvas.setFont(pdf.FONT_BOLD, 8)
        canvas.setFillColor(pdf.MUTED)
        for index, name in enumerate(WEEKDAYS):
            canvas.drawString(x + index * column + 2, y + height - header + 4, name)
        lanes = max(1, int((row - 5.5 * mm) // (BAR + 0.6)) - 1)
        for week_index, monday in enumerate(weeks):
            top = y + height - header - week_index * row
            bars = stack(self.occurrences, monday, 7)
            hidden = hidden_per_day(bars, lanes, 7)
            for day in range(7):
                date = monday + dt.timedelta(days=day)
                left = x + day * column
                outside = date.month != self.month
                canvas.setFillColor(colors.HexColor("#f4f6f8" if outside else "#ffffff"))
                canvas.setStrokeColor(pdf.RULE)
                canvas.setLineWidth(0.5)
                canvas.rect(left, top - row, column, row, stroke=1, fill=1)
                number = str(date.day)
                canvas.setFont(pdf.FONT_BOLD, 8)
                text_width = stringWidth(number, pdf.FONT_BOLD, 8)
                if date == self.today:
                    # A pill around the number, inside the cell, wide enough for two digits.
                    pill = max(9.0, text_width + 4.4)
                    canvas.setFillColor(pdf.ACCENT)
                    canvas.roundRect(left + 1.2, top - 10.6, pill, 9.0, 4.5, stroke=0, fill=1)
                    canvas.setFillColor(colors.white)
                    canvas.drawString(left + 1.2 + (pill - text_width) / 2, top - 8.3, number)
                else:
                    canvas.setFillColor(pdf.MUTED if outside else pdf.INK)
                    canvas.drawString(left + 2.4, top - 8.3, number)
                if hidden[day]:
                    canvas.setFont(pdf.FONT, 7)
                    canvas.setFillColor(pdf.INK)
                    canvas.drawRightString(left + column - 2, top - row + 2, f"+{hidden[day]} more")
            for bar in bars:
                if bar.lane >= lanes:
                    continue
                bar_top = top - 5.2 * mm - bar.lane * (BAR + 0.6)
                draw_bar(
                    canvas,
                    bar.occurrence,
                    x + bar.first * column + 1.2,
                    bar_top - BAR,
                    (bar.last - bar.first + 1) * column - 2.4,
                    BAR,
                    cut_before=bar.cut_before,
                    cut_after=bar.cut_after,
                )


class QuarterPage(_Page):
    def __init__(
        self, first: dt.date, occurrences: Sequence[Occurrence], subtitle: str, today: dt.date
    ) -> None:
        quarter = (first.month - 1) // 3 + 1
        super().__init__(f"Q{quarter} {first.year}: timeline", subtitle)
        self.first, self.occurrences, self.today = first, occurrences, today
        self.last = dt.date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
        self.last -= dt.timedelta(days=1)

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        days = (self.last - self.first).days + 1
        gutter = 24 * mm
        day_width = (width - gutter) / days
        axis = 9 * mm
        left = x + gutter
        lanes = {team: [o for o in self.occurrences if o.team == team.value] for team in Team}
        label_room = 46 * mm

        def extent(o: Occurrence) -> int:
            text_width = stringWidth(_label(o), pdf.FONT, 7.2) + 6
            if text_width <= o.days * day_width:
                return o.days
            return o.days + math.ceil(min(text_width, label_room) / day_width)

        stacks = {team: stack(items, self.first, days, extent) for team, items in lanes.items()}
        rows = {team: max([b.lane for b in bars], default=-1) + 1 for team, bars in stacks.items()}
        total_rows = sum(max(1, r) for r in rows.values())
        bar = min(5 * mm, max(3.2 * mm, (height - axis - 6 * mm) / max(total_rows, 1) - 0.6))
        fit_rows = int((height - axis - len(lanes) * 2 * mm) // (bar + 0.6))
        # Months and weeks along the top.
        canvas.setFont(pdf.FONT_BOLD, 8.5)
        for offset in range(days):
            date = self.first + dt.timedelta(days=offset)
            px = left + offset * day_width
            if date.day == 1:
                canvas.setFillColor(pdf.INK)
                canvas.drawString(px + 2, y + height - 10, date.strftime("%B"))
                canvas.setStrokeColor(pdf.INK)
                canvas.setLineWidth(0.7)
                canvas.line(px, y, px, y + height - 2)
            elif date.weekday() == 0:
                canvas.setFont(pdf.FONT, 6.5)
                canvas.setFillColor(pdf.MUTED)
                canvas.drawString(px + 1, y + height - axis + 2, str(date.day))
                canvas.setFont(pdf.FONT_BOLD, 8.5)
                canvas.setStrokeColor(pdf.RULE)
                canvas.setLineWidth(0.3)
                canvas.line(px, y, px, y + height - axis)
        if self.first <= self.today <= self.last:
            px = left + ((self.today - self.first).days + 0.5) * day_width
            canvas.setStrokeColor(colors.HexColor("#e03131"))
            canvas.setLineWidth(1)
            canvas.line(px, y, px, y + height - axis)
        cursor = y + height - axis
        share = max(1, fit_rows) / max(total_rows, 1)
        for team, bars in stacks.items():
            lane_rows = max(1, rows[team])
            shown_rows = max(1, min(lane_rows, int(lane_rows * min(1.0, share))))
            lane_height = shown_rows * (bar + 0.6) + 2 * mm
            canvas.setStrokeColor(pdf.RULE)
            canvas.setLineWidth(0.5)
            canvas.line(x, cursor - lane_height, x + width, cursor - lane_height)
            canvas.setFillColor(pdf.INK)
            canvas.setFont(pdf.FONT_BOLD, 9)
            canvas.drawString(x, cursor - 5 * mm, team.label)
            canvas.setFont(pdf.FONT, 7)
            canvas.setFillColor(pdf.MUTED)
            canvas.drawString(x, cursor - 9 * mm, f"{len(lanes[team])} on the calendar")
            hidden = sum(1 for b in bars if b.lane >= shown_rows)
            if hidden:
                canvas.drawString(x, cursor - 12.5 * mm, f"+{hidden} more")
            for b in bars:
                if b.lane >= shown_rows:
                    continue
                top = cursor - 1 * mm - b.lane * (bar + 0.6)
                start = left + b.first * day_width + 0.5
                bar_width = max((b.last - b.first + 1) * day_width - 1, 2)
                draw_bar(
                    canvas,
                    b.occurrence,
                    start,
                    top - bar,
                    bar_width,
                    bar,
                    cut_before=b.cut_before,
                    cut_after=b.cut_after,
                    beside=max(0, min(label_room, x + width - start - bar_width - 2)),
                )
            cursor -= lane_height


def calendar_flowables(
    fetch: Fetch,
    first: dt.date,
    last: dt.date,
    view: View,
    subtitle: str,
    today: dt.date | None = None,
) -> list[Flowable]:
    """Pages from the month (or quarter) of ``first`` to that of ``last``.

    ``fetch(first, last)`` returns the occurrences of a page's days: only what a page
    shows is ever loaded.
    """
    today = today or dt.date.today()
    story: list[Flowable] = []
    if view == "month":
        cursor = first.replace(day=1)
        while cursor <= last:
            weeks = month_weeks(cursor.year, cursor.month)
            shown = fetch(weeks[0], weeks[-1] + dt.timedelta(days=6))
            story += [MonthPage(cursor.year, cursor.month, shown, subtitle, today), PageBreak()]
            cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    else:
        cursor = quarter_start(first)
        while cursor <= last:
            page = QuarterPage(cursor, [], subtitle, today)
            page.occurrences = fetch(cursor, page.last)
            story += [page, PageBreak()]
            cursor = page.last + dt.timedelta(days=1)
    return story[:-1]


def write_calendar_pdf(
    fetch: Fetch,
    first: dt.date,
    last: dt.date,
    view: View,
    plan_name: str,
    path: Path,
    today: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
) -> int:
    """Write the printout atomically; returns the number of pages.

    ``on_page`` is called with each page number as it is laid out (progress; whatever
    it raises stops the layout, and nothing is written).
    """
    story = calendar_flowables(fetch, first, last, view, plan_name, today)
    decor = pdf.PageDecor(title=f"{plan_name} calendar", footer=f"{plan_name} · calendar")
    hook = (lambda _canvas, doc: on_page(doc.page)) if on_page else None
    pdf.write_pdf(path, story, decor, pagesize=PAGE, margins_mm=(12, 12, 12, 18), on_page=hook)
    return (len(story) + 1) // 2
