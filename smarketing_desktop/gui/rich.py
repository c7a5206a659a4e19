"""User text inside Qt's rich text (tooltips, message boxes), shown literally.

Qt guesses whether a tooltip or message is rich text, so a persona named ``<b>Bob</b>``
would turn bold. Everything the user typed is escaped, and the whole text is marked as
rich text on purpose, so it shows exactly what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


def literal(text: str) -> str:
    """``text`` as rich text that shows exactly that text (line breaks kept, NULs gone)."""
    cleaned = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned, quote=False).replace("\n", "<br>")


def bold(text: str) -> str:
    """A name in bold, inside rich text (the name itself shown literally)."""
    return f"<b>{literal(text)}</b>"


def message(text: str) -> str:
    """A whole plain message (it may quote user text) for a message box or label.

    Qt guesses rich text from the first tag it sees; the paragraph makes the guess
    certain, so ``&lt;`` is never shown as typed and ``<b>`` never turns bold.
    """
    return f"<p>{literal(text)}</p>"


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally; none for an empty text."""
    return message(text) if text else ""


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
