"""The VTIMEZONEs the export writes agree with zoneinfo, and zone names are read back.

The export writes zones the way Outlook and Google do (a 1970 start and a yearly RRULE
for STANDARD and DAYLIGHT) where a zone's rules allow it, and explicit transitions where
they do not. Either way every offset over ten years of transitions must be zoneinfo's.
"""

from __future__ import annotations

import bisect
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from dateutil.rrule import rrulestr

from smarketing_desktop.exchange.ical_timezones import (
    known_zone,
    vtimezone_for,
    zone_from_tzid,
    zone_matching,
)

YEARS = 10
# Northern and southern hemisphere, half- and quarter-hour offsets, a negative DST
# (Dublin), a 30-minute DST (Lord Howe), no DST at all, and irregular rules.
REGULAR = [
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
]
NO_DST = ["Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Moscow", "America/Phoenix"]
IRREGULAR = ["Africa/Casablanca", "America/Santiago", "Asia/Gaza"]
NEGATIVE_DST = {"Africa/Casablanca"}
# Zones whose rules changed inside the ten years from 2016: Brazil and Mexico ended DST
# (2019, 2022), Iran too (2022), Turkey stayed on summer time (2016).
CHANGED = ["America/Sao_Paulo", "America/Mexico_City", "Asia/Tehran", "Europe/Istanbul"]


def _utc_moments(zone: ZoneInfo, first_year: int, last_year: int) -> list[dt.datetime]:
    """Noon UTC every day, and a second either side of every change of offset."""
    moments = []
    moment = dt.datetime(first_year, 1, 1, 12, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    previous = moment.astimezone(zone).utcoffset()
    while moment < end:
        moments.append(moment)
        following = moment + dt.timedelta(days=1)
        offset = following.astimezone(zone).utcoffset()
        if offset != previous:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = (low + (high - low) / 2).replace(microsecond=0)
                if middle.astimezone(zone).utcoffset() == previous:
                    low = middle
                else:
                    high = middle
            moments += [low, high, high + dt.timedelta(hours=1)]
        previous = offset
        moment = following
    return moments


def _onsets(component: icalendar.Timezone, until: int) -> list[tuple[dt.datetime, dt.timedelta]]:
    """Each change of the zone as (UTC instant, offset after it), read as RFC 5545 says:
    an observance's DTSTART, RDATEs and RRULE give local times in its TZOFFSETFROM."""
    onsets = []
    for part in component.subcomponents:
        offset_from = part.decoded("TZOFFSETFROM")
        offset_to = part.decoded("TZOFFSETTO")
        start = part.decoded("DTSTART")
        local = [start]
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            local += [d.dt for d in rdate.dts]
        if "RRULE" in part:
            rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=start)
            local += list(rule.between(start, dt.datetime(until, 12, 31), inc=True))
        onsets += [((t - offset_from).replace(tzinfo=dt.UTC), offset_to) for t in set(local)]
    return sorted(onsets)


def _rfc_offset(
    onsets: list[tuple[dt.datetime, dt.timedelta]], moment: dt.datetime
) -> dt.timedelta:
    index = bisect.bisect_right([instant for instant, _ in onsets], moment) - 1
    assert index >= 0, f"{moment} lies before the zone's first observance"
    return onsets[index][1]


def _check_against_zoneinfo(name: str, year: int) -> icalendar.Timezone:
    component = vtimezone_for(name, year=year)
    text = component.to_ical()
    parsed = icalendar.Timezone.from_ical(text)
    theirs = ZoneInfo(name)
    moments = _utc_moments(theirs, year, year + YEARS - 1)
    assert len(moments) > 365 * YEARS
    onsets = _onsets(parsed, year + YEARS)
    wrong = [m for m in moments if _rfc_offset(onsets, m) != m.astimezone(theirs).utcoffset()]
    assert wrong == [], f"{name}: {len(wrong)} moments differ, first {wrong[:3]}"
    if name in NEGATIVE_DST:
        # dateutil (behind icalendar's and vobject's zones) assumes daylight saving adds
        # time; around Morocco's Ramadan hour it is wrong whatever the file says.
        return parsed
    ours = parsed.to_tz(lookup_tzid=False)
    wrong = [
        m for m in moments if m.astimezone(ours).utcoffset() != m.astimezone(theirs).utcoffset()
    ]
    assert wrong == [], f"{name} (icalendar): {len(wrong)} moments differ, first {wrong[:3]}"
    # A second parser reads the same offsets.
    wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{text.decode()}END:VCALENDAR\r\n"
    other = vobject.readOne(wrapped).vtimezone.gettzinfo()
    assert all(m.astimezone(other).utcoffset() == m.astimezone(theirs).utcoffset() for m in moments)
    return parsed


@pytest.mark.parametrize("name", REGULAR)
def test_a_zone_with_yearly_rules_is_written_as_outlook_and_google_write_it(name: str) -> None:
    parsed = _check_against_zoneinfo(name, 2027)
    parts = parsed.subcomponents
    assert sorted(p.name for p in parts) == ["DAYLIGHT", "STANDARD"]
    for part in parts:
        assert part.decoded("DTSTART").year == 1970
        rule = part["RRULE"]
        assert rule["FREQ"] == ["YEARLY"] and "BYMONTH" in rule and "BYDAY" in rule
    assert str(parsed["TZID"]) == name


@pytest.mark.parametrize("name", NO_DST)
def test_a_zone_without_daylight_saving_has_one_standard_part(name: str) -> None:
    parsed = _check_against_zoneinfo(name, 2027)
    assert [p.name for p in parsed.subcomponents] == ["STANDARD"]
    assert parsed.subcomponents[0].decoded("DTSTART") == dt.datetime(1970, 1, 1)


@pytest.mark.parametrize("name", IRREGULAR)
def test_a_zone_without_a_weekday_rule_gets_explicit_transitions(name: str) -> None:
    _check_against_zoneinfo(name, 2027)


@pytest.mark.parametrize("name", CHANGED)
def test_a_zone_whose_rules_changed_keeps_the_old_and_the_new_offsets(name: str) -> None:
    parsed = _check_against_zoneinfo(name, 2016)
    assert "RRULE" not in parsed.to_ical().decode()  # no single yearly rule fits 2016–2025


def test_the_rules_must_hold_for_every_year_the_calendar_spans() -> None:
    # Mexico City ended daylight saving in 2022: one event in 2020 is enough to need it.
    recent = vtimezone_for("America/Mexico_City", year=2027)
    assert [p.name for p in recent.subcomponents] == ["STANDARD"]
    spanning = vtimezone_for("America/Mexico_City", year=2027, first_year=2020)
    tz = icalendar.Timezone.from_ical(spanning.to_ical()).to_tz(lookup_tzid=False)
    summer_2020 = dt.datetime(2020, 7, 1, 12, tzinfo=dt.UTC)
    assert summer_2020.astimezone(tz).utcoffset() == dt.timedelta(hours=-5)


def test_an_unknown_zone_is_refused() -> None:
    assert not known_zone("Mars/Olympus_Mons")
    assert not known_zone("../../etc/passwd")
    with pytest.raises(ValueError, match="unknown time zone"):
        vtimezone_for("Mars/Olympus_Mons")


@pytest.mark.parametrize(
    ("tzid", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ('"Europe/Berlin"', "Europe/Berlin"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Eastern Standard Time", "America/New_York"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("/mozilla.org/20070129_1/Europe/London", "Europe/London"),
        ("/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires",
         "America/Argentina/Buenos_Aires"),
        ("Customized Time Zone", None),
        ("Mitteleuropaeische Zeit (Berlin)", None),
    ],
)  # fmt: skip
def test_zone_names_of_real_files_map_to_iana_names(tzid: str, expected: str | None) -> None:
    assert zone_from_tzid(tzid) == expected


def test_a_windows_name_maps_even_after_a_file_defined_it_as_a_custom_zone() -> None:
    # icalendar caches custom zones process-wide; our lookup must not be fooled by that.
    icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Eastern Standard Time\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0300\r\n"
        "TZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n"
    )
    assert zone_from_tzid("Eastern Standard Time") == "America/New_York"


def _custom(tzid: str, *parts: tuple[str, str, str, str, str]) -> dt.tzinfo:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for kind, start, offset_from, offset_to, rule in parts:
        lines += [f"BEGIN:{kind}", f"DTSTART:{start}", f"TZOFFSETFROM:{offset_from}"]
        lines += [f"TZOFFSETTO:{offset_to}", f"RRULE:{rule}", f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    component = icalendar.Timezone.from_ical("\r\n".join(lines) + "\r\n")
    return component.to_tz(lookup_tzid=False)


def test_a_custom_zone_is_matched_to_the_iana_zone_with_the_same_offsets() -> None:
    berlin_like = _custom(
        "Mitteleuropaeische Zeit (Berlin)",
        ("DAYLIGHT", "19810329T020000", "+0100", "+0200", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
        ("STANDARD", "19961027T030000", "+0200", "+0100", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
    )
    assert zone_matching(berlin_like, 2027, hint="Mitteleuropaeische Zeit (Berlin)") == (
        "Europe/Berlin"
    )
    sydney_like = _custom(
        "Customized Time Zone",
        ("STANDARD", "16010405T030000", "+1100", "+1000", "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"),
        ("DAYLIGHT", "16011005T020000", "+1000", "+1100", "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU"),
    )
    found = zone_matching(sydney_like, 2027, hint="Customized Time Zone")
    assert found is not None and ZoneInfo(found).utcoffset(dt.datetime(2027, 1, 1)) == dt.timedelta(
        hours=11
    )
    nowhere = _custom("Atlantis", ("STANDARD", "19700101T000000", "-0217", "-0217", "FREQ=YEARLY"))
    assert zone_matching(nowhere, 2027) is None
