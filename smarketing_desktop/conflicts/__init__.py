"""The conflict engine: rules over compact interval data, no Qt and no ORM in the loop.

``rules`` defines what is checked, ``data`` turns items into compact occurrences,
``engine`` finds conflicts fast (and again after one item changes), and ``model`` is the
conflict record with its message. The plain all-pairs yardstick the tests and the
benchmark hold the engine to lives in ``benchmarks/conflict_reference.py``.
"""

from smarketing_desktop.conflicts.data import Entry, Horizon, ItemFacts, OverrideFacts, build_entry
from smarketing_desktop.conflicts.engine import Delta, Engine
from smarketing_desktop.conflicts.model import Conflict, Names, OccurrenceRef, sort_key
from smarketing_desktop.conflicts.rules import DEFAULT_RULES, RuleSet, resolve
from smarketing_desktop.domain.conflict_rules import BUILTIN, BUILTIN_RULES, RuleConfig, Severity

__all__ = [
    "BUILTIN",
    "BUILTIN_RULES",
    "DEFAULT_RULES",
    "Conflict",
    "Delta",
    "Engine",
    "Entry",
    "Horizon",
    "ItemFacts",
    "Names",
    "OccurrenceRef",
    "OverrideFacts",
    "RuleConfig",
    "RuleSet",
    "Severity",
    "build_entry",
    "resolve",
    "sort_key",
]
