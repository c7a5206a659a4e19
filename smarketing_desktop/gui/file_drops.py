"""Files dropped on the window: each kind (``.ics`` calendars, ``.json`` plan exports)
is taken by the feature that imports it, through one event filter shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QDragEnterEvent, QDropEvent


def dropped_files(event: QDragEnterEvent | QDropEvent, suffix: str) -> list[Path]:
    """The local files ending in ``suffix`` that a drag carries (nothing else is taken)."""
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(suffix)
    ]


def take_drop(event: QEvent, suffix: str, handle: Callable[[list[Path]], object]) -> bool:
    """Accept a drag carrying ``suffix`` files and give them to ``handle`` on the drop.

    Returns True when the event was about such files (the filter then stops it).
    """
    kind = event.type()
    if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
        event, QDragEnterEvent | QDropEvent
    ):
        if dropped_files(event, suffix):
            event.acceptProposedAction()
            return True
    elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
        paths = dropped_files(event, suffix)
        if paths:
            event.acceptProposedAction()
            handle(paths)
            return True
    return False
