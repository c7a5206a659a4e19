"""Conflict rules: the built-in catalogue, user-defined overlap rules, and their settings.

A plan stores per-rule settings (``RuleConfig``: enabled, severity, params); this module
checks them and resolves them into a ``RuleSet`` the engine runs. Every built-in rule has
a stable id, a default severity and typed parameters with defaults and limits. A
user-defined rule is the general form "kind A must not overlap kind B (± buffer days),
optionally only when A's impact is at least X"; ``email-during-tradeshow`` is one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from smarketing_desktop.domain.words import Impact, Kind, words
from smarketing_desktop.errors import ValidationError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        """Higher is worse: errors sort before warnings."""
        return 2 if self is Severity.ERROR else 1


# Kinds that reach customers: they tire a persona and do not belong on a holiday.
OUTBOUND = frozenset(
    {Kind.EMAIL_CAMPAIGN, Kind.AD_CAMPAIGN, Kind.PROMOTION, Kind.SOCIAL_POST, Kind.WEBINAR}
)
# Kinds a person has to attend, so one owner cannot be at two of them at once.
BOOKABLE = frozenset({Kind.TRADESHOW, Kind.WEBINAR, Kind.MEETING})
# Kinds that commit both teams and so need both sign-offs before they start.
NEEDS_SIGNOFF = frozenset(
    {Kind.EMAIL_CAMPAIGN, Kind.PROMOTION, Kind.AD_CAMPAIGN, Kind.PRODUCT_LAUNCH}
)

EMAIL_DURING_TRADESHOW = "email-during-tradeshow"
PROMOTION_OVERLAP = "promotion-overlap"
PERSONA_FATIGUE = "persona-fatigue"
BLACKOUT = "blackout"
OWNER_DOUBLE_BOOKED = "owner-double-booked"
MISSING_SIGNOFF = "missing-signoff"

MAX_BUFFER_DAYS = 365
MAX_NAME = 200
_IMPACTS = words(Impact)


@dataclass(frozen=True, slots=True)
class Param:
    """One typed parameter of a rule, as the rules dialog shows it."""

    name: str
    label: str
    default: int | str | None
    minimum: int = 0
    maximum: int = MAX_BUFFER_DAYS
    # "days"/"count" are whole numbers; "impact" is an impact word or None (any impact).
    kind: str = "days"


@dataclass(frozen=True, slots=True)
class BuiltinRule:
    """A rule that ships with the app."""

    id: str
    title: str
    explanation: str
    # None: "by impact" (error when the first item's impact is big, else warning).
    default_severity: Severity | None
    params: tuple[Param, ...] = ()

    def default_params(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


_BUFFER_BEFORE = Param("buffer_before", "Days before kind B also count", 0)
_BUFFER_AFTER = Param("buffer_after", "Days after kind B also count", 0)
_MIN_IMPACT = Param("min_impact", "Only when A's impact is at least", None, kind="impact")

BUILTIN_RULES: tuple[BuiltinRule, ...] = (
    BuiltinRule(
        EMAIL_DURING_TRADESHOW,
        "Email campaign during a tradeshow",
        "An email campaign that goes out while sales is at a tradeshow (or in its follow-up "
        "days) brings leads nobody can follow up.",
        None,
        (
            Param("buffer_before", "Days before the show", 0),
            Param("buffer_after", "Follow-up days after the show", 2),
            Param("min_impact", "Only campaigns with impact of at least", None, kind="impact"),
        ),
    ),
    BuiltinRule(
        PROMOTION_OVERLAP,
        "Overlapping promotions",
        "Two promotions at the same time for a shared persona (none means everyone) give "
        "customers mixed messages and stacked discounts.",
        Severity.WARNING,
    ),
    BuiltinRule(
        PERSONA_FATIGUE,
        "Persona fatigue",
        "Too many outbound items (email, ad, promotion, social, webinar) starting for one "
        "persona within a few days.",
        Severity.WARNING,
        (
            Param("max_items", "At most this many items", 3, minimum=1, maximum=100, kind="count"),
            Param("window_days", "Within this many days", 7, minimum=1, maximum=90),
        ),
    ),
    BuiltinRule(
        BLACKOUT,
        "Outbound work on a holiday",
        "Outbound items and product launches on the days of a holiday item.",
        Severity.WARNING,
    ),
    BuiltinRule(
        OWNER_DOUBLE_BOOKED,
        "Owner double-booked",
        "One person owns two tradeshows, webinars or meetings at the same time.",
        Severity.ERROR,
    ),
    BuiltinRule(
        MISSING_SIGNOFF,
        "Missing sign-off",
        "An email, promotion, ad campaign or product launch starts soon without sign-off "
        "by both marketing and sales.",
        Severity.WARNING,
        (Param("days", "Starting within this many days", 14, maximum=365),),
    ),
)
BUILTIN = {rule.id: rule for rule in BUILTIN_RULES}

USER_PARAMS = (
    Param("name", "Name", None, kind="text"),
    Param("kind_a", "Kind A", None, kind="kind"),
    Param("kind_b", "Kind B", None, kind="kind"),
    _BUFFER_BEFORE,
    _BUFFER_AFTER,
    _MIN_IMPACT,
)


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """A plan's setting for one rule, as stored (``rules`` in the plan JSON).

    ``severity`` None means the rule's default. ``params`` holds what the user set; a
    missing built-in parameter takes its default.
    """

    rule_id: str
    enabled: bool = True
    severity: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    user_defined: bool = False


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

    def severity_for(self, impact_a: int, impact_b: int | None = None) -> Severity:
        """The severity of a conflict whose A item has ``impact_a`` (by-impact rules)."""
        if self.severity is not None:
            return self.severity
        big = Impact.BIG.rank
        return Severity.ERROR if max(impact_a, impact_b or 0) >= big else Severity.WARNING


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

    @property
    def widest_reach(self) -> int:
        """The most days a rule looks around an item (for range-limited checks)."""
        reach = max([r.before + r.after for r in self.overlaps], default=0)
        if self.fatigue:
            reach = max(reach, self.fatigue.window_days)
        return reach


def _number(value: Any, param: Param, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(path, "must be a whole number")
    if value < param.minimum:
        raise ValidationError(path, f"must be at least {param.minimum}")
    if value > param.maximum:
        raise ValidationError(path, f"must be at most {param.maximum}")
    return value


def _impact(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if value not in _IMPACTS:
        raise ValidationError(path, f"must be one of {', '.join(_IMPACTS)} or null")
    return str(value)


def _kind(value: Any, path: str) -> str:
    if value not in words(Kind):
        raise ValidationError(path, f"must be one of {', '.join(words(Kind))}")
    return str(value)


def _name(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, "must be text")
    if "\x00" in value:
        raise ValidationError(path, "contains a NUL character")
    if not value.strip():
        raise ValidationError(path, "must not be empty")
    if len(value) > MAX_NAME:
        raise ValidationError(path, f"is longer than {MAX_NAME} characters")
    return value


def _severity(value: Any, path: str) -> Severity | None:
    if value is None:
        return None
    if value not in (Severity.ERROR.value, Severity.WARNING.value):
        raise ValidationError(path, "must be error, warning or null")
    return Severity(value)


def check_params(rule: BuiltinRule, params: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The full parameters of a built-in rule: defaults filled in, each value checked.

    Keys the rule does not have are ignored (a newer app may have added them).
    """
    if not isinstance(params, Mapping):
        raise ValidationError(path, "must be an object")
    result = rule.default_params()
    for param in rule.params:
        if param.name not in params:
            continue
        value = params[param.name]
        where = f"{path}.{param.name}"
        result[param.name] = (
            _impact(value, where) if param.kind == "impact" else _number(value, param, where)
        )
    return result


