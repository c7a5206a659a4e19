"""File → Export iCal… and File → Export SLA meetings as iCal… (Designer forms in ui/)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.background import Job
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.file_names import with_extension
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.ical_filter import FilterPanel
from smarketing_desktop.gui.rich import tooltip
from smarketing_desktop.services import ical as ical_service

log = logging.getLogger("smarketing.gui")

ICS_FILTER = "iCalendar (*.ics)"


def ics_path(name: str) -> Path:
    """The chosen file name, with .ics added when the user left it out."""
    return with_extension(name, ".ics")


def _status_label(status: str) -> str:
    try:
        return SlaStatus(status).label
    except ValueError:
        return status


def _plural(count: int, word: str = "event") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


class ExportDialog(QObject):
    """The calendar export: the CLI's choices, a live count, then a save dialog.

    The file is written on a worker thread, so the window stays usable.
    """

    def __init__(self, parent: QWidget, context: PlanContext) -> None:
        super().__init__(parent)
        self.context = context
        self.window = parent
        self.dialog = cast(QDialog, load_form("ical_export_dialog.ui", parent))
        find = self.dialog.findChild
        self.count = cast(QLabel, find(QLabel, "countLabel"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.filters = FilterPanel(
            cast(QWidget, find(QWidget, "filterHost")), ical_service.filter_choices(context.plan)
        )
        self.ok_button.setText("Export…")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.dialog.reject)
        self.filters.changed.connect(self._count)
        self.written: Path | None = None
        self._count()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _count(self) -> None:
        try:
            count = ical_service.events_to_export(self.context.plan, self.filters.filter())
        except UserError as error:
            self.count.setText("")
            self.problem.setText(str(error))
            self.ok_button.setEnabled(False)
            return
        self.problem.setText("")
        self.count.setText(
            f"{_plural(count)} will be written." if count else "No item matches these choices."
        )
        self.ok_button.setEnabled(count > 0)

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.dialog,
            "Export iCal",
            str(self.context.plan.path.with_suffix(".ics")),
            ICS_FILTER,
        )
        if not name:
            return  # back to the choices; nothing was written
        path = ics_path(name)
        self.buttons.setEnabled(False)
        self.filters.widget.setEnabled(False)
        self.count.setText(f"Writing {path.name}…")
        plan, chosen = self.context.plan, self.filters.filter()
        job = Job(
            lambda _task: ical_service.export_calendar(plan, chosen, path),
            self,
            "export-ics",
            bugs="fail",
            writes=True,
        )
        job.done.connect(lambda count: self._written(path, count))
        job.failed.connect(self._not_written)
        job.start()

    def _written(self, path: Path, count: int) -> None:
        self.written = path
        self.dialog.accept()
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(f"Exported {_plural(count)} to {path}", 8000)

    def _not_written(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.filters.widget.setEnabled(True)
        self._count()
        show_error(self.dialog, "Cannot export the calendar", message)

    def open(self) -> None:
        self.dialog.open()


_TITLE = Qt.ItemDataRole.UserRole + 1  # the SLA's title, for the file name


class SlaIcalDialog:
    """Choose an SLA, then save its review meetings and dates as an .ics file."""

    def __init__(self, parent: QWidget, context: PlanContext, current: str | None = None) -> None:
        self.context = context
        self.parent = parent
        self.dialog = cast(QDialog, load_form("sla_ical_dialog.ui", parent))
        find = self.dialog.findChild
        self.list = cast(QListWidget, find(QListWidget, "slaList"))
        self.note = cast(QLabel, find(QLabel, "noteLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.ok_button.setText("Export…")
        for sla in ical_service.sla_choices(context.plan):
            dates = " – ".join(f"{d.day} {d:%b %Y}" for d in (sla.effective, sla.ends) if d)
            status = _status_label(sla.status)
            item = QListWidgetItem(f"{sla.title}\n{status} · version {sla.version}"
                                   + (f" · {dates}" if dates else ""))  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, sla.id)
            item.setData(_TITLE, sla.title)
            item.setToolTip(tooltip(sla.title))
            self.list.addItem(item)
            if sla.id == current:
                self.list.setCurrentItem(item)
        self.list.currentItemChanged.connect(lambda *_: self._check())
        self.list.itemDoubleClicked.connect(lambda _item: self.export())
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.dialog.reject)
        self.written: Path | None = None
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _check(self) -> None:
        sla_id = self.chosen()
        if self.list.count() == 0:
            self.note.setText("This plan has no SLA yet. Make one in the SLAs tab first.")
            self.ok_button.setEnabled(False)
            return
        if sla_id is None:
            self.note.setText("Choose an agreement.")
            self.ok_button.setEnabled(False)
            return
        try:
            count = ical_service.sla_meeting_count(self.context.plan, sla_id)
        except UserError as error:
            self.note.setText(str(error))
            self.ok_button.setEnabled(False)
            return
        self.note.setText(f"The file will hold {_plural(count)}.")
        self.ok_button.setEnabled(True)

    def export(self) -> None:
        sla_id = self.chosen()
        if sla_id is None or not self.ok_button.isEnabled():
            return
        title = str(self.list.currentItem().data(_TITLE))
        name, _ = QFileDialog.getSaveFileName(
            self.dialog,
            "Export SLA meetings as iCal",
            str(self.context.plan.path.with_name(f"{title} review meetings.ics")),
            ICS_FILTER,
        )
        if not name:
            return
        path = ics_path(name)
        try:
            count = ical_service.export_sla_meetings(self.context.plan, sla_id, path)
        except UserError as error:
            show_error(self.dialog, "Cannot export the SLA meetings", str(error))
            return
        self.written = path
        self.dialog.accept()
        status = getattr(self.parent, "statusBar", None)
        if status is not None:
            status().showMessage(f"Exported {_plural(count)} of “{title}” to {path}", 8000)

    def open(self) -> None:
        self.dialog.open()
