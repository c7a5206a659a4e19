"""The Personas tab (first version): the plan's buyer personas as a grid of cards."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.gui.context import PERSONAS, PlanContext
from smarketing_desktop.gui.palette import avatar
from smarketing_desktop.gui.widgets import EmptyState, heading, note
from smarketing_desktop.services.personas import PersonaCard, list_persona_cards

Index = QModelIndex | QPersistentModelIndex
CARD_HEIGHT = 128
MIN_CARD_WIDTH = 380
AVATAR = 64
# Buying stages in the order a buyer goes through them, each with its own colour.
STAGE_COLOURS: dict[str, str] = {
    BuyingStage.AWARENESS: "#0c8599",
    BuyingStage.CONSIDERATION: "#7048e8",
    BuyingStage.DECISION: "#2b8a3e",
}


class PersonaCardModel(QAbstractListModel):
    """Persona cards (plain dataclasses from the personas service) as a list model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[PersonaCard] = []

    def set_cards(self, cards: list[PersonaCard]) -> None:
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{_escape(card.name)}</b>"]
            if card.role:
                lines.append(_escape(card.role))
            if card.summary:
                lines.append(f"<i>{_escape(card.summary)}</i>")
            return "<br>".join(lines)
        if role == Qt.ItemDataRole.UserRole:
            return card
        return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PersonaCardDelegate(QStyledItemDelegate):
    """Paints a card: picture (or initials), name, role, buying stage and a summary."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(MIN_CARD_WIDTH, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: PersonaCard = index.data(Qt.ItemDataRole.UserRole)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        card_rect = QRectF(rect.adjusted(8, 8, -8, -8)).adjusted(0.5, 0.5, -0.5, -0.5)
        border = "#2f6fde" if selected else "#b8c4d1" if hovered else "#dde3ea"
        painter.setPen(QColor(border))
        painter.setBrush(QColor("#eef4ff") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(card_rect, 10, 10)
        inner = card_rect.toRect().adjusted(16, 14, -16, -14)

        painter.drawPixmap(inner.left(), inner.top() + 2, avatar(card.name, AVATAR, card.picture))
        left = inner.left() + AVATAR + 16
        width = inner.right() - left

        name_font = QFont(option.font)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.2)
        name_font.setBold(True)
        name_metrics = QFontMetrics(name_font)
        small = QFont(option.font)
        metrics = QFontMetrics(small)
        stage_font = QFont(option.font)
        stage_font.setPointSizeF(stage_font.pointSizeF() * 0.85)
        stage_font.setBold(True)
        stage_metrics = QFontMetrics(stage_font)

        # The buying stage as a pill at the top right.
        stage_width = 0
        if card.buying_stage:
            label = card.buying_stage.capitalize()
            stage_width = stage_metrics.horizontalAdvance(label) + 16
            pill = QRectF(inner.right() - stage_width, inner.top() + 2, stage_width, 20)
            colour = QColor(STAGE_COLOURS.get(card.buying_stage.lower(), "#52606d"))
            fill = QColor(colour)
            fill.setAlpha(28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, 10, 10)
            painter.setPen(colour)
            painter.setFont(stage_font)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)

        y = inner.top()
        painter.setFont(name_font)
        painter.setPen(QColor("#1f2933"))
        name_width = width - stage_width - 8
        painter.drawText(
            QRect(left, y, name_width, name_metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name_metrics.elidedText(card.name, Qt.TextElideMode.ElideRight, name_width),
        )
        y += name_metrics.height() + 2
        painter.setFont(small)
        painter.setPen(QColor("#52606d"))
        painter.drawText(
            QRect(left, y, width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(card.role, Qt.TextElideMode.ElideRight, width),
        )
        y += metrics.height() + 8
        # The summary (usually the persona's quote) on up to two lines.
        painter.setPen(QColor("#616e7c"))
        summary = card.summary
        space = QRect(left, y, width, inner.bottom() - y)
        bound = metrics.boundingRect(space, Qt.TextFlag.TextWordWrap, summary)
        if bound.height() > space.height():
            summary = metrics.elidedText(summary, Qt.TextElideMode.ElideRight, width * 2 - 40)
        painter.drawText(space, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, summary)
        painter.restore()


class CardGrid(QListView):
    """A list view that lays cards out in as many columns as fit, each as wide as it can."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(0)
        self.setMouseTracking(True)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setGridSize(QSize(MIN_CARD_WIDTH, CARD_HEIGHT))

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = self.viewport().width() - 4
        columns = max(1, width // MIN_CARD_WIDTH)
        self.setGridSize(QSize(max(MIN_CARD_WIDTH, width // columns), CARD_HEIGHT))
        super().resizeEvent(event)


class PersonasTab(QWidget):
    """The plan's buyer personas, read-only for now (the editor opens from here later)."""

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = PersonaCardModel(self)
        self.list = CardGrid()
        self.list.setObjectName("personaList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(PersonaCardDelegate(self.list))
        self.title = heading("Buyer personas")
        self.summary = note()
        self.empty = EmptyState("personas")
        self.empty.set_text(
            "No buyer personas in this plan yet",
            "Personas describe the buyers both teams target: their goals, challenges and "
            "the channels they trust.",
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list)
        self.pages.addWidget(self.empty)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == PERSONAS:
            self.refresh()

    def refresh(self) -> None:
        cards = list_persona_cards(self.context.plan)
        self.model.set_cards(cards)
        self.summary.setText(f"{len(cards)} persona{'' if len(cards) == 1 else 's'}")
        self.pages.setCurrentWidget(self.list if cards else self.empty)
