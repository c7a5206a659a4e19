"""The Conflicts dock and the status bar count, driven like a user."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from smarketing_desktop.gui.conflicts_dock import ConflictsModel
from smarketing_desktop.gui.context import ITEMS
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import conflicts as service
from smarketing_desktop.store import models

EMAIL = "spring-email@demo.smarketing"
EXPO = "spring-expo@demo.smarketing"
SEARCH_ADS = "search-ads@demo.smarketing"


def shown(window: MainWindow) -> list[tuple[str, str, str]]:
    """(severity, rule, message) of each row as the table shows it, top to bottom."""
    model = window.conflicts.dock.model
    return [
        (model.index(row, 0).data(), model.index(row, 1).data(), model.index(row, 4).data())
        for row in range(model.rowCount())
    ]


def click_row(qtbot, window: MainWindow, row: int, button=Qt.MouseButton.LeftButton) -> None:
    table = window.conflicts.dock.table
    rect = table.visualRect(window.conflicts.dock.model.index(row, 1))
    qtbot.mouseClick(table.viewport(), button, pos=rect.center())


def row_of(window: MainWindow, rule_title: str, acknowledged: bool | None = None) -> int:
    model = window.conflicts.dock.model
    for row in range(model.rowCount()):
        message = model.index(row, 4).data()
        if model.index(row, 1).data() == rule_title and (
            acknowledged is None or message.startswith("Acknowledged") == acknowledged
        ):
            return row
    raise AssertionError(f"no row for {rule_title}")


def count_text(window: MainWindow) -> str:
    return window.conflicts.count.text()


def test_the_dock_lists_the_demo_conflicts_worst_first(qtmodeltester, window: MainWindow) -> None:
    dock = window.conflicts.dock
    # Hidden at first, so the calendar has the height; the status-bar count opens it.
    assert dock.objectName() == "conflictsDock" and not dock.isVisible()
    window.conflicts.count.click()
    assert dock.isVisible()
    rows = shown(window)
    assert [(s, r) for s, r, _ in rows] == [
        ("Error", "Email campaign during a tradeshow"),
        ("Warning", "Outbound work on a holiday"),
        ("Warning", "Outbound work on a holiday"),
    ]
    assert "so sales cannot follow up the leads" in rows[0][2]
    assert rows[1][2].startswith("Acknowledged: The ads run on their own") != rows[2][2].startswith(
        "Acknowledged"
    )
    muted = dock.model.index(row_of(window, "Outbound work on a holiday", True), 3)
    assert muted.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#9aa5b1"
    assert muted.data(Qt.ItemDataRole.FontRole).italic()
    assert dock.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert (
        dock.model.index(0, 3).data()
        == "Line Monitor 3.0 product email · Industrial Automation Expo"
    )
    assert count_text(window) == "1 error · 1 warning"
    assert dock.summary.text() == "1 error · 1 warning · 1 acknowledged"
    qtmodeltester.check(dock.model)


def test_sorting_by_a_column(qtbot, window: MainWindow) -> None:
    header = window.conflicts.dock.table.horizontalHeader()
    x = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    model = window.conflicts.dock.model
    # By date: the holiday (two conflicts) comes weeks before the expo.
    assert [model.index(r, 1).data() for r in range(3)] == [
        "Outbound work on a holiday",
        "Outbound work on a holiday",
        "Email campaign during a tradeshow",
    ]
    # The selected conflict stays selected when the order changes.
    window.conflicts.dock.table.selectRow(2)
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert model.index(0, 1).data() == "Email campaign during a tradeshow"
    chosen = window.conflicts.dock.selected()
    assert chosen is not None and chosen[0].rule == "email-during-tradeshow"


def test_sorting_keeps_the_model_sound(qtmodeltester, window: MainWindow) -> None:
    model = window.conflicts.dock.model
    qtmodeltester.check(model)
    for column in range(5):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["Warning", "Warning", "Error"]
    model.sort(4, Qt.SortOrder.AscendingOrder)
    messages = [model.index(r, 4).data().casefold() for r in range(3)]
    assert messages == sorted(messages)


def test_selecting_a_conflict_shows_its_items(qtbot, window: MainWindow) -> None:
    dock = window.conflicts.dock
    with qtbot.waitSignal(dock.show_items) as signal:
        click_row(qtbot, window, 0)
    uids, day = signal.args
    assert uids == [EMAIL, EXPO] and isinstance(day, dt.date)
    assert window.statusBar().currentMessage().startswith("Conflict on ")
    assert "Line Monitor 3.0 product email, Industrial Automation Expo" in (
        window.statusBar().currentMessage()
    )


def test_acknowledge_with_a_note_then_undo_and_redo(qtbot, window: MainWindow) -> None:
    dock = window.conflicts.dock
    click_row(qtbot, window, 0)
    qtbot.mouseClick(dock.acknowledge_button, Qt.MouseButton.LeftButton)
    form = dock.dialog
    assert form is not None and form.dialog.isVisible()
    assert "goes out during" in form.message.text()
    assert not form.ok_button.isEnabled()  # a note is needed
    qtbot.keyClicks(form.note, "   ")
    assert not form.ok_button.isEnabled() and "say why" in form.problem.text()
    form.note.clear()
    qtbot.keyClicks(form.note, "Only the <b>newsletter</b> list & sales agreed ")
    form.note.insertPlainText("👍")  # QTest cannot type characters outside the BMP
    assert form.ok_button.isEnabled()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    stored = [a.note for a in service.acknowledgements(window.plan).values()]
    assert "Only the <b>newsletter</b> list & sales agreed 👍" in stored
    row = row_of(window, "Email campaign during a tradeshow")
    assert (
        dock.model.index(row, 4)
        .data()
        .startswith("Acknowledged: Only the <b>newsletter</b> list & sales agreed 👍 — ")
    )
    assert count_text(window) == "1 warning"
    assert window.undo_action.text() == "&Undo Acknowledge conflict"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert count_text(window) == "1 error · 1 warning"
    assert len(service.acknowledgements(window.plan)) == 1
    window.redo_action.trigger()
    assert count_text(window) == "1 warning" and len(service.acknowledgements(window.plan)) == 2


def test_a_note_with_a_nul_character_is_explained_and_not_saved(qtbot, window: MainWindow) -> None:
    dock = window.conflicts.dock
    click_row(qtbot, window, 0)
    form = dock.acknowledge_selected()
    form.note.setPlainText("fine\x00")
    assert not form.ok_button.isEnabled() and "NUL" in form.problem.text()
    form.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert len(service.acknowledgements(window.plan)) == 1


def test_take_back_from_the_context_menu_is_undoable(qtbot, window: MainWindow) -> None:
    dock = window.conflicts.dock
    row = row_of(window, "Outbound work on a holiday", acknowledged=True)
    click_row(qtbot, window, row)
    menu = dock.context_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Edit note…", "Take back acknowledgement", "Show on the calendar"}
    assert actions["Take back acknowledgement"].isEnabled()
    actions["Take back acknowledgement"].trigger()
    assert service.acknowledgements(window.plan) == {}
    assert count_text(window) == "1 error · 2 warnings"
    assert not any(m.startswith("Acknowledged") for _, _, m in shown(window))
    window.undo_action.trigger()
    assert count_text(window) == "1 error · 1 warning"
    assert len(service.acknowledgements(window.plan)) == 1
    # An open conflict offers no take-back.
    click_row(qtbot, window, row_of(window, "Email campaign during a tradeshow"))
    menu = dock.context_menu()
    take_back = next(a for a in menu.actions() if a.text() == "Take back acknowledgement")
    assert not take_back.isEnabled() and not dock.unacknowledge_button.isEnabled()


def test_right_click_opens_the_menu_on_that_row(qtbot, window: MainWindow, monkeypatch) -> None:
    popped: list[QMenu] = []
    # A real popup grabs the keyboard, which the headless platform cannot do.
    monkeypatch.setattr(QMenu, "popup", lambda menu, *args: popped.append(menu))
    dock = window.conflicts.dock
    viewport = dock.table.viewport()
    position = dock.table.visualRect(dock.model.index(2, 1)).center()
    click_row(qtbot, window, 2, Qt.MouseButton.RightButton)
    # What the platform sends after a right click (QTest does not synthesize it).
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, viewport.mapToGlobal(position)
    )
    QApplication.sendEvent(viewport, event)
    assert popped
    assert dock.table.selectionModel().selectedRows()[0].row() == 2
    assert [a.text() for a in popped[0].actions() if a.text()][-1] == "Show on the calendar"


def test_hiding_acknowledged_ones(qtbot, window: MainWindow) -> None:
    dock = window.conflicts.dock
    qtbot.mouseClick(dock.show_acknowledged, Qt.MouseButton.LeftButton)
    assert not dock.show_acknowledged.isChecked()
    assert len(shown(window)) == 2 and all(
        not m.startswith("Acknowledged") for _, _, m in shown(window)
    )


def move(window: MainWindow, uid: str, days: int) -> None:
    with window.plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == uid))
        row.start_date += dt.timedelta(days=days)
        row.end_date += dt.timedelta(days=days)
    window.context.changed.emit(ITEMS)


def test_item_changes_update_the_dock_and_the_count(qtbot, window: MainWindow) -> None:
    move(window, EMAIL, 7)  # the email now goes out a week after the show
    assert count_text(window) == "1 warning"
    assert [r for _, r, _ in shown(window)] == ["Outbound work on a holiday"] * 2
    move(window, EMAIL, -7)
    assert count_text(window) == "1 error · 1 warning"
    # The acknowledged holiday conflict lapses when the ads move, and is new again.
    move(window, SEARCH_ADS, 1)
    assert count_text(window) == "1 error · 2 warnings"
    move(window, SEARCH_ADS, -1)
    assert count_text(window) == "1 error · 1 warning"


def test_a_precise_update_of_named_items(window: MainWindow) -> None:
    with window.plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == EMAIL))
        row.status = "cancelled"
    window.conflicts.monitor.items_changed([EMAIL])
    assert count_text(window) == "1 warning"


def test_the_dock_is_shown_and_hidden_and_remembered(qtbot, tmp_path: Path, plan) -> None:
    first = MainWindow(plan)
    qtbot.addWidget(first)
    first.show()
    assert first.conflicts.dock_action.text() == "&Conflicts"
    assert first.conflicts.dock_action in first.view_menu.actions()
    assert not first.conflicts.dock.isVisible()
    first.conflicts.dock_action.trigger()
    assert first.conflicts.dock.isVisible()
    first.close()
    second = MainWindow(plan)
    qtbot.addWidget(second)
    second.show()
    assert second.conflicts.dock.isVisible()
    second.conflicts.dock_action.trigger()
    assert not second.conflicts.dock.isVisible()
    second.close()
    third = MainWindow(plan)
    qtbot.addWidget(third)
    third.show()
    assert not third.conflicts.dock.isVisible()
    qtbot.mouseClick(third.conflicts.count, Qt.MouseButton.LeftButton)
    assert third.conflicts.dock.isVisible()


def test_an_empty_plan_says_there_is_nothing(qtbot, qtmodeltester, tmp_path: Path) -> None:
    from smarketing_desktop.store.planfile import create_plan

    empty = create_plan(tmp_path / "empty.smplan")
    window = MainWindow(empty)
    qtbot.addWidget(window)
    window.show()
    dock = window.conflicts.dock
    assert dock.stack.currentWidget() is dock.empty and dock.empty.title.text() == "No conflicts"
    assert count_text(window) == "No open conflicts"
    qtmodeltester.check(ConflictsModel(window.conflicts.monitor))
    window.close()
    empty.close()
