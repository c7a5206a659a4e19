"""The Conflicts dock: every conflict in the plan, worst first, to act on.

A table (severity, rule, dates, items, message) over the ``ConflictMonitor``; sortable;
acknowledged conflicts shown muted with their note. Acknowledge (with a note) and take
an acknowledgement back from the buttons or the context menu, both undoable. Selecting
a conflict emits ``show_items(uids, day)`` so the calendar can show the items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.conflicts import Conflict, Delta, sort_key
from smarketing_desktop.conflicts.model import span_text
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.gui.conflict_marks import paint_badge
from smarketing_desktop.gui.conflict_monitor import ConflictMonitor
from smarketing_desktop.gui.context import CONFLICTS, PlanCommand, PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.undo_guard import check_unchanged
from smarketing_desktop.gui.widgets import EmptyState, read_only_table
from smarketing_desktop.services import conflicts as service

COLUMNS = ("Severity", "Rule", "Dates", "Items", "Message")
Index = QModelIndex | QPersistentModelIndex
_MUTED = QBrush(QColor("#9aa5b1"))


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def badge_icon(severity: str, acknowledged: bool, size: int = 14) -> QIcon:
    """The calendar's badge as an icon (the same look in the dock and the status bar)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_badge(painter, QRectF(0, 0, size, size), severity, acknowledged)
    painter.end()
    return QIcon(pixmap)


