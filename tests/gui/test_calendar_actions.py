"""The calendar's edit actions through the window: keys, menus, the clipboard, questions,
and the calendar PDF from File → Export calendar as PDF…."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.exchange.plan_json import export_document
from smarketing_desktop.gui import calendar_actions
from smarketing_desktop.gui.calendar_actions import ask_series_scope
from smarketing_desktop.gui.calendar_mime import ITEMS_MIME, decode_items
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import backlog, occurrences_between
from smarketing_desktop.store.planfile import create_plan

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
YES, CANCEL = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
SERIES = QMessageBox.StandardButton.YesToAll
HOLIDAY = "holiday@demo.smarketing"
LAUNCH = "launch-lm3@demo.smarketing"
SYNC = "pipeline-sync@demo.smarketing"


def start_of(window: MainWindow, uid: str) -> dt.date:
    return dt.date.fromisoformat(item_edits.get_item(window.context.plan, uid)["start"][:10])


def select(window: MainWindow, *uids: str) -> QWidget:
    """Show the first item's month, select the items and put the focus in the view."""
    calendar = window.calendar
    window.tabs.setCurrentWidget(calendar)
    calendar.set_view("month")
    calendar.show_day(start_of(window, uids[0]))
    calendar.select_uids(list(uids))
    assert set(calendar.selected_uids()) == set(uids)
    view = calendar.current_canvas()
    assert view is not None
    view.setFocus()
    return view


def titles(window: MainWindow) -> list[str]:
    return sorted(i["title"] for i in export_document(window.context.plan)["items"])


def test_the_edit_menu_in_order(window: MainWindow) -> None:
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    names = [a.text() if not a.isSeparator() else "—" for a in edit.actions()]
    assert names[2:] == [
        "—",
        "Cu&t",
        "&Copy",
        "&Paste",
        "D&uplicate",
        "&Delete",
        "—",
        "&New item…",
        "&Edit item…",
        "Move to &backlog",
    ]
    assert edit.actions()[:2] == [window.undo_action, window.redo_action]
    actions = window.calendar_actions
    assert actions.new_action.shortcut().toString() == "Ctrl+N"
    assert actions.duplicate_action.shortcut().toString() == "Ctrl+D"
    assert actions.copy_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Copy)
    assert actions.delete_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)


def test_actions_follow_the_selection_and_the_clipboard(window: MainWindow) -> None:
    actions = window.calendar_actions
    QGuiApplication.clipboard().clear()
    window.calendar.select_uids([])
    assert not actions.delete_action.isEnabled() and not actions.copy_action.isEnabled()
    assert not actions.paste_action.isEnabled()
    assert actions.new_action.isEnabled()
    select(window, HOLIDAY)
    assert all(
        a.isEnabled() for a in (actions.delete_action, actions.edit_action, actions.cut_action)
    )
    assert actions.copy() == 1 and actions.paste_action.isEnabled()


def test_copy_then_paste_on_another_day_is_one_undo_step(qtbot, window: MainWindow) -> None:
    view = select(window, HOLIDAY)
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(ITEMS_MIME)
    assert mime.text().startswith("Company holiday (office closed) — ")
    documents = decode_items(mime)
    assert documents and documents[0]["uid"] == HOLIDAY
    target = start_of(window, HOLIDAY) + dt.timedelta(days=9)
    window.calendar.show_day(target)
    assert window.calendar.anchor_day() == target
    view = window.calendar.current_canvas()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    pasted = [
        o
        for o in occurrences_between(window.context.plan, target, target)
        if o.title.startswith("Company holiday")
    ]
    assert len(pasted) == 1 and pasted[0].uid != HOLIDAY
    assert window.calendar.selected_uids() == [pasted[0].uid]
    assert window.context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == "Pasted 1 item"
    window.context.undo_stack.undo()
    assert not [
        o
        for o in occurrences_between(window.context.plan, target, target)
        if o.title.startswith("Company holiday")
    ]


