"""The ideas backlog dock: its list, adding and editing ideas, drags out and drops in."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.backlog import UID_ROLE
from smarketing_desktop.gui.calendar_mime import decode_uids, encode_uids
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import backlog

LEFT = Qt.MouseButton.LeftButton
HOLIDAY = "holiday@demo.smarketing"
IDEAS = [
    "Blog idea: ROI calculator walkthrough",
    "Campaign idea: co-marketing with sensor partner",
]


def drop_on(widget, mime) -> bool:
    """A real drag arriving over ``widget`` and released there; True if it was taken."""
    where = QPointF(widget.rect().center())
    move = Qt.DropAction.MoveAction
    enter = QDragEnterEvent(where.toPoint(), move, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    over = QDragMoveEvent(where.toPoint(), move, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, over)
    if not over.isAccepted():
        return False
    drop = QDropEvent(where, move, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_the_dock_lists_the_ideas(qtmodeltester, window: MainWindow) -> None:
    dock = window.backlog
    assert dock.objectName() == "backlogDock" and dock.isVisible()
    qtmodeltester.check(dock.model)
    model = dock.model
    assert [model.index(r).data() for r in range(model.rowCount())] == IDEAS
    assert (
        model.index(0).data(Qt.ItemDataRole.UserRole + 1) == "Blog post · Marketing · Priya Raman"
    )
    assert "Drag onto the calendar" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert dock.count.text() == "2 ideas"
    assert dock.pages.currentWidget() is dock.list


def test_an_empty_backlog_says_how_to_fill_it(qtbot, window: MainWindow) -> None:
    dock = window.backlog
    item_edits.delete_items(
        window.context.plan, ["idea-roi@demo.smarketing", "idea-partner@demo.smarketing"]
    )
    dock.refresh()
    assert dock.pages.currentWidget() is dock.empty
    assert dock.empty.title.text() == "No ideas yet"
    assert "drag an item here" in dock.empty.hint.text()
    # ...and it takes what is dragged onto it there, too.
    assert drop_on(dock.empty, encode_uids([HOLIDAY], "calendar"))
    assert [idea.uid for idea in dock.model.ideas] == [HOLIDAY]
    assert dock.pages.currentWidget() is dock.list
    assert not drop_on(dock.empty, encode_uids([HOLIDAY], "backlog"))


def test_add_idea_opens_the_dialog_without_dates(qtbot, window: MainWindow) -> None:
    dock = window.backlog
    qtbot.mouseClick(dock.add_button, LEFT)
    form = dock.dialog
    assert form is not None and form.dialog.isVisible()
    assert not form.scheduled.isChecked() and form.status.currentData() == "idea"
    qtbot.keyClicks(form.title, "Webinar idea: ask the customer panel")
    qtbot.mouseClick(form.ok_button, LEFT)
    titles = [idea.title for idea in backlog(window.context.plan)]
    assert "Webinar idea: ask the customer panel" in titles
    assert [dock.model.ideas[i.row()].title for i in dock.list.selectionModel().selectedRows()] == [
        "Webinar idea: ask the customer panel"
    ]
    assert dock.count.text() == "3 ideas"


def test_double_click_opens_an_idea(qtbot, window: MainWindow) -> None:
    dock = window.backlog
    rect = dock.list.visualRect(dock.model.index(1))
    qtbot.mouseClick(dock.list.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(dock.list.viewport(), LEFT, pos=rect.center())
    assert dock.dialog is not None and dock.dialog.dialog.isVisible()
    assert dock.dialog.title.text() == IDEAS[1]


def test_dragging_an_idea_carries_its_uid(qtbot, window: MainWindow) -> None:
    view, model = window.backlog.list, window.backlog.model
    assert view.dragEnabled() and view.acceptDrops()
    index = model.index(0)
    assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.mimeTypes() == ["application/x-smarketing-item-uids"]
    # What the list's own drag start packs: the selected rows' data.
    rect = view.visualRect(model.index(1))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    carried = model.mimeData(view.selectedIndexes())
    assert decode_uids(carried) == (["idea-partner@demo.smarketing"], "backlog")
    assert model.data(model.index(1), UID_ROLE) == "idea-partner@demo.smarketing"
    index = model.index(0)
    # The backlog does not take its own ideas back.
    assert not drop_on(window.backlog.list.viewport(), model.mimeData([index]))


def test_dropping_a_calendar_item_unschedules_it_in_one_undo_step(window: MainWindow) -> None:
    context, dock = window.context, window.backlog
    uid = "holiday@demo.smarketing"
    before = item_edits.get_item(context.plan, uid)
    assert drop_on(dock.list.viewport(), encode_uids([uid], "calendar"))
    after = item_edits.get_item(context.plan, uid)
    assert after["start"] is None and after["end"] is None
    assert "Company holiday (office closed)" in [idea.title for idea in dock.model.ideas]
    assert dock.selected_uids() == [uid]
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert item_edits.get_item(context.plan, uid)["start"] == before["start"]
    assert len(dock.model.ideas) == 2


def test_several_items_dropped_go_together_or_not_at_all(window: MainWindow, boxes) -> None:
    context, dock = window.context, window.backlog
    uids = ["holiday@demo.smarketing", "launch-lm3@demo.smarketing"]
    assert drop_on(dock.list.viewport(), encode_uids(uids, "calendar"))
    assert all(item_edits.get_item(context.plan, u)["start"] is None for u in uids)
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    # A series cannot become an idea: nothing of the drop happens, and the user is told why.
    before = [
        item_edits.get_item(context.plan, u) for u in [*uids, "pipeline-sync@demo.smarketing"]
    ]
    drop_on(dock.list.viewport(), encode_uids([*uids, "pipeline-sync@demo.smarketing"], "calendar"))
    assert "repeats, so it cannot go back to the backlog" in boxes.texts()
    after = [item_edits.get_item(context.plan, u) for u in [*uids, "pipeline-sync@demo.smarketing"]]
    assert [{**a, "row_version": 0} for a in after] == [{**b, "row_version": 0} for b in before]
    assert context.undo_stack.count() == 1  # only the first, undone drop


def test_a_series_dropped_alone_is_refused_with_the_reason(window: MainWindow, boxes) -> None:
    uid = "pipeline-sync@demo.smarketing"
    drop_on(window.backlog.list.viewport(), encode_uids([uid], "calendar"))
    assert "“Pipeline sync (sales + marketing)” repeats" in boxes.texts()
    assert item_edits.get_item(window.context.plan, uid)["start"] is not None
    assert window.context.undo_stack.count() == 0


def test_foreign_drops_are_not_taken(window: MainWindow) -> None:
    from PySide6.QtCore import QMimeData

    junk = QMimeData()
    junk.setData("application/x-smarketing-item-uids", b"{not json")
    assert not drop_on(window.backlog.list.viewport(), junk)
    text = QMimeData()
    text.setText("holiday@demo.smarketing")
    assert not drop_on(window.backlog.list.viewport(), text)


def test_delete_in_the_backlog_asks_and_can_be_undone(qtbot, window: MainWindow, boxes) -> None:
    dock, context = window.backlog, window.context
    rect = dock.list.visualRect(dock.model.index(0))
    qtbot.mouseClick(dock.list.viewport(), LEFT, pos=rect.center())
    assert QApplication.focusWidget() is dock.list
    boxes.answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClick(dock.list, Qt.Key.Key_Delete)
    assert boxes.shown[-1][1:] == ("Delete item", f"Delete “{IDEAS[0]}”?")
    assert len(backlog(context.plan)) == 2
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(dock.list, Qt.Key.Key_Delete)
    assert [idea.title for idea in backlog(context.plan)] == IDEAS[1:]
    context.undo_stack.undo()
    assert [idea.title for idea in backlog(context.plan)] == IDEAS


def test_the_filter_applies_and_says_how_many_are_hidden(window: MainWindow) -> None:
    dock = window.backlog
    dock.set_filter(ItemFilter(owners=frozenset({"priya"})))
    assert [idea.title for idea in dock.model.ideas] == IDEAS[:1]
    assert dock.count.text() == "1 of 2"
    dock.set_filter(ItemFilter(teams=frozenset({"sales"})))
    assert dock.pages.currentWidget() is dock.empty
    assert dock.empty.title.text() == "No ideas match the filters"


def test_the_dock_is_in_the_view_menu_and_its_state_is_kept(
    qtbot, plan, window: MainWindow
) -> None:
    toggle = window.backlog.toggleViewAction()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert toggle in view_menu.actions() and toggle.text() == "Ideas &backlog"
    toggle.trigger()
    assert not window.backlog.isVisible()
    window.close()
    assert not settings.WINDOW_STATE.get().isEmpty()
    again = MainWindow(plan)
    qtbot.addWidget(again)
    again.show()
    assert not again.backlog.isVisible()
    again.backlog.toggleViewAction().trigger()
    assert again.backlog.isVisible()


def test_the_backlog_shows_beside_the_calendar_only(qtbot, plan, window: MainWindow) -> None:
    assert window.tabs.currentWidget() is window.calendar and window.backlog.isVisible()
    for tab in (window.personas, window.slas, window.review, window.team):
        window.tabs.setCurrentWidget(tab)
        assert not window.backlog.isVisible()
    window.tabs.setCurrentWidget(window.calendar)
    assert window.backlog.isVisible()
    window.backlog.close()  # the dock's own close button
    window.tabs.setCurrentWidget(window.team)
    window.tabs.setCurrentWidget(window.calendar)
    assert not window.backlog.isVisible()  # the user's choice is kept
    window.tabs.setCurrentWidget(window.personas)
    window.backlog.toggleViewAction().trigger()  # View → Ideas backlog elsewhere
    assert window.tabs.currentWidget() is window.calendar and window.backlog.isVisible()
    window.tabs.setCurrentWidget(window.review)
    window.close()
    again = MainWindow(plan)
    qtbot.addWidget(again)
    again.show()
    assert again.tabs.currentWidget() is again.review and not again.backlog.isVisible()
    again.tabs.setCurrentWidget(again.calendar)
    assert again.backlog.isVisible()


def test_an_idea_deleted_elsewhere_is_reported_not_opened(window: MainWindow, boxes) -> None:
    dock = window.backlog
    item_edits.delete_items(window.context.plan, ["idea-roi@demo.smarketing"])  # another window
    assert dock.edit("idea-roi@demo.smarketing") is None
    assert boxes.shown[-1][1] == "Cannot open this idea"
    assert "no longer exists" in boxes.shown[-1][2]
    assert [idea.title for idea in dock.model.ideas] == IDEAS[1:]
