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

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from smarketing_desktop.gui.item_dialog import open_item_dialog  # noqa: E402
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
    window.calendar.set_view("month")
    for name in ("calendar", "personas", "slas", "review", "team"):
        window.tabs.setCurrentWidget(getattr(window, name))
        app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
    # The Personas tab's second view: which persona gets what at each buying stage.
    window.tabs.setCurrentWidget(window.personas)
    window.personas.coverage_mode.setChecked(True)
    app.processEvents()
    window.grab().save(str(OUT / "journey.png"))
    window.personas.editor_mode.setChecked(True)
    # The SLA builder on its commitments page, beside the live preview.
    window.tabs.setCurrentWidget(window.slas)
    pages = window.slas.editor.pages
    pages.setCurrentIndex(pages.indexOf(pages.findChild(QWidget, "commitmentsPage")))
    app.processEvents()
    window.grab().save(str(OUT / "sla-builder.png"))
    pages.setCurrentIndex(0)
    # Two tradeshows compared: the table and chart the review PDF prints too.
    review = window.review
    window.tabs.setCurrentWidget(review)
    around = dt.timedelta(days=70)  # the demo's past and coming campaigns
    review.period.set_range(dt.date.today() - around, dt.date.today() + around)
    review.select_campaigns(["logistics-world@demo.smarketing", "spring-expo@demo.smarketing"])
    review.pages.setCurrentIndex(0)
    app.processEvents()
    window.grab().save(str(OUT / "review-compare.png"))
    # The calendar's other views (the month is calendar.png).
    window.tabs.setCurrentWidget(window.calendar)
    for view, name in (("week", "week"), ("quarter", "timeline"), ("agenda", "agenda")):
        window.calendar.set_view(view)
        app.processEvents()
        window.grab().save(str(OUT / f"calendar-{name}.png"))
    window.calendar.set_view("month")
    window.show_about()
    app.processEvents()
    window.about.grab().save(str(OUT / "about.png"))
    window.about.close()
    item = open_item_dialog(window, window.context, "spring-email@demo.smarketing")
    app.processEvents()
    item.dialog.grab().save(str(OUT / "item-dialog.png"))
    item.dialog.close()
    window.conflicts.rules_action.trigger()
    app.processEvents()
    rules = window.conflicts.rules_dialog
    assert rules is not None
    rules.dialog.grab().save(str(OUT / "conflict-rules.png"))
    rules.dialog.reject()
    ical_screenshots(app, window)
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
