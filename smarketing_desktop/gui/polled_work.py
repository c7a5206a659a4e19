"""Work off the GUI thread, with its result handed back on the GUI thread.

The work runs on a plain Python thread and leaves its result behind; a timer on the GUI
thread picks it up. No Qt signal crosses threads: queued signals emitted from worker
threads have crashed PySide 6.12 at exit (a reference count gone wrong), and the worker
then needs no Qt object at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from smarketing_desktop.errors import UserError

log = logging.getLogger("smarketing.gui")

POLL_MS = 40


class Background(QObject):
    """One piece of work at a time; ``done(result)`` or ``failed(message)`` afterwards."""

    def __init__(self, parent: QObject, name: str) -> None:
        super().__init__(parent)
        self.name = name
        self.worker_thread: threading.Thread | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._check)
        self._result: Any = None
        self._error: str | None = None
        self._done: Callable[[Any], None] = lambda _result: None
        self._failed: Callable[[str], None] = lambda _message: None

    @property
    def running(self) -> bool:
        return self.worker_thread is not None and self.worker_thread.is_alive()

    def start(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        """Run ``work`` on a worker thread (refused while an earlier one still runs)."""
        if self.running:
            raise RuntimeError(f"{self.name} is still running")
        self._result, self._error = None, None
        self._done, self._failed = done, failed

        def run() -> None:
            try:
                self._result = work()
            except UserError as error:
                self._error = str(error)
            except Exception as error:  # a bug: reported where the user sees it, and logged
                log.exception("%s failed", self.name)
                self._error = f"an unexpected error ({error})"

        self.worker_thread = threading.Thread(target=run, name=self.name, daemon=True)
        self.worker_thread.start()
        self.timer.start()

    def _check(self) -> None:
        if self.running:
            return
        self.timer.stop()
        if self.worker_thread is None:
            return
        self.worker_thread = None
        if self._error is not None:
            self._failed(self._error)
        else:
            self._done(self._result)

    def wait(self, seconds: float = 10.0) -> None:
        """Let running work finish (then hand its result over now)."""
        if self.worker_thread is not None:
            self.worker_thread.join(seconds)
            self._check()
