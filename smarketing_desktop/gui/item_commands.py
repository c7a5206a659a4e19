"""Undoable changes to items: one command per user action, each calling the item services.

Every command keeps the exact state of the items it touched before and after its change
(see ``services.item_edits.item_states``), so undo and redo put those states back whatever
the change was: an edit, a drag of several items, a paste, a deletion. A drag is one
command, made when the mouse is released.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from smarketing_desktop.gui.context import ITEMS, PlanCommand, PlanContext
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.item_edits import Document, ItemState
from smarketing_desktop.store.planfile import Plan

# A change returns the uids of items it created (or None).
Change = Callable[[Plan], Iterable[str] | None]


class ItemsCommand(PlanCommand):
    """A change to some items, undone and redone by restoring their whole states.

    Attributes:
        created: The uids of the items the change made (a new item, a paste), so a view
            can select them after the command ran.
        notes: What the change could not do in full (shown to the user by the caller).
    """

    topic = ITEMS

    def __init__(
        self, context: PlanContext, text: str, uids: Sequence[str], change: Change
    ) -> None:
        super().__init__(context, text)
        self.uids = list(dict.fromkeys(uids))
        self.change = change
        self.created: list[str] = []
        self.notes: list[str] = []
        self.before: dict[str, ItemState] = {}
        self.after: dict[str, ItemState] = {}

    def apply(self) -> None:
        plan = self.context.plan
        if self.after:
            item_edits.restore_states(plan, self.after, self.before)
        else:
            self.before = item_edits.item_states(plan, self.uids)
            self.created = list(self.change(plan) or ())
            for uid in self.created:
                self.before[uid] = ItemState(None)
            self.after = item_edits.item_states(plan, self.before)
        self.context.items_touched.emit(list(self.before))

    def revert(self) -> None:
        item_edits.restore_states(self.context.plan, self.before, self.after)
        self.context.items_touched.emit(list(self.before))


def _title(document: Document | None, fallback: str = "item") -> str:
    title = str((document or {}).get("title") or fallback)
    return f"“{title[:40]}…”" if len(title) > 40 else f"“{title}”"


def _many(verb: str, uids: Sequence[str], titles: dict[str, str] | None = None) -> str:
    if len(uids) == 1 and titles and uids[0] in titles:
        return f"{verb} {titles[uids[0]]}"
    return f"{verb} {len(uids)} item{'s' if len(uids) != 1 else ''}"


def create_item(context: PlanContext, document: Document) -> ItemsCommand:
    """Add a new item (the dialog's OK on a new item, a double-click on an empty day)."""
    holder: dict[str, Any] = {}

    def change(plan: Plan) -> list[str]:
        holder["saved"] = item_edits.create_item(plan, document)
        return [holder["saved"]["uid"]]

    return ItemsCommand(context, f"Add {_title(document)}", [], change)


def edit_item(context: PlanContext, document: Document) -> ItemsCommand:
    """Save an edited item (the item dialog's OK)."""

    def change(plan: Plan) -> None:
        item_edits.save_item(plan, document)

    return ItemsCommand(context, f"Edit {_title(document)}", [document["uid"]], change)


def shift_items(
    context: PlanContext,
    uids: Sequence[str],
    *,
    days: int = 0,
    minutes: int = 0,
    titles: dict[str, str] | None = None,
) -> ItemsCommand:
    """Move whole items (series included) by a number of days and minutes."""
    return ItemsCommand(
        context,
        _many("Move", uids, titles),
        uids,
        lambda plan: item_edits.shift_items(plan, uids, days=days, minutes=minutes),
    )


def set_span(
    context: PlanContext,
    uid: str,
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    *,
    text: str = "Change dates",
) -> ItemsCommand:
    """Give an item new dates/times: a resize, or scheduling an idea from the backlog."""
    return ItemsCommand(
        context,
        text,
        [uid],
        lambda plan: item_edits.set_span(plan, uid, start, end, start_time, end_time),
    )


def unschedule(
    context: PlanContext, uids: Sequence[str], titles: dict[str, str] | None = None
) -> ItemsCommand:
    """Take items off the calendar into the ideas backlog, all or none."""
    titles = titles or {}
    if len(uids) == 1:
        title = titles.get(uids[0], "")
        text = f"Move “{title}” to the backlog" if title else "Move to the backlog"
    else:
        text = f"Move {len(uids)} items to the backlog"
    return ItemsCommand(context, text, uids, lambda plan: item_edits.unschedule_items(plan, uids))


def schedule(
    context: PlanContext,
    uids: Sequence[str],
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> ItemsCommand:
    """Put ideas from the backlog on the calendar, all on the same span."""
    return ItemsCommand(
        context,
        "Schedule an idea" if len(uids) == 1 else "Schedule ideas",
        uids,
        lambda plan: item_edits.schedule_items(plan, uids, start, end, start_time, end_time),
    )


def move_occurrence(
    context: PlanContext,
    uid: str,
    recurrence_id: str,
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    *,
    title: str = "",
) -> ItemsCommand:
    """Move one occurrence of a series ("this one only")."""
    return ItemsCommand(
        context,
        f"Move one “{title}”" if title else "Move one occurrence",
        [uid],
        lambda plan: item_edits.move_occurrence(
            plan, uid, recurrence_id, start, end, start_time, end_time
        ),
    )


def skip_occurrence(
    context: PlanContext, uid: str, recurrence_id: str, *, title: str = ""
) -> ItemsCommand:
    """Delete one occurrence of a series ("this one only")."""
    return ItemsCommand(
        context,
        f"Delete one “{title}”" if title else "Delete one occurrence",
        [uid],
        lambda plan: item_edits.skip_occurrence(plan, uid, recurrence_id),
    )


def delete_items(
    context: PlanContext, uids: Sequence[str], titles: dict[str, str] | None = None
) -> ItemsCommand:
    """Delete items (the caller asked for confirmation)."""
    return ItemsCommand(
        context,
        _many("Delete", uids, titles),
        uids,
        lambda plan: item_edits.delete_items(plan, uids),
    )


def paste_items(
    context: PlanContext, documents: Sequence[Document], *, start: dt.date | None = None
) -> ItemsCommand:
    """Add copies of items from the clipboard, the earliest on ``start``."""
    command: ItemsCommand

    def change(plan: Plan) -> list[str]:
        pasted = item_edits.paste_documents(plan, documents, start=start)
        command.notes = pasted.notes
        return pasted.uids

    count = len(documents)
    text = f"Paste {_title(documents[0])}" if count == 1 else f"Paste {count} items"
    command = ItemsCommand(context, text, [], change)
    return command


def duplicate_items(
    context: PlanContext, uids: Sequence[str], titles: dict[str, str] | None = None
) -> ItemsCommand:
    """Copies of items on the same days, titled "… (copy)"."""
    command: ItemsCommand

    def change(plan: Plan) -> list[str]:
        pasted = item_edits.duplicate_items(plan, uids)
        command.notes = pasted.notes
        return pasted.uids

    command = ItemsCommand(context, _many("Duplicate", uids, titles), [], change)
    return command
