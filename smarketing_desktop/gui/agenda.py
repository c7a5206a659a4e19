"""The Calendar tab (first version): the items of the visible month as an agenda.

Only the visible month is read from the plan, so a plan of any size opens as fast as an
empty one. The month, week and timeline views with drag and drop build on this.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.words import Kind
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PlanContext
from smarketing_desktop.gui.palette import kind_colour, kind_icon
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.widgets import EmptyState, heading, note, read_only_table
from smarketing_desktop.services.items import occurrences_between

COLUMNS = ("When", "Title", "Kind", "Team", "Owner", "Status", "Impact")
Index = QModelIndex | QPersistentModelIndex


def when(o: Occurrence) -> str:
    """``Mon 12 Jan``, ``12–14 Jan``, ``Tue 13 Jan 09:30–10:00``."""
    if o.start == o.end:
        text = f"{o.start:%a} {o.start.day} {o.start:%b}"
        if o.start_time is not None and o.end_time is not None:
            text += f" {o.start_time:%H:%M}–{o.end_time:%H:%M}"
        return text
    if o.start.month == o.end.month:
        return f"{o.start.day}–{o.end.day} {o.end:%b}"
    return f"{o.start.day} {o.start:%b} – {o.end.day} {o.end:%b}"


def kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind._value2member_map_ else kind


# Roles as plain ints: comparing PySide enums per cell and role dominated painting.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_USER = Qt.ItemDataRole.UserRole.value
_MUTED = QBrush(QColor("#868e96"))
_BIG = QBrush(QColor("#c2255c"))
_TODAY = QBrush(QColor("#fff9e3"))
_STATUS = {
    "idea": QBrush(QColor("#7b8794")),
    "planned": QBrush(QColor("#1c64d9")),
    "approved": QBrush(QColor("#2b8a3e")),
    "done": QBrush(QColor("#3e4c59")),
}


def _font(o: Occurrence) -> QFont | None:
    if o.status not in ("cancelled", "idea") and o.impact != "big":
        return None
    font = QFont()
    font.setStrikeOut(o.status == "cancelled")
    font.setItalic(o.status == "idea")
    font.setBold(o.impact == "big")
    return font


class AgendaModel(QAbstractTableModel):
    """Occurrences as rows; each row's values are worked out once, on first paint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Occurrence] = []
        self.today = dt.date.today()
        self._cells: dict[int, tuple[tuple[str, ...], QFont | None]] = {}

    def set_rows(self, rows: list[Occurrence], today: dt.date | None = None) -> None:
        """Show ``rows``; those that take place on ``today`` are highlighted."""
        self.beginResetModel()
        self.rows = rows
        self.today = today or dt.date.today()
        self._cells = {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return COLUMNS[section]
        return None

    def _row(self, row: int) -> tuple[tuple[str, ...], QFont | None]:
        cells = self._cells.get(row)
        if cells is None:
            o = self.rows[row]
            texts = (
                when(o),
                o.title + ("  ↻" if o.recurring else ""),
                kind_label(o.kind),
                o.team.capitalize(),
                o.owner_name,
                o.status.capitalize(),
                "★ Big" if o.impact == "big" else o.impact.capitalize(),
            )
            cells = self._cells[row] = (texts, _font(o))
        return cells

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self._row(row)[0][column]
        if role == _DECORATION:
            return kind_icon(self.rows[row].kind) if column == 2 else None
        if role == _FONT:
            return self._row(row)[1] if column == 1 else None
        if role == _FOREGROUND:
            o = self.rows[row]
            if o.status == "cancelled":
                return _MUTED
            if column == 5:
                return _STATUS.get(o.status)
            if column == 6:
                return _BIG if o.impact == "big" else _MUTED
            return None
        if role == _BACKGROUND:
            o = self.rows[row]
            return _TODAY if o.start <= self.today <= o.end else None
        if role == _TOOLTIP:
            o = self.rows[row]
            if column == 0 and o.start <= self.today <= o.end:
                return "Today"
            if column == 1:
                return o.description or o.title
            return None
        if role == _USER:
            return self.rows[row].uid
        return None


class Legend(QWidget):
    """The colour of each kind, always visible under the calendar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # On a narrow window the legend is cut at the right rather than widening the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(14)
        for kind in Kind:
            swatch = QLabel()
            swatch.setFixedSize(11, 11)
            swatch.setStyleSheet(f"background: {kind_colour(kind).name()}; border-radius: 3px;")
            label = QLabel(kind.label)
            label.setObjectName("legendLabel")
            pair = QHBoxLayout()
            pair.setSpacing(5)
            pair.addWidget(swatch)
            pair.addWidget(label)
            layout.addLayout(pair)
        layout.addStretch(1)


def _tool_button(image: QIcon | None, text: str, tip: str) -> QToolButton:
    button = QToolButton()
    if image is not None:
        button.setIcon(image)
    button.setText(text)
    button.setToolTip(tip)
    return button


class CalendarTab(QWidget):
    """The visible month as an agenda, with month navigation and a legend of kinds."""

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.month = dt.date.today().replace(day=1)
        self.model = AgendaModel(self)

        self.previous_button = _tool_button(icon("previous"), "", "Previous month")
        self.next_button = _tool_button(icon("next"), "", "Next month")
        self.today_button = _tool_button(icon("today"), "Today", "Go to this month")
        self.today_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.title = heading(name="monthTitle")
        self.summary = note()
        self.summary.setObjectName("monthSummary")

        self.table = read_only_table(
            "agendaTable", self.model, {0: 200, 2: 160, 3: 100, 4: 140, 5: 100, 6: 90}, stretch=1
        )
        self.empty = EmptyState("calendar")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)

        bar = QHBoxLayout()
        bar.setSpacing(4)
        for widget in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(14)
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        layout.addWidget(Legend(self))
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic in (ITEMS, PEOPLE):
            self.refresh()

    def visible_range(self) -> tuple[dt.date, dt.date]:
        following = dt.date(self.month.year + self.month.month // 12, self.month.month % 12 + 1, 1)
        return self.month, following - dt.timedelta(days=1)

    def step(self, months: int) -> None:
        index = self.month.year * 12 + self.month.month - 1 + months
        self.month = dt.date(index // 12, index % 12 + 1, 1)
        self.refresh()

    def go_today(self) -> None:
        self.month = dt.date.today().replace(day=1)
        self.refresh()

    def refresh(self) -> None:
        first, last = self.visible_range()
        rows = occurrences_between(self.context.plan, first, last)
        self.model.set_rows(rows)
        self.title.setText(f"{self.month:%B %Y}")
        big = sum(1 for o in rows if o.impact == "big" and o.status != "cancelled")
        today = dt.date.today()
        now = sum(1 for o in rows if o.start <= today <= o.end)
        facts = [f"{len(rows)} on the calendar"]
        if now:
            facts.append(f"{now} today")
        if big:
            facts.append(f"{big} with big impact")
        self.summary.setText(" · ".join(facts) if rows else "")
        self.empty.set_text(
            f"Nothing on the calendar in {self.month:%B %Y}",
            "Campaigns, events and meetings of this month will be listed here. "
            "Use the arrows to look at other months.",
        )
        self.pages.setCurrentWidget(self.table if rows else self.empty)
