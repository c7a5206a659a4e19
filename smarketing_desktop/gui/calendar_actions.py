"""The calendar's editing actions: new, edit, delete, cut, copy, paste, duplicate and move
to the backlog, for the Edit menu, the views' context menus and their keys.

They act on the current selection: the ideas backlog's when the keyboard focus is in the
backlog, else the Calendar tab's. Their keys work where the calendar or the backlog has the
focus (so the Team tab keeps its own Delete); Ctrl+N works anywhere in the window.

How a view uses them: ``actions.context_menu(parent).exec(global_pos)`` for a right
click; ``edit()``/``delete()`` for its own double-click and keys; ``ask_series_scope`` when
a repeating item is dragged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import item_commands
from smarketing_desktop.gui.calendar_mime import decode_items, encode_items
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.filter_bar import FilterBar
from smarketing_desktop.gui.item_commands import ItemsCommand
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.gui.sla_managed import refuse_managed
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import occurrences_between

Scope = Literal["one", "series"]
_SHOWN = 8  # items named in a confirmation; the rest are counted


class ItemSelection(Protocol):
    """What the actions need from a place where items are selected."""

    def selected_uids(self) -> list[str]: ...

    def selected_occurrences(self) -> list[Occurrence]: ...

    def select_uids(self, uids: Sequence[str]) -> None: ...


class CalendarSelection(ItemSelection, Protocol):
    """The Calendar tab: a selection, the focused day, and a way to show a day."""

    selection_changed: SignalInstance

    def anchor_day(self) -> dt.date: ...

    def show_day(self, day: dt.date) -> None: ...


def _plain_box(parent: QWidget | None, title: str, text: str, detail: str = "") -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    # Titles are the user's text: shown literally, never as markup.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    return box


def ask_series_scope(parent: QWidget | None, title: str, verb: str) -> Scope | None:
    """Ask whether to change one occurrence of a repeating item or the whole series.

    Args:
        parent: The window the question belongs to.
        title: The item's title (shown literally).
        verb: What is being done, capitalised: "Move", "Resize", "Delete".

    Returns:
        "one", "series", or None when the user cancelled.
    """
    buttons = QMessageBox.StandardButton
    box = _plain_box(
        parent,
        f"{verb} a repeating item",
        f"“{title}” repeats. {verb} only this occurrence, or the whole series?",
        "Only this one leaves the other occurrences as they are.",
    )
    box.setStandardButtons(buttons.Yes | buttons.YesToAll | buttons.Cancel)
    box.button(buttons.Yes).setText("Only this one")
    box.button(buttons.YesToAll).setText("Whole series")
    box.setDefaultButton(buttons.Yes)
    box.setEscapeButton(buttons.Cancel)
    answer = buttons(box.exec())
    if answer == buttons.Yes:
        return "one"
    return "series" if answer == buttons.YesToAll else None


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """A Yes/Cancel question with the Yes button named for what it does ("Delete")."""
    buttons = QMessageBox.StandardButton
    box = _plain_box(parent, title, text, "You can undo this with Ctrl+Z.")
    box.setStandardButtons(buttons.Yes | buttons.Cancel)
    box.button(buttons.Yes).setText(yes)
    box.setDefaultButton(buttons.Yes)
    box.setEscapeButton(buttons.Cancel)
    return buttons(box.exec()) == buttons.Yes


def _quoted(title: str) -> str:
    return f"“{title[:60]}…”" if len(title) > 60 else f"“{title}”"


def named_list(titles: Sequence[str]) -> str:
    """``• “A”`` lines for a confirmation, at most eight, then ``…and 3 more``."""
    lines = [f"• {_quoted(t)}" for t in titles[:_SHOWN]]
    if len(titles) > _SHOWN:
        lines.append(f"…and {len(titles) - _SHOWN} more")
    return "\n".join(lines)


class CalendarActions(QObject):
    """The item actions of the Calendar tab and the ideas backlog.

    Signals:
        message(str): a line for the status bar (what a paste could not bring along).
    """

    message = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        context: PlanContext,
        calendar: CalendarSelection,
        *,
        backlog: ItemSelection | None = None,
        show_calendar: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = parent
        self.context = context
        self.calendar = calendar
        self.backlog = backlog
        self.show_calendar = show_calendar
        self.dialog: ItemDialog | None = None
        standard = QKeySequence.StandardKey
        self.new_action = self._action("&New item…", self.new_item, ["Ctrl+N"], "Add an item")
        self.edit_action = self._action(
            "&Edit item…", self.edit, ["Return", "Enter"], "Open the selected item"
        )
        self.delete_action = self._action(
            "&Delete", self.delete, [standard.Delete], "Delete the selected items"
        )
        self.cut_action = self._action("Cu&t", self.cut, [standard.Cut], "Cut the selected items")
        self.copy_action = self._action(
            "&Copy", self.copy, [standard.Copy], "Copy the selected items"
        )
        self.paste_action = self._action(
            "&Paste", self.paste, [standard.Paste], "Paste items on the focused day"
        )
        self.duplicate_action = self._action(
            "D&uplicate", self.duplicate, ["Ctrl+D"], "Copy the selected items on the same day"
        )
        self.backlog_action = self._action(
            "Move to &backlog",
            self.move_to_backlog,
            [],
            "Take the selected items off the calendar into the ideas backlog",
        )
        # Editing keys belong to the calendar and the backlog only: other tabs (Team,
        # Personas) have their own Delete and Enter.
        for action in self.item_actions():
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        calendar_widget = self._widget(calendar)
        if calendar_widget is not None:
            calendar_widget.addActions(self.item_actions())
        backlog_widget = self._widget(backlog)
        if backlog_widget is not None:
            backlog_widget.addActions(self.item_actions())
        calendar.selection_changed.connect(self.update_enabled)
        QGuiApplication.clipboard().dataChanged.connect(self.update_enabled)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.update_enabled()

    @staticmethod
    def _widget(place: object) -> QWidget | None:
        return place if isinstance(place, QWidget) else None

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        keys: Sequence[str | QKeySequence.StandardKey],
        tip: str,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def item_actions(self) -> list[QAction]:
        """The actions whose keys work only where items are (all but New item)."""
        return [
            self.edit_action,
            self.delete_action,
            self.cut_action,
            self.copy_action,
            self.paste_action,
            self.duplicate_action,
            self.backlog_action,
        ]

    def edit_menu_actions(self) -> list[QAction | None]:
        """The Edit menu's part, in order (None: a separator)."""
        return [
            self.cut_action,
            self.copy_action,
            self.paste_action,
            self.duplicate_action,
            self.delete_action,
            None,
            self.new_action,
            self.edit_action,
            self.backlog_action,
        ]

    def context_menu(self, parent: QWidget | None = None) -> QMenu:
        """A right-click menu for a view (the selection is what a right click chose)."""
        menu = QMenu(parent or self.window)
        for action in (
            self.edit_action,
            None,
            self.cut_action,
            self.copy_action,
            self.paste_action,
            self.duplicate_action,
            None,
            self.backlog_action,
            self.delete_action,
            None,
            self.new_action,
        ):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu

    # --- where the selection is -----------------------------------------------------------

    def _in_backlog(self) -> bool:
        widget = self._widget(self.backlog)
        focus = QApplication.focusWidget()
        return widget is not None and focus is not None and widget.isAncestorOf(focus)

    def source(self) -> ItemSelection:
        """The backlog while it has the keyboard focus, else the calendar."""
        if self.backlog is not None and self._in_backlog():
            return self.backlog
        return self.calendar

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update_enabled()

    def update_enabled(self) -> None:
        uids = self.source().selected_uids()
        for action in (self.delete_action, self.cut_action, self.copy_action):
            action.setEnabled(bool(uids))
        self.duplicate_action.setEnabled(bool(uids))
        self.edit_action.setEnabled(len(uids) == 1)
        in_backlog = self.source() is self.backlog
        self.backlog_action.setEnabled(bool(uids) and not in_backlog)
        self.paste_action.setEnabled(
            decode_items(QGuiApplication.clipboard().mimeData()) is not None
        )

    def _titles(self, source: ItemSelection) -> dict[str, str]:
        titles = {o.uid: o.title for o in source.selected_occurrences()}
        for uid in source.selected_uids():
            if uid not in titles:
                titles[uid] = str(item_edits.get_item(self.context.plan, uid)["title"])
        return titles

    def _named(self, source: ItemSelection) -> dict[str, str]:
        """Quoted titles, as undo texts name items (“Delete “Launch””)."""
        return {uid: _quoted(title) for uid, title in self._titles(source).items()}

    def _run(self, command: ItemsCommand, select: bool = True) -> bool:
        if not self.context.execute(command):
            return False
        if command.notes:
            self.message.emit(" · ".join(command.notes))
        if select and command.created:
            self._select_new(command.created)
        return True

    def _select_new(self, uids: list[str]) -> None:
        documents = item_edits.copy_documents(self.context.plan, uids[:1])
        start = documents[0].get("start") if documents else None
        if start:
            self.calendar.show_day(dt.date.fromisoformat(str(start)[:10]))
            self.calendar.select_uids(uids)
        elif self.backlog is not None:
            self.backlog.select_uids(uids)

    # --- the actions ----------------------------------------------------------------------

    def _show_calendar(self) -> None:
        if self.show_calendar is not None:
            self.show_calendar()

    def new_item(self, defaults: dict[str, object] | None = None) -> ItemDialog:
        """The item dialog for a new item on the focused day (an idea from the backlog)."""
        if defaults is None:
            if self.source() is self.backlog:
                defaults = {"status": "idea"}
            else:
                self._show_calendar()
                day = self.calendar.anchor_day().isoformat()
                defaults = {"start": day, "end": day}
        return self._open(None, defaults=dict(defaults))

    def _open(
        self,
        uid: str | None,
        *,
        defaults: dict[str, object] | None = None,
        occurrence: Occurrence | None = None,
    ) -> ItemDialog:
        self.dialog = open_item_dialog(
            self.window, self.context, uid, defaults=defaults, occurrence=occurrence
        )
        dialog = self.dialog
        dialog.saved.connect(lambda saved: self._dialog_saved(saved, dialog.is_new))
        return dialog

    def _dialog_saved(self, uid: str, new: bool = False) -> None:
        if new:
            self._reveal(uid)
        self._select_new([uid])

    def _reveal(self, uid: str) -> None:
        """A new item the filter would hide clears the filter, and the status bar says so:
        what was just made must be seen (as calendars show an event made in a hidden
        calendar by showing that calendar)."""
        bar = getattr(self.calendar, "filter_bar", None)
        if not isinstance(bar, FilterBar) or bar.filter().is_empty:
            return
        document = item_edits.get_item(self.context.plan, uid)
        if not document.get("start"):
            return  # an idea: the backlog shows it
        day = dt.date.fromisoformat(str(document["start"])[:10])
        shown = [o for o in occurrences_between(self.context.plan, day, day) if o.uid == uid]
        if shown and not bar.filter().matches(shown[0]):
            bar.clear()
            self.message.emit(f"Filter cleared to show the new item {_quoted(shown[0].title)}")

    def edit(self, occurrence: Occurrence | None = None) -> ItemDialog | None:
        """Open the selected item (or ``occurrence``) in the item dialog."""
        source = self.source()
        if occurrence is None:
            chosen = source.selected_occurrences()
            occurrence = chosen[0] if len(chosen) == 1 else None
        uids = [occurrence.uid] if occurrence is not None else source.selected_uids()
        if len(uids) != 1:
            return None
        try:
            return self._open(uids[0], occurrence=occurrence)
        except UserError as error:
            self.context.report(error, "Cannot open this item")
            return None

    def delete(self) -> bool:
        """Delete the selection after asking; one occurrence of a series asks which."""
        source = self.source()
        uids = source.selected_uids()
        if not uids or refuse_managed(self.context, uids):
            return False
        titles = self._titles(source)
        occurrences = source.selected_occurrences()
        if len(uids) == 1 and len(occurrences) == 1 and occurrences[0].recurrence_id:
            occurrence = occurrences[0]
            scope = ask_series_scope(self.window, occurrence.title, "Delete")
            if scope is None:
                return False
            if scope == "one":
                assert occurrence.recurrence_id is not None
                return self._run(
                    item_commands.skip_occurrence(
                        self.context,
                        occurrence.uid,
                        occurrence.recurrence_id,
                        title=occurrence.title,
                    )
                )
            return self._run(item_commands.delete_items(self.context, uids, self._named(source)))
        if len(uids) == 1:
            question = f"Delete {_quoted(titles[uids[0]])}?"
        else:
            question = f"Delete these {len(uids)} items?\n\n" + named_list(
                [titles[uid] for uid in uids]
            )
        repeating = [o.title for o in occurrences if o.recurring]
        if repeating:
            question += "\n\nRepeating items go with all their occurrences."
        if not confirm(
            self.window, "Delete items" if len(uids) > 1 else "Delete item", question, "Delete"
        ):
            return False
        return self._run(item_commands.delete_items(self.context, uids, self._named(source)))

    def copy(self) -> int:
        """Put the selected items on the clipboard (whole items, also for another plan)."""
        uids = self.source().selected_uids()
        if not uids:
            return 0
        try:
            documents = item_edits.copy_documents(self.context.plan, uids)
        except UserError as error:
            self.context.report(error, "Cannot copy")
            return 0
        QGuiApplication.clipboard().setMimeData(encode_items(documents))
        count = len(documents)
        self.message.emit(f"Copied {count} item{'s' if count != 1 else ''}")
        return count

    def cut(self) -> bool:
        """Copy, then delete the selection in one undo step (no question: it can be pasted)."""
        source = self.source()
        uids = source.selected_uids()
        if not uids or refuse_managed(self.context, uids) or not self.copy():
            return False
        command = item_commands.delete_items(self.context, uids, self._named(source))
        command.setText(command.text().replace("Delete", "Cut", 1))
        return self._run(command)

    def paste(self) -> bool:
        """Add the clipboard's items, the earliest on the focused day; ideas stay ideas."""
        documents = decode_items(QGuiApplication.clipboard().mimeData())
        if documents is None:
            self.message.emit("Nothing to paste: copy an item first.")
            return False
        day = self.calendar.anchor_day()
        command = item_commands.paste_items(self.context, documents, start=day)
        if not self._run(command):
            return False
        count = len(command.created)
        if not command.notes:
            self.message.emit(f"Pasted {count} item{'s' if count != 1 else ''}")
        return True

    def duplicate(self) -> bool:
        """Copies of the selected items on the same days, titled "… (copy)"."""
        source = self.source()
        uids = source.selected_uids()
        if not uids:
            return False
        return self._run(item_commands.duplicate_items(self.context, uids, self._named(source)))

    def move_to_backlog(self) -> bool:
        """Take the selected calendar items off the calendar into the ideas backlog."""
        if self.source() is self.backlog:
            return False
        uids = self.calendar.selected_uids()
        if not uids:
            return False
        return self._run(item_commands.unschedule(self.context, uids, self._titles(self.calendar)))
