"""Names inside short labels (undo steps in the Edit menu): one line, at most ~40 chars.

A title typed as three paragraphs or 300 characters would otherwise make the Edit menu
as wide as the screen.
"""

from __future__ import annotations

LIMIT = 40


def short(text: str, limit: int = LIMIT) -> str:
    """``text`` on one line (runs of spaces and line breaks as one space), elided with
    "…" when longer than ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
