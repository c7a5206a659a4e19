"""Foundation figures:

* main-window start-up with a 10,000-item plan against the same with an empty plan
  (target: within 1.3x; the window must load what is visible, not the whole plan);
* plan JSON export and import of a 10,000-item plan against bare ``json.dumps`` /
  ``json.loads`` of the same document.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.plans import big_document, make_plan
from benchmarks.timing import median_ms
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.store.planfile import Plan, create_plan

STARTUP_TARGET = 1.3


def startup_ms(plan: Plan, repeat: int) -> float:
    """Construct, show and paint the real main window on ``plan`` (median, ms)."""
    from PySide6.QtWidgets import QApplication

    from smarketing_desktop.gui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])

    def start() -> None:
        window = MainWindow(plan)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        window.grab()  # forces a full paint of every visible widget
        window.close()
        window.deleteLater()
        app.processEvents()

    start()  # warm-up: first-use costs (fonts, styles) belong to neither plan
    return median_ms(start, repeat)


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        document = big_document(args.items)
        text = json.dumps(document)
        big = make_plan(root / "big.smplan", args.items)
        empty = create_plan(root / "empty.smplan")

        export_ms = median_ms(lambda: plan_json.export_plan(big), max(3, args.repeat // 2))
        exported = plan_json.export_plan(big)
        parsed = json.loads(exported)
        bare_dumps_ms = median_ms(
            lambda: json.dumps(parsed, ensure_ascii=False, sort_keys=True, indent=2), args.repeat
        )
        counter = iter(range(1000))

        def import_fresh() -> None:
            plan = create_plan(root / f"import{next(counter)}.smplan")
            plan_json.import_plan(plan, text)
            plan.close()

        import_ms = median_ms(import_fresh, 3)
        bare_loads_ms = median_ms(lambda: json.loads(text), args.repeat)

        results: dict[str, Any] = {"items": args.items}
        try:
            empty_ms = startup_ms(empty, args.repeat)
            big_ms = startup_ms(big, args.repeat)
            # Measure the empty plan again after the big one, so drift does not favour either.
            empty_ms = round(min(empty_ms, startup_ms(empty, args.repeat)), 2)
            results["startup"] = {
                "empty_plan_ms": empty_ms,
                "big_plan_ms": big_ms,
                "ratio": round(big_ms / empty_ms, 3),
                "target_ratio": STARTUP_TARGET,
                "meets_target": big_ms / empty_ms <= STARTUP_TARGET,
            }
        except ImportError as error:  # a core-only install has no Qt
            results["startup"] = {"skipped": str(error)}
        results["json_export"] = {
            "plan_ms": export_ms,
            "bare_json_dumps_ms": bare_dumps_ms,
            "ratio": round(export_ms / bare_dumps_ms, 1),
        }
        results["json_import"] = {
            "plan_ms": import_ms,
            "bare_json_loads_ms": bare_loads_ms,
            "ratio": round(import_ms / bare_loads_ms, 1),
        }
        big.close()
        empty.close()
    return results
