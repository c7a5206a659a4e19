"""The list of SLAs in the SLAs tab: one row per agreement with status, version, dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from smarketing_desktop.gui.sla_preview import STATUS_COLOURS, day, status_label
from smarketing_desktop.services.slas import SlaSummary

COLUMNS = ("Agreement", "Status", "Version", "In force", "Signatories", "Commitments")
Index = QModelIndex | QPersistentModelIndex


class SlaModel(QAbstractTableModel):
    """SLA summaries (plain dataclasses from the SLA service) as table rows."""

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
            return (
                sla.title,
                status_label(sla.status),
                f"v{sla.version}",
                f"{day(sla.effective)} – {day(sla.ends)}",
                ", ".join(name for name in sla.signatories if name) or "—",
                str(sla.commitments),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return sla.title
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(STATUS_COLOURS.get(sla.status, "#1f2933")))
        if role == Qt.ItemDataRole.FontRole and index.column() == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return sla.id
        return None

    def row_of(self, sla_id: str) -> int:
        return next((n for n, row in enumerate(self.rows) if row.id == sla_id), -1)
