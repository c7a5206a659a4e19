"""The item dialog driven like a user: every field group stored, checks, undo, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.exchange.plan_json import export_document
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import occurrences_between

LEFT = Qt.MouseButton.LeftButton
HOSTILE = "<b>Launch</b> & <img src=x> مرحبا بالعالم 🎉 " + "Supercalifragilistic" * 8


@pytest.fixture
def context(qtbot, plan):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    context = PlanContext(plan, host)
    context.window = host
    return context


def items(context: PlanContext) -> list[dict]:
    return export_document(context.plan)["items"]


def new_dialog(context, **defaults) -> ItemDialog:
    form = open_item_dialog(context.window, context, defaults=defaults or {"start": "2030-05-06"})
    assert form.dialog.isVisible()
    return form


def choose(qtbot, combo, label: str) -> None:
    """Pick an entry of a combo by typing the start of its label, as the keyboard does
    (up to the first space: a space opens the combo's list)."""
    combo.setFocus()
    qtbot.keyClicks(combo, label.split()[0])
    assert combo.currentText().startswith(label), combo.currentText()


def test_a_new_item_with_every_field_group_is_stored(qtbot, context, boxes) -> None:
    form = new_dialog(context)
    assert not form.ok_button.isEnabled()  # no title yet
    assert form.problem.text() == ""  # but no scolding before the user did anything
    qtbot.keyClicks(form.title, "Spring product email")
    choose(qtbot, form.kind, "Email campaign")
    choose(qtbot, form.team, "Joint")
    choose(qtbot, form.owner, "Martha Diaz")
    choose(qtbot, form.status, "Approved")
    choose(qtbot, form.impact, "Big")
    # When: a timed item in Berlin time.
    qtbot.mouseClick(form.all_day, LEFT)
    assert form.start_time.isVisible() and form.zone.combo.isVisible()
    form.start_time.setTime(QTime(9, 30))
    form.end_time.setTime(QTime(11, 0))
    form.zone.combo.lineEdit().selectAll()
    qtbot.keyClicks(form.zone.combo.lineEdit(), "berlin")  # any part of the name, any case
    popup = form.zone.combo.completer().popup()
    assert popup.isVisible() and popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible() and form.zone.combo.currentText() == "Europe/Berlin"
    qtbot.keyClicks(form.location, "Hall 4, Hanover")
    qtbot.keyClicks(form.url, "example.com/spring")
    assert 'href="https://example.com/spring"' in form.url_open.text()
    qtbot.keyClicks(form.description, "Announce the launch.")
    qtbot.keyClick(form.description, Qt.Key.Key_Return)
    qtbot.keyClicks(form.description, "Second line.")
    # Audience.
    form.tabs.setCurrentIndex(1)
    olivia = form.personas.findItems("Operations Olivia", Qt.MatchFlag.MatchExactly)[0]
    olivia.setCheckState(Qt.CheckState.Checked)
    for channel in ("email", "LinkedIn", "EMAIL"):  # the repeat (any case) is not added
        qtbot.keyClicks(form.channels.entry, channel)
        qtbot.keyClick(form.channels.entry, Qt.Key.Key_Return)
        assert form.dialog.isVisible()  # Enter adds the channel, it does not press OK
    choose(qtbot, form.stage, "Decision")
    # Repeat: every 2 weeks on Monday and Wednesday, 6 times.
    form.tabs.setCurrentIndex(2)
    choose(qtbot, form.repeat, "Weekly")
    form.interval.setValue(2)
    qtbot.mouseClick(form.weekdays["MO"], LEFT)
    qtbot.mouseClick(form.weekdays["WE"], LEFT)
    qtbot.mouseClick(form.ends_after, LEFT)
    form.count.setValue(6)
    assert form.summary.text() == "Every 2 weeks on Monday and Wednesday, 6 times"
    # Goals and sign-off.
    form.tabs.setCurrentIndex(3)
    qtbot.mouseClick(form.signoff_marketing, LEFT)
    qtbot.mouseClick(form.add_goal, LEFT)
    table = form.goals.table
    table.item(0, 1).setText("new subscribers")
    table.item(0, 2).setText("200")
    qtbot.mouseClick(form.add_goal, LEFT)
    choose(qtbot, form.goals.team_combo(1), "Sales")
    table.item(1, 1).setText("hours to first follow-up")
    table.item(1, 2).setText("24")
    table.item(1, 3).setText("30.5")
    table.item(1, 4).setCheckState(Qt.CheckState.Checked)
    assert form.ok_button.isEnabled(), form.problem.text()

    qtbot.mouseClick(form.ok_button, LEFT)
    assert not form.dialog.isVisible()
    saved = item_edits.get_item(context.plan, form.saved_uid)
    assert {k: saved[k] for k in ("title", "kind", "team", "owner", "status", "impact")} == {
        "title": "Spring product email",
        "kind": "email_campaign",
        "team": "joint",
        "owner": "martha",
        "status": "approved",
        "impact": "big",
    }
    assert (saved["start"], saved["end"], saved["tz"]) == (
        "2030-05-06T09:30:00",
        "2030-05-06T11:00:00",
        "Europe/Berlin",
    )
    assert saved["location"] == "Hall 4, Hanover"
    assert saved["url"] == "https://example.com/spring"
    assert saved["description"] == "Announce the launch.\nSecond line."
    assert saved["personas"] == ["ops-olivia"]
    assert saved["channels"] == ["email", "LinkedIn"]
    assert saved["stage"] == "decision"
    assert saved["rrule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    assert saved["signoff"] == {"marketing": True, "sales": False}
    assert [
        (g["team"], g["metric"], g["target"], g["actual"], g["better"]) for g in saved["goals"]
    ] == [
        ("marketing", "new subscribers", 200, None, "higher"),
        ("sales", "hours to first follow-up", 24, 30.5, "lower"),
    ]
    assert context.undo_stack.count() == 1
    assert context.undo_stack.undoText() == "Add “Spring product email”"
    context.undo_stack.undo()
    assert form.saved_uid not in {i["uid"] for i in items(context)}
    assert not boxes.shown


def test_editing_loads_every_field_and_saves_one_undo_step(qtbot, context) -> None:
    uid = "spring-email@demo.smarketing"
    before = item_edits.get_item(context.plan, uid)
    form = open_item_dialog(context.window, context, uid)
    assert form.dialog.windowTitle() == f"Edit “{before['title']}”"
    assert form.title.text() == before["title"]
    assert form.kind.currentData() == "email_campaign"
    assert form.owner.currentData() == before["owner"]
    assert form.all_day.isChecked() and not form.start_time.isVisible()
    assert form.goals.table.rowCount() == len(before["goals"]) == 2
    assert form.signoff_marketing.isChecked() == before["signoff"]["marketing"]
    qtbot.mouseClick(form.signoff_sales, LEFT)
    form.title.selectAll()
    qtbot.keyClicks(form.title, "Line Monitor 3.0 launch email")
    qtbot.mouseClick(form.ok_button, LEFT)
    after = item_edits.get_item(context.plan, uid)
    assert after["title"] == "Line Monitor 3.0 launch email"
    assert after["signoff"]["sales"] is not before["signoff"]["sales"]
    # Everything the dialog did not touch is as it was.
    untouched = {k for k in before if k not in ("title", "signoff", "row_version")}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert item_edits.get_item(context.plan, uid)["title"] == before["title"]


def test_ok_without_a_change_adds_no_undo_step(qtbot, context) -> None:
    form = open_item_dialog(context.window, context, "holiday@demo.smarketing")
    qtbot.mouseClick(form.ok_button, LEFT)
    assert not form.dialog.isVisible()
    assert context.undo_stack.count() == 0


@pytest.mark.parametrize(
    ("make_it_wrong", "message"),
    [
        (lambda qtbot, form: form.title.clear(), "Give the item a title."),
        (
            lambda qtbot, form: form.end_date.setDate(QDate(2030, 5, 1)),
            "The item ends before it starts.",
        ),
        (
            lambda qtbot, form: qtbot.keyClicks(form.url, "not a link"),
            "“not a link” is not a web address",
        ),
        (
            lambda qtbot, form: qtbot.keyClicks(form.url, "javascript:alert(1)"),
            "is not a web address",
        ),
        (lambda qtbot, form: form.title.setText("Nul\x00here"), "Title contains a NUL character"),
        (
            lambda qtbot, form: form.description.setPlainText("a\x00b"),
            "Description contains a NUL character",
        ),
        (
            lambda qtbot, form: (
                choose(qtbot, form.repeat, "Custom rule"),
                qtbot.keyClicks(form.rule, "EVERY TUESDAY"),
            ),
            "“EVERY TUESDAY” is not a repeat rule",
        ),
        (
            lambda qtbot, form: (
                choose(qtbot, form.repeat, "Custom rule"),
                qtbot.keyClicks(form.rule, "FREQ=WEEKLY;BYDAY=XX"),
            ),
            "The repeat rule “FREQ=WEEKLY;BYDAY=XX”: not a valid recurrence rule",
        ),
        (
            lambda qtbot, form: (
                form.all_day.setChecked(False),
                form.zone.combo.lineEdit().setText("Mars/Olympus"),
            ),
            "“Mars/Olympus” is not a time zone",
        ),
        (
            lambda qtbot, form: (form.goals.add(), form.goals.table.item(0, 1).setText("")),
            "Goal 1 needs a metric",
        ),
        (
            lambda qtbot, form: (
                form.goals.add(),
                form.goals.table.item(0, 1).setText("leads"),
                form.goals.table.item(0, 2).setText("lots"),
            ),
            "Goal 1, target: “lots” is not a number.",
        ),
    ],
)
def test_what_cannot_be_stored_disables_ok_with_a_clear_message(
    qtbot, context, make_it_wrong, message
) -> None:
    form = new_dialog(context)
    qtbot.keyClicks(form.title, "Webinar")
    assert form.ok_button.isEnabled()
    make_it_wrong(qtbot, form)
    form._check()  # table cells edited in code do not all signal; the user's edits do
    assert not form.ok_button.isEnabled()
    assert message in form.problem.text()
    before = items(context)
    form.dialog.activateWindow()
    qtbot.waitUntil(form.dialog.isActiveWindow)
    qtbot.keyClick(form.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.dialog.isVisible() and items(context) == before


def test_start_moves_the_end_along_like_a_calendar(qtbot, context) -> None:
    form = new_dialog(context, start="2030-05-06", end="2030-05-08")
    form.start_date.setDate(QDate(2030, 5, 10))
    assert form.end_date.date() == QDate(2030, 5, 12)


def test_a_weekly_series_with_skipped_dates_is_stored_as_rrule_and_exdate(
    qtbot, context, boxes
) -> None:
    form = new_dialog(context, start="2030-05-06")  # a Monday
    qtbot.keyClicks(form.title, "Stand-up")
    form.tabs.setCurrentIndex(2)
    choose(qtbot, form.repeat, "Weekly")
    qtbot.mouseClick(form.ends_on, LEFT)
    form.until.setDate(QDate(2030, 6, 30))
    assert form.summary.text() == "Every week on Monday, until 30 Jun 2030"
    form.skip_date.setDate(QDate(2030, 5, 20))
    qtbot.mouseClick(form.add_skip, LEFT)
    form.skip_date.setDate(QDate(2030, 5, 21))  # a Tuesday: not a date of the series
    qtbot.mouseClick(form.add_skip, LEFT)
    assert boxes.shown[-1][1] == "Not a date of this series"
    assert form.skipped.count() == 1 and form.skipped.item(0).text() == "Mon 20 May 2030"
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, form.saved_uid)
    assert saved["rrule"] == "FREQ=WEEKLY;UNTIL=20300630"
    assert saved["exdates"] == ["2030-05-20"]
    days = [
        o.start
        for o in occurrences_between(context.plan, dt.date(2030, 5, 1), dt.date(2030, 7, 31))
        if o.uid == form.saved_uid
    ]
    assert dt.date(2030, 5, 20) not in days and dt.date(2030, 5, 27) in days
    assert days[-1] == dt.date(2030, 6, 24)


def test_a_timed_series_skips_at_its_own_time_and_unskips(qtbot, context) -> None:
    uid = "pipeline-sync@demo.smarketing"  # weekly on Monday 09:30
    series = item_edits.get_item(context.plan, uid)
    first = dt.date.fromisoformat(series["start"][:10])
    form = open_item_dialog(context.window, context, uid)
    assert form.repeat.currentData() == "WEEKLY" and form.weekdays["MO"].isChecked()
    skipped = first + dt.timedelta(weeks=3)
    form.skip_date.setDate(QDate(skipped.year, skipped.month, skipped.day))
    qtbot.mouseClick(form.add_skip, LEFT)
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, uid)
    assert saved["exdates"] == [*series["exdates"], f"{skipped.isoformat()}T09:30:00"]

    form = open_item_dialog(context.window, context, uid)
    form.skipped.item(form.skipped.count() - 1).setSelected(True)
    qtbot.mouseClick(form.remove_skip, LEFT)
    qtbot.mouseClick(form.ok_button, LEFT)
    assert item_edits.get_item(context.plan, uid)["exdates"] == series["exdates"]


def test_a_rule_the_simple_choices_cannot_show_stays_as_custom_text(qtbot, context) -> None:
    form = open_item_dialog(context.window, context, "newsletter@demo.smarketing")
    assert form.repeat.currentData() == "CUSTOM"
    assert form.rule.text() == "FREQ=MONTHLY;BYDAY=-1WE"
    assert form.summary.text() == "Every month on the last Wednesday"
    assert not form.interval.isEnabled()
    choose(qtbot, form.repeat, "Does not repeat")
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, "newsletter@demo.smarketing")
    assert saved["rrule"] is None and saved["exdates"] == [] and saved["overrides"] == []


def test_opening_one_occurrence_says_the_series_is_edited(qtbot, context) -> None:
    today = dt.date.today()
    occurrence = next(
        o
        for o in occurrences_between(context.plan, today, today + dt.timedelta(days=14))
        if o.uid == "pipeline-sync@demo.smarketing"
    )
    assert isinstance(occurrence, Occurrence) and occurrence.recurrence_id
    form = open_item_dialog(context.window, context, occurrence.uid, occurrence=occurrence)
    assert form.series_note.isVisible()
    assert "whole series" in form.series_note.text()
    single = open_item_dialog(context.window, context, "holiday@demo.smarketing")
    assert not single.series_note.isVisible()


def test_hostile_text_is_kept_literally(qtbot, context) -> None:
    form = new_dialog(context)
    form.title.setText(HOSTILE)
    qtbot.keyClicks(form.location, "<script>alert(1)</script> & co")
    form.description.setPlainText("&amp; is not &\n\u202eRTL override")
    form.tabs.setCurrentIndex(1)
    qtbot.keyClicks(form.channels.entry, "<i>ads</i>")
    qtbot.keyClick(form.channels.entry, Qt.Key.Key_Return)
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, form.saved_uid)
    assert saved["title"] == HOSTILE
    assert saved["location"] == "<script>alert(1)</script> & co"
    assert saved["description"] == "&amp; is not &\n\u202eRTL override"
    assert saved["channels"] == ["<i>ads</i>"]
    again = open_item_dialog(context.window, context, form.saved_uid)
    assert again.title.text() == HOSTILE
    assert again.dialog.windowTitle() == f"Edit “{HOSTILE[:60]}”"


