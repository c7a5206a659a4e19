"""The agenda: upcoming items as a sortable, filterable table (the calendar's fourth view).

Only the agenda's own period is read from the plan (by default today and the next 89
days), so a plan of any size lists as fast as a small one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import last_day
from smarketing_desktop.domain.words import Impact, Kind, Status
from smarketing_desktop.gui import settings, zones
from smarketing_desktop.gui.calendar_shapes import ConflictMarks
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PERSONAS, SLAS, PlanContext
from smarketing_desktop.gui.palette import kind_icon
from smarketing_desktop.gui.widgets import EmptyState, note, read_only_table
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.services.personas import list_persona_cards

COLUMNS = ("When", "Title", "Kind", "Team", "Owner", "Status", "Impact", "Personas")
AGENDA_DAYS = 90
Index = QModelIndex | QPersistentModelIndex


def when(o: Occurrence) -> str:
    """``Mon 12 Jan``, ``12–14 Jan``, ``Tue 13 Jan 09:30–10:00``, ``Tue 13 Jan 22:00–24:00``,
    ``Tue 13 Jan 22:00 – Wed 14 Jan 02:00``."""
    if o.start_time is not None and o.end_time is not None:
        start = f"{o.start:%a} {o.start.day} {o.start:%b} {o.start_time:%H:%M}"
        if o.end == o.start:
            return f"{start}–{o.end_time:%H:%M}"
        if last_day(o) == o.start:  # ends at midnight
            return f"{start}–24:00"
        return f"{start} – {o.end:%a} {o.end.day} {o.end:%b} {o.end_time:%H:%M}"
    if o.start == o.end:
        return f"{o.start:%a} {o.start.day} {o.start:%b}"
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
SORT_ROLE = _USER + 1
_MUTED = QBrush(QColor("#868e96"))
_BIG = QBrush(QColor("#c2255c"))
_TODAY = QBrush(QColor("#fff9e3"))
_STATUS = {
    "idea": QBrush(QColor("#7b8794")),
    "planned": QBrush(QColor("#1c64d9")),
    "approved": QBrush(QColor("#2b8a3e")),
    "done": QBrush(QColor("#3e4c59")),
}
_STATUS_ORDER = {status.value: n for n, status in enumerate(Status)}
_IMPACT_ORDER = {impact.value: impact.rank for impact in Impact}


def _font(o: Occurrence) -> QFont | None:
    if o.status not in ("cancelled", "idea") and o.impact != "big":
        return None
    font = QFont()
    font.setStrikeOut(o.status == "cancelled")
    font.setItalic(o.status == "idea")
    font.setBold(o.impact == "big")
    return font


@functools.cache
def _badge_icon(badge: str) -> QIcon:
    """The calendar's conflict badge, as the painted views draw it."""
    from smarketing_desktop.gui.conflicts_dock import badge_icon

    if badge == "acknowledged":
        return badge_icon("warning", True)
    return badge_icon(badge, False)


def _start_key(o: Occurrence) -> str:
    time = o.start_time.isoformat() if o.start_time is not None else "00:00:00"
    return f"{o.start.isoformat()}T{time} {o.end.isoformat()}"


