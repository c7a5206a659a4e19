"""Who sits beside whom: timed items side by side in a day, and the timeline's swim lanes.

Computed over the visible window when the view is laid out, never in the painter
(the calendar's overlap layout lives in a model, as in KDE Merkuro).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.words import Kind, Team

GROUPINGS = ("team", "kind", "persona")
EVERYONE = ""  # the persona lane of items that target no persona in particular


def side_by_side(intervals: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """A column for each ``[begin, end)`` interval so overlapping ones sit side by side.

    Returns, in the order given, ``(column, columns)``: the interval's column and the
    number of columns of its cluster (the intervals that overlap it, directly or through
    others), so each cluster shares the day's width on its own.
    """
    order = sorted(range(len(intervals)), key=lambda n: (intervals[n][0], -intervals[n][1]))
    placed: list[tuple[int, int]] = [(0, 1)] * len(intervals)
    cluster: list[int] = []
    column_ends: list[int] = []
    cluster_end = None

    def close() -> None:
        for n in cluster:
            placed[n] = (placed[n][0], len(column_ends))

    for n in order:
        begin, end = intervals[n]
        end = max(end, begin + 1)  # an instant still takes a sliver of room
        if cluster_end is not None and begin >= cluster_end:
            close()
            cluster, column_ends, cluster_end = [], [], None
        for column, taken in enumerate(column_ends):
            if taken <= begin:
                column_ends[column] = end
                break
        else:
            column = len(column_ends)
            column_ends.append(end)
        placed[n] = (column, 0)
        cluster.append(n)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close()
    return placed


@dataclass(frozen=True, slots=True)
class LaneGroup:
    """One swim lane of the timeline: its key, its heading and the occurrences in it."""

    key: str
    label: str
    occurrences: list[Occurrence] = field(default_factory=list)


def timeline_lanes(
    occurrences: Iterable[Occurrence],
    grouping: str,
    personas: Sequence[tuple[str, str]] = (),
) -> list[LaneGroup]:
    """The swim lanes of the quarter timeline for ``grouping`` ("team", "kind", "persona").

    Teams always show all three lanes; kinds show those that have items, in the order of
    the legend; personas show every persona of the plan (``personas``: id and name) and a
    last lane for items that target no one in particular. An item that targets two
    personas is in both of their lanes.
    """
    items = list(occurrences)
    if grouping == "kind":
        present = {o.kind for o in items}
        known = [kind.value for kind in Kind]
        keys = [k for k in known if k in present] + sorted(present - set(known))
        labels = {k: Kind(k).label if k in known else k for k in keys}
        lanes = {k: LaneGroup(k, labels[k]) for k in keys}
        for o in items:
            lanes[o.kind].occurrences.append(o)
        return list(lanes.values())
    if grouping == "persona":
        lanes = {pid: LaneGroup(pid, name) for pid, name in personas}
        lanes[EVERYONE] = LaneGroup(EVERYONE, "Everyone")
        for o in items:
            targets = [p for p in o.personas if p in lanes] or [EVERYONE]
            for target in targets:
                lanes[target].occurrences.append(o)
        return list(lanes.values())
    teams = {team.value: LaneGroup(team.value, team.label) for team in Team}
    for o in items:
        teams.setdefault(o.team, LaneGroup(o.team, o.team.capitalize())).occurrences.append(o)
    return list(teams.values())
