"""Long work off the GUI thread (a PDF of a busy quarter), with a busy dialog and Cancel.

The work gets its inputs already read from the plan and returns a result; it must not
touch widgets. Between steps it calls ``job.check()``, which stops it once the user
cancelled. The result, a user error or a bug comes back on the GUI thread as a signal
(bugs go to the crash path like any other).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import errors

# A job that ends sooner shows no dialog at all.
SHOW_AFTER_MS = 400


class Cancelled(Exception):
    """Raised inside the work by ``Job.check`` after the user pressed Cancel."""


class Job(QObject):
    """One piece of work on the thread pool; emits exactly one of the outcome signals,
    then ``finished``, and deletes itself."""

    done = Signal(object)  # the work's result
    failed = Signal(object)  # a UserError
    cancelled = Signal()
    finished = Signal()
    progress = Signal(str)
    # The worker's only way back: one queued call, which then tells every listener on
    # the GUI thread before the job goes (separate queued signals could arrive after).
    _outcome = Signal(str, object)

    def __init__(self, work: Callable[[Job], Any], parent: QWidget, title: str, text: str) -> None:
        super().__init__(parent)
        self.work = work
        self.running = False
        self._stop = False
        self.dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.hide()
        self.dialog.canceled.connect(self.cancel)
        self.progress.connect(self.dialog.setLabelText)
        self._outcome.connect(self._deliver)

    def start(self) -> None:
        self.running = True
        QTimer.singleShot(SHOW_AFTER_MS, self, self._show)
        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        self._stop = True

    def check(self, note: str = "") -> None:
        """For the work: stop here if cancelled; ``note`` tells the user how far it got."""
        if self._stop:
            raise Cancelled
        if note:
            self.progress.emit(note)

    def _run(self) -> None:
        try:
            result = self.work(self)
        except Cancelled:
            self._outcome.emit("cancelled", None)
        except UserError as error:
            self._outcome.emit("failed", error)
        except Exception as error:  # a bug: shown and logged on the GUI thread
            self._outcome.emit("crashed", error)
        else:
            self._outcome.emit("cancelled" if self._stop else "done", result)

    def _show(self) -> None:
        if self.running:
            self.dialog.show()

    def _deliver(self, outcome: str, payload: object) -> None:
        self.running = False
        self.dialog.hide()
        if outcome == "done":
            self.done.emit(payload)
        elif outcome == "failed":
            self.failed.emit(payload)
        elif outcome == "cancelled":
            self.cancelled.emit()
        else:
            assert isinstance(payload, BaseException)
            # Straight to the crash path: the bug happened on another thread, where no
            # exception hook would see it.
            errors.excepthook(type(payload), payload, payload.__traceback__)
        self.finished.emit()
        self.dialog.deleteLater()
        self.deleteLater()
