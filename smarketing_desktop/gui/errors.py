"""The two kinds of error: the user's (a clear message, nothing lost) and the program's
(a crash dialog with details to copy, and a log entry)."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from smarketing_desktop import APP_NAME, paths
from smarketing_desktop.gui import rich

log = logging.getLogger("smarketing.gui")


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A problem the user can act on: the message says what happened and what to do."""
    QMessageBox.warning(parent, title, rich.message(message))


def _crash_dialog(details: str) -> None:
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME}: something went wrong")
    box.setText(
        "Something went wrong inside the app. Your plan is safe: every change you made "
        "before this was already saved."
    )
    box.setInformativeText(
        f"Please send the details below to support. They are also in the log: {paths.log_dir()}"
    )
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # An action button would close the box; copying should leave it open.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: copy_details(details))
    box.exec()


def copy_details(details: str) -> None:
    """Put the crash details on the clipboard, ready to paste into a support e-mail."""
    QGuiApplication.clipboard().setText(details)


def excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """A bug escaped: log it with its traceback and show the crash dialog."""
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is not None:
        _crash_dialog(details)
    else:  # pragma: no cover - only before the app exists
        sys.__excepthook__(kind, error, tb)


def install() -> None:
    """Route every unexpected error to :func:`excepthook` (Qt slots included)."""
    sys.excepthook = excepthook
