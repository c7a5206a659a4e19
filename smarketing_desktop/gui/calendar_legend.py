"""The calendar's legend: the colour of each kind and what the marks on items mean.

Painted, so that on a narrow window it wraps onto a second line instead of squeezing its
labels or widening the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from smarketing_desktop.domain.words import Kind
from smarketing_desktop.gui.palette import kind_colour

SWATCH = 11.0
GAP = 5.0  # between a swatch and its label
SPACING = 14.0  # between entries
LINE = 20.0
TEXT = QColor("#616e7c")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry: a swatch ("fill", "outline", "muted" or none) and its label."""

    text: str
    colour: QColor | None = None
    swatch: str = "fill"
    struck: bool = False


def entries() -> list[Entry]:
    kinds = [Entry(kind.label, kind_colour(kind.value)) for kind in Kind]
    grey = QColor("#7b8794")
    return [
        *kinds,
        Entry("★ big impact", swatch=""),
        Entry("↻ repeats", swatch=""),
        Entry("idea", grey, "outline"),
        Entry("cancelled", grey, "muted", struck=True),
    ]


class Legend(QWidget):
    """Kinds and marks in rows that wrap to the width they are given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarLegend")
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.font_ = QFont(self.font())
        self.font_.setPixelSize(12)
        self.struck = QFont(self.font_)
        self.struck.setStrikeOut(True)
        self.metrics = QFontMetricsF(self.font_)
        self.entries = entries()
        self.setToolTip(
            "Colours are kinds. ★ big impact · ↻ a repeating item · an idea is drawn as an "
            "outline · a cancelled item is faded and struck through"
        )

    def _width_of(self, entry: Entry) -> float:
        swatch = SWATCH + GAP if entry.swatch else 0.0
        return swatch + self.metrics.horizontalAdvance(entry.text)

    def places(self, width: float) -> list[tuple[Entry, QPointF]]:
        """Where each entry goes for a width: left to right, wrapping onto new lines."""
        x, y, placed = 0.0, 6.0, []
        for entry in self.entries:
            size = self._width_of(entry)
            if x > 0 and x + size > width:
                x, y = 0.0, y + LINE
            placed.append((entry, QPointF(x, y)))
            x += size + SPACING
        return placed

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        placed = self.places(float(max(width, 1)))
        return int(placed[-1][1].y() + LINE) if placed else int(LINE)

    def sizeHint(self) -> QSize:
        width = sum(self._width_of(e) + SPACING for e in self.entries)
        return QSize(int(width), int(LINE + 6))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, int(LINE + 6))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for entry, at in self.places(float(self.width())):
            x = at.x()
            middle = at.y() + LINE / 2
            if entry.swatch and entry.colour is not None:
                box = QRectF(x, middle - SWATCH / 2, SWATCH, SWATCH)
                if entry.swatch == "outline":
                    painter.setPen(QPen(entry.colour, 1.4))
                    painter.setBrush(QColor("#ffffff"))
                    painter.drawRoundedRect(box.adjusted(0.7, 0.7, -0.7, -0.7), 3, 3)
                else:
                    painter.setPen(Qt.PenStyle.NoPen)
                    colour = QColor(entry.colour)
                    if entry.swatch == "muted":
                        colour.setAlphaF(0.4)
                    painter.setBrush(colour)
                    painter.drawRoundedRect(box, 3, 3)
                x += SWATCH + GAP
            painter.setPen(TEXT)
            painter.setFont(self.struck if entry.struck else self.font_)
            painter.drawText(
                QRectF(x, at.y(), self.width() - x, LINE),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                entry.text,
            )
        painter.end()
