"""The calendar's filters, shared by every view: team, kind, persona, owner, status, text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smarketing_desktop.domain.items import Idea, Occurrence


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What the user chose to see; an empty set means "any".

    ``personas`` matches items that target one of the chosen personas; the value
    ``EVERYONE`` stands for items that target no persona in particular.
    """

    teams: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    personas: frozenset[str] = field(default_factory=frozenset)
    owners: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    text: str = ""

    EVERYONE = ""  # in ``personas``: items without a target persona

    @property
    def is_empty(self) -> bool:
        return (
            not (self.teams or self.kinds or self.personas or self.owners or self.statuses)
            and not self.text.strip()
        )

    def matches(self, item: Occurrence | Idea) -> bool:
        """Whether ``item`` passes every chosen criterion (text: title or description)."""
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

        text = data.get("text")
        return cls(
            teams=values("teams"),
            kinds=values("kinds"),
            personas=values("personas"),
            owners=values("owners"),
            statuses=values("statuses"),
            text=text if isinstance(text, str) else "",
        )
