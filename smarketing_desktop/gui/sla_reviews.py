"""The Reviews page of the SLA editor: when both teams meet to review the commitments
(first meeting, length, time zone, recurrence, location) and the escalation path."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from smarketing_desktop.domain.repeat import recurrence_phrase
from smarketing_desktop.domain.rule_check import review_rule
from smarketing_desktop.gui.sla_fields import Edits, find, from_qdate
from smarketing_desktop.gui.sla_preview import day

Document = dict[str, Any]
FLOATING = "Floating — each person's own local time"
CUSTOM = "custom"
RECURRENCES = (
    ("Once", None),
    ("Every month", "FREQ=MONTHLY"),
    ("Every quarter", "FREQ=MONTHLY;INTERVAL=3"),
    ("Custom rule", CUSTOM),
)
_HIDDEN_ZONES = ("posix/", "right/", "Etc/", "SystemV/")


class ReviewsPage:
    """Widgets of the Reviews page; ``value()`` is the document's ``reviews``."""

    def __init__(self, form: QWidget, edits: Edits, effective: QDateEdit, ends: QDateEdit) -> None:
        self.edits = edits
        self.effective, self.ends = effective, ends
        self.group = find(form, QGroupBox, "reviewsGroup")
        self.start = find(form, QDateTimeEdit, "reviewStartEdit")
        self.length = find(form, QSpinBox, "reviewLengthSpin")
        self.zone = find(form, QComboBox, "reviewZoneCombo")
        self.recurrence = find(form, QComboBox, "recurrenceCombo")
        self.rule = find(form, QLineEdit, "rruleEdit")
        self.hint = find(form, QLabel, "recurrenceHint")
        self.location = find(form, QLineEdit, "reviewLocationEdit")
        self.escalation = find(form, QPlainTextEdit, "escalationEdit")
        self._last_preset = 0  # the recurrence chosen before "Custom rule"
        for label, rule in RECURRENCES:
            self.recurrence.addItem(label, rule)
        self.zone.addItem(FLOATING, None)
        for zone in sorted(zoneinfo.available_timezones()):
            if "/" in zone and not zone.startswith(_HIDDEN_ZONES):
                self.zone.addItem(zone, zone)
        self.group.toggled.connect(self._toggled)
        self.start.dateTimeChanged.connect(lambda: self._typing("reviews.start"))
        self.length.valueChanged.connect(lambda: self._typing("reviews.length"))
        # Arrowing through the zones is one undo step, not one per zone passed.
        self.zone.currentIndexChanged.connect(lambda: edits.now("Edit reviews", "reviews.tz"))
        self.recurrence.currentIndexChanged.connect(self._recurrence_chosen)
        self.rule.textEdited.connect(lambda: self._typing("reviews.rrule"))
        self.location.textEdited.connect(lambda: self._typing("reviews.location"))
        self.escalation.textChanged.connect(
            lambda: edits.typing("escalation", "Edit escalation path")
        )
        for edit in (self.rule, self.location):
            edit.editingFinished.connect(edits.flush)

    # The widgets whose typing is saved when the user leaves them.
    @property
    def focus_widgets(self) -> tuple[QWidget, ...]:
        return (self.start, self.length, self.escalation)

    def load(self, reviews: Document | None, escalation: str) -> None:
        self.group.setChecked(bool(reviews))
        reviews = reviews or {}
        start = reviews.get("start")
        self._set_start(dt.datetime.fromisoformat(start) if start else self.default_start())
        self.length.setValue(int(reviews.get("duration_minutes") or 60))
        zone = reviews.get("tz")
        position = self.zone.findData(zone) if zone else 0
        if zone and position < 0:  # a zone this computer does not list
            self.zone.addItem(str(zone), zone)
            position = self.zone.count() - 1
        self.zone.setCurrentIndex(position)
        rule = reviews.get("rrule")
        position = self.recurrence.findData(rule)
        custom = position < 0
        self.recurrence.setCurrentIndex(self.recurrence.count() - 1 if custom else position)
        self._last_preset = 0 if custom else position
        self.rule.setText(rule if custom and rule else "")
        self.rule.setVisible(custom)
        self.location.setText(reviews.get("location") or "")
        self.escalation.setPlainText(escalation)
        self.describe()

    def value(self) -> Document | None:
        """The review schedule as the document holds it (None: no review meetings)."""
        if not self.group.isChecked():
            return None
        moment = self.start.dateTime()
        date, time = moment.date(), moment.time()
        start = dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())
        rule = self.recurrence.currentData()
        if rule == CUSTOM:
            rule = self.rule.text().strip() or None
        return {
            "start": start.isoformat(),
            "tz": self.zone.currentData(),
            "duration_minutes": self.length.value(),
            "rrule": rule,
            "location": self.location.text(),
        }

    def default_start(self) -> dt.datetime:
        """Two weeks after the agreement takes effect, at ten."""
        effective = from_qdate(self.effective.date())
        first = dt.date.fromisoformat(effective) if effective else dt.date.today()
        return dt.datetime.combine(first + dt.timedelta(days=14), dt.time(10))

    def describe(self) -> None:
        """The recurrence in words under the choice."""
        reviews = self.value()
        if not reviews:
            self.hint.setText("")
            return
        words = recurrence_phrase(reviews["rrule"])
        text = "A single meeting" if words == "once" else f"Meets {words}"
        ends = from_qdate(self.ends.date())
        rule = reviews["rrule"]
        if rule and ends and review_rule(rule, dt.date.fromisoformat(ends)) != rule:
            text += f" until the agreement ends ({day(ends)})"
        self.hint.setText(text + ", shown on the calendar as a joint meeting.")

    def _set_start(self, moment: dt.datetime) -> None:
        self.start.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day),
                QTime(moment.hour, moment.minute, moment.second),
            )
        )

    def _typing(self, key: str) -> None:
        if not self.edits.loading:
            self.describe()
        self.edits.typing(key, "Edit reviews")

    def _toggled(self, on: bool) -> None:
        if self.edits.loading:
            return
        if on:  # meetings again: start from a sensible schedule, not from old leftovers
            self.edits.loading = True
            try:
                self._set_start(self.default_start())
                self.recurrence.setCurrentIndex(2)
            finally:
                self.edits.loading = False
        self.describe()
        self.edits.now("Schedule reviews" if on else "Cancel reviews")

    def _recurrence_chosen(self) -> None:
        custom = self.recurrence.currentData() == CUSTOM
        if custom and not self.rule.text():
            # The custom rule starts as the schedule in force, ready to be changed.
            previous = self.recurrence.itemData(self._last_preset)
            self.rule.setText(previous or "FREQ=MONTHLY")
        if not custom:
            self._last_preset = self.recurrence.currentIndex()
        self.rule.setVisible(custom)
        self.describe()
        if custom and not self.edits.loading:
            self.rule.setFocus()
        self.edits.now("Edit reviews", "reviews.recurrence")
