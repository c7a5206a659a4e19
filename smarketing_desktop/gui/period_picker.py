"""Choosing a review period: quarter presets, or any range of days."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from smarketing_desktop.domain.periods import describe_period, quarter_name, quarter_span

CUSTOM = "custom"


def presets(today: dt.date) -> list[tuple[str, str, tuple[dt.date, dt.date]]]:
    """(key, label, range) of the periods offered, relative to ``today``."""
    this = quarter_span(today)
    last = quarter_span(today, -1)
    year_end = today.replace(month=12, day=31)
    result = [
        ("this-quarter", f"This quarter ({quarter_name(this[0])})", this),
        ("last-quarter", f"Last quarter ({quarter_name(last[0])})", last),
    ]
    for shift in (-2, -3):
        span = quarter_span(today, shift)
        result.append((f"quarter{shift}", quarter_name(span[0]), span))
    result += [
        ("last-90-days", "Last 90 days", (today - dt.timedelta(days=89), today)),
        ("this-year", f"This year ({today.year})", (today.replace(month=1, day=1), year_end)),
    ]
    return result


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class PeriodPicker(QWidget):
    """A preset list with "Custom range…", which shows two date fields."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.combo = QComboBox()
        self.combo.setObjectName("reviewPeriod")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setToolTip("The campaigns that started in this period are reviewed")
        self._ranges: dict[str, tuple[dt.date, dt.date]] = {}
        self._last_preset = "this-quarter"
        for key, label, span in presets(self.today):
            self.combo.addItem(label, key)
            self._ranges[key] = span
        self.combo.addItem("Custom range…", CUSTOM)
        first, last = quarter_span(self.today)
        self.first = QDateEdit(_qdate(first))
        self.last = QDateEdit(_qdate(last))
        self.dash = QLabel("to")
        for edit, name in ((self.first, "reviewFrom"), (self.last, "reviewTo")):
            edit.setObjectName(name)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._dates_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.combo, self.first, self.dash, self.last):
            layout.addWidget(widget)
        self.combo.currentIndexChanged.connect(self._preset_changed)
        self._show_dates()

    @property
    def key(self) -> str:
        return str(self.combo.currentData())

    def set_key(self, key: str) -> None:
        """Choose a preset by its key (unknown keys, from older settings, are ignored)."""
        index = self.combo.findData(key)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def set_range(self, first: dt.date, last: dt.date) -> None:
        """Choose "Custom range…" with these days."""
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        self.combo.blockSignals(False)
        for edit, value in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        self._show_dates()
        self.changed.emit()

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen first and last day (inclusive); a reversed custom range is put right."""
        if self.key != CUSTOM:
            return self._ranges[self.key]
        first, last = _day(self.first.date()), _day(self.last.date())
        return (first, last) if first <= last else (last, first)

    def describe(self) -> str:
        return describe_period(*self.period())

    def _show_dates(self) -> None:
        custom = self.key == CUSTOM
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(custom)

    def _preset_changed(self) -> None:
        if self.key == CUSTOM:
            # Start from the period shown so far: the user adjusts rather than retypes.
            current = self._ranges.get(self._last_preset, quarter_span(self.today))
            for edit, value in zip((self.first, self.last), current, strict=True):
                edit.blockSignals(True)
                edit.setDate(_qdate(value))
                edit.blockSignals(False)
        else:
            self._last_preset = self.key
        self._show_dates()
        self.changed.emit()

    def _dates_changed(self) -> None:
        if self.key == CUSTOM:
            self.changed.emit()
