"""The filter of a calendar export (ui/ical_filter.ui): the same choices as the command line.

Kinds, teams, statuses, owners and personas are ticked in lists (nothing ticked: all),
and the date range is optional. Used by the export and the publish dialogs.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.words import Kind, Status, Team
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.rich import tooltip
from smarketing_desktop.services.ical import FilterChoices

ROW_HEIGHT = 25


def _fill(widget: QListWidget, entries: list[tuple[str, str]], empty: str = "") -> None:
    widget.clear()
    for value, text in entries:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setToolTip(tooltip(text))
        widget.addItem(item)
    if not entries and empty:
        item = QListWidgetItem(empty)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)


def _ticked(widget: QListWidget) -> frozenset[str]:
    return frozenset(
        str(widget.item(n).data(Qt.ItemDataRole.UserRole))
        for n in range(widget.count())
        if widget.item(n).checkState() == Qt.CheckState.Checked
    )


def _tick(widget: QListWidget, values: frozenset[str]) -> None:
    for n in range(widget.count()):
        item = widget.item(n)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            on = item.data(Qt.ItemDataRole.UserRole) in values
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class FilterPanel(QObject):
    """The filter form inside ``host``; ``changed`` fires on every change of a choice."""

    changed = Signal()

    def __init__(self, host: QWidget, choices: FilterChoices) -> None:
        super().__init__(host)
        self.widget = load_form("ical_filter.ui", host)
        layout = host.layout()
        assert layout is not None
        layout.addWidget(self.widget)
        find = self.widget.findChild
        self.kinds = cast(QListWidget, find(QListWidget, "kindFilterList"))
        self.teams = cast(QListWidget, find(QListWidget, "teamFilterList"))
        self.statuses = cast(QListWidget, find(QListWidget, "statusFilterList"))
        self.owners = cast(QListWidget, find(QListWidget, "ownerFilterList"))
        self.personas = cast(QListWidget, find(QListWidget, "personaFilterList"))
        self.range_check = cast(QCheckBox, find(QCheckBox, "rangeCheck"))
        self.first = cast(QDateEdit, find(QDateEdit, "fromDate"))
        self.last = cast(QDateEdit, find(QDateEdit, "toDate"))
        self.clear_button = cast(QPushButton, find(QPushButton, "clearButton"))
        _fill(self.kinds, [(k.value, k.label) for k in Kind])
        _fill(self.teams, [(t.value, t.label) for t in Team])
        _fill(self.statuses, [(s.value, s.value.capitalize()) for s in Status])
        _fill(self.owners, list(choices.owners), "Nobody in the Team tab yet")
        _fill(self.personas, list(choices.personas), "No personas yet")
        # Lists are as tall as their entries need (up to a point), so nothing hides.
        for widget, rows in (
            (self.kinds, len(Kind)),
            (self.teams, len(Team)),
            (self.statuses, len(Status)),
            (self.owners, 5),
            (self.personas, 5),
        ):
            widget.setMinimumHeight(min(rows, 11) * ROW_HEIGHT + 8)
            widget.setMinimumWidth(170)
            widget.itemChanged.connect(lambda _item: self.changed.emit())
        today = dt.date.today()
        quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.first.setDate(_qdate(quarter))
        self.last.setDate(_qdate(quarter.replace(year=quarter.year + 1) - dt.timedelta(days=1)))
        self.range_check.toggled.connect(self._range_toggled)
        self.first.dateChanged.connect(lambda _d: self.changed.emit())
        self.last.dateChanged.connect(lambda _d: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

    def _range_toggled(self, on: bool) -> None:
        self.first.setEnabled(on)
        self.last.setEnabled(on)
        self.changed.emit()

    def filter(self) -> ItemFilter:
        """The choices as the export's filter."""
        ranged = self.range_check.isChecked()
        return ItemFilter(
            teams=_ticked(self.teams),
            kinds=_ticked(self.kinds),
            statuses=_ticked(self.statuses),
            personas=_ticked(self.personas),
            owners=_ticked(self.owners),
            first=_date(self.first.date()) if ranged else None,
            last=_date(self.last.date()) if ranged else None,
        )

    def set_filter(self, chosen: ItemFilter) -> None:
        self.blockSignals(True)
        try:
            _tick(self.teams, chosen.teams)
            _tick(self.kinds, chosen.kinds)
            _tick(self.statuses, chosen.statuses)
            _tick(self.personas, chosen.personas)
            _tick(self.owners, chosen.owners)
            self.range_check.setChecked(chosen.first is not None or chosen.last is not None)
            if chosen.first is not None:
                self.first.setDate(_qdate(chosen.first))
            if chosen.last is not None:
                self.last.setDate(_qdate(chosen.last))
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def clear(self) -> None:
        self.set_filter(ItemFilter())
