"""The ideas backlog: a dock of unscheduled items (blog topics, campaign ideas).

Drag an idea onto the calendar to schedule it (the drag carries its uid; the calendar
view's drop schedules it); drag calendar items onto the backlog to take them off the
calendar. The list follows the calendar's filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Idea, Occurrence
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import item_commands
from smarketing_desktop.gui.agenda import kind_label
from smarketing_desktop.gui.calendar_mime import ITEM_UIDS_MIME, decode_uids, encode_uids
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PlanContext
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.gui.palette import kind_colour
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.widgets import EmptyState
from smarketing_desktop.services.items import backlog

Index = QModelIndex | QPersistentModelIndex
UID_ROLE = Qt.ItemDataRole.UserRole
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class BacklogModel(QAbstractListModel):
    """The ideas as list rows; dragging rows carries their uids, dropping calendar items
    asks (through ``unschedule_requested``) to take them off the calendar."""

    unschedule_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ideas: list[Idea] = []

    def set_ideas(self, ideas: list[Idea]) -> None:
        self.beginResetModel()
        self.ideas = ideas
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ideas)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ideas):
            return None
        idea = self.ideas[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return idea.title
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_colour(idea.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [idea.title, self.detail(idea)]
            if idea.description:
                lines.append(idea.description[:300])
            lines.append("Drag onto the calendar to schedule it")
            return "\n".join(lines)
        if role == UID_ROLE:
            return idea.uid
        if role == DETAIL_ROLE:
            return self.detail(idea)
        if role == KIND_ROLE:
            return idea.kind
        return None

    @staticmethod
    def detail(idea: Idea) -> str:
        parts = [kind_label(idea.kind), idea.team.capitalize()]
        parts.append(idea.owner_name or "no owner")
        return " · ".join(parts)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [ITEM_UIDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return encode_uids([self.ideas[row].uid for row in rows], "backlog")

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        decoded = decode_uids(data)
        return decoded is not None and decoded[1] == "calendar"

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        decoded = decode_uids(data)
        if decoded is None or decoded[1] != "calendar":
            return False
        # The model does not change the plan: whoever owns the undo stack does.
        self.unschedule_requested.emit(decoded[0])
        return True


class IdeaDelegate(QStyledItemDelegate):
    """An idea as a small card: a stripe in its kind's colour, the title, then
    kind · team · owner in grey."""

    HEIGHT = 46

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), self.HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#8fb0f0" if selected else "#e1e6ec")))
        painter.setBrush(QColor("#e3ecff" if selected else "#ffffff"))
        painter.drawRoundedRect(rect, 5, 5)
        colour = index.data(Qt.ItemDataRole.DecorationRole)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour if isinstance(colour, QColor) else QColor("#868e96"))
        painter.drawRoundedRect(QRect(rect.left() + 1, rect.top() + 1, 5, rect.height() - 2), 2, 2)
        text_left = rect.left() + 14
        width = rect.right() - text_left - 6
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor("#1f2933"))
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole)), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(
            QRect(text_left, rect.top() + 4, width, rect.height() // 2),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title,
        )
        detail_font = QFont(option.font)
        detail_font.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        painter.setFont(detail_font)
        painter.setPen(QColor("#616e7c"))
        detail = QFontMetrics(detail_font).elidedText(
            str(index.data(DETAIL_ROLE)), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(
            QRect(text_left, rect.top() + rect.height() // 2, width, rect.height() // 2 - 4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            detail,
        )
        painter.restore()


class BacklogList(QListView):
    """The list: drags ideas out; accepts calendar items dropped on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backlogList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setItemDelegate(IdeaDelegate(self))
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class BacklogDock(QDockWidget):
    """The "Ideas backlog" dock (View menu; its place is saved with the window).

    Signals:
        selection_changed: the selected ideas changed.
    """

    selection_changed = Signal()

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__("Ideas backlog", parent)
        self.setObjectName("backlogDock")
        self.context = context
        self.item_filter = ItemFilter()
        self.dialog: ItemDialog | None = None
        self.model = BacklogModel(self)
        self.model.unschedule_requested.connect(self.unschedule)
        self.list = BacklogList()
        self.list.setModel(self.model)
        self.list.doubleClicked.connect(lambda index: self.edit(str(index.data(UID_ROLE))))
        self.list.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.add_button = QToolButton()
        self.add_button.setObjectName("addIdea")
        self.add_button.setIcon(icon("new"))
        self.add_button.setText("Add idea")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.setToolTip(
            "Add an idea to the backlog (it gets dates when you schedule it)"
        )
        self.add_button.clicked.connect(self.add_idea)
        self.count = QLabel()
        self.count.setObjectName("backlogCount")
        self.count.setStyleSheet("color: #616e7c;")
        self.empty = EmptyState("edit")
        # Its wrapped hint must not make the dock (and so the window) taller or wider.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list)
        self.pages.addWidget(self.empty)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.add_button)
        tools.addStretch(1)
        tools.addWidget(self.count)
        body = QWidget()
        body.setObjectName("backlogBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(tools)
        layout.addWidget(self.pages, 1)
        self.setWidget(body)
        # Narrow enough for a small window (760 px) with the calendar beside it.
        self.setMinimumWidth(150)
        self.all_ideas: list[Idea] = []
        # Drops anywhere on the dock count (also on the empty state, when there are no
        # ideas yet); the list handles its own through the model.
        self.setAcceptDrops(True)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    # --- drops beside the list -------------------------------------------------------------

    @staticmethod
    def _calendar_uids(event: QDropEvent) -> list[str] | None:
        decoded = decode_uids(event.mimeData())
        return decoded[0] if decoded is not None and decoded[1] == "calendar" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._calendar_uids(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._calendar_uids(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        uids = self._calendar_uids(event)
        if uids is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.unschedule(uids)

    # --- content --------------------------------------------------------------------------

    def _on_changed(self, topic: str) -> None:
        if topic in (ITEMS, PEOPLE):
            self.refresh()

    def refresh(self) -> None:
        """Read the ideas again; the filter and the selection are kept."""
        self.all_ideas = backlog(self.context.plan)
        self._show()

    def set_filter(self, item_filter: ItemFilter) -> None:
        """Show only the ideas the calendar's filter lets through."""
        self.item_filter = item_filter
        self._show()

    def _show(self) -> None:
        selected = self.selected_uids()
        shown = [idea for idea in self.all_ideas if self.item_filter.matches(idea)]
        self.model.set_ideas(shown)
        total = len(self.all_ideas)
        if total and len(shown) != total:
            self.count.setText(f"{len(shown)} of {total}")
        else:
            self.count.setText(f"{total} idea{'s' if total != 1 else ''}" if total else "")
        if shown:
            self.pages.setCurrentWidget(self.list)
        elif total:
            self.empty.set_text("No ideas match the filters", "Clear the filters to see all.")
            self.pages.setCurrentWidget(self.empty)
        else:
            self.empty.set_text(
                "No ideas yet",
                "Add one with “Add idea”, or drag an item here from the calendar to "
                "take it off the calendar for now.",
            )
            self.pages.setCurrentWidget(self.empty)
        self.select_uids(selected)

    # --- selection (for the Edit menu's actions) ------------------------------------------

    def selected_uids(self) -> list[str]:
        rows = sorted(index.row() for index in self.list.selectionModel().selectedRows())
        return [self.model.ideas[row].uid for row in rows if row < len(self.model.ideas)]

    def selected_occurrences(self) -> list[Occurrence]:
        return []  # ideas have no dates, so no occurrences

    def select_uids(self, uids: Sequence[str]) -> None:
        wanted = set(uids)
        selection = QItemSelection()
        for row, idea in enumerate(self.model.ideas):
            if idea.uid in wanted:
                index = self.model.index(row)
                selection.select(index, index)
        self.list.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        if not selection.isEmpty():
            self.list.scrollTo(selection.indexes()[0])

    # --- actions --------------------------------------------------------------------------

    def add_idea(self) -> ItemDialog:
        """The item dialog for a new idea (no dates, status "idea")."""
        self.dialog = open_item_dialog(self.window(), self.context, defaults={"status": "idea"})
        self.dialog.saved.connect(lambda uid: self.select_uids([uid]))
        return self.dialog

    def edit(self, uid: str) -> ItemDialog | None:
        """Open an idea in the item dialog."""
        if not uid:
            return None
        try:
            self.dialog = open_item_dialog(self.window(), self.context, uid)
        except UserError as error:  # deleted in another window meanwhile
            self.context.report(error, "Cannot open this idea")
            self.refresh()
            return None
        return self.dialog

    def unschedule(self, uids: list[str]) -> bool:
        """Take calendar items into the backlog (one undo step); a series is refused."""
        if not self.context.execute(item_commands.unschedule(self.context, uids)):
            return False
        self.select_uids(uids)
        return True
