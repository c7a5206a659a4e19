"""The SLA editor (ui/sla_editor.ui): every part of an agreement, saved as the user edits.

The form shows one stored SLA document. Each change is saved through the SLA service as
one undo step: a choice, a date, a table cell or a button at once; typing when the user
pauses or leaves the field, and consecutive typing in one field merges into one step.
A value the store would refuse is not saved: the form says what to fix and keeps what
the user typed. The status row drives the signature flow; the banner says what an edit
will do to a signed agreement before the user makes it.

The pages live in their own modules (``sla_rows``, ``sla_reviews``, ``sla_sections``,
``sla_history``); this one holds the agreement page, the status row and the saving.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)

from smarketing_desktop.domain.people import Person
from smarketing_desktop.domain.words import PERSON_TEAMS, SlaStatus, Team
from smarketing_desktop.errors import UserError, ValidationError
from smarketing_desktop.gui import sla_commands
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.sla_fields import NOT_SET, find, from_qdate, problem_text, to_qdate
from smarketing_desktop.gui.sla_history import HistoryPanel
from smarketing_desktop.gui.sla_preview import STATUS_COLOURS, day, status_label
from smarketing_desktop.gui.sla_reviews import ReviewsPage
from smarketing_desktop.gui.sla_rows import Column, RowsModel, RowsPage
from smarketing_desktop.gui.sla_sections import SectionsPage
from smarketing_desktop.gui.sla_signature import SignatureDialog
from smarketing_desktop.services import slas as sla_service

Document = dict[str, Any]
TYPING_PAUSE_MS = 600
TEAMS = tuple((team.value, team.label) for team in Team)
PERIODS = tuple((p, p) for p in ("month", "quarter", "week", "year", "lead", "campaign"))

DEFINITION_COLUMNS = (
    Column("term", "Term", required=True, width=200),
    Column("definition", "Definition", width=0, placeholder="What it means"),
)
COMMITMENT_COLUMNS = (
    Column("team", "Team", kind="choice", choices=TEAMS, width=92),
    Column("metric", "Metric", required=True, width=190),
    Column("target", "Target", kind="number", width=62),
    Column("unit", "Unit", width=66),
    Column("period", "Period", kind="choice", choices=PERIODS, free=True, width=82),
    Column("source", "Measured by", width=150, placeholder="Report, system"),
    Column("on_miss", "If missed", width=0, placeholder="What happens"),
)
SIGNATORY_COLUMNS = (
    Column("name", "Name", width=190, placeholder="To be named"),
    Column("title", "Title", width=170),
    Column("team", "Team", kind="choice", choices=(("", "—"), *TEAMS), width=110),
    Column("signed_on", "Signed on", kind="date", width=0),
)
BLANK_COMMITMENT = {
    "team": "marketing",
    "metric": "New commitment",
    "target": None,
    "unit": "",
    "period": "month",
    "source": "",
    "on_miss": "",
}


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
        self.loading = False  # True while the form is filled from a document
        self._pending: tuple[str, str] | None = None  # merge key, undo text
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        context.before_undo.connect(self.flush)
        # The form fills the editor without a layout in between: a layout would pass the
        # word-wrapped banner's height-for-width up to the scroll area around the editor,
        # which would then always scroll to the form's preferred height.
        self.form = load_form("sla_editor.ui", self)
        self._build_agreement_page()
        self._build_pages()
        self._build_status_row()
        self.clear()

    # --- set-up -------------------------------------------------------------------

    def _build_agreement_page(self) -> None:
        form = self.form
        self.pages = find(form, QTabWidget, "pagesTabs")
        self.banner = find(form, QLabel, "bannerLabel")
        self.problem = find(form, QLabel, "problemLabel")
        self.title_edit = find(form, QLineEdit, "titleEdit")
        self.effective_edit = find(form, QDateEdit, "effectiveEdit")
        self.ends_edit = find(form, QDateEdit, "endsEdit")
        self.party_combos = {
            team: find(form, QComboBox, f"{team}PartyCombo") for team in ("marketing", "sales")
        }
        self.party_titles = {
            team: find(form, QLineEdit, f"{team}PartyTitleEdit") for team in ("marketing", "sales")
        }
        for edit in (self.effective_edit, self.ends_edit):
            edit.setMinimumDate(NOT_SET)
            edit.setSpecialValueText("Not set")
        self.title_edit.textEdited.connect(lambda: self.typing("title", "Edit title"))
        self.effective_edit.dateChanged.connect(lambda: self.typing("effective", "Edit dates"))
        self.ends_edit.dateChanged.connect(lambda: self.typing("ends", "Edit dates"))
        for team, combo in self.party_combos.items():
            combo.editTextChanged.connect(
                lambda _text, t=team: self.typing(f"party.{t}", "Edit parties")
            )
            combo.activated.connect(lambda position, t=team: self._pick_party(t, position))
            self.party_titles[team].textEdited.connect(
                lambda _text, t=team: self.typing(f"party.{t}.title", "Edit parties")
            )
            self.party_titles[team].editingFinished.connect(self.flush)
        self.title_edit.editingFinished.connect(self.flush)

    def _build_pages(self) -> None:
        form = self.form
        self.definitions = RowsModel(DEFINITION_COLUMNS, "lead definition", self)
        self.commitments = RowsModel(COMMITMENT_COLUMNS, "commitment", self)
        self.signatories = RowsModel(SIGNATORY_COLUMNS, "signatory", self)
        self.definitions_page = RowsPage(
            form,
            self,
            self.definitions,
            (
                "definitionsTable",
                "addDefinitionButton",
                "removeDefinitionButton",
                "definitionUpButton",
                "definitionDownButton",
            ),
            {"term": "New term", "definition": ""},
        )
        self.commitments_page = RowsPage(
            form,
            self,
            self.commitments,
            (
                "commitmentsTable",
                "addCommitmentButton",
                "removeCommitmentButton",
                "commitmentUpButton",
                "commitmentDownButton",
            ),
            BLANK_COMMITMENT,
            first_column=1,
        )
        self.signatories_page = RowsPage(
            form,
            self,
            self.signatories,
            (
                "signatoriesTable",
                "addSignatoryButton",
                "removeSignatoryButton",
                "signatoryUpButton",
                "signatoryDownButton",
            ),
            {"name": "", "title": "", "team": "", "signed_on": None},
        )
        for model in (self.definitions, self.commitments, self.signatories):
            model.problem.connect(self._show_problem)
        self.definitions_table = self.definitions_page.table
        self.commitments_table = self.commitments_page.table
        self.signatories_table = self.signatories_page.table
        self.reviews = ReviewsPage(form, self, self.effective_edit, self.ends_edit)
        self.sections = SectionsPage(form, self)
        self.history = HistoryPanel(form)
        self.history.version_shown.connect(self.version_shown)
        self.history.export_requested.connect(self.export_requested)
        # Leaving a field ends its typing: save now rather than after the pause.
        for widget in (
            self.effective_edit,
            self.ends_edit,
            *self.party_combos.values(),
            *self.reviews.focus_widgets,
            *self.sections.focus_widgets,
        ):
            widget.installEventFilter(self)
        self.buttons = {
            button.objectName(): button
            for page in (self.definitions_page, self.commitments_page, self.signatories_page)
            for button in (page.add_button, page.remove_button, page.up_button, page.down_button)
        } | {
            button.objectName(): button
            for button in (
                self.sections.add_button,
                self.sections.remove_button,
                self.sections.up_button,
                self.sections.down_button,
            )
        }

    def _build_status_row(self) -> None:
        self.status_label = find(self.form, QLabel, "statusLabel")
        self.version_label = find(self.form, QLabel, "versionLabel")
        self.send_button = find(self.form, QPushButton, "sendButton")
        self.sign_button = find(self.form, QPushButton, "signButton")
        self.expire_button = find(self.form, QPushButton, "expireButton")
        for name, button in (
            ("send", self.send_button),
            ("sign", self.sign_button),
            ("expire", self.expire_button),
        ):
            button.setIcon(icon(name))
        self.send_button.clicked.connect(self.send_for_signature)
        self.sign_button.clicked.connect(self.record_signature)
        self.expire_button.clicked.connect(self.expire)

    # --- Qt ---------------------------------------------------------------------------

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
        self.loading = True
        try:
            for team, combo in self.party_combos.items():
                text = combo.currentText()
                combo.clear()
                for person in people:
                    if person.team == team:
                        combo.addItem(person.name, person.role)
                self._show_party(combo, text)
        finally:
            self.loading = False

    def load(self, document: Document) -> None:
        """Show ``document`` (a stored SLA), replacing whatever the form holds."""
        self._timer.stop()
        self._pending = None
        self.document = copy.deepcopy(document)
        self.loading = True
        try:
            self.form.setEnabled(True)
            self.title_edit.setText(document["title"])
            self.effective_edit.setDate(to_qdate(document.get("effective")))
            self.ends_edit.setDate(to_qdate(document.get("ends")))
            parties = {p["team"]: p for p in document.get("parties") or []}
            for team in self.party_combos:
                party = parties.get(team, {})
                self._show_party(self.party_combos[team], party.get("name", ""))
                self.party_titles[team].setText(party.get("title", ""))
            self.definitions.set_rows(document["lead_definitions"])
            self.commitments.set_rows(document["commitments"])
            self.signatories.set_rows(document["signatories"])
            self.reviews.load(document.get("reviews"), document["escalation"])
            self.sections.load(document["sections"])
        finally:
            self.loading = False
        self.problem.hide()
        self._show_state()

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
        self.banner.setText(_banner(status, version, signed, len(signers)))
        self.banner.setVisible(bool(self.banner.text()))
        self.send_button.setEnabled(status == SlaStatus.DRAFT)
        self.sign_button.setEnabled(status == SlaStatus.OUT_FOR_SIGNATURE and signed < len(signers))
        self.expire_button.setEnabled(status == SlaStatus.SIGNED)
        # Only the next step of the signature flow is shown: three buttons side by side
        # made the builder wider than its half of a 1024-pixel window.
        for button in (self.send_button, self.sign_button, self.expire_button):
            button.setVisible(button.isEnabled())
        try:
            self.history.fill(sla_service.version_history(self.context.plan, self.document["id"]))
        except UserError:  # deleted meanwhile; the tab moves on
            self.history.fill([])

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
            effective=from_qdate(self.effective_edit.date()),
            ends=from_qdate(self.ends_edit.date()),
            parties=parties,
            lead_definitions=copy.deepcopy(self.definitions.rows),
            commitments=copy.deepcopy(self.commitments.rows),
            signatories=copy.deepcopy(self.signatories.rows),
            reviews=self.reviews.value(),
            escalation=self.reviews.escalation.toPlainText(),
            sections=copy.deepcopy(self.sections.sections),
        )
        return document

    # --- saving (the Edits protocol of the pages) ---------------------------------

    def typing(self, key: str, text: str) -> None:
        """Typing in a field: saved at the next pause, merged with more typing there."""
        if self.loading or self.document is None:
            return
        if self._pending and self._pending[0] != key:
            self.flush()
        self._pending = (key, text)
        self._timer.start()
        self.changed.emit()

    def now(self, text: str, merge_key: str | None = None) -> None:
        """A discrete change (a choice, a cell, a button): saved at once.

        With ``merge_key``, consecutive changes of that one choice (arrowing through a
        list of time zones) make one undo step.
        """
        if self.loading or self.document is None:
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

    def _pick_party(self, team: str, position: int) -> None:
        """A leader chosen from the Team list brings their role as title."""
        if self.loading:
            return
        combo, title = self.party_combos[team], self.party_titles[team]
        # Replace a title the user typed only if it is empty or another person's role.
        if not title.text().strip() or title.text() in {p.role for p in self.people}:
            title.setText(str(combo.itemData(position) or ""))
        if self._pending and self._pending[0] == f"party.{team}":
            self._pending = None  # the choice is saved as one step of its own
        self.now("Choose parties")

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


def _banner(status: str, version: int, signed: int, signers: int) -> str:
    """What an edit will do, said before the user makes it."""
    if status in (SlaStatus.SIGNED, SlaStatus.EXPIRED):
        return (
            f"{status_label(status)} — editing creates version {version + 1}. "
            f"Version {version} stays in the history exactly as it was signed."
        )
    if status == SlaStatus.OUT_FOR_SIGNATURE:
        return (
            f"Out for signature — {signed} of {signers} signed. Editing the text returns it "
            "to draft and clears the signatures collected so far."
        )
    if version > 1:
        return (
            f"Draft of version {version}. Version {version - 1} stays readable and printable "
            "under History until this one is signed."
        )
    return ""
