"""Undo and redo that never overwrite someone else's change.

A step remembers what the plan held right after it ran (read back from the store, so the
comparison is exact). Its undo and redo first read that part of the plan again: if it is
no longer what the step left, another window or another command changed it meanwhile,
and the step is refused with a message instead of putting old content back over it.
This is the rule ``ItemsCommand`` and the Team tab's ``EditPerson`` follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from smarketing_desktop.errors import ConcurrentEditError, NotFoundError

T = TypeVar("T")


def read_or_none(read: Callable[[], T]) -> T | None:
    """What ``read`` returns, or None when the thing it reads is gone."""
    try:
        return read()
    except NotFoundError:
        return None


def check_unchanged(current: object, expected: object, what: str) -> None:
    """Refuse an undo or redo when ``what`` no longer holds what the step left.

    Raises:
        ConcurrentEditError: ``current`` differs from ``expected``.
    """
    if current != expected:
        raise ConcurrentEditError(
            f"{what} was changed in another window or by another command in the meantime, "
            "so this cannot be undone or redone."
        )
