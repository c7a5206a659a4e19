"""The filter bar: choices from menus, search, what it hides everywhere, remembered state."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.filter_bar import ChoiceButton, FilterBar
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import item_edits

LEFT = Qt.MouseButton.LeftButton


def pick(qtbot, button: ChoiceButton, *labels: str) -> None:
    """Open the button's menu with a click and tick ``labels`` in it with the mouse.

    The ticks run from a timer because a click on the button may run the menu's own event
    loop until the menu closes (it does on some Qt versions).
    """
    done: list[bool] = []

    def tick() -> None:
        menu = button.menu()
        assert menu.isVisible()
        for label in labels:
            action = next(a for a in menu.actions() if a.text() == label)
            qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())
            assert menu.isVisible()  # the menu stays open for the next tick
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        done.append(True)

    QTimer.singleShot(0, tick)
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: bool(done))
    assert not button.menu().isVisible()


def bar_in(qtbot, plan) -> FilterBar:
    host = QWidget()
    qtbot.addWidget(host)
    context = PlanContext(plan, host)
    bar = FilterBar(context, host)
    host.show()
    bar.keep_alive = host  # qtbot holds widgets weakly
    return bar


def test_choices_come_from_the_plan_and_show_on_the_buttons(qtbot, plan) -> None:
    bar = bar_in(qtbot, plan)
    labels = [label for _, label, _ in bar.personas.options]
    assert labels == ["IT Director Ian", "Operations Olivia", "Everyone (no persona)"]
    assert [label for _, label, _ in bar.owners.options][-1] == "No owner"
    assert not bar.clear_button.isVisible()
    with qtbot.waitSignal(bar.changed) as changed:
        pick(qtbot, bar.teams, "Sales")
    assert changed.args[0] == ItemFilter(teams=frozenset({"sales"}))
    assert bar.teams.text() == "Team: Sales ▾"
    pick(qtbot, bar.kinds, "Webinar", "Tradeshow")
    assert bar.kinds.text() == "Kind: 2 ▾"
    assert bar.filter().kinds == {"webinar", "tradeshow"}
    assert bar.clear_button.isVisible()
    pick(qtbot, bar.kinds, "Webinar")  # ticking again unticks
    assert bar.filter().kinds == {"tradeshow"}
    qtbot.mouseClick(bar.clear_button, LEFT)
    assert bar.filter().is_empty and bar.teams.text() == "Team ▾"
    assert not bar.clear_button.isVisible()


def test_the_filter_is_remembered_and_unknown_choices_are_dropped(qtbot, plan) -> None:
    bar = bar_in(qtbot, plan)
    pick(qtbot, bar.personas, "Everyone (no persona)")
    qtbot.keyClicks(bar.search, "<b>Expo</b> & co")
    saved = json.loads(settings.CALENDAR_FILTER.get())
    assert saved["personas"] == [""] and saved["text"] == "<b>Expo</b> & co"
    again = bar_in(qtbot, plan)
    assert again.filter() == bar.filter()
    # A persona or person that is no longer in the plan is not chosen any more.
    settings.CALENDAR_FILTER.set(json.dumps({"personas": ["gone"], "owners": ["ted", "nobody"]}))
    restored = bar_in(qtbot, plan)
    assert restored.filter() == ItemFilter(owners=frozenset({"ted"}))
    settings.CALENDAR_FILTER.set("{not json")
    assert bar_in(qtbot, plan).filter().is_empty


def test_escape_clears_the_search_and_enter_stays_in_it(qtbot, plan) -> None:
    bar = bar_in(qtbot, plan)
    bar.search.setFocus()
    qtbot.keyClicks(bar.search, "webinar")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert bar.search.text() == "webinar"
    qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    assert bar.search.text() == "" and bar.filter().is_empty


def test_choices_filter_the_agenda_and_the_backlog(qtbot, window: MainWindow) -> None:
    bar = window.calendar.filter_bar
    agenda, backlog = window.calendar.agenda, window.backlog
    window.calendar.set_view("agenda")
    everything = agenda.proxy.rowCount()
    assert backlog.model.rowCount() == 2
    pick(qtbot, bar.kinds, "Blog post")
    shown = [agenda.proxy.index(r, 2).data() for r in range(agenda.proxy.rowCount())]
    assert shown and set(shown) == {"Blog post"} and len(shown) < everything
    assert [idea.title for idea in backlog.model.ideas] == ["Blog idea: ROI calculator walkthrough"]
    assert backlog.count.text() == "1 of 2"
    qtbot.mouseClick(bar.clear_button, LEFT)
    bar.search.setFocus()
    qtbot.keyClicks(bar.search, "co-marketing")
    assert [idea.title for idea in backlog.model.ideas] == [
        "Campaign idea: co-marketing with sensor partner"
    ]
    assert agenda.proxy.rowCount() == 0
    assert agenda.empty.title.text() == "No items match the filters"


def test_the_filter_comes_back_in_a_new_window(qtbot, plan, window: MainWindow) -> None:
    pick(qtbot, window.calendar.filter_bar.statuses, "Idea")
    window.close()
    again = MainWindow(plan)
    qtbot.addWidget(again)
    assert again.calendar.filter_bar.filter() == ItemFilter(statuses=frozenset({"idea"}))
    assert again.calendar.filter_bar.statuses.text() == "Status: Idea ▾"
    assert len(again.backlog.model.ideas) == 2  # both ideas have status "idea"
    again.calendar.set_view("agenda")
    assert again.calendar.agenda.proxy.rowCount() == 0


def test_ctrl_f_focuses_the_search_only_on_the_calendar_tab(qtbot, window: MainWindow) -> None:
    search = window.calendar.filter_bar.search
    window.tabs.setCurrentWidget(window.calendar)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is search
    window.tabs.setCurrentWidget(window.team)
    window.team.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not search


def test_keys_typed_in_the_search_stay_there(qtbot, window: MainWindow) -> None:
    calendar = window.calendar
    calendar.set_view("month")
    uid = "holiday@demo.smarketing"
    calendar.show_day(dt.date.fromisoformat(item_edits.get_item(window.context.plan, uid)["start"]))
    calendar.select_uids([uid])
    search = calendar.filter_bar.search
    search.setFocus()
    qtbot.keyClicks(search, "holiday")
    qtbot.keyClick(search, Qt.Key.Key_Home)
    qtbot.keyClick(search, Qt.Key.Key_Delete)  # deletes a letter, not the selected item
    assert calendar.selected_uids() == [uid]
    qtbot.keyClick(search, Qt.Key.Key_Return)  # does not open the selected item
    assert search.text() == "oliday"
    assert window.calendar_actions.dialog is None
    assert window.context.undo_stack.count() == 0