def test_a_link_is_clickable_and_cannot_break_out_of_its_href(qtbot, context, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(
        "smarketing_desktop.gui.item_dialog.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()) or True,
    )
    form = new_dialog(context)
    qtbot.keyClicks(form.url, 'https://example.com/a"onclick="x<b>')
    assert 'onclick="x' not in form.url_open.text()
    form.url_open.linkActivated.emit("https://example.com/a")
    assert opened == ["https://example.com/a"]


def test_cancel_and_escape_change_nothing(qtbot, context) -> None:
    before = items(context)
    form = open_item_dialog(context.window, context, "holiday@demo.smarketing")
    form.title.setText("Something else")
    qtbot.keyClick(form.dialog, Qt.Key.Key_Escape)
    assert not form.dialog.isVisible()
    form = new_dialog(context)
    qtbot.keyClicks(form.title, "Never stored")
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Cancel), LEFT)
    assert items(context) == before
    assert context.undo_stack.count() == 0


def test_ctrl_enter_is_ok(qtbot, context) -> None:
    form = new_dialog(context)
    form.dialog.activateWindow()
    qtbot.waitUntil(form.dialog.isActiveWindow)  # as a window manager does for a new dialog
    qtbot.keyClicks(form.title, "Quick one")
    form.description.setFocus()
    qtbot.keyClicks(form.description, "typed here")
    qtbot.keyClick(form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not form.dialog.isVisible()
    assert item_edits.get_item(context.plan, form.saved_uid)["description"] == "typed here"


def test_a_stale_copy_is_refused_clearly_and_the_dialog_stays(qtbot, context, boxes) -> None:
    uid = "holiday@demo.smarketing"
    form = open_item_dialog(context.window, context, uid)
    form.title.setText("Office closed")
    item_edits.shift_items(context.plan, [uid], days=1)  # another window moves it meanwhile
    moved = item_edits.get_item(context.plan, uid)
    qtbot.mouseClick(form.ok_button, LEFT)
    assert form.dialog.isVisible()
    assert boxes.shown[-1][0] == "warning"
    assert "changed in another window" in boxes.shown[-1][2]
    assert item_edits.get_item(context.plan, uid) == moved
    assert context.undo_stack.count() == 0


def test_a_new_idea_has_no_dates_and_no_repeat(qtbot, context) -> None:
    form = open_item_dialog(context.window, context, defaults={"status": "idea"})
    assert form.dialog.windowTitle() == "New idea"
    assert not form.scheduled.isChecked() and not form.start_date.isEnabled()
    assert not form.tabs.isTabEnabled(2)
    qtbot.keyClicks(form.title, "Podcast series")
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, form.saved_uid)
    assert (saved["start"], saved["end"], saved["status"]) == (None, None, "idea")


