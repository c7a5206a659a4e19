"""Review meetings that an SLA keeps: the calendar refuses to move, delete or cut them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QMainWindow

from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.services import item_edits


def refuse_managed(context: PlanContext, uids: Iterable[str]) -> bool:
    """True (with a word in the status bar) when any of ``uids`` is an SLA's review
    meeting: its SLA would put it back on its next save, so the change would not last."""
    for uid in dict.fromkeys(uids):
        manager = item_edits.managed_by(context.plan, uid)
        if manager is not None:
            window = context.window
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(
                    f"These review meetings follow SLA “{manager.sla_title}”: "
                    "change or remove them in the SLAs tab.",
                    8000,
                )
            return True
    return False
