"""The target-against-actual chart on screen: paints the layout the PDF prints.

The layout (``domain.review_chart``) is computed for the widget's width and painted as
it is; this module only turns its shapes into QPainter calls, so the chart on screen and
the one in the review PDF are the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from smarketing_desktop.domain.review import Campaign, format_number, result_text, team_label
from smarketing_desktop.domain.review_chart import (
    ChartLayout,
    ChartStyle,
    Line,
    Rect,
    Text,
    charted,
    layout_chart,
)
from smarketing_desktop.gui.review_models import tip

# Screen pixels are smaller than print points; the same layout, scaled up to read well.
SCREEN_STYLE = ChartStyle().scaled(1.45)
MARGIN = 8


@cache
def _font(size: float, bold: bool) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    return font


@cache
def _metrics(size: float, bold: bool) -> QFontMetricsF:
    return QFontMetricsF(_font(size, bold))


def measure(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in pixels in the application font at ``size`` pixels."""
    return _metrics(size, bold).horizontalAdvance(text)


class ChartView(QWidget):
    """Grouped bars of target and actual per metric for the chosen campaigns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(True)
        self.campaigns: list[Campaign] = []
        self.left_out = 0  # chosen campaigns beyond what one chart can show
        self.layout_: ChartLayout = layout_chart([], 1, measure, SCREEN_STYLE)

    def set_campaigns(self, campaigns: Sequence[Campaign]) -> None:
        """Chart these campaigns (the first twelve, as the PDF does; see ``left_out``)."""
        self.campaigns, self.left_out = charted(campaigns)
        self._relayout()

    def _relayout(self) -> None:
        width = max(1.0, self.width() - 2 * MARGIN)
        self.layout_ = layout_chart(self.campaigns, width, measure, SCREEN_STYLE)
        # The chart is as tall as its rows of panels; a scroll area shows the rest.
        self.setMinimumHeight(int(self.layout_.height) + 2 * MARGIN)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, int(self.layout_.height) + 2 * MARGIN)

    def resizeEvent(self, event: object) -> None:
        if abs(self.layout_.width - (self.width() - 2 * MARGIN)) > 0.5:
            self._relayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(MARGIN, MARGIN)
        for band, top in zip(self.layout_.bands, self.layout_.band_tops, strict=True):
            painter.save()
            painter.translate(0, top)
            for shape in band.shapes:
                if isinstance(shape, Rect):
                    self._rect(painter, shape)
                elif isinstance(shape, Line):
                    pen = QPen(QColor(shape.colour), shape.width)
                    pen.setCosmetic(True)
                    painter.setPen(pen)
                    painter.drawLine(QPointF(shape.x1, shape.y1), QPointF(shape.x2, shape.y2))
                else:
                    self._text(painter, shape)
            painter.restore()
        painter.end()

    @staticmethod
    def _rect(painter: QPainter, shape: Rect) -> None:
        if shape.stroke:
            painter.setPen(QPen(QColor(shape.stroke), 1))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(shape.fill) if shape.fill else Qt.BrushStyle.NoBrush)
        inset = 0.5 if shape.stroke else 0.0  # keep a 1 px outline on the pixel grid
        painter.drawRect(
            QRectF(shape.x + inset, shape.y + inset, shape.width - inset, shape.height - inset)
        )

    @staticmethod
    def _text(painter: QPainter, shape: Text) -> None:
        painter.setFont(_font(shape.size, shape.bold))
        painter.setPen(QColor(shape.colour))
        x = shape.x
        if shape.anchor != "start":
            width = measure(shape.text, shape.size, shape.bold)
            x -= width / 2 if shape.anchor == "middle" else width
        painter.drawText(QPointF(x, shape.y), shape.text)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            bar = self.layout_.bar_at(event.pos().x() - MARGIN, event.pos().y() - MARGIN)
            if bar is None:
                QToolTip.hideText()
                event.ignore()
                return True
            title = self.campaigns[bar.campaign - 1].title
            goal = bar.goal
            text = f"{bar.campaign}. {title}\n{goal.metric} ({team_label(goal.team)})\n" + (
                f"Target {format_number(goal.target)}"
                if bar.role == "target"
                else result_text(goal)
            )
            QToolTip.showText(event.globalPos(), tip(text), self)
            return True
        return super().event(event)
