"""The week view: seven day columns, an all-day band on top and an hour grid below.

Timed items sit on the hour grid (overlapping ones side by side); all-day and multi-day
items are bars in the band. The grid scrolls (it opens at about 08:00), the band and the
day headings stay; a red line marks the present moment on today's column.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import stack
from smarketing_desktop.domain.overlap import side_by_side
from smarketing_desktop.domain.spans import DAY_MINUTES, Span
from smarketing_desktop.gui import palette
from smarketing_desktop.gui.calendar_canvas import CalendarCanvas
from smarketing_desktop.gui.calendar_shapes import Drag, MoreMark, Shape, Slot
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_painter import crisp

GUTTER = 58.0  # the hour labels
HEAD = 46.0  # weekday and date
LANE = 22.0
BAR = 19.0
BAND_LANES = 4  # lanes the all-day band shows before "+N more"
HOUR = 44.0
START_HOUR = 8
MIN_BLOCK = 22  # minutes: the shortest block drawn, so a title fits
MIN_BLOCK_WIDTH = 44.0  # parallel items share a day down to this; the rest go in "+N"
BAND, GRID = 0, 1  # layers: the fixed top, the scrolling hour grid
LINES = palette.CALENDAR_GRID
HALF_HOUR = QColor("#f1f3f5")
ACCENT = palette.CALENDAR_ACCENT
NOW = QColor("#e03131")
TEXT = palette.CALENDAR_TEXT
MUTED = QColor("#7b8794")
WEEKEND = palette.CALENDAR_WEEKEND


def _runs_of(spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Overlapping ``[begin, end)`` spans merged: ``(begin, end, how many)`` each."""
    runs: list[list[int]] = []
    for begin, end in sorted(spans):
        if runs and begin < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
            runs[-1][2] += 1
        else:
            runs.append([begin, end, 1])
    return [(b, e, n) for b, e, n in runs]


def _on_grid(occurrence: Occurrence) -> bool:
    return Span.of(occurrence).within_day()


