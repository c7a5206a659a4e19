"""Editable tables of the SLA editor: lead definitions, commitments, signatories.

One generic table model over a list of plain dicts (rows of the SLA document), one
delegate that gives each column the editor it needs (text, a number, a choice), and the
page that adds, removes and moves rows with its buttons. The
model refuses values the store would refuse (a blank metric, text with a NUL) and says
why through ``problem``; an accepted cell edit is announced through ``edited`` so the
editor can save it as one undo step.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from smarketing_desktop.domain import numbers
from smarketing_desktop.domain.sla_outline import number_text
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.sla_fields import Edits, find
from smarketing_desktop.gui.sla_preview import day

Index = QModelIndex | QPersistentModelIndex
Row = dict[str, Any]
PLACEHOLDER = QColor("#9aa5b1")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an editable table.

    Attributes:
        key: The key of the row dict it shows.
        header: The column title.
        kind: ``text``, ``number``, ``choice`` or ``date`` (dates are shown, not edited).
        required: A blank value is refused (the store requires it).
        choices: For ``choice``: (stored value, label) pairs.
        free: For ``choice``: the user may also type a value of their own.
        width: Start width in pixels; 0 stretches the column.
        placeholder: Shown in grey while the cell is empty.
    """

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = field(default=())
    free: bool = False
    width: int = 120
    placeholder: str = ""

    def label(self, value: Any) -> str:
        if self.kind == "number":
            return "" if value is None else number_text(value)
        if self.kind == "date":
            return day(value) if value else ""
        if self.kind == "choice":
            return next((label for stored, label in self.choices if stored == value), str(value))
        return str(value or "")


def parse_number(text: str) -> float | None:
    """``"1,200"`` → 1200.0, ``"2,5"`` → 2.5, ``""`` → None; ValueError if not a number.

    The one reading of numbers (:func:`domain.numbers.parse_number`) in the user's locale.
    """
    try:
        return numbers.parse_number(text, decimal=QLocale().decimalPoint())
    except ValidationError as error:
        raise ValueError(error.problem) from None


class RowsModel(QAbstractTableModel):
    """Rows of one part of an SLA document, edited in place.

    Signals:
        edited: an accepted cell edit, with words for the undo step (``Edit commitment``).
        problem: a refused value, with words for the user.
    """

    edited = Signal(str)
    problem = Signal(str)

    def __init__(
        self, columns: tuple[Column, ...], noun: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self.noun = noun
        self.rows: list[Row] = []
        self.read_only = False

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = copy.deepcopy(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and self.columns[index.column()].kind != "date":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self.rows[index.row()].get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            shown = column.label(value)
            return shown if shown or not column.placeholder else column.placeholder
        if role == Qt.ItemDataRole.EditRole:
            if column.kind == "number":
                return "" if value is None else number_text(value).replace(",", "")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = column.label(value)
            return shown if len(shown) > 24 else None
        if role == Qt.ItemDataRole.ForegroundRole and not column.label(value):
            return QBrush(PLACEHOLDER)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        column = self.columns[index.column()]
        row = self.rows[index.row()]
        text = "" if value is None else str(value)
        if "\x00" in text:
            self.problem.emit(f"{column.header}: the text contains a NUL character.")
            return False
        stored: Any = text
        if column.kind == "number":
            try:
                stored = parse_number(text)
            except ValueError:
                self.problem.emit(f"{column.header}: “{text}” is not a number.")
                return False
        elif column.required and not text.strip():
            self.problem.emit(f"A {self.noun} needs a {column.header.lower()}.")
            return False
        if row.get(column.key) == stored:
            return False
        row[column.key] = stored
        self.dataChanged.emit(index, index)
        self.edited.emit(f"Edit {self.noun}")
        return True

    # --- structure (the editor saves each as one undo step) --------------------------

    def insert(self, position: int, row: Row) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.insert(position, row)
        self.endInsertRows()

    def remove(self, position: int) -> Row:
        self.beginRemoveRows(QModelIndex(), position, position)
        row = self.rows.pop(position)
        self.endRemoveRows()
        return row

    def move(self, position: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns where it went."""
        target = position + delta
        if not 0 <= position < len(self.rows) or not 0 <= target < len(self.rows):
            return position
        # Qt's move destination is the row *before which* the moved row lands.
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
        self.rows.insert(target, self.rows.pop(position))
        self.endMoveRows()
        return target


class RowsDelegate(QStyledItemDelegate):
    """Editors by column kind: a line edit, or a combo box of the column's choices."""

    def __init__(self, columns: tuple[Column, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.columns[index.column()]
        if column.kind == "choice":
            combo = QComboBox(parent)
            combo.setEditable(column.free)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for stored, label in column.choices:
                combo.addItem(label, stored)
            return combo
        edit = QLineEdit(parent)
        edit.setFrame(False)
        # The global stylesheet pads line edits for forms; a cell has no room for that.
        edit.setStyleSheet("QLineEdit { padding: 0 4px; border: none; }")
        if column.placeholder:
            edit.setPlaceholderText(column.placeholder)
        return edit

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            position = editor.findData(value)
            if position >= 0:
                editor.setCurrentIndex(position)
            elif editor.isEditable():
                editor.setEditText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText()
            position = editor.findText(text)
            value = editor.itemData(position) if position >= 0 else None
            model.setData(index, text if value is None else value)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())


def setup_table(table: QTableView, model: RowsModel) -> None:
    """Give a table of the editor its model, delegate, sizes and editing behaviour."""
    table.setModel(model)
    table.setItemDelegate(RowsDelegate(model.columns, table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    for number, column in enumerate(model.columns):
        if column.width:
            table.setColumnWidth(number, column.width)
        else:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)


class RowsPage:
    """A table of the editor with its Add, Remove, Move up and Move down buttons; each
    button press is one undo step, reported through ``edits``."""

    def __init__(
        self,
        form: QWidget,
        edits: Edits,
        model: RowsModel,
        names: tuple[str, str, str, str, str],
        blank: Row,
        first_column: int = 0,
    ) -> None:
        """``names``: the table, then the add, remove, up and down buttons of the form."""
        self.edits, self.model, self.blank = edits, model, blank
        self.first_column = first_column
        self.table = find(form, QTableView, names[0])
        self.add_button, self.remove_button, self.up_button, self.down_button = (
            find(form, QPushButton, name) for name in names[1:]
        )
        setup_table(self.table, model)
        self.add_button.setIcon(icon("row-add"))
        self.remove_button.setIcon(icon("remove"))
        self.up_button.setIcon(icon("row-up"))
        self.down_button.setIcon(icon("row-down"))
        model.edited.connect(lambda text: edits.now(text))
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))

    def add(self) -> None:
        """A new row after the chosen one, its first text cell open for typing."""
        self.edits.flush()
        current = self.table.currentIndex()
        position = current.row() + 1 if current.isValid() else self.model.rowCount()
        self.model.insert(position, copy.deepcopy(self.blank))
        self.edits.now(f"Add {self.model.noun}")
        index = self.model.index(position, self.first_column)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove(self) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        self.edits.flush()
        self.model.remove(current.row())
        self.edits.now(f"Remove {self.model.noun}")
        if self.model.rowCount():
            row = min(current.row(), self.model.rowCount() - 1)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def move(self, delta: int) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        self.edits.flush()
        target = self.model.move(current.row(), delta)
        if target != current.row():
            self.edits.now(f"Move {self.model.noun} {'up' if delta < 0 else 'down'}")
            self.table.setCurrentIndex(self.model.index(target, current.column()))