class AgendaModel(QAbstractTableModel):
    """Occurrences as rows; each row's values are worked out once, on first paint.

    The model sorts itself (Python's sort over precomputed keys): a sorting proxy would
    call back into Python for every comparison, which dominated a 2,000-row refresh.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Occurrence] = []
        self.today = dt.date.today()
        self.persona_names: Mapping[str, str] = {}
        self._cells: dict[int, tuple[tuple[str, ...], QFont | None]] = {}
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder
        # The conflict checker's marks (None: no badges); each row's badge asked once.
        self.marks: ConflictMarks | None = None
        self._badges: dict[int, str | None] = {}

    def set_marks(self, marks: ConflictMarks | None) -> None:
        """Show conflict badges on the titles from ``marks``."""
        self.marks = marks
        self.refresh_marks()

    def refresh_marks(self) -> None:
        """The checker ran again: ask for the badges anew."""
        self._badges = {}
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 1),
                self.index(len(self.rows) - 1, 1),
                [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole],
            )

    def badge(self, row: int) -> str | None:
        """``"error"``, ``"warning"``, ``"acknowledged"`` or None for a row."""
        if self.marks is None:
            return None
        if row not in self._badges:
            self._badges[row] = self.marks.badge(self.rows[row])
        return self._badges[row]

    def set_rows(
        self,
        rows: list[Occurrence],
        today: dt.date | None = None,
        persona_names: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``rows``; those that take place on ``today`` are highlighted."""
        self.beginResetModel()
        self.rows = rows
        self._badges = {}
        self.today = today or dt.date.today()
        if persona_names is not None:
            self.persona_names = persona_names
        self._cells = {}
        self._order(self.sort_column, self.sort_order)
        self.endResetModel()

    def _order(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Put the rows in order; returns the old row of each new row."""
        self.sort_column, self.sort_order = column, order
        count = len(self.rows)
        if not 0 <= column < len(COLUMNS):
            return list(range(count))
        descending = order == Qt.SortOrder.DescendingOrder
        starts = [_start_key(o) for o in self.rows]
        moved = sorted(range(count), key=starts.__getitem__, reverse=column == 0 and descending)
        if column != 0:
            # Python's sort is stable: ties stay in date order, whichever way this goes.
            primary = [self.sort_key(row, column) for row in range(count)]
            moved = sorted(moved, key=primary.__getitem__, reverse=descending)
        if moved != list(range(count)):
            cells = self._cells
            self.rows = [self.rows[old] for old in moved]
            self._cells = {new: cells[old] for new, old in enumerate(moved) if old in cells}
            badges = self._badges
            self._badges = {new: badges[old] for new, old in enumerate(moved) if old in badges}
        return moved

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        moved = self._order(column, order)
        new_row = {old: new for new, old in enumerate(moved)}
        for index in self.persistentIndexList():
            self.changePersistentIndex(
                index, self.index(new_row.get(index.row(), index.row()), index.column())
            )
        self.layoutChanged.emit()

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

    def _personas(self, o: Occurrence) -> str:
        return ", ".join(self.persona_names.get(p, p) for p in o.personas)

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
                self._personas(o),
            )
            cells = self._cells[row] = (texts, _font(o))
        return cells

    def sort_key(self, row: int, column: int) -> str | int:
        o = self.rows[row]
        if column == 0:
            return _start_key(o)
        if column == 5:
            return _STATUS_ORDER.get(o.status, 99)
        if column == 6:
            return _IMPACT_ORDER.get(o.impact, 99)
        return self._row(row)[0][column].casefold()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self._row(row)[0][column]
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == _DECORATION:
            if column == 1:
                badge = self.badge(row)
                return _badge_icon(badge) if badge else None
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
            return _TODAY if o.start <= self.today <= last_day(o) else None
        if role == _TOOLTIP:
            o = self.rows[row]
            if column == 0 and o.start <= self.today <= last_day(o):
                return "Today"
            if column == 1:
                text = o.description or o.title
                if self.marks is not None and self.badge(row):
                    text += "\n\n⚠ " + self.marks.explain(o)
                return text
            if column == 7:
                return self._personas(o) or "Everyone (no persona in particular)"
            return None
        if role == _USER:
            return self.rows[row].uid
        return None


class AgendaProxy(QSortFilterProxyModel):
    """Sorts by real values (dates, status order) and applies the calendar's filter."""

    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agenda = model
        self.item_filter = ItemFilter()
        self.hide_before: dt.date | None = None
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source sorts itself; the proxy keeps its order and only filters.
        self.agenda.sort(column, order)

    def set_criteria(self, item_filter: ItemFilter, hide_before: dt.date | None) -> None:
        # Qt 6.9 replaced invalidateRowsFilter (now deprecated) by a begin/end pair.
        modern = hasattr(self, "beginFilterChange")
        if modern:
            self.beginFilterChange()
        self.item_filter = item_filter
        self.hide_before = hide_before
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.9
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        o = self.agenda.rows[source_row]
        if self.hide_before is not None and last_day(o) < self.hide_before:
            return False
        return self.item_filter.matches(o)


class AgendaView(QWidget):
    """The agenda table with its period, a "show past" choice and an empty state.

    Signals:
        activated(str): an item was double-clicked or Enter pressed on it (its uid).
        selection_changed: the selected rows changed.
    """

    activated = Signal(str)
    selection_changed = Signal()

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaView")
        self.context = context
        today = dt.date.today()
        self.first, self.last = today, today + dt.timedelta(days=AGENDA_DAYS - 1)
        self.item_filter = ItemFilter()
        self.loaded = 0
        self.model = AgendaModel(self)
        self.proxy = AgendaProxy(self.model, self)
        self.table = read_only_table(
            "agendaTable",
            self.proxy,
            # The title keeps room to be read; personas take what is left.
            {0: 160, 1: 270, 2: 135, 3: 80, 4: 125, 5: 85, 6: 75},
            stretch=None,
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.count = note()
        self.count.setObjectName("agendaCount")
        self.show_past = QCheckBox("Show past items")
        self.show_past.setObjectName("agendaShowPast")
        self.show_past.setToolTip("Also list the items of this period that are already over")
        self.show_past.setChecked(settings.AGENDA_SHOW_PAST.get())
        self.show_past.toggled.connect(self._show_past_toggled)
        self.empty = EmptyState("calendar")
        # Its wrapped hint must not make the tab taller on a narrow window.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        bar = QHBoxLayout()
        bar.setContentsMargins(2, 0, 2, 0)
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(self.show_past)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self._stale)
        # Read on first show: a window that opens on another view never pays for it.
        self.stale = True
        self._apply()

    # --- the contract with the Calendar tab -----------------------------------------------

    def set_marks(self, marks: ConflictMarks | None) -> None:
        """Conflict badges on the items' titles, as the painted views show them."""
        self.model.set_marks(marks)

    def refresh_marks(self) -> None:
        self.model.refresh_marks()

    def set_filter(self, item_filter: ItemFilter) -> None:
        """Show only what ``item_filter`` lets through (the calendar's shared filter)."""
        self.item_filter = item_filter
        self._apply()

    def set_range(self, first: dt.date, last: dt.date) -> None:
        """List the items of ``first``..``last`` (inclusive); only those are read."""
        if (first, last) != (self.first, self.last):
            self.first, self.last = first, max(first, last)
            self._stale()

    def visible_range(self) -> tuple[dt.date, dt.date]:
        return self.first, self.last

    def selected_occurrences(self) -> list[Occurrence]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()] for r in rows]

    def selected_uids(self) -> list[str]:
        return list(dict.fromkeys(o.uid for o in self.selected_occurrences()))

    def select_uids(self, uids: Sequence[str]) -> None:
        wanted = set(uids)
        selection = QItemSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(_USER) in wanted:
                selection.select(index, self.proxy.index(row, len(COLUMNS) - 1))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        if not selection.isEmpty():
            self.table.scrollTo(selection.indexes()[0])

    # --- inside ---------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        uid = index.data(_USER)
        if uid:
            self.activated.emit(str(uid))

    def _on_changed(self, topic: str) -> None:
        if topic in (ITEMS, PEOPLE, PERSONAS, SLAS):  # SLAS: the review meeting item
            self._stale()

    def _stale(self) -> None:
        """Read again now if on screen, else when shown: while another view is on
        screen, every edit would otherwise re-read the agenda's whole period."""
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.refresh()
        super().showEvent(event)

    def _show_past_toggled(self, on: bool) -> None:
        settings.AGENDA_SHOW_PAST.set(on)
        self._apply()

    def refresh(self) -> None:
        """Read the period again, keeping the selection."""
        self.stale = False
        selected = self.selected_uids()
        plan = self.context.plan
        rows = zones.shown_between(
            lambda a, b: occurrences_between(plan, a, b), self.first, self.last
        )
        names = {card.id: card.name for card in list_persona_cards(self.context.plan)}
        self.model.set_rows(rows, dt.date.today(), names)
        self.loaded = len(rows)
        self._apply()
        if selected:
            self.select_uids(selected)

    def _apply(self) -> None:
        today = dt.date.today()
        hide_before = None if self.show_past.isChecked() else today
        self.proxy.set_criteria(self.item_filter, hide_before)
        shown = self.proxy.rowCount()
        past = 0 if hide_before is None else sum(1 for o in self.model.rows if last_day(o) < today)
        filtered = self.loaded - past - shown
        facts = [f"{shown} item{'s' if shown != 1 else ''}"]
        if filtered:
            facts.append(f"{filtered} hidden by the filters")
        if past:
            facts.append(f"{past} already over")
        self.count.setText(" · ".join(facts))
        self.pages.setCurrentWidget(self.table if shown else self.empty)
        if shown:
            return
        if filtered:
            self.empty.set_text(
                "No items match the filters",
                "Clear the filters above to see everything in this period.",
            )
        elif past:
            self.empty.set_text(
                "Everything in this period is over",
                "Tick “Show past items” to list what already happened.",
            )
        else:
            self.empty.set_text(
                "Nothing on the calendar in this period",
                "Add an item with Ctrl+N, or look at another period.",
            )

    def save_state(self) -> None:
        settings.AGENDA_HEADER.set(self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        state = settings.AGENDA_HEADER.get()
        if not state.isEmpty():
            self.table.horizontalHeader().restoreState(state)
