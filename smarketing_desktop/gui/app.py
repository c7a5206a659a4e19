"""Starting the app: the QApplication, the plan to open, and the main window."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from smarketing_desktop import APP_ID, APP_NAME, ORG_NAME, __version__, paths
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import errors, settings
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.resources import icon, stylesheet
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store.planfile import Plan, create_plan, open_plan

log = logging.getLogger("smarketing.gui")


def _log_to_file() -> None:
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / "smarketing.log", maxBytes=1_000_000, backupCount=3)
    except OSError:
        return  # a read-only home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.getLogger("smarketing").addHandler(handler)
    logging.getLogger("smarketing").setLevel(logging.INFO)


def first_plan(db: Path | None) -> Plan:
    """The plan to open: the one asked for, else the last one, else the default plan
    (made with the demo plan the first time, so a newcomer sees the product working)."""
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
    write_demo(plan)
    return plan


def run(db: Path | None, argv: list[str] | None = None) -> int:
    _log_to_file()
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
    errors.install()
    try:
        plan = first_plan(db)
    except UserError as error:
        QMessageBox.critical(None, "Cannot open the plan", str(error))
        return 1
    window = MainWindow(plan)
    window.show()
    log.info("started with %s", plan.path)
    return int(app.exec())
