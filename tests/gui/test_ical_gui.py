"""The calendar exchange in the window, driven like a user: menus, clicks, typing, drops.

Checked on screen (counts, labels, the status bar) and in the plan (read back through the
plan exchange document) or in the written file.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QListWidget, QMenu

from smarketing_desktop.exchange import plan_json
from smarketing_desktop.gui.ical_import_dialog import ImportDialog
from smarketing_desktop.gui.mainwindow import MainWindow, RenamePlan
from smarketing_desktop.services.publish import get_publish_settings
from tests.core.ical_support import DATA, events, record_publish_writes

HOSTILE = "<b>Bold</b> & <img src=x> مرحبا 🚀 " + "W" * 300


def trigger(window: MainWindow, menu_title: str, text: str) -> None:
    """Choose a menu entry the way a user does (by its visible text)."""
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == menu_title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            for entry in menu.actions():
                if entry.text().replace("&", "") == text:
                    entry.trigger()
                    return
    raise AssertionError(f"no {menu_title} → {text}")


def items(window: MainWindow) -> dict[str, dict[str, Any]]:
    return {i["uid"]: i for i in plan_json.export_document(window.plan)["items"]}


def tick(qtbot, widget: QListWidget, text: str) -> None:
    """Click the check box of the entry ``text``."""
    (item,) = widget.findItems(text, Qt.MatchFlag.MatchExactly)
    before = item.checkState()
    rect = widget.visualItemRect(item)
    qtbot.mouseClick(
        widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.left() + 12, rect.center().y()),
    )
    assert item.checkState() != before


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[str]:
    asked: list[str] = []

    def answer(_parent: Any, title: str, *_args: Any, **_kwargs: Any) -> tuple[str, str]:
        asked.append(title)
        return (str(path) if path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def wait_preview(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(
        lambda: dialog.preview is not None or bool(dialog.problem.text()), timeout=20000
    )


def test_export_with_the_same_choices_as_the_command_line(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trigger(window, "File", "Export iCal…")
    form = window.ical.dialog
    assert form is not None and form.dialog.isVisible()
    everything = int(form.count.text().split()[0])
    assert everything >= 20 and form.count.text().endswith("events will be written.")
    tick(qtbot, form.filters.teams, "Sales")
    tick(qtbot, form.filters.kinds, "Promotion")
    assert form.count.text() == "1 event will be written."
    qtbot.mouseClick(form.filters.range_check, Qt.MouseButton.LeftButton)
    form.filters.first.setDate(form.filters.first.date().addYears(5))
    form.filters.last.setDate(form.filters.first.date())
    assert form.count.text() == "No item matches these choices." and not form.ok_button.isEnabled()
    qtbot.mouseClick(form.filters.range_check, Qt.MouseButton.LeftButton)
    # Cancelling the save dialog writes nothing and keeps the choices open.
    out = tmp_path / "sales promos"
    asked = save_as(monkeypatch, None)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert asked == ["Export iCal"] and form.dialog.isVisible() and not list(tmp_path.glob("*.ics"))
    save_as(monkeypatch, out)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.dialog.isVisible(), timeout=10000)  # written off-thread
    written = tmp_path / "sales promos.ics"  # .ics added to the name the user typed
    assert set(events(written.read_bytes())) == {"expo-special@demo.smarketing"}
    assert window.statusBar().currentMessage() == f"Exported 1 event to {written}"


def test_an_export_that_cannot_be_written_says_why_and_stays_open(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    blocked = tmp_path / "gone"
    blocked.write_text("a file where a folder should be")
    form = window.ical.export_calendar()
    save_as(monkeypatch, blocked / "calendar.ics")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=10000)
    assert boxes.shown[0][1] == "Cannot export the calendar" and "Cannot write" in boxes.shown[0][2]
    assert form.dialog.isVisible() and form.ok_button.isEnabled()


def test_import_preview_then_import_then_undo_and_redo(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan_json.export_plan(window.plan)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        lambda *a, **k: ([str(DATA / "outlook.ics"), str(DATA / "thunderbird.ics")], ""),
    )
    trigger(window, "File", "Import iCal…")
    dialog = window.ical.dialog
    assert isinstance(dialog, ImportDialog)
    wait_preview(qtbot, dialog)
    shown = {name: label.text() for name, label in dialog.counts.items()}
    assert shown == {"added": "6", "updated": "0", "unchanged": "0", "skipped": "3"}
    reasons = [dialog.reasons.item(n).text() for n in range(dialog.reasons.count())]
    assert "thunderbird.ics: “Event without a start”: it has no start (DTSTART)" in reasons
    assert dialog.defaults_note.text() == "Of the new events, 1 names no kind and 5 name no team."
    assert plan_json.export_plan(window.plan) == before  # a preview writes nothing
    # The user picks the defaults with the keyboard, then imports.
    dialog.kind.setFocus()
    qtbot.keyClicks(dialog.kind, "Meeting")
    dialog.team.setFocus()
    qtbot.keyClicks(dialog.team, "Sales")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.dialog.isVisible()
    stored = items(window)
    call = stored["outlook-distributor-call@acme.example"]
    assert (call["kind"], call["team"], call["tz"]) == ("meeting", "sales", "America/New_York")
    assert "6 added" in window.statusBar().currentMessage()
    assert window.context.undo_stack.undoText().startswith("Import 6 events from")
    after = plan_json.export_plan(window.plan)
    window.undo_action.trigger()
    assert "outlook-distributor-call@acme.example" not in items(window)
    assert plan_json.export_plan(window.plan) == before
    window.redo_action.trigger()
    assert plan_json.export_plan(window.plan) == after


def test_reimport_shows_updates_and_undo_restores_the_items_exactly(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    first = window.ical.import_files([DATA / "google.ics"])
    wait_preview(qtbot, first)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    before = plan_json.export_plan(window.plan)
    changed = tmp_path / "google.ics"
    changed.write_bytes(
        (DATA / "google.ics").read_bytes().replace(b"SUMMARY:Sales standup", b"SUMMARY:Standup")
    )
    second = window.ical.import_files([changed])
    wait_preview(qtbot, second)
    assert (second.counts["updated"].text(), second.counts["unchanged"].text()) == ("1", "3")
    qtbot.mouseClick(second.ok_button, Qt.MouseButton.LeftButton)
    assert items(window)["weekly-standup-9a8b7c@google.com"]["title"] == "Standup"
    window.activateWindow()  # the dialog has gone; shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert plan_json.export_plan(window.plan) == before


def test_nothing_is_written_on_cancel(qtbot, window: MainWindow) -> None:
    before = plan_json.export_plan(window.plan)
    dialog = window.ical.import_files([DATA / "apple.ics"])
    wait_preview(qtbot, dialog)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.dialog.isVisible()
    assert plan_json.export_plan(window.plan) == before
    assert window.context.undo_stack.count() == 0


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("truncated.ics", "is cut off"),
        ("binary.ics", "is a binary file"),
        ("empty.ics", "is empty"),
        ("not-icalendar.ics", "is not an iCalendar file"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(
    qtbot, window: MainWindow, name: str, words: str, boxes
) -> None:
    before = plan_json.export_plan(window.plan)
    dialog = window.ical.import_files([DATA / "google.ics", DATA / name])
    wait_preview(qtbot, dialog)
    assert words in dialog.problem.text() and "Nothing was imported." in dialog.problem.text()
    assert not dialog.ok_button.isEnabled() and not dialog.progress.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert plan_json.export_plan(window.plan) == before and boxes.shown == []


def test_hostile_text_is_shown_and_stored_literally(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:h@x\r\nDTSTART;VALUE=DATE:20270301\r\nSUMMARY:{HOSTILE}\r\n"
        "LOCATION:Hall 3\\, Booth <7>\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nSUMMARY:{HOSTILE}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    dialog = window.ical.import_files([path])
    wait_preview(qtbot, dialog)
    reasons = [dialog.reasons.item(n).text() for n in range(dialog.reasons.count())]
    assert reasons == [f"hostile.ics: “{HOSTILE}”: it has no start (DTSTART)"]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    item = items(window)["h@x"]
    assert (item["title"], item["location"]) == (HOSTILE, "Hall 3, Booth <7>")


def _slow_reading(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make each progress step of the reader take a while, as on a slow laptop."""
    from smarketing_desktop.gui.background import Task

    check = Task.check

    def slow(self: Any, note: str = "", done: int = 0, total: int = 0) -> None:
        time.sleep(seconds)  # long enough to watch the window while it reads
        check(self, note, done, total)

    monkeypatch.setattr(Task, "check", slow)


