"""File → Export calendar as PDF…: month pages or quarter timelines for a period.

The form (ui/calendar_pdf_dialog.ui) chooses the pages and the period (by default what
the calendar shows); then a save dialog asks where. The PDF is laid out off the GUI
thread, with a progress dialog and Cancel once it takes a while; the file is written
atomically, so a failure or Cancel leaves no half-written PDF and an existing file
untouched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.periods import page_count
from smarketing_desktop.gui import zones
from smarketing_desktop.gui.background import Job, Task, busy_dialog
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.item_fields import from_qdate, to_qdate
from smarketing_desktop.services.calendar_print import View, export_calendar_pdf


class CalendarPdfDialog(QObject):
    """The export form; ``exported(path, pages)`` after a PDF was written.

    Attributes:
        dialog: The QDialog (shown with ``open()``).
        job: The PDF being laid out, if any.
    """

    exported = Signal(str, int)
    message = Signal(str)  # a short note for the status bar ("cancelled")

    def __init__(
        self,
        parent: QWidget,
        context: PlanContext,
        first: dt.date,
        last: dt.date,
        item_filter: ItemFilter | None = None,
    ) -> None:
        self.dialog = cast(QDialog, load_form("calendar_pdf_dialog.ui", parent))
        super().__init__(self.dialog)
        self.context = context
        self.item_filter = item_filter or ItemFilter()
        self.job: Job | None = None
        find = self.dialog.findChild
        self.month = cast(QRadioButton, find(QRadioButton, "monthRadio"))
        self.quarter = cast(QRadioButton, find(QRadioButton, "quarterRadio"))
        self.first = cast(QDateEdit, find(QDateEdit, "fromDate"))
        self.last = cast(QDateEdit, find(QDateEdit, "toDate"))
        self.use_filter = cast(QCheckBox, find(QCheckBox, "filterCheck"))
        self.pages = cast(QLabel, find(QLabel, "pagesLabel"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.ok_button.setText("Export…")
        self.first.setDate(to_qdate(first))
        self.last.setDate(to_qdate(last))
        self.use_filter.setEnabled(not self.item_filter.is_empty)
        self.use_filter.setChecked(not self.item_filter.is_empty)
        if self.item_filter.is_empty:
            self.use_filter.setToolTip("The calendar shows everything: no filter is set")
        for widget in (self.month, self.quarter):
            widget.toggled.connect(self._check)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(self._check)
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.dialog.reject)
        self.dialog.finished.connect(lambda _result: self.dialog.deleteLater())
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def view(self) -> View:
        return "quarter" if self.quarter.isChecked() else "month"

    def period(self) -> tuple[dt.date, dt.date]:
        return from_qdate(self.first.date()), from_qdate(self.last.date())

    def _check(self, *_args: object) -> None:
        first, last = self.period()
        problem = ""
        count = page_count(first, last, self.view())
        if last < first:
            problem = "The period ends before it starts."
        elif count > 60:
            problem = f"That would be {count} pages; choose at most five years."
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem and self.job is None)
        kind = "month" if self.view() == "month" else "quarter"
        self.pages.setText(
            ""
            if problem
            else f"At least {count} landscape A4 page{'s' if count != 1 else ''}, one per {kind}"
            " (more where one is too full for a page)"
        )

    def choose_file(self) -> None:
        """Ask where to save, then write the PDF (the form stays open if it fails)."""
        plan = self.context.plan
        first, _ = self.period()
        suggested = plan.path.with_name(f"{plan.path.stem} calendar {first:%Y-%m}.pdf")
        name, _ = QFileDialog.getSaveFileName(
            self.dialog, "Export calendar as PDF", str(suggested), "PDF documents (*.pdf)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.export_to(path).done.connect(lambda _pages: self.dialog.accept())

    def export_to(self, path: Path) -> Job:
        """Start writing the printout to ``path`` off the GUI thread.

        ``exported`` follows once it is written; a failure is shown and leaves no file
        behind, and so does Cancel in the progress dialog.
        """
        first, last = self.period()
        plan, view = self.context.plan, self.view()
        chosen = self.item_filter if self.use_filter.isChecked() else None
        zone = zones.display_zone()  # read here: the work runs off the GUI thread

        def work(task: Task) -> int:
            return export_calendar_pdf(
                plan,
                first,
                last,
                view,
                path,
                item_filter=chosen,
                progress=task.check,
                zone=zone,
            )

        job = Job(work, self, "calendar-pdf", writes=True)
        busy_dialog(job, self.dialog, "Export calendar as PDF", "Laying out the calendar…")
        job.done.connect(lambda pages: self.exported.emit(str(path), pages))
        job.failed.connect(
            lambda message: show_error(self.dialog, "Cannot export the calendar", message)
        )
        job.cancelled.connect(lambda: self.message.emit("The PDF export was cancelled."))
        job.finished.connect(self._job_gone)
        self.job = job
        self.ok_button.setEnabled(False)  # one PDF at a time
        job.start()
        return job

    def _job_gone(self) -> None:
        self.job = None
        self._check()


def open_calendar_pdf_dialog(
    parent: QWidget,
    context: PlanContext,
    first: dt.date,
    last: dt.date,
    item_filter: ItemFilter | None = None,
) -> CalendarPdfDialog:
    """Show the export form (without blocking) for the period ``first``..``last``."""
    form = CalendarPdfDialog(parent, context, first, last, item_filter)
    form.dialog.open()
    return form