class ConflictsModel(QAbstractTableModel):
    """The monitor's conflicts as table rows, with their acknowledgements.

    It sorts itself (a big plan has tens of thousands of conflicts: a sort proxy would
    call back into Python for every comparison).
    """

    def __init__(self, monitor: ConflictMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.rows: list[tuple[Conflict, service.Acknowledgement | None]] = []
        self.keys: list[Any] = []  # each row's sort key, in row order
        self.show_acknowledged = True
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder
        self._icons = {
            (severity, ack): badge_icon(severity, ack)
            for severity in ("error", "warning")
            for ack in (False, True)
        }
        self._italic = QFont()
        self._italic.setItalic(True)
        monitor.updated.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Follow the monitor: patch the rows an item change touched, or start afresh."""
        if self.monitor.delta is not None:
            self._patch(self.monitor.delta)
            return
        self.beginResetModel()
        engine = self.monitor.engine
        rows = [(c, self.monitor.acknowledgement(c)) for c in engine or ()]
        if not self.show_acknowledged:
            rows = [(c, a) for c, a in rows if a is None]
        self._set_sorted(rows)
        self.endResetModel()

    def set_show_acknowledged(self, show: bool) -> None:
        self.show_acknowledged = show
        self.refresh()

    def _key(self, column: int) -> Callable[[tuple[Conflict, Any]], Any]:
        if column == 0:
            return lambda row: sort_key(row[0])
        if column == 2:
            return lambda row: (row[0].first, row[0].last, sort_key(row[0]))
        return lambda row: (self._text(row[0], row[1], column).casefold(), sort_key(row[0]))

    def _set_sorted(self, rows: list[tuple[Conflict, service.Acknowledgement | None]]) -> None:
        key = self._key(self.sort_column)
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        keyed = sorted(((key(row), row) for row in rows), key=_first, reverse=descending)
        self.keys = [k for k, _ in keyed]
        self.rows = [row for _, row in keyed]

    def _patch(self, delta: Delta) -> None:
        """Remove and insert just the changed rows (an item change touches a few)."""
        gone = delta.removed.keys() | delta.added.keys()
        if gone:
            doomed = [n for n, (conflict, _) in enumerate(self.rows) if conflict.ident in gone]
            for row in reversed(doomed):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                del self.keys[row]
                self.endRemoveRows()
        key = self._key(self.sort_column)
        for conflict in delta.added.values():
            ack = self.monitor.acknowledgement(conflict)
            if ack is not None and not self.show_acknowledged:
                continue
            entry = (conflict, ack)
            value = key(entry)
            row = self._position(value)
            self.beginInsertRows(QModelIndex(), row, row)
            self.rows.insert(row, entry)
            self.keys.insert(row, value)
            self.endInsertRows()

    def _position(self, value: Any) -> int:
        """Where a row with sort key ``value`` goes (after equal ones), in either order."""
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(self.keys)
        while low < high:
            middle = (low + high) // 2
            other = self.keys[middle]
            if (other >= value) if descending else (other <= value):
                low = middle + 1
            else:
                high = middle
        return low

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self.rows[index.row()][0].ident for index in persistent]
        self._set_sorted(self.rows)
        position = {conflict.ident: row for row, (conflict, _) in enumerate(self.rows)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[ident], index.column())
                for ident, index in zip(kept, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, conflict: Conflict, ack: service.Acknowledgement | None, column: int) -> str:
        if column == 0:
            return conflict.severity.capitalize()
        if column == 1:
            return self.monitor.rule_title(conflict.rule)
        if column == 2:
            return span_text(conflict.start, conflict.end)
        if column == 3:
            return " · ".join(self.monitor.title_of(uid) for uid in conflict.items)
        if ack is not None:
            return f"Acknowledged: {ack.note} — {conflict.message}"
        return conflict.message

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        conflict, ack = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(conflict, ack, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = conflict.message
            if ack is not None:
                tip += f"\n\nAcknowledged: {ack.note}"
            return tip
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icons[conflict.severity, ack is not None]
        if role == Qt.ItemDataRole.ForegroundRole and ack is not None:
            return _MUTED
        if role == Qt.ItemDataRole.FontRole and ack is not None:
            return self._italic
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def conflict_at(self, row: int) -> tuple[Conflict, service.Acknowledgement | None]:
        return self.rows[row]


class AcknowledgeDialog:
    """Say why a conflict is fine (``ui/acknowledge_dialog.ui``)."""

    def __init__(self, parent: QWidget, conflict: Conflict, note: str = "") -> None:
        self.dialog = cast(QDialog, load_form("acknowledge_dialog.ui", parent))
        find = self.dialog.findChild
        self.conflict = conflict
        self.message = cast(QLabel, find(QLabel, "conflictLabel"))
        self.note = cast(QPlainTextEdit, find(QPlainTextEdit, "noteEdit"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.message.setText(conflict.message)
        self.note.setPlainText(note)
        self.ok_button.setText("Acknowledge")
        self.buttons.accepted.connect(self.dialog.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        self.note.textChanged.connect(self._check)
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _check(self) -> None:
        text = self.note.toPlainText()
        try:
            service.check_note(text)
        except ValidationError as error:
            self.ok_button.setEnabled(False)
            self.problem.setText(f"The note {error.problem}." if text else "")
            return
        self.ok_button.setEnabled(True)
        self.problem.clear()


class AcknowledgeConflict(PlanCommand):
    topic = CONFLICTS

    def __init__(
        self,
        context: PlanContext,
        conflict: Conflict,
        note: str,
        previous: service.Acknowledgement | None,
    ) -> None:
        super().__init__(context, "Acknowledge conflict")
        self.conflict, self.note, self.previous = conflict, note, previous
        self.ack: service.Acknowledgement | None = None
        # The stored acknowledgement after the last do and undo (undo_guard).
        self.left_after: service.Acknowledgement | None = None
        self.left_before: service.Acknowledgement | None = None

    def apply(self) -> None:
        if self.ack is None:
            self.ack = service.acknowledge(self.context.plan, self.conflict, self.note)
        else:
            _check(self.context, self.ack.digest, self.left_before)
            service.restore_acknowledgement(self.context.plan, self.ack)
        self.left_after = _stored_ack(self.context, self.ack.digest)

    def revert(self) -> None:
        assert self.ack is not None
        _check(self.context, self.ack.digest, self.left_after)
        if self.previous is not None:
            service.restore_acknowledgement(self.context.plan, self.previous)
        else:
            service.unacknowledge(self.context.plan, self.ack.digest)
        self.left_before = _stored_ack(self.context, self.ack.digest)


class UnacknowledgeConflict(PlanCommand):
    topic = CONFLICTS

    def __init__(self, context: PlanContext, ack: service.Acknowledgement) -> None:
        super().__init__(context, "Take back acknowledgement")
        self.ack = ack
        self.left: service.Acknowledgement | None = None  # what the undo put back

    def apply(self) -> None:
        if self.left is not None:
            _check(self.context, self.ack.digest, self.left)
        self.ack = service.unacknowledge(self.context.plan, self.ack.digest)

    def revert(self) -> None:
        _check(self.context, self.ack.digest, None)
        service.restore_acknowledgement(self.context.plan, self.ack)
        self.left = _stored_ack(self.context, self.ack.digest)


def _stored_ack(context: PlanContext, digest: str) -> service.Acknowledgement | None:
    return service.acknowledgements(context.plan).get(digest)


def _check(context: PlanContext, digest: str, left: service.Acknowledgement | None) -> None:
    check_unchanged(_stored_ack(context, digest), left, "The acknowledgement of this conflict")


class ConflictsDock(QDockWidget):
    """The dock; ``show_items(uids, day)`` is emitted when a conflict is selected."""

    show_items = Signal(list, object)

    def __init__(self, context: PlanContext, monitor: ConflictMonitor, parent: QWidget) -> None:
        super().__init__("Conflicts", parent)
        self.setObjectName("conflictsDock")
        self.context = context
        self.monitor = monitor
        self.dialog: AcknowledgeDialog | None = None
        self.model = ConflictsModel(monitor, self)
        self.table = read_only_table("conflictsTable", self.model, {0: 96, 1: 250, 2: 120, 3: 320})
        self.table.setIconSize(QSize(14, 14))
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.acknowledge_selected())

        self.summary = QLabel()
        self.summary.setObjectName("tabSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.acknowledge_button = QPushButton("Acknowledge…")
        self.acknowledge_button.setToolTip("Say why this conflict is fine; it then shows muted")
        self.unacknowledge_button = QPushButton("Take back")
        self.unacknowledge_button.setToolTip("Show this conflict as open again")
        self.show_acknowledged = QCheckBox("Show acknowledged")
        self.show_acknowledged.setChecked(True)
        self.rules_button = QToolButton()
        self.rules_button.setText("Rules…")
        self.rules_button.setToolTip("Plan → Conflict rules…")
        self.rules_button.setAutoRaise(True)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.unacknowledge_button.clicked.connect(self.unacknowledge_selected)
        self.show_acknowledged.toggled.connect(self.model.set_show_acknowledged)

        self.empty = EmptyState("all-clear")
        self.empty.setObjectName("conflictsEmpty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.summary)
        tools.addStretch(1)
        for widget in (
            self.show_acknowledged,
            self.acknowledge_button,
            self.unacknowledge_button,
            self.rules_button,
        ):
            tools.addWidget(widget)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(tools)
        layout.addWidget(self.stack)
        self.setWidget(body)
        monitor.updated.connect(self._after_reset)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    # --- showing ------------------------------------------------------------------

    def _after_reset(self) -> None:
        counts = self.monitor.counts()
        total = len(self.model.rows)
        acknowledged = sum(1 for _, a in self.model.rows if a is not None)
        if self.monitor.checking:
            text = "Checking the plan…"
        else:
            parts = []
            for severity in ("error", "warning"):
                count = counts.get(severity, 0)
                if count:
                    parts.append(f"{count} {severity}{'' if count == 1 else 's'}")
            text = " · ".join(parts) or "Nothing open"
            if acknowledged:
                text += f" · {acknowledged} acknowledged"
        self.summary.setText(text)
        if total == 0 and not self.monitor.checking:
            if self.monitor.engine is not None and len(self.monitor.engine):
                self.empty.set_text(
                    "Every conflict is acknowledged", "Tick “Show acknowledged” to see them."
                )
            else:
                self.empty.set_text(
                    "No conflicts",
                    "The plan follows all its rules. Items that break one show up here "
                    "as you plan.",
                )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        self._update_buttons()

    def selected(self) -> tuple[Conflict, service.Acknowledgement | None] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.conflict_at(rows[0].row())

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.acknowledge_button.setEnabled(chosen is not None)
        self.acknowledge_button.setText(
            "Edit note…" if chosen is not None and chosen[1] is not None else "Acknowledge…"
        )
        self.unacknowledge_button.setEnabled(chosen is not None and chosen[1] is not None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        conflict, _ = self.model.conflict_at(current.row())
        self.show_items.emit(list(conflict.items), conflict.start)

    def select(self, conflict: Conflict) -> bool:
        """Select the row of ``conflict`` (by identity); False if it is not shown."""
        for row, (shown, _) in enumerate(self.model.rows):
            if shown.ident == conflict.ident:
                self.table.selectRow(row)
                return True
        return False

    def _context_menu(self, position: QPoint) -> QMenu | None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return None
        self.table.selectRow(index.row())
        menu = self.context_menu()
        menu.popup(self.table.viewport().mapToGlobal(position))
        return menu

    def context_menu(self) -> QMenu:
        """The menu of the selected conflict (right-click)."""
        menu = QMenu(self)
        chosen = self.selected()
        acknowledge = menu.addAction("Edit note…" if chosen and chosen[1] else "Acknowledge…")
        acknowledge.triggered.connect(self.acknowledge_selected)
        take_back = menu.addAction("Take back acknowledgement")
        take_back.setEnabled(chosen is not None and chosen[1] is not None)
        take_back.triggered.connect(self.unacknowledge_selected)
        menu.addSeparator()
        show = menu.addAction("Show on the calendar")
        if chosen is not None:
            conflict = chosen[0]
            show.triggered.connect(
                lambda: self.show_items.emit(list(conflict.items), conflict.start)
            )
        return menu

    # --- acting -------------------------------------------------------------------

    def acknowledge_selected(self) -> AcknowledgeDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        conflict, previous = chosen
        self.dialog = AcknowledgeDialog(self, conflict, previous.note if previous else "")
        self.dialog.dialog.accepted.connect(lambda: self._acknowledged(conflict, previous))
        self.dialog.dialog.open()
        return self.dialog

    def _acknowledged(self, conflict: Conflict, previous: service.Acknowledgement | None) -> None:
        assert self.dialog is not None
        note = self.dialog.note.toPlainText()
        if previous is not None and previous.note == note.strip():
            return
        if self.context.execute(AcknowledgeConflict(self.context, conflict, note, previous)):
            self.select(conflict)

    def unacknowledge_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        conflict, ack = chosen
        if ack is None:
            return
        if self.context.execute(UnacknowledgeConflict(self.context, ack)):
            self.select(conflict)