def _big_file(tmp_path: Path, count: int) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN"]
    start = dt.date(2027, 1, 1)
    for n in range(count):
        day = start + dt.timedelta(days=n % 365)
        lines += ["BEGIN:VEVENT", f"UID:big-{n}@x", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"SUMMARY:Event {n}", "CATEGORIES:Webinar", "END:VEVENT"]  # fmt: skip
    path = tmp_path / "big.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8", newline="")
    return path


def test_a_big_file_shows_progress_and_the_window_stays_responsive(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big_file(tmp_path, 1500)
    _slow_reading(monkeypatch, 0.01)
    dialog = window.ical.import_files([path])
    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(dialog.reading))
    timer.start(10)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    wait_preview(qtbot, dialog)
    timer.stop()
    assert dialog.progress.maximum() == 1500 and seen[-1] == 1500 and len(seen) > 5
    assert ticks.count(True) >= 3  # the window's event loop ran while the file was read
    assert dialog.counts["added"].text() == "1,500"


def test_cancel_while_reading_stops_and_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big_file(tmp_path, 3000)
    _slow_reading(monkeypatch, 0.05)
    before = plan_json.export_plan(window.plan)
    dialog = window.ical.import_files([path])
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20000)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.reading and dialog.preview is None and not dialog.dialog.isVisible()
    assert plan_json.export_plan(window.plan) == before