def check_user_params(params: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The parameters of a user-defined rule, each checked (name, kinds, buffers, impact)."""
    if not isinstance(params, Mapping):
        raise ValidationError(path, "must be an object")
    return {
        "name": _name(params.get("name"), f"{path}.name"),
        "kind_a": _kind(params.get("kind_a"), f"{path}.kind_a"),
        "kind_b": _kind(params.get("kind_b"), f"{path}.kind_b"),
        "buffer_before": _number(
            params.get("buffer_before", 0), _BUFFER_BEFORE, f"{path}.buffer_before"
        ),
        "buffer_after": _number(
            params.get("buffer_after", 0), _BUFFER_AFTER, f"{path}.buffer_after"
        ),
        "min_impact": _impact(params.get("min_impact"), f"{path}.min_impact"),
    }


_USER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def check_config(config: RuleConfig, path: str) -> RuleConfig:
    """Check one rule setting; errors name the field (``rules[2].params.max_items``).

    A setting for an id this app does not know is kept as it is (a newer app's rule) and
    simply not run.
    """
    severity = _severity(config.severity, f"{path}.severity")
    if config.user_defined:
        if config.rule_id in BUILTIN:
            raise ValidationError(
                f"{path}.id", f"{config.rule_id!r} is a built-in rule; choose another id"
            )
        if not _USER_ID.match(config.rule_id):
            raise ValidationError(
                f"{path}.id", "use lower-case letters, digits and dashes (at most 100)"
            )
        params: Mapping[str, Any] = check_user_params(config.params, f"{path}.params")
    elif config.rule_id in BUILTIN:
        check_params(BUILTIN[config.rule_id], config.params, f"{path}.params")
        params = config.params
    else:
        params = config.params
    return RuleConfig(
        config.rule_id,
        config.enabled,
        severity.value if severity else None,
        dict(params),
        config.user_defined,
    )


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
        severity = _severity(config.severity, f"{path}.severity") or rule.default_severity
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
        severity = _severity(config.severity, f"{path}.severity")
        overlaps.append(_overlap(config.rule_id, params, severity))
    return RuleSet(tuple(overlaps), fatigue, signoff)


DEFAULT_RULES = resolve(())


def is_default(config: RuleConfig) -> bool:
    """True when a built-in rule's setting says nothing the defaults do not."""
    rule = BUILTIN.get(config.rule_id)
    if rule is None or config.user_defined:
        return False
    return (
        config.enabled
        and config.severity is None
        and all(config.params.get(p.name, p.default) == p.default for p in rule.params)
        and set(config.params) <= {p.name for p in rule.params}
    )


def user_rule_id(name: str, taken: Iterable[str]) -> str:
    """A free id for a user-defined rule, made from its name (``no-webinar-in-launch-week``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "rule"
    if slug in BUILTIN or not slug[0].isalnum():
        slug = f"my-{slug}"
    used = set(taken) | set(BUILTIN)
    candidate, number = slug, 2
    while candidate in used:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate
