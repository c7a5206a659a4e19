"""Item commands on the window's undo stack: each change is one step, undone exactly."""

from __future__ import annotations

import datetime as dt

from smarketing_desktop.exchange.plan_json import export_document
from smarketing_desktop.gui import item_commands
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import item_edits


def items(window: MainWindow) -> list[dict]:
    return export_document(window.context.plan)["items"]


def test_create_edit_move_delete_each_undo_in_one_step(window: MainWindow, boxes) -> None:
    context, stack = window.context, window.context.undo_stack
    original = items(window)

    create = item_commands.create_item(
        context, {"title": "Partner webinar", "kind": "webinar", "start": "2030-01-15"}
    )
    assert context.execute(create) and len(create.created) == 1
    uid = create.created[0]
    edited = {**item_edits.get_item(context.plan, uid), "title": "Partner webinar <b>&</b>"}
    assert context.execute(item_commands.edit_item(context, edited))
    assert context.execute(item_commands.shift_items(context, [uid], days=3))
    assert item_edits.get_item(context.plan, uid)["start"] == "2030-01-18"
    assert context.execute(item_commands.delete_items(context, [uid]))
    assert stack.count() == 4 and stack.undoText() == "Delete 1 item"

    stack.undo()
    assert item_edits.get_item(context.plan, uid)["start"] == "2030-01-18"
    stack.undo()
    assert item_edits.get_item(context.plan, uid)["start"] == "2030-01-15"
    stack.undo()
    assert item_edits.get_item(context.plan, uid)["title"] == "Partner webinar"
    stack.undo()
    assert items(window) == original
    for _ in range(4):
        stack.redo()
    assert uid not in {i["uid"] for i in items(window)}
    assert not boxes.shown


def test_a_refused_change_never_enters_the_stack(window: MainWindow, boxes) -> None:
    context = window.context
    command = item_commands.set_span(
        context, "newsletter@demo.smarketing", dt.date(2030, 1, 2), dt.date(2030, 1, 1)
    )
    assert not context.execute(command)
    assert context.undo_stack.count() == 0
    assert "before start" in boxes.texts()


def test_undo_after_a_change_elsewhere_is_refused_and_dropped(window: MainWindow, boxes) -> None:
    context = window.context
    uid = "holiday@demo.smarketing"
    assert context.execute(item_commands.shift_items(context, [uid], days=1))
    # Another window (or the CLI) changes the same item.
    item_edits.shift_items(context.plan, [uid], days=1)
    context.undo_stack.undo()
    assert "another window" in boxes.texts()
    assert context.undo_stack.count() == 0


def test_paste_reports_what_did_not_come_along(window: MainWindow) -> None:
    context = window.context
    documents = [
        {
            "uid": "x@y",
            "title": "From elsewhere",
            "kind": "other",
            "owner": "zed",
            "start": "2030-02-01",
        }
    ]
    command = item_commands.paste_items(context, documents, start=dt.date(2030, 3, 1))
    assert context.execute(command)
    assert command.notes and "owner" in command.notes[0]
    pasted = item_edits.get_item(context.plan, command.created[0])
    assert pasted["start"] == "2030-03-01" and pasted["owner"] is None
    context.undo_stack.undo()
    assert all(i["title"] != "From elsewhere" for i in items(window))
