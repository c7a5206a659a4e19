"""The calendar exchange in the main window: its menu actions, file drops and publishing.

Kept out of ``mainwindow`` so the window only adds these actions to its menus and this
object's label to its status bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.file_drops import take_drop
from smarketing_desktop.gui.ical_export_dialogs import ExportDialog, SlaIcalDialog
from smarketing_desktop.gui.ical_import_dialog import ImportDialog
from smarketing_desktop.gui.ical_publish import PublishDialog, Publisher

if TYPE_CHECKING:
    from smarketing_desktop.gui.mainwindow import MainWindow


class IcalActions(QObject):
    """File → Export iCal… / Import iCal… / Export SLA meetings as iCal…, Plan → Publish
    calendar…, ``.ics`` files dropped on the window, and the publisher."""

    def __init__(self, window: MainWindow, context: PlanContext) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self.dialog: object | None = None
        self.export_action = self._action(
            "Export i&Cal…", self.export_calendar, "Write the calendar as an .ics file"
        )
        self.import_action = self._action(
            "&Import iCal…",
            self.choose_files,
            "Read events from .ics files of Outlook, Google, Apple Calendar or Thunderbird",
        )
        self.sla_action = self._action(
            "Export SLA &meetings as iCal…",
            self.export_sla_meetings,
            "Send an SLA's review meetings to everyone's calendar",
        )
        self.publish_action = self._action(
            "&Publish calendar…",
            self.edit_publishing,
            "Keep an .ics file current after every change, for Outlook or Google to subscribe to",
        )
        self.publisher = Publisher(context, self)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _action(self, text: str, slot: object, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    @property
    def file_actions(self) -> list[QAction]:
        return [self.export_action, self.import_action, self.sla_action]

    # --- what the actions do --------------------------------------------------------

    def export_calendar(self) -> ExportDialog:
        dialog = ExportDialog(self.window, self.context)
        self.dialog = dialog
        dialog.open()
        return dialog

    def choose_files(self) -> ImportDialog | None:
        names, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Import iCal",
            str(self.context.plan.path.parent),
            "iCalendar (*.ics);;All files (*)",
        )
        return self.import_files([Path(n) for n in names]) if names else None

    def import_files(self, paths: list[Path]) -> ImportDialog:
        """Preview (and on the user's word, import) ``paths``."""
        dialog = ImportDialog(self.window, self.context, paths)
        self.dialog = dialog
        dialog.start()
        return dialog

    def export_sla_meetings(self) -> SlaIcalDialog:
        # The agreement chosen in the SLAs tab comes preselected.
        dialog = SlaIcalDialog(self.window, self.context, self.window.slas.current_sla_id())
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_publishing(self) -> PublishDialog:
        dialog = PublishDialog(self.window, self.context, self.publisher)
        self.dialog = dialog
        dialog.open()
        return dialog

    # --- files dropped on the window ------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if take_drop(event, ".ics", self.import_files):
            return True
        if event.type() == QEvent.Type.Close:
            self.publisher.shutdown()
        return super().eventFilter(watched, event)
