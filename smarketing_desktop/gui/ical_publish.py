"""Publishing the calendar after every change, off the GUI thread; and its settings dialog.

Every change of the plan (``PlanContext.changed``, which undo and redo emit too) schedules
one re-write of the published file a moment later, so a burst of edits is one write. The
write runs on a worker thread: a big plan never freezes editing, and a failure (the synced
folder is gone) is shown in the status bar instead of interrupting the user.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.background import Job
from smarketing_desktop.gui.context import PLAN, PlanCommand, PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.ical_export_dialogs import ics_path
from smarketing_desktop.gui.ical_filter import FilterPanel
from smarketing_desktop.gui.undo_guard import check_unchanged
from smarketing_desktop.services import ical as ical_service
from smarketing_desktop.services.publish import (
    Published,
    PublishSettings,
    get_publish_settings,
    publish,
    publish_path,
    set_publish_settings,
)
from smarketing_desktop.store.planfile import Plan

log = logging.getLogger("smarketing.publish")

# Long enough to make a drag or a burst of undo steps one write, short enough to feel live.
DELAY_MS = 700
OK_STYLE = ""
FAILED_STYLE = "color: #c92a2a; font-weight: 600;"


class Publisher(QObject):
    """Keeps the published ``.ics`` file current; shows how that went in ``label``."""

    finished = Signal()

    def __init__(self, context: PlanContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.job: Job | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.publish_now)
        self.label = QLabel()
        self.label.setObjectName("publishLabel")
        self.label.hide()
        self.running = False
        self.again = False
        self.last_error = ""
        context.changed.connect(lambda _topic: self.schedule())
        context.plan_replaced.connect(self._plan_replaced)
        self.schedule()

    def schedule(self) -> None:
        """Publish a moment from now (once, however many changes come in between)."""
        self.timer.start()

    def _plan_replaced(self) -> None:
        self.label.hide()
        self.schedule()

    def publish_now(self) -> None:
        if self.running:
            self.again = True
            return
        try:
            settings = get_publish_settings(self.context.plan)
        except UserError as error:
            self._failed(self.context.plan, str(error))
            return
        if settings is None or not settings.enabled:
            self.label.hide()
            self.finished.emit()
            return
        self.running = True
        plan = self.context.plan
        # A failure, even a bug, is shown in the status bar: publishing runs unasked.
        self.job = Job(lambda _task: publish(plan), self, "publish-ics", bugs="fail", writes=True)
        self.job.done.connect(lambda result: self._done(plan, result))
        self.job.failed.connect(lambda message: self._failed(plan, message))
        self.job.start()

    def _settle(self) -> None:
        self.running = False
        self.job = None
        if self.again:
            self.again = False
            self.publish_now()
        else:
            self.finished.emit()

    def _done(self, plan: Plan, result: Published | None) -> None:
        if plan is self.context.plan and result is not None:
            events = f"{result.events} event{'s' if result.events != 1 else ''}"
            if result.written:
                when = dt.datetime.now().strftime("%H:%M")
                self.label.setText(f"Published {events} at {when} to {result.path.name}")
            elif self.label.isHidden() or self.last_error:
                self.label.setText(f"Published {events} to {result.path.name}: up to date")
            self.last_error = ""
            self.label.setToolTip(f"The calendar is published to {result.path}")
            self.label.setStyleSheet(OK_STYLE)
            self.label.show()
        self._settle()

    def _failed(self, plan: Plan, message: str) -> None:
        if plan is self.context.plan:
            self.last_error = message
            self.label.setText("Publishing failed — editing goes on; see the tooltip")
            self.label.setToolTip(f"The published calendar could not be written: {message}")
            self.label.setStyleSheet(FAILED_STYLE)
            self.label.show()
        self._settle()

    def shutdown(self) -> None:
        """Let a running write finish (it is atomic either way) before the app goes."""
        self.timer.stop()
        if self.job is not None:
            self.job.wait()


class SetPublishSettings(PlanCommand):
    """Publishing is part of the plan, so turning it on or changing it can be undone."""

    topic = PLAN

    def __init__(
        self,
        context: PlanContext,
        before: PublishSettings | None,
        after: PublishSettings | None,
    ) -> None:
        text = (
            "Stop publishing the calendar"
            if after is None or not after.enabled
            else ("Publish the calendar")
        )
        super().__init__(context, text)
        self.before, self.after = before, after
        # The stored settings after the last do and undo (undo_guard).
        self.left_after: PublishSettings | None = None
        self.left_before: PublishSettings | None = None
        self.done = False

    def apply(self) -> None:
        if self.done:
            check_unchanged(self._stored(), self.left_before, "Publishing")
        set_publish_settings(self.context.plan, self.after)
        self.left_after, self.done = self._stored(), True

    def revert(self) -> None:
        check_unchanged(self._stored(), self.left_after, "Publishing")
        set_publish_settings(self.context.plan, self.before)
        self.left_before = self._stored()

    def _stored(self) -> PublishSettings | None:
        return get_publish_settings(self.context.plan)


class PublishDialog:
    """Plan → Publish calendar… (ui/ical_publish_dialog.ui)."""

    def __init__(self, parent: QWidget, context: PlanContext, publisher: Publisher) -> None:
        self.context = context
        self.dialog = cast(QDialog, load_form("ical_publish_dialog.ui", parent))
        find = self.dialog.findChild
        self.enabled = cast(QCheckBox, find(QCheckBox, "enabledCheck"))
        self.path = cast(QLineEdit, find(QLineEdit, "pathEdit"))
        self.browse = cast(QPushButton, find(QPushButton, "browseButton"))
        self.count = cast(QLabel, find(QLabel, "countLabel"))
        self.last = cast(QLabel, find(QLabel, "lastLabel"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.filters = FilterPanel(
            cast(QWidget, find(QWidget, "filterHost")), ical_service.filter_choices(context.plan)
        )
        self.before = get_publish_settings(context.plan)
        if self.before is not None:
            self.enabled.setChecked(self.before.enabled)
            self.path.setText(str(self.before.path))
            self.filters.set_filter(self.before.filters)
        else:
            self.path.setText(str(context.plan.path.with_suffix(".ics")))
        if publisher.last_error:
            self.last.setText(f"Last time, publishing failed: {publisher.last_error}")
        elif publisher.label.isVisible():
            self.last.setText(publisher.label.text() + ".")
        self.ok_button.setText("Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        self.browse.clicked.connect(self.choose_file)
        self.enabled.toggled.connect(self._check)
        self.path.textChanged.connect(self._check)
        self.filters.changed.connect(self._check)
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.dialog, "Publish the calendar to", self.path.text(), "iCalendar (*.ics)"
        )
        if name:
            self.path.setText(str(ics_path(name)))

    def settings(self) -> PublishSettings | None:
        text = self.path.text().strip()
        if not text:
            return None
        # A bare name goes beside the plan, never into the app's working folder.
        path = publish_path(self.context.plan, Path(text), check=False)
        return PublishSettings(path, self.filters.filter(), self.enabled.isChecked())

    def _check(self) -> None:
        on = self.enabled.isChecked()
        for widget in (self.path, self.browse, self.filters.widget):
            widget.setEnabled(on)
        problem = ""
        settings = self.settings()
        if on and settings is None:
            problem = "Choose the file to publish to."
        elif on and settings is not None and settings.path.suffix.lower() != ".ics":
            problem = "The file's name must end in .ics, so calendar programs recognise it."
        elif on and settings is not None:
            try:
                publish_path(self.context.plan, settings.path)
            except UserError as error:
                problem = str(error)
        if not problem and on:
            try:
                count = ical_service.events_to_export(self.context.plan, self.filters.filter())
            except UserError as error:
                problem = str(error)
            else:
                self.count.setText(f"{count} event{'s' if count != 1 else ''} will be published.")
        if not on:
            was_on = self.before is not None and self.before.enabled
            # "No longer" only about a file that was being kept current.
            self.count.setText(
                "Publishing is off: the file is no longer updated."
                if was_on
                else "Publishing is off."
            )
        elif problem:
            self.count.setText("")  # a count beside a refusal would read as a promise
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    def accept(self) -> None:
        after = self.settings()
        if after is None and self.before is None:
            self.dialog.accept()
            return
        if self.context.execute(SetPublishSettings(self.context, self.before, after)):
            self.dialog.accept()

    def open(self) -> None:
        self.dialog.open()
