"""Editing items as a user does, where QA found faults: the Repeat tab's checks and its
custom rule, a series whose start moves, SLA-kept meetings, a new item behind a filter,
undo texts with '&', mixed drags in the week view and undo of an import."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.week_view import WeekView
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.services.slas import review_item_uid
from smarketing_desktop.store.planfile import Plan
from tests.core.ical_support import DATA
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import add, day, drag, point, shapes, show

calendar_plan, scope = helpers.calendar_plan, helpers.scope
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def context(qtbot, calendar_plan: Plan) -> PlanContext:
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    context = PlanContext(calendar_plan, host)
    context.window = host
    return context


def choose(qtbot, combo, label: str) -> None:
    combo.setFocus()
    # A pause, as between a person's two choices: typed letters search as one word.
    qtbot.wait(QApplication.keyboardInputInterval() + 50)
    qtbot.keyClicks(combo, label.split()[0])
    assert combo.currentText().startswith(label), combo.currentText()


def custom_rule(qtbot, form: ItemDialog, text: str) -> None:
    form.tabs.setCurrentWidget(form.dialog.findChild(QWidget, "repeatTab"))
    choose(qtbot, form.repeat, "Custom rule")
    form.rule.clear()
    qtbot.keyClicks(form.rule, text)


def new_form(qtbot, context: PlanContext) -> ItemDialog:
    form = open_item_dialog(
        context.window,
        context,
        defaults={"start": "2030-01-21T09:00:00", "end": "2030-01-21T10:00:00"},
    )
    qtbot.keyClicks(form.title, "Standup & sync")
    return form


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MINUTELY", "at most daily"),
        ("FREQ=HOURLY;COUNT=5", "at most daily"),
        ("FREQ=WEEKLY;COUNT=0", "never occurs"),
        ("FREQ=DAILY;UNTIL=20300101", "never occurs"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31", "never occurs"),
        ("FREQ=DAILY;COUNT=999999", "more than"),
    ],
)
def test_the_custom_rule_field_refuses_rules_a_plan_cannot_show(
    qtbot, context, rule: str, words: str
) -> None:
    before = plan_json.export_plan(context.plan)
    form = new_form(qtbot, context)
    custom_rule(qtbot, form, rule)
    assert words in form.problem.text() and not form.ok_button.isEnabled()
    form.accept()  # Ctrl+Enter too: nothing is stored
    assert form.dialog.isVisible()
    assert plan_json.export_plan(context.plan) == before


def test_a_utc_until_from_outlook_is_taken_and_stored_in_the_items_time(qtbot, context) -> None:
    form = new_form(qtbot, context)
    form.zone.set_value("Europe/Berlin")
    custom_rule(qtbot, form, "FREQ=WEEKLY;BYDAY=MO;UNTIL=20300203T225959Z")
    assert form.problem.text() == "" and form.ok_button.isEnabled()
    qtbot.mouseClick(form.ok_button, LEFT)
    (saved,) = [d for d in plan_json.export_document(context.plan)["items"]
                if d["title"] == "Standup & sync"]  # fmt: skip
    assert saved["rrule"] == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20300203T235959"
    shown = [o for o in occurrences_between(context.plan, day(1), day(31)) if o.uid == saved["uid"]]
    assert [o.start for o in shown] == [day(21), day(28)]


def test_the_custom_rule_survives_a_look_at_another_choice(qtbot, context) -> None:
    form = new_form(qtbot, context)
    custom_rule(qtbot, form, "FREQ=MONTHLY;BYDAY=-1WE")
    choose(qtbot, form.repeat, "Weekly")
    assert form.rule.text().startswith("FREQ=WEEKLY")
    choose(qtbot, form.repeat, "Custom rule")
    assert form.rule.text() == "FREQ=MONTHLY;BYDAY=-1WE"
    assert "last Wednesday" in form.summary.text()


def test_moving_the_start_of_a_series_moves_its_rule_and_exceptions(
    qtbot, context, calendar_plan
) -> None:
    # Pipeline sync: Mondays from 7 January; skip the 21st, move the 14th to Wednesday.
    item_edits.skip_occurrence(calendar_plan, "sync@t", "2030-01-21T09:00:00")
    item_edits.move_occurrence(
        calendar_plan, "sync@t", "2030-01-14T09:00:00", day(16), day(16), *[
            dt.time(11), dt.time(11, 30)]
    )  # fmt: skip
    form = open_item_dialog(context.window, context, "sync@t")
    form.tabs.setCurrentWidget(form.dialog.findChild(QWidget, "repeatTab"))
    assert form.weekdays["MO"].isChecked() or form.rule.text() == "FREQ=WEEKLY;BYDAY=MO;COUNT=8"
    form.start_date.setFocus()
    form.start_date.setDate(QDate(2030, 1, 8))  # Monday -> Tuesday
    assert "BYDAY=TU" in form.rule.text()
    assert form.skipped.item(0).text().startswith("Tue 22 Jan")
    assert form.moved.item(0).text().startswith("Tue 15 Jan")
    qtbot.mouseClick(form.ok_button, LEFT)
    stored = item_edits.get_item(calendar_plan, "sync@t")
    assert stored["start"] == "2030-01-08T09:00:00" and "BYDAY=TU" in stored["rrule"]
    assert stored["exdates"] == ["2030-01-22T09:00:00"]
    assert stored["overrides"][0]["recurrence_id"] == "2030-01-15T09:00:00"
    # Every exception sits on a day the series has: nothing comes back as an extra meeting.
    shown = [o for o in occurrences_between(calendar_plan, day(1), day(31)) if o.uid == "sync@t"]
    assert [o.start.day for o in shown] == [8, 17, 29]  # the moved one moved along
    context.undo_stack.undo()
    assert item_edits.get_item(calendar_plan, "sync@t")["start"] == "2030-01-07T09:00:00"


def test_undo_texts_show_an_ampersand_once_and_stay_short(qtbot, context, calendar_plan) -> None:
    add(calendar_plan, "amp@t", "R&D " + "review " * 20, "2030-01-18")
    view = WeekView(context)
    show(qtbot, view)
    undo = context.undo_stack.createUndoAction(view, "&Undo")
    occurrence = shapes(view, "amp@t")[0].occurrence
    assert view.edits.move([occurrence], 1)
    assert undo.iconText().startswith("Undo Move “R&D review")  # as the toolbar shows it
    assert undo.text().startswith("&Undo Move “R&&D review")  # the menu's one '&'
    assert len(undo.iconText()) <= len("Undo ") + 50
    # The undo history keeps the whole text.
    assert context.undo_stack.command(0).text().startswith("Move “R&D review")


def test_a_drag_of_a_day_less_half_an_hour_moves_the_all_day_bar_a_whole_day(
    qtbot, context, calendar_plan
) -> None:
    view = WeekView(context)
    show(qtbot, view)
    qtbot.mouseClick(view.viewport(), LEFT, pos=point(view, "expo@t"))
    qtbot.mouseClick(
        view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier, point(view, "call@t")
    )
    assert set(view.selected_uids()) == {"expo@t", "call@t"}
    # Partner call, Wed 14:00: grabbed at its middle (14:30), dropped on Thursday at 14:00.
    drag(qtbot, view, point(view, "call@t"), view.slot_center(day(17), 14 * 60).toPoint())
    call = item_edits.get_item(calendar_plan, "call@t")
    assert call["start"] == "2030-01-17T13:30:00"
    expo = item_edits.get_item(calendar_plan, "expo@t")
    assert (expo["start"], expo["end"]) == ("2030-01-15", "2030-01-17")
    assert context.undo_stack.count() == 1


def test_an_slas_review_meeting_is_shown_read_only_and_not_dragged(
    qtbot, window: MainWindow, boxes
) -> None:
    uid = review_item_uid("joint-sla")
    before = item_edits.get_item(window.plan, uid)
    form = window.calendar_actions._open(uid)
    assert form.managed_box.isVisible()
    assert "Managed by SLA “Sales and marketing SLA”" in form.managed_note.text()
    assert not form.ok_button.isVisible()
    assert form.title.isReadOnly() and not form.repeat.isEnabled()
    qtbot.mouseClick(form.open_slas, LEFT)
    assert window.tabs.currentWidget() is window.slas
    assert window.slas.current_sla_id() == "joint-sla"
    assert not form.dialog.isVisible()
    occurrence = next(
        o
        for o in occurrences_between(window.plan, dt.date(2026, 1, 1), dt.date(2028, 1, 1))
        if o.uid == uid
    )
    assert not window.calendar.month_view.edits.move([occurrence], 1)
    assert "SLAs tab" in window.statusBar().currentMessage()
    assert item_edits.get_item(window.plan, uid) == before
    assert window.context.undo_stack.count() == 0 and not boxes.shown


def test_an_slas_review_meeting_cannot_be_deleted_or_cut_on_the_calendar(
    qtbot, window: MainWindow, boxes
) -> None:
    uid = review_item_uid("joint-sla")
    before = item_edits.get_item(window.plan, uid)
    calendar = window.calendar
    window.tabs.setCurrentWidget(calendar)
    calendar.set_view("month")
    calendar.show_day(dt.date.fromisoformat(str(before["start"])[:10]))
    calendar.select_uids([uid])
    assert calendar.selected_uids() == [uid]
    view = calendar.current_canvas()
    assert view is not None
    view.setFocus()
    for key, modifier in (
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier),
    ):
        window.statusBar().clearMessage()
        qtbot.keyClick(view, key, modifier)
        assert "follow SLA “Sales and marketing SLA”" in window.statusBar().currentMessage()
        assert "SLAs tab" in window.statusBar().currentMessage()
    # Nothing asked, nothing copied, nothing changed, nothing to undo.
    assert not boxes.shown
    assert item_edits.get_item(window.plan, uid) == before
    assert window.context.undo_stack.count() == 0


def test_a_new_item_hidden_by_the_filter_clears_it_and_says_so(qtbot, window: MainWindow) -> None:
    bar = window.calendar.filter_bar
    bar.set_filter(ItemFilter(teams=frozenset({"sales"})))
    form = window.calendar_actions.new_item()
    qtbot.keyClicks(form.title, "Marketing webinar")
    choose(qtbot, form.team, "Marketing")
    qtbot.mouseClick(form.ok_button, LEFT)
    assert bar.filter().is_empty
    assert "Filter cleared to show the new item “Marketing webinar”" in (
        window.statusBar().currentMessage()
    )
    uid = form.saved_uid
    assert uid in window.calendar.selected_uids()


def test_a_new_item_the_filter_shows_keeps_the_filter(qtbot, window: MainWindow) -> None:
    bar = window.calendar.filter_bar
    bar.set_filter(ItemFilter(teams=frozenset({"sales"})))
    form = window.calendar_actions.new_item()
    qtbot.keyClicks(form.title, "Sales call")
    choose(qtbot, form.team, "Sales")
    qtbot.mouseClick(form.ok_button, LEFT)
    assert bar.filter().teams == frozenset({"sales"})


def test_an_import_can_be_undone_after_any_undo_and_redo(
    qtbot, window: MainWindow, boxes, scope
) -> None:
    scope.answer = "series"
    before = plan_json.export_plan(window.plan)
    dialog = window.ical.import_files([DATA / "google.ics"])
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20000)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    after = plan_json.export_plan(window.plan)
    stack = window.context.undo_stack
    for _ in range(3):
        stack.undo()
        assert plan_json.export_plan(window.plan) == before
        stack.redo()
        assert plan_json.export_plan(window.plan) == after
    stack.undo()
    assert plan_json.export_plan(window.plan) == before and stack.count() == 1
    # A later step on an imported item, undone: the import's undo still works.
    stack.redo()
    imported = next(
        o
        for o in occurrences_between(window.plan, dt.date(2024, 1, 1), dt.date(2028, 12, 31))
        if o.uid.endswith("@google.com")
    )
    assert window.calendar.month_view.edits.move([imported], 2)
    stack.undo()
    assert plan_json.export_plan(window.plan) == after
    stack.undo()
    assert plan_json.export_plan(window.plan) == before
    assert stack.count() == 2 and not boxes.shown


def test_a_failing_step_never_leaves_the_undo_macro_open(
    qtbot, context, calendar_plan, monkeypatch: pytest.MonkeyPatch, scope
) -> None:
    view = WeekView(context)
    show(qtbot, view)
    scope.answer = "one"
    call = shapes(view, "call@t")[0].occurrence
    sync = next(o for o in view.occurrences if o.uid == "sync@t")
    calls = []

    def failing(command) -> bool:
        calls.append(command)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(context, "execute", failing)
    with pytest.raises(RuntimeError):
        view.edits.move([call, sync], 1)
    monkeypatch.undo()
    assert calls and context.undo_stack.count() == 0  # no empty step left behind
    # The stack takes ordinary steps again (an open macro would swallow them).
    assert view.edits.move([shapes(view, "call@t")[0].occurrence], 1)
    assert context.undo_stack.count() == 1
