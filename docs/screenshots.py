"""Regenerate docs/screenshots/ from the demo plan: the real main window, offscreen.

Run: ``python docs/screenshots.py``. Uses a throw-away plan and settings, never yours.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A fixed, throw-away folder so the paths shown in About stay the same between runs.
SANDBOX = Path(tempfile.gettempdir()) / "smarketing-screenshots"
shutil.rmtree(SANDBOX, ignore_errors=True)
for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[name] = str(SANDBOX / name.lower())

from PySide6.QtWidgets import QApplication  # noqa: E402

from smarketing_desktop.gui.mainwindow import MainWindow  # noqa: E402
from smarketing_desktop.gui.resources import stylesheet  # noqa: E402
from smarketing_desktop.services.demo import write_demo  # noqa: E402
from smarketing_desktop.store.planfile import create_plan  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"


def ical_screenshots(app: QApplication, window: MainWindow) -> None:
    """The iCal export dialog, and the preview of importing the Outlook sample."""
    export = window.ical.export_calendar()
    app.processEvents()
    export.dialog.grab().save(str(OUT / "ical-export.png"))
    export.dialog.reject()
    sample = Path(__file__).resolve().parents[1] / "tests" / "data" / "ics" / "outlook.ics"
    preview = window.ical.import_files([sample])
    while preview.preview is None and not preview.problem.text():
        app.processEvents()
        time.sleep(0.02)
    preview.dialog.grab().save(str(OUT / "ical-import.png"))
    preview.cancel()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(stylesheet())
    plan = create_plan(SANDBOX / "Demo plan.smplan", name="Demo plan")
    write_demo(plan, today=dt.date.today())
    window = MainWindow(plan)
    window.resize(1280, 800)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(("calendar", "personas", "slas", "team")):
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
    window.show_about()
    app.processEvents()
    window.about.grab().save(str(OUT / "about.png"))
    window.about.reject()
    ical_screenshots(app, window)
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
