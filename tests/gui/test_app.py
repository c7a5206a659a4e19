"""Starting the app: which plan opens, and what happens when it does not open."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from smarketing_desktop.gui import app as gui_app
from smarketing_desktop.gui import errors, settings
from smarketing_desktop.services import people as people_service
from smarketing_desktop.store.planfile import create_plan

JUNK = b"these are my notes, not a plan\n"


@pytest.fixture
def clean_app(monkeypatch: pytest.MonkeyPatch):
    """``run`` styles the shared QApplication and adds a log handler: undo both after."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger("smarketing")
    handlers, level = list(root.handlers), root.level
    yield
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    qapp.setStyleSheet("")
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_a_plan_that_does_not_open_offers_another_one(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "notes.smplan"
    junk.write_bytes(JUNK)
    good = tmp_path / "Good.smplan"
    create_plan(good, name="Good plan").close()
    asked: list[str] = []

    def ask(message: str) -> gui_app.Choice:
        asked.append(message)
        return gui_app.Choice.OPEN

    monkeypatch.setattr(gui_app, "ask_after_error", ask)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    plan = gui_app.start_plan(junk)
    assert plan is not None
    try:
        assert plan.path == good and plan.name == "Good plan"
    finally:
        plan.close()
    assert len(asked) == 1 and "not a Smarketing plan" in asked[0]
    assert "Traceback" not in asked[0]
    assert junk.read_bytes() == JUNK


def test_a_new_plan_can_be_made_instead(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "notes.smplan"
    junk.write_bytes(JUNK)
    monkeypatch.setattr(gui_app, "ask_after_error", lambda message: gui_app.Choice.NEW)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "Fresh"), "")
    )
    plan = gui_app.start_plan(junk)
    assert plan is not None
    try:
        assert plan.path == tmp_path / "Fresh.smplan"
        assert people_service.list_people(plan) == []
    finally:
        plan.close()
    assert junk.read_bytes() == JUNK


def test_run_quits_cleanly_when_the_user_gives_up(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_app
) -> None:
    junk = tmp_path / "notes.smplan"
    junk.write_bytes(JUNK)
    choices = iter([gui_app.Choice.OPEN, gui_app.Choice.QUIT])
    asked: list[str] = []

    def ask(message: str) -> gui_app.Choice:
        asked.append(message)
        return next(choices)

    monkeypatch.setattr(gui_app, "ask_after_error", ask)
    # The user first picks the same broken file again: told again, then quits.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    assert gui_app.run(junk, []) == 1
    assert len(asked) == 2 and all("not a Smarketing plan" in text for text in asked)
    assert sys.excepthook is errors.excepthook
    assert junk.read_bytes() == JUNK


def test_run_opens_the_plan_and_remembers_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_app
) -> None:
    path = tmp_path / "Launch.smplan"
    create_plan(path, name="Launch plan").close()
    shown: list[str] = []

    def event_loop(_app: QApplication) -> int:
        # Stands in for the user's session: look at the window, then close it.
        window = next(
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "mainWindow" and w.isVisible()
        )
        qtbot.addWidget(window)
        shown.append(window.windowTitle())
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert gui_app.run(path, []) == 0
    assert shown == ["Launch plan — Smarketing Desktop"]
    assert settings.LAST_PLAN.get() == str(path)
    assert QApplication.applicationName() == "smarketing-desktop"


def test_the_last_plan_is_opened_again_unless_it_is_gone(qtbot, tmp_path: Path) -> None:
    last = tmp_path / "Last.smplan"
    create_plan(last, name="Last plan").close()
    settings.remember_plan(last)
    with gui_app.first_plan(None) as plan:
        assert plan.path == last
    last.unlink()
    with gui_app.first_plan(None) as plan:
        assert plan.path != last  # the default plan instead


def test_crash_details_can_be_copied(qtbot) -> None:
    errors.copy_details("Traceback: boom")
    assert QGuiApplication.clipboard().text() == "Traceback: boom"
