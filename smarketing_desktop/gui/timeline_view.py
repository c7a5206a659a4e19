"""The quarter timeline: three months as horizontal time, one swim lane per team, kind or
persona, so a manager sees campaigns, promotions and tradeshows in one picture.

Month and week headings stay on top and lane headings on the left while the body
scrolls; Ctrl+wheel (or the tab's buttons) zooms, in pixels per day.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import stack
from smarketing_desktop.domain.overlap import EVERYONE, GROUPINGS, LaneGroup, timeline_lanes
from smarketing_desktop.domain.periods import quarter_start
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui.calendar_canvas import CalendarCanvas
from smarketing_desktop.gui.calendar_shapes import Shape, Slot
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_painter import crisp, label
from smarketing_desktop.gui.month_view import add_months
from smarketing_desktop.gui.palette import TEAM_COLOURS, initials, kind_colour
from smarketing_desktop.services.personas import list_persona_cards

SIDE_W = 200.0  # the lane headings
MONTH_H = 26.0
WEEK_H = 24.0
HEAD_H = MONTH_H + WEEK_H
ROW = 27.0
BAR = 20.0
PAD = 10.0
MIN_PPD, MAX_PPD = 4.0, 96.0
ZOOM_STEP = 1.25
OUTSIDE_ROOM = 24.0  # pixels left before the quarter ends to write a title beside a bar
CORNER, TOP, SIDE, BODY = 0, 1, 2, 3  # layers
LINES = QColor("#e4e7eb")
MONTH_LINE = QColor("#c5ccd3")
WEEKEND = QColor(245, 247, 250)
BAND_ODD = QColor("#fbfcfd")
TEXT = QColor("#1f2933")
MUTED = QColor("#7b8794")
TODAY = QColor("#e03131")
HEADER_BG = QColor("#ffffff")
SIDE_BG = QColor("#f8fafc")


class TimelineView(CalendarCanvas):
    """A calendar quarter in swim lanes.

    Signals:
        zoom_changed(float): the pixels per day changed (0 when fitted to the width).
    """

    zoom_changed = Signal(float)

    def __init__(
        self,
        context: PlanContext,
        parent: QWidget | None = None,
        *,
        grouping: str = "team",
        zoom: float = 0.0,
    ) -> None:
        self.grouping = grouping if grouping in GROUPINGS else "team"
        self.ppd = zoom if zoom > 0 else 12.0
        self.fitted = zoom <= 0
        self.groups: list[tuple[LaneGroup, float, float]] = []  # group, top, height
        self.personas: list[tuple[str, str]] = []
        self.content_w = self.content_h = 0.0
        self._pointer_y = 0.0
        self._widths: dict[str, float] = {}
        super().__init__(context, parent)
        self.setObjectName("timelineView")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.month_font = QFont(self.font())
        self.month_font.setPixelSize(13)
        self.month_font.setWeight(QFont.Weight.DemiBold)
        self.week_font = QFont(self.font())
        self.week_font.setPixelSize(11)
        self.lane_font = QFont(self.font())
        self.lane_font.setPixelSize(13)
        self.lane_font.setWeight(QFont.Weight.DemiBold)
        self.count_font = QFont(self.font())
        self.count_font.setPixelSize(11)
        self.mark_font = QFont(self.font())
        self.mark_font.setPixelSize(10)
        self.mark_font.setBold(True)
        self.setMinimumSize(400, 240)

    # --- period, grouping, zoom -----------------------------------------------------------

    def period_for(self, day: dt.date) -> tuple[dt.date, dt.date]:
        first = quarter_start(day)
        return first, add_months(first, 3) - dt.timedelta(days=1)

    def step_day(self, day: dt.date, periods: int) -> dt.date:
        first = quarter_start(day)
        target = add_months(first, 3 * periods)
        offset = (day.year * 12 + day.month) - (first.year * 12 + first.month)
        month = add_months(target, offset)
        following = add_months(month, 1)
        return month.replace(day=min(day.day, (following - dt.timedelta(days=1)).day))

    def period_title(self) -> str:
        quarter = (self.first.month - 1) // 3 + 1
        return f"Q{quarter} {self.first.year} · {self.first:%b} – {self.last:%b}"

    def show_day(self, day: dt.date) -> None:
        super().show_day(day)
        self.scroll_to(day)

    def scroll_to(self, day: dt.date) -> None:
        """Scroll a zoomed-in quarter so that ``day`` is in view."""
        if not self.first <= day <= self.last:
            return
        bar = self.horizontalScrollBar()
        width = self.viewport().width() - SIDE_W
        x = self.x_of(day)
        if x < bar.value() or x + self.ppd > bar.value() + width:
            bar.setValue(int(x - width / 3))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def reload(self) -> None:
        if self.grouping == "persona":
            self.personas = [(c.id, c.name) for c in list_persona_cards(self.context.plan)]
        super().reload()

    def set_grouping(self, grouping: str) -> None:
        """Swim lanes per "team", "kind" or "persona"."""
        if grouping not in GROUPINGS or grouping == self.grouping:
            return
        self.grouping = grouping
        if grouping == "persona" and not self.dirty:
            self.personas = [(c.id, c.name) for c in list_persona_cards(self.context.plan)]
        self.verticalScrollBar().setValue(0)
        self.relayout()

    def fit_ppd(self) -> float:
        return max(MIN_PPD, (self.viewport().width() - SIDE_W) / self.days)

    def set_zoom(self, ppd: float, anchor_x: float | None = None) -> None:
        """Pixels per day (0: fit the quarter to the width), keeping the day under
        ``anchor_x`` (a viewport x) where it is."""
        old = self.ppd
        if ppd <= 0:
            self.fitted = True
            ppd = self.fit_ppd()
        else:
            self.fitted = False
            ppd = min(MAX_PPD, max(MIN_PPD, ppd))
        anchor = (anchor_x if anchor_x is not None else SIDE_W) - SIDE_W
        day_at = (anchor + self.horizontalScrollBar().value()) / old
        self.ppd = ppd
        self.relayout()
        self.horizontalScrollBar().setValue(int(day_at * ppd - anchor))
        self.zoom_changed.emit(0.0 if self.fitted else ppd)

    def zoom_in(self) -> None:
        self.set_zoom(self.ppd * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.ppd / ZOOM_STEP)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = delta.y() / 120
            if steps:
                self.set_zoom(self.ppd * ZOOM_STEP**steps, event.position().x())
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and delta.y():
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta.y())
            event.accept()
            return
        super().wheelEvent(event)

    # --- geometry -------------------------------------------------------------------------

    def layer_offset(self, layer: int) -> QPointF:
        x = SIDE_W - self.horizontalScrollBar().value()
        y = HEAD_H - self.verticalScrollBar().value()
        return {TOP: QPointF(x, 0), SIDE: QPointF(0, y), BODY: QPointF(x, y)}.get(
            layer, QPointF(0, 0)
        )

    def layer_clip(self, layer: int) -> QRectF:
        width, height = self.viewport().width(), self.viewport().height()
        if layer == TOP:
            return QRectF(SIDE_W, 0, width - SIDE_W, HEAD_H)
        if layer == SIDE:
            return QRectF(0, HEAD_H, SIDE_W, height - HEAD_H)
        if layer == BODY:
            return QRectF(SIDE_W, HEAD_H, width - SIDE_W, height - HEAD_H)
        return QRectF(0, 0, SIDE_W, HEAD_H)

    def arrow(self, code: int) -> None:
        self.arrow_through_day(code)

    def autoscroll(self, pos: QPointF) -> None:
        """A drag near an edge of the lanes scrolls them (zoomed in, or many lanes)."""
        if self.drag is None:
            return
        body = self.layer_clip(BODY)
        across, down = self.horizontalScrollBar(), self.verticalScrollBar()
        if pos.x() < body.left() + 16:
            across.setValue(across.value() - int(max(self.ppd, 8)))
        elif pos.x() > body.right() - 16:
            across.setValue(across.value() + int(max(self.ppd, 8)))
        if pos.y() < body.top() + 12:
            down.setValue(down.value() - down.singleStep())
        elif pos.y() > body.bottom() - 12:
            down.setValue(down.value() + down.singleStep())

    def x_of(self, day: dt.date) -> float:
        """The left edge of a day in body (content) coordinates."""
        return (day - self.first).days * self.ppd

    def _extent(self, occurrence: Occurrence) -> int:
        """Days a bar takes in its lane, counting its title when written beside it."""
        length = min(occurrence.end, self.last) - max(occurrence.start, self.first)
        days = length.days + 1
        text = label(occurrence)
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = self.item_painter.text_width(text) + 18
        if width <= days * self.ppd:
            return days
        return days + math.ceil((width + 6) / self.ppd)

    def build_layout(self) -> None:
        if self.fitted:
            self.ppd = self.fit_ppd()
        days = self.days
        self.groups = []
        top = 0.0
        for group in timeline_lanes(self.occurrences, self.grouping, self.personas):
            bars = stack(group.occurrences, self.first, days, extent=self._extent)
            lanes = 1 + max((bar.lane for bar in bars), default=0)
            height = lanes * ROW + 2 * PAD
            for bar in bars:
                occurrence = bar.occurrence
                left = bar.first * self.ppd + (1 if not bar.cut_before else 0)
                right = (bar.last + 1) * self.ppd - (1 if not bar.cut_after else 0)
                width = max(3.0, right - left)
                text = label(occurrence)
                timed = occurrence.start_time is not None
                self.shapes.append(
                    Shape(
                        occurrence,
                        QRectF(left, top + PAD + bar.lane * ROW + (ROW - BAR) / 2, width, BAR),
                        BODY,
                        "bar",
                        starts_here=not bar.cut_before and not timed,
                        ends_here=not bar.cut_after and not timed,
                        cut_before=bar.cut_before,
                        cut_after=bar.cut_after,
                        # A title that does not fit goes beside its bar (its lane keeps
                        # the room free), unless the quarter ends right after the bar:
                        # then it is shortened inside.
                        text_outside=self._widths.get(text, 0) > width
                        and days * self.ppd - right >= OUTSIDE_ROOM,
                        # Near the quarter's end the title stops at the edge, with "…".
                        outside_room=max(1.0, days * self.ppd - right - 10),
                        lane=bar.lane,
                    )
                )
            self.groups.append((group, top, height))
            top += height
        self.content_w = days * self.ppd
        self.content_h = top
        self._update_scroll_ranges()

    def _update_scroll_ranges(self) -> None:
        width = self.viewport().width() - SIDE_W
        height = self.viewport().height() - HEAD_H
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setRange(0, max(0, int(self.content_w - width)))
        horizontal.setPageStep(max(1, int(width)))
        horizontal.setSingleStep(max(1, int(self.ppd)))
        vertical.setRange(0, max(0, int(self.content_h - height)))
        vertical.setPageStep(max(1, int(height)))
        vertical.setSingleStep(int(ROW))

    def group_at(self, y: float) -> tuple[LaneGroup, float, float] | None:
        """The swim lane at a body (content) height."""
        for entry in self.groups:
            if entry[1] <= y < entry[1] + entry[2]:
                return entry
        return self.groups[-1] if self.groups and y >= 0 else None

    # --- positions ------------------------------------------------------------------------

    def slot_at(self, pos: QPointF, clamp: bool = False) -> Slot | None:
        x = pos.x() - SIDE_W + self.horizontalScrollBar().value()
        inside = pos.x() >= SIDE_W and pos.y() >= HEAD_H and 0 <= x < self.content_w
        if not inside and not clamp:
            return None
        self._pointer_y = pos.y() - HEAD_H + self.verticalScrollBar().value()
        index = min(self.days - 1, max(0, int(x // self.ppd)))
        return Slot(self.first + dt.timedelta(days=index))

    def day_center(self, day: dt.date, lane_y: float | None = None) -> QPointF:
        """The viewport point of a day (in the first lane, or at a body height; for tests)."""
        offset = self.layer_offset(BODY)
        y = PAD + ROW / 2 if lane_y is None else lane_y
        return QPointF(self.x_of(day) + self.ppd / 2 + offset.x(), y + offset.y())

    def creation_defaults(self, span: Span) -> dict[str, object]:
        """A new item made in a lane belongs to it (its team, kind or persona)."""
        defaults: dict[str, object] = dict(span.document_fields())
        entry = self.group_at(self._pointer_y)
        if entry is not None:
            lane = entry[0].key
            if self.grouping == "team":
                defaults["team"] = lane
            elif self.grouping == "kind":
                defaults["kind"] = lane
            elif lane != EVERYONE:
                defaults["personas"] = [lane]
        return defaults

    def ghost_rects(
        self, occurrence: Occurrence | None, span: Span, shape: Shape | None
    ) -> list[tuple[int, QRectF]]:
        first = max(span.start, self.first)
        last = min(span.end, self.last)
        if last < first:
            return []
        if shape is not None:
            top = shape.rect.top()
        else:
            entry = self.group_at(self._pointer_y)
            top = (entry[1] if entry else 0.0) + PAD + (ROW - BAR) / 2
        left = self.x_of(first) + 1
        return [(BODY, QRectF(left, top, self.x_of(last) + self.ppd - 1 - left, BAR))]

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dirty = QRectF(event.rect())
        self._paint_body(painter)
        self.paint_shapes(painter, BODY, dirty)
        self._paint_today(painter)
        self.paint_ghosts(painter)
        self._paint_side(painter)
        self._paint_top(painter)
        self._paint_corner(painter)
        painter.end()

    def _visible_days(self, clip: QRectF, offset: float) -> range:
        first = max(0, int((clip.left() - offset) // self.ppd))
        last = min(self.days - 1, int((clip.right() - offset) // self.ppd) + 1)
        return range(first, last + 1)

    def _paint_body(self, painter: QPainter) -> None:
        with crisp(painter):
            self._paint_body_grid(painter)

    def _paint_body_grid(self, painter: QPainter) -> None:
        clip = self.layer_clip(BODY)
        offset = self.layer_offset(BODY)
        painter.save()
        painter.setClipRect(clip)
        painter.fillRect(clip, QColor("#ffffff"))
        for index, (_, top, height) in enumerate(self.groups):
            if index % 2:
                band = QRectF(clip.left(), top + offset.y(), clip.width(), height)
                painter.fillRect(band.intersected(clip), BAND_ODD)
        bottom = min(clip.bottom(), self.content_h + offset.y())
        for index in self._visible_days(clip, offset.x()):
            day = self.first + dt.timedelta(days=index)
            x = index * self.ppd + offset.x()
            if day.weekday() >= 5:
                painter.fillRect(QRectF(x, clip.top(), self.ppd, bottom - clip.top()), WEEKEND)
            if day.day == 1 and index:
                painter.setPen(QPen(MONTH_LINE, 1))
                painter.drawLine(
                    QPointF(round(x) + 0.5, clip.top()), QPointF(round(x) + 0.5, bottom)
                )
            elif day.weekday() == 0:
                painter.setPen(QPen(LINES, 1))
                painter.drawLine(
                    QPointF(round(x) + 0.5, clip.top()), QPointF(round(x) + 0.5, bottom)
                )
        painter.setPen(QPen(LINES, 1))
        for _, top, height in self.groups:
            y = round(top + height + offset.y()) - 0.5
            painter.drawLine(QPointF(clip.left(), y), QPointF(clip.right(), y))
        painter.restore()

    def _paint_today(self, painter: QPainter) -> None:
        today = dt.date.today()
        if not self.first <= today <= self.last:
            return
        clip = self.layer_clip(BODY)
        x = self.x_of(today) + self.ppd / 2 + self.layer_offset(BODY).x()
        if not clip.left() <= x <= clip.right():
            return
        painter.save()
        painter.setClipRect(clip)
        painter.setPen(QPen(TODAY, 2))
        painter.drawLine(QPointF(x, clip.top()), QPointF(x, clip.bottom()))
        painter.restore()

    def _paint_top(self, painter: QPainter) -> None:
        clip = self.layer_clip(TOP)
        offset = self.layer_offset(TOP).x()
        painter.save()
        painter.setClipRect(clip)
        painter.fillRect(clip, HEADER_BG)
        month = self.first
        while month <= self.last:
            following = add_months(month, 1)
            left = self.x_of(month) + offset
            right = self.x_of(min(following, self.last + dt.timedelta(days=1))) + offset
            if right > clip.left() and left < clip.right():
                painter.setFont(self.month_font)
                painter.setPen(TEXT)
                label = f"{month:%B %Y}"
                wide = QFontMetricsF(self.month_font).horizontalAdvance(label)
                if right - left < wide + 14:
                    label = f"{month:%b %Y}" if right - left >= 60 else f"{month:%b}"
                    wide = QFontMetricsF(self.month_font).horizontalAdvance(label)
                # The name sticks to the left edge while its month is scrolled past, and
                # slides back into the month rather than being cut at either end.
                visible_right = min(right, clip.right())
                text_left = min(max(left, clip.left()) + 10, visible_right - wide - 6)
                text_left = max(text_left, left + 4)
                painter.drawText(
                    QRectF(text_left, 0, max(0.0, right - text_left - 2), MONTH_H),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    label,
                )
                if month != self.first:
                    painter.setPen(QPen(MONTH_LINE, 1))
                    painter.drawLine(
                        QPointF(round(left) + 0.5, 4), QPointF(round(left) + 0.5, HEAD_H)
                    )
            month = following
        painter.setFont(self.week_font)
        weekly = self.ppd < 20
        for index in self._visible_days(clip, offset):
            day = self.first + dt.timedelta(days=index)
            x = index * self.ppd + offset
            if weekly:
                if day.weekday() != 0:
                    continue
                painter.setPen(QPen(LINES, 1))
                painter.drawLine(
                    QPointF(round(x) + 0.5, MONTH_H + 4), QPointF(round(x) + 0.5, HEAD_H)
                )
                # The last week of the range may have fewer than seven days to write in.
                room = self.ppd * min(7, (self.last - day).days + 1)
                if room >= 34 or (room >= 20 and self.ppd * 7 >= 34):
                    painter.setPen(MUTED)
                    text = f"{day.day} {day:%b}" if room >= 52 else str(day.day)
                    painter.drawText(
                        QRectF(x + 4, MONTH_H, room - 6, WEEK_H),
                        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                        text,
                    )
            else:
                painter.setPen(QColor("#b0b8c1") if day.weekday() >= 5 else MUTED)
                text = f"{day:%a}"[:2] + f" {day.day}" if self.ppd >= 40 else str(day.day)
                painter.drawText(
                    QRectF(x, MONTH_H, self.ppd, WEEK_H), Qt.AlignmentFlag.AlignCenter, text
                )
        today = dt.date.today()
        if self.first <= today <= self.last:
            # A small red marker where the today line meets the headings.
            x = self.x_of(today) + self.ppd / 2 + offset
            marker = QPolygonF(
                [QPointF(x - 5, HEAD_H - 7), QPointF(x + 5, HEAD_H - 7), QPointF(x, HEAD_H - 1)]
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TODAY)
            painter.drawPolygon(marker)
        painter.setPen(QPen(MONTH_LINE, 1))
        painter.drawLine(QPointF(clip.left(), HEAD_H - 0.5), QPointF(clip.right(), HEAD_H - 0.5))
        painter.restore()

    def _lane_mark(self, painter: QPainter, rect: QRectF, group: LaneGroup) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        if self.grouping == "kind":
            painter.setBrush(kind_colour(group.key))
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)
            return
        if self.grouping == "team":
            painter.setBrush(QColor(TEAM_COLOURS.get(group.key, "#868e96")))
            painter.drawEllipse(rect.adjusted(3, 3, -3, -3))
            return
        painter.setBrush(QColor("#adb5bd" if group.key == EVERYONE else "#7048e8"))
        painter.drawEllipse(rect)
        painter.setFont(self.mark_font)
        painter.setPen(QColor("#ffffff"))
        text = "∗" if group.key == EVERYONE else initials(group.label)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_side(self, painter: QPainter) -> None:
        clip = self.layer_clip(SIDE)
        offset = self.layer_offset(SIDE).y()
        painter.save()
        painter.setClipRect(clip)
        painter.fillRect(clip, SIDE_BG)
        for group, top, height in self.groups:
            y = top + offset
            if y > clip.bottom() or y + height < clip.top():
                continue
            # A tall lane keeps its heading in sight while it scrolls by.
            heading_h = ROW + 2 * PAD
            top = min(max(y, clip.top()), y + height - heading_h)
            head = QRectF(0, top, SIDE_W, min(height, heading_h))
            self._lane_mark(painter, QRectF(12, head.top() + PAD + 2, 20, 20), group)
            painter.setFont(self.lane_font)
            painter.setPen(TEXT)
            name = self.item_painter.elide(group.label, SIDE_W - 52, self.lane_font)
            painter.drawText(
                QRectF(40, head.top() + PAD - 2, SIDE_W - 48, 18),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                name,
            )
            count = len(group.occurrences)
            painter.setFont(self.count_font)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(40, head.top() + PAD + 15, SIDE_W - 48, 16),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{count} item{'s' if count != 1 else ''}" if count else "Nothing planned",
            )
            painter.setPen(QPen(LINES, 1))
            line = round(y + height) - 0.5
            painter.drawLine(QPointF(0, line), QPointF(SIDE_W, line))
        painter.setPen(QPen(MONTH_LINE, 1))
        painter.drawLine(QPointF(SIDE_W - 0.5, clip.top()), QPointF(SIDE_W - 0.5, clip.bottom()))
        painter.restore()

    def _paint_corner(self, painter: QPainter) -> None:
        rect = self.layer_clip(CORNER)
        painter.fillRect(rect, HEADER_BG)
        painter.setFont(self.week_font)
        painter.setPen(MUTED)
        title = {"team": "BY TEAM", "kind": "BY KIND", "persona": "BY PERSONA"}[self.grouping]
        painter.drawText(
            rect.adjusted(14, MONTH_H, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            title,
        )
        painter.setPen(QPen(MONTH_LINE, 1))
        painter.drawLine(QPointF(0, HEAD_H - 0.5), QPointF(SIDE_W, HEAD_H - 0.5))
        painter.drawLine(QPointF(SIDE_W - 0.5, 0), QPointF(SIDE_W - 0.5, HEAD_H))
