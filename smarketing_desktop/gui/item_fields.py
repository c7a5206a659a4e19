"""The item dialog's compound fields: the time-zone chooser, channels as a list, and the
goals table. Each fills itself from an exchange value and reads one back."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from smarketing_desktop.domain import numbers
from smarketing_desktop.domain.words import Team
from smarketing_desktop.errors import UserError

FLOATING = "Floating (no time zone)"
_ORIGINAL = Qt.ItemDataRole.UserRole


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def to_qtime(moment: dt.time) -> QTime:
    return QTime(moment.hour, moment.minute)


def from_qtime(moment: QTime) -> dt.time:
    return dt.time(moment.hour(), moment.minute())


@cache
def zone_names() -> tuple[str, ...]:
    """Region/City zones and UTC; the old aliases (``US/Eastern``, ``Etc/GMT+5``) are left out
    of the list, but an item that already has one keeps it."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right"))
    }
    return ("UTC", *sorted(names))


def local_zone() -> str:
    """The user's own IANA zone (UTC if the system does not name one)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    if name in ("Etc/UTC", "Etc/Universal", "UTC", "Universal", "Zulu"):
        return "UTC"
    return name if name in zoneinfo.available_timezones() else "UTC"


class ZoneField:
    """An editable combo of time zones that finds ``Berlin`` in ``Europe/Berlin``.

    Values: ``None`` (floating), an IANA name, or a fixed offset such as ``+01:00``
    (items imported with an offset keep it).
    """

    def __init__(self, combo: QComboBox) -> None:
        self.combo = combo
        combo.addItem(FLOATING, None)
        for name in zone_names():
            combo.addItem(name, name)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        combo.setMaxVisibleItems(16)

    def set_value(self, zone: str | None) -> None:
        index = self.combo.findData(zone)
        if index < 0 and zone is not None:
            label = f"UTC{zone} (fixed offset)" if zone[:1] in "+-" else zone
            self.combo.addItem(label, zone)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def value(self) -> str | None:
        """The chosen zone.

        Raises:
            UserError: the typed text names no zone in the list.
        """
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            raise UserError(f"“{text[:60]}” is not a time zone; pick one from the list.")
        data = self.combo.itemData(index)
        return None if data is None else str(data)


class ChannelsField(QObject):
    """Channels as a list: type a name and press Enter (or Add); Remove drops the chosen.

    Enter in the entry adds the channel and goes no further: it must not press the
    dialog's OK button.
    """

    added = Signal()

    def __init__(self, channels: QListWidget, entry: QLineEdit) -> None:
        super().__init__(entry)
        self.list, self.entry = channels, entry
        channels.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        entry.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.entry
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if self.add_typed():
                self.added.emit()
            return True
        return False

    def set_values(self, values: list[str]) -> None:
        self.list.clear()
        for value in values:
            self.list.addItem(value)

    def values(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def add_typed(self) -> bool:
        """Add what is typed (ignoring blanks and a channel already listed)."""
        text = self.entry.text().strip()
        if not text:
            return False
        if text.casefold() not in {value.casefold() for value in self.values()}:
            self.list.addItem(text)
        self.entry.clear()
        return True

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _parse_number(text: str, what: str) -> float | None:
    # The one reading of numbers (the Review tab's and the SLA tables' too).
    return numbers.parse_number(text, decimal=QLocale().decimalPoint(), what=what)


class GoalsField:
    """Goals per team as table rows: team, metric, target, actual, lower is better.

    A goal's other facts (who entered the results and when) ride along unchanged.
    """

    def __init__(self, table: QTableWidget, on_change: Callable[[], None]) -> None:
        self.table = table
        self.on_change = on_change
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 90), (3, 90), (4, 120)):
            table.setColumnWidth(column, width)
        table.verticalHeader().setDefaultSectionSize(30)

    def set_values(self, goals: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for goal in goals:
            self.add(goal)

    def add(self, goal: dict[str, Any] | None = None) -> int:
        """Append a row (a new goal for marketing when ``goal`` is None); returns its row."""
        goal = goal or {"team": Team.MARKETING.value, "metric": "", "better": "higher"}
        row = self.table.rowCount()
        self.table.insertRow(row)
        team = QComboBox()
        for member in Team:
            team.addItem(member.label, member.value)
        team.setCurrentIndex(max(0, team.findData(goal.get("team"))))
        team.currentIndexChanged.connect(lambda _index: self.on_change())
        self.table.setCellWidget(row, 0, team)
        metric = QTableWidgetItem(str(goal.get("metric") or ""))
        metric.setData(_ORIGINAL, dict(goal))
        self.table.setItem(row, 1, metric)
        self.table.setItem(row, 2, QTableWidgetItem(_number_text(goal.get("target"))))
        self.table.setItem(row, 3, QTableWidgetItem(_number_text(goal.get("actual"))))
        lower = QTableWidgetItem()
        lower.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        checked = goal.get("better") == "lower"
        lower.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.table.setItem(row, 4, lower)
        return row

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)

    def team_combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 0)
        assert isinstance(widget, QComboBox)
        return widget

    def values(self) -> list[dict[str, Any]]:
        """The goals in table order.

        Raises:
            UserError: a goal without a metric, or a target or actual that is not a number.
        """
        goals = []
        for row in range(self.table.rowCount()):
            what = f"Goal {row + 1}"
            metric_item = self.table.item(row, 1)
            original = dict(metric_item.data(_ORIGINAL) or {}) if metric_item else {}
            metric = metric_item.text() if metric_item else ""
            if not metric.strip():
                raise UserError(f"{what} needs a metric (what is counted, e.g. new subscribers).")
            cells = [self.table.item(row, column) for column in (2, 3, 4)]
            target = _parse_number(cells[0].text() if cells[0] else "", f"{what}, target")
            actual = _parse_number(cells[1].text() if cells[1] else "", f"{what}, actual")
            lower = cells[2] is not None and cells[2].checkState() == Qt.CheckState.Checked
            goals.append(
                {
                    **original,
                    "team": self.team_combo(row).currentData(),
                    "metric": metric,
                    "target": target,
                    "actual": actual,
                    "better": "lower" if lower else "higher",
                }
            )
        return goals


def checkable(text: str, data: Any, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(_ORIGINAL, data)
    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def item_data(item: QListWidgetItem) -> Any:
    return item.data(_ORIGINAL)
