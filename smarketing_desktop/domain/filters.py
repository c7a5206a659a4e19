"""Which items to show or export: team, kind, persona, owner, status, text and dates.

One filter for the calendar's views, the iCal export and the published calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from smarketing_desktop.domain.items import Idea, Occurrence
from smarketing_desktop.domain.words import Kind, Status, Team, words
from smarketing_desktop.errors import UserError


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What the user chose to see; an empty set means "any".

    ``personas`` matches items that target one of the chosen personas; the value
    ``EVERYONE`` stands for items that target no persona in particular. ``first`` and
    ``last`` keep what touches those days (None: open-ended).
    """

    teams: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    personas: frozenset[str] = field(default_factory=frozenset)
    owners: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    first: dt.date | None = None
    last: dt.date | None = None

    EVERYONE = ""  # in ``personas``: items without a target persona

    @property
    def is_empty(self) -> bool:
        return (
            not (self.teams or self.kinds or self.personas or self.owners or self.statuses)
            and not self.text.strip()
            and self.first is None
            and self.last is None
        )

    def matches(self, item: Occurrence | Idea) -> bool:
        """Whether ``item`` passes every chosen criterion (text: title or description;
        an idea has no days, so a date range leaves it out)."""
        if self.first is not None or self.last is not None:
            if not isinstance(item, Occurrence):
                return False
            if self.first is not None and item.end < self.first:
                return False
            if self.last is not None and item.start > self.last:
                return False
        if self.teams and item.team not in self.teams:
            return False
        if self.kinds and item.kind not in self.kinds:
            return False
        if self.statuses and item.status not in self.statuses:
            return False
        if self.owners and (item.owner_id or "") not in self.owners:
            return False
        if self.personas:
            targets = item.personas or (self.EVERYONE,)
            if self.personas.isdisjoint(targets):
                return False
        needle = self.text.strip().casefold()
        return (
            not needle or needle in item.title.casefold() or needle in (item.description.casefold())
        )

    def to_json(self) -> dict[str, Any]:
        """A plain form for settings (sorted, so the same filter is stored the same way)."""
        return {
            "teams": sorted(self.teams),
            "kinds": sorted(self.kinds),
            "personas": sorted(self.personas),
            "owners": sorted(self.owners),
            "statuses": sorted(self.statuses),
            "text": self.text,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> ItemFilter:
        """Read what :meth:`to_json` wrote; anything unreadable gives the empty filter."""
        if not isinstance(data, dict):
            return cls()

        def values(key: str) -> frozenset[str]:
            raw = data.get(key)
            if not isinstance(raw, list):
                return frozenset()
            return frozenset(v for v in raw if isinstance(v, str))

        def day(key: str) -> dt.date | None:
            raw = data.get(key)
            try:
                return dt.date.fromisoformat(raw) if isinstance(raw, str) else None
            except ValueError:
                return None

        text = data.get("text")
        return cls(
            teams=values("teams"),
            kinds=values("kinds"),
            personas=values("personas"),
            owners=values("owners"),
            statuses=values("statuses"),
            text=text if isinstance(text, str) else "",
            first=day("from"),
            last=day("to"),
        )

    def check(self) -> None:
        """Refuse unknown words and an upside-down date range (a clear message each).

        Raises:
            UserError: naming the unknown word or the range.
        """
        for label, chosen, allowed in (
            ("team", self.teams, words(Team)),
            ("kind", self.kinds, words(Kind)),
            ("status", self.statuses, words(Status)),
        ):
            unknown = sorted(chosen - set(allowed))
            if unknown:
                raise UserError(
                    f"Unknown {label} {unknown[0]!r}; choose one of {', '.join(allowed)}."
                )
        if self.first and self.last and self.last < self.first:
            raise UserError(f"The end of the date range ({self.last}) is before its start.")
