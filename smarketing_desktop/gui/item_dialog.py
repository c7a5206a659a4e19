"""The item dialog (ui/item_dialog.ui): every field of an item, checked as you type.

It edits the item in the plan-exchange shape (docs/plan-format.md): what the dialog does
not show (results, retrospectives, an imported iCalendar source, extra dates) rides along
unchanged. OK runs one undoable command (create or edit); a refused save, for example a
copy that was changed elsewhere in the meantime, keeps the dialog open with the user's
work in it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTimeEdit,
    QWidget,
)

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.journey import DEFAULT_STAGE
from smarketing_desktop.domain.links import normalise_link
from smarketing_desktop.domain.recurrence import first_rule_day, series_rule
from smarketing_desktop.domain.repeat import (
    FREQUENCIES,
    WEEKDAYS,
    RepeatSpec,
    build_rrule,
    describe_recurrence,
    parse_rrule,
    recurrence_phrase,
)
from smarketing_desktop.domain.rule_check import RuleProblem, check_rule, local_until
from smarketing_desktop.domain.words import BuyingStage, Impact, Kind, Status, Team
from smarketing_desktop.errors import UserError, ValidationError
from smarketing_desktop.exchange.reader import format_offset
from smarketing_desktop.gui import item_commands
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.item_fields import (
    ChannelsField,
    GoalsField,
    ZoneField,
    checkable,
    from_qdate,
    from_qtime,
    item_data,
    local_zone,
    to_qdate,
    to_qtime,
)
from smarketing_desktop.gui.palette import kind_icon, team_mark
from smarketing_desktop.gui.rich import message, tooltip
from smarketing_desktop.services import item_edits
from smarketing_desktop.services import people as people_service
from smarketing_desktop.services.personas import list_persona_cards

Document = dict[str, Any]
CUSTOM = "CUSTOM"
_UNITS = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}
_REPEATS = (
    ("Does not repeat", None),
    ("Daily", "DAILY"),
    ("Weekly", "WEEKLY"),
    ("Monthly", "MONTHLY"),
    ("Yearly", "YEARLY"),
    ("Custom rule", CUSTOM),
)
# The fields a person names a problem by, for the checks the exchange format makes.
_FIELD_NAMES = {
    "title": "Title",
    "start": "Start",
    "end": "End",
    "rrule": "Repeat rule",
    "exdates": "Skipped dates",
    "overrides": "Moved occurrences",
    "location": "Location",
    "url": "Link",
    "description": "Description",
    "channels": "Channels",
    "goals": "Goals",
    "owner": "Owner",
    "personas": "Personas",
}


def blank_item() -> Document:
    """A new item before the user fills it in (every key of the exchange shape)."""
    return {
        "uid": "",
        "title": "",
        "kind": Kind.OTHER.value,
        "team": Team.MARKETING.value,
        "start": None,
        "end": None,
        "tz": None,
        "impact": Impact.MEDIUM.value,
        "status": Status.PLANNED.value,
        "owner": None,
        "personas": [],
        "channels": [],
        "description": "",
        "location": "",
        "url": "",
        "stage": None,
        "source_ical": None,
        "rrule": None,
        "exdates": [],
        "rdates": [],
        "overrides": [],
        "signoff": {"marketing": False, "sales": False},
        "goals": [],
        "retrospectives": [],
    }


def _moment(text: str) -> tuple[dt.date, dt.time | None, str | None]:
    """An exchange moment as day, time (None: all-day) and fixed offset (``+01:00``)."""
    if "T" not in text:
        return dt.date.fromisoformat(text[:10]), None, None
    moment = dt.datetime.fromisoformat(text)
    offset = moment.utcoffset()
    return moment.date(), moment.time(), format_offset(offset) if offset is not None else None


def _day_text(text: str) -> str:
    day, time, _ = _moment(text)
    shown = f"{day:%a} {day.day} {day:%b %Y}"
    return f"{shown} {time:%H:%M}" if time is not None else shown


def _short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# Where a series stops is beside the point when saying which days it repeats on.
_RULE_BOUNDS = re.compile(r";?(?:COUNT|UNTIL)=[^;]*", re.IGNORECASE)


def _friendly(error: ValidationError) -> str:
    """``item.goals[0].metric: must not be empty`` -> ``Goals: must not be empty``."""
    path = error.path.removeprefix("item.")
    field = path.split(".")[0].split("[")[0]
    return f"{_FIELD_NAMES.get(field, field.capitalize())}: {error.problem}"


class ItemDialog(QObject):
    """The form for one item; ``saved`` fires with the uid after OK stored it.

    Attributes:
        dialog: The QDialog (shown with ``open()``; never modal-blocking).
        saved_uid: The uid of the stored item after OK, else None.
    """

    saved = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        context: PlanContext,
        uid: str | None = None,
        *,
        defaults: Document | None = None,
        occurrence: Occurrence | None = None,
    ) -> None:
        self.dialog = cast(QDialog, load_form("item_dialog.ui", parent))
        # Owned by its dialog: the wrapper lives exactly as long as the form.
        super().__init__(self.dialog)
        self.context = context
        self.saved_uid: str | None = None
        self._touched = False
        if uid is not None:
            self.original = item_edits.get_item(context.plan, uid)
        else:
            self.original = blank_item()
            for key, value in (defaults or {}).items():
                self.original[key] = value.isoformat() if isinstance(value, dt.date) else value
        self.is_new = uid is None
        # The user's own custom rule, kept while another choice is shown, and the
        # series' moved occurrences, which move along when the start does.
        self._custom_text = ""
        self._shown_repeat: str | None = None
        self._overrides: list[Document] = list(self.original["overrides"] or [])
        self.manager = None if uid is None else item_edits.managed_by(context.plan, uid)
        self._find_widgets()
        self._fill_choices()
        self._load(self.original)
        self._connect()
        title = self.original["title"]
        if self.is_new:
            self.dialog.setWindowTitle("New idea" if not self.original["start"] else "New item")
        else:
            self.dialog.setWindowTitle(f"Edit “{title[:60]}”")
        series_occurrence = occurrence is not None and occurrence.recurrence_id is not None
        self.series_note.setVisible(series_occurrence and bool(self.original["rrule"]))
        self._show_managed()
        self.title.setFocus()
        self._check()

    # --- building ---------------------------------------------------------------------

    def _find_widgets(self) -> None:
        def find(kind: type[Any], name: str) -> Any:
            widget = self.dialog.findChild(kind, name)
            assert widget is not None, name
            return widget

        self.tabs: QTabWidget = find(QTabWidget, "tabs")
        self.series_note: QLabel = find(QLabel, "seriesNote")
        self.managed_box: QWidget = find(QWidget, "managedBox")
        self.managed_note: QLabel = find(QLabel, "managedNote")
        self.open_slas: QPushButton = find(QPushButton, "openSlasButton")
        self.title: QLineEdit = find(QLineEdit, "titleEdit")
        self.kind: QComboBox = find(QComboBox, "kindCombo")
        self.team: QComboBox = find(QComboBox, "teamCombo")
        self.owner: QComboBox = find(QComboBox, "ownerCombo")
        self.status: QComboBox = find(QComboBox, "statusCombo")
        self.impact: QComboBox = find(QComboBox, "impactCombo")
        self.scheduled: QCheckBox = find(QCheckBox, "scheduledCheck")
        self.all_day: QCheckBox = find(QCheckBox, "allDayCheck")
        self.start_date: QDateEdit = find(QDateEdit, "startDate")
        self.end_date: QDateEdit = find(QDateEdit, "endDate")
        self.start_time: QTimeEdit = find(QTimeEdit, "startTime")
        self.end_time: QTimeEdit = find(QTimeEdit, "endTime")
        self.zone_label: QLabel = find(QLabel, "zoneLabel")
        self.zone = ZoneField(find(QComboBox, "zoneCombo"))
        self.location: QLineEdit = find(QLineEdit, "locationEdit")
        self.url: QLineEdit = find(QLineEdit, "urlEdit")
        self.url_open: QLabel = find(QLabel, "urlOpen")
        self.description: QPlainTextEdit = find(QPlainTextEdit, "descriptionEdit")
        self.personas: QListWidget = find(QListWidget, "personasList")
        self.stage: QComboBox = find(QComboBox, "stageCombo")
        self.channels = ChannelsField(
            find(QListWidget, "channelsList"), find(QLineEdit, "channelEdit")
        )
        self.add_channel: QPushButton = find(QPushButton, "addChannelButton")
        self.remove_channel: QPushButton = find(QPushButton, "removeChannelButton")
        self.repeat: QComboBox = find(QComboBox, "repeatCombo")
        self.interval: QSpinBox = find(QSpinBox, "intervalSpin")
        self.interval_unit: QLabel = find(QLabel, "intervalUnit")
        self.weekdays = {day: cast(QCheckBox, find(QCheckBox, f"day{day}")) for day in WEEKDAYS}
        self.weekdays_box: QWidget = find(QWidget, "weekdaysBox")
        self.rule: QLineEdit = find(QLineEdit, "ruleEdit")
        self.ends_box: QWidget = find(QWidget, "endsBox")
        self.ends_never: QRadioButton = find(QRadioButton, "endsNever")
        self.ends_after: QRadioButton = find(QRadioButton, "endsAfter")
        self.ends_on: QRadioButton = find(QRadioButton, "endsOn")
        self.count: QSpinBox = find(QSpinBox, "countSpin")
        self.until: QDateEdit = find(QDateEdit, "untilDate")
        self.summary: QLabel = find(QLabel, "repeatSummary")
        self.start_mismatch: QWidget = find(QWidget, "startMismatch")
        self.start_mismatch_note: QLabel = find(QLabel, "startMismatchNote")
        self.move_start: QPushButton = find(QPushButton, "moveStartButton")
        self.skipped: QListWidget = find(QListWidget, "skippedList")
        self.skip_date: QDateEdit = find(QDateEdit, "skipDate")
        self.add_skip: QPushButton = find(QPushButton, "addSkipButton")
        self.remove_skip: QPushButton = find(QPushButton, "removeSkipButton")
        self.moved: QListWidget = find(QListWidget, "movedList")
        self.signoff_marketing: QCheckBox = find(QCheckBox, "signoffMarketingCheck")
        self.signoff_sales: QCheckBox = find(QCheckBox, "signoffSalesCheck")
        self.goals = GoalsField(find(QTableWidget, "goalsTable"), self._changed)
        self.add_goal: QPushButton = find(QPushButton, "addGoalButton")
        self.remove_goal: QPushButton = find(QPushButton, "removeGoalButton")
        self.problem: QLabel = find(QLabel, "problemLabel")
        self.buttons: QDialogButtonBox = find(QDialogButtonBox, "buttonBox")
        self.series_note.setStyleSheet(
            "background: #fff4e6; border: 1px solid #ffd8a8; border-radius: 5px; padding: 6px;"
        )
        self.managed_note.setStyleSheet(
            "background: #e7f5ff; border: 1px solid #a5d8ff; border-radius: 5px; padding: 6px;"
        )
        self.summary.setStyleSheet("color: #3e4c59; font-weight: 600;")
        # A plain QWidget paints a style-sheet background only when asked to.
        self.start_mismatch.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.start_mismatch.setStyleSheet(
            "#startMismatch { background: #fff4e6; border: 1px solid #ffd8a8; border-radius: 5px; }"
        )
        self.start_mismatch.setVisible(False)
        self.personas.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.channels.list.setStyleSheet(
            "QListWidget::item { border: 1px solid #bac8ff; border-radius: 9px;"
            " background: #edf2ff; color: #1f2933; padding: 2px 9px; margin: 2px; }"
            "QListWidget::item:selected { background: #bac8ff; }"
        )

    def _fill_choices(self) -> None:
        for kind in Kind:
            self.kind.addItem(kind_icon(kind.value), kind.label, kind.value)
        for team in Team:
            self.team.addItem(team_mark(team.value), team.label, team.value)
        self.owner.addItem("No owner", None)
        for person in people_service.list_people(self.context.plan):
            self.owner.addItem(team_mark(person.team), f"{person.name} ({person.team})", person.id)
        for status in Status:
            self.status.addItem(status.value.capitalize(), status.value)
        for impact in Impact:
            self.impact.addItem(impact.value.capitalize(), impact.value)
        self.stage.addItem("", None)
        for stage in BuyingStage:
            self.stage.addItem(stage.value.capitalize(), stage.value)
        for label, value in _REPEATS:
            self.repeat.addItem(label, value)
        chosen = set(self.original["personas"])
        for card in list_persona_cards(self.context.plan):
            self.personas.addItem(checkable(card.name, card.id, card.id in chosen))

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        self.dialog.finished.connect(lambda _result: self.dialog.deleteLater())
        # The item belongs to the plan it was opened from: another plan closes the form.
        self.context.plan_replaced.connect(self.dialog.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.dialog, self.accept)
        self.kind.currentIndexChanged.connect(self._update_stage_label)
        self.scheduled.toggled.connect(self._update_when)
        self.all_day.toggled.connect(self._update_when)
        self.start_date.dateChanged.connect(self._start_moved)
        self.start_time.timeChanged.connect(self._start_moved)
        self.repeat.currentIndexChanged.connect(self._update_repeat)
        self.url.textChanged.connect(self._update_link)
        self.url_open.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))
        self.channels.added.connect(self._changed)
        self.add_channel.clicked.connect(self._add_channel)
        self.remove_channel.clicked.connect(self._remove_channel)
        self.add_skip.clicked.connect(self._skip)
        self.move_start.clicked.connect(self._move_start_onto_rule)
        self.remove_skip.clicked.connect(self._unskip)
        self.add_goal.clicked.connect(self._add_goal)
        self.remove_goal.clicked.connect(self._remove_goal)
        edits = (self.title, self.location, self.url, self.rule)
        for edit in edits:
            edit.textChanged.connect(self._changed)
        self.description.textChanged.connect(self._changed)
        for combo in (self.kind, self.team, self.owner, self.status, self.impact, self.stage):
            combo.currentIndexChanged.connect(self._changed)
        self.zone.combo.currentTextChanged.connect(self._changed)
        for box in (self.scheduled, self.all_day, self.signoff_marketing, self.signoff_sales):
            box.toggled.connect(self._changed)
        for day_box in self.weekdays.values():
            day_box.toggled.connect(self._changed)
        for radio in (self.ends_never, self.ends_after, self.ends_on):
            radio.toggled.connect(self._changed)
        for spin in (self.interval, self.count):
            spin.valueChanged.connect(self._changed)
        for date_edit in (self.end_date, self.until):
            date_edit.dateChanged.connect(self._changed)
        self.end_time.timeChanged.connect(self._changed)
        self.personas.itemChanged.connect(self._changed)
        self.goals.table.itemChanged.connect(self._changed)

    # --- loading ----------------------------------------------------------------------

    def _select(self, combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _load(self, document: Document) -> None:
        self.title.setText(document["title"])
        self._select(self.kind, document["kind"])
        self._select(self.team, document["team"])
        self._select(self.owner, document["owner"])
        self._select(self.status, document["status"])
        self._select(self.impact, document["impact"])
        self._select(self.stage, document["stage"])
        self._update_stage_label()
        start, end = document["start"], document["end"]
        today = dt.date.today()
        self.scheduled.setChecked(bool(start))
        if start:
            first, start_time, offset = _moment(str(start))
            last, end_time, _ = _moment(str(end or start))
            if start_time is not None and end is None:
                end_moment = dt.datetime.combine(first, start_time) + dt.timedelta(hours=1)
                last, end_time = end_moment.date(), end_moment.time()
        else:
            first = last = today
            start_time = end_time = offset = None
        self.all_day.setChecked(start_time is None)
        self.start_date.setDate(to_qdate(first))
        self.end_date.setDate(to_qdate(last))
        self.start_time.setTime(to_qtime(start_time or dt.time(9, 0)))
        self.end_time.setTime(to_qtime(end_time or dt.time(10, 0)))
        self._last_start = self._start_moment()
        if start_time is None:
            self.zone.set_value(local_zone())
        else:
            self.zone.set_value(offset or document["tz"])
        self.location.setText(document["location"])
        self.url.setText(document["url"])
        self.description.setPlainText(document["description"])
        self.channels.set_values(list(document["channels"]))
        self.signoff_marketing.setChecked(bool(document["signoff"]["marketing"]))
        self.signoff_sales.setChecked(bool(document["signoff"]["sales"]))
        self.goals.set_values(list(document["goals"]))
        self._load_repeat(document)
        self._update_when()
        self._update_link()

    def _load_repeat(self, document: Document) -> None:
        rule = document["rrule"]
        self.until.setDate(to_qdate(from_qdate(self.start_date.date()) + dt.timedelta(days=90)))
        self.skip_date.setDate(self.start_date.date())
        spec = parse_rrule(rule) if rule else None
        if rule and spec is None:
            self._select(self.repeat, CUSTOM)
            self.rule.setText(rule)
            self._custom_text = rule
        elif spec is not None:
            self._select(self.repeat, spec.freq)
            self.interval.setValue(spec.interval)
            for day, box in self.weekdays.items():
                box.setChecked(day in spec.weekdays)
            if spec.count is not None:
                self.ends_after.setChecked(True)
                self.count.setValue(spec.count)
            elif spec.until is not None:
                self.ends_on.setChecked(True)
                self.until.setDate(to_qdate(spec.until))
        for value in document["exdates"]:
            self._add_skipped(str(value))
        self._show_moved()
        self._update_repeat()

    def _show_moved(self) -> None:
        self.moved.clear()
        for override in self._overrides:
            self.moved.addItem(
                f"{_day_text(override['recurrence_id'])}  →  {_day_text(override['start'])}"
            )

    def _show_managed(self) -> None:
        """An SLA's review meetings are shown, not edited: the SLA keeps them."""
        self.managed_box.setVisible(self.manager is not None)
        if self.manager is None:
            return
        self.managed_note.setText(
            f"Managed by SLA “{self.manager.sla_title}” — edit the review schedule in the SLAs tab."
        )
        for number in range(self.tabs.count()):
            page = self.tabs.widget(number)
            if page is None:
                continue
            for child in page.findChildren(QWidget):
                if isinstance(child, QLineEdit | QPlainTextEdit):
                    child.setReadOnly(True)
                elif not isinstance(child, QLabel | QTabWidget) and child.parent() is page:
                    child.setEnabled(False)
        self.ok_button.hide()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Close")
        self.open_slas.clicked.connect(self._open_slas)

    def _open_slas(self) -> None:
        window = self.context.window
        tabs, slas = getattr(window, "tabs", None), getattr(window, "slas", None)
        if self.manager is not None and isinstance(tabs, QTabWidget) and slas is not None:
            tabs.setCurrentWidget(slas)
            slas.select(self.manager.sla_id)
        self.dialog.reject()

    # --- reactions --------------------------------------------------------------------

    def _changed(self, *_args: Any) -> None:
        self._touched = True
        self._check()

    def _start_moment(self) -> dt.datetime:
        return dt.datetime.combine(
            from_qdate(self.start_date.date()), from_qtime(self.start_time.time())
        )

    def _start_moved(self, *_args: Any) -> None:
        # Like any calendar: moving the start keeps the length, so the end moves along.
        old_start = self._last_start
        moved = self._start_moment() - old_start
        self._last_start = self._start_moment()
        if moved and self.repeat.currentData() is not None:
            self._shift_series(old_start, self._last_start)
        days = dt.timedelta(days=(self._last_start.date() - old_start.date()).days)
        if days:
            # The suggested days follow the start (an end of the repetition in use moved
            # with the rule above).
            in_rule = self.repeat.currentData() in FREQUENCIES and self.ends_on.isChecked()
            if not in_rule:
                self.until.setDate(to_qdate(from_qdate(self.until.date()) + days))
            self.skip_date.setDate(to_qdate(from_qdate(self.skip_date.date()) + days))
        if moved:
            end = (
                dt.datetime.combine(
                    from_qdate(self.end_date.date()), from_qtime(self.end_time.time())
                )
                + moved
            )
            self.end_date.setDate(to_qdate(end.date()))
            self.end_time.setTime(to_qtime(end.time()))
        self._update_repeat()
        self._changed()

    def _shift_series(self, old: dt.datetime, new: dt.datetime) -> None:
        """The series moves with its start, as a drag moves it: its weekdays, days of the
        month and end, and its skipped and moved dates (else they would sit on days the
        series no longer has)."""
        timed = not self.all_day.isChecked()
        delta = new - old if timed else dt.timedelta(days=(new.date() - old.date()).days)
        freq = self.repeat.currentData()
        rule = self.rule.text().strip() if freq == CUSTOM else self._simple_rule()
        series = item_edits.shift_document(
            {
                "start": old.isoformat() if timed else old.date().isoformat(),
                "rrule": rule or None,
                "exdates": self._skipped_values(),
                "overrides": self._overrides,
            },
            days=delta.days,
            minutes=delta.seconds // 60,
        )
        self.skipped.clear()
        for value in series["exdates"]:
            self._add_skipped(str(value))
        self._overrides = series["overrides"]
        self._show_moved()
        shifted = series["rrule"]
        if freq == CUSTOM and shifted:
            self.rule.setText(shifted)
        elif freq in FREQUENCIES and shifted:
            spec = parse_rrule(shifted)
            if spec is not None:
                if spec.weekdays:
                    for day, box in self.weekdays.items():
                        box.setChecked(day in spec.weekdays)
                if spec.until is not None:
                    self.until.setDate(to_qdate(spec.until))

    def _update_when(self, *_args: Any) -> None:
        scheduled, timed = self.scheduled.isChecked(), not self.all_day.isChecked()
        dates: tuple[QWidget, ...] = (self.all_day, self.start_date, self.end_date)
        for widget in dates:
            widget.setEnabled(scheduled)
        times: tuple[QWidget, ...] = (self.start_time, self.end_time, self.zone.combo)
        for widget in (*times, self.zone_label):
            widget.setVisible(timed)
            widget.setEnabled(scheduled)
        self.tabs.setTabEnabled(self.tabs.indexOf(self._repeat_tab()), scheduled)
        self._update_repeat()

    def _repeat_tab(self) -> QWidget:
        tab = self.dialog.findChild(QWidget, "repeatTab")
        assert tab is not None
        return tab

    def _update_stage_label(self, *_args: Any) -> None:
        kind = str(self.kind.currentData())
        default = DEFAULT_STAGE.get(Kind(kind))
        self.stage.setItemText(
            0, f"From the kind ({default.value})" if default else "From the kind (none)"
        )

    def _update_link(self, *_args: Any) -> None:
        try:
            link = normalise_link(self.url.text())
        except UserError:
            link = ""
        if link:
            # The link goes into an href attribute: quotes and angle brackets must not end it.
            safe = QUrl(link).toString(QUrl.ComponentFormattingOption.FullyEncoded)
            self.url_open.setText(f'<a href="{safe}">Open</a>')
            self.url_open.setToolTip(tooltip(link))
        else:
            self.url_open.setText("")
            self.url_open.setToolTip("")

    def _update_repeat(self, *_args: Any) -> None:
        freq = self.repeat.currentData()
        simple = freq in FREQUENCIES
        for widget in (self.interval, self.interval_unit, self.ends_box):
            widget.setEnabled(simple)
        self.weekdays_box.setEnabled(freq == "WEEKLY")
        self.interval_unit.setText(_UNITS.get(freq or "", ""))
        self.rule.setReadOnly(freq != CUSTOM)
        if self._shown_repeat == CUSTOM and freq != CUSTOM:
            self._custom_text = self.rule.text()
        elif freq == CUSTOM and self._shown_repeat != CUSTOM and self._custom_text.strip():
            # Back to "Custom rule": the user's own rule, not the last simple choice's.
            self.rule.setText(self._custom_text)
        self._shown_repeat = freq
        if simple:
            self.rule.setText(self._simple_rule() or "")
        elif freq is None:
            self.rule.clear()
        for widget in (self.skip_date, self.add_skip, self.remove_skip, self.skipped):
            widget.setEnabled(freq is not None)
        self._check()

    def _simple_rule(self) -> str | None:
        freq = self.repeat.currentData()
        if freq not in FREQUENCIES:
            return None
        spec = RepeatSpec(
            freq=str(freq),
            interval=self.interval.value(),
            weekdays=tuple(day for day, box in self.weekdays.items() if box.isChecked()),
            count=self.count.value() if self.ends_after.isChecked() else None,
            until=from_qdate(self.until.date()) if self.ends_on.isChecked() else None,
        )
        return build_rrule(spec, timed=not self.all_day.isChecked())

    def _add_channel(self) -> None:
        if self.channels.add_typed():
            self._changed()

    def _remove_channel(self) -> None:
        self.channels.remove_selected()
        self._changed()

    def _add_goal(self) -> None:
        row = self.goals.add()
        self.goals.table.setCurrentCell(row, 1)
        metric = self.goals.table.item(row, 1)
        if metric is not None:
            self.goals.table.editItem(metric)
        self._changed()

    def _remove_goal(self) -> None:
        self.goals.remove_selected()
        self._changed()

    def _add_skipped(self, value: str) -> None:
        item = QListWidgetItem(_day_text(value))
        item.setData(Qt.ItemDataRole.UserRole, value)
        self.skipped.addItem(item)

    def _skipped_values(self) -> list[str]:
        return [
            str(self.skipped.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.skipped.count())
        ]

    def _skip(self) -> None:
        """Skip the chosen day, if the series has an occurrence on it."""
        day = from_qdate(self.skip_date.date())
        try:
            rule = self._rule()
        except UserError as error:
            QMessageBox.information(self.dialog, "Cannot skip a date yet", message(str(error)))
            return
        if rule is None:
            return
        start = self._start_moment() if not self.all_day.isChecked() else None
        first = start or dt.datetime.combine(from_qdate(self.start_date.date()), dt.time.min)
        hits = series_rule(rule, first).between(
            dt.datetime.combine(day, dt.time.min), dt.datetime.combine(day, dt.time.max), inc=True
        )
        if not hits:
            QMessageBox.information(
                self.dialog,
                "Not a date of this series",
                f"{day:%A} {day.day} {day:%B %Y} is not one of the days this item repeats on "
                f"({describe_recurrence(rule, first.date()).lower()}).",
            )
            return
        value = hits[0].isoformat() if start is not None else day.isoformat()
        if day not in {_moment(v)[0] for v in self._skipped_values()}:
            self._add_skipped(value)
            self._changed()

    def _unskip(self) -> None:
        for item in self.skipped.selectedItems():
            self.skipped.takeItem(self.skipped.row(item))
        self._changed()

    # --- reading back -----------------------------------------------------------------

    def _rule(self) -> str | None:
        """The RRULE the repeat tab describes (None: does not repeat).

        Raises:
            UserError: a custom rule that is empty or not a recurrence rule.
        """
        freq = self.repeat.currentData()
        if freq is None or not self.scheduled.isChecked():
            return None
        all_day = self.all_day.isChecked()
        first = (
            dt.datetime.combine(from_qdate(self.start_date.date()), dt.time.min)
            if all_day
            else self._start_moment()
        )
        if freq != CUSTOM:
            rule = self._simple_rule()
            if rule is None:
                return None
            try:
                return check_rule(rule, first)
            except RuleProblem as problem:
                raise UserError(f"This repetition: {problem}.") from None
        rule = self.rule.text().strip()
        if rule.upper().startswith("RRULE:"):
            rule = rule[6:].strip()
        if not rule:
            raise UserError(
                "Write a repeat rule (e.g. FREQ=MONTHLY;BYDAY=-1WE), or choose "
                "another way to repeat."
            )
        if "FREQ=" not in rule.upper() or "\x00" in rule:
            raise UserError(
                f"“{rule[:60]}” is not a repeat rule: it needs FREQ=… (e.g. FREQ=WEEKLY;BYDAY=MO)."
            )
        # Outlook and Google write UNTIL in UTC; the plan keeps the series' own time.
        zone = None if all_day else self.zone.value()
        rule = local_until(rule, zone, all_day=all_day)
        try:
            return check_rule(rule, first)
        except RuleProblem as problem:
            raise UserError(f"The repeat rule “{rule[:60]}”: {problem}.") from None

    def document(self) -> Document:
        """The item as the form describes it, in the exchange shape.

        Raises:
            UserError: what is wrong, in words for the user (OK stays disabled).
        """
        document = {k: v for k, v in self.original.items() if k != "row_version"}
        title = self.title.text()
        if not title.strip():
            raise UserError("Give the item a title.")
        texts = {
            "Title": title,
            "Location": self.location.text(),
            "Link": self.url.text(),
            "Description": self.description.toPlainText(),
            "Channels": "".join(self.channels.values()),
        }
        for name, text in texts.items():
            if "\x00" in text:
                raise UserError(f"{name} contains a NUL character, which cannot be stored.")
        document.update(
            title=title,
            kind=self.kind.currentData(),
            team=self.team.currentData(),
            owner=self.owner.currentData(),
            status=self.status.currentData(),
            impact=self.impact.currentData(),
            stage=self.stage.currentData(),
            location=self.location.text(),
            url=normalise_link(self.url.text()),
            description=self.description.toPlainText(),
            channels=self.channels.values(),
            personas=[
                item_data(self.personas.item(row))
                for row in range(self.personas.count())
                if self.personas.item(row).checkState() == Qt.CheckState.Checked
            ],
            signoff={
                "marketing": self.signoff_marketing.isChecked(),
                "sales": self.signoff_sales.isChecked(),
            },
            goals=self.goals.values(),
        )
        document.update(self._when())
        try:
            item_edits.check_item(document)
        except ValidationError as error:
            raise UserError(_friendly(error)) from None
        return document

    def _when(self) -> Document:
        if not self.scheduled.isChecked():
            return dict(
                start=None, end=None, tz=None, rrule=None, exdates=[], rdates=[], overrides=[]
            )
        first, last = from_qdate(self.start_date.date()), from_qdate(self.end_date.date())
        if self.all_day.isChecked():
            if last < first:
                raise UserError("The item ends before it starts.")
            when: Document = dict(start=first.isoformat(), end=last.isoformat(), tz=None)
        else:
            start = self._start_moment()
            end = dt.datetime.combine(last, from_qtime(self.end_time.time()))
            if end < start:
                raise UserError("The item ends before it starts.")
            zone = self.zone.value()
            if zone is not None and zone[:1] in "+-":
                when = dict(start=start.isoformat() + zone, end=end.isoformat() + zone, tz=None)
            else:
                when = dict(start=start.isoformat(), end=end.isoformat(), tz=zone)
        rule = self._rule()
        if rule is None:
            return {**when, "rrule": None, "exdates": [], "rdates": [], "overrides": []}
        simple = self.repeat.currentData() in FREQUENCIES
        if simple and self.ends_on.isChecked() and from_qdate(self.until.date()) < first:
            raise UserError("The repetition ends before the first occurrence.")
        return {
            **when,
            "rrule": rule,
            "exdates": self._skipped_values(),
            "overrides": self._overrides,
        }

    # --- checking and saving ----------------------------------------------------------

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _check(self) -> str:
        """Enable OK only for an item that can be stored; say what is wrong otherwise."""
        problem = ""
        try:
            self.document()
        except UserError as error:
            problem = str(error)
        untouched_new = self.is_new and not self._touched and not self.title.text()
        self.problem.setText("" if untouched_new or self.manager is not None else problem)
        self.ok_button.setEnabled(not problem and self.manager is None)
        rule = None
        try:
            rule = self._rule()
            self._show_start_mismatch(rule)
        except UserError:
            rule = self.rule.text() or None
            self._show_start_mismatch(None)
        start = from_qdate(self.start_date.date())
        summary = describe_recurrence(rule, start)
        dropped = self.repeat.currentData() is None and (
            self.original["exdates"] or self.original["overrides"]
        )
        if dropped:
            summary += " — its skipped and moved dates will be removed."
        self.summary.setText(summary)
        return problem

    def _series_start(self) -> dt.datetime:
        if self.all_day.isChecked():
            return dt.datetime.combine(from_qdate(self.start_date.date()), dt.time.min)
        return self._start_moment()

    def _show_start_mismatch(self, rule: str | None) -> None:
        """Say so when the start is not a day the rule repeats on.

        Such a start is still the first occurrence (RFC 5545; Outlook and Google show
        it), which surprises someone who picked "the last Wednesday" on the 11th: the
        note offers to move the start to the rule's first day instead.
        """
        start = self._series_start()
        matched = first_rule_day(rule, start) if rule else None
        if matched is None or matched == start:
            self.start_mismatch.setVisible(False)
            return
        days = _RULE_BOUNDS.sub("", rule or "")
        self.start_mismatch_note.setText(
            f"The first occurrence, {_short_day(start.date())}, is not a day this item "
            f"repeats on ({recurrence_phrase(days, start.date())}). It still takes place, "
            f"as in Outlook and Google Calendar."
        )
        self.move_start.setText(f"Start on {_short_day(matched.date())} instead")
        self.move_start.setProperty("target", matched.date().isoformat())
        self.start_mismatch.setVisible(True)

    def _move_start_onto_rule(self) -> None:
        target = self.move_start.property("target")
        if not target:
            return
        day = dt.date.fromisoformat(str(target))
        # The end moves along with the start (see _start_moved), keeping the length.
        self.start_date.setDate(to_qdate(day))
        self._changed()

    def accept(self) -> None:
        """OK: store the item as one undoable step; on refusal keep the dialog open."""
        if self._check() or self.manager is not None:
            return
        document = self.document()
        unchanged = {k: v for k, v in self.original.items() if k != "row_version"}
        if not self.is_new and document == unchanged:
            self.saved_uid = str(self.original["uid"])
            self.dialog.accept()
            return
        if self.is_new:
            command = item_commands.create_item(self.context, document)
        else:
            document["row_version"] = self.original["row_version"]
            command = item_commands.edit_item(self.context, document)
        if not self.context.execute(command):
            return
        self.saved_uid = command.created[0] if command.created else str(document["uid"])
        self.dialog.accept()
        self.saved.emit(self.saved_uid)


def open_item_dialog(
    parent: QWidget,
    context: PlanContext,
    uid: str | None = None,
    *,
    defaults: Document | None = None,
    occurrence: Occurrence | None = None,
) -> ItemDialog:
    """Show the item dialog (without blocking) for item ``uid``, or for a new item.

    Args:
        parent: The window the dialog belongs to.
        context: The plan and its undo stack; OK runs the command through it.
        uid: The item to edit; None for a new one.
        defaults: For a new item, exchange-shape values to start from (``start``,
            ``end``, ``kind``, ``team``, ``status``…); no ``start`` makes an idea.
        occurrence: The occurrence the user opened, so the dialog can say that editing
            one occurrence of a series edits the whole series.
    """
    form = ItemDialog(parent, context, uid, defaults=defaults, occurrence=occurrence)
    form.dialog.open()
    return form
