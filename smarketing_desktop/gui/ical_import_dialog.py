"""File → Import iCal… and ``.ics`` files dropped on the window: read, preview, import.

The files are read on a worker thread with a progress bar (a big export from Outlook takes
a while to parse) and cancel. Then the dialog shows what the import will do — how many
events it adds, updates, leaves alone and skips, and why — before anything is written.
The import itself is one undoable item command: undo removes what it added and puts back
what it changed, as whole item states (so it works after any other undo and redo).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QWidget,
)

from smarketing_desktop.domain.words import Kind, Team
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.background import Job, Task
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.item_commands import ItemsCommand
from smarketing_desktop.gui.rich import tooltip
from smarketing_desktop.services import ical as ical_service
from smarketing_desktop.services.ical import IcsFiles, IcsImportReport, ImportPreview
from smarketing_desktop.store.planfile import Plan

log = logging.getLogger("smarketing.gui")


class ImportCalendar(ItemsCommand):
    """One import of calendar files, undone and redone like any item change: by putting
    back the whole states of the items it added or changed."""

    def __init__(self, context: PlanContext, parsed: IcsFiles, text: str) -> None:
        self.parsed = parsed
        self.report: IcsImportReport | None = None
        super().__init__(context, text, [event.uid for event in parsed.events], self._import)

    def _import(self, plan: Plan) -> list[str]:
        self.report = ical_service.import_calendars(plan, self.parsed)
        return [d.uid for d in self.report.decisions if d.action == "added"]


def _names_no(count: int) -> str:
    return f"{count} name{'s' if count == 1 else ''}"


def _names(paths: Sequence[Path]) -> str:
    names = [f"“{p.name}”" for p in paths]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:2])} and {len(names) - 2} more files"


class ImportDialog(QObject):
    """The preview of an import (ui/ical_import_dialog.ui); Import runs the command."""

    def __init__(self, parent: QWidget, context: PlanContext, paths: Sequence[Path]) -> None:
        super().__init__(parent)
        self.context = context
        self.window = parent
        self.paths = list(paths)
        self.dialog = cast(QDialog, load_form("ical_import_dialog.ui", parent))
        find = self.dialog.findChild
        self.files = cast(QLabel, find(QLabel, "filesLabel"))
        self.progress = cast(QProgressBar, find(QProgressBar, "progressBar"))
        self.counts = {
            name: cast(QLabel, find(QLabel, f"{name}Count"))
            for name in ("added", "updated", "unchanged", "skipped")
        }
        self.kind = cast(QComboBox, find(QComboBox, "kindCombo"))
        self.team = cast(QComboBox, find(QComboBox, "teamCombo"))
        self.defaults_note = cast(QLabel, find(QLabel, "defaultsNote"))
        self.reasons = cast(QListWidget, find(QListWidget, "reasonsList"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        for kind in Kind:
            self.kind.addItem(kind.label, kind.value)
        for team in Team:
            self.team.addItem(team.label, team.value)
        self.kind.setCurrentIndex(self.kind.findData(Kind.OTHER.value))
        self.team.setCurrentIndex(self.team.findData(Team.MARKETING.value))
        self.ok_button.setText("Import")
        self.ok_button.setEnabled(False)
        self.files.setText(f"From {_names(self.paths)}")
        self.files.setToolTip("\n".join(str(p) for p in self.paths))
        self.buttons.accepted.connect(self.import_now)
        self.buttons.rejected.connect(self.cancel)
        self.dialog.rejected.connect(self._stop_reading)
        self.parsed: IcsFiles | None = None
        self.preview: ImportPreview | None = None
        self.command: ImportCalendar | None = None
        self.reader: Job | None = None

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def reading(self) -> bool:
        return self.reader is not None and self.reader.running

    def start(self) -> None:
        """Show the dialog and read the files on a worker thread."""
        self.dialog.open()
        self.progress.setRange(0, 0)  # busy until the first count arrives
        paths = self.paths

        def read(task: Task) -> IcsFiles:
            return ical_service.read_calendars(
                paths,
                kind=Kind.OTHER.value,
                team=Team.MARKETING.value,
                progress=lambda done, total: task.check(done=done, total=total),
            )

        # A bug while reading is told in the dialog: the window goes on.
        self.reader = Job(read, self, "read-ics", bugs="fail")
        self.reader.progressed.connect(self._progressed)
        self.reader.done.connect(self._read)
        self.reader.failed.connect(self._failed)
        self.reader.finished.connect(self._reader_gone)
        self.reader.start()

    def _progressed(self, _note: str, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _reader_gone(self) -> None:
        self.reader = None

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.problem.setText(f"{message} Nothing was imported.")
        self.ok_button.setEnabled(False)

    def _read(self, parsed: IcsFiles) -> None:
        self.parsed = parsed
        self.progress.hide()
        try:
            preview = ical_service.preview_import(self.context.plan, parsed)
        except UserError as error:
            self._failed(str(error))
            return
        self.preview = preview
        for name, value in (
            ("added", preview.added),
            ("updated", preview.updated),
            ("unchanged", preview.unchanged),
            ("skipped", preview.skipped_count),
        ):
            self.counts[name].setText(f"{value:,}")
        new = {d.uid for d in preview.decisions if d.action == "added"}
        no_kind = sum(1 for e in parsed.events if e.uid in new and e.kind is None)
        no_team = sum(1 for e in parsed.events if e.uid in new and e.team is None)
        self.defaults_note.setText(
            f"Of the new events, {_names_no(no_kind)} no kind and {_names_no(no_team)} no team."
            if new
            else "No new events: these choices change nothing."
        )
        reasons = preview.reasons()
        for reason in reasons:
            item = QListWidgetItem(reason)
            item.setToolTip(tooltip(reason))
            self.reasons.addItem(item)
        if not reasons:
            item = QListWidgetItem("None: every event can be imported as it is.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.reasons.addItem(item)
        work = preview.added + preview.updated
        self.ok_button.setEnabled(work > 0)
        if not work:
            empty = [f"There are no events in “{name}”." for name in preview.empty_files]
            if len(empty) < len(preview.files):
                empty.append(
                    "Everything in these files is already in the plan."
                    if not empty
                    else "Everything in the others is already in the plan."
                )
            self.problem.setText(" ".join(empty))

    def import_now(self) -> None:
        if self.parsed is None or self.preview is None or not self.ok_button.isEnabled():
            return
        self.parsed.kind = str(self.kind.currentData())
        self.parsed.team = str(self.team.currentData())
        count = self.preview.added + self.preview.updated
        text = f"Import {count} event{'s' if count != 1 else ''} from {_names(self.paths)}"
        command = ImportCalendar(self.context, self.parsed, text)
        if not self.context.execute(command):
            return
        self.command = command
        self.dialog.accept()
        report = command.report
        status = getattr(self.window, "statusBar", None)
        if report is not None and status is not None:
            status().showMessage(f"Imported {_names(self.paths)}: {report.summary()}", 10000)

    def cancel(self) -> None:
        self._stop_reading()
        self.dialog.reject()

    def _stop_reading(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
            self.reader.wait()
