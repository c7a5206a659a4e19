"""An editable list of short texts (goals, channels, who-said-what insights).

The widget never keeps an edit to itself: every committed change (an entry added, edited,
removed or moved) is offered as the whole new list through ``committed``, and the owner
turns it into one undo step and sets the stored list back with ``set_rows``. Drag and drop
carries only the row number, in a MIME type of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.gui.rich import tooltip

ROW_MIME = "application/x-smarketing-list-row"
Index = QModelIndex | QPersistentModelIndex
Row = list[str]


class _WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text (QTreeView alone keeps one line and elides)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        view = self.parent()
        if not isinstance(view, QTreeWidget):
            return size
        width = max(40, view.columnWidth(index.column()) - 10)
        text = str(index.data() or "")
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
        bound = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
        return QSize(size.width(), max(size.height(), bound.height() + 8))


class _RowsView(QTreeWidget):
    """The rows; a drop asks the editor to move a row instead of moving it here."""

    row_dropped = Signal(int, int)  # from row, to slot (0 … row count)

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Tab would move the editor down a row (QTreeView's "next"), away from an entry
        # still being typed; the list editor itself opens the next column of that entry.
        if hint in (
            QAbstractItemDelegate.EndEditHint.EditNextItem,
            QAbstractItemDelegate.EndEditHint.EditPreviousItem,
        ):
            hint = QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, hint)

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            row = self.indexOfTopLevelItem(items[0])
            data.setData(ROW_MIME, QByteArray(str(row).encode("ascii")))
        return data

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)
        if event.mimeData().hasFormat(ROW_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(ROW_MIME):
            event.ignore()
            return
        try:
            source = int(bytes(event.mimeData().data(ROW_MIME).data()).decode("ascii"))
        except ValueError:
            event.ignore()
            return
        slot = self.slot_at(event.position().toPoint())
        # The view must not move anything itself: the stored list comes back in set_rows.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if 0 <= source < self.topLevelItemCount():
            self.row_dropped.emit(source, slot)

    def slot_at(self, point: QPoint) -> int:
        """Where a row dropped at ``point`` goes: before the row under it, or after it."""
        item = self.itemAt(point)
        if item is None:
            return self.topLevelItemCount()
        row = self.indexOfTopLevelItem(item)
        rect = self.visualItemRect(item)
        return row if point.y() < rect.center().y() else row + 1


class ListEditor(QWidget):
    """Rows of text with add, remove, reorder (buttons and drag) and inline editing.

    Args:
        noun: What one entry is called, for undo texts ("goal" → "Add goal").
        columns: Column titles; the last column must not be blank, the others may be.
        placeholder: Shown when the list is empty.
    """

    committed = Signal(list, str)  # the whole new list of rows, the undo text

    def __init__(
        self,
        noun: str,
        columns: tuple[str, ...] = ("",),
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.columns = columns
        self._rows: list[Row] = []
        self._loading = False
        self._changing = False
        self._pending: QTreeWidgetItem | None = None

        self.view = _RowsView()
        self.view.setObjectName("listEditorRows")
        self.view.setColumnCount(len(columns))
        self.view.setHeaderLabels(list(columns))
        self.view.setHeaderHidden(len(columns) == 1)
        self.view.header().setStretchLastSection(True)
        if len(columns) > 1:
            self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(0, 120)
        self.view.setRootIsDecorated(False)
        self.view.setIndentation(0)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setItemDelegate(_WrapDelegate(self.view))
        # Rows grow with wrapped text when the columns are resized.
        self.view.header().sectionResized.connect(lambda *_: self.view.doItemsLayout())
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setToolTip(placeholder)
        self.view.itemChanged.connect(self._item_changed)
        self.view.itemDelegate().closeEditor.connect(self._editor_closed)
        self.view.itemSelectionChanged.connect(self._update_buttons)
        self.view.row_dropped.connect(self._move)
        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.remove_selected).setContext(
            Qt.ShortcutContext.WidgetShortcut
        )

        style = self.style()
        self.add_button = self._button("Add", f"Add a {noun}", self.add)
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.setText(f"+ Add {noun}")
        self.remove_button = self._button("Remove", f"Remove the selected {noun}", None)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = self._button("Move up", "Move up", lambda: self._step(-1))
        self.up_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.down_button = self._button("Move down", "Move down", lambda: self._step(1))
        self.down_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        for button in (self.up_button, self.down_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setIconSize(QSize(14, 14))

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.setSpacing(2)
        tools.addWidget(self.add_button)
        tools.addStretch(1)
        for button in (self.up_button, self.down_button, self.remove_button):
            tools.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addLayout(tools)
        self._update_buttons()

    def _button(self, text: str, tip: str, slot: object | None) -> QToolButton:
        button = QToolButton()
        button.setObjectName("listEditorButton")
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    # --- the stored list ------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Show the stored list (keeps the selected row when it still exists)."""
        rows = [list(row) for row in rows]
        if self._changing:
            # Called back while Qt is still inside an edit of an item: rebuild afterwards.
            QTimer.singleShot(0, lambda: self.set_rows(rows))
            self._rows = rows
            return
        if self._pending is None and rows == self._displayed():
            self._rows = rows  # already on screen (an entry edited in place)
            self._update_buttons()
            return
        selected = self.selected_row()
        self._loading = True
        self._pending = None
        self.view.clear()
        self._rows = [list(row) for row in rows]
        for row in self._rows:
            self.view.addTopLevelItem(self._new_item(row))
        self._loading = False
        if 0 <= selected < len(self._rows):
            self._select(selected)
        self._update_buttons()

    def _displayed(self) -> list[Row]:
        items = [self.view.topLevelItem(n) for n in range(self.view.topLevelItemCount())]
        return [
            [item.text(c) for c in range(len(self.columns))]
            for item in items
            if item is not None and item is not self._pending
        ]

    def rows(self) -> list[Row]:
        """The stored list as last set (what the user sees, without an unfinished entry)."""
        return [list(row) for row in self._rows]

    def _new_item(self, row: Row) -> QTreeWidgetItem:
        item = QTreeWidgetItem(row)
        item.setFlags(
            Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        for column, text in enumerate(row):
            item.setToolTip(column, tooltip(text))
        return item

    @property
    def adding(self) -> bool:
        """True while a new entry is typed and not stored yet."""
        return self._pending is not None

    def selected_row(self) -> int:
        item = self.view.currentItem()
        if item is None or item is self._pending or not item.isSelected():
            return -1
        return self.view.indexOfTopLevelItem(item)

    # --- changes --------------------------------------------------------------------

    def _offer(self, rows: list[Row], text: str) -> None:
        if rows != self._rows:
            self.committed.emit(rows, text)

    def add(self) -> None:
        """Start a new entry at the end: it is committed once its text is typed."""
        if self._pending is not None:
            return
        self._loading = True
        self._pending = self._new_item([""] * len(self.columns))
        self.view.addTopLevelItem(self._pending)
        self._loading = False
        self.view.setCurrentItem(self._pending)
        self.view.scrollToItem(self._pending)
        self.view.setFocus()
        self.view.setCurrentItem(self._pending, 0)
        self.view.editItem(self._pending, 0)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row >= 0:
            rows = self.rows()
            del rows[row]
            self._offer(rows, f"Remove {self.noun}")

    def _step(self, delta: int) -> None:
        row = self.selected_row()
        if row >= 0:
            self._move(row, row + delta + (1 if delta > 0 else 0))

    def _move(self, source: int, slot: int) -> None:
        target = slot - 1 if slot > source else slot
        if not 0 <= target < len(self._rows) or target == source:
            return
        rows = self.rows()
        rows.insert(target, rows.pop(source))
        self._offer(rows, f"Move {self.noun}")
        # The moved entry stays selected where it landed.
        if self._rows == rows:
            self._select(target)

    def _select(self, row: int) -> None:
        item = self.view.topLevelItem(row)
        if item is not None:
            self.view.setCurrentItem(item)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading:
            return
        self._changing = True
        try:
            self._take_change(item, column)
        finally:
            self._changing = False

    def _take_change(self, item: QTreeWidgetItem, column: int) -> None:
        last = len(self.columns) - 1
        if item is self._pending:
            if column < last:
                return  # the next column opens when this editor closes
            text = item.text(last).strip()
            if text:
                row = [item.text(n).strip() for n in range(len(self.columns))]
                self._offer([*self._rows, row], f"Add {self.noun}")
            return
        row_number = self.view.indexOfTopLevelItem(item)
        if not 0 <= row_number < len(self._rows):
            return
        row = [item.text(n).strip() for n in range(len(self.columns))]
        if not row[last]:
            # An entry cannot be blank (Remove deletes it): show the stored text again.
            self.set_rows(self._rows)
            return
        rows = self.rows()
        rows[row_number] = row
        self._offer(rows, f"Edit {self.noun}")

    def _edit_next(self, item: QTreeWidgetItem, column: int, tries: int = 20) -> None:
        if item is not self._pending:
            return
        if self.view.state() == QAbstractItemView.State.EditingState:
            # The editor of the previous column has not closed yet.
            if tries:
                QTimer.singleShot(10, lambda: self._edit_next(item, column, tries - 1))
            return
        self.view.setCurrentItem(item, column)
        self.view.editItem(item, column)

    def _editor_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        pending = self._pending
        if pending is None:
            return
        column = self.view.currentColumn()
        revert = hint == QAbstractItemDelegate.EndEditHint.RevertModelCache
        if not revert and column < len(self.columns) - 1:
            # Who said it is done (perhaps left blank); now what they said.
            QTimer.singleShot(0, lambda: self._edit_next(pending, column + 1))
            return
        # Deferred: an editor that opens right after this one keeps the entry.
        QTimer.singleShot(0, self._drop_unfinished)

    def _drop_unfinished(self) -> None:
        if self._pending is None or self.view.state() == QAbstractItemView.State.EditingState:
            return
        if not self._pending.text(len(self.columns) - 1).strip():
            self.set_rows(self._rows)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self._rows) - 1)
