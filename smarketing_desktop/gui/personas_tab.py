"""The Personas tab: persona cards with search beside the editor, and journey coverage."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.context import ITEMS, PERSONAS, PLAN, PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.journey_view import JourneyView
from smarketing_desktop.gui.palette import avatar
from smarketing_desktop.gui.persona_commands import AddPersona, DeletePersona
from smarketing_desktop.gui.persona_editor import PersonaEditor
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.rich import bullet_list, literal, literal_tooltip
from smarketing_desktop.gui.widgets import EmptyState, heading, note
from smarketing_desktop.services import personas as service
from smarketing_desktop.services.personas import PersonaCard, list_persona_cards

Index = QModelIndex | QPersistentModelIndex
CARD_HEIGHT = 118
MIN_CARD_WIDTH = 260
AVATAR = 64
# Buying stages in the order a buyer goes through them, each with its own colour.
STAGE_COLOURS: dict[str, str] = {
    BuyingStage.AWARENESS: "#0c8599",
    BuyingStage.CONSIDERATION: "#7048e8",
    BuyingStage.DECISION: "#2b8a3e",
}


class PersonaCardModel(QAbstractListModel):
    """Persona cards (plain dataclasses from the personas service) as a list model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[PersonaCard] = []

    def set_cards(self, cards: list[PersonaCard]) -> None:
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal_tooltip(card.name, card.role, card.summary)
        if role == Qt.ItemDataRole.UserRole:
            return card
        return None


@lru_cache(maxsize=256)
def card_avatar(name: str, picture: bytes | None) -> QPixmap:
    """The card's round picture; cached, as decoding a photo on every paint is wasted."""
    return avatar(name, AVATAR, picture)


