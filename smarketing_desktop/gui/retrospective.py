"""The retrospective editor of the Review tab (``ui/retrospective_editor.ui``).

Like every change in the app, a note is saved without a Save button: when the user
leaves a field (or picks another campaign) the team's note is handed on as an edit, which
the tab turns into one undoable command. A field being typed in keeps its text when the
plan changes meanwhile; the others show what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.review import Campaign, Retrospective
from smarketing_desktop.gui.forms import load_form

TEAMS = ("marketing", "sales")


@dataclass(slots=True)
class TeamFields:
    went_well: QPlainTextEdit
    to_change: QPlainTextEdit
    author: QComboBox

    def note(self, team: str) -> Retrospective:
        return Retrospective(
            team,
            self.went_well.toPlainText().strip(),
            self.to_change.toPlainText().strip(),
            self.author.currentText().strip(),
        )


class RetrospectiveEditor(QWidget):
    """Marketing's and sales' notes on the current campaign."""

    # uid, campaign title, note before, note after, campaign version
    edited = Signal(str, str, object, object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("retrospective_editor.ui", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        find = self.form.findChild
        self.title = cast(QLabel, find(QLabel, "campaignLabel"))
        self.title.setObjectName("retrospectiveTitle")
        self.hint = cast(QLabel, find(QLabel, "hintLabel"))
        self.hint.setObjectName("tabSummary")
        self.fields = {
            team: TeamFields(
                cast(QPlainTextEdit, find(QPlainTextEdit, f"{team}WentWell")),
                cast(QPlainTextEdit, find(QPlainTextEdit, f"{team}ToChange")),
                cast(QComboBox, find(QComboBox, f"{team}Author")),
            )
            for team in TEAMS
        }
        self._owners: dict[QObject, str] = {}
        for team, fields in self.fields.items():
            line = self._line(fields.author)
            line.setPlaceholderText("Who wrote this")
            for widget in (fields.went_well, fields.to_change, line):
                widget.installEventFilter(self)
                self._owners[widget] = team
            fields.author.activated.connect(lambda _n, t=team: self.commit(t))
        self.campaign: Campaign | None = None
        self.stored: dict[str, Retrospective] = {team: Retrospective(team) for team in TEAMS}
        self.show_campaign(None)

    @staticmethod
    def _line(combo: QComboBox) -> QLineEdit:
        line = combo.lineEdit()
        assert line is not None  # the form makes the author combos editable
        return line

    def set_people(self, names: dict[str, list[str]]) -> None:
        """The names offered as authors, per team (anyone else can be typed)."""
        for team, fields in self.fields.items():
            text = fields.author.currentText()
            fields.author.blockSignals(True)
            fields.author.clear()
            fields.author.addItems(names.get(team, []))
            fields.author.setCurrentText(text)
            fields.author.blockSignals(False)

    def show_campaign(self, campaign: Campaign | None) -> None:
        """Show ``campaign``'s notes; unsaved typing of another campaign is saved first."""
        previous = self.campaign
        if previous is not None and (campaign is None or campaign.uid != previous.uid):
            self.commit_all()
        same = campaign is not None and previous is not None and campaign.uid == previous.uid
        self.campaign = campaign
        self.form.setEnabled(campaign is not None)
        if campaign is None:
            self.title.setText("Choose a campaign in the table to write its retrospective.")
        else:
            self.title.setText(f"Retrospective of {campaign.title}")
        for team, fields in self.fields.items():
            note = campaign.retrospective(team) if campaign else Retrospective(team)
            self.stored[team] = note
            for widget, value in (
                (fields.went_well, note.went_well),
                (fields.to_change, note.to_change),
            ):
                # The field being typed in keeps the user's text (saved when they leave).
                if not (same and widget.hasFocus()) and widget.toPlainText().strip() != value:
                    widget.setPlainText(value)
            typing = same and self._line(fields.author).hasFocus()
            if not typing and fields.author.currentText().strip() != note.author:
                fields.author.setCurrentText(note.author)

    def commit(self, team: str) -> None:
        """Hand on ``team``'s note if it differs from what is stored."""
        if self.campaign is None:
            return
        note = self.fields[team].note(team)
        before = self.stored[team]
        if note != before:
            # What the edit will store; a refused edit is put right by the tab's refresh.
            self.stored[team] = note
            self.edited.emit(
                self.campaign.uid, self.campaign.title, before, note, self.campaign.version
            )

    def commit_all(self) -> None:
        for team in TEAMS:
            self.commit(team)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._owners:
            assert isinstance(event, QFocusEvent)
            # A context menu or a popup takes focus for a moment; that is not leaving.
            if event.reason() != Qt.FocusReason.PopupFocusReason:
                self.commit(self._owners[watched])
        return super().eventFilter(watched, event)
