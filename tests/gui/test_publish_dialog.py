"""Plan → Publish calendar…: where a typed name goes, missing folders, the words for "off"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services.publish import get_publish_settings
from tests.gui.test_ical_gui import trigger


def _open(window: MainWindow):  # type: ignore[no-untyped-def]
    trigger(window, "Plan", "Publish calendar…")
    form = window.ical.dialog
    assert form is not None and form.dialog.isVisible()
    return form


def _switch(qtbot, form) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(
        form.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, form.enabled.height() // 2)
    )


def test_never_published_says_only_that_publishing_is_off(qtbot, window: MainWindow) -> None:
    form = _open(window)
    assert form.count.text() == "Publishing is off."
    _switch(qtbot, form)
    assert form.count.text().endswith("will be published.")
    _switch(qtbot, form)
    assert form.count.text() == "Publishing is off."


def test_a_typed_name_goes_beside_the_plan_and_switching_off_says_so(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    form = _open(window)
    _switch(qtbot, form)
    form.path.clear()
    qtbot.keyClicks(form.path, "team.ics")
    assert form.problem.text() == "" and form.ok_button.isEnabled()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    settings = get_publish_settings(window.plan)
    assert settings is not None and settings.path == window.plan.path.parent / "team.ics"
    form = _open(window)
    _switch(qtbot, form)
    assert form.count.text() == "Publishing is off: the file is no longer updated."
    assert list(elsewhere.iterdir()) == []


def test_a_missing_folder_is_named_and_cannot_be_saved(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    form = _open(window)
    _switch(qtbot, form)
    form.path.clear()
    qtbot.keyClicks(form.path, str(tmp_path / "deep" / "a" / "team.ics"))
    assert "does not exist" in form.problem.text() and str(tmp_path / "deep" / "a") in (
        form.problem.text()
    )
    assert not form.ok_button.isEnabled() and form.count.text() == ""
    assert get_publish_settings(window.plan) is None and not (tmp_path / "deep").exists()