def test_paste_into_another_plan_says_what_did_not_come_along(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    select(window, LAUNCH)
    assert window.calendar_actions.copy() == 1
    other = create_plan(tmp_path / "Other.smplan", name="Other")
    other.close()
    assert window.open_path(tmp_path / "Other.smplan")
    window.calendar.show_day(dt.date(2031, 6, 2))
    window.calendar.current_canvas().setFocus()
    qtbot.keyClick(window.calendar.current_canvas(), Qt.Key.Key_V, CTRL)
    items = export_document(window.context.plan)["items"]
    assert [(i["title"], i["start"], i["owner"], i["personas"]) for i in items] == [
        ("Launch: Line Monitor 3.0", "2031-06-02", None, [])
    ]
    message = window.statusBar().currentMessage()
    assert "its owner is not in this plan" in message and "personas" in message


def test_a_clipboard_with_bad_items_is_refused_and_changes_nothing(
    qtbot, window: MainWindow, boxes
) -> None:
    before = titles(window)
    mime = QMimeData()
    bad = [{"uid": "x@y", "title": "<b>Bold</b> & 🎉", "kind": "party", "start": "2030-01-01"}]
    mime.setData(ITEMS_MIME, json.dumps(bad).encode())
    QGuiApplication.clipboard().setMimeData(mime)
    assert window.calendar_actions.paste_action.isEnabled()
    assert not window.calendar_actions.paste()
    assert "items[0].kind: must be one of" in boxes.texts()
    assert titles(window) == before and window.context.undo_stack.count() == 0
    junk = QMimeData()
    junk.setData(ITEMS_MIME, b"\x00\xff not json")
    QGuiApplication.clipboard().setMimeData(junk)
    assert not window.calendar_actions.paste_action.isEnabled()
    assert not window.calendar_actions.paste()
    assert window.statusBar().currentMessage() == "Nothing to paste: copy an item first."


def test_duplicate_makes_a_copy_on_the_same_day(qtbot, window: MainWindow) -> None:
    view = select(window, LAUNCH)
    qtbot.keyClick(view, Qt.Key.Key_D, CTRL)
    day = start_of(window, LAUNCH)
    same_day = [o.title for o in occurrences_between(window.context.plan, day, day)]
    assert "Launch: Line Monitor 3.0 (copy)" in same_day
    assert window.context.undo_stack.undoText() == "Duplicate “Launch: Line Monitor 3.0”"


def test_delete_asks_naming_the_item_and_can_be_undone(qtbot, window: MainWindow, boxes) -> None:
    view = select(window, HOLIDAY)
    boxes.answer = CANCEL
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert boxes.shown[-1] == ("ask", "Delete item", "Delete “Company holiday (office closed)”?")
    assert "Company holiday (office closed)" in titles(window)
    boxes.answer = YES
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "Company holiday (office closed)" not in titles(window)
    window.context.undo_stack.undo()
    assert "Company holiday (office closed)" in titles(window)


def test_deleting_several_lists_them(window: MainWindow, boxes, monkeypatch) -> None:
    select(window, HOLIDAY)
    picked = [HOLIDAY, LAUNCH, "spring-expo@demo.smarketing"]
    monkeypatch.setattr(window.calendar, "selected_uids", lambda: picked)
    monkeypatch.setattr(window.calendar, "selected_occurrences", lambda: [])
    assert window.calendar_actions.delete()
    _kind, title, text = boxes.shown[-1]
    assert title == "Delete items"
    assert text.startswith("Delete these 3 items?\n\n• “Company holiday (office closed)”")
    assert "• “Industrial Automation Expo”" in text
    assert window.context.undo_stack.undoText() == "Delete 3 items"


def test_deleting_one_occurrence_asks_this_one_or_the_series(
    window: MainWindow, boxes, monkeypatch
) -> None:
    today = dt.date.today()
    occurrence = next(
        o
        for o in occurrences_between(window.context.plan, today, today + dt.timedelta(days=13))
        if o.uid == SYNC
    )
    assert isinstance(occurrence, Occurrence) and occurrence.recurrence_id
    select(window, HOLIDAY)
    monkeypatch.setattr(window.calendar, "selected_uids", lambda: [SYNC])
    monkeypatch.setattr(window.calendar, "selected_occurrences", lambda: [occurrence])
    actions = window.calendar_actions
    boxes.answer = CANCEL
    assert not actions.delete()
    assert boxes.shown[-1] == (
        "ask",
        "Delete a repeating item",
        "“Pipeline sync (sales + marketing)” repeats. Delete only this occurrence, or the whole series?",
    )
    assert window.context.undo_stack.count() == 0
    boxes.answer = YES  # "Only this one"
    assert actions.delete()
    stored = item_edits.get_item(window.context.plan, SYNC)
    assert occurrence.recurrence_id in stored["exdates"] and stored["rrule"]
    days = [
        o.start
        for o in occurrences_between(window.context.plan, today, today + dt.timedelta(days=27))
        if o.uid == SYNC
    ]
    assert occurrence.start not in days and days  # the others are still there
    window.context.undo_stack.undo()
    boxes.answer = SERIES  # "Whole series"
    assert actions.delete()
    assert SYNC not in {i["uid"] for i in export_document(window.context.plan)["items"]}


def test_cut_puts_items_on_the_clipboard_and_removes_them_in_one_step(
    qtbot, window: MainWindow, boxes
) -> None:
    view = select(window, HOLIDAY)
    qtbot.keyClick(view, Qt.Key.Key_X, CTRL)
    assert not [s for s in boxes.shown if s[0] == "ask"]  # no question: it can be pasted back
    assert "Company holiday (office closed)" not in titles(window)
    assert decode_items(QGuiApplication.clipboard().mimeData())[0]["uid"] == HOLIDAY
    assert window.context.undo_stack.undoText() == "Cut “Company holiday (office closed)”"
    window.context.undo_stack.undo()
    assert "Company holiday (office closed)" in titles(window)


def test_move_to_backlog_unschedules_and_refuses_a_series(
    window: MainWindow, boxes, monkeypatch
) -> None:
    select(window, LAUNCH)
    window.calendar_actions.backlog_action.trigger()
    assert "Launch: Line Monitor 3.0" in [i.title for i in backlog(window.context.plan)]
    assert "Launch: Line Monitor 3.0" in [i.title for i in window.backlog.model.ideas]
    monkeypatch.setattr(window.calendar, "selected_uids", lambda: [SYNC])
    assert not window.calendar_actions.move_to_backlog()
    assert "repeats, so it cannot go back to the backlog" in boxes.texts()


def test_ctrl_n_opens_a_new_item_on_the_focused_day_from_any_tab(qtbot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.team)
    window.team.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert window.tabs.currentWidget() is window.calendar
    form = window.calendar_actions.dialog
    assert form is not None and form.dialog.isVisible() and form.dialog.windowTitle() == "New item"
    anchor = window.calendar.anchor_day()
    assert form.start_date.date().toPython() == anchor
    qtbot.keyClicks(form.title, "Roadshow kick-off")
    qtbot.mouseClick(form.ok_button, LEFT)
    assert [
        o.title
        for o in occurrences_between(window.context.plan, anchor, anchor)
        if o.title == "Roadshow kick-off"
    ]
    assert window.calendar.selected_uids() == [form.saved_uid]


def test_enter_edits_the_selected_item(qtbot, window: MainWindow) -> None:
    view = select(window, HOLIDAY)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    form = window.calendar_actions.dialog
    assert form is not None and form.dialog.isVisible()
    assert form.title.text() == "Company holiday (office closed)"


def test_the_team_tab_keeps_its_own_delete_key(qtbot, window: MainWindow, boxes) -> None:
    select(window, HOLIDAY)
    window.tabs.setCurrentWidget(window.team)
    window.team.table.selectRow(0)
    window.team.table.setFocus()
    qtbot.keyClick(window.team.table, Qt.Key.Key_Delete)
    assert boxes.shown, "the Team tab's Delete did not run"
    assert all(title != "Delete item" for _, title, _ in boxes.shown)
    assert "Company holiday (office closed)" in titles(window)


def test_the_context_menu_offers_the_actions(window: MainWindow) -> None:
    menu = window.calendar_actions.context_menu(window)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Edit item…",
        "Cu&t",
        "&Copy",
        "&Paste",
        "D&uplicate",
        "Move to &backlog",
        "&Delete",
        "&New item…",
    ]


