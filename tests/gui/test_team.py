"""The Team tab driven like a user: clicks, typing, shortcuts; checked on screen and in the plan."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from smarketing_desktop.domain.people import Person
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.team import AddPerson
from smarketing_desktop.services import people as people_service
from smarketing_desktop.store import models


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.team.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def stored(window: MainWindow) -> dict[str, tuple[str, str, str, str, str]]:
    return {
        p.name: (p.team, p.role, p.email, p.phone, p.id)
        for p in people_service.list_people(window.plan)
    }


def test_add_a_person_through_the_dialog(qtbot, window: MainWindow) -> None:
    team = window.team
    window.tabs.setCurrentWidget(team)
    qtbot.mouseClick(team.add_button, Qt.MouseButton.LeftButton)
    form = team.dialog
    assert form is not None and form.dialog.isVisible()
    assert not form.ok_button.isEnabled()  # no name yet
    qtbot.keyClicks(form.name, "Ana Souza")
    form.team.setCurrentIndex(form.team.findData("sales"))
    qtbot.keyClicks(form.role, "Inside sales")
    qtbot.keyClicks(form.email, "ana@")
    assert not form.ok_button.isEnabled() and "not an e-mail address" in form.problem.text()
    qtbot.keyClicks(form.email, "example.com")
    assert form.ok_button.isEnabled() and form.problem.text() == ""
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert "Ana Souza" in shown_names(window)
    assert stored(window)["Ana Souza"][:3] == ("sales", "Inside sales", "ana@example.com")
    assert team.selected_person().name == "Ana Souza"
    # Undo and redo through the keyboard, like a user.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Ana Souza" not in shown_names(window) and "Ana Souza" not in stored(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert "Ana Souza" in shown_names(window) and "Ana Souza" in stored(window)


def test_edit_by_double_click_then_undo_and_redo(qtbot, window: MainWindow) -> None:
    team = window.team
    window.tabs.setCurrentWidget(team)
    row = shown_names(window).index("Sam Ortiz")
    index = team.proxy.index(row, 0)
    rect = team.table.visualRect(index)
    qtbot.mouseClick(team.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(team.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    form = team.dialog
    assert form is not None and form.name.text() == "Sam Ortiz"
    form.role.clear()
    qtbot.keyClicks(form.role, "Head of SDRs")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert stored(window)["Sam Ortiz"][1] == "Head of SDRs"
    assert team.proxy.index(shown_names(window).index("Sam Ortiz"), 2).data() == "Head of SDRs"
    assert window.undo_action.text() == "&Undo Edit Sam Ortiz"
    window.undo_action.trigger()
    assert stored(window)["Sam Ortiz"][1] == "SDR team lead"
    assert team.proxy.index(shown_names(window).index("Sam Ortiz"), 2).data() == "SDR team lead"
    window.redo_action.trigger()
    assert stored(window)["Sam Ortiz"][1] == "Head of SDRs"


def select(qtbot, window: MainWindow, name: str) -> None:
    team = window.team
    rect = team.table.visualRect(team.proxy.index(shown_names(window).index(name), 0))
    qtbot.mouseClick(team.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_someone_who_owns_items_is_not_removed(qtbot, window: MainWindow, boxes) -> None:
    window.tabs.setCurrentWidget(window.team)
    select(qtbot, window, "Ted Okafor")
    qtbot.mouseClick(window.team.remove_button, Qt.MouseButton.LeftButton)
    _kind, title, text = boxes.shown[-1]
    assert title == "Ted Okafor still owns items"
    assert "Industrial Automation Expo" in text and "Give them another owner first" in text
    assert "Ted Okafor" in stored(window) and "Ted Okafor" in shown_names(window)


def test_remove_with_delete_key_asks_and_is_undoable(qtbot, window: MainWindow, boxes) -> None:
    window.tabs.setCurrentWidget(window.team)
    with window.plan.write() as session:
        session.add(models.Person(id="temp", name="Temp Worker", team="sales"))
    window.team.refresh()
    select(qtbot, window, "Temp Worker")
    boxes.answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClick(window.team.table, Qt.Key.Key_Delete)
    assert boxes.shown[-1][0] == "question" and "Temp Worker" in stored(window)
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(window.team.table, Qt.Key.Key_Delete)
    assert "Temp Worker" not in stored(window) and "Temp Worker" not in shown_names(window)
    window.undo_action.trigger()
    assert stored(window)["Temp Worker"][4] == "temp"


def test_search_filters_the_table(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.team.search, "SALES")
    assert sorted(shown_names(window)) == ["Lena Novak", "Sam Ortiz", "Ted Okafor"]
    window.team.search.clear()
    assert len(shown_names(window)) == 6


def test_an_edit_refused_by_the_plan_is_reported_and_not_stacked(
    qtbot, window: MainWindow, boxes
) -> None:
    window.tabs.setCurrentWidget(window.team)
    select(qtbot, window, "Priya Raman")
    form = window.team.edit_selected()
    # Someone else renames Priya in the meantime (another window, or the CLI).
    person = people_service.get_person(window.plan, "priya")
    people_service.update_person(window.plan, replace(person, name="Priya R."))
    qtbot.keyClicks(form.role, " (acting)")
    depth = window.context.undo_stack.count()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert "changed in another window" in boxes.texts()
    assert window.context.undo_stack.count() == depth
    assert stored(window)["Priya R."][1] == "Content lead"


def test_two_edits_of_one_person_undo_and_redo_in_turn(window: MainWindow, boxes) -> None:
    from smarketing_desktop.gui.team import EditPerson

    context = window.context
    first = people_service.get_person(window.plan, "sam")
    context.execute(EditPerson(context, first, replace(first, role="Team lead")))
    second = people_service.get_person(window.plan, "sam")
    context.execute(EditPerson(context, second, replace(second, role="Head of SDRs")))
    context.undo_stack.undo()
    context.undo_stack.undo()
    assert people_service.get_person(window.plan, "sam").role == first.role
    context.undo_stack.redo()
    context.undo_stack.redo()
    assert people_service.get_person(window.plan, "sam").role == "Head of SDRs"
    assert not boxes.shown


def test_undo_labels_of_long_names_are_short(qtbot, window) -> None:
    name = "Dr. " + "Bartholomew-Maximilian " * 6 + "\nvon Habsburg"
    window.context.execute(AddPerson(window.context, Person(id="", name=name, team="sales")))
    text = window.context.undo_stack.undoText()
    assert text.startswith("Add Dr. Bartholomew") and text.endswith("…")
    assert len(text) <= len("Add ") + 40 and "\n" not in text
