"""Campaign review: did a goal's actual reach its target?"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from smarketing_desktop.domain.words import Better, Kind

# The kinds reviewed as campaigns; blog and social posts are reviewed as "content".
CAMPAIGN_KINDS: tuple[Kind, ...] = (
    Kind.EMAIL_CAMPAIGN,
    Kind.PROMOTION,
    Kind.AD_CAMPAIGN,
    Kind.WEBINAR,
    Kind.PRODUCT_LAUNCH,
    Kind.TRADESHOW,
    Kind.BLOG_POST,
    Kind.SOCIAL_POST,
)


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"  # no actual entered yet
    NO_TARGET = "no target"  # nothing to compare against

    @property
    def label(self) -> str:
        return {"met": "Met", "missed": "Missed", "pending": "Pending", "no target": "No target"}[
            self.value
        ]


def outcome(target: float | None, actual: float | None, better: str = Better.HIGHER) -> Outcome:
    """Whether ``actual`` meets ``target``; reaching the target exactly counts as met.

    For "lower is better" metrics (hours to follow-up, cost per lead) the actual must be at
    or below the target. A zero target is an ordinary target (zero complaints: 0 is met).
    """
    if target is None:
        return Outcome.NO_TARGET
    if actual is None:
        return Outcome.PENDING
    if better == Better.LOWER:
        return Outcome.MET if actual <= target else Outcome.MISSED
    return Outcome.MET if actual >= target else Outcome.MISSED


def attainment(
    target: float | None, actual: float | None, better: str = Better.HIGHER
) -> float | None:
    """How far the actual got, as a fraction of the target (1.0 = exactly on target).

    None where it means nothing: no target, no actual, or a zero target.
    """
    if target is None or actual is None or target == 0:
        return None
    if better == Better.LOWER:
        return target / actual if actual else None
    return actual / target


@dataclass(frozen=True, slots=True)
class GoalRow:
    """One goal of one campaign, as the review table shows it."""

    uid: str
    title: str
    kind: str
    start: dt.date
    end: dt.date
    personas: tuple[str, ...]
    team: str
    metric: str
    target: float | None
    actual: float | None
    better: str
    position: int

    @property
    def outcome(self) -> Outcome:
        return outcome(self.target, self.actual, self.better)


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass(slots=True)
class Tally:
    """Goals met out of those that could be judged, plus those still open."""

    met: int = 0
    missed: int = 0
    pending: int = 0
    campaigns: list[str] = field(default_factory=list)

    @property
    def judged(self) -> int:
        return self.met + self.missed

    def add(self, row: GoalRow) -> None:
        result = row.outcome
        if result is Outcome.MET:
            self.met += 1
        elif result is Outcome.MISSED:
            self.missed += 1
        elif result is Outcome.PENDING:
            self.pending += 1
        if row.title not in self.campaigns:
            self.campaigns.append(row.title)


def by_team_and_quarter(rows: list[GoalRow]) -> dict[tuple[str, str], Tally]:
    """Goals met per team per quarter (the quarter the campaign started in)."""
    result: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for row in rows:
        result[(quarter_of(row.start), row.team)].add(row)
    return dict(sorted(result.items()))


def by_persona(rows: list[GoalRow]) -> dict[str, Tally]:
    """For each persona, the campaigns that targeted it and how their goals did."""
    result: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        for persona in row.personas or ("Everyone (no persona chosen)",):
            result[persona].add(row)
    return dict(sorted(result.items()))
