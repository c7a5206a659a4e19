"""Small pieces every service shares."""

from __future__ import annotations

from smarketing_desktop.errors import ConcurrentEditError


def check_version(stored: int, expected: int) -> None:
    """Refuse an edit made against a stale copy (another window or the CLI changed it).

    Writes hold the plan's write lock from their first statement, so reading the counter
    and writing the row cannot interleave with another writer.
    """
    if stored != expected:
        raise ConcurrentEditError(
            "This was changed in another window or by another command in the meantime; "
            "reload and try again."
        )
