"""How one calendar item is painted, the same in every view.

Kind gives the colour (as in the legend and the printout); impact "big" adds a ★; an idea
is drawn hollow, a cancelled item muted and struck through; a recurring one ends with ↻;
a conflict adds a small round badge. Elided texts are cached: a month of a 10,000-item plan
repaints during a drag without measuring the same titles again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
    QTransform,
)

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.gui.palette import kind_colour

BADGE_COLOURS = {"error": "#e03131", "warning": "#f08c00", "acknowledged": "#adb5bd"}
SELECTED_RING = QColor("#1f2933")
GHOST_CONFLICT = QColor("#e03131")
TEXT_DARK = QColor("#1f2933")
TEXT_MUTED = QColor("#7b8794")
TEXT_CANCELLED = QColor("#52606d")
WHITE = QColor("#ffffff")


@cache
def _colours(kind: str) -> tuple[QColor, QColor, QColor, QColor]:
    """Fill, darker edge, pale tint and readable text colour of a kind."""
    base = kind_colour(kind)
    pale = QColor(base)
    pale.setAlphaF(0.14)
    return base, base.darker(135), pale, base.darker(150)


def _mix(kind: str, share: float) -> QColor:
    """The kind's colour mixed into white: ``share`` of the colour."""
    base = kind_colour(kind)
    return QColor(
        int(base.red() * share + 255 * (1 - share)),
        int(base.green() * share + 255 * (1 - share)),
        int(base.blue() * share + 255 * (1 - share)),
    )


@cache
def _tint(kind: str) -> QColor:
    """The pale, opaque fill of an idea (hollow: an outline on a hint of its colour)."""
    return _mix(kind, 0.12)


@cache
def _muted(kind: str) -> QColor:
    """The faded fill of a cancelled item."""
    return _mix(kind, 0.35)