def _drag_events(paths: list[Path]) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(200, 200), actions, data, buttons, keys)
    drop = QDropEvent(QPointF(200, 200), actions, data, buttons, keys)
    return enter, drop, data  # the events only point at the data: keep it alive


def test_dropping_ics_files_on_the_window_opens_the_import(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("not a calendar")
    enter, drop, _data = _drag_events([note])
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()  # only .ics files are taken
    enter, drop, _kept = _drag_events([DATA / "apple.ics", note, DATA / "google.ics"])
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)
    dialog = window.ical.dialog
    assert isinstance(dialog, ImportDialog) and dialog.dialog.isVisible()
    assert dialog.paths == [DATA / "apple.ics", DATA / "google.ics"]
    wait_preview(qtbot, dialog)
    assert dialog.counts["added"].text() == "8"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "D4E5F6A7-B8C9-4D0E-8F1A-2B3C4D5E6F7A" in items(window)


def test_publish_rewrites_the_file_after_each_change(
    qtbot, window: MainWindow, tmp_path: Path, boxes
) -> None:
    trigger(window, "Plan", "Publish calendar…")
    form = window.ical.dialog
    assert form is not None and form.dialog.isVisible()
    qtbot.mouseClick(
        form.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, form.enabled.height() // 2)
    )
    out = tmp_path / "OneDrive" / "team.ics"
    out.parent.mkdir()
    form.path.clear()
    qtbot.keyClicks(form.path, str(out))
    tick(qtbot, form.filters.teams, "Sales")
    assert form.count.text().endswith("will be published.")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    settings = get_publish_settings(window.plan)
    assert settings is not None and settings.enabled and settings.filters.teams == {"sales"}
    label = window.ical.publisher.label
    qtbot.waitUntil(lambda: out.exists() and label.isVisible(), timeout=10000)
    assert label.text().startswith("Published ") and "team.ics" in label.text()
    assert b"X-WR-CALNAME:Demo plan (Sales)" in out.read_bytes()
    # An edit: the file follows, without a word from the user.
    window.context.execute(RenamePlan(window.context, "Demo plan", "Spring plan"))
    qtbot.waitUntil(lambda: b"X-WR-CALNAME:Spring plan (Sales)" in out.read_bytes(), timeout=10000)
    # Undo of the edit is a change too.
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: b"X-WR-CALNAME:Demo plan (Sales)" in out.read_bytes(), timeout=10000)
    # Publishing is part of the plan and can be undone like any change.
    window.undo_action.trigger()
    assert get_publish_settings(window.plan) is None
    assert boxes.shown == []


