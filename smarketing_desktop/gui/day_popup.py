"""The list behind a "+N more": every item of one busy day, to open or drag away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui.calendar_mime import encode_uids
from smarketing_desktop.gui.item_painter import label
from smarketing_desktop.gui.palette import kind_icon

_ROLE = Qt.ItemDataRole.UserRole


class _DayList(QListWidget):
    """A list whose rows drag as calendar items (onto another day, or the backlog)."""

    dragging = Signal(object)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        row = self.currentItem()
        if row is None:
            return
        occurrence: Occurrence = row.data(_ROLE)
        carrier = QDrag(self)
        carrier.setMimeData(encode_uids([occurrence.uid], "calendar"))
        self.dragging.emit(occurrence)
        try:
            carrier.exec(Qt.DropAction.MoveAction)
        finally:
            self.dragging.emit(None)


class DayPopup(QFrame):
    """A small window over the day cell, closed by a click anywhere else or Escape.

    Signals:
        activated(Occurrence): double-click or Enter on an item.
        picked(Occurrence): an item was clicked (the view selects it).
        dragging(Occurrence | None): an item is being dragged out (None: the drag ended).
    """

    activated = Signal(object)
    picked = Signal(object)
    dragging = Signal(object)

    def __init__(self, parent: QWidget, day: dt.date, occurrences: Sequence[Occurrence]) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("dayPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.day = day
        self.title = QLabel(f"{day:%A} {day.day} {day:%B}")
        self.title.setObjectName("dayPopupTitle")
        heading = QFont(self.title.font())
        heading.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(heading)
        self.list = _DayList()
        self.list.setObjectName("dayPopupList")
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setUniformItemSizes(True)
        # Long titles end in "…" (the tooltip has the dates) rather than scrolling sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSpacing(2)
        self.list.setIconSize(QSize(12, 12))
        for occurrence in occurrences:
            row = QListWidgetItem(kind_icon(occurrence.kind), self._text(occurrence))
            row.setData(_ROLE, occurrence)
            row.setToolTip(Span.of(occurrence).describe())
            if occurrence.status in ("cancelled", "idea"):
                font = QFont(self.list.font())
                font.setStrikeOut(occurrence.status == "cancelled")
                font.setItalic(occurrence.status == "idea")
                row.setFont(font)
            self.list.addItem(row)
        self.list.itemDoubleClicked.connect(lambda row: self._activate(row))
        self.list.itemClicked.connect(lambda row: self.picked.emit(row.data(_ROLE)))
        self.list.dragging.connect(self._dragging)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        rows = max(1, min(len(occurrences), 12))
        height = max(self.list.sizeHintForRow(0) if occurrences else 20, 18)
        self.list.setFixedHeight(rows * (height + 2 * self.list.spacing()) + 4)
        wanted = self.list.sizeHintForColumn(0) + 24 if occurrences else 0
        self.setFixedWidth(int(min(max(wanted, 300), 460)))

    @staticmethod
    def _text(occurrence: Occurrence) -> str:
        if occurrence.start_time is not None:
            return label(occurrence, time=True)
        if occurrence.start != occurrence.end:
            return f"{label(occurrence)}  ·  {Span.of(occurrence).describe()}"
        return label(occurrence)

    def occurrences(self) -> list[Occurrence]:
        return [self.list.item(n).data(_ROLE) for n in range(self.list.count())]

    def show_at(self, where: QPoint) -> None:
        self.adjustSize()
        screen = self.screen().availableGeometry()
        x = min(max(screen.left(), where.x() - 10), screen.right() - self.width())
        y = min(max(screen.top(), where.y() - 40), screen.bottom() - self.height())
        self.move(x, y)
        self.show()
        self.list.setFocus()
        if self.list.count():
            self.list.setCurrentRow(0)

    def _activate(self, row: QListWidgetItem) -> None:
        occurrence = row.data(_ROLE)
        self.close()
        self.activated.emit(occurrence)

    def _dragging(self, occurrence: Occurrence | None) -> None:
        if occurrence is not None:
            self.hide()  # out of the way of the days it may be dropped on
        self.dragging.emit(occurrence)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.list.currentItem():
            self._activate(self.list.currentItem())
            return
        super().keyPressEvent(event)
