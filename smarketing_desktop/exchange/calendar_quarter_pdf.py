"""The printed quarter: a timeline with a lane per team, split over pages when full.

Every item gets its bar: lanes never overlap, and when a quarter holds more rows than a
page, the rows go on to further pages of the same quarter rather than a "+N more".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import Bar, stack
from smarketing_desktop.domain.words import Team
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.calendar_marks import CalendarPage, draw_bar, fit, label

AXIS = 9 * mm
GUTTER = 26 * mm
LABEL_ROOM = 46 * mm
LANE_LABEL = 11 * mm  # a lane is at least as tall as its name and count
LANE_PAD = 2 * mm
MIN_BAR = 3.2 * mm
MAX_BAR = 5 * mm
GAP = 0.6


@dataclass(frozen=True)
class Segment:
    """Rows ``first_row`` .. ``first_row + rows - 1`` of a team's lane, on one page."""

    team: Team
    first_row: int
    rows: int
    items: int


def label_side(o: Occurrence, column: int, days: int, day_width: float) -> tuple[str, int]:
    """Where a bar's title goes on the timeline, and how many day columns it takes there:
    ``inside`` a bar long enough, ``after`` a short one, or ``before`` a short one at the
    end of the quarter (so the title is not cut at the page's edge)."""
    text_width = stringWidth(label(o), pdf.FONT, 7.2) + 6
    if text_width <= o.days * day_width:
        return "inside", 0
    columns = math.ceil(min(text_width, LABEL_ROOM) / day_width)
    if column + o.days + columns > days and column >= columns:
        return "before", columns
    return "after", columns


def quarter_end(first: dt.date) -> dt.date:
    after = dt.date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return after - dt.timedelta(days=1)


def _lane_height(rows: int, bar: float) -> float:
    return max(LANE_LABEL, max(1, rows) * (bar + GAP) + LANE_PAD)