def test_publishing_writes_only_changed_calendars_once_per_burst(
    qtbot, plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smarketing_desktop.domain.filters import ItemFilter
    from smarketing_desktop.gui.context import PERSONAS
    from smarketing_desktop.services import publish as publish_service

    out = tmp_path / "sync" / "team.ics"
    out.parent.mkdir()
    publish_service.set_publish_settings(plan, publish_service.PublishSettings(out, ItemFilter()))
    publish_service.publish(plan)
    recorded = record_publish_writes(monkeypatch)
    window = MainWindow(plan)
    qtbot.addWidget(window)
    publisher = window.ical.publisher
    label = publisher.label
    # At launch the file is already current: it is checked, not written again.
    qtbot.waitUntil(lambda: not label.isHidden(), timeout=10000)
    assert recorded == [] and label.text().endswith("team.ics: up to date")
    # A change that the calendar file does not show: nothing written either.
    with qtbot.waitSignal(publisher.finished, timeout=10000):
        window.context.changed.emit(PERSONAS)
    assert recorded == []
    # A burst of edits is one write, with the last name.
    with qtbot.waitSignal(publisher.finished, timeout=10000):
        for n in range(5):
            window.context.execute(RenamePlan(window.context, window.plan.name, f"Plan {n}"))
    ((path, data),) = recorded
    assert path == out.absolute()
    assert b"X-WR-CALNAME:Plan 4" in data and out.read_bytes() == data


def test_a_failing_publish_is_shown_and_editing_goes_on(
    qtbot, window: MainWindow, tmp_path: Path, boxes
) -> None:
    blocked = tmp_path / "gone"
    blocked.mkdir()
    trigger(window, "Plan", "Publish calendar…")
    form = window.ical.dialog
    qtbot.mouseClick(
        form.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, form.enabled.height() // 2)
    )
    form.path.clear()
    qtbot.keyClicks(form.path, str(blocked / "team.ics"))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    label = window.ical.publisher.label
    qtbot.waitUntil(lambda: label.text().startswith("Published "), timeout=10000)
    # The synced folder goes away and a file takes its name; the next change fails.
    (blocked / "team.ics").unlink()
    blocked.rmdir()
    blocked.write_text("a file where the synced folder was")
    assert window.context.execute(RenamePlan(window.context, "Demo plan", "Still editing"))
    qtbot.waitUntil(lambda: label.text().startswith("Publishing failed"), timeout=10000)
    assert "Cannot write" in label.toolTip() and "c92a2a" in label.styleSheet()
    assert window.context.execute(RenamePlan(window.context, "Still editing", "Editing on"))
    assert window.plan.name == "Editing on" and boxes.shown == []


def test_publish_dialog_refuses_a_file_that_is_not_ics(qtbot, window: MainWindow) -> None:
    form = window.ical.edit_publishing()
    qtbot.mouseClick(
        form.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, form.enabled.height() // 2)
    )
    form.path.clear()
    qtbot.keyClicks(form.path, "/tmp/calendar.txt")
    assert "must end in .ics" in form.problem.text() and not form.ok_button.isEnabled()
    form.path.clear()
    assert "Choose the file" in form.problem.text()


def test_export_sla_meetings(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    # The agreement chosen in the SLAs tab comes preselected.
    window.tabs.setCurrentWidget(window.slas)
    assert window.slas.current_sla_id() == "joint-sla"
    trigger(window, "File", "Export SLA meetings as iCal…")
    form = window.ical.dialog
    assert form is not None and form.dialog.isVisible()
    assert form.list.count() == 1 and form.ok_button.isEnabled()
    assert form.list.item(0).isSelected()
    assert form.note.text() == "The file will hold 3 events." and form.ok_button.isEnabled()
    out = tmp_path / "review meetings.ics"
    save_as(monkeypatch, out)
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    found = events(out.read_bytes())
    assert set(found) == {
        "sla-review-joint-sla@smarketing.local",
        "sla-effective-joint-sla@smarketing.local",
        "sla-ends-joint-sla@smarketing.local",
    }
    meeting = found["sla-review-joint-sla@smarketing.local"][0]
    assert "Commitments to review:" in str(meeting["DESCRIPTION"]) and "RRULE" in meeting


def test_reimporting_an_older_file_keeps_the_edit_made_here(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    first = window.ical.import_files([DATA / "google.ics"])
    wait_preview(qtbot, first)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    uid = "7h6g5f4d3s2a1@google.com"
    with window.plan.write() as session:
        from sqlalchemy import select

        from smarketing_desktop.store import models

        row = session.scalar(select(models.Item).where(models.Item.uid == uid))
        assert row is not None
        row.title = "Social week <b>here</b>"
    again = window.ical.import_files([DATA / "google.ics"])
    wait_preview(qtbot, again)
    shown = {name: label.text() for name, label in again.counts.items()}
    assert shown == {"added": "0", "updated": "0", "unchanged": "3", "skipped": "1"}
    reasons = [again.reasons.item(n).text() for n in range(again.reasons.count())]
    assert reasons == [
        "google.ics: “Social media week”: kept: changed here since this file was written"
    ]
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert items(window)[uid]["title"] == "Social week <b>here</b>"


def test_a_script_link_in_a_calendar_file_is_left_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "links.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:js@x\r\nDTSTART;VALUE=DATE:20270301\r\nSUMMARY:Fair\r\n"
        "URL:javascript:alert(1)\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:ok@x\r\nDTSTART;VALUE=DATE:20270302\r\nSUMMARY:Expo\r\n"
        "URL:example.com/expo\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    dialog = window.ical.import_files([path])
    wait_preview(qtbot, dialog)
    reasons = [dialog.reasons.item(n).text() for n in range(dialog.reasons.count())]
    assert reasons == [
        "links.ics: “Fair”: its link was left out: “javascript:alert(1)” is not a web "
        "address; use one like https://example.com/page."
    ]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert items(window)["js@x"]["url"] == ""
    assert items(window)["ok@x"]["url"] == "https://example.com/expo"


def test_a_calendar_without_events_says_so(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "noevents.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n")
    dialog = window.ical.import_files([path])
    wait_preview(qtbot, dialog)
    assert dialog.problem.text() == "There are no events in “noevents.ics”."
    assert not dialog.ok_button.isEnabled()
    first = window.ical.import_files([DATA / "apple.ics"])
    wait_preview(qtbot, first)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    both = window.ical.import_files([DATA / "apple.ics", path])
    wait_preview(qtbot, both)
    assert both.problem.text() == (
        "There are no events in “noevents.ics”. Everything in the others is already in the plan."
    )