@contextmanager
def crisp(painter: QPainter) -> Iterator[None]:
    """Grid lines on whole pixels need no antialiasing, and are much faster without it."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    try:
        yield
    finally:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)


def label(occurrence: Occurrence, *, time: bool = False) -> str:
    """The text on an item: ``★ Launch ↻``, with its start time for a timed chip."""
    text = occurrence.title
    if occurrence.impact == "big":
        text = f"★ {text}"
    if occurrence.recurring:
        text = f"{text} ↻"
    if time and occurrence.start_time is not None:
        text = f"{occurrence.start_time:%H:%M}  {text}"
    return text


class ItemPainter:
    """Paints bars (all-day and multi-day), chips (timed, in a day cell) and blocks (timed,
    on the hour grid), their selection, badges and drag ghosts."""

    RADIUS = 4.0

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.font.setPixelSize(12)
        self.bold = QFont(self.font)
        self.bold.setWeight(QFont.Weight.DemiBold)
        # Cancelled titles: struck through by hand in ``line`` (QStaticText draws a font's
        # strike-out line where the painter was before its translation).
        self.struck = QFont(self.font)
        self.small = QFont(self.font)
        self.small.setPixelSize(11)
        self.badge_font = QFont(self.font)
        self.badge_font.setPixelSize(9)
        self.badge_font.setBold(True)
        self.metrics = {
            id(f): QFontMetricsF(f) for f in (self.font, self.bold, self.struck, self.small)
        }
        self._elided: dict[tuple[str, int, int], str] = {}
        self._static: dict[tuple[str, int, int], QStaticText] = {}

    def _metrics(self, font: QFont) -> QFontMetricsF:
        found = self.metrics.get(id(font))
        if found is None:
            found = self.metrics[id(font)] = QFontMetricsF(font)
        return found

    def text_width(self, text: str, font: QFont | None = None) -> float:
        return self._metrics(font or self.bold).horizontalAdvance(text)

    def elide(self, text: str, width: float, font: QFont | None = None) -> str:
        font = font or self.bold
        key = (text, int(width), id(font))
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) > 20_000:
                self._elided.clear()
            found = self._metrics(font).elidedText(
                text, Qt.TextElideMode.ElideRight, max(0.0, width)
            )
            self._elided[key] = found
        return found

    def line(
        self, painter: QPainter, rect: QRectF, text: str, font: QFont, *, elide: bool = True
    ) -> None:
        """One line of plain text at the left of ``rect``, centred vertically.

        The line is laid out once (QStaticText) and reused: a drag repaints the same
        titles many times a second.
        """
        key = (text, int(rect.width()) if elide else -1, id(font))
        static = self._static.get(key)
        if static is None:
            if len(self._static) > 20_000:
                self._static.clear()
            shown = self.elide(text, rect.width(), font) if elide else text
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)  # user text, never markup
            static.prepare(QTransform(), font)
            self._static[key] = static
        painter.setFont(font)
        top = rect.top() + (rect.height() - static.size().height()) / 2
        painter.drawStaticText(QPointF(rect.left(), top), static)
        if font is self.struck:
            metrics = self._metrics(font)
            y = top + metrics.ascent() - metrics.strikeOutPos()
            pen = QPen(painter.pen().color(), max(1.0, metrics.lineWidth()))
            painter.save()
            painter.setPen(pen)
            end = rect.left() + static.size().width()
            painter.drawLine(QPointF(rect.left(), y), QPointF(end, y))
            painter.restore()

    def _text_font(self, occurrence: Occurrence) -> QFont:
        return self.struck if occurrence.status == "cancelled" else self.bold

    # --- bars ---------------------------------------------------------------------------

    def bar(
        self,
        painter: QPainter,
        rect: QRectF,
        occurrence: Occurrence,
        *,
        selected: bool = False,
        cut_before: bool = False,
        cut_after: bool = False,
        text: str | None = None,
        text_outside: bool = False,
        outside_room: float = 0.0,
        badge: str | None = None,
        path: QPainterPath | None = None,
    ) -> None:
        """A filled bar; its text inside, or beside it (``text_outside``) when it is short.

        A title beside the bar ends in "…" after ``outside_room`` pixels (0: no limit).
        ``path`` is the bar's outline if the caller keeps it from an earlier paint.
        """
        fill, _edge, _pale, dark = _colours(occurrence.kind)
        if path is None:
            path = self.bar_path(rect, cut_before, cut_after)
        idea = occurrence.status == "idea"
        cancelled = occurrence.status == "cancelled"
        painter.setPen(Qt.PenStyle.NoPen)
        if idea:
            painter.setBrush(_tint(occurrence.kind))
            painter.drawPath(path)
            painter.setPen(QPen(fill, 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            colour = dark
        elif cancelled:
            painter.setBrush(_muted(occurrence.kind))
            painter.drawPath(path)
            colour = TEXT_CANCELLED
        else:
            painter.setBrush(fill)
            painter.drawPath(path)
            colour = WHITE
        if selected:
            painter.setPen(QPen(SELECTED_RING, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.bar_path(rect.adjusted(-1, -1, 1, 1), cut_before, cut_after))
        badge_room = 0.0
        if badge:
            badge_room = self.badge(painter, rect, badge)
        words = text if text is not None else label(occurrence)
        font = self._text_font(occurrence)
        painter.setFont(font)
        if text_outside:
            painter.setPen(TEXT_MUTED if cancelled else TEXT_DARK)
            if 0 < outside_room < 24:
                return  # no room for more than "…"
            beside = QRectF(rect.right() + 5, rect.top(), outside_room, rect.height())
            self.line(painter, beside, words, font, elide=outside_room > 0)
            return
        inner = rect.adjusted(7 if not cut_before else 4, 0, -5 - badge_room, 0)
        if inner.width() < 8:
            return
        painter.setPen(colour)
        self.line(painter, inner, words, font)

    def bar_path(self, rect: QRectF, cut_before: bool, cut_after: bool) -> QPainterPath:
        """A rounded bar; a side that goes on beyond the row is drawn as a point."""
        path = QPainterPath()
        r = min(self.RADIUS, rect.height() / 2, rect.width() / 2)
        tip = min(5.0, rect.width() / 4)
        top, bottom, mid = rect.top(), rect.bottom(), rect.center().y()
        left, right = rect.left(), rect.right()
        if cut_before:
            path.moveTo(left + tip, top)
        else:
            path.moveTo(left + r, top)
        if cut_after:
            path.lineTo(right - tip, top)
            path.lineTo(right, mid)
            path.lineTo(right - tip, bottom)
        else:
            path.lineTo(right - r, top)
            path.quadTo(right, top, right, top + r)
            path.lineTo(right, bottom - r)
            path.quadTo(right, bottom, right - r, bottom)
        if cut_before:
            path.lineTo(left + tip, bottom)
            path.lineTo(left, mid)
            path.closeSubpath()
        else:
            path.lineTo(left + r, bottom)
            path.quadTo(left, bottom, left, bottom - r)
            path.lineTo(left, top + r)
            path.quadTo(left, top, left + r, top)
        return path

    # --- chips and blocks ---------------------------------------------------------------

    def chip(
        self,
        painter: QPainter,
        rect: QRectF,
        occurrence: Occurrence,
        *,
        selected: bool = False,
        badge: str | None = None,
    ) -> None:
        """A timed item in a day cell: a dot in its kind's colour, its time and title."""
        fill, _edge, pale, _dark = _colours(occurrence.kind)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pale)
            painter.drawRoundedRect(rect, self.RADIUS, self.RADIUS)
            painter.setPen(QPen(SELECTED_RING, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), self.RADIUS, self.RADIUS)
        centre = QPointF(rect.left() + 7, rect.center().y())
        if occurrence.status == "idea":
            painter.setPen(QPen(fill, 1.5))
            painter.setBrush(WHITE)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_muted(occurrence.kind) if occurrence.status == "cancelled" else fill)
        painter.drawEllipse(centre, 3.6, 3.6)
        badge_room = self.badge(painter, rect, badge) if badge else 0.0
        left = rect.left() + 15
        cancelled = occurrence.status == "cancelled"
        if occurrence.start_time is not None:
            time = f"{occurrence.start_time:%H:%M}"
            painter.setPen(TEXT_MUTED)
            self.line(painter, QRectF(left, rect.top(), 40, rect.height()), time, self.small)
            left += self.metrics[id(self.small)].horizontalAdvance(time) + 5
        font = self.struck if cancelled else self.font
        painter.setPen(TEXT_MUTED if cancelled else TEXT_DARK)
        width = rect.right() - left - 3 - badge_room
        if width > 4:
            title = QRectF(left, rect.top(), width, rect.height())
            self.line(painter, title, label(occurrence), font)

    def block(
        self,
        painter: QPainter,
        rect: QRectF,
        occurrence: Occurrence,
        *,
        selected: bool = False,
        badge: str | None = None,
        times: str = "",
    ) -> None:
        """A timed item on the hour grid: a tinted block with a coloured edge, title, times."""
        fill, edge, pale, dark = _colours(occurrence.kind)
        idea = occurrence.status == "idea"
        cancelled = occurrence.status == "cancelled"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(WHITE)
        painter.drawRoundedRect(rect, self.RADIUS, self.RADIUS)
        if idea:
            painter.setBrush(pale)
            painter.setPen(QPen(fill, 1.4))
            painter.drawRoundedRect(rect.adjusted(0.7, 0.7, -0.7, -0.7), self.RADIUS, self.RADIUS)
            text_colour = dark
        elif cancelled:
            painter.setBrush(_muted(occurrence.kind))
            painter.drawRoundedRect(rect, self.RADIUS, self.RADIUS)
            text_colour = TEXT_CANCELLED
        else:
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, self.RADIUS, self.RADIUS)
            painter.setBrush(edge)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
            text_colour = WHITE
        if selected:
            painter.setPen(QPen(SELECTED_RING, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), self.RADIUS + 1, self.RADIUS + 1)
        badge_room = (
            self.badge(painter, QRectF(rect.left(), rect.top(), rect.width(), 18), badge)
            if badge
            else 0.0
        )
        inner = rect.adjusted(8, 2, -4 - badge_room, -2)
        if inner.width() < 10 or inner.height() < 8:
            return
        font = self.struck if cancelled else self.bold
        line = self.metrics[id(font)].height()
        painter.setPen(text_colour)
        painter.setFont(font)
        title = label(occurrence)
        if inner.height() < line * 2 + 1:
            # Short: the start time and the title on one line.
            text = f"{times.split(' ')[0]}  {title}" if times else title
            painter.drawText(
                inner,
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                self.elide(text, inner.width(), font),
            )
            return
        lines = max(1, int((inner.height() - line) // line))
        painter.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), line * lines),
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            title if lines > 1 else self.elide(title, inner.width(), font),
        )
        painter.setFont(self.small)
        painter.drawText(
            QRectF(inner.left(), inner.top() + line * lines, inner.width(), line),
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            self.elide(times, inner.width(), self.small),
        )

    # --- marks ----------------------------------------------------------------------------

    def badge(self, painter: QPainter, rect: QRectF, severity: str) -> float:
        """A round conflict badge at the right end of ``rect``; returns the room it takes."""
        size = min(13.0, rect.height() - 4)
        if size < 6:
            return 0.0
        centre = QPointF(rect.right() - 4 - size / 2, rect.top() + rect.height() / 2)
        if rect.height() > 24:
            centre.setY(rect.top() + 3 + size / 2)
        painter.setPen(QPen(WHITE, 1.2))
        painter.setBrush(QColor(BADGE_COLOURS.get(severity, BADGE_COLOURS["warning"])))
        painter.drawEllipse(centre, size / 2, size / 2)
        painter.setFont(self.badge_font)
        painter.setPen(WHITE)
        painter.drawText(
            QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size),
            Qt.AlignmentFlag.AlignCenter,
            "!",
        )
        return size + 4

    def ghost(self, painter: QPainter, rect: QRectF, kind: str, *, conflict: bool) -> None:
        """Where a dragged item would land: translucent, red when the drop makes a conflict.

        A white halo keeps it apart from the bars it passes over.
        """
        colour = QColor(GHOST_CONFLICT if conflict else kind_colour(kind))
        fill = QColor(colour)
        fill.setAlphaF(0.78 if conflict else 0.5)
        shape = rect.adjusted(1, 1, -1, -1)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(WHITE, 3))
        painter.drawRoundedRect(shape, self.RADIUS, self.RADIUS)
        painter.setBrush(fill)
        if conflict:
            # Solid, darker edge and white hatching: it reads as a warning over any bar.
            painter.setPen(QPen(colour.darker(140), 2))
            painter.drawRoundedRect(shape, self.RADIUS, self.RADIUS)
            painter.setBrush(QBrush(QColor(255, 255, 255, 110), Qt.BrushStyle.BDiagPattern))
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(colour.darker(120), 1.5, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(shape, self.RADIUS, self.RADIUS)