class PersonaCardDelegate(QStyledItemDelegate):
    """Paints a card: picture (or initials), name, role, buying stage and a summary."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        view = option.widget
        if isinstance(view, QListView) and view.gridSize().isValid():
            return view.gridSize()  # a card fills its cell of the grid
        return QSize(MIN_CARD_WIDTH, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: PersonaCard = index.data(Qt.ItemDataRole.UserRole)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        card_rect = QRectF(rect.adjusted(8, 8, -8, -8)).adjusted(0.5, 0.5, -0.5, -0.5)
        border = "#2f6fde" if selected else "#b8c4d1" if hovered else "#dde3ea"
        painter.setPen(QColor(border))
        painter.setBrush(QColor("#eef4ff") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(card_rect, 10, 10)
        inner = card_rect.toRect().adjusted(16, 14, -16, -14)

        painter.drawPixmap(inner.left(), inner.top() + 2, card_avatar(card.name, card.picture))
        left = inner.left() + AVATAR + 16
        width = inner.right() - left

        name_font = QFont(option.font)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.2)
        name_font.setBold(True)
        name_metrics = QFontMetrics(name_font)
        small = QFont(option.font)
        metrics = QFontMetrics(small)
        stage_font = QFont(option.font)
        stage_font.setPointSizeF(stage_font.pointSizeF() * 0.85)
        stage_font.setBold(True)
        stage_metrics = QFontMetrics(stage_font)

        # The buying stage as a coloured pill.
        stage_width = 0
        if card.buying_stage:
            label = card.buying_stage.capitalize()
            stage_width = stage_metrics.horizontalAdvance(label) + 16
            # On the role's line, so the name gets the card's whole width.
            pill_top = inner.top() + name_metrics.height() + 2 + (metrics.height() - 20) / 2
            pill = QRectF(inner.right() - stage_width, pill_top, stage_width, 20)
            colour = QColor(STAGE_COLOURS.get(card.buying_stage.lower(), "#52606d"))
            fill = QColor(colour)
            fill.setAlpha(28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, 10, 10)
            painter.setPen(colour)
            painter.setFont(stage_font)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)

        y = inner.top()
        painter.setFont(name_font)
        painter.setPen(QColor("#1f2933"))
        name_width = width
        painter.drawText(
            QRect(left, y, name_width, name_metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name_metrics.elidedText(card.name, Qt.TextElideMode.ElideRight, name_width),
        )
        y += name_metrics.height() + 2
        painter.setFont(small)
        painter.setPen(QColor("#52606d"))
        painter.drawText(
            QRect(left, y, width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(card.role, Qt.TextElideMode.ElideRight, width - stage_width - 8),
        )
        y += metrics.height() + 8
        # The summary (usually the persona's quote) on up to two lines.
        painter.setPen(QColor("#616e7c"))
        summary = card.summary
        space = QRect(left, y, width, inner.bottom() - y)
        bound = metrics.boundingRect(space, Qt.TextFlag.TextWordWrap, summary)
        if bound.height() > space.height():
            summary = metrics.elidedText(summary, Qt.TextElideMode.ElideRight, width * 2 - 40)
        painter.drawText(space, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, summary)
        painter.restore()


class CardGrid(QListView):
    """Cards in as many columns as fit (one in the side pane), each as wide as it can."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSpacing(0)
        self.setMouseTracking(True)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setGridSize(QSize(MIN_CARD_WIDTH, CARD_HEIGHT))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = self.viewport().width() - 4
        columns = max(1, width // MIN_CARD_WIDTH)
        self.setGridSize(QSize(max(200, width // columns), CARD_HEIGHT))
        super().resizeEvent(event)


class PersonasTab(QWidget):
    """The plan's buyer personas: cards with search beside the editor, or journey coverage.

    Signals:
        show_item: the uid of an item the user asked to see on the calendar.
    """

    show_item = Signal(str)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.current_id: str | None = None
        self.model = PersonaCardModel(self)
        self.list = CardGrid()
        self.list.setObjectName("personaList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(PersonaCardDelegate(self.list))
        self.list.selectionModel().currentChanged.connect(self._card_chosen)
        self.title = heading("Buyer personas")
        self.summary = note()

        self.search = QLineEdit(placeholderText="Search personas…", clearButtonEnabled=True)
        self.search.setObjectName("personaSearch")
        self.search.setToolTip("Find personas by any word in them (Ctrl+F)")
        self.search.textChanged.connect(self.refresh)
        self.new_button = QToolButton()
        self.new_button.setObjectName("newPersonaButton")
        self.new_button.setText("New persona")
        self.new_button.setIcon(icon("new"))
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_menu = QMenu(self.new_button)
        self.new_menu.addAction("Blank persona", self.new_blank)
        self.new_menu.addSeparator()
        for template_id, label in service.TEMPLATES.items():
            action = self.new_menu.addAction(f"From template: {label}")
            action.triggered.connect(partial(self.new_from_template, template_id))
        self.new_button.setMenu(self.new_menu)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Make a copy of the selected persona")
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button = QPushButton(icon("remove"), "Delete…")
        self.delete_button.setToolTip("Delete the selected persona (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)

        self.editor = PersonaEditor(context, self.focus_persona)
        self.editor.show_item.connect(self.show_item)
        self.empty = EmptyState("personas")
        self.empty.set_text(
            "No buyer personas in this plan yet",
            "Personas describe the buyers both teams target: their goals, challenges and "
            "the channels they trust. Start one with New persona, blank or from a template.",
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.editor)
        self.pages.addWidget(self.empty)

        side = QWidget()
        side.setObjectName("personaSide")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.search)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.list, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("personaSplitter")
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 900])
        self.splitter.setChildrenCollapsible(False)
        side.setMinimumWidth(300)

        self.journey = JourneyView(context)
        self.journey.open_persona.connect(self.open_persona)
        self.views = QStackedWidget()
        self.views.addWidget(self.splitter)
        self.views.addWidget(self.journey)
        self.editor_mode = self._mode_button("Editor", "Edit the personas one by one")
        self.coverage_mode = self._mode_button(
            "Journey coverage", "Which persona gets what at each buying stage, per quarter"
        )
        self.editor_mode.setChecked(True)
        modes = QButtonGroup(self)
        modes.setExclusive(True)
        modes.addButton(self.editor_mode)
        modes.addButton(self.coverage_mode)
        self.coverage_mode.toggled.connect(self._mode_toggled)

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addSpacing(10)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.setSpacing(0)
        bar.addWidget(self.editor_mode)
        bar.addWidget(self.coverage_mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)

        find = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        context.changed.connect(self._on_changed)
        # Sorted again once the name is typed (refresh keeps the order while typing).
        self.editor.line_edits["name"].editingFinished.connect(
            lambda: QTimer.singleShot(0, self, self.refresh)
        )
        context.plan_replaced.connect(self._plan_replaced)
        self.refresh()

    def _mode_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName("modeButton")
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        return button

    # --- showing ------------------------------------------------------------------------

    def _on_changed(self, topic: str) -> None:
        if topic == PERSONAS:
            self.refresh()
        elif topic in (ITEMS, PLAN):
            self.editor.refresh_items()
        if topic in (PERSONAS, ITEMS, PLAN) and self.views.currentWidget() is self.journey:
            self.journey.refresh()  # else it is read when it is shown

    def _plan_replaced(self) -> None:
        self.current_id = None
        self.editor.show_document(None)
        self.refresh()
        if self.views.currentWidget() is self.journey:
            self.journey.refresh()

    def refresh(self) -> None:
        """Read the cards (filtered by the search) and show the current persona."""
        every = list_persona_cards(self.context.plan)
        needle = self.search.text()
        cards = list_persona_cards(self.context.plan, needle) if needle.strip() else every
        shown_ids = [card.id for card in self.model.cards]
        if self.editor.line_edits["name"].hasFocus() and sorted(shown_ids) == sorted(
            card.id for card in cards
        ):
            # The name being typed would move its card under the mouse with every pause:
            # the cards keep their places until the name field is left.
            place = {card_id: n for n, card_id in enumerate(shown_ids)}
            cards = sorted(cards, key=lambda card: place[card.id])
        ids = [card.id for card in every]
        found = [card.id for card in cards]
        # Deleted, or hidden by the search: the first persona found takes its place.
        if self.current_id not in ids or (found and self.current_id not in found):
            self.current_id = found[0] if found else (ids[0] if ids else None)
        self.model.set_cards(cards)
        shown = len(cards)
        text = f"{len(every)} persona{'' if len(every) == 1 else 's'}"
        if needle.strip():
            text += f" · {shown} found"
        self.summary.setText(text)
        self.pages.setCurrentWidget(self.editor if every else self.empty)
        self._select_card(self.current_id)
        self.editor.load(self.current_id)
        self._update_buttons()

    def _select_card(self, persona_id: str | None) -> None:
        row = next((n for n, c in enumerate(self.model.cards) if c.id == persona_id), -1)
        selection = self.list.selectionModel()
        blocked = selection.blockSignals(True)
        if row >= 0:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)
        else:
            selection.clearSelection()
        selection.blockSignals(blocked)
        self.list.viewport().update()

    def _card_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            card: PersonaCard = current.data(Qt.ItemDataRole.UserRole)
            if card.id != self.current_id:
                self.current_id = card.id
                self.editor.load(card.id)
                self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.editor.persona_id is not None
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def focus_persona(self, persona_id: str | None) -> None:
        """Show ``persona_id`` next (after an undo step touched it); None: a neighbour."""
        if persona_id is None and self.current_id is not None:
            ids = [card.id for card in self.model.cards]
            if self.current_id in ids:
                at = ids.index(self.current_id)
                rest = ids[:at] + ids[at + 1 :]
                persona_id = rest[min(at, len(rest) - 1)] if rest else None
        self.current_id = persona_id

    def open_persona(self, persona_id: str) -> None:
        """Switch to the editor showing ``persona_id``."""
        self.editor_mode.setChecked(True)
        self.search.clear()
        self.current_id = persona_id
        self.refresh()

    def _mode_toggled(self, coverage: bool) -> None:
        if coverage:
            self.editor.flush()
            self.journey.refresh()
        self.views.setCurrentWidget(self.journey if coverage else self.splitter)

    def focus_search(self) -> None:
        if self.coverage_mode.isChecked():
            self.editor_mode.setChecked(True)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def save_state(self) -> None:
        """On closing the window: save what was typed last, remember the layout."""
        self.editor.flush()
        settings.PERSONAS_SPLITTER.set(self.splitter.saveState())

    def restore_state(self) -> None:
        state = settings.PERSONAS_SPLITTER.get()
        if not state.isEmpty():
            self.splitter.restoreState(state)

    # --- actions ------------------------------------------------------------------------

    def _add(self, text: str, create: Callable[[], service.Document]) -> bool:
        self.editor.flush()
        self.search.clear()
        if not self.context.execute(AddPersona(self.context, text, create, self.focus_persona)):
            return False
        self.editor_mode.setChecked(True)
        name = self.editor.line_edits["name"]
        name.setFocus(Qt.FocusReason.OtherFocusReason)
        name.selectAll()
        return True

    def new_blank(self) -> bool:
        plan = self.context.plan
        return self._add("New persona", lambda: service.add_persona(plan, {"name": "New persona"}))

    def new_from_template(self, template_id: str) -> bool:
        plan = self.context.plan
        label = service.TEMPLATES[template_id]
        return self._add(
            f"New persona ({label} template)", lambda: service.new_from_template(plan, template_id)
        )

    def duplicate_selected(self) -> bool:
        persona_id = self.editor.persona_id
        if persona_id is None:
            return False
        plan = self.context.plan
        return self._add("Duplicate persona", lambda: service.duplicate_persona(plan, persona_id))

    def delete_selected(self) -> bool:
        """Ask first, showing the items that target the persona; True if it was deleted."""
        document = self.editor.document
        if document is None:
            return False
        self.editor.flush()
        name = document["name"]
        try:
            linked = service.linked_items(self.context.plan, document["id"])
        except UserError as error:
            self.context.report(error)
            return False
        if linked:
            count = len(linked)
            links = (
                f"<p>{count} item{'s' if count != 1 else ''} on the calendar target "
                f"{'this persona' if count != 1 else 'it'}; deleting takes the persona off "
                f"{'them' if count != 1 else 'it'}:</p>{bullet_list(linked)}"
            )
        else:
            links = "<p>No item on the calendar targets this persona.</p>"
        answer = QMessageBox.question(
            self,
            "Delete persona",
            f"<p>Delete the persona <b>{literal(name)}</b>?</p>{links}<p>You can undo this.</p>",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        command = DeletePersona(self.context, document["id"], name, self.focus_persona)
        return self.context.execute(command)

    def export_pdf(self, every: bool = False) -> Path | None:
        """Save the selected persona (or ``every`` one) as PDF sheets; the file written."""
        self.editor.flush()
        persona_id = None if every else self.editor.persona_id
        if not every and persona_id is None:
            every = True
        document = self.editor.document
        suggested = (
            f"{safe_file_name(document['name'])}.pdf"
            if persona_id and document
            else "Buyer personas.pdf"
        )
        folder = self.context.plan.path.parent
        name, _ = QFileDialog.getSaveFileName(
            self, "Export persona as PDF", str(folder / suggested), "PDF documents (*.pdf)"
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            service.write_persona_sheets(self.context.plan, path, persona_id)
        except UserError as error:
            show_error(self, "Cannot export the persona sheet", str(error))
            return None
        return path


def safe_file_name(name: str) -> str:
    """A file name made from user text: no folder separators or control characters."""
    cleaned = "".join(c if c.isprintable() and c not in '<>:"/\\|?*' else " " for c in name)
    return " ".join(cleaned.split())[:80].strip(". ") or "Persona"
