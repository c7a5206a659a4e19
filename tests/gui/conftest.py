"""GUI fixtures: a demo plan, isolated settings, and message boxes that answer themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from smarketing_desktop.gui import errors
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


class Boxes:
    """Records every message box the app shows and answers questions with ``answer``."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def record(self, kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.shown.append((kind, title, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    def run(self, box: QMessageBox) -> int:
        """``QMessageBox.exec`` for boxes built by hand (own button texts): the box's
        button for ``answer`` is pressed, or its escape button if it has none."""
        self.shown.append(("ask", box.windowTitle(), box.text()))
        if box.button(self.answer) is not None:
            return int(self.answer.value)
        escape = box.escapeButton()
        return int(box.standardButton(escape).value) if escape is not None else 0

    def texts(self) -> str:
        return "\n".join(f"{title}: {text}" for _, title, text in self.shown)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorder = Boxes()
    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, recorder.record(kind))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder.run(box))
    monkeypatch.setattr(
        errors, "_crash_dialog", lambda details: recorder.shown.append(("crash", "", details))
    )
    return recorder


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "Demo plan.smplan", name="Demo plan")
    write_demo(plan, today=TODAY)
    yield plan
    plan.close()


@pytest.fixture
def window(qtbot: Any, plan: Plan) -> MainWindow:
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    # Shortcuts reach the active window only, as on a desktop.
    qtbot.waitUntil(window.isActiveWindow)
    return window
