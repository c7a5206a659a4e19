"""The calendar's filter bar: team, kind, persona, owner and status as compact multi-choice
buttons, and a search box over titles and descriptions. Every view, the agenda and the
ideas backlog apply the same filter; it is remembered between sessions."""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.words import Kind, Status, Team
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.context import PEOPLE, PERSONAS, PlanContext
from smarketing_desktop.gui.palette import kind_icon, team_mark
from smarketing_desktop.services import people as people_service
from smarketing_desktop.services.personas import list_persona_cards

Option = tuple[str, str, QIcon | None]  # value, label, icon


class _ChoiceMenu(QMenu):
    """A menu of check boxes that stays open while the user ticks several."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class ChoiceButton(QToolButton):
    """A drop-down of check boxes for one criterion; its text shows what is chosen."""

    changed = Signal()

    def __init__(self, label: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setObjectName(name)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu_ = _ChoiceMenu(self)
        self.setMenu(self.menu_)
        self.options: list[Option] = []
        self._chosen: set[str] = set()
        self._update_text()

    def set_options(self, options: Iterable[Option]) -> None:
        """Offer ``options``; choices that are no longer offered are dropped."""
        self.options = list(options)
        offered = {value for value, _, _ in self.options}
        before = set(self._chosen)
        self._chosen &= offered
        self._rebuild()
        if self._chosen != before:
            self.changed.emit()

    def _rebuild(self) -> None:
        self.menu_.clear()
        for value, label, image in self.options:
            action = self.menu_.addAction(label)
            if image is not None:
                action.setIcon(image)
            action.setCheckable(True)
            action.setChecked(value in self._chosen)
            action.setData(value)
            action.toggled.connect(lambda on, v=value: self._toggle(v, on))
        self.menu_.addSeparator()
        clear = self.menu_.addAction(f"Any {self.label.lower()}")
        clear.triggered.connect(self.clear)
        self._update_text()

    def _toggle(self, value: str, on: bool) -> None:
        if on:
            self._chosen.add(value)
        else:
            self._chosen.discard(value)
        self._update_text()
        self.changed.emit()

    def chosen(self) -> frozenset[str]:
        return frozenset(self._chosen)

    def set_chosen(self, values: Iterable[str]) -> None:
        """Choose ``values`` without emitting ``changed`` (restoring a saved filter)."""
        self._chosen = set(values)
        for action in self.menu_.actions():
            if action.isCheckable():
                action.blockSignals(True)
                action.setChecked(action.data() in self._chosen)
                action.blockSignals(False)
        self._update_text()

    def clear(self) -> None:
        if self._chosen:
            self.set_chosen(())
            self.changed.emit()

    def _update_text(self) -> None:
        labels = [label for value, label, _ in self.options if value in self._chosen]
        if not labels:
            text = self.label
        elif len(labels) == 1:
            text = f"{self.label}: {labels[0]}"
        else:
            text = f"{self.label}: {len(labels)}"
        self.setText(f"{text} ▾")
        self.setToolTip(
            f"{self.label}: {', '.join(labels)}"
            if labels
            else f"{self.label}: any (click to choose)"
        )
        self.setProperty("active", bool(labels))
        self.style().unpolish(self)
        self.style().polish(self)


class _SearchKeys(QObject):
    """Keeps Enter and Escape in the search box (not Edit item / close)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QLineEdit):
            return False
        key = event.key()
        ours = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or (
            key == Qt.Key.Key_Escape and bool(watched.text())
        )
        if event.type() == QEvent.Type.ShortcutOverride and ours:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and key == Qt.Key.Key_Escape and ours:
            watched.clear()
            return True
        return False