def paginate(
    rows: dict[Team, int], items: dict[Team, int], room: float
) -> tuple[float, list[list[Segment]]]:
    """The bar height, and the lane segments of each page, for lanes of ``rows`` rows in
    ``room`` points: one page with bars as tall as fit (up to ``MAX_BAR``), or pages of
    ``MIN_BAR`` rows filled in team order, a team's lane going on where the last page ended."""
    if sum(_lane_height(n, MIN_BAR) for n in rows.values()) <= room:
        low, high = MIN_BAR, MAX_BAR
        for _ in range(30):
            middle = (low + high) / 2
            if sum(_lane_height(n, middle) for n in rows.values()) <= room:
                low = middle
            else:
                high = middle
        return low, [[Segment(team, 0, n, items[team]) for team, n in rows.items()]]
    pitch = MIN_BAR + GAP
    pages: list[list[Segment]] = []
    page: list[Segment] = []
    used = 0.0
    for team, total in rows.items():
        start = 0
        while True:
            space = room - used
            fit_rows = int((space - LANE_PAD) // pitch)
            full = space < LANE_LABEL or (total > start and fit_rows < 1)
            if full and page:
                pages.append(page)
                page, used = [], 0.0
                continue
            take = min(total - start, max(1, fit_rows))
            page.append(Segment(team, start, take, items[team]))
            used += _lane_height(take, MIN_BAR)
            start += take
            if start >= total:
                break
    pages.append(page)
    return MIN_BAR, [p for p in pages if p]


class QuarterPage(CalendarPage):
    """One page of a quarter's timeline: its lane segments, bars for every row in them."""

    def __init__(
        self,
        first: dt.date,
        occurrences: Sequence[Occurrence],
        subtitle: str,
        today: dt.date,
        *,
        stacks: dict[Team, list[Bar]] | None = None,
        segments: Sequence[Segment] = (),
        bar: float = MAX_BAR,
        part: tuple[int, int] = (1, 1),
    ) -> None:
        quarter = (first.month - 1) // 3 + 1
        index, count = part
        more = f" ({index} of {count})" if count > 1 else ""
        super().__init__(f"Q{quarter} {first.year}: timeline{more}", subtitle)
        self.first, self.occurrences, self.today = first, occurrences, today
        self.last = quarter_end(first)
        self.stacks = stacks or {}
        self.segments, self.bar = segments, bar

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        days = (self.last - self.first).days + 1
        day_width = (width - GUTTER) / days
        left = x + GUTTER
        self._axis(canvas, left, y, height, day_width, days)
        cursor = y + height - AXIS
        bar = self.bar
        for segment in self.segments:
            lane_height = _lane_height(segment.rows, bar)
            canvas.setStrokeColor(pdf.RULE)
            canvas.setLineWidth(0.5)
            canvas.line(x, cursor - lane_height, x + width, cursor - lane_height)
            self._lane_label(canvas, segment, x, cursor)
            rows = range(segment.first_row, segment.first_row + segment.rows)
            for b in self.stacks.get(segment.team, []):
                if b.lane not in rows:
                    continue
                top = cursor - 1 * mm - (b.lane - segment.first_row) * (bar + GAP)
                start = left + b.first * day_width + 0.5
                bar_width = max((b.last - b.first + 1) * day_width - 1, 2)
                _, columns = label_side(b.occurrence, b.first, days, day_width)
                draw_bar(
                    canvas,
                    b.occurrence,
                    start,
                    top - bar,
                    bar_width,
                    bar,
                    cut_before=b.cut_before,
                    cut_after=b.cut_after,
                    # Up to the page's right margin, where the title is cut with "…".
                    beside=max(0, min(LABEL_ROOM, x + width - start - bar_width - 2)),
                    before=columns * day_width - 2 if b.title_before else 0,
                )
            cursor -= lane_height

    def _lane_label(self, canvas: Canvas, segment: Segment, x: float, cursor: float) -> None:
        room = GUTTER - 2 * mm
        canvas.setFillColor(pdf.INK)
        canvas.setFont(pdf.FONT_BOLD, 9)
        canvas.drawString(x, cursor - 5 * mm, fit(segment.team.label, room, 9, pdf.FONT_BOLD))
        canvas.setFont(pdf.FONT, 7)
        canvas.setFillColor(pdf.MUTED)
        if segment.first_row:
            note = "continued"
        else:
            note = f"{segment.items:,} item{'s' if segment.items != 1 else ''}"
        canvas.drawString(x, cursor - 9 * mm, fit(note, room, 7))

    def _axis(
        self, canvas: Canvas, left: float, y: float, height: float, day_width: float, days: int
    ) -> None:
        """Months and weeks along the top, and today's line."""
        for offset in range(days):
            date = self.first + dt.timedelta(days=offset)
            px = left + offset * day_width
            if date.day == 1:
                canvas.setFont(pdf.FONT_BOLD, 8.5)
                canvas.setFillColor(pdf.INK)
                canvas.drawString(px + 2, y + height - 10, date.strftime("%B"))
                canvas.setStrokeColor(pdf.INK)
                canvas.setLineWidth(0.7)
                canvas.line(px, y, px, y + height - 2)
            elif date.weekday() == 0:
                canvas.setFont(pdf.FONT, 6.5)
                canvas.setFillColor(pdf.MUTED)
                canvas.drawString(px + 1, y + height - AXIS + 2, str(date.day))
                canvas.setStrokeColor(pdf.RULE)
                canvas.setLineWidth(0.3)
                canvas.line(px, y, px, y + height - AXIS)
        if self.first <= self.today <= self.last:
            px = left + ((self.today - self.first).days + 0.5) * day_width
            canvas.setStrokeColor(colors.HexColor("#e03131"))
            canvas.setLineWidth(1)
            canvas.line(px, y, px, y + height - AXIS)


def quarter_pages(
    first: dt.date,
    occurrences: Sequence[Occurrence],
    subtitle: str,
    today: dt.date,
    width: float,
    body_height: float,
) -> list[QuarterPage]:
    """The pages of the quarter starting ``first`` for a body of ``width`` by
    ``body_height`` points: one, or as many as its rows need."""
    last = quarter_end(first)
    days = (last - first).days + 1
    day_width = (width - GUTTER) / days
    lanes = {team: [o for o in occurrences if o.team == team.value] for team in Team}

    def extent(o: Occurrence) -> int:
        # A short bar keeps room after it in its row for its title...
        side, columns = label_side(o, (o.start - first).days, days, day_width)
        return o.days + columns if side == "after" else o.days

    def lead(o: Occurrence, column: int) -> int:
        # ...or before it, at the end of the quarter where there is no room after it.
        side, columns = label_side(o, column, days, day_width)
        return columns if side == "before" else 0

    stacks = {team: stack(items, first, days, extent, lead) for team, items in lanes.items()}
    rows = {team: max((b.lane for b in bars), default=-1) + 1 for team, bars in stacks.items()}
    counts = {team: len(items) for team, items in lanes.items()}
    bar, pages = paginate(rows, counts, body_height - AXIS)
    return [
        QuarterPage(
            first,
            occurrences,
            subtitle,
            today,
            stacks=stacks,
            segments=segments,
            bar=bar,
            part=(index, len(pages)),
        )
        for index, segments in enumerate(pages, start=1)
    ]
