"""The rules as the engine runs them, resolved from a plan's rule settings.

The catalogue and the settings live in ``domain.conflict_rules``; here they become one
general overlap form (``OverlapRule``: kind A against kind B with buffers, plus the extra
tests of the built-ins), the fatigue rule and the sign-off rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smarketing_desktop.domain.conflict_rules import (
    BLACKOUT,
    BOOKABLE,
    BUILTIN,
    BUILTIN_RULES,
    EMAIL_DURING_TRADESHOW,
    MISSING_SIGNOFF,
    NEEDS_SIGNOFF,
    OUTBOUND,
    OWNER_DOUBLE_BOOKED,
    PERSONA_FATIGUE,
    PROMOTION_OVERLAP,
    RuleConfig,
    Severity,
    check_params,
    check_severity,
    check_user_params,
)
from smarketing_desktop.domain.words import Impact, Kind

_BIG = Impact.BIG.rank

__all__ = [
    "BLACKOUT",
    "DEFAULT_RULES",
    "EMAIL_DURING_TRADESHOW",
    "MISSING_SIGNOFF",
    "NEEDS_SIGNOFF",
    "OUTBOUND",
    "OWNER_DOUBLE_BOOKED",
    "PERSONA_FATIGUE",
    "PROMOTION_OVERLAP",
    "FatigueRule",
    "OverlapRule",
    "RuleConfig",
    "RuleSet",
    "Severity",
    "SignoffRule",
    "resolve",
]


@dataclass(frozen=True, slots=True)
class OverlapRule:
    """ "Kind A must not overlap kind B (± buffer days)", with the built-ins' extra tests.

    Days of B are extended by ``before`` days before and ``after`` days after. Two timed
    items with no buffer must overlap in time, not just share a day (unless
    ``day_level``: a holiday takes the whole day).
    """

    id: str
    name: str
    kinds_a: frozenset[str]
    kinds_b: frozenset[str]
    before: int = 0
    after: int = 0
    min_impact: int = 0
    severity: Severity | None = Severity.WARNING
    day_level: bool = False
    same_owner: bool = False
    shared_persona: bool = False

    @property
    def symmetric(self) -> bool:
        return self.kinds_a == self.kinds_b

    @property
    def either_way(self) -> bool:
        """A against B fires exactly when B against A does (same kinds, even buffers, any
        impact): one test per pair is enough."""
        return self.symmetric and self.before == self.after and self.min_impact == 0

    def severity_for(self, impact_a: int) -> Severity:
        """The severity of a conflict whose A item has ``impact_a`` (by-impact rules)."""
        if self.severity is not None:
            return self.severity
        return Severity.ERROR if impact_a >= _BIG else Severity.WARNING


@dataclass(frozen=True, slots=True)
class FatigueRule:
    max_items: int = 3
    window_days: int = 7
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True)
class SignoffRule:
    days: int = 14
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules a check runs, resolved from a plan's settings."""

    overlaps: tuple[OverlapRule, ...]
    fatigue: FatigueRule | None
    signoff: SignoffRule | None


def _impact_rank(value: str | None) -> int:
    return Impact(value).rank if value else 0


def _overlap(rule_id: str, params: Mapping[str, Any], severity: Severity | None) -> OverlapRule:
    """The built-in overlap rules and user-defined rules as one general form."""
    if rule_id == EMAIL_DURING_TRADESHOW:
        return OverlapRule(
            rule_id,
            BUILTIN[rule_id].title,
            frozenset({Kind.EMAIL_CAMPAIGN.value}),
            frozenset({Kind.TRADESHOW.value}),
            before=params["buffer_before"],
            after=params["buffer_after"],
            min_impact=_impact_rank(params["min_impact"]),
            severity=severity,
        )
    if rule_id == PROMOTION_OVERLAP:
        kinds = frozenset({Kind.PROMOTION.value})
        return OverlapRule(
            rule_id, BUILTIN[rule_id].title, kinds, kinds, severity=severity, shared_persona=True
        )
    if rule_id == BLACKOUT:
        return OverlapRule(
            rule_id,
            BUILTIN[rule_id].title,
            frozenset(k.value for k in (*OUTBOUND, Kind.PRODUCT_LAUNCH)),
            frozenset({Kind.HOLIDAY.value}),
            severity=severity,
            day_level=True,
        )
    if rule_id == OWNER_DOUBLE_BOOKED:
        kinds = frozenset(k.value for k in BOOKABLE)
        return OverlapRule(
            rule_id, BUILTIN[rule_id].title, kinds, kinds, severity=severity, same_owner=True
        )
    return OverlapRule(
        rule_id,
        params["name"],
        frozenset({params["kind_a"]}),
        frozenset({params["kind_b"]}),
        before=params["buffer_before"],
        after=params["buffer_after"],
        min_impact=_impact_rank(params["min_impact"]),
        severity=severity,
    )


def resolve(configs: Iterable[RuleConfig]) -> RuleSet:
    """The rules to run: every built-in rule (with the plan's settings) and the user's.

    Raises:
        ValidationError: a setting is wrong; the path is ``rules[<id>]…``.
    """
    settings = {c.rule_id: c for c in configs}
    overlaps: list[OverlapRule] = []
    fatigue: FatigueRule | None = None
    signoff: SignoffRule | None = None
    for rule in BUILTIN_RULES:
        config = settings.get(rule.id, RuleConfig(rule.id))
        path = f"rules[{rule.id}]"
        if config.user_defined or not config.enabled:
            continue
        params = check_params(rule, config.params, f"{path}.params")
        severity = check_severity(config.severity, f"{path}.severity") or rule.default_severity
        if rule.id == PERSONA_FATIGUE:
            fatigue = FatigueRule(
                params["max_items"], params["window_days"], severity or Severity.WARNING
            )
        elif rule.id == MISSING_SIGNOFF:
            signoff = SignoffRule(params["days"], severity or Severity.WARNING)
        else:
            overlaps.append(_overlap(rule.id, params, severity))
    for config in sorted(settings.values(), key=lambda c: c.rule_id):
        if not (config.user_defined and config.enabled) or config.rule_id in BUILTIN:
            continue
        path = f"rules[{config.rule_id}]"
        params = check_user_params(config.params, f"{path}.params")
        severity = check_severity(config.severity, f"{path}.severity")
        overlaps.append(_overlap(config.rule_id, params, severity))
    return RuleSet(tuple(overlaps), fatigue, signoff)


DEFAULT_RULES = resolve(())