class FilterBar(QWidget):
    """The shared filter: ``filter()`` is what the user chose; ``changed`` says when.

    Signals:
        changed(ItemFilter): the filter changed (also on clearing it).
    """

    changed = Signal(object)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.setStyleSheet(
            "QToolButton { border: 1px solid #d5dce4; border-radius: 5px; padding: 4px 9px;"
            " background: #ffffff; color: #3e4c59; }"
            "QToolButton:hover { background: #eef4ff; }"
            "QToolButton::menu-indicator { image: none; width: 0; }"
            'QToolButton[active="true"] { background: #e3ecff; border-color: #8fb0f0;'
            " color: #1c4fb8; font-weight: 600; }"
            "QPushButton#clearFilters { border: none; color: #1c64d9; background: transparent; }"
            "QPushButton#clearFilters:hover { text-decoration: underline; }"
        )
        self.context = context
        self.search = QLineEdit(placeholderText="Search…  (Ctrl+F)")
        self.search.setToolTip("Search the titles and descriptions of items (Ctrl+F)")
        self.search.setObjectName("calendarSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(120)
        self._keys = _SearchKeys(self)
        self.search.installEventFilter(self._keys)
        self.teams = ChoiceButton("Team", "teamFilter")
        self.kinds = ChoiceButton("Kind", "kindFilter")
        self.personas = ChoiceButton("Persona", "personaFilter")
        self.owners = ChoiceButton("Owner", "ownerFilter")
        self.statuses = ChoiceButton("Status", "statusFilter")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear)
        self.teams.set_options((t.value, t.label, QIcon(team_mark(t.value))) for t in Team)
        self.kinds.set_options((k.value, k.label, kind_icon(k.value)) for k in Kind)
        self.statuses.set_options((s.value, s.value.capitalize(), None) for s in Status)
        self._fill_people()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search, 2)
        for button in self.buttons():
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            layout.addWidget(button)
            button.changed.connect(self._changed)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.search.textChanged.connect(self._changed)
        # Only while the calendar shows (other tabs have their own search).
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self._fill_people)
        self._restore()

    def buttons(self) -> list[ChoiceButton]:
        return [self.teams, self.kinds, self.personas, self.owners, self.statuses]

    def _fill_people(self) -> None:
        plan = self.context.plan
        everyone: Option = (ItemFilter.EVERYONE, "Everyone (no persona)", None)
        self.personas.set_options(
            [*((card.id, card.name, None) for card in list_persona_cards(plan)), everyone]
        )
        people = people_service.list_people(plan)
        self.owners.set_options(
            [*((p.id, p.name, QIcon(team_mark(p.team))) for p in people), ("", "No owner", None)]
        )

    def _on_changed(self, topic: str) -> None:
        if topic in (PEOPLE, PERSONAS):
            self._fill_people()

    def filter(self) -> ItemFilter:
        """What the user chose to see."""
        return ItemFilter(
            teams=self.teams.chosen(),
            kinds=self.kinds.chosen(),
            personas=self.personas.chosen(),
            owners=self.owners.chosen(),
            statuses=self.statuses.chosen(),
            text=self.search.text(),
        )

    def set_filter(self, item_filter: ItemFilter) -> None:
        """Show ``item_filter`` (choices the plan does not offer are dropped)."""
        for button, values in zip(
            self.buttons(),
            (
                item_filter.teams,
                item_filter.kinds,
                item_filter.personas,
                item_filter.owners,
                item_filter.statuses,
            ),
            strict=True,
        ):
            offered = {value for value, _, _ in button.options}
            button.set_chosen(values & offered)
        self.search.blockSignals(True)
        self.search.setText(item_filter.text)
        self.search.blockSignals(False)
        self._changed()

    def clear(self) -> None:
        self.set_filter(ItemFilter())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _changed(self, *_args: object) -> None:
        current = self.filter()
        self.clear_button.setVisible(not current.is_empty)
        settings.CALENDAR_FILTER.set(json.dumps(current.to_json(), ensure_ascii=False))
        self.changed.emit(current)

    def _restore(self) -> None:
        try:
            saved = ItemFilter.from_json(json.loads(settings.CALENDAR_FILTER.get() or "{}"))
        except ValueError:
            saved = ItemFilter()
        self.set_filter(saved)
