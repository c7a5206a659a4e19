"""Journey coverage: personas × buying stages for a quarter; empty cells are the gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.periods import quarter_start
from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.palette import avatar
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.rich import literal
from smarketing_desktop.services import personas as service

Index = QModelIndex | QPersistentModelIndex
STAGES = tuple(BuyingStage)
GAP = QColor("#fff0f0")
GAP_TEXT = QColor("#c92a2a")
# Covered cells get a deeper blue the more items reach the persona at that stage.
COVERED = (QColor("#edf4ff"), QColor("#d6e6ff"), QColor("#b9d3ff"))


def quarter_label(first: dt.date) -> str:
    last = first + relativedelta(months=3, days=-1)
    return f"Q{(first.month - 1) // 3 + 1} {first.year} · {first:%b} – {last:%b}"


class CoverageModel(QAbstractTableModel):
    """Rows are personas, columns the buying stages; a cell holds the items reaching it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.personas: list[service.PersonaCard] = []
        self.cells: dict[str, dict[BuyingStage, list[service.CoverageEntry]]] = {}
        self.quarter = ""

    def set_coverage(
        self,
        personas: list[service.PersonaCard],
        cells: dict[str, dict[BuyingStage, list[service.CoverageEntry]]],
        quarter: str,
    ) -> None:
        self.beginResetModel()
        self.personas, self.cells, self.quarter = personas, cells, quarter
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.personas)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(STAGES)

    def entries(self, row: int, column: int) -> list[service.CoverageEntry]:
        persona = self.personas[row]
        return self.cells.get(persona.id, {}).get(STAGES[column], [])

    def gaps(self) -> int:
        return sum(
            1
            for row in range(self.rowCount())
            for column in range(self.columnCount())
            if not self.entries(row, column)
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entries = self.entries(index.row(), index.column())
        number = len(entries)
        if role == Qt.ItemDataRole.DisplayRole:
            if not number:
                return "Gap"
            return f"{number} item{'s' if number != 1 else ''}"
        if role == Qt.ItemDataRole.UserRole:
            return number
        if role == Qt.ItemDataRole.BackgroundRole:
            return GAP if not number else COVERED[min(number, len(COVERED)) - 1]
        if role == Qt.ItemDataRole.ForegroundRole:
            return GAP_TEXT if not number else QColor("#1f2933")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.1)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), index.column(), entries)
        return None

    def _tooltip(self, row: int, column: int, entries: list[service.CoverageEntry]) -> str:
        persona = literal(self.personas[row].name)
        stage = STAGES[column].value
        if not entries:
            return (
                f"<p><b>A gap.</b> Nothing reaches {persona} at the {stage} stage in "
                f"{literal(self.quarter)}.</p>"
            )
        lines = "".join(
            f"<li>{literal(entry.title)} <span style='color:#616e7c'>· "
            f"{entry.start.day} {entry.start:%b}</span></li>"
            for entry in entries[:15]
        )
        more = f"<p>…and {len(entries) - 15} more</p>" if len(entries) > 15 else ""
        return f"<p><b>{persona}</b> · {stage}</p><ul style='margin-left:-20px'>{lines}</ul>{more}"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return STAGES[section].value.capitalize()
            return None
        if not 0 <= section < len(self.personas):
            return None
        persona = self.personas[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return persona.name
        if role == Qt.ItemDataRole.DecorationRole:
            return avatar(persona.name, 24, persona.picture)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"<p><b>{literal(persona.name)}</b><br>{literal(persona.role)}</p>"
        return None


class TileDelegate(QStyledItemDelegate):
    """A cell as a rounded tile: the count large, gaps outlined in red."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = QRectF(option.rect).adjusted(5, 4, -5, -4)
        number = int(index.data(Qt.ItemDataRole.UserRole) or 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = index.data(Qt.ItemDataRole.BackgroundRole)
        pen = QPen(QColor("#2f6fde") if selected else GAP_TEXT if not number else fill)
        pen.setWidthF(1.5 if selected else 1.0)
        if not number and not selected:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(tile, 7, 7)
        painter.setPen(index.data(Qt.ItemDataRole.ForegroundRole))
        painter.setFont(index.data(Qt.ItemDataRole.FontRole))
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        painter.drawText(tile, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class JourneyView(QWidget):
    """The coverage table with a quarter picker; double-click opens the persona."""

    open_persona = Signal(str)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.first = quarter_start(dt.date.today())
        self.model = CoverageModel(self)

        self.previous_button = QToolButton()
        self.previous_button.setIcon(icon("previous"))
        self.previous_button.setToolTip("Previous quarter")
        self.previous_button.clicked.connect(lambda: self.set_quarter(self.first, -1))
        self.next_button = QToolButton()
        self.next_button.setIcon(icon("next"))
        self.next_button.setToolTip("Next quarter")
        self.next_button.clicked.connect(lambda: self.set_quarter(self.first, 1))
        self.this_quarter = QPushButton("This quarter")
        self.this_quarter.clicked.connect(lambda: self.set_quarter(quarter_start(dt.date.today())))
        self.quarter_label = QLabel()
        self.quarter_label.setObjectName("quarterLabel")
        self.summary = QLabel()
        self.summary.setObjectName("tabSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.table = QTableView()
        self.table.setObjectName("coverageTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(TileDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(24, 24))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setHighlightSections(False)
        vertical = self.table.verticalHeader()
        vertical.setDefaultSectionSize(52)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vertical.setMinimumWidth(240)
        vertical.setMaximumWidth(360)
        vertical.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical.setHighlightSections(False)
        self.table.doubleClicked.connect(self._open)
        vertical.sectionDoubleClicked.connect(self._open_row)

        legend = QLabel(
            "Each cell counts the scheduled items that target the persona at that stage "
            "(the stage of an item's kind unless the item names one). Red cells are gaps: "
            "nothing reaches that buyer there this quarter."
        )
        legend.setObjectName("legendLabel")
        legend.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.quarter_label)
        bar.addSpacing(8)
        bar.addWidget(self.this_quarter)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.refresh()

    def set_quarter(self, first: dt.date, step: int = 0) -> None:
        """Show the quarter starting ``first`` (moved by ``step`` quarters)."""
        self.first = quarter_start(first + relativedelta(months=3 * step))
        self.refresh()

    def refresh(self) -> None:
        last = self.first + relativedelta(months=3, days=-1)
        cards = service.list_persona_cards(self.context.plan)
        cells = service.journey_items(self.context.plan, self.first, last)
        label = quarter_label(self.first)
        self.model.set_coverage(cards, cells, label)
        self.quarter_label.setText(label)
        gaps, total = self.model.gaps(), len(cards) * len(STAGES)
        if not cards:
            self.summary.setText("No personas yet")
        elif gaps:
            self.summary.setText(f"{gaps} gap{'s' if gaps != 1 else ''} in {total} cells")
        else:
            self.summary.setText("Every persona is reached at every stage")

    def _open(self, index: QModelIndex) -> None:
        self._open_row(index.row())

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.personas):
            self.open_persona.emit(self.model.personas[row].id)
