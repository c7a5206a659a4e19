"""The shared base of the painted calendar views (month, week, quarter timeline).

A view reads only its visible range from the plan, lays its items out once per refresh
into :class:`Shape` rectangles (the painter only paints them, culled to what is visible),
and turns the mouse and keyboard into the item commands: a drag moves or resizes, one
undo step when the button is released; Escape cancels and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import html
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span, snap, snap_nearest
from smarketing_desktop.gui import zones
from smarketing_desktop.gui.calendar_edits import CalendarEdits
from smarketing_desktop.gui.calendar_mime import decode_uids, encode_uids
from smarketing_desktop.gui.calendar_shapes import (
    ConflictMarks,
    Drag,
    Key,
    MoreMark,
    Shape,
    Slot,
    key,
    tooltip_html,
)
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PERSONAS, SLAS, PlanContext
from smarketing_desktop.gui.item_painter import ItemPainter
from smarketing_desktop.services import items as item_service

# The conflict hook is part of the views' contract; it is defined with the shapes.
__all__ = ["CalendarCanvas", "ConflictMarks"]

EDGE = 6.0  # pixels at each end of a bar that resize it rather than move it
SCHEDULED_MINUTES = 60  # an idea dropped on the hour grid takes an hour
AUTOSCROLL_MS = 60  # how often a drag held near an edge scrolls on


class CalendarCanvas(QAbstractScrollArea):
    """Base of the painted views. Subclasses lay out, map positions to slots and paint.

    Signals:
        selection_changed: the selected occurrences changed.
        item_activated(Occurrence): double-click or Enter on an item (open it).
        create_requested(dict): a new item wanted, with exchange-shape ``start``/``end``.
        delete_requested: Delete pressed with items selected.
        navigate_requested(date): the keyboard went past the visible range.
        day_opened(date): a day number was clicked (show that day's week).
        context_menu_requested(QPoint): right click, at this global position.
    """

    selection_changed = Signal()
    item_activated = Signal(object)
    create_requested = Signal(object)
    delete_requested = Signal()
    navigate_requested = Signal(object)
    day_opened = Signal(object)
    context_menu_requested = Signal(object)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.item_filter = ItemFilter()
        self.marks: ConflictMarks | None = None
        self.edits = CalendarEdits(context, self)
        today = dt.date.today()
        self.first, self.last = self.period_for(today)
        self.focus_day = today
        self.loaded: list[Occurrence] = []
        self.occurrences: list[Occurrence] = []
        self.shapes: list[Shape] = []
        self.more: list[MoreMark] = []
        self.selection: dict[Key, Occurrence] = {}
        self.badges: dict[Key, str] = {}
        self.drag: Drag | None = None
        self.drag_tip = ""
        self.drop_span: Span | None = None
        self.dirty = True
        # A change of the plan while hidden: read again when shown (the first reading
        # waits for show_day, which knows the period).
        self.missed = False
        self.popup: QWidget | None = None
        self._outgoing: tuple[list[Occurrence], Slot] | None = None
        self._expected: dict[Key, Key] = {}
        self._index: dict[int, tuple[list[float], list[Shape], float]] = {}
        # A drag held still near an edge keeps scrolling, as in any list or editor: the
        # pointer and where it is on screen, for each tick.
        self._held_at: tuple[QPointF, QPoint] | None = None
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setInterval(AUTOSCROLL_MS)
        self._scroll_timer.timeout.connect(self._keep_scrolling)
        self.item_painter = ItemPainter(self.font())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        context.changed.connect(self._plan_changed)
        context.plan_replaced.connect(lambda: self._plan_changed(ITEMS))

    # --- what subclasses provide ----------------------------------------------------------

    def period_for(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last day the view shows when ``day`` is in view."""
        raise NotImplementedError

    def step_day(self, day: dt.date, periods: int) -> dt.date:
        """``day`` moved by whole periods (months, weeks, quarters)."""
        raise NotImplementedError

    def period_title(self) -> str:
        raise NotImplementedError

    def build_layout(self) -> None:
        """Fill ``shapes`` and ``more`` for the current size, items and scroll range."""
        raise NotImplementedError

    def slot_at(self, pos: QPointF, clamp: bool = False) -> Slot | None:
        """The day (and time) under ``pos``; with ``clamp`` the nearest one when outside."""
        raise NotImplementedError

    def ghost_rects(
        self, occurrence: Occurrence | None, span: Span, shape: Shape | None
    ) -> list[tuple[int, QRectF]]:
        """Where ``span`` would be drawn (layer and content rectangle of each piece)."""
        raise NotImplementedError

    def layer_offset(self, layer: int) -> QPointF:
        """Content to viewport coordinates of a layer (its scroll position)."""
        return QPointF(0, 0)

    def layer_clip(self, layer: int) -> QRectF:
        """The part of the viewport a layer is drawn in."""
        return QRectF(self.viewport().rect())

    def nudge_amount(self, key_code: int) -> tuple[int, int]:
        """Days and minutes Ctrl+arrow moves the selection by."""
        return {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (-7, 0),
            Qt.Key.Key_Down: (7, 0),
        }.get(Qt.Key(key_code), (0, 0))

    def focus_step(self, key_code: int) -> int:
        """Days an arrow key moves the focused day by."""
        return {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }.get(Qt.Key(key_code), 0)

    def autoscroll(self, pos: QPointF) -> None:
        """Scroll when a drag nears the edge of a scrolling area (views that scroll)."""

    # --- data -----------------------------------------------------------------------------

    def visible_range(self) -> tuple[dt.date, dt.date]:
        return self.first, self.last

    def anchor_day(self) -> dt.date:
        """The focused day: where paste and a new item go."""
        return self.focus_day

    def show_day(self, day: dt.date) -> None:
        """Show the period that holds ``day`` and focus that day."""
        first, last = self.period_for(day)
        self.focus_day = day
        if (first, last) != (self.first, self.last) or self.dirty:
            self.first, self.last = first, last
            self.reload()
        else:
            self.viewport().update()

    def step(self, periods: int) -> None:
        """The previous (-1) or next (+1) period, keeping the focused weekday."""
        self.show_day(self.step_day(self.focus_day, periods))

    def reload(self) -> None:
        """Read the visible range from the plan (and nothing else) and lay it out."""
        plan = self.context.plan
        self.loaded = zones.shown_between(
            lambda a, b: item_service.occurrences_between(plan, a, b), self.first, self.last
        )
        self.dirty = self.missed = False
        self._apply_filter()

    def _plan_changed(self, topic: str) -> None:
        """Items, people or personas changed: read again now if shown, else when shown.

        An SLA edit moves (or removes) its review meeting item, so SLAS counts too."""
        if topic not in (ITEMS, PEOPLE, PERSONAS, SLAS):
            return
        if self.isVisible():
            self.reload()
        else:
            self.dirty = self.missed = True

    def set_filter(self, item_filter: ItemFilter) -> None:
        self.item_filter = item_filter
        if not self.dirty:
            self._apply_filter()

    def set_marks(self, marks: ConflictMarks | None) -> None:
        """Show conflict badges from ``marks`` (None: no badges)."""
        self.marks = marks
        self.refresh_marks()

    def refresh_marks(self) -> None:
        """Ask the marks again (after the conflict checker ran)."""
        self.badges = {}
        if self.marks is not None:
            for occurrence in self.occurrences:
                badge = self.marks.badge(occurrence)
                if badge:
                    self.badges[key(occurrence)] = badge
        self.viewport().update()

    def _apply_filter(self) -> None:
        chosen = self.item_filter
        self.occurrences = (
            list(self.loaded) if chosen.is_empty else [o for o in self.loaded if chosen.matches(o)]
        )
        self._keep_selection()
        self.refresh_marks()
        self.relayout()

    def _keep_selection(self) -> None:
        """Keep what was selected across a refresh (a moved item stays selected)."""
        by_key = {key(o): o for o in self.occurrences}
        kept: dict[Key, Occurrence] = {}
        lost: set[str] = set()
        for old in self.selection:
            new = self._expected.get(old, old)
            if new in by_key:
                kept[new] = by_key[new]
            elif old in by_key:
                kept[old] = by_key[old]
            else:
                lost.add(old[0])
        for occurrence in self.occurrences:
            if occurrence.uid in lost:
                kept.setdefault(key(occurrence), occurrence)
                lost.discard(occurrence.uid)
        self._expected = {}
        changed = list(kept) != list(self.selection)
        self.selection = kept
        if changed:
            self.selection_changed.emit()

    def relayout(self) -> None:
        self.shapes, self.more = [], []
        self.build_layout()
        self._index_shapes()
        self.viewport().update()

    def _index_shapes(self) -> None:
        """Shapes per layer sorted by their top, so a paint finds the visible ones by
        bisection instead of looking at every item of the range."""
        layers: dict[int, list[Shape]] = {}
        for shape in self.shapes:
            layers.setdefault(shape.layer, []).append(shape)
        self._index = {}
        for layer, found in layers.items():
            found.sort(key=lambda s: s.rect.top())
            tallest = max(s.rect.height() for s in found)
            self._index[layer] = ([s.rect.top() for s in found], found, tallest)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.missed:
            self.reload()  # the plan changed while another tab or view was shown

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    # --- selection ------------------------------------------------------------------------

    def selected_occurrences(self) -> list[Occurrence]:
        return list(self.selection.values())

    def selected_uids(self) -> list[str]:
        return list(dict.fromkeys(o.uid for o in self.selection.values()))

    def select_uids(self, uids: Sequence[str]) -> None:
        wanted = set(uids)
        self._select([o for o in self.occurrences if o.uid in wanted])

    def _select(self, occurrences: Sequence[Occurrence]) -> None:
        chosen = {key(o): o for o in occurrences}
        if list(chosen) != list(self.selection):
            self.selection = chosen
            self.selection_changed.emit()
        self.viewport().update()

    def items_on(self, day: dt.date) -> list[Occurrence]:
        """The day's items as a day cell lists them: all-day and long ones first."""
        found = [o for o in self.occurrences if o.start <= day <= o.end]
        found.sort(
            key=lambda o: (
                o.start_time is not None,
                o.start_time or dt.time.min,
                o.title.casefold(),
            )
        )
        return found

    # --- hit testing ----------------------------------------------------------------------

    def view_rect(self, shape: Shape) -> QRectF:
        return shape.rect.translated(self.layer_offset(shape.layer))

    def shape_at(self, pos: QPointF) -> Shape | None:
        for layer, (tops, ordered, tallest) in self._index.items():
            if not self.layer_clip(layer).contains(pos):
                continue
            local = pos - self.layer_offset(layer)
            first = bisect_left(tops, local.y() - tallest)
            last = bisect_right(tops, local.y())
            for shape in reversed(ordered[first:last]):
                if shape.rect.contains(local):
                    return shape
        return None

    def more_at(self, pos: QPointF) -> MoreMark | None:
        for mark in self.more:
            rect = mark.rect.translated(self.layer_offset(mark.layer))
            if self.layer_clip(mark.layer).contains(pos) and rect.contains(pos):
                return mark
        return None

    def edge_at(self, shape: Shape, pos: QPointF) -> str:
        """ "start", "end" or "" (the body) for a press at ``pos`` on ``shape``."""
        rect = self.view_rect(shape)
        if shape.style == "block":
            low, high, at, size = rect.top(), rect.bottom(), pos.y(), rect.height()
        else:
            low, high, at, size = rect.left(), rect.right(), pos.x(), rect.width()
        grip = min(EDGE, size / 4)
        if shape.starts_here and at - low <= grip:
            return "start"
        if shape.ends_here and high - at <= grip:
            return "end"
        return ""

    def shapes_of(self, occurrence: Occurrence) -> list[Shape]:
        wanted = key(occurrence)
        return [s for s in self.shapes if s.key == wanted]

    def day_at_header(self, pos: QPointF) -> dt.date | None:
        """The day whose number is under ``pos`` (clicking it opens that day's week)."""
        return None

    # --- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        mark = self.more_at(pos)
        if mark is not None:
            self.open_more(mark)
            return
        day = self.day_at_header(pos)
        if day is not None:
            self.focus_day = day
            self.day_opened.emit(day)
            return
        adding = bool(
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        )
        shape = self.shape_at(pos)
        slot = self.slot_at(pos, clamp=True)
        if slot is None:
            return
        self.focus_day = slot.day
        if shape is None:
            if not adding:
                self._select([])
            self.drag = Drag("create", pos, slot, None, [])
            self.viewport().update()
            return
        occurrence = shape.occurrence
        if adding:
            chosen = dict(self.selection)
            if shape.key in chosen:
                del chosen[shape.key]
            else:
                chosen[shape.key] = occurrence
            self._select(list(chosen.values()))
        elif shape.key not in self.selection:
            self._select([occurrence])
        edge = self.edge_at(shape, pos)
        if edge and not adding:
            self.drag = Drag(edge, pos, slot, shape, [occurrence])
        elif shape.key in self.selection:
            self.drag = Drag("move", pos, slot, shape, list(self.selection.values()))
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        drag = self.drag
        if drag is None:
            self._hover(pos)
            return
        if not drag.active:
            if (pos - drag.press).manhattanLength() < QApplication.startDragDistance():
                return
            drag.active = True
            if drag.mode == "move":
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        if drag.mode == "move" and not QRectF(self.viewport().rect()).contains(pos):
            self._drag_out(drag)
            return
        where = event.globalPosition().toPoint()
        if self._scrolled_by(pos) and not self._scroll_timer.isActive():
            self._scroll_timer.start()
        self._held_at = (pos, where)
        slot = self.slot_at(pos, clamp=True)
        if slot is not None:
            self._update_drag(drag, slot, where)

    def _scrolled_by(self, pos: QPointF) -> bool:
        """``autoscroll`` at ``pos``; whether it moved the view."""
        bars = (self.horizontalScrollBar(), self.verticalScrollBar())
        before = [bar.value() for bar in bars]
        self.autoscroll(pos)
        return [bar.value() for bar in bars] != before

    def _keep_scrolling(self) -> None:
        """A tick while a drag is held near an edge: scroll on, and follow with the drag."""
        drag = self.drag
        if drag is None or not drag.active or self._held_at is None:
            self._scroll_timer.stop()
            return
        pos, where = self._held_at
        if not self._scrolled_by(pos):
            self._scroll_timer.stop()  # at the end of the scroll range, or left the edge
            return
        slot = self.slot_at(pos, clamp=True)
        if slot is not None:
            self._update_drag(drag, slot, where)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self.drag = self.drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._end_feedback()
        if not drag.active:
            adding = bool(
                event.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            )
            if drag.shape is not None and not adding and len(self.selection) > 1:
                self._select([drag.shape.occurrence])  # a plain click picks one of several
            return
        if drag.mode == "create":
            if drag.create is not None:
                self.create_requested.emit(self.creation_defaults(drag.create))
        elif drag.mode == "move":
            days, minutes = drag.delta
            self.move_items(drag.items, days, minutes)
        else:
            span = drag.spans.get(key(drag.items[0]))
            if span is not None:
                self.resize_item(drag.items[0], span)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.drag = None
        pos = event.position()
        if self.more_at(pos) is not None or self.day_at_header(pos) is not None:
            return
        shape = self.shape_at(pos)
        if shape is not None:
            self._select([shape.occurrence])
            self.item_activated.emit(shape.occurrence)
            return
        slot = self.slot_at(pos)
        if slot is not None:
            self.focus_day = slot.day
            self.create_requested.emit(self.creation_defaults(self.click_span(slot)))

    def click_span(self, slot: Slot) -> Span:
        """What a double-click on an empty place creates: that day, or an hour from then."""
        if slot.minutes is None:
            return Span(slot.day, slot.day)
        begin = dt.datetime.combine(slot.day, dt.time.min) + dt.timedelta(
            minutes=min(snap(slot.minutes), 23 * 60)
        )
        end = begin + dt.timedelta(minutes=SCHEDULED_MINUTES)
        return Span(begin.date(), end.date(), begin.time(), end.time())

    def creation_defaults(self, span: Span) -> dict[str, object]:
        """What a new item made here starts with (exchange shape: ``start``, ``end``; a
        timed one in the user's zone, as Ctrl+N's item gets)."""
        defaults: dict[str, object] = dict(span.document_fields())
        if span.timed:
            defaults["tz"] = zones.local_zone_name()
        return defaults

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        shape = self.shape_at(QPointF(event.pos()))
        if shape is not None and shape.key not in self.selection:
            self._select([shape.occurrence])
        slot = self.slot_at(QPointF(event.pos()))
        if slot is not None:
            self.focus_day = slot.day
        self.context_menu_requested.emit(event.globalPos())

    def _hover(self, pos: QPointF) -> None:
        shape = self.shape_at(pos)
        cursor = Qt.CursorShape.ArrowCursor
        if self.more_at(pos) is not None or self.day_at_header(pos) is not None:
            cursor = Qt.CursorShape.PointingHandCursor
        elif shape is not None and self.edge_at(shape, pos):
            vertical = shape.style == "block"
            cursor = Qt.CursorShape.SizeVerCursor if vertical else Qt.CursorShape.SizeHorCursor
        if self.viewport().cursor().shape() != cursor:
            self.viewport().setCursor(cursor)

    # --- the gesture ----------------------------------------------------------------------

    def dragged_span(self, drag: Drag, occurrence: Occurrence, slot: Slot) -> Span:
        span = Span.of(occurrence)
        if drag.mode == "move":
            return span.moved(*self._delta(drag, slot, span))
        if drag.shape is not None and drag.shape.style == "block" and slot.minutes is not None:
            # On the hour grid an edge changes the time, on the item's own day.
            minutes = snap_nearest(slot.minutes)
            if drag.mode == "start":
                return span.with_start(span.start, minutes)
            return span.with_end(span.start, minutes)
        if drag.mode == "start":
            return span.with_start(slot.day)
        return span.with_end(slot.day)

    def _delta(self, drag: Drag, slot: Slot, span: Span | None = None) -> tuple[int, int]:
        days = (slot.day - drag.origin.day).days
        minutes = 0
        if slot.minutes is not None and drag.origin.minutes is not None:
            minutes = snap(slot.minutes) - snap(drag.origin.minutes)
        return days, minutes

    def create_span(self, origin: Slot, slot: Slot) -> Span:
        """The span a drag over empty days (or times) marks out."""
        if origin.minutes is not None and slot.minutes is not None:
            low, high = sorted((snap(origin.minutes), snap(slot.minutes)))
            base = dt.datetime.combine(origin.day, dt.time.min)
            begin = base + dt.timedelta(minutes=low)
            end = base + dt.timedelta(minutes=high + 15)
            return Span(begin.date(), end.date(), begin.time(), end.time())
        first, last = sorted((origin.day, slot.day))
        return Span(first, last)

    def _update_drag(self, drag: Drag, slot: Slot, where: QPoint) -> None:
        drag.slot = slot
        if drag.mode == "create":
            span = self.create_span(drag.origin, slot)
            if span == drag.create:
                return
            drag.create = span
            tip = f"New item: {span.describe()}"
        else:
            spans = {key(o): self.dragged_span(drag, o, slot) for o in drag.items}
            if spans == drag.spans:
                return
            drag.spans = spans
            drag.delta = self._delta(drag, slot)
            drag.messages = self._preview(drag)
            lead = drag.items[0] if drag.shape is None else drag.shape.occurrence
            span = spans[key(lead)]
            tip = html.escape(span.describe())
            if len(drag.items) > 1:
                tip += f" (and {len(drag.items) - 1} more)"
            if drag.messages:
                tip += "".join(
                    f"<br><span style='color:#c92a2a'>⚠ {html.escape(m)}</span>"
                    for m in drag.messages
                )
        self.drag_tip = tip
        QToolTip.showText(where, f"<p style='white-space:pre'>{tip}</p>", self.viewport())
        self.viewport().update()

    def _preview(self, drag: Drag) -> list[str]:
        if self.marks is None:
            return []
        messages: list[str] = []
        for occurrence in drag.items:
            span = drag.spans[key(occurrence)]
            if span == Span.of(occurrence):
                continue
            for message in self.marks.preview(
                occurrence, span.start, span.end, span.start_time, span.end_time
            ):
                if message not in messages:
                    messages.append(message)
        return messages

    def _end_feedback(self) -> None:
        self.drag_tip = ""
        QToolTip.hideText()
        self.viewport().unsetCursor()
        self.viewport().update()

    def cancel_drag(self) -> bool:
        """Escape: forget the gesture; nothing was changed yet."""
        if self.drag is None:
            return False
        self.drag = None
        self._end_feedback()
        return True

    def _drag_out(self, drag: Drag) -> None:
        """The pointer left the view while moving items: carry them on as a real drag
        (onto the ideas backlog to unschedule them, or back onto a day)."""
        self.drag = None
        self._end_feedback()
        self._outgoing = (drag.items, drag.origin)
        uids = list(dict.fromkeys(o.uid for o in drag.items))
        carrier = QDrag(self.viewport())
        carrier.setMimeData(encode_uids(uids, "calendar"))
        if drag.shape is not None:
            carrier.setPixmap(self.drag_pixmap(drag.shape))
        try:
            carrier.exec(Qt.DropAction.MoveAction)
        finally:
            self._outgoing = None

    def drag_pixmap(self, shape: Shape) -> QPixmap:
        rect = QRectF(0, 0, min(shape.rect.width(), 240.0), max(shape.rect.height(), 18.0))
        pixmap = QPixmap(int(rect.width()) + 2, int(rect.height()) + 2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.item_painter.bar(painter, rect.translated(1, 1), shape.occurrence)
        painter.end()
        return pixmap

    # --- committing (through CalendarEdits) -----------------------------------------------

    def move_items(self, occurrences: Sequence[Occurrence], days: int, minutes: int = 0) -> bool:
        """Move occurrences by the same amount: one undo step (asks about a series)."""
        return self.edits.move(occurrences, days, minutes, self._expected)

    def resize_item(self, occurrence: Occurrence, span: Span) -> bool:
        """Give one occurrence new dates or times: one undo step (asks about a series)."""
        return self.edits.resize(occurrence, span)

    def schedule(self, uids: Sequence[str], slot: Slot) -> bool:
        """Put ideas from the backlog on the day (or the hour) they were dropped on."""
        if not self.edits.schedule(uids, self.click_span(slot)):
            return False
        self.select_uids(list(uids))
        return True

    # --- dropping (ideas from the backlog, items dragged out and back) -------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if decode_uids(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        decoded = decode_uids(event.mimeData())
        slot = self.slot_at(event.position())
        if decoded is None or slot is None:
            event.ignore()
            return
        _uids, source = decoded
        if source == "calendar" and self._outgoing is None:
            event.ignore()
            return
        span = self.click_span(slot)
        if source == "calendar" and self._outgoing is not None:
            items, origin = self._outgoing
            fake = Drag("move", QPointF(), origin, None, items)
            span = Span.of(items[0]).moved(*self._delta(fake, slot))
        if span != self.drop_span:
            self.drop_span = span
            self.viewport().update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_span = None
        self.viewport().update()

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_span = None
        self.viewport().update()
        decoded = decode_uids(event.mimeData())
        slot = self.slot_at(event.position())
        if decoded is None or slot is None:
            event.ignore()
            return
        uids, source = decoded
        if source == "backlog":
            done = self.schedule(uids, slot)
        elif self._outgoing is not None:
            items, origin = self._outgoing
            fake = Drag("move", QPointF(), origin, None, items)
            done = self.move_items(items, *self._delta(fake, slot))
        else:
            event.ignore()
            return
        if done:
            event.acceptProposedAction()
        else:
            event.ignore()

    # --- "+N more" ------------------------------------------------------------------------

    def open_more(self, mark: MoreMark) -> None:
        """The list of all the items of a day that has more than fit."""
        from smarketing_desktop.gui.day_popup import DayPopup

        self.focus_day = mark.day
        popup = DayPopup(self, mark.day, self.items_on(mark.day))
        popup.activated.connect(self._popup_activated)
        popup.picked.connect(lambda o: self._select([o]))
        popup.dragging.connect(self._popup_dragging)
        self.popup = popup
        rect = mark.rect.translated(self.layer_offset(mark.layer))
        popup.show_at(self.viewport().mapToGlobal(rect.topLeft().toPoint()))

    def _popup_activated(self, occurrence: Occurrence) -> None:
        self._select([occurrence])
        self.item_activated.emit(occurrence)

    def _popup_dragging(self, occurrence: Occurrence | None) -> None:
        self._outgoing = None if occurrence is None else ([occurrence], Slot(self.focus_day))

    # --- keyboard -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        code = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if code == Qt.Key.Key_Escape:
            if not self.cancel_drag() and self.selection:
                self._select([])
            return
        if self.drag is not None:
            return
        if code in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.selection:
                self.item_activated.emit(next(iter(self.selection.values())))
            return
        if code in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.selection:
                self.delete_requested.emit()
            return
        if code in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            if control:
                if self.selection:
                    days, minutes = self.nudge_amount(code)
                    self.move_items(list(self.selection.values()), days, minutes)
            else:
                self.arrow(code)
            return
        super().keyPressEvent(event)

    def arrow(self, code: int) -> None:
        """Move the focused day and select its first item."""
        day = self.focus_day + dt.timedelta(days=self.focus_step(code))
        self.focus_on(day)

    def arrow_through_day(self, code: int) -> None:
        """Left and right move by a day; up and down go through the focused day's items
        from the selected one (as the day lists them, "+N more" ones too), and past the
        first or last one (or with none of them selected) to the same weekday of the week
        before or after (the month view and the timeline)."""
        if code not in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            CalendarCanvas.arrow(self, code)
            return
        down = code == Qt.Key.Key_Down
        items = self.items_on(self.focus_day)
        chosen = [n for n, o in enumerate(items) if key(o) in self.selection]
        index = (chosen[-1] + 1 if down else chosen[0] - 1) if chosen else -1
        if 0 <= index < len(items):
            self._select([items[index]])
            self.viewport().update()
            return
        self.focus_on(self.focus_day + dt.timedelta(days=7 if down else -7))
        if not down:
            # Coming up from below, land on the day's last item, next to where we were.
            self._select(self.items_on(self.focus_day)[-1:])

    def focus_on(self, day: dt.date) -> None:
        if not self.first <= day <= self.last:
            # Show the new period before telling the tab, which titles what is shown.
            self.show_day(day)
            self.navigate_requested.emit(day)
        self.focus_day = day
        items = self.items_on(day)
        self._select(items[:1])
        self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    # --- tooltips and painting ------------------------------------------------------------

    def tooltip_at(self, pos: QPointF) -> str:
        shape = self.shape_at(pos)
        if shape is None:
            mark = self.more_at(pos)
            return f"{mark.count} more on {mark.day:%A %d %B}" if mark else ""
        explanation = ""
        if self.marks is not None and shape.key in self.badges:
            explanation = self.marks.explain(shape.occurrence)
        return tooltip_html(shape.occurrence, explanation)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if self.drag is None:
                text = self.tooltip_at(QPointF(event.pos()))
                if text:
                    QToolTip.showText(event.globalPos(), text, self.viewport())
                else:
                    QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def paint_shapes(self, painter: QPainter, layer: int, dirty: QRectF) -> None:
        """Paint the shapes of ``layer`` that meet the ``dirty`` part of the viewport."""
        offset = self.layer_offset(layer)
        clip = self.layer_clip(layer).intersected(dirty)
        if clip.isEmpty():
            return
        painter.save()
        painter.setClipRect(clip)
        painter.translate(offset)
        visible = clip.translated(-offset)
        draw = self.item_painter
        selection, badges = self.selection, self.badges
        tops, ordered, tallest = self._index.get(layer, ([], [], 0.0))
        first = bisect_left(tops, visible.top() - tallest)
        last = bisect_right(tops, visible.bottom())
        left, right = visible.left(), visible.right()
        for shape in ordered[first:last]:
            rect = shape.rect
            if rect.left() > right or rect.bottom() < visible.top():
                continue
            if rect.right() < left and not shape.text_outside:
                continue
            occurrence = shape.occurrence
            k = key(occurrence)
            if shape.style == "chip":
                draw.chip(painter, rect, occurrence, selected=k in selection, badge=badges.get(k))
            elif shape.style == "block":
                draw.block(
                    painter,
                    rect,
                    occurrence,
                    selected=k in selection,
                    badge=badges.get(k),
                    times=shape.times,
                )
            else:
                if shape.path is None:
                    shape.path = draw.bar_path(rect, shape.cut_before, shape.cut_after)
                draw.bar(
                    painter,
                    rect,
                    occurrence,
                    selected=k in selection,
                    cut_before=shape.cut_before,
                    cut_after=shape.cut_after,
                    text_outside=shape.text_outside,
                    outside_room=shape.outside_room,
                    badge=badges.get(k),
                    path=shape.path,
                )
        painter.restore()

    def paint_ghosts(self, painter: QPainter) -> None:
        """The translucent place a drag (or a drop) would put its items."""
        pieces: list[tuple[int, QRectF, str]] = []
        conflict = False
        drag = self.drag
        if drag is not None and drag.active:
            if drag.mode == "create" and drag.create is not None:
                pieces += [(la, r, "other") for la, r in self.ghost_rects(None, drag.create, None)]
            for occurrence in drag.items if drag.mode != "create" else []:
                span = drag.spans.get(key(occurrence))
                if span is None:
                    continue
                own = drag.shape if drag.shape and drag.shape.key == key(occurrence) else None
                shape = own or next(iter(self.shapes_of(occurrence)), None)
                pieces += [
                    (layer, rect, occurrence.kind)
                    for layer, rect in self.ghost_rects(occurrence, span, shape)
                ]
            conflict = bool(drag.messages)
        elif self.drop_span is not None:
            pieces += [(la, r, "other") for la, r in self.ghost_rects(None, self.drop_span, None)]
        for layer, rect, kind in pieces:
            painter.save()
            painter.setClipRect(self.layer_clip(layer))
            painter.translate(self.layer_offset(layer))
            self.item_painter.ghost(painter, rect, kind, conflict=conflict)
            painter.restore()

    def ghost_is_conflict(self) -> bool:
        """Whether the ghost of the drag in progress is drawn red (the drop would conflict)."""
        return self.drag is not None and bool(self.drag.messages)