def test_an_item_imported_with_a_fixed_offset_keeps_it(qtbot, context) -> None:
    item_edits.create_item(
        context.plan,
        {
            "uid": "offset@x",
            "title": "Call with Lisbon",
            "kind": "meeting",
            "start": "2030-02-01T15:00:00+01:00",
            "end": "2030-02-01T16:00:00+01:00",
        },
    )
    form = open_item_dialog(context.window, context, "offset@x")
    assert form.zone.combo.currentText() == "UTC+01:00 (fixed offset)"
    form.title.setText("Call with Lisbon office")
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, "offset@x")
    assert saved["start"] == "2030-02-01T15:00:00+01:00" and saved["tz"] is None


def test_moved_occurrences_are_listed_and_kept(qtbot, context) -> None:
    uid = "pipeline-sync@demo.smarketing"
    series = item_edits.get_item(context.plan, uid)
    first = dt.date.fromisoformat(series["start"][:10])
    moved_from = first + dt.timedelta(weeks=2)
    moved_to = moved_from + dt.timedelta(days=1)
    item_edits.move_occurrence(
        context.plan,
        uid,
        f"{moved_from.isoformat()}T09:30:00",
        moved_to,
        moved_to,
        dt.time(11, 0),
        dt.time(11, 30),
    )
    form = open_item_dialog(context.window, context, uid)
    assert form.moved.count() == 1
    assert form.moved.item(0).text() == (
        f"{moved_from:%a} {moved_from.day} {moved_from:%b %Y} 09:30  →  "
        f"{moved_to:%a} {moved_to.day} {moved_to:%b %Y} 11:00"
    )
    form.title.setText("Pipeline sync")
    qtbot.mouseClick(form.ok_button, LEFT)
    saved = item_edits.get_item(context.plan, uid)
    assert saved["title"] == "Pipeline sync"
    assert [o["start"] for o in saved["overrides"]] == [f"{moved_to.isoformat()}T11:00:00"]


def test_tab_goes_through_the_fields_in_reading_order(qtbot, context) -> None:
    form = new_dialog(context)
    form.dialog.activateWindow()
    qtbot.waitUntil(form.dialog.isActiveWindow)
    form.title.setFocus()
    order = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget().objectName())
    assert order == [
        "kindCombo",
        "teamCombo",
        "ownerCombo",
        "statusCombo",
        "impactCombo",
        "scheduledCheck",
    ]


def test_opening_another_plan_closes_the_dialog(qtbot, context, tmp_path) -> None:
    from smarketing_desktop.store.planfile import create_plan

    form = new_dialog(context)
    qtbot.keyClicks(form.title, "Meant for the demo plan")
    context.replace_plan(create_plan(tmp_path / "Other.smplan", name="Other"))
    assert not form.dialog.isVisible()
    assert items(context) == []
