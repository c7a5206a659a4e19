"""File names from save dialogs: the extension added when the user typed a name without it."""

from __future__ import annotations

from pathlib import Path


def with_extension(name: str, suffix: str) -> Path:
    """``name`` as a path ending in ``suffix`` (``.ics``, ``.json``), added if left out.

    Save dialogs on Linux and in tests return the name as typed; a file without its
    extension would not be recognised (``smarketing import`` refuses it).
    """
    path = Path(name)
    return path if path.suffix.lower() == suffix.lower() else path.with_name(path.name + suffix)
