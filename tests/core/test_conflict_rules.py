"""Each conflict rule: cases that must fire, and near misses that must not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.conflict_reference import reference_check
from smarketing_desktop.conflicts import (
    Conflict,
    Engine,
    Horizon,
    ItemFacts,
    Names,
    OverrideFacts,
    RuleConfig,
    build_entry,
    resolve,
)
from smarketing_desktop.conflicts.data import Occ
from smarketing_desktop.conflicts.engine import DayIndex
from smarketing_desktop.domain.conflict_rules import check_config, is_default, user_rule_id
from smarketing_desktop.errors import ValidationError

TODAY = dt.date(2027, 3, 1)
NAMES = Names({"ted": "Ted Okafor"}, {"olivia": "Operations Olivia", "ian": "IT Ian"})
PERSONAS = ("ian", "olivia")


def day(n: int) -> dt.date:
    """Day ``n`` of March 2027."""
    return dt.date(2027, 3, n)


def item(uid: str, kind: str, first: int, last: int | None = None, **more) -> ItemFacts:
    return ItemFacts(
        uid=uid,
        title=uid.capitalize(),
        kind=kind,
        start_date=day(first),
        end_date=day(last if last is not None else first),
        signoff_marketing=True,
        signoff_sales=True,
        **more,
    )


def timed(uid: str, kind: str, on: int, hour: int, minutes: int = 60, **more) -> ItemFacts:
    start = dt.datetime(2027, 3, on, hour)
    end = start + dt.timedelta(minutes=minutes)
    return ItemFacts(
        uid=uid,
        title=uid.capitalize(),
        kind=kind,
        start_date=start.date(),
        end_date=end.date(),
        start_time=start.time(),
        end_time=end.time(),
        signoff_marketing=True,
        signoff_sales=True,
        **more,
    )


def check(*facts: ItemFacts, rules=(), today: dt.date = TODAY, personas=PERSONAS) -> list[Conflict]:
    """The conflicts of ``facts``; the reference must find the same."""
    resolved = resolve(rules)
    horizon = Horizon.of(facts)
    engine = Engine(resolved, today=today, names=NAMES, personas=personas)
    engine.check([e for f in facts if (e := build_entry(f, horizon))])
    expected = reference_check(
        [e for f in facts if (e := build_entry(f, horizon))],
        resolved,
        today=today,
        names=NAMES,
        personas=personas,
    )
    assert sorted(engine.conflicts, key=repr) == sorted(expected, key=repr)
    return sorted(engine, key=lambda c: (c.rule, c.start, c.items))


def of(rule: str, conflicts: list[Conflict]) -> list[Conflict]:
    return [c for c in conflicts if c.rule == rule]


# --- email-during-tradeshow ---------------------------------------------------------

EXPO = item("expo", "tradeshow", 10, 12, impact="big")


def test_a_big_email_during_a_tradeshow_is_an_error() -> None:
    (found,) = of(
        "email-during-tradeshow", check(EXPO, item("blast", "email_campaign", 11, impact="big"))
    )
    assert (found.severity, found.items, found.start, found.end) == (
        "error",
        ("blast", "expo"),
        day(11),
        day(11),
    )
    assert found.message == (
        "“Blast” goes out during “Expo” (10–12 Mar 2027), so sales cannot follow up the leads."
    )


def test_a_smaller_email_is_a_warning_and_the_follow_up_days_count() -> None:
    (found,) = check(EXPO, item("blast", "email_campaign", 14, impact="medium"))
    assert (found.rule, found.severity) == ("email-during-tradeshow", "warning")
    assert "2 days after “Expo”" in found.message and "2 follow-up days" in found.message


def test_an_email_a_day_after_the_buffer_or_before_the_show_is_fine() -> None:
    assert (
        check(EXPO, item("later", "email_campaign", 15), item("early", "email_campaign", 9)) == []
    )


def test_changed_buffer_impact_and_severity() -> None:
    rules = [
        RuleConfig(
            "email-during-tradeshow",
            severity="warning",
            params={"buffer_before": 1, "buffer_after": 0, "min_impact": "medium"},
        )
    ]
    found = check(
        EXPO,
        item("eve", "email_campaign", 9, impact="big"),
        item("after", "email_campaign", 13, impact="big"),
        item("small", "email_campaign", 11, impact="small"),
        rules=rules,
    )
    assert [(c.items[0], c.severity) for c in found] == [("eve", "warning")]
    assert "1 day before “Expo”" in found[0].message


def test_the_rule_can_be_switched_off() -> None:
    off = [RuleConfig("email-during-tradeshow", enabled=False)]
    assert check(EXPO, item("blast", "email_campaign", 11), rules=off) == []


# --- promotion-overlap --------------------------------------------------------------


def test_promotions_for_a_shared_persona_overlap() -> None:
    (found,) = check(
        item("spring", "promotion", 1, 10, personas=("olivia",)),
        item("expo-deal", "promotion", 8, 20, personas=("olivia", "ian")),
    )
    assert (found.rule, found.severity, found.start, found.end) == (
        "promotion-overlap",
        "warning",
        day(8),
        day(10),
    )
    assert "for Operations Olivia" in found.message


def test_promotions_for_other_personas_or_back_to_back_do_not() -> None:
    assert (
        check(
            item("spring", "promotion", 1, 10, personas=("olivia",)),
            item("it-deal", "promotion", 5, 12, personas=("ian",)),
            item("next", "promotion", 11, 15, personas=("olivia",)),
        )
        == []
    )


def test_a_promotion_without_personas_is_for_everyone() -> None:
    (found,) = check(
        item("spring", "promotion", 1, 10, personas=("olivia",)),
        item("sale", "promotion", 10, 11),
    )
    assert found.items == ("sale", "spring") and found.start == found.end == day(10)


# --- persona-fatigue ----------------------------------------------------------------


def test_more_than_three_outbound_items_in_a_week_tire_a_persona() -> None:
    found = check(
        item("mail", "email_campaign", 2, personas=("olivia",)),
        item("ad", "ad_campaign", 3, 20, personas=("olivia",)),
        item("post", "social_post", 5, personas=("olivia",)),
        item("webinar", "webinar", 8, personas=("olivia",)),
        item("blog", "blog_post", 6, personas=("olivia",)),
    )
    (tired,) = of("persona-fatigue", found)
    assert tired.persona == "olivia" and tired.items == ("ad", "mail", "post", "webinar")
    assert (tired.start, tired.end) == (day(2), day(8))
    assert tired.message.startswith("Operations Olivia gets 4 outbound items starting 2–8 Mar")
    assert tired.message.endswith("“Mail”, “Ad”, “Post” and “Webinar”.")


def test_fatigue_window_edges() -> None:
    inside = [
        item(f"m{n}", "email_campaign", d, personas=("olivia",)) for n, d in enumerate((1, 3, 5, 7))
    ]
    assert len(of("persona-fatigue", check(*inside))) == 1
    outside = [
        item(f"m{n}", "email_campaign", d, personas=("olivia",)) for n, d in enumerate((1, 3, 5, 8))
    ]
    assert check(*outside) == []
    split = [
        item(f"m{n}", "email_campaign", 2, personas=(p,))
        for n, p in enumerate(("olivia", "olivia", "ian", "ian"))
    ]
    assert check(*split) == []


def test_a_busy_season_is_a_row_of_week_sized_fatigue_conflicts() -> None:
    """A daily email for ten weeks is ten conflicts of a week or two each, not one chain
    across the season (which made every item carry a 70-item conflict)."""
    first = dt.date(2027, 3, 1)  # a Monday
    mails = [
        replace(item(f"m{n:02d}", "email_campaign", 1), start_date=d, end_date=d)
        for n in range(70)
        if (d := first + dt.timedelta(days=n))
    ]
    tired = of("persona-fatigue", check(*mails, personas=()))
    assert len(tired) == 10
    assert all((c.end - c.start).days <= 12 and c.start.weekday() == 0 for c in tired)
    assert {uid for c in tired for uid in c.items} == {m.uid for m in mails}
    # One item moving far away re-checks only the weeks around it, and the result is
    # what a full check finds.
    resolved = resolve(())
    horizon = Horizon.of(mails)
    engine = Engine(resolved, today=TODAY, names=NAMES)
    engine.check([e for f in mails if (e := build_entry(f, horizon))])
    moved = replace(mails[30], start_date=first + dt.timedelta(days=200))
    moved = replace(moved, end_date=moved.start_date)
    entry = build_entry(moved, Horizon.of([*mails, moved]))
    engine.update(moved.uid, entry)
    again = [*mails[:30], moved, *mails[31:]]
    fresh = Engine(resolved, today=TODAY, names=NAMES)
    fresh.check([e for f in again if (e := build_entry(f, Horizon.of(again)))])
    assert set(engine.conflicts) == set(fresh.conflicts)


def test_untargeted_items_count_for_every_persona_and_parameters_change() -> None:
    mails = [item(f"m{n}", "email_campaign", 2 + n) for n in range(3)]
    targeted = item("it", "email_campaign", 4, personas=("ian",))
    (tired,) = check(*mails, targeted)
    assert tired.persona == "ian" and "IT Ian gets 4" in tired.message
    relaxed = [RuleConfig("persona-fatigue", params={"max_items": 4})]
    assert check(*mails, targeted, rules=relaxed) == []
    narrow = [RuleConfig("persona-fatigue", params={"max_items": 1, "window_days": 2})]
    assert {c.persona for c in check(*mails, rules=narrow)} == {"ian", "olivia"}


# --- blackout -----------------------------------------------------------------------


def test_outbound_work_and_launches_on_a_holiday() -> None:
    holiday = item("holiday", "holiday", 15)
    found = check(
        holiday,
        item("mail", "email_campaign", 15),
        item("launch", "product_launch", 14, 16),
        timed("webinar", "webinar", 15, 16),
        item("blog", "blog_post", 15),
        item("next-day", "email_campaign", 16),
    )
    assert [(c.rule, c.items[0]) for c in found] == [
        ("blackout", "launch"),
        ("blackout", "mail"),
        ("blackout", "webinar"),
    ]
    assert found[1].message == "“Mail” falls on the holiday “Holiday” (15 Mar 2027)."


# --- owner-double-booked ------------------------------------------------------------


def test_one_owner_in_two_meetings_at_once_is_an_error() -> None:
    (found,) = check(
        timed("call", "meeting", 11, 9, owner="ted"),
        timed("demo", "meeting", 11, 9, 90, owner="ted"),
    )
    assert (found.rule, found.severity) == ("owner-double-booked", "error")
    assert found.message.startswith("Ted Okafor owns both “Call” (11 Mar 2027, 09:00)")


def test_meetings_at_different_hours_or_owners_do_not_conflict() -> None:
    assert (
        check(
            timed("call", "meeting", 11, 9, owner="ted"),
            timed("demo", "meeting", 11, 10, owner="ted"),
            timed("other", "meeting", 11, 9, owner="lena"),
            timed("nobody", "meeting", 11, 9),
            timed("blast", "email_campaign", 11, 9, owner="ted"),
        )
        == []
    )


def test_a_meeting_during_the_owners_tradeshow() -> None:
    (found,) = check(
        item("expo", "tradeshow", 10, 12, owner="ted"),
        timed("call", "meeting", 12, 15, owner="ted"),
    )
    assert found.items == ("call", "expo") or found.items == ("expo", "call")


def test_time_zones_are_compared_as_instants() -> None:
    # 08:00 in Tokyo on the 12th is 17:00 in Chicago on the 11th (CST): the same moment.
    tokyo = timed("tokyo", "meeting", 12, 8, owner="ted", tz="Asia/Tokyo")
    chicago = timed("chicago", "meeting", 11, 17, owner="ted", tz="America/Chicago")
    (found,) = check(tokyo, chicago)
    assert found.rule == "owner-double-booked"
    # The same wall-clock hour in two zones is not the same moment.
    berlin = timed("berlin", "meeting", 11, 17, owner="ted", tz="Europe/Berlin")
    assert check(berlin, chicago) == []


# --- missing-signoff ----------------------------------------------------------------


def test_a_campaign_starting_soon_without_sales_sign_off() -> None:
    mail = ItemFacts(
        "mail",
        "Mail",
        "email_campaign",
        start_date=day(11),
        end_date=day(11),
        signoff_marketing=True,
    )
    (found,) = check(mail)
    assert (found.rule, found.severity, found.start) == ("missing-signoff", "warning", day(11))
    assert found.message == "“Mail” starts in 10 days (11 Mar 2027) without sign-off from sales."


def test_signoff_near_misses_and_a_longer_horizon() -> None:
    later = ItemFacts("later", "Later", "promotion", start_date=day(16), end_date=day(20))
    started = ItemFacts("started", "Started", "ad_campaign", start_date=day(1), end_date=day(9))
    signed = item("signed", "product_launch", 5)
    blog = ItemFacts("blog", "Blog", "blog_post", start_date=day(5), end_date=day(5))
    assert check(later, signed, blog, today=day(1)) == []
    assert [c.items for c in check(started, today=day(2))] == []
    longer = [RuleConfig("missing-signoff", params={"days": 15})]
    assert [c.items for c in check(later, rules=longer)] == [("later",)]


# --- user-defined rules -------------------------------------------------------------

NO_WEBINAR_IN_LAUNCH_WEEK = RuleConfig(
    "no-webinar-in-launch-week",
    params={
        "name": "No webinar in launch week",
        "kind_a": "webinar",
        "kind_b": "product_launch",
        "buffer_before": 0,
        "buffer_after": 3,
        "min_impact": None,
    },
    user_defined=True,
)


def test_a_user_defined_rule() -> None:
    launch = item("launch", "product_launch", 2)
    found = check(
        launch,
        timed("webinar", "webinar", 5, 16),
        timed("later", "webinar", 6, 16),
        rules=[NO_WEBINAR_IN_LAUNCH_WEEK],
    )
    (mine,) = of("no-webinar-in-launch-week", found)
    assert mine.items == ("webinar", "launch") and mine.severity == "warning"
    assert "No webinar in launch week" in mine.message and "3 days after “Launch”" in mine.message


def test_email_during_tradeshow_is_an_instance_of_the_general_form() -> None:
    general = RuleConfig(
        "my-email-rule",
        params={
            "name": "Email during a show",
            "kind_a": "email_campaign",
            "kind_b": "tradeshow",
            "buffer_before": 0,
            "buffer_after": 2,
            "min_impact": None,
        },
        user_defined=True,
    )
    plan = (EXPO, item("a", "email_campaign", 11, impact="big"), item("b", "email_campaign", 14))
    builtin = check(*plan)
    mine = check(*plan, rules=[general, RuleConfig("email-during-tradeshow", enabled=False)])
    assert [(c.items, c.severity, c.start) for c in builtin] == [
        (c.items, c.severity, c.start) for c in mine
    ]


def test_a_rule_between_items_of_one_kind_reports_each_pair_once() -> None:
    rule = RuleConfig(
        "one-webinar-a-day",
        severity="error",
        params={"name": "One webinar a day", "kind_a": "webinar", "kind_b": "webinar"},
        user_defined=True,
    )
    found = check(
        item("w1", "webinar", 5), item("w2", "webinar", 5), item("w3", "webinar", 6), rules=[rule]
    )
    assert [c.items for c in found] == [("w1", "w2")]


# --- recurring, cancelled, ideas, unscheduled ---------------------------------------


def test_a_recurring_item_conflicts_by_occurrence_and_names_its_date() -> None:
    newsletter = ItemFacts(
        "newsletter",
        "Newsletter",
        "email_campaign",
        impact="big",
        start_date=day(4),
        end_date=day(4),
        rrule="FREQ=WEEKLY",
        signoff_marketing=True,
        signoff_sales=True,
    )
    (found,) = check(EXPO, newsletter, item("end", "blog_post", 31))
    assert found.start == day(11) and found.days_of("newsletter") == [day(11)]
    assert found.message.startswith("“Newsletter” on 11 Mar 2027 goes out during “Expo”")


def test_skipped_and_moved_occurrences() -> None:
    base = dict(
        uid="newsletter",
        title="Newsletter",
        kind="email_campaign",
        start_date=day(4),
        end_date=day(4),
        rrule="FREQ=WEEKLY;COUNT=4",
        signoff_marketing=True,
        signoff_sales=True,
    )
    assert check(EXPO, ItemFacts(**base, exdates=("2027-03-11",))) == []
    moved_away = OverrideFacts("2027-03-11", day(16), day(16))
    assert check(EXPO, ItemFacts(**base, overrides=(moved_away,))) == []
    moved_in = OverrideFacts("2027-03-18", day(12), day(12))
    found = check(EXPO, ItemFacts(**base, exdates=("2027-03-11",), overrides=(moved_in,)))
    assert [c.start for c in found] == [day(12)]


def test_cancelled_ideas_and_unscheduled_items_never_conflict() -> None:
    assert (
        check(
            EXPO,
            item("cancelled", "email_campaign", 11, status="cancelled"),
            item("idea", "email_campaign", 11, status="idea"),
            ItemFacts("backlog", "Backlog", "email_campaign"),
            item("expo2", "tradeshow", 10, 12, status="cancelled"),
        )
        == []
    )


# --- settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "path", "problem"),
    [
        (
            RuleConfig("persona-fatigue", params={"max_items": 0}),
            "r.params.max_items",
            "at least 1",
        ),
        (
            RuleConfig("persona-fatigue", params={"window_days": "7"}),
            "r.params.window_days",
            "whole number",
        ),
        (RuleConfig("missing-signoff", params={"days": True}), "r.params.days", "whole number"),
        (
            RuleConfig("email-during-tradeshow", params={"buffer_after": 400}),
            "r.params.buffer_after",
            "at most 365",
        ),
        (
            RuleConfig("email-during-tradeshow", params={"min_impact": "huge"}),
            "r.params.min_impact",
            "small, medium, big",
        ),
        (RuleConfig("blackout", severity="fatal"), "r.severity", "error, warning"),
        (RuleConfig("blackout", user_defined=True, params={}), "r.id", "built-in"),
        (RuleConfig("My Rule", user_defined=True, params={}), "r.id", "lower-case"),
        (
            RuleConfig("mine", user_defined=True, params={"kind_a": "webinar"}),
            "r.params.name",
            "must be text",
        ),
        (RuleConfig("mine", user_defined=True, params={"name": " "}), "r.params.name", "empty"),
        (RuleConfig("mine", user_defined=True, params={"name": "x\x00"}), "r.params.name", "NUL"),
        (
            RuleConfig(
                "mine",
                user_defined=True,
                params={"name": "x", "kind_a": "party", "kind_b": "webinar"},
            ),
            "r.params.kind_a",
            "must be one of",
        ),
        (
            RuleConfig(
                "mine",
                user_defined=True,
                params={"name": "x" * 201, "kind_a": "webinar", "kind_b": "webinar"},
            ),
            "r.params.name",
            "longer than 200",
        ),
    ],
)
def test_bad_settings_name_the_field(config: RuleConfig, path: str, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_config(config, "r")
    assert caught.value.path == path and problem in str(caught.value)


def test_settings_defaults_and_ids() -> None:
    assert is_default(RuleConfig("persona-fatigue", params={"max_items": 3}))
    assert not is_default(RuleConfig("persona-fatigue", params={"max_items": 4}))
    assert not is_default(RuleConfig("persona-fatigue", enabled=False))
    # A newer app's parameter is kept and ignored; a newer app's rule too.
    assert check_config(RuleConfig("blackout", params={"future": 1}), "r").params == {"future": 1}
    assert resolve([RuleConfig("from-the-future", params={"x": 1})]) == resolve([])
    assert user_rule_id("No webinar in launch week!", []) == "no-webinar-in-launch-week"
    assert user_rule_id("Blackout", []) == "my-blackout"
    assert user_rule_id("Mine", ["mine"]) == "mine-2"
    assert user_rule_id("<b>&", []) == "b"
    assert user_rule_id("نشرة", []) == "rule"


# --- the index ----------------------------------------------------------------------


@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=40),
    first=st.integers(-10, 220),
    length=st.integers(0, 40),
)
def test_the_day_index_finds_each_overlap_once(spans, first, length) -> None:
    index = DayIndex()
    occs = []
    for start, days in spans:
        occ = Occ(None, 730000 + start, 730000 + start + days)  # type: ignore[arg-type]
        occs.append(occ)
        index.add(occ)
    for occ in occs[::3]:
        index.remove(occ)
    kept = [o for n, o in enumerate(occs) if n % 3]
    q0, q1 = 730000 + first, 730000 + first + length
    found = index.query(q0, q1)
    assert len(found) == len({id(o) for o in found})
    assert {id(o) for o in found} == {id(o) for o in kept if o.d0 <= q1 and o.d1 >= q0}
