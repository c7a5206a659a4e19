"""The SLAs tab (first version): the agreements with status, version and signatories."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.gui.context import SLAS, PlanContext
from smarketing_desktop.services.slas import SlaSummary, list_sla_summaries

COLUMNS = ("Agreement", "Status", "Version", "In force", "Signatories", "Commitments")
_STATUS_COLOURS = {
    "draft": "#7b8794",
    "out_for_signature": "#e67700",
    "signed": "#2b8a3e",
    "expired": "#c92a2a",
}
Index = QModelIndex | QPersistentModelIndex


def _day(value: Any) -> str:
    return f"{value.day} {value:%b %Y}" if value else "—"


class SlaModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SlaSummary] = []

    def set_rows(self, rows: list[SlaSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sla = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = (
                SlaStatus(sla.status).label
                if sla.status in SlaStatus._value2member_map_
                else sla.status
            )
            return (
                sla.title,
                status,
                f"v{sla.version}",
                f"{_day(sla.effective)} – {_day(sla.ends)}",
                ", ".join(name for name in sla.signatories if name) or "—",
                str(sla.commitments),
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(_STATUS_COLOURS.get(sla.status, "#1f2933")))
        if role == Qt.ItemDataRole.UserRole:
            return sla.id
        return None


class SlasTab(QWidget):
    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = SlaModel(self)
        self.table = QTableView()
        self.table.setObjectName("slaTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 150), (2, 70), (3, 230), (4, 240), (5, 110)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == SLAS:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(list_sla_summaries(self.context.plan))
