"""The zone the calendar views show times in: the user's own, as the item dialog uses.

Views read through :func:`shown_between`, and call :func:`stored` on a span chosen on
the calendar before it is saved (see ``domain.zones``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from smarketing_desktop.domain import zones
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui import item_fields


def local_zone_name() -> str:
    """The IANA name of the user's zone (what a new timed item gets)."""
    return item_fields.local_zone()


def display_zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(local_zone_name())


def shown_between(
    fetch: Callable[[dt.date, dt.date], list[Occurrence]], first: dt.date, last: dt.date
) -> list[Occurrence]:
    """What touches ``first``..``last`` at the user's clock (see ``domain.zones``)."""
    return zones.shown_between(fetch, first, last, display_zone())


def stored(occurrence: Occurrence, span: Span) -> Span:
    """A span chosen on the calendar for ``occurrence``, in the item's own zone."""
    return zones.to_item_zone(span, occurrence.tz, display_zone())


def own_zone_text(occurrence: Occurrence) -> str:
    """``"In America/New_York: …"`` for an item kept in another zone, else ``""``."""
    own = zones.own_zone_span(occurrence, display_zone())
    return f"In {occurrence.tz}: {own.describe()}" if own is not None else ""
