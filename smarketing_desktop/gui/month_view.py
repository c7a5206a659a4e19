"""The month view: a grid of weeks (Monday first) with items as bars and chips.

Multi-day items run as continuous bars across days and week rows, stacked without overlap
(``domain.layout.stack``); timed items are compact chips with their start time; a day
with more than fits shows "+N more", which lists them all.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import Bar, month_weeks, stack
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui import palette
from smarketing_desktop.gui.calendar_canvas import CalendarCanvas
from smarketing_desktop.gui.calendar_shapes import MoreMark, Shape, Slot
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_painter import crisp

HEADER = 30.0  # the weekday names
DAY_LABEL = 23.0  # the top of a cell, with its day number
LANE = 19.0
BAR = 17.0
# A week row shows at least two items and "+N more"; a short window scrolls the weeks.
MIN_ROW = DAY_LABEL + 3 + 3 * LANE + 1
GRID = palette.CALENDAR_GRID
ACCENT = palette.CALENDAR_ACCENT
OTHER_MONTH = QColor("#f7f8fa")
WEEKEND = palette.CALENDAR_WEEKEND
MUTED_TEXT = QColor("#a0aab4")
DAY_TEXT = palette.CALENDAR_TEXT
HEADER_TEXT = QColor("#7b8794")
MORE_TEXT = palette.CALENDAR_TEXT
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _is_chip(occurrence: Occurrence) -> bool:
    return Span.of(occurrence).within_day()


class MonthView(CalendarCanvas):
    """A month as weeks of day cells."""

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        self.month = dt.date.today().replace(day=1)
        self.weeks = month_weeks(self.month.year, self.month.month)
        self.col_w = self.row_h = 1.0
        self.fit = 1
        super().__init__(context, parent)
        self.setObjectName("monthView")
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().setSingleStep(int(LANE))
        self.number_font = QFont(self.font())
        self.number_font.setPixelSize(12)
        self.today_font = QFont(self.number_font)
        self.today_font.setBold(True)
        self.header_font = QFont(self.font())
        self.header_font.setPixelSize(11)
        self.header_font.setWeight(QFont.Weight.DemiBold)
        self.more_font = QFont(self.font())
        self.more_font.setPixelSize(11)
        self.more_font.setWeight(QFont.Weight.DemiBold)
        self.setMinimumSize(360, 240)

    # --- period ---------------------------------------------------------------------------

    def period_for(self, day: dt.date) -> tuple[dt.date, dt.date]:
        weeks = month_weeks(day.year, day.month)
        return weeks[0], weeks[-1] + dt.timedelta(days=6)

    def show_day(self, day: dt.date) -> None:
        month = day.replace(day=1)
        if month != self.month:
            self.month = month
            self.weeks = month_weeks(month.year, month.month)
            self.dirty = True
            self.verticalScrollBar().setValue(0)
        super().show_day(day)
        self.ensure_day_visible(day)

    def step_day(self, day: dt.date, periods: int) -> dt.date:
        target = add_months(self.month, periods)
        if (day.year, day.month) != (self.month.year, self.month.month):
            return target
        following = add_months(target, 1)
        return target.replace(day=min(day.day, (following - dt.timedelta(days=1)).day))

    def period_title(self) -> str:
        return f"{self.month:%B %Y}"

    # --- keyboard -------------------------------------------------------------------------

    def arrow(self, code: int) -> None:
        self.arrow_through_day(code)

    # --- layout ---------------------------------------------------------------------------

    @property
    def scrolled(self) -> float:
        """How far the weeks are scrolled up (the weekday names stay)."""
        return float(self.verticalScrollBar().value())

    def layer_offset(self, layer: int) -> QPointF:
        return QPointF(0, -self.scrolled)

    def layer_clip(self, layer: int) -> QRectF:
        rect = QRectF(self.viewport().rect())
        return QRectF(0, HEADER, rect.width(), max(0.0, rect.height() - HEADER))

    def cell_rect(self, day: dt.date) -> QRectF:
        """Where a day's cell is (in viewport coordinates)."""
        offset = (day - self.weeks[0]).days
        row, column = divmod(offset, 7)
        top = HEADER + row * self.row_h - self.scrolled
        return QRectF(column * self.col_w, top, self.col_w, self.row_h)

    def ensure_day_visible(self, day: dt.date) -> None:
        """Scroll the weeks so ``day``'s cell can be seen."""
        if not self.weeks[0] <= day <= self.weeks[-1] + dt.timedelta(days=6):
            return
        cell = self.cell_rect(day)
        bar = self.verticalScrollBar()
        if cell.top() < HEADER:
            bar.setValue(bar.value() - int(HEADER - cell.top()) - 1)
        elif cell.bottom() > self.viewport().height():
            bar.setValue(bar.value() + int(cell.bottom() - self.viewport().height()) + 1)

    def focus_on(self, day: dt.date) -> None:
        super().focus_on(day)
        self.ensure_day_visible(day)

    def autoscroll(self, pos: QPointF) -> None:
        if self.drag is None:
            return
        bar = self.verticalScrollBar()
        if pos.y() < HEADER + 12:
            bar.setValue(bar.value() - int(LANE))
        elif pos.y() > self.viewport().height() - 12:
            bar.setValue(bar.value() + int(LANE))

    def build_layout(self) -> None:
        size = self.viewport().size()
        rows = len(self.weeks)
        self.col_w = size.width() / 7
        self.row_h = max(MIN_ROW, (size.height() - HEADER) / rows)
        scroll = self.verticalScrollBar()
        visible = max(0.0, size.height() - HEADER)
        scroll.setRange(0, max(0, int(self.row_h * rows - visible)))
        scroll.setPageStep(int(visible))
        self.fit = max(1, int((self.row_h - DAY_LABEL - 3) // LANE))
        fit = self.fit
        occurrences = self.occurrences
        for row, monday in enumerate(self.weeks):
            sunday = monday + dt.timedelta(days=6)
            week = [o for o in occurrences if o.start <= sunday and o.end >= monday]
            if not week:
                continue
            bars = stack(week, monday, 7)
            count = [0] * 7
            for bar in bars:
                for column in range(bar.first, bar.last + 1):
                    count[column] += 1
            overflow = [n > fit for n in count]
            shown = [0] * 7
            top = HEADER + row * self.row_h + DAY_LABEL
            for bar in bars:
                if bar.lane < fit - 1:
                    runs = [(bar.first, bar.last)]
                elif bar.lane == fit - 1:
                    runs = _runs(bar.first, bar.last, overflow)
                else:
                    continue
                for first, last in runs:
                    self._add_bar(bar.occurrence, bar, first, last, top)
                    for column in range(first, last + 1):
                        shown[column] += 1
            for column in range(7):
                if overflow[column]:
                    rect = QRectF(
                        column * self.col_w + 4,
                        top + (fit - 1) * LANE,
                        self.col_w - 8,
                        BAR,
                    )
                    day = monday + dt.timedelta(days=column)
                    self.more.append(MoreMark(rect, day, count[column] - shown[column]))

    def _add_bar(self, occurrence: Occurrence, bar: Bar, first: int, last: int, top: float) -> None:
        y = top + bar.lane * LANE
        if _is_chip(occurrence):
            rect = QRectF(first * self.col_w + 3, y, self.col_w - 6, BAR)
            self.shapes.append(Shape(occurrence, rect, style="chip", lane=bar.lane))
            return
        real_start = first == bar.first and not bar.cut_before
        real_end = last == bar.last and not bar.cut_after
        left = first * self.col_w + (4 if real_start else 0)
        right = (last + 1) * self.col_w - (4 if real_end else 0)
        timed = occurrence.start_time is not None
        self.shapes.append(
            Shape(
                occurrence,
                QRectF(left, y, right - left, BAR),
                style="bar",
                starts_here=real_start and not timed,
                ends_here=real_end and not timed,
                cut_before=not real_start,
                cut_after=not real_end,
                lane=bar.lane,
            )
        )

    # --- positions ------------------------------------------------------------------------

    def slot_at(self, pos: QPointF, clamp: bool = False) -> Slot | None:
        rows = len(self.weeks)
        column = int(pos.x() // self.col_w)
        row = int((pos.y() - HEADER + self.scrolled) // self.row_h)
        inside = 0 <= column < 7 and 0 <= row < rows and pos.y() >= HEADER
        if not inside and not clamp:
            return None
        column = min(6, max(0, column))
        row = min(rows - 1, max(0, row))
        return Slot(self.weeks[row] + dt.timedelta(days=column))

    def day_at_header(self, pos: QPointF) -> dt.date | None:
        slot = self.slot_at(pos)
        if slot is None:
            return None
        number = self._number_rect(self.cell_rect(slot.day), slot.day)
        return slot.day if number.contains(pos) else None

    def _number_rect(self, cell: QRectF, day: dt.date) -> QRectF:
        width = 24.0 if day.day != 1 else 44.0
        return QRectF(cell.left() + 5, cell.top() + 2, width, 20)

    def ghost_rects(
        self, occurrence: Occurrence | None, span: Span, shape: Shape | None
    ) -> list[tuple[int, QRectF]]:
        lane = min(shape.lane if shape is not None else 0, self.fit - 1)
        rects = []
        for row, monday in enumerate(self.weeks):
            sunday = monday + dt.timedelta(days=6)
            if span.end < monday or span.start > sunday:
                continue
            first = max(0, (span.start - monday).days)
            last = min(6, (span.end - monday).days)
            y = HEADER + row * self.row_h + DAY_LABEL + lane * LANE
            rects.append(
                (0, QRectF(first * self.col_w + 3, y, (last - first + 1) * self.col_w - 6, BAR))
            )
        return rects

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dirty = QRectF(event.rect())
        self._paint_grid(painter)
        self.paint_shapes(painter, 0, dirty)
        painter.save()
        painter.setClipRect(self.layer_clip(0))
        painter.translate(self.layer_offset(0))
        self._paint_more(painter)
        painter.restore()
        self.paint_ghosts(painter)
        painter.end()

    def _paint_grid(self, painter: QPainter) -> None:
        width = self.viewport().width()
        height = HEADER + self.row_h * len(self.weeks) - self.scrolled
        painter.fillRect(self.viewport().rect(), QColor("#ffffff"))
        painter.setFont(self.header_font)
        painter.setPen(HEADER_TEXT)
        for column, name in enumerate(WEEKDAYS):
            painter.drawText(
                QRectF(column * self.col_w, 0, self.col_w, HEADER),
                Qt.AlignmentFlag.AlignCenter,
                name.upper(),
            )
        painter.save()
        painter.setClipRect(self.layer_clip(0))
        today = dt.date.today()
        focused = self.hasFocus()
        metrics = QFontMetricsF(self.number_font)
        for offset in range(len(self.weeks) * 7):
            day = self.weeks[0] + dt.timedelta(days=offset)
            cell = self.cell_rect(day)
            inside = day.month == self.month.month
            if not inside:
                painter.fillRect(cell, OTHER_MONTH)
            elif day.weekday() >= 5:
                painter.fillRect(cell, WEEKEND)
            number = self._number_rect(cell, day)
            text = str(day.day) if day.day != 1 else f"{day.day} {day:%b}"
            if day == today:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(ACCENT)
                circle = max(number.height(), metrics.horizontalAdvance(text) + 10)
                pill = QRectF(number.left(), number.top(), circle, number.height())
                painter.drawRoundedRect(pill, number.height() / 2, number.height() / 2)
                painter.setFont(self.today_font)
                painter.setPen(QColor("#ffffff"))
                painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            else:
                painter.setPen(DAY_TEXT if inside else MUTED_TEXT)
                font = self.today_font if day.day == 1 else self.number_font
                self.item_painter.line(painter, number.adjusted(5, 0, 20, 0), text, font)
            if focused and day == self.focus_day:
                painter.setPen(QPen(ACCENT, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(cell.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(GRID, 1))
        with crisp(painter):
            for row in range(1, len(self.weeks)):
                y = round(HEADER + row * self.row_h - self.scrolled) + 0.5
                painter.drawLine(QPointF(0, y), QPointF(width, y))
            for column in range(1, 7):
                x = round(column * self.col_w) + 0.5
                painter.drawLine(QPointF(x, HEADER), QPointF(x, height))
        painter.restore()
        with crisp(painter):
            painter.drawLine(QPointF(0, HEADER - 0.5), QPointF(width, HEADER - 0.5))

    def _paint_more(self, painter: QPainter) -> None:
        painter.setPen(MORE_TEXT)
        for mark in self.more:
            text = f"+{mark.count} more"
            self.item_painter.line(painter, mark.rect.adjusted(6, 0, 0, 0), text, self.more_font)


def _runs(first: int, last: int, blocked: list[bool]) -> list[tuple[int, int]]:
    """The stretches of ``first``..``last`` whose columns are not ``blocked``."""
    runs: list[tuple[int, int]] = []
    start = None
    for column in range(first, last + 1):
        if blocked[column]:
            if start is not None:
                runs.append((start, column - 1))
                start = None
        elif start is None:
            start = column
    if start is not None:
        runs.append((start, last))
    return runs
