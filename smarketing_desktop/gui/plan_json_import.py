"""File → Import plan JSON… and plan JSON files dropped on the window.

The import is the one ``smarketing import`` runs (all or nothing, one transaction). It
adds and updates people, personas, items, SLAs and rules together, which no undo command
of the app can put back; so the confirmation says so, and a copy of the plan as it was is
kept beside it first, as before a migration.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import rich
from smarketing_desktop.gui.context import CONFLICTS, ITEMS, PEOPLE, PERSONAS, PLAN, SLAS
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.file_drops import take_drop
from smarketing_desktop.services.imports import describe_document, import_files, read_plan_file
from smarketing_desktop.store.planfile import PLAN_SUFFIX

if TYPE_CHECKING:
    from smarketing_desktop.gui.mainwindow import MainWindow

JSON_FILTER = "Plan JSON (*.json)"
TITLE = "Import plan JSON"


def backup_path(plan_path: Path) -> Path:
    """Where the copy of the plan before an import goes (beside it, never over a file)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = plan_path.with_name(f"{plan_path.stem}.before-import-{stamp}")
    candidate, number = base.with_name(base.name + PLAN_SUFFIX), 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{number}{PLAN_SUFFIX}")
        number += 1
    return candidate


class PlanJsonImport(QObject):
    """The menu action, the drop target and the import itself."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction("I&mport plan JSON…", window)
        tip = "Add and update people, personas, items and SLAs from a plan JSON export"
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.triggered.connect(self.choose_file)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def choose_file(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(
            self.window, TITLE, str(self.window.context.plan.path.parent), JSON_FILTER
        )
        return self.import_file(Path(name)) if name else False

    def import_file(self, path: Path) -> bool:
        """Check ``path``, ask, keep a copy of the plan, import; True if imported."""
        context = self.window.context
        plan = context.plan
        try:
            if path.exists() and plan.path.exists() and path.samefile(plan.path):
                raise UserError("This is the open plan itself: import a JSON export of it.")
            document = read_plan_file(path)  # checked whole before anything is written
        except UserError as error:
            show_error(self.window, "Cannot import the plan JSON", str(error))
            return False
        backup = backup_path(plan.path)
        answer = QMessageBox.question(
            self.window,
            TITLE,
            rich.message(
                f"Import “{path.name}” into the plan “{plan.name}”?\n\n"
                f"It holds {describe_document(document)}. Those with an id the plan "
                "already has are updated; the others are added. Nothing is removed.\n\n"
                "This cannot be undone with Edit → Undo: a copy of the plan as it is now is "
                f"kept at {backup}."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            plan.copy_to(backup)
            done = import_files(plan, [(path.name, document)], None)
        except (UserError, OSError) as error:
            show_error(self.window, "Cannot import the plan JSON", str(error))
            return False
        for topic in (PEOPLE, PERSONAS, ITEMS, SLAS, CONFLICTS, PLAN):
            context.changed.emit(topic)
        summary = done.documents[0].summary()
        self.window.statusBar().showMessage(
            f"Imported {path.name}: {summary}. The plan before the import is at {backup}.",
            15000,
        )
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if take_drop(event, ".json", self._import_dropped):
            return True
        return super().eventFilter(watched, event)

    def _import_dropped(self, paths: list[Path]) -> None:
        if len(paths) > 1:
            show_error(self.window, TITLE, "Drop one plan JSON file at a time.")
        else:
            self.import_file(paths[0])
