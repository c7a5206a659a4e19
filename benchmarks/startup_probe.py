"""Start the real app on a plan, exit right after the first paint (for bench_foundation).

Run as a separate process so the figure includes what a user waits for: Python and Qt
start-up, opening the plan file (with its schema check), building and painting the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from smarketing_desktop.gui.app import first_plan
    from smarketing_desktop.gui.mainwindow import MainWindow
    from smarketing_desktop.gui.resources import stylesheet

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(stylesheet())
    window = MainWindow(first_plan(Path(sys.argv[1])))
    window.resize(1280, 800)
    window.show()
    app.processEvents()  # the first paint
    return 0


if __name__ == "__main__":
    sys.exit(main())
