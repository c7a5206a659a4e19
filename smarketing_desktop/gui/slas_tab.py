"""The SLAs tab (first version): the agreements with status, version and signatories,
and a preview of the selected one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.context import SLAS, PlanContext
from smarketing_desktop.gui.sla_preview import STATUS_COLOURS, day, sla_html, status_label
from smarketing_desktop.gui.widgets import EmptyState, heading, note, read_only_table
from smarketing_desktop.services.slas import SlaSummary, get_sla, list_sla_summaries

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
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(STATUS_COLOURS.get(sla.status, "#1f2933")))
        if role == Qt.ItemDataRole.FontRole and index.column() == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return sla.id
        return None


class SlasTab(QWidget):
    """The plan's SLAs in a table, and a preview of the selected one underneath."""

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = SlaModel(self)
        self.table = read_only_table(
            "slaTable", self.model, {1: 150, 2: 80, 3: 230, 4: 240, 5: 120}, stretch=0
        )
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.preview = QTextBrowser()
        self.preview.setObjectName("slaPreview")
        self.preview.setOpenLinks(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("slaSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.empty = EmptyState("sla")
        self.empty.set_text(
            "No service level agreements in this plan yet",
            "An SLA writes down what marketing and sales owe each other, signed by both leaders.",
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.empty)
        self.title = heading("Service level agreements")
        self.summary = note()
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
        if topic == SLAS:
            self.refresh()

    def refresh(self) -> None:
        current = self.current_id()
        rows = list_sla_summaries(self.context.plan)
        self.model.set_rows(rows)
        signed = sum(1 for row in rows if row.status == SlaStatus.SIGNED)
        self.summary.setText(
            f"{len(rows)} agreement{'' if len(rows) == 1 else 's'} · {signed} signed"
            if rows
            else ""
        )
        self.pages.setCurrentWidget(self.splitter if rows else self.empty)
        self._fit_table(len(rows))
        ids = [row.id for row in rows]
        if rows:
            row = ids.index(current) if current in ids else 0
            self.table.setCurrentIndex(self.model.index(row, 0))
        else:
            self.preview.clear()

    def _fit_table(self, rows: int) -> None:
        """Give the list the height of its rows (two to eight) and the preview the rest."""
        shown = min(max(rows, 2), 8)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + 4
        )
        total = max(sum(self.splitter.sizes()), height + 200)
        self.splitter.setSizes([height, total - height])

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(Qt.ItemDataRole.UserRole)) if index.isValid() else None

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.preview.clear()
            return
        try:
            document = get_sla(self.context.plan, str(current.data(Qt.ItemDataRole.UserRole)))
        except UserError as error:  # removed meanwhile (another window, the CLI)
            self.preview.setPlainText(str(error))
            return
        self.preview.setHtml(sla_html(document))
