"""The calendar's pure layout helpers: drag spans, side-by-side columns, swim lanes, and
series moved as a whole (random inputs: nothing overlaps, nothing is lost)."""

from __future__ import annotations

import datetime as dt
from itertools import islice

from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import stack
from smarketing_desktop.domain.overlap import EVERYONE, side_by_side, timeline_lanes
from smarketing_desktop.domain.recurrence import shift_rule
from smarketing_desktop.domain.spans import SNAP_MINUTES, Span, snap, snap_nearest

BASE = dt.date(2030, 1, 1)
days = st.integers(min_value=-400, max_value=400)
minutes = st.integers(min_value=0, max_value=24 * 60 - SNAP_MINUTES).map(snap)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
    if draw(st.booleans()):
        return Span(start, start + dt.timedelta(days=draw(st.integers(0, 20))))
    begin = dt.datetime.combine(start, dt.time.min) + dt.timedelta(minutes=draw(minutes))
    length = dt.timedelta(minutes=draw(st.integers(1, 60 * 30 // SNAP_MINUTES)) * SNAP_MINUTES)
    end = begin + length
    return Span(begin.date(), end.date(), begin.time(), end.time())


@given(spans(), days, st.integers(-3000, 3000))
def test_a_move_keeps_the_length(span: Span, shift: int, shift_minutes: int) -> None:
    moved = span.moved(shift, shift_minutes)
    assert moved.finish - moved.begin == span.finish - span.begin
    if not span.timed:
        assert moved.start == span.start + dt.timedelta(days=shift)  # minutes mean nothing
    else:
        assert moved.begin == span.begin + dt.timedelta(days=shift, minutes=shift_minutes)


@given(spans(), days, st.one_of(st.none(), minutes))
def test_a_resize_never_ends_before_it_starts(span: Span, shift: int, at: int | None) -> None:
    to = span.start + dt.timedelta(days=shift)
    for resized in (span.with_start(to, at), span.with_end(to, at)):
        assert resized.begin < resized.finish
        assert resized.timed == span.timed
    assert span.with_start(to, at).finish == span.finish
    assert span.with_end(to, at).begin == span.begin


def test_spans_read_like_a_calendar() -> None:
    assert Span(dt.date(2030, 1, 14), dt.date(2030, 1, 16)).describe() == "Mon 14 – Wed 16 Jan"
    assert Span(dt.date(2030, 1, 30), dt.date(2030, 2, 2)).describe() == "Wed 30 Jan – Sat 2 Feb"
    timed = Span(dt.date(2030, 1, 14), dt.date(2030, 1, 14), dt.time(9, 30), dt.time(10, 15))
    assert timed.describe() == "Mon 14 Jan, 09:30 – 10:15"
    midnight = Span(dt.date(2030, 1, 14), dt.date(2030, 1, 15), dt.time(23), dt.time(0))
    assert midnight.within_day() and midnight.describe() == "Mon 14 Jan, 23:00 – 24:00"
    assert timed.document_fields() == {
        "start": "2030-01-14T09:30:00",
        "end": "2030-01-14T10:15:00",
    }
    assert snap(74) == 60 and snap_nearest(74) == 75 and snap_nearest(67) == 60


def test_a_series_resized_through_one_occurrence() -> None:
    series = Span.from_document(
        {"start": "2030-01-07T09:00:00+01:00", "end": "2030-01-07T09:30:00"}
    )
    assert series.start_time == dt.time(9) and series.end_time == dt.time(9, 30)
    one = Span(dt.date(2030, 1, 14), dt.date(2030, 1, 14), dt.time(9), dt.time(9, 30))
    longer = one.with_end(one.start, 10 * 60)
    assert series.shifted_like(one, longer) == Span(
        dt.date(2030, 1, 7), dt.date(2030, 1, 7), dt.time(9), dt.time(10)
    )
    all_day = Span.from_document({"start": "2030-01-01", "end": "2030-01-02"})
    occurrence = Span(dt.date(2030, 1, 8), dt.date(2030, 1, 9))
    assert all_day.shifted_like(occurrence, occurrence.with_end(dt.date(2030, 1, 11))) == Span(
        dt.date(2030, 1, 1), dt.date(2030, 1, 4)
    )


intervals = st.lists(
    st.tuples(st.integers(0, 1400), st.integers(0, 300)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=30,
)


@given(intervals)
def test_overlapping_timed_items_never_share_a_column(items: list[tuple[int, int]]) -> None:
    placed = side_by_side(items)
    assert len(placed) == len(items)
    shown = [(begin, max(end, begin + 1)) for begin, end in items]  # an instant takes a sliver
    for n, ((begin, end), (column, columns)) in enumerate(zip(shown, placed, strict=True)):
        assert 0 <= column < columns
        for m in range(n):
            other_begin, other_end = shown[m]
            if begin < other_end and other_begin < end:
                assert placed[m][0] != column
                assert placed[m][1] == columns  # one cluster shares one width


def occurrence(uid: str, start: int, length: int, **more: object) -> Occurrence:
    first = BASE + dt.timedelta(days=start)
    return Occurrence(
        uid,
        uid,
        str(more.get("kind", "other")),
        str(more.get("team", "marketing")),
        "planned",
        "small",
        first,
        first + dt.timedelta(days=length),
        personas=tuple(more.get("personas", ())),  # type: ignore[arg-type]
    )


@given(st.lists(st.tuples(st.integers(-10, 95), st.integers(0, 20)), max_size=40))
def test_bars_in_a_lane_never_overlap_and_all_are_placed(raw: list[tuple[int, int]]) -> None:
    items = [occurrence(f"i{n}", start, length) for n, (start, length) in enumerate(raw)]
    bars = stack(items, BASE, 92)
    visible = [o for o in items if o.end >= BASE and o.start <= BASE + dt.timedelta(days=91)]
    assert sorted(b.occurrence.uid for b in bars) == sorted(o.uid for o in visible)
    for a in bars:
        for b in bars:
            if a is not b and a.lane == b.lane:
                assert a.last < b.first or b.last < a.first


def test_swim_lanes_by_team_kind_and_persona() -> None:
    items = [
        occurrence("expo", 3, 2, kind="tradeshow", team="sales", personas=("olga", "ivan")),
        occurrence("mail", 5, 0, kind="email_campaign", personas=("olga",)),
        occurrence("note", 8, 0, kind="mystery"),
    ]
    teams = timeline_lanes(items, "team")
    assert [(g.key, [o.uid for o in g.occurrences]) for g in teams] == [
        ("marketing", ["mail", "note"]),
        ("sales", ["expo"]),
        ("joint", []),
    ]
    kinds = timeline_lanes(items, "kind")
    assert [g.label for g in kinds] == ["Email campaign", "Tradeshow", "mystery"]
    people = timeline_lanes(items, "persona", [("ivan", "Ivan IT"), ("olga", "Olga Ops")])
    assert [(g.label, [o.uid for o in g.occurrences]) for g in people] == [
        ("Ivan IT", ["expo"]),
        ("Olga Ops", ["expo", "mail"]),
        ("Everyone", ["note"]),
    ]
    assert people[-1].key == EVERYONE


@settings(deadline=None, max_examples=60)
@given(
    st.sampled_from(["MO", "TU,TH", "-1WE", "2FR", "1MO,3MO"]),
    st.integers(-20, 20),
    st.booleans(),
)
def test_a_series_moved_as_a_whole_keeps_its_rhythm(byday: str, shift: int, until: bool) -> None:
    start = dt.datetime(2030, 1, 7, 9, 0)
    frequency = "MONTHLY" if any(c.isdigit() for c in byday) else "WEEKLY"
    rule = f"FREQ={frequency};BYDAY={byday};" + ("UNTIL=20300630T090000" if until else "COUNT=6")
    moved_start = start + dt.timedelta(days=shift)
    moved = shift_rule(rule, start, moved_start)
    before = list(islice(rrulestr(rule, dtstart=start), 30))
    after = list(islice(rrulestr(moved, dtstart=moved_start), 30))
    # Every occurrence after the first moves by the same number of days (monthly rules
    # counted by weekday may land a week apart at a month's edge, never another weekday).
    assert len(after) in (len(before), len(before) - 1, len(before) + 1)
    for old, new in zip(before[1:4], after[1:4], strict=False):
        assert new.weekday() == (old + dt.timedelta(days=shift)).weekday()
        assert new.time() == old.time()
    if shift % 7 == 0 and not until:
        assert moved == rule


def test_shifting_a_rule_keeps_what_it_does_not_understand() -> None:
    start = dt.datetime(2030, 1, 7)
    later = start + dt.timedelta(days=2)
    assert shift_rule("FREQ=MONTHLY;BYMONTHDAY=7", start, later) == "FREQ=MONTHLY;BYMONTHDAY=9"
    assert shift_rule("FREQ=MONTHLY;BYMONTHDAY=-1", start, later) == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert shift_rule("FREQ=DAILY;UNTIL=junk", start, later) == "FREQ=DAILY;UNTIL=junk"
    assert shift_rule("FREQ=WEEKLY;UNTIL=20300301", start, later) == "FREQ=WEEKLY;UNTIL=20300303"


def test_a_timed_item_ending_at_midnight_takes_only_its_own_day() -> None:
    def timed(start: str, end: str) -> Occurrence:
        s, e = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
        return Occurrence(
            f"{start}/{end}", "Late", "meeting", "sales", "planned", "small", s.date(), e.date(),
            s.time(), e.time(),
        )  # fmt: skip

    monday = dt.date(2030, 1, 14)
    late, night, sunday = (
        timed("2030-01-15T22:00", "2030-01-16T00:00"),  # Tuesday evening only
        timed("2030-01-15T22:00", "2030-01-17T02:00"),  # Tuesday to Thursday morning
        timed("2030-01-20T23:00", "2030-01-21T00:00"),  # Sunday late: not next week
    )
    bars = {b.occurrence.uid: b for b in stack([late, night, sunday], monday, 7)}
    assert (bars[late.uid].first, bars[late.uid].last, bars[late.uid].cut_after) == (1, 1, False)
    assert (bars[night.uid].first, bars[night.uid].last) == (1, 3)
    assert (bars[sunday.uid].last, bars[sunday.uid].cut_after) == (6, False)
    assert stack([sunday], monday + dt.timedelta(days=7), 7) == []
