"""The Personas tab (first version): the plan's personas as cards."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.gui.context import PERSONAS, PlanContext
from smarketing_desktop.gui.palette import avatar
from smarketing_desktop.services.personas import PersonaCard, list_persona_cards

Index = QModelIndex | QPersistentModelIndex
CARD = 96
AVATAR = 64


class PersonaCardModel(QAbstractListModel):
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
            return f"{card.name} — {card.role}" if card.role else card.name
        if role == Qt.ItemDataRole.UserRole:
            return card
        return None


class PersonaCardDelegate(QStyledItemDelegate):
    """Picture (or initials), name, role and a one-line summary."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width() or 400, CARD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: PersonaCard = index.data(Qt.ItemDataRole.UserRole)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        card_rect = rect.adjusted(8, 6, -8, -6)
        painter.setPen(QColor("#2f6fde") if selected else QColor("#dde3ea"))
        painter.setBrush(QColor("#eef4ff") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(card_rect, 8, 8)
        top = card_rect.top() + (card_rect.height() - AVATAR) // 2
        painter.drawPixmap(card_rect.left() + 14, top, avatar(card.name, AVATAR, card.picture))
        text_left = card_rect.left() + 14 + AVATAR + 16
        width = card_rect.right() - text_left - 14
        name_font = QFont(option.font)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.2)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(QColor("#1f2933"))
        line = QFontMetrics(name_font).height()
        painter.drawText(
            QRect(text_left, card_rect.top() + 12, width, line),
            Qt.AlignmentFlag.AlignLeft,
            card.name,
        )
        small = QFont(option.font)
        metrics = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(QColor("#52606d"))
        role = card.role + (f" · {card.buying_stage}" if card.buying_stage else "")
        painter.drawText(
            QRect(text_left, card_rect.top() + 14 + line, width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            role,
        )
        painter.setPen(QColor("#7b8794"))
        summary = metrics.elidedText(card.summary, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(
                text_left, card_rect.top() + 18 + line + metrics.height(), width, metrics.height()
            ),
            Qt.AlignmentFlag.AlignLeft,
            summary,
        )
        painter.restore()


class PersonasTab(QWidget):
    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = PersonaCardModel(self)
        self.list = QListView()
        self.list.setObjectName("personaList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(PersonaCardDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == PERSONAS:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_cards(list_persona_cards(self.context.plan))
