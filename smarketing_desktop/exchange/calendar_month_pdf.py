"""The printed month: a grid of weeks whose rows are as tall as their items need.

A busy week gets more room than a quiet one; what still does not fit is listed under the
grid ("Also on the calendar") or, when that list is long, on pages right after the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import Bar, hidden_per_day, last_day, month_weeks, stack
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.calendar_marks import CalendarPage, draw_bar
from smarketing_desktop.exchange.calendar_overflow import (
    HEADING,
    LINE,
    draw_list,
    list_height,
    overflow_order,
    rows_for,
)

BAR = 4.3 * mm
PITCH = BAR + 0.6
HEADER = 5 * mm  # the weekday names
DAY_HEAD = 5.2 * mm  # the day number in a cell
MIN_ROW = 16 * mm
LIST_COLUMNS = 4  # under the grid
PAGE_COLUMNS = 3  # on a page of its own
# The list goes under the grid when it is at most this many lines per column.
MAX_LIST_ROWS = 8
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class MonthLayout:
    """Where a month's weeks go, and what they leave out."""

    weeks: list[dt.date]
    bars: list[list[Bar]]
    heights: list[float]
    lanes: list[int]  # lanes shown per week
    left_out: list[Occurrence]


def _row_needs(lanes: int) -> float:
    return max(MIN_ROW, DAY_HEAD + lanes * PITCH + 1.2 * mm)


def _lanes_in(height: float, needed: int) -> int:
    room = int((height - DAY_HEAD - 1.2 * mm) // PITCH)
    # A week that cannot show all its items gives its last lane to "+N listed".
    return needed if needed <= room else max(0, room - 1)


def _heights(needs: list[float], room: float) -> list[float]:
    """Rows by their content within ``room``: spare room shared evenly, or the tallest
    rows capped at one height (found by halving) when the weeks want more than the page."""
    total = sum(needs)
    if total <= room:
        extra = (room - total) / len(needs)
        return [need + extra for need in needs]
    low, high = MIN_ROW, max(needs)
    for _ in range(40):
        cap = (low + high) / 2
        if sum(min(need, cap) for need in needs) > room:
            high = cap
        else:
            low = cap
    heights = [min(need, low) for need in needs]
    spare = room - sum(heights)
    capped = [i for i, need in enumerate(needs) if need > low] or list(range(len(needs)))
    for index in capped:
        heights[index] += spare / len(capped)
    return heights


def lay_out_month(
    year: int, month: int, occurrences: Sequence[Occurrence], room: float
) -> MonthLayout:
    """The week rows of a month in ``room`` points of height (below the weekday names)."""
    weeks = month_weeks(year, month)
    bars = [stack(occurrences, monday, 7) for monday in weeks]
    needed = [max((b.lane for b in week), default=-1) + 1 for week in bars]
    heights = _heights([_row_needs(n) for n in needed], room)
    lanes = [_lanes_in(h, n) for h, n in zip(heights, needed, strict=True)]
    left_out = []
    for monday, week, shown in zip(weeks, bars, lanes, strict=True):
        for bar in week:
            if bar.lane < shown:
                continue
            o = bar.occurrence
            # Days of the months around it are that month's page's to list.
            first = max(o.start, monday + dt.timedelta(days=bar.first))
            last = min(last_day(o), monday + dt.timedelta(days=bar.last))
            if any(
                (first + dt.timedelta(days=d)).month == month
                for d in range((last - first).days + 1)
            ):
                left_out.append(o)
    return MonthLayout(weeks, bars, heights, lanes, overflow_order(left_out))


class MonthPage(CalendarPage):
    """One month's grid, with the items it has no room for listed under it (when they
    are few) or on the ``OverflowPage`` pages that follow it."""

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
        self.listed_here: list[Occurrence] = []
        self.listed_after: list[Occurrence] = []
        self.layout: MonthLayout | None = None
        self.list_pages = 0  # pages after this one that list what the grid leaves out

    def plan(self, body_height: float) -> None:
        """Lay the month out for a body ``body_height`` high: the grid takes the whole
        page, or gives the list room under it when what it leaves out is short enough."""
        room = body_height - HEADER
        layout = lay_out_month(self.year, self.month, self.occurrences, room)
        if not layout.left_out:
            self.layout, self.listed_here, self.listed_after = layout, [], []
            return
        rows = rows_for(len(layout.left_out), LIST_COLUMNS)
        while rows <= MAX_LIST_ROWS:
            band = list_height(rows * LIST_COLUMNS, LIST_COLUMNS)
            shorter = lay_out_month(self.year, self.month, self.occurrences, room - band)
            if rows_for(len(shorter.left_out), LIST_COLUMNS) <= rows:
                self.layout, self.listed_here = shorter, shorter.left_out
                self.listed_after = []
                return
            rows += 1
        self.layout, self.listed_here, self.listed_after = layout, [], layout.left_out

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        layout = self.layout
        assert layout is not None
        column = width / 7
        canvas.setFont(pdf.FONT_BOLD, 8)
        canvas.setFillColor(pdf.MUTED)
        for index, name in enumerate(WEEKDAYS):
            canvas.drawString(x + index * column + 2, y + height - HEADER + 4, name)
        if self.listed_here:
            where = "listed below"
        else:
            where = "on the next page" if self.list_pages == 1 else "on the next pages"
        top = y + height - HEADER
        for monday, bars, row, lanes in zip(
            layout.weeks, layout.bars, layout.heights, layout.lanes, strict=True
        ):
            hidden = hidden_per_day(bars, lanes, 7)
            for day in range(7):
                date = monday + dt.timedelta(days=day)
                self._cell(canvas, date, x + day * column, top, column, row)
                if hidden[day]:
                    canvas.setFont(pdf.FONT, 6.8)
                    canvas.setFillColor(pdf.INK)
                    canvas.drawRightString(
                        x + (day + 1) * column - 2, top - row + 2.2, f"+{hidden[day]} {where}"
                    )
            for bar in bars:
                if bar.lane >= lanes:
                    continue
                bar_top = top - DAY_HEAD - bar.lane * PITCH
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
            top -= row
        if self.listed_here:
            draw_list(
                canvas,
                self.listed_here,
                x,
                top - 2 * mm,
                width,
                LIST_COLUMNS,
                f"Also on the calendar in {dt.date(self.year, self.month, 1):%B}",
            )

    def _cell(
        self, canvas: Canvas, date: dt.date, left: float, top: float, column: float, row: float
    ) -> None:
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


class OverflowPage(CalendarPage):
    """A page of the items a month's grid had no room for."""

    def __init__(
        self, title: str, subtitle: str, entries: Sequence[Occurrence], heading: str
    ) -> None:
        super().__init__(title, subtitle)
        self.entries, self.heading = entries, heading

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        draw_list(canvas, self.entries, x, y + height, width, PAGE_COLUMNS, self.heading)


def overflow_pages(page: MonthPage, body_height: float) -> list[OverflowPage]:
    """The pages after ``page`` that list what its grid leaves out (none when it fits)."""
    entries = page.listed_after
    if not entries:
        return []
    per_column = max(1, int((body_height - HEADING - 2 * mm) // LINE))
    per_page = per_column * PAGE_COLUMNS
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)]
    month = dt.date(page.year, page.month, 1)
    page.list_pages = len(chunks)
    result = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" ({index} of {len(chunks)})" if len(chunks) > 1 else ""
        result.append(
            OverflowPage(
                f"{month:%B %Y}: also on the calendar{part}",
                page.subtitle,
                chunk,
                f"{len(entries)} items the grid of {month:%B} has no room for, by day",
            )
        )
    return result
