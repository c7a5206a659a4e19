"""Foundation figures:

* main-window start-up with a 10,000-item plan against the same with an empty plan
  (target: within 1.3x; the window must load what is visible, not the whole plan);
* plan JSON export and import of a 10,000-item plan against bare ``json.dumps`` /
  ``json.loads`` of the same document.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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

    times: list[float] = []

    def start() -> None:
        begin = time.perf_counter()
        window = MainWindow(plan)
        window.resize(1280, 800)
        window.show()
        app.processEvents()  # the first paint of the visible tab
        times.append((time.perf_counter() - begin) * 1000)
        window.close()
        window.deleteLater()
        app.processEvents()

    start()  # warm-up: first-use costs (fonts, styles) belong to neither plan
    times.clear()
    for _ in range(repeat):
        start()
    return round(statistics.median(times), 3)


def process_startup_ms(plan: Path, repeat: int) -> float:
    """Launch the app on ``plan`` until its first paint, as a user would (median, ms)."""
    probe = Path(__file__).with_name("startup_probe.py")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(repeat + 1):
        begin = time.perf_counter()
        subprocess.run(
            [sys.executable, str(probe), str(plan)], env=env, check=True, capture_output=True
        )
        times.append((time.perf_counter() - begin) * 1000)
    return round(statistics.median(times[1:]), 1)  # the first run warms the disk cache


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
        small = make_plan(root / "small.smplan", 50)
        for plan in (big, empty, small):
            plan.close()
        empty_process = process_startup_ms(empty.path, args.repeat)
        big_process = process_startup_ms(big.path, args.repeat)
        results["startup"] = {
            "empty_plan_ms": empty_process,
            "big_plan_ms": big_process,
            "ratio": round(big_process / empty_process, 3),
            "target_ratio": STARTUP_TARGET,
            "meets_target": big_process / empty_process <= STARTUP_TARGET,
            "what": "process launch to the first painted window (python, Qt, plan file, window)",
        }
        try:
            empty_ms = startup_ms(empty, args.repeat)
            small_ms = startup_ms(small, args.repeat)
            big_ms = startup_ms(big, args.repeat)
            # Measure the empty plan again after the big one, so drift does not favour either.
            empty_ms = round(min(empty_ms, startup_ms(empty, args.repeat)), 2)
            results["window_only"] = {
                "empty_plan_ms": empty_ms,
                "plan_50_items_ms": small_ms,
                "big_plan_ms": big_ms,
                "ratio": round(big_ms / empty_ms, 3),
                "ratio_to_50_items": round(big_ms / small_ms, 3),
                "note": "building and first painting the window only, in a running app; the "
                "empty plan paints no table rows, the others a screenful",
            }
        except ImportError as error:  # a core-only install has no Qt
            results["window_only"] = {"skipped": str(error)}
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
