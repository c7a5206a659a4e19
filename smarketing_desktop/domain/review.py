"""Campaign review: did a goal's actual reach its target?"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from smarketing_desktop.domain.numbers import parse_number
from smarketing_desktop.domain.periods import quarter_name
from smarketing_desktop.domain.words import Better, Kind, Team

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

    @property
    def symbol(self) -> str:
        """A mark that tells the outcomes apart without colour (print, colour blindness)."""
        return {"met": "✓", "missed": "✗", "pending": "…", "no target": "–"}[self.value]


# One colour per outcome, shared by the table, the chart and the PDF.
OUTCOME_COLOURS: dict[Outcome, str] = {
    Outcome.MET: "#2b8a3e",
    Outcome.MISSED: "#c92a2a",
    Outcome.PENDING: "#7b8794",
    Outcome.NO_TARGET: "#7b8794",
}


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
    results_by: str | None = None
    results_on: dt.date | None = None
    # The campaign's version counter when it was read: an edit made from this row is
    # refused if the campaign changed since (another window, the CLI).
    item_version: int = 0

    @property
    def outcome(self) -> Outcome:
        return outcome(self.target, self.actual, self.better)

    @property
    def result(self) -> GoalResult:
        return GoalResult(self.actual, self.results_by, self.results_on)


@dataclass(frozen=True, slots=True)
class GoalResult:
    """What was achieved, who entered it and on which day (all None: nothing entered)."""

    actual: float | None = None
    results_by: str | None = None
    results_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Retrospective:
    """One team's look back at a campaign."""

    team: str
    went_well: str = ""
    to_change: str = ""
    author: str = ""

    @property
    def empty(self) -> bool:
        return not (self.went_well.strip() or self.to_change.strip() or self.author.strip())


@dataclass(frozen=True, slots=True)
class Campaign:
    """A reviewed campaign: its goals (in the user's order) and its teams' retrospectives."""

    uid: str
    title: str
    kind: str
    start: dt.date
    end: dt.date
    personas: tuple[str, ...]
    version: int
    goals: tuple[GoalRow, ...]
    retrospectives: tuple[Retrospective, ...] = ()

    def retrospective(self, team: str) -> Retrospective:
        """The team's retrospective, or an empty one."""
        return next((r for r in self.retrospectives if r.team == team), Retrospective(team))


def campaigns_of(rows: Sequence[GoalRow]) -> list[Campaign]:
    """Goal rows grouped into campaigns, in the order the campaigns first appear."""
    grouped: dict[str, list[GoalRow]] = {}
    for row in rows:
        grouped.setdefault(row.uid, []).append(row)
    return [
        Campaign(
            uid=goals[0].uid,
            title=goals[0].title,
            kind=goals[0].kind,
            start=goals[0].start,
            end=goals[0].end,
            personas=goals[0].personas,
            version=goals[0].item_version,
            goals=tuple(goals),
        )
        for goals in grouped.values()
    ]


def team_label(team: str) -> str:
    return Team(team).label if team in Team._value2member_map_ else team


def kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind._value2member_map_ else kind


def metric_key(row: GoalRow) -> tuple[str, str, str]:
    """Goals that measure the same thing in different campaigns share this key.

    Metrics are typed by people ("Qualified leads", "qualified  leads"), so case and
    spacing do not count; the team and the direction do (a sales and a marketing goal
    with the same name are different commitments).
    """
    return (row.team, " ".join(row.metric.casefold().split()), row.better)


def format_number(value: float | None, *, empty: str = "—") -> str:
    """``4,630``, ``12.5``, ``-3``; up to two decimals, ``empty`` for no value."""
    if value is None:
        return empty
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 0.01:
        return f"{value:.2g}"  # 0.004, not a rounded 0
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def target_text(row: GoalRow) -> str:
    """``4,000``, or ``≤ 24`` where lower is better (at most 24 is met)."""
    if row.target is None:
        return "no target"
    return ("≤ " if row.better == Better.LOWER else "") + format_number(row.target)


def result_text(row: GoalRow) -> str:
    """One cell's worth: ``✓ 4,630 of 4,000``, ``✗ 30 of ≤ 24``, ``… open, target 120``."""
    result = row.outcome
    if result is Outcome.PENDING:
        return f"{result.symbol} open, target {target_text(row)}"
    if result is Outcome.NO_TARGET:
        if row.actual is None:
            return f"{result.symbol} no target"
        return f"{result.symbol} {format_number(row.actual)}, no target"
    return f"{result.symbol} {format_number(row.actual)} of {target_text(row)}"


def parse_actual(text: str, decimal: str = ".") -> float | None:
    """A number typed into the Actual cell; an empty cell is ``None`` (clears the result).

    Read as every number field reads it (:func:`domain.numbers.parse_number`): ``4630``,
    ``4,630``, ``4 630``, ``12.5``, ``12,5``, ``-3``, ``1e3``.

    Raises:
        ValidationError: the text is not a number, or not a finite one.
    """
    return parse_number(text, decimal=decimal)


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
        result[(quarter_name(row.start), row.team)].add(row)
    return dict(sorted(result.items()))


def by_persona(rows: list[GoalRow]) -> dict[str, Tally]:
    """For each persona, the campaigns that targeted it and how their goals did."""
    result: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        for persona in row.personas or (NO_PERSONA,):
            result[persona].add(row)
    return dict(sorted(result.items()))


NO_PERSONA = "Everyone (no persona chosen)"


@dataclass(frozen=True, slots=True)
class Reach:
    """One campaign that targeted a persona, and how its goals did."""

    uid: str
    title: str
    start: dt.date
    tally: Tally


def persona_reach(rows: Sequence[GoalRow]) -> dict[str, list[Reach]]:
    """For each persona (by name), the campaigns that targeted it, in the order they ran."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(dict)
    firsts: dict[str, GoalRow] = {}
    for row in rows:
        firsts.setdefault(row.uid, row)
        for persona in row.personas or (NO_PERSONA,):
            tallies[persona].setdefault(row.uid, Tally()).add(row)
    return {
        persona: [
            Reach(uid, firsts[uid].title, firsts[uid].start, tally)
            for uid, tally in sorted(
                campaigns.items(),
                key=lambda entry: (firsts[entry[0]].start, firsts[entry[0]].title),
            )
        ]
        for persona, campaigns in sorted(tallies.items())
    }
