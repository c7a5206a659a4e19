"""Errors a user can act on. Their message is shown as is (dialog or one stderr line).

Anything else that escapes is a bug and goes to the crash path with details.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or files; ``str(error)`` is the whole message."""


class PlanFileError(UserError):
    """A plan file cannot be opened, created or written."""


class NotAPlanError(PlanFileError):
    """The file exists but is not a Smarketing plan (left untouched)."""


class PlanTooNewError(PlanFileError):
    """The plan was written by a newer version of the app."""


class PlanReadOnlyError(PlanFileError):
    """The plan file or its folder cannot be written."""


class PlanBusyError(PlanFileError):
    """Another window or command held the plan for too long."""


class ConcurrentEditError(UserError):
    """The row was changed elsewhere since it was read (optimistic version counter)."""


class NotFoundError(UserError):
    """A referenced person, persona, item or SLA does not exist."""


class InUseError(UserError):
    """Something cannot be removed because other things refer to it."""

    def __init__(self, message: str, users: list[str]) -> None:
        super().__init__(message)
        self.users = users


class ValidationError(UserError):
    """Bad field values; ``path`` names the bad value (``items[3].start``)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem
