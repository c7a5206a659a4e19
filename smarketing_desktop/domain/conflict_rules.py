"""Conflict rules as a plan stores them: the built-in catalogue and rule settings.

Every built-in rule has a stable id, a default severity and typed parameters with
defaults and limits. A user-defined rule is the general form "kind A must not overlap
kind B (± buffer days), optionally only when A's impact is at least X";
``email-during-tradeshow`` is one of them. A plan keeps one ``RuleConfig`` per rule it
changed (``rules`` in the plan JSON); ``check_config`` checks one, naming the bad field.
The engine's own form of the rules is ``conflicts.rules``.
"""

from __future__ import annotations

import hashlib
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


# The parameters of a user-defined rule besides its name and kinds.
_BUFFER_BEFORE = Param("buffer_before", "Days before kind B also count", 0)
_BUFFER_AFTER = Param("buffer_after", "Days after kind B also count", 0)

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


def check_severity(value: Any, path: str) -> Severity | None:
    """A severity word, or None for the rule's default."""
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
    severity = check_severity(config.severity, f"{path}.severity")
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


def conflict_key(rule: str, persona: str | None, moments: Iterable[tuple[str, str, str]]) -> str:
    """A conflict's identity: rule, persona and the exact occurrences it is about.

    ``moments`` are ``(uid, start, end)`` of each occurrence, local ISO text. An
    acknowledgement stores this; when one of the items moves, the key changes and the
    conflict shows as new again (and as acknowledged again if the move is undone).
    """
    parts = sorted(f"{uid}\x1f{start}\x1f{end}" for uid, start, end in moments)
    return "\x1e".join([rule, persona or "", *parts])


def key_digest(key: str) -> str:
    """A short, fixed-length stand-in for a (possibly very long) conflict key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