@pytest.mark.parametrize(("answer", "scope"), [(YES, "one"), (SERIES, "series"), (CANCEL, None)])
def test_the_series_question_answers(window: MainWindow, boxes, answer, scope) -> None:
    boxes.answer = answer
    assert ask_series_scope(window, "<b>Weekly</b> & co", "Move") == scope
    assert boxes.shown[-1] == (
        "ask",
        "Move a repeating item",
        "“<b>Weekly</b> & co” repeats. Move only this occurrence, or the whole series?",
    )


def test_the_series_question_shows_titles_as_plain_text(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    seen = {}

    def look(box):
        seen["format"] = box.textFormat()
        seen["buttons"] = [b.text() for b in box.buttons()]
        return int(CANCEL.value)

    monkeypatch.setattr(QMessageBox, "exec", look)
    assert calendar_actions.ask_series_scope(window, "<img src=x>", "Resize") is None
    assert seen["format"] == Qt.TextFormat.PlainText
    assert {"Only this one", "Whole series"} <= set(seen["buttons"])


# --- File → Export calendar as PDF… ------------------------------------------------------


def test_the_calendar_pdf_from_the_file_menu(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "out" / "plan calendar"
    target.parent.mkdir()  # a save dialog only offers folders that exist
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.calendar.set_view("month")
    first, last = window.calendar.current_canvas().visible_range()
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert window.calendar_pdf_action in file_menu.actions()
    window.calendar_pdf_action.trigger()
    form = window.pdf_dialog
    assert form is not None and form.dialog.isVisible()
    assert form.period() == (first, last)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert (
        form.pages.text()
        == f"At least {months} landscape A4 page{'s' if months != 1 else ''}, one per month"
        " (more where one is too full for a page)"
    )
    closed: list[int] = []
    form.dialog.finished.connect(closed.append)
    with qtbot.waitSignal(form.exported, timeout=30_000):  # laid out off the GUI thread
        qtbot.mouseClick(form.ok_button, LEFT)
    written = target.with_name("plan calendar.pdf")
    assert written.is_file() and closed == [1]
    reader = PdfReader(str(written))
    assert len(reader.pages) == months
    text = "".join(page.extract_text() for page in reader.pages)
    shown = occurrences_between(window.context.plan, first, last)
    assert shown and all(
        o.title[:12] in text
        for o in shown
        if o.start.month == first.month or o.end.month == first.month
    )
    assert "Exported the calendar" in window.statusBar().currentMessage()


def test_three_months_print_three_pages_and_a_quarter_one(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    form = window.export_calendar_pdf()
    form.first.setDate(dt.date(2030, 1, 10))
    form.last.setDate(dt.date(2030, 3, 5))
    assert form.pages.text() == (
        "At least 3 landscape A4 pages, one per month (more where one is too full for a page)"
    )
    assert form.export_to(tmp_path / "q.pdf").wait()
    assert len(PdfReader(str(tmp_path / "q.pdf")).pages) == 3
    qtbot.mouseClick(form.quarter, LEFT)
    assert form.pages.text() == (
        "At least 1 landscape A4 page, one per quarter (more where one is too full for a page)"
    )
    assert form.export_to(tmp_path / "q.pdf").wait()
    assert len(PdfReader(str(tmp_path / "q.pdf")).pages) == 1


def test_the_pdf_can_follow_the_filter(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from smarketing_desktop.domain.filters import ItemFilter

    window.calendar.filter_bar.set_filter(ItemFilter(kinds=frozenset({"holiday"})))
    form = window.export_calendar_pdf()
    day = start_of(window, HOLIDAY)
    form.first.setDate(day)
    form.last.setDate(day)
    assert form.use_filter.isChecked()
    assert form.export_to(tmp_path / "holiday.pdf").wait()
    text = PdfReader(str(tmp_path / "holiday.pdf")).pages[0].extract_text()
    assert "Company holiday" in text and "Pipeline sync" not in text


def test_a_pdf_that_cannot_be_written_is_reported_and_leaves_nothing(
    qtbot, window: MainWindow, tmp_path: Path, boxes
) -> None:
    form = window.export_calendar_pdf()
    assert form.export_to(tmp_path).wait()  # a folder, not a file
    assert (
        boxes.shown[-1][1] == "Cannot export the calendar" and "is a folder" in boxes.shown[-1][2]
    )
    assert form.dialog.isVisible()
    form.last.setDate(dt.date(2000, 1, 1))
    assert not form.ok_button.isEnabled()
    assert form.problem.text() == "The period ends before it starts."
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_focus_in_the_backlog_makes_it_the_source(qtbot, window: MainWindow) -> None:
    select(window, HOLIDAY)
    assert window.calendar_actions.source() is window.calendar
    dock = window.backlog
    rect = dock.list.visualRect(dock.model.index(0))
    qtbot.mouseClick(dock.list.viewport(), LEFT, pos=rect.center())
    assert QApplication.focusWidget() is dock.list
    assert window.calendar_actions.source() is dock
    assert not window.calendar_actions.backlog_action.isEnabled()


def test_the_calendar_pdf_is_laid_out_off_the_gui_thread_and_can_be_cancelled(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    import threading
    import time

    from PySide6.QtWidgets import QPushButton

    from smarketing_desktop.gui import background
    from smarketing_desktop.gui.background import Task

    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    threads: list[str] = []
    check = Task.check

    def slow(self: Task, note: str = "", done: int = 0, total: int = 0) -> None:
        threads.append(threading.current_thread().name)
        time.sleep(0.05)  # a long period on a slow laptop
        check(self, note, done, total)

    monkeypatch.setattr(Task, "check", slow)
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "year.pdf"
    existing.write_bytes(b"the old printout")
    form = window.export_calendar_pdf()
    form.first.setDate(dt.date(2030, 1, 1))
    form.last.setDate(dt.date(2034, 12, 31))
    job = form.export_to(existing)
    assert form.job is job and not form.ok_button.isEnabled()  # one PDF at a time
    assert job.dialog is not None
    qtbot.waitUntil(lambda: job.dialog.isVisible() and "Reading" in job.dialog.labelText())
    with qtbot.waitSignal(job.cancelled, timeout=30_000):
        qtbot.mouseClick(job.dialog.findChild(QPushButton), LEFT)
    qtbot.waitUntil(lambda: form.job is None)
    assert threads and "MainThread" not in threads
    assert existing.read_bytes() == b"the old printout" and form.ok_button.isEnabled()
    assert form.dialog.isVisible() and "cancelled" in window.statusBar().currentMessage()
    assert [p.name for p in out.iterdir()] == ["year.pdf"]
