"""Work off the GUI thread, with its outcome handed back on the GUI thread.

The one way the app runs long work (reading calendar files, PDFs, publishing, the
conflict check of a big plan). The work runs on a plain Python thread, gets a ``Task``
to report progress and to notice Cancel, and leaves its result behind; a timer on the
GUI thread picks the result and the progress up and emits the job's signals there.
No Qt signal is ever emitted from the worker: queued signals from worker threads have
crashed PySide 6.12 at exit (a reference count gone wrong), and the worker then needs
no Qt object at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import errors

log = logging.getLogger("smarketing.gui")

# How often the GUI thread looks at a running job: smooth enough for a progress bar.
POLL_MS = 40
# A job that ends sooner shows no busy dialog at all.
SHOW_AFTER_MS = 400

Bugs = Literal["crash", "fail"]


class Cancelled(Exception):
    """Raised inside the work by ``Task.check`` after the user pressed Cancel."""


class Task:
    """The worker's side of a job: plain Python, safe to use from the worker thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        # One tuple, replaced whole, so the GUI thread never sees half an update.
        self.progress: tuple[str, int, int] = ("", 0, 0)

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self, note: str = "", done: int = 0, total: int = 0) -> None:
        """Stop here (raise ``Cancelled``) once the user cancelled; else note progress.

        Args:
            note: how far the work got, for people ("Page 3…"); kept if empty.
            done: steps done of ``total`` (0 of 0: no count, a busy indicator).
            total: the number of steps.
        """
        if self._stop.is_set():
            raise Cancelled
        self.progress = (note or self.progress[0], done, total)


class Job(QObject):
    """One piece of work on a thread of its own; emits one outcome, then ``finished``.

    Exactly one of ``done(result)``, ``failed(message)`` and ``cancelled()`` is emitted,
    all on the GUI thread, then ``finished``; the job then deletes itself. A bug in the
    work goes to the crash dialog (``bugs="crash"``) or, for work the user did not ask
    for and should not be interrupted by, is logged and reported through ``failed``.

    Args:
        work: called on the worker thread with the job's ``Task``; must not touch widgets.
        parent: owns the job (its timer lives on the GUI thread).
        name: the worker thread's name, for logs.
        bugs: what happens to an unexpected exception (see above).
        writes: the work's effect stands once it returns (a file written): a Cancel that
            comes after it returned cannot take the effect back, so ``done`` tells the
            user the truth instead of ``cancelled``.
    """

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()
    progressed = Signal(str, int, int)  # note, done, total

    def __init__(
        self,
        work: Callable[[Task], Any],
        parent: QObject,
        name: str,
        *,
        bugs: Bugs = "crash",
        writes: bool = False,
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.name = name
        self.bugs = bugs
        self.writes = writes
        self.task = Task()
        self.dialog: QProgressDialog | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._outcome: tuple[str, Any] | None = None
        self._shown_progress: tuple[str, int, int] = ("", 0, 0)
        self._delivered = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        """True from ``start`` until the outcome has been delivered."""
        return self._thread.ident is not None and not self._delivered

    def start(self) -> None:
        self._thread.start()
        self._timer.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next ``check``; ``cancelled`` follows."""
        self.task._stop.set()

    def wait(self, seconds: float = 10.0) -> bool:
        """Block until the work ends (at most ``seconds``) and deliver its outcome now.

        Returns:
            False if the work is still running after ``seconds``.
        """
        if self._thread.ident is not None:
            self._thread.join(seconds)
        self._poll()
        return not self._thread.is_alive()

    def _run(self) -> None:
        if self.task.cancelled:  # cancelled before it began: nothing is done at all
            self._outcome = ("cancelled", None)
            return
        try:
            result = self.work(self.task)
        except Cancelled:
            self._outcome = ("cancelled", None)
        except UserError as error:
            self._outcome = ("failed", str(error))
        except Exception as error:  # a bug: reported on the GUI thread, never lost
            self._outcome = ("bug", error)
        else:
            late = self.task.cancelled and not self.writes
            self._outcome = ("cancelled" if late else "done", result)

    def _poll(self) -> None:
        if self._delivered:
            return
        # Looked at before the progress, so the last step is shown before the outcome.
        outcome = None if self._thread.is_alive() else self._outcome
        progress = self.task.progress
        if progress != self._shown_progress:
            self._shown_progress = progress
            self.progressed.emit(*progress)
        if outcome is None:
            return
        self._delivered = True
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.hide()
        kind, payload = outcome
        if kind == "done":
            self.done.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        elif kind == "cancelled":
            self.cancelled.emit()
        elif self.bugs == "crash":
            assert isinstance(payload, BaseException)
            # The bug happened on another thread, where no exception hook would see it.
            errors.excepthook(type(payload), payload, payload.__traceback__)
        else:
            log.error("%s failed", self.name, exc_info=payload)
            self.failed.emit(f"Something unexpected went wrong ({payload}); it is in the log.")
        self.finished.emit()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.deleteLater()


def busy_dialog(job: Job, parent: QWidget, title: str, text: str) -> QProgressDialog:
    """A progress dialog with Cancel for ``job``, shown only if the work takes a while.

    The dialog follows the job's progress (a bar once the work counts its steps) and
    goes with the job.
    """
    dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(360)  # room for "Laying out page 12 of 24…" without jumping
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.hide()
    dialog.canceled.connect(job.cancel)

    def follow(note: str, done: int, total: int) -> None:
        if note:
            dialog.setLabelText(note)
        if total:
            dialog.setRange(0, total)
            dialog.setValue(done)

    job.progressed.connect(follow)
    job.dialog = dialog

    def show() -> None:
        if job.running and not job.task.cancelled:
            dialog.show()

    QTimer.singleShot(SHOW_AFTER_MS, job, show)
    return dialog
