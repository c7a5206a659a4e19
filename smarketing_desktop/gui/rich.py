"""User text inside Qt's rich text (tooltips, message boxes), shown literally.

Qt guesses whether a tooltip or message is rich text, so a persona named ``<b>Bob</b>``
would turn bold. Everything the user typed is escaped, and the whole text is marked as
rich text on purpose, so it shows exactly what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


def literal(text: str) -> str:
    """``text`` as rich text that shows exactly that text (line breaks kept)."""
    return escape(text).replace("\n", "<br>")


def literal_tooltip(first: str, *more: str) -> str:
    """A tooltip: ``first`` in bold, then each of ``more`` on its own line."""
    lines = [f"<b>{literal(first)}</b>", *(literal(line) for line in more if line)]
    return f"<p style='white-space:pre-wrap'>{'<br>'.join(lines)}</p>"


def bullet_list(items: Iterable[str], limit: int = 12) -> str:
    """Rich text bullets of ``items`` (at most ``limit``, then "…and N more")."""
    items = list(items)
    shown = "".join(f"<li>{literal(item)}</li>" for item in items[:limit])
    more = f"<p>…and {len(items) - limit} more</p>" if len(items) > limit else ""
    return f"<ul style='margin-left:-20px'>{shown}</ul>{more}"
