"""The SLA editor (ui/sla_editor.ui): every part of an agreement, saved as the user edits.

The form shows one stored SLA document. Each change is saved through the SLA service as
one undo step: a choice, a date, a table cell or a button at once; typing when the user
pauses or leaves the field, and consecutive typing in one field merges into one step.
A value the store would refuse is not saved: the form says what to fix and keeps what
the user typed. The status row drives the signature flow; the banner says what an edit
will do to a signed agreement before the user makes it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import zoneinfo
from typing import Any, cast

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from smarketing_desktop.domain.people import Person
from smarketing_desktop.domain.sla_text import describe_rrule
from smarketing_desktop.domain.words import PERSON_TEAMS, SlaStatus, Team
from smarketing_desktop.errors import UserError, ValidationError
from smarketing_desktop.gui import sla_commands
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.sla_preview import STATUS_COLOURS, day, status_label
from smarketing_desktop.gui.sla_rows import Column, RowsModel, setup_table
from smarketing_desktop.gui.sla_signature import SignatureDialog
from smarketing_desktop.services import slas as sla_service

Document = dict[str, Any]
TYPING_PAUSE_MS = 600
NOT_SET = QDate(1900, 1, 1)
TEAMS = tuple((team.value, team.label) for team in Team)
PERIODS = tuple((p, p) for p in ("month", "quarter", "week", "year", "lead", "campaign"))
RECURRENCES = (
    ("Once", None),
    ("Every month", "FREQ=MONTHLY"),
    ("Every quarter", "FREQ=MONTHLY;INTERVAL=3"),
    ("Custom rule", "custom"),
)
FLOATING = "Floating — each person's own local time"

DEFINITION_COLUMNS = (
    Column("term", "Term", required=True, width=200),
    Column("definition", "Definition", width=0, placeholder="What it means"),
)
COMMITMENT_COLUMNS = (
    Column("team", "Team", kind="choice", choices=TEAMS, width=100),
    Column("metric", "Metric", required=True, width=200),
    Column("target", "Target", kind="number", width=70),
    Column("unit", "Unit", width=80),
    Column("period", "Period", kind="choice", choices=PERIODS, free=True, width=90),
    Column("source", "Measured by", width=160, placeholder="Report, system"),
    Column("on_miss", "If missed", width=0, placeholder="What happens"),
)
SIGNATORY_COLUMNS = (
    Column("name", "Name", width=190, placeholder="To be named"),
    Column("title", "Title", width=170),
    Column("team", "Team", kind="choice", choices=(("", "—"), *TEAMS), width=110),
    Column("signed_on", "Signed on", kind="date", width=0),
)
_PATH_PART = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")
_LABELS = {
    "title": "Title",
    "effective": "Effective date",
    "ends": "End date",
    "escalation": "Escalation path",
    "reviews.start": "First meeting",
    "reviews.tz": "Time zone",
    "reviews.rrule": "Custom rule",
    "reviews.location": "Location",
    "reviews.duration_minutes": "Length",
}
_LIST_NOUNS = {
    "commitments": "Commitment",
    "lead_definitions": "Lead definition",
    "sections": "Section",
    "signatories": "Signatory",
    "parties": "Party",
}


def problem_text(error: ValidationError) -> str:
    """``sla.commitments[2].metric`` → ``Commitment 3, metric: …`` for the form."""
    path = error.path.removeprefix("sla.")
    label = _LABELS.get(path)
    match = _PATH_PART.match(path)
    if label is None and match:
        noun = _LIST_NOUNS.get(match[1], match[1])
        label = f"{noun} {int(match[2]) + 1}, {match[3].replace('_', ' ')}"
    label = label or path.replace("_", " ").capitalize()
    return f"{label}: {error.problem}. This change is not saved until it is fixed."


def _qdate(value: str | None) -> QDate:
    if not value:
        return NOT_SET
    day_ = dt.date.fromisoformat(value[:10])
    return QDate(day_.year, day_.month, day_.day)


def _iso(value: QDate) -> str | None:
    if value == NOT_SET or not value.isValid():
        return None
    return dt.date(value.year(), value.month(), value.day()).isoformat()


class SlaEditor(QWidget):
    """The editor of one SLA; empty (disabled) when no SLA is chosen.

    Signals:
        changed: the form changed (typing included): time to refresh the preview.
        export_requested: export a version as PDF (0: the current one).
        version_shown: show an earlier version in the preview (0: back to the live text).
    """

    changed = Signal()
    export_requested = Signal(int)
    version_shown = Signal(int)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slaEditor")
        self.context = context
        self.document: Document | None = None
        self.people: list[Person] = []
        self.signature_dialog: SignatureDialog | None = None
        self._loading = False
        self._pending: tuple[str, str] | None = None  # merge key, undo text
        self._sections: list[dict[str, str]] = []
        self._history: dict[int, sla_service.VersionEntry] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)

        # The form fills the editor without a layout in between: a layout would pass the
        # word-wrapped banner's height-for-width up to the scroll area around the editor,
        # which would then always scroll to the form's preferred height.
        self.form = load_form("sla_editor.ui", self)
        self._find_widgets()
        self._set_up_widgets()
        self._connect()
        self.clear()

    # --- set-up -------------------------------------------------------------------

    def _find_widgets(self) -> None:
        def find(kind: type[QObject], name: str) -> Any:
            widget = self.form.findChild(kind, name)
            assert widget is not None, name
            return widget

        self.status_label = cast(QLabel, find(QLabel, "statusLabel"))
        self.version_label = cast(QLabel, find(QLabel, "versionLabel"))
        self.send_button = cast(QPushButton, find(QPushButton, "sendButton"))
        self.sign_button = cast(QPushButton, find(QPushButton, "signButton"))
        self.expire_button = cast(QPushButton, find(QPushButton, "expireButton"))
        self.banner = cast(QLabel, find(QLabel, "bannerLabel"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.pages = cast(QTabWidget, find(QTabWidget, "pagesTabs"))
        self.title_edit = cast(QLineEdit, find(QLineEdit, "titleEdit"))
        self.effective_edit = cast(QDateEdit, find(QDateEdit, "effectiveEdit"))
        self.ends_edit = cast(QDateEdit, find(QDateEdit, "endsEdit"))
        self.party_combos = {
            "marketing": cast(QComboBox, find(QComboBox, "marketingPartyCombo")),
            "sales": cast(QComboBox, find(QComboBox, "salesPartyCombo")),
        }
        self.party_titles = {
            "marketing": cast(QLineEdit, find(QLineEdit, "marketingPartyTitleEdit")),
            "sales": cast(QLineEdit, find(QLineEdit, "salesPartyTitleEdit")),
        }
        self.definitions_table = cast(QTableView, find(QTableView, "definitionsTable"))
        self.commitments_table = cast(QTableView, find(QTableView, "commitmentsTable"))
        self.signatories_table = cast(QTableView, find(QTableView, "signatoriesTable"))
        self.reviews_group = cast(QGroupBox, find(QGroupBox, "reviewsGroup"))
        self.review_start = cast(QDateTimeEdit, find(QDateTimeEdit, "reviewStartEdit"))
        self.review_length = cast(QSpinBox, find(QSpinBox, "reviewLengthSpin"))
        self.review_zone = cast(QComboBox, find(QComboBox, "reviewZoneCombo"))
        self.recurrence = cast(QComboBox, find(QComboBox, "recurrenceCombo"))
        self.rrule_edit = cast(QLineEdit, find(QLineEdit, "rruleEdit"))
        self.recurrence_hint = cast(QLabel, find(QLabel, "recurrenceHint"))
        self.review_location = cast(QLineEdit, find(QLineEdit, "reviewLocationEdit"))
        self.escalation_edit = cast(QPlainTextEdit, find(QPlainTextEdit, "escalationEdit"))
        self.sections_list = cast(QListWidget, find(QListWidget, "sectionsList"))
        self.section_heading = cast(QLineEdit, find(QLineEdit, "sectionHeadingEdit"))
        self.section_body = cast(QPlainTextEdit, find(QPlainTextEdit, "sectionBodyEdit"))
        self.versions_tree = cast(QTreeWidget, find(QTreeWidget, "versionsTree"))
        self.changes_list = cast(QListWidget, find(QListWidget, "changesList"))
        self.show_version_button = cast(QPushButton, find(QPushButton, "showVersionButton"))
        self.export_version_button = cast(QPushButton, find(QPushButton, "exportVersionButton"))
        self.buttons = {
            name: cast(QPushButton, find(QPushButton, name))
            for name in (
                "addDefinitionButton",
                "removeDefinitionButton",
                "definitionUpButton",
                "definitionDownButton",
                "addCommitmentButton",
                "removeCommitmentButton",
                "commitmentUpButton",
                "commitmentDownButton",
                "addSignatoryButton",
                "removeSignatoryButton",
                "signatoryUpButton",
                "signatoryDownButton",
                "addSectionButton",
                "removeSectionButton",
                "sectionUpButton",
                "sectionDownButton",
            )
        }

    def _set_up_widgets(self) -> None:
        self.definitions = RowsModel(DEFINITION_COLUMNS, "lead definition", self)
        self.commitments = RowsModel(COMMITMENT_COLUMNS, "commitment", self)
        self.signatories = RowsModel(SIGNATORY_COLUMNS, "signatory", self)
        setup_table(self.definitions_table, self.definitions)
        setup_table(self.commitments_table, self.commitments)
        setup_table(self.signatories_table, self.signatories)
        for edit in (self.effective_edit, self.ends_edit):
            edit.setMinimumDate(NOT_SET)
            edit.setSpecialValueText("Not set")
        for label, rule in RECURRENCES:
            self.recurrence.addItem(label, rule)
        self.review_zone.setEditable(False)
        self.review_zone.addItem(FLOATING, None)
        for zone in sorted(zoneinfo.available_timezones()):
            if "/" in zone and not zone.startswith(("posix/", "right/", "Etc/", "SystemV/")):
                self.review_zone.addItem(zone, zone)
        names = {
            "send": self.send_button,
            "sign": self.sign_button,
            "expire": self.expire_button,
        }
        for name, button in names.items():
            button.setIcon(icon(name))
        self.export_version_button.setIcon(icon("export-pdf"))
        for name, button in self.buttons.items():
            if name.startswith("add"):
                button.setIcon(icon("row-add"))
            elif name.startswith("remove"):
                button.setIcon(icon("remove"))
            else:
                button.setIcon(icon("row-up" if "Up" in name else "row-down"))
        self.versions_tree.setColumnWidth(0, 110)
        self.versions_tree.setColumnWidth(1, 110)

    def _connect(self) -> None:
        self.title_edit.textEdited.connect(lambda: self._typing("title", "Edit title"))
        self.effective_edit.dateChanged.connect(lambda: self._typing("effective", "Edit dates"))
        self.ends_edit.dateChanged.connect(lambda: self._typing("ends", "Edit dates"))
        for team, combo in self.party_combos.items():
            combo.editTextChanged.connect(
                lambda _text, t=team: self._typing(f"party.{t}", "Edit parties")
            )
            combo.activated.connect(lambda position, t=team: self._pick_party(t, position))
            self.party_titles[team].textEdited.connect(
                lambda _text, t=team: self._typing(f"party.{t}.title", "Edit parties")
            )
        for model in (self.definitions, self.commitments, self.signatories):
            model.edited.connect(self._now)
            model.problem.connect(self._show_problem)
        for key, (model, table, noun, blank) in self._tables().items():
            self.buttons[f"add{key}Button"].clicked.connect(
                lambda _=False, m=model, t=table, n=noun, b=blank: self._add_row(m, t, n, b)
            )
            self.buttons[f"remove{key}Button"].clicked.connect(
                lambda _=False, m=model, t=table, n=noun: self._remove_row(m, t, n)
            )
            lower = key[0].lower() + key[1:]
            for direction, delta in (("Up", -1), ("Down", 1)):
                self.buttons[f"{lower}{direction}Button"].clicked.connect(
                    lambda _=False, m=model, t=table, n=noun, d=delta: self._move_row(m, t, n, d)
                )
        self.reviews_group.toggled.connect(self._reviews_toggled)
        self.review_start.dateTimeChanged.connect(
            lambda: self._typing("reviews.start", "Edit reviews")
        )
        self.review_length.valueChanged.connect(
            lambda: self._typing("reviews.length", "Edit reviews")
        )
        self.review_zone.currentIndexChanged.connect(
            lambda: self._now("Edit reviews", "reviews.tz")
        )
        self.recurrence.currentIndexChanged.connect(self._recurrence_chosen)
        self.rrule_edit.textEdited.connect(lambda: self._typing("reviews.rrule", "Edit reviews"))
        self.review_location.textEdited.connect(
            lambda: self._typing("reviews.location", "Edit reviews")
        )
        self.escalation_edit.textChanged.connect(
            lambda: self._typing("escalation", "Edit escalation path")
        )
        self.sections_list.currentRowChanged.connect(self._show_section)
        self.section_heading.textEdited.connect(self._section_heading_typed)
        self.section_body.textChanged.connect(self._section_body_typed)
        self.buttons["addSectionButton"].clicked.connect(self._add_section)
        self.buttons["removeSectionButton"].clicked.connect(self._remove_section)
        self.buttons["sectionUpButton"].clicked.connect(lambda: self._move_section(-1))
        self.buttons["sectionDownButton"].clicked.connect(lambda: self._move_section(1))
        # Leaving a field ends its typing: save now rather than after the pause.
        for edit in (
            self.title_edit,
            self.rrule_edit,
            self.review_location,
            self.section_heading,
            *self.party_titles.values(),
        ):
            edit.editingFinished.connect(self.flush)
        for widget in (
            self.escalation_edit,
            self.section_body,
            self.effective_edit,
            self.ends_edit,
            self.review_start,
            self.review_length,
            *self.party_combos.values(),
        ):
            widget.installEventFilter(self)
        self.send_button.clicked.connect(self.send_for_signature)
        self.sign_button.clicked.connect(self.record_signature)
        self.expire_button.clicked.connect(self.expire)
        self.versions_tree.currentItemChanged.connect(self._version_chosen)
        self.show_version_button.toggled.connect(self._show_version_toggled)
        self.export_version_button.clicked.connect(
            lambda: self.export_requested.emit(self.chosen_version())
        )

    def _tables(self) -> dict[str, tuple[RowsModel, QTableView, str, dict[str, Any]]]:
        return {
            "Definition": (
                self.definitions,
                self.definitions_table,
                "lead definition",
                {"term": "New term", "definition": ""},
            ),
            "Commitment": (
                self.commitments,
                self.commitments_table,
                "commitment",
                {
                    "team": "marketing",
                    "metric": "New commitment",
                    "target": None,
                    "unit": "",
                    "period": "month",
                    "source": "",
                    "on_miss": "",
                },
            ),
            "Signatory": (
                self.signatories,
                self.signatories_table,
                "signatory",
                {"name": "", "title": "", "team": "", "signed_on": None},
            ),
        }

    def sizeHint(self) -> QSize:
        return self.form.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.form.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.form.setGeometry(self.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    # --- showing a document -------------------------------------------------------

    def clear(self) -> None:
        """No SLA chosen: an empty, disabled form."""
        self._timer.stop()
        self._pending = None
        self.document = None
        self.form.setEnabled(False)
        self.status_label.setText("")
        self.version_label.setText("")
        self.banner.hide()
        self.problem.hide()

    @staticmethod
    def _show_party(combo: QComboBox, name: str) -> None:
        """A leader from the Team list is shown as chosen; another name as typed."""
        position = combo.findText(name) if name else -1
        combo.setCurrentIndex(position)
        if position < 0:
            combo.setEditText(name)

    def set_people(self, people: list[Person]) -> None:
        """The Team list the party pickers offer."""
        self.people = people
        self._loading = True
        try:
            for team, combo in self.party_combos.items():
                text = combo.currentText()
                combo.clear()
                for person in people:
                    if person.team == team:
                        combo.addItem(person.name, person.role)
                self._show_party(combo, text)
        finally:
            self._loading = False

    def load(self, document: Document) -> None:
        """Show ``document`` (a stored SLA), replacing whatever the form holds."""
        self._timer.stop()
        self._pending = None
        self.document = copy.deepcopy(document)
        self._loading = True
        try:
            self.form.setEnabled(True)
            self.title_edit.setText(document["title"])
            self.effective_edit.setDate(_qdate(document.get("effective")))
            self.ends_edit.setDate(_qdate(document.get("ends")))
            parties = {p["team"]: p for p in document.get("parties") or []}
            for team in self.party_combos:
                party = parties.get(team, {})
                self._show_party(self.party_combos[team], party.get("name", ""))
                self.party_titles[team].setText(party.get("title", ""))
            self.definitions.set_rows(document["lead_definitions"])
            self.commitments.set_rows(document["commitments"])
            self.signatories.set_rows(document["signatories"])
            self._load_reviews(document.get("reviews"))
            self.escalation_edit.setPlainText(document["escalation"])
            current_section = max(self.sections_list.currentRow(), 0)
            self._sections = copy.deepcopy(document["sections"])
            self._fill_sections(min(current_section, len(self._sections) - 1))
        finally:
            self._loading = False
        self.problem.hide()
        self._show_state()

    def _load_reviews(self, reviews: Document | None) -> None:
        self.reviews_group.setChecked(bool(reviews))
        reviews = reviews or {}
        start = reviews.get("start")
        moment = dt.datetime.fromisoformat(start) if start else self._default_review_start()
        self.review_start.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day),
                QTime(moment.hour, moment.minute, moment.second),
            )
        )
        self.review_length.setValue(int(reviews.get("duration_minutes") or 60))
        zone = reviews.get("tz")
        position = self.review_zone.findData(zone) if zone else 0
        if zone and position < 0:
            self.review_zone.addItem(str(zone), zone)
            position = self.review_zone.count() - 1
        self.review_zone.setCurrentIndex(position)
        rule = reviews.get("rrule")
        position = self.recurrence.findData(rule)
        custom = position < 0
        self.recurrence.setCurrentIndex(self.recurrence.count() - 1 if custom else position)
        self.rrule_edit.setText(rule if custom and rule else "")
        self.rrule_edit.setVisible(custom)
        self.review_location.setText(reviews.get("location") or "")
        self._describe_recurrence()

    def _default_review_start(self) -> dt.datetime:
        effective = _iso(self.effective_edit.date())
        first = dt.date.fromisoformat(effective) if effective else dt.date.today()
        return dt.datetime.combine(first + dt.timedelta(days=14), dt.time(10))

    def sync(self, document: Document) -> None:
        """The stored SLA changed: keep the form if it already shows that text (our own
        save), otherwise show the stored one (undo, redo, another window)."""
        if self.document is None or self.document["id"] != document["id"]:
            self.load(document)
            return
        if sla_service.content(document) != sla_service.content(self.current()):
            self.load(document)
            return
        signed = [s.get("signed_on") for s in document["signatories"]]
        if signed != [s.get("signed_on") for s in self.signatories.rows]:
            self.signatories.set_rows(document["signatories"])
        self.document = copy.deepcopy(document)
        self._show_state()

    def _show_state(self) -> None:
        """Status chip, version, banner, buttons and history of the stored SLA."""
        assert self.document is not None
        status, version = self.document["status"], int(self.document["version"])
        colour = STATUS_COLOURS.get(status, "#52606d")
        self.status_label.setText(status_label(status))
        self.status_label.setStyleSheet(f"background: {colour};")
        effective, ends = day(self.document.get("effective")), day(self.document.get("ends"))
        self.version_label.setText(f"Version {version}")
        self.version_label.setToolTip(f"Version {version}, in force {effective} – {ends}")
        signers = self.document["signatories"]
        signed = sum(1 for s in signers if s.get("signed_on"))
        banner = ""
        if status in (SlaStatus.SIGNED, SlaStatus.EXPIRED):
            banner = (
                f"{status_label(status)} — editing creates version {version + 1}. "
                f"Version {version} stays in the history exactly as it was signed."
            )
        elif status == SlaStatus.OUT_FOR_SIGNATURE:
            banner = (
                f"Out for signature — {signed} of {len(signers)} signed. Editing the text "
                "returns it to draft and clears the signatures collected so far."
            )
        elif version > 1:
            banner = (
                f"Draft of version {version}. Version {version - 1} stays readable and "
                "printable under History until this one is signed."
            )
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))
        self.send_button.setEnabled(status == SlaStatus.DRAFT)
        self.sign_button.setEnabled(status == SlaStatus.OUT_FOR_SIGNATURE and signed < len(signers))
        self.expire_button.setEnabled(status == SlaStatus.SIGNED)
        self._fill_history()

    # --- reading the form -----------------------------------------------------------

    def current(self) -> Document:
        """The form as an SLA document (the stored one with the user's edits)."""
        assert self.document is not None
        document = copy.deepcopy(self.document)
        parties = []
        for team in (t.value for t in PERSON_TEAMS):
            name = self.party_combos[team].currentText()
            title = self.party_titles[team].text()
            if name.strip() or title.strip():
                parties.append({"team": team, "name": name, "title": title})
        document.update(
            title=self.title_edit.text(),
            effective=_iso(self.effective_edit.date()),
            ends=_iso(self.ends_edit.date()),
            parties=parties,
            lead_definitions=copy.deepcopy(self.definitions.rows),
            commitments=copy.deepcopy(self.commitments.rows),
            signatories=copy.deepcopy(self.signatories.rows),
            reviews=self._reviews(),
            escalation=self.escalation_edit.toPlainText(),
            sections=copy.deepcopy(self._sections),
        )
        return document

    def _reviews(self) -> Document | None:
        if not self.reviews_group.isChecked():
            return None
        moment = self.review_start.dateTime()
        start = dt.datetime(
            moment.date().year(),
            moment.date().month(),
            moment.date().day(),
            moment.time().hour(),
            moment.time().minute(),
        )
        rule = self.recurrence.currentData()
        if rule == "custom":
            rule = self.rrule_edit.text().strip() or None
        return {
            "start": start.isoformat(),
            "tz": self.review_zone.currentData(),
            "duration_minutes": self.review_length.value(),
            "rrule": rule,
            "location": self.review_location.text(),
        }

    # --- saving -----------------------------------------------------------------------

    def _typing(self, key: str, text: str) -> None:
        """Typing in a field: saved at the next pause, merged with more typing there."""
        if self._loading or self.document is None:
            return
        if self._pending and self._pending[0] != key:
            self.flush()
        self._pending = (key, text)
        self._timer.start()
        if key.startswith("reviews"):
            self._describe_recurrence()
        self.changed.emit()

    def _now(self, text: str, merge_key: str | None = None) -> None:
        """A discrete change (a choice, a cell, a button): saved at once.

        With ``merge_key``, consecutive changes of that one choice (arrowing through a
        list of time zones) make one undo step.
        """
        if self._loading or self.document is None:
            return
        self.flush()
        self._save(text, merge_key)
        self.changed.emit()

    def flush(self) -> None:
        """Save typing that waits for the pause (before anything else happens)."""
        self._timer.stop()
        if self._pending is None or self.document is None:
            return
        key, text = self._pending
        self._pending = None
        self._save(text, key)

    def _save(self, text: str, merge_key: str | None) -> None:
        assert self.document is not None
        after = self.current()
        try:
            sla_service.check_sla(after)
        except ValidationError as error:
            self._show_problem(problem_text(error))
            return
        self.problem.hide()
        if sla_service.content(after) == sla_service.content(self.document):
            return
        command = sla_commands.SaveSla(self.context, self.document, after, text, merge_key)
        if not self.context.execute(command):
            self._reload()

    def _reload(self) -> None:
        """Show the stored SLA again after a refused save (or drop a deleted one)."""
        if self.document is None:
            return
        try:
            self.load(sla_service.get_sla(self.context.plan, self.document["id"]))
        except UserError:
            self.clear()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    # --- parties ------------------------------------------------------------------

    def _pick_party(self, team: str, position: int) -> None:
        """A leader chosen from the Team list brings their role as title."""
        if self._loading:
            return
        combo, title = self.party_combos[team], self.party_titles[team]
        # Replace a title the user typed only if it is empty or another person's role.
        if not title.text().strip() or title.text() in {p.role for p in self.people}:
            title.setText(str(combo.itemData(position) or ""))
        if self._pending and self._pending[0] == f"party.{team}":
            self._pending = None  # the choice is saved as one step of its own
        self._now("Choose parties")

    # --- tables ---------------------------------------------------------------------

    def _add_row(self, model: RowsModel, table: QTableView, noun: str, blank: Document) -> None:
        self.flush()
        current = table.currentIndex()
        position = current.row() + 1 if current.isValid() else model.rowCount()
        model.insert(position, copy.deepcopy(blank))
        self._now(f"Add {noun}")
        index = model.index(position, 1 if model is self.commitments else 0)
        table.setCurrentIndex(index)
        table.edit(index)

    def _remove_row(self, model: RowsModel, table: QTableView, noun: str) -> None:
        current = table.currentIndex()
        if not current.isValid():
            return
        self.flush()
        model.remove(current.row())
        self._now(f"Remove {noun}")
        if model.rowCount():
            table.setCurrentIndex(model.index(min(current.row(), model.rowCount() - 1), 0))

    def _move_row(self, model: RowsModel, table: QTableView, noun: str, delta: int) -> None:
        current = table.currentIndex()
        if not current.isValid():
            return
        self.flush()
        target = model.move(current.row(), delta)
        if target != current.row():
            self._now(f"Move {noun} {'up' if delta < 0 else 'down'}")
            table.setCurrentIndex(model.index(target, current.column()))

    # --- reviews --------------------------------------------------------------------

    def _reviews_toggled(self, on: bool) -> None:
        if self._loading:
            return
        if on and self.document and not self.document.get("reviews"):
            self._loading = True
            try:
                start = self._default_review_start()
                self.review_start.setDateTime(
                    QDateTime(QDate(start.year, start.month, start.day), QTime(start.hour, 0))
                )
                self.recurrence.setCurrentIndex(2)
            finally:
                self._loading = False
        self._describe_recurrence()
        self._now("Schedule reviews" if on else "Cancel reviews")

    def _recurrence_chosen(self) -> None:
        custom = self.recurrence.currentData() == "custom"
        if custom and not self.rrule_edit.text() and self.document:
            rule = (self.document.get("reviews") or {}).get("rrule")
            self.rrule_edit.setText(rule or "FREQ=MONTHLY")
        self.rrule_edit.setVisible(custom)
        self._describe_recurrence()
        if custom and not self._loading:
            self.rrule_edit.setFocus()
        self._now("Edit reviews", "reviews.recurrence")

    def _describe_recurrence(self) -> None:
        reviews = self._reviews() if self.document else None
        if not reviews:
            self.recurrence_hint.setText("")
            return
        words = describe_rrule(reviews["rrule"])
        text = "A single meeting" if words == "once" else f"Meets {words}"
        ends = _iso(self.ends_edit.date())
        if reviews["rrule"] and ends and "UNTIL=" not in str(reviews["rrule"]).upper():
            text += f" until the agreement ends ({day(ends)})"
        text += ", shown on the calendar as a joint meeting."
        self.recurrence_hint.setText(text)

    # --- sections -------------------------------------------------------------------

    def _fill_sections(self, current: int) -> None:
        self.sections_list.clear()
        for number, section in enumerate(self._sections, start=1):
            self.sections_list.addItem(QListWidgetItem(f"{number}. {section['heading']}"))
        if self._sections:
            self.sections_list.setCurrentRow(max(current, 0))
        self._show_section(self.sections_list.currentRow())

    def _show_section(self, row: int) -> None:
        has = 0 <= row < len(self._sections)
        loading, self._loading = self._loading, True
        try:
            self.section_heading.setText(self._sections[row]["heading"] if has else "")
            self.section_body.setPlainText(self._sections[row]["body"] if has else "")
        finally:
            self._loading = loading
        self.section_heading.setEnabled(has)
        self.section_body.setEnabled(has)
        self.buttons["removeSectionButton"].setEnabled(has)
        self.buttons["sectionUpButton"].setEnabled(has and row > 0)
        self.buttons["sectionDownButton"].setEnabled(has and row < len(self._sections) - 1)

    def _section_heading_typed(self, text: str) -> None:
        row = self.sections_list.currentRow()
        if self._loading or not 0 <= row < len(self._sections):
            return
        self._sections[row]["heading"] = text
        item = self.sections_list.item(row)
        if item is not None:
            item.setText(f"{row + 1}. {text}")
        self._typing(f"sections.{row}.heading", "Edit section")

    def _section_body_typed(self) -> None:
        row = self.sections_list.currentRow()
        if self._loading or not 0 <= row < len(self._sections):
            return
        self._sections[row]["body"] = self.section_body.toPlainText()
        self._typing(f"sections.{row}.body", "Edit section")

    def _add_section(self) -> None:
        self.flush()
        position = self.sections_list.currentRow() + 1 if self._sections else 0
        self._sections.insert(position, {"heading": "New section", "body": ""})
        self._fill_sections(position)
        self._now("Add section")
        self.section_heading.setFocus()
        self.section_heading.selectAll()

    def _remove_section(self) -> None:
        row = self.sections_list.currentRow()
        if not 0 <= row < len(self._sections):
            return
        self.flush()
        heading = self._sections.pop(row)["heading"]
        self._fill_sections(min(row, len(self._sections) - 1))
        self._now(f"Remove section “{heading}”")

    def _move_section(self, delta: int) -> None:
        row = self.sections_list.currentRow()
        target = row + delta
        if not (0 <= row < len(self._sections) and 0 <= target < len(self._sections)):
            return
        self.flush()
        self._sections.insert(target, self._sections.pop(row))
        self._fill_sections(target)
        self._now(f"Move section {'up' if delta < 0 else 'down'}")

    # --- the signature flow -------------------------------------------------------

    def send_for_signature(self) -> None:
        self.flush()
        if self.document is not None:
            self.context.execute(sla_commands.send_out(self.context, self.document))

    def record_signature(self) -> SignatureDialog | None:
        """Ask who signed and when (a dialog that does not block); record it on OK."""
        self.flush()
        if self.document is None:
            return None
        self.signature_dialog = SignatureDialog(self, self.document["signatories"])
        self.signature_dialog.dialog.accepted.connect(self._signature_given)
        self.signature_dialog.dialog.open()
        return self.signature_dialog

    def _signature_given(self) -> None:
        if self.signature_dialog is None or self.document is None:
            return
        position, on = self.signature_dialog.choice()
        self.context.execute(
            sla_commands.record_signature(self.context, self.document, position, on)
        )

    def expire(self) -> None:
        self.flush()
        if self.document is not None:
            self.context.execute(sla_commands.expire(self.context, self.document))

    # --- history --------------------------------------------------------------------

    def _fill_history(self) -> None:
        assert self.document is not None
        # An earlier version the user picked stays picked; otherwise the newest is.
        picked = self.versions_tree.currentItem()
        newest_item = self.versions_tree.topLevelItem(0)
        chosen = self.chosen_version() if picked is not newest_item else 0
        try:
            entries = sla_service.version_history(self.context.plan, self.document["id"])
        except UserError:
            entries = []
        self.versions_tree.clear()
        self._history = {entry.version: entry for entry in entries}
        for entry in entries:
            item = QTreeWidgetItem(
                [
                    f"Version {entry.version}",
                    status_label(entry.status),
                    day(entry.signed_on) if entry.signed_on else "",
                ]
            )
            if entry.current:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setToolTip(0, "The version being edited now")
            item.setData(0, Qt.ItemDataRole.UserRole, entry.version)
            self.versions_tree.addTopLevelItem(item)
            if entry.version == chosen:
                self.versions_tree.setCurrentItem(item)
        newest = self.versions_tree.topLevelItem(0)
        if self.versions_tree.currentItem() is None and newest is not None:
            self.versions_tree.setCurrentItem(newest)

    def chosen_version(self) -> int:
        """The version chosen in the history (0 when none)."""
        item = self.versions_tree.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else 0

    def _version_chosen(self) -> None:
        entry = self._history.get(self.chosen_version())
        self.changes_list.clear()
        if entry is None:
            return
        changes = list(entry.changes) or (
            ["The first version."] if entry.version == 1 else ["No change to the text."]
        )
        self.changes_list.addItems(changes)
        if self.show_version_button.isChecked():
            self.version_shown.emit(0 if entry.current else entry.version)

    def _show_version_toggled(self, on: bool) -> None:
        entry = self._history.get(self.chosen_version())
        self.version_shown.emit(entry.version if on and entry and not entry.current else 0)
