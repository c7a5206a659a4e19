"""Starting the app: the QApplication, the plan to open, and the main window."""

from __future__ import annotations

import logging
import sys
from enum import Enum
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from smarketing_desktop import APP_ID, APP_NAME, ORG_NAME, __version__, paths
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import errors, settings
from smarketing_desktop.gui.mainwindow import PLAN_FILTER, MainWindow
from smarketing_desktop.gui.resources import icon, stylesheet
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store.planfile import PLAN_SUFFIX, Plan, create_plan, open_plan

log = logging.getLogger("smarketing.gui")


class Choice(Enum):
    """What the user can do when the plan to start with does not open."""

    OPEN = "open"
    NEW = "new"
    QUIT = "quit"


def _log_to_file() -> None:
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / "smarketing.log", maxBytes=1_000_000, backupCount=3)
    except OSError:
        return  # a read-only home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger("smarketing")
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    else:
        handler.close()
    root.setLevel(logging.INFO)


def first_plan(db: Path | None) -> Plan:
    """The plan to start with.

    The one asked for (created empty if the file does not exist yet); else the last
    opened plan if it still opens; else the default plan, made with the demo plan the
    first time so a newcomer sees the product working.

    Raises:
        UserError: The plan asked for (or the default plan) does not open.
    """
    if db is not None:
        return open_plan(db, create=not db.exists())
    last = settings.LAST_PLAN.get()
    if last and Path(last).is_file():
        try:
            return open_plan(Path(last))
        except UserError as error:
            log.warning("last plan %s does not open: %s", last, error)
    default = paths.default_plan_path()
    if default.exists():
        return open_plan(default)
    plan = create_plan(default, name="Demo plan")
    try:
        write_demo(plan)
    except BaseException:
        plan.close()
        raise
    return plan


def ask_after_error(message: str) -> Choice:
    """Tell the user why the plan did not open and ask what to do instead."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(f"{APP_NAME}: the plan does not open")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes a file name
    box.setText(message)
    box.setInformativeText("You can open another plan or start a new one.")
    open_button = box.addButton("Open another plan…", QMessageBox.ButtonRole.AcceptRole)
    new_button = box.addButton("New plan…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return Choice.OPEN
    return Choice.NEW if clicked is new_button else Choice.QUIT


def recover(error: UserError) -> Plan | None:
    """Let the user pick another plan (or a new one) until one opens, or give up (None)."""
    message = str(error)
    folder = str(paths.default_plan_path().parent)
    while True:
        choice = ask_after_error(message)
        if choice is Choice.QUIT:
            return None
        try:
            if choice is Choice.OPEN:
                name, _ = QFileDialog.getOpenFileName(None, "Open plan", folder, PLAN_FILTER)
                if name:
                    return open_plan(Path(name))
            else:
                name, _ = QFileDialog.getSaveFileName(
                    None, "New plan", str(Path(folder) / f"new plan{PLAN_SUFFIX}"), PLAN_FILTER
                )
                if name:
                    path = Path(name)
                    if path.suffix != PLAN_SUFFIX:
                        path = path.with_name(path.name + PLAN_SUFFIX)
                    if path.exists():
                        path.unlink()  # the file dialog already asked whether to replace it
                    return create_plan(path)
        except (UserError, OSError) as again:
            message = str(again)


def start_plan(db: Path | None) -> Plan | None:
    """:func:`first_plan`, and if it does not open, :func:`recover` (None: the user quit)."""
    try:
        return first_plan(db)
    except UserError as error:
        log.warning("cannot open the plan to start with: %s", error)
        return recover(error)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with the app's names, icon and stylesheet (made once)."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv[:1])
    )
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    app.setStyleSheet(stylesheet())
    return app


def run(db: Path | None, argv: list[str] | None = None) -> int:
    """Start the desktop app on ``db`` (or the last / default plan); returns the exit code.

    Args:
        db: The plan file to open; None for the last opened plan or the default plan.
        argv: Arguments for Qt (``sys.argv[:1]`` when None).
    """
    _log_to_file()
    app = application(argv)
    errors.install()
    plan = start_plan(db)
    if plan is None:
        return 1
    window = MainWindow(plan)
    window.show()
    log.info("started with %s", plan.path)
    code = int(app.exec())
    window.context.plan.close()
    return code
