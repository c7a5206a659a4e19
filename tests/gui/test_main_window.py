"""The main window as a user meets it: tabs, menus, plan files, settings, About."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMenuBar

from smarketing_desktop import __version__, paths
from smarketing_desktop.exchange.plan_json import export_plan
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.agenda import AgendaModel
from smarketing_desktop.gui.app import first_plan
from smarketing_desktop.gui.forms import form_names, load_form
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.personas_tab import PersonaCardModel
from smarketing_desktop.gui.slas_tab import SlaModel
from smarketing_desktop.services import people as people_service
from smarketing_desktop.store.planfile import create_plan, open_plan


def menu_titles(bar: QMenuBar) -> list[str]:
    return [action.text().replace("&", "") for action in bar.actions()]


def test_opens_with_the_demo_plan(window: MainWindow) -> None:
    assert menu_titles(window.menuBar()) == ["File", "Edit", "View", "Plan", "Help"]
    assert [window.tabs.tabText(n) for n in range(window.tabs.count())] == [
        "Calendar",
        "Personas",
        "SLAs",
        "Team",
    ]
    assert window.windowTitle().startswith("Demo plan")
    assert window.toolbar.isVisible() and window.statusBar().isVisible()
    agenda = window.calendar.model
    titles = [agenda.rows[n].title for n in range(agenda.rowCount())]
    assert "Company holiday (office closed)" in titles or agenda.rowCount() > 5
    assert window.calendar.title.text() == f"{dt.date.today():%B %Y}"
    assert window.personas.model.rowCount() == 2
    assert window.slas.model.data(window.slas.model.index(0, 0)) == "Sales and marketing SLA"
    assert window.team.model.rowCount() == 6
    assert window.count_label.text().endswith("items")


def test_calendar_navigation_shows_only_that_month(qtbot, window: MainWindow) -> None:
    calendar = window.calendar
    start = calendar.month
    qtbot.mouseClick(calendar.next_button, Qt.MouseButton.LeftButton)
    first, last = calendar.visible_range()
    assert first > start and all(o.end >= first and o.start <= last for o in calendar.model.rows)
    qtbot.mouseClick(calendar.previous_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(calendar.previous_button, Qt.MouseButton.LeftButton)
    assert calendar.month < start
    qtbot.mouseClick(calendar.today_button, Qt.MouseButton.LeftButton)
    assert calendar.month == start


def test_item_models_pass_the_model_tester(qtmodeltester, window: MainWindow) -> None:
    for model in (
        window.calendar.model,
        window.personas.model,
        window.slas.model,
        window.team.model,
    ):
        qtmodeltester.check(model)
    for empty in (AgendaModel(), PersonaCardModel(), SlaModel()):
        qtmodeltester.check(empty)


def test_every_designer_form_loads(qtbot) -> None:
    folder = Path(str(paths.form("person_dialog.ui"))).parent
    names = form_names()
    assert names == sorted(form.name for form in folder.glob("*.ui"))
    assert {"about_dialog.ui", "person_dialog.ui"} <= set(names)
    for name in names:
        widget = load_form(name)
        qtbot.addWidget(widget)
        assert widget.objectName()
        # Dialogs have their buttons; a form embedded in dialogs (a filter section) has none.
        if isinstance(widget, QDialog):
            assert widget.findChild(QDialogButtonBox) is not None


def test_about_shows_version_and_plan_path(qtbot, window: MainWindow) -> None:
    window.about_action.trigger()
    dialog = window.about
    qtbot.waitUntil(dialog.isVisible)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["versionLabel"] == f"Version {__version__}"
    assert labels["planPathLabel"] == str(window.plan.path)
    dialog.reject()


def test_window_state_and_last_plan_are_remembered(qtbot, tmp_path: Path, plan) -> None:
    first = MainWindow(plan)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # within the offscreen screen, which restoreGeometry respects
    size = (first.width(), first.height())
    assert size == (760, 560)  # the window can be small: nothing forces it wider
    first.tabs.setCurrentIndex(3)
    first.toolbar_action.setChecked(False)
    first.close()
    assert settings.LAST_PLAN.get() == str(plan.path)
    reopened = open_plan(Path(settings.LAST_PLAN.get()))
    second = MainWindow(reopened)
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentIndex() == 3
    assert (second.width(), second.height()) == size
    assert not second.toolbar.isVisible()


def test_save_a_copy_makes_an_openable_plan(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "copy.smplan"
    assert window.save_copy_to(target)
    with open_plan(target) as copy:
        assert export_plan(copy) == export_plan(window.plan)
    assert not list(tmp_path.glob(".copy.smplan.*"))


def test_opening_a_file_that_is_not_a_plan_changes_nothing(
    window: MainWindow, tmp_path: Path, boxes
) -> None:
    junk = tmp_path / "notes.smplan"
    junk.write_bytes(b"these are my notes, not a plan\n")
    before = window.plan.path
    assert not window.open_path(junk)
    assert "not a Smarketing plan" in boxes.texts()
    assert junk.read_bytes() == b"these are my notes, not a plan\n"
    assert window.plan.path == before


def test_switching_plans_and_recent_plans(window: MainWindow, tmp_path: Path) -> None:
    other_path = tmp_path / "Other.smplan"
    create_plan(other_path).close()
    old = window.plan.path
    assert window.open_path(other_path)
    assert window.plan.path == other_path
    assert window.team.model.rowCount() == 0 and window.calendar.model.rowCount() == 0
    assert window.context.undo_stack.count() == 0
    window._fill_recent()
    assert [a.toolTip() for a in window.recent_menu.actions()] == [str(old)]
    old.rename(tmp_path / "moved.smplan")
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == ["No other recent plans"]


def test_rename_plan_is_undoable(window: MainWindow, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Spring plan", True))
    window.rename_action.trigger()
    assert window.plan.name == "Spring plan" and window.windowTitle().startswith("Spring plan")
    window.undo_action.trigger()
    assert window.plan.name == "Demo plan" and window.windowTitle().startswith("Demo plan")


def test_first_start_creates_the_default_plan_with_the_demo(qtbot) -> None:
    default = paths.default_plan_path()
    if default.exists():
        default.unlink()
    plan = first_plan(None)
    try:
        assert plan.path == default
        assert len(people_service.list_people(plan)) == 6
    finally:
        plan.close()
    # The next start opens the same plan again rather than writing the demo twice.
    again = first_plan(None)
    try:
        assert len(people_service.list_people(again)) == 6
    finally:
        again.close()


def test_a_program_error_shows_the_crash_dialog_and_is_logged(
    qtbot, window: MainWindow, boxes, caplog
) -> None:
    import sys

    from smarketing_desktop.gui import errors

    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        kind, error, tb = sys.exc_info()
    with caplog.at_level("ERROR", logger="smarketing.gui"):
        errors.excepthook(kind, error, tb)
    assert boxes.shown[-1][0] == "crash" and "RuntimeError: boom in a slot" in boxes.shown[-1][2]
    assert "boom in a slot" in caplog.text