class WeekView(CalendarCanvas):
    """Seven days from Monday."""

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        self.col_w = 1.0
        self.band_h = LANE + 8
        self.band_lanes = 1
        self.grid_more: list[MoreMark] = []
        super().__init__(context, parent)
        self.setObjectName("weekView")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().setSingleStep(int(HOUR / 4))
        self.head_font = QFont(self.font())
        self.head_font.setPixelSize(11)
        self.head_font.setWeight(QFont.Weight.DemiBold)
        self.date_font = QFont(self.font())
        self.date_font.setPixelSize(18)
        self.hour_font = QFont(self.font())
        self.hour_font.setPixelSize(11)
        self.more_font = QFont(self.head_font)
        self._scrolled = False
        # The now-line moves with the clock.
        self.clock = QTimer(self)
        self.clock.setInterval(60_000)
        self.clock.timeout.connect(self.viewport().update)
        self.clock.start()
        self.setMinimumSize(360, 240)

    # --- period ---------------------------------------------------------------------------

    def period_for(self, day: dt.date) -> tuple[dt.date, dt.date]:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)

    def step_day(self, day: dt.date, periods: int) -> dt.date:
        return day + dt.timedelta(weeks=periods)

    def period_title(self) -> str:
        first, last = self.first, self.last
        if first.month == last.month:
            return f"{first.day} – {last.day} {last:%B %Y}"
        if first.year == last.year:
            return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
        return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"

    def nudge_amount(self, key_code: int) -> tuple[int, int]:
        # Up and down move timed items by a quarter of an hour here, not by a week.
        return {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -15),
            Qt.Key.Key_Down: (0, 15),
        }.get(Qt.Key(key_code), (0, 0))

    def arrow(self, code: int) -> None:
        if code in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            super().arrow(code)
            return
        # Up and down go through the focused day's items, earliest first.
        items = self.items_on(self.focus_day)
        if not items:
            return
        chosen = [n for n, o in enumerate(items) if (o.uid, o.recurrence_id) in self.selection]
        step = 1 if code == Qt.Key.Key_Down else -1
        index = (chosen[0] + step) % len(items) if chosen else 0 if step > 0 else len(items) - 1
        self._select([items[index]])
        self.ensure_visible(items[index])

    # --- geometry -------------------------------------------------------------------------

    @property
    def top(self) -> float:
        """Where the hour grid starts in the viewport."""
        return HEAD + self.band_h

    def grid_height(self) -> float:
        return 24 * HOUR

    def layer_offset(self, layer: int) -> QPointF:
        if layer == GRID:
            return QPointF(0, self.top - self.verticalScrollBar().value())
        return QPointF(0, 0)

    def layer_clip(self, layer: int) -> QRectF:
        rect = QRectF(self.viewport().rect())
        if layer == GRID:
            return QRectF(0, self.top, rect.width(), max(0.0, rect.height() - self.top))
        return QRectF(0, 0, rect.width(), self.top)

    def column_x(self, column: int) -> float:
        return GUTTER + column * self.col_w

    def y_of(self, minutes: float) -> float:
        """A time of day on the grid, in grid (content) coordinates."""
        return minutes / 60 * HOUR

    def _update_scroll_range(self) -> None:
        visible = max(0.0, self.viewport().height() - self.top)
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, int(self.grid_height() - visible)))
        bar.setPageStep(int(visible))
        if not self._scrolled and visible > 0:
            bar.setValue(int(START_HOUR * HOUR - HOUR / 3))
            self._scrolled = True

    def ensure_visible(self, occurrence: Occurrence) -> None:
        """Scroll the grid so a timed item can be seen."""
        if not _on_grid(occurrence):
            return
        begin, end = Span.of(occurrence).minutes()
        bar = self.verticalScrollBar()
        visible = self.viewport().height() - self.top
        top, bottom = self.y_of(begin), self.y_of(end)
        if top < bar.value():
            bar.setValue(int(top) - 8)
        elif bottom > bar.value() + visible:
            bar.setValue(int(bottom - visible) + 8)

    # --- layout ---------------------------------------------------------------------------

    def build_layout(self) -> None:
        width = self.viewport().width()
        self.col_w = max(1.0, (width - GUTTER) / 7)
        self.grid_more = []
        monday = self.first
        band_items = [o for o in self.occurrences if not _on_grid(o)]
        bars = stack(band_items, monday, 7)
        lanes = 1 + max((bar.lane for bar in bars), default=0)
        fit = min(lanes, BAND_LANES)
        self.band_lanes = fit
        self.band_h = fit * LANE + 10
        count = [0] * 7
        for bar in bars:
            for column in range(bar.first, bar.last + 1):
                count[column] += 1
        overflow = [n > fit for n in count]
        shown = [0] * 7
        for bar in bars:
            if bar.lane >= fit or (bar.lane == fit - 1 and any(overflow[bar.first : bar.last + 1])):
                continue
            real_start, real_end = not bar.cut_before, not bar.cut_after
            left = self.column_x(bar.first) + (3 if real_start else 0)
            right = self.column_x(bar.last + 1) - (3 if real_end else 0)
            timed = bar.occurrence.start_time is not None
            self.shapes.append(
                Shape(
                    bar.occurrence,
                    QRectF(left, HEAD + 5 + bar.lane * LANE, right - left, BAR),
                    BAND,
                    "bar",
                    starts_here=real_start and not timed,
                    ends_here=real_end and not timed,
                    cut_before=bar.cut_before,
                    cut_after=bar.cut_after,
                    lane=bar.lane,
                )
            )
            for column in range(bar.first, bar.last + 1):
                shown[column] += 1
        for column in range(7):
            if overflow[column]:
                rect = QRectF(
                    self.column_x(column) + 3, HEAD + 5 + (fit - 1) * LANE, self.col_w - 6, BAR
                )
                day = monday + dt.timedelta(days=column)
                self.more.append(MoreMark(rect, day, count[column] - shown[column], BAND))
        for column in range(7):
            day = monday + dt.timedelta(days=column)
            on_grid = [o for o in self.occurrences if o.start == day and _on_grid(o)]
            spans = [Span.of(o).minutes() for o in on_grid]
            shown_spans = [(b, max(e, b + MIN_BLOCK)) for b, e in spans]
            places = side_by_side(shown_spans)
            inner = self.col_w - 8
            most = max(2, int(inner // MIN_BLOCK_WIDTH))
            hidden: list[tuple[int, int]] = []
            for occurrence, (begin, end), (lane, lanes) in zip(on_grid, spans, places, strict=True):
                shown_end = max(end, begin + MIN_BLOCK)
                if lanes > most:
                    # Too many at once for slivers: the last column says how many more.
                    if lane >= most - 1:
                        hidden.append((begin, shown_end))
                        continue
                    lanes = most
                x = self.column_x(column) + 2 + inner * lane / lanes
                rect = QRectF(
                    x,
                    self.y_of(begin) + 1,
                    inner / lanes - 2,
                    self.y_of(shown_end) - self.y_of(begin) - 2,
                )
                self.shapes.append(
                    Shape(
                        occurrence,
                        rect,
                        GRID,
                        "block",
                        starts_here=True,
                        ends_here=True,
                        times=_times(begin, end),
                    )
                )
            x = self.column_x(column) + 2 + inner * (most - 1) / most
            for begin, _end, extra in _runs_of(hidden):
                rect = QRectF(x, self.y_of(begin) + 1, inner / most - 2, BAR)
                self.grid_more.append(MoreMark(rect, day, extra, GRID))
        self.more += self.grid_more
        self._update_scroll_range()

    # --- positions ------------------------------------------------------------------------

    def slot_at(self, pos: QPointF, clamp: bool = False) -> Slot | None:
        column = int((pos.x() - GUTTER) // self.col_w)
        if not 0 <= column < 7:
            if not clamp:
                return None
            column = min(6, max(0, column))
        day = self.first + dt.timedelta(days=column)
        if pos.y() < self.top:
            if pos.y() < HEAD and not clamp:
                return None
            return Slot(day)
        minutes = (pos.y() - self.top + self.verticalScrollBar().value()) / HOUR * 60
        if not 0 <= minutes < DAY_MINUTES and not clamp:
            return None
        return Slot(day, min(max(minutes, 0.0), DAY_MINUTES - 1.0))

    def slot_center(self, day: dt.date, minutes: int | None = None) -> QPointF:
        """The viewport point of a day in the band, or of a time on the grid (for tests)."""
        x = self.column_x((day - self.first).days) + self.col_w / 2
        if minutes is None:
            return QPointF(x, HEAD + self.band_h - 4)
        return QPointF(x, self.top + self.y_of(minutes) - self.verticalScrollBar().value() + 2)

    def _delta(self, drag: Drag, slot: Slot, span: Span | None = None) -> tuple[int, int]:
        days, minutes = super()._delta(drag, slot, span)
        lead = drag.shape.occurrence if drag.shape is not None else drag.items[0]
        if minutes and _on_grid(lead):
            # The grabbed item stays on the grid: it may not run past either midnight.
            begin, end = Span.of(lead).minutes()
            minutes = min(max(minutes, -begin), DAY_MINUTES - end)
        return days, minutes

    def ghost_rects(
        self, occurrence: Occurrence | None, span: Span, shape: Shape | None
    ) -> list[tuple[int, QRectF]]:
        if span.timed and span.within_day():
            begin, end = span.minutes()
            end = max(end, begin + MIN_BLOCK)
            column = (span.start - self.first).days
            if not 0 <= column < 7:
                return []
            return [
                (
                    GRID,
                    QRectF(
                        self.column_x(column) + 2,
                        self.y_of(begin) + 1,
                        self.col_w - 6,
                        self.y_of(end) - self.y_of(begin) - 2,
                    ),
                )
            ]
        first = max(0, (span.start - self.first).days)
        last = min(6, (span.end - self.first).days)
        if last < 0 or first > 6:
            return []
        lane = min(
            shape.lane if shape is not None and shape.layer == BAND else 0, self.band_lanes - 1
        )
        return [
            (
                BAND,
                QRectF(
                    self.column_x(first) + 3,
                    HEAD + 5 + lane * LANE,
                    self.column_x(last + 1) - self.column_x(first) - 6,
                    BAR,
                ),
            )
        ]

    def autoscroll(self, pos: QPointF) -> None:
        drag = self.drag
        if drag is None or drag.origin.minutes is None:
            return
        bar = self.verticalScrollBar()
        if pos.y() < self.top + 12:
            bar.setValue(bar.value() - int(HOUR / 4))
        elif pos.y() > self.viewport().height() - 12:
            bar.setValue(bar.value() + int(HOUR / 4))

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dirty = QRectF(event.rect())
        self._paint_grid(painter)
        self.paint_shapes(painter, GRID, dirty)
        self._paint_grid_more(painter)
        self._paint_now(painter)
        self._paint_top(painter)
        self.paint_shapes(painter, BAND, dirty)
        painter.setFont(self.more_font)
        painter.setPen(TEXT)
        for mark in self.more:
            if mark.layer != BAND:
                continue
            painter.drawText(
                mark.rect.adjusted(6, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"+{mark.count} more",
            )
        self.paint_ghosts(painter)
        painter.end()

    def _paint_grid_more(self, painter: QPainter) -> None:
        """The "+N" chips of hours with more parallel items than fit side by side."""
        painter.save()
        painter.setClipRect(self.layer_clip(GRID))
        painter.translate(self.layer_offset(GRID))
        painter.setFont(self.more_font)
        for mark in self.grid_more:
            painter.setPen(QPen(LINES, 1))
            painter.setBrush(QColor("#f1f3f5"))
            painter.drawRoundedRect(mark.rect, 4, 4)
            painter.setPen(TEXT)
            painter.drawText(mark.rect, Qt.AlignmentFlag.AlignCenter, f"+{mark.count}")
        painter.restore()

    def _paint_grid(self, painter: QPainter) -> None:
        rect = QRectF(self.viewport().rect())
        painter.fillRect(rect, QColor("#ffffff"))
        clip = self.layer_clip(GRID)
        painter.save()
        painter.setClipRect(clip)
        offset = self.layer_offset(GRID).y()
        for column in range(7):
            day = self.first + dt.timedelta(days=column)
            if day.weekday() >= 5:
                painter.fillRect(
                    QRectF(self.column_x(column), clip.top(), self.col_w, clip.height()), WEEKEND
                )
        painter.setFont(self.hour_font)
        first_hour = max(0, int((clip.top() - offset) // HOUR))
        last_hour = min(24, int((clip.bottom() - offset) // HOUR) + 1)
        with crisp(painter):
            for hour in range(first_hour, last_hour + 1):
                y = round(offset + hour * HOUR) + 0.5
                painter.setPen(QPen(LINES, 1))
                painter.drawLine(QPointF(GUTTER - 6, y), QPointF(rect.width(), y))
                half = round(offset + hour * HOUR + HOUR / 2) + 0.5
                painter.setPen(QPen(HALF_HOUR, 1))
                painter.drawLine(QPointF(GUTTER, half), QPointF(rect.width(), half))
            painter.setPen(QPen(LINES, 1))
            for column in range(8):
                x = round(self.column_x(column)) + 0.5
                painter.drawLine(QPointF(x, clip.top()), QPointF(x, clip.bottom()))
        for hour in range(first_hour, last_hour + 1):
            y = round(offset + hour * HOUR) + 0.5
            if 0 < hour < 24:
                painter.setPen(MUTED)
                painter.drawText(
                    QRectF(0, y - 8, GUTTER - 10, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{hour:02d}:00",
                )
        if self.hasFocus() and self.first <= self.focus_day <= self.last:
            column = (self.focus_day - self.first).days
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(
                QRectF(self.column_x(column) + 1, clip.top() + 1, self.col_w - 2, clip.height() - 2)
            )
        painter.restore()

    def _paint_now(self, painter: QPainter) -> None:
        now = dt.datetime.now()
        column = (now.date() - self.first).days
        if not 0 <= column < 7:
            return
        y = self.layer_offset(GRID).y() + self.y_of(now.hour * 60 + now.minute)
        if not self.layer_clip(GRID).contains(QPointF(self.column_x(column) + 1, y)):
            return
        painter.setPen(QPen(NOW, 2))
        left, right = self.column_x(column), self.column_x(column + 1)
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(NOW)
        painter.drawEllipse(QPointF(left, y), 5, 5)

    def _paint_top(self, painter: QPainter) -> None:
        width = self.viewport().width()
        painter.fillRect(QRectF(0, 0, width, self.top), QColor("#ffffff"))
        today = dt.date.today()
        for column in range(7):
            day = self.first + dt.timedelta(days=column)
            x = self.column_x(column)
            if day.weekday() >= 5:
                painter.fillRect(QRectF(x, HEAD, self.col_w, self.band_h), WEEKEND)
            painter.setFont(self.head_font)
            painter.setPen(ACCENT if day == today else MUTED)
            painter.drawText(
                QRectF(x + 8, 4, self.col_w - 8, 16),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{day:%a}".upper(),
            )
            number = QRectF(x + 4, 20, 32, 24)
            if day == today:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(ACCENT)
                painter.drawEllipse(number.center(), 14, 12)
                painter.setPen(QColor("#ffffff"))
            else:
                painter.setPen(TEXT)
            painter.setFont(self.date_font)
            painter.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        painter.setFont(self.hour_font)
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(0, HEAD, GUTTER - 10, LANE + 6),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "all day",
        )
        painter.setPen(QPen(LINES, 1))
        for column in range(8):
            x = round(self.column_x(column)) + 0.5
            painter.drawLine(QPointF(x, HEAD - 6), QPointF(x, self.top))
        painter.drawLine(QPointF(0, round(self.top) - 0.5), QPointF(width, round(self.top) - 0.5))
        painter.setPen(QPen(QColor("#cfd6dd"), 1))
        painter.drawLine(QPointF(0, round(self.top) + 0.5), QPointF(width, round(self.top) + 0.5))


def _times(begin: int, end: int) -> str:
    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    return f"{clock(begin)} – {clock(end)}"
