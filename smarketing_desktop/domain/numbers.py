"""Numbers as people type them into a cell: one reading for every number field.

Both ``12.5`` and ``12,5`` are twelve and a half; ``4,630``, ``4.630`` (where the comma is
the decimal mark), ``4 630`` and ``1,234.5`` group thousands. A lone separator followed by
exactly three digits is ambiguous (``1,234``): the decimal mark of the user's locale
decides. Anything else with several separators (``1,2,3``) is refused with a message
rather than guessed.
"""

from __future__ import annotations

import math
import re

from smarketing_desktop.errors import ValidationError

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?P<sep>[,.])\d{3}((?P=sep)\d{3})*$")


def _shown(text: str) -> str:
    shown = "".join(c if c.isprintable() else "�" for c in text)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _refuse(text: str, what: str) -> ValidationError:
    return ValidationError(
        what,
        f"“{_shown(text)}” is not a number. Type a number such as 4630, 12.5 or 12,5, "
        "or leave it empty.",
    )


def parse_number(text: str, *, decimal: str = ".", what: str = "") -> float | None:
    """The number in ``text``; None for an empty text.

    Args:
        text: What was typed.
        decimal: The decimal mark of the user's locale ("." or ","), which decides only
            the ambiguous ``1,234`` / ``1.234``.
        what: Names the field in the message of a refusal.

    Raises:
        ValidationError: not a number (``1,2,3``, ``abc``), or not a finite one.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    # Spaces (also the no-break kinds some keyboards and pastes bring) group thousands.
    compact = re.sub(r"[\s\u00a0\u202f\u2009']", "", cleaned)
    grouped = _GROUPED.match(compact)
    if grouped and (grouped["sep"] != decimal or compact.count(grouped["sep"]) > 1):
        candidate = compact.replace(grouped["sep"], "")
    elif "," in compact and "." in compact:
        # Both marks: the last one is the decimal mark, the other must group thousands.
        point = "," if compact.rfind(",") > compact.rfind(".") else "."
        group = "." if point == "," else ","
        whole, _, fraction = compact.rpartition(point)
        if not _GROUPED.match(whole) or group not in whole or not fraction.isdigit():
            raise _refuse(cleaned, what)
        candidate = f"{whole.replace(group, '')}.{fraction}"
    elif compact.count(",") == 1:
        candidate = compact.replace(",", ".")
    else:
        candidate = compact
    if not _PLAIN.match(candidate):
        raise _refuse(cleaned, what)
    value = float(candidate)
    if not math.isfinite(value):
        raise ValidationError(what, f"“{_shown(cleaned)}” is too large to be a number here.")
    return value
