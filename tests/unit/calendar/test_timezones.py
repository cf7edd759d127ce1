"""VTIMEZONE blocks: minimal for Asia/Shanghai, one observance per change in summer-time zones."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from bolin_events.calendar import EventData, FeedHeader, Label, ZoneUse, render_event, render_feed
from bolin_events.calendar.timezones import vtimezone


def lines(block: bytes) -> list[str]:
    assert block.endswith(b"\r\n")
    return block[:-2].decode("utf-8").split("\r\n")


def starts(block: bytes) -> list[str]:
    return [line for line in lines(block) if line.startswith("DTSTART")]


def test_vtimezone_for_asia_shanghai_is_one_standard_at_plus_0800() -> None:
    assert lines(vtimezone("Asia/Shanghai", 2027, 2027)) == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Shanghai",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0800",
        "TZOFFSETTO:+0800",
        "TZNAME:CST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_vtimezone_for_asia_shanghai_in_a_summer_time_year_lists_that_years_changes() -> None:
    block = lines(vtimezone("Asia/Shanghai", 1988, 1988))

    assert block[8:20] == ["BEGIN:DAYLIGHT", "DTSTART:19880417T020000", "TZOFFSETFROM:+0800",
                           "TZOFFSETTO:+0900", "TZNAME:CDT", "END:DAYLIGHT",
                           "BEGIN:STANDARD", "DTSTART:19880911T020000", "TZOFFSETFROM:+0900",
                           "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD"]


def test_vtimezone_for_a_zone_with_summer_time_lists_that_years_changes() -> None:
    block = vtimezone("Europe/Berlin", 2027, 2027).decode().split("\r\n")

    assert block[:8] == ["BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD",
                         "DTSTART:19700101T000000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100",
                         "TZNAME:CET", "END:STANDARD"]
    assert block[8:14] == ["BEGIN:DAYLIGHT", "DTSTART:20270328T020000", "TZOFFSETFROM:+0100",
                           "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT"]
    assert block[14:20] == ["BEGIN:STANDARD", "DTSTART:20271031T030000", "TZOFFSETFROM:+0200",
                            "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD"]


def test_vtimezone_over_two_years_lists_each_years_changes() -> None:
    assert starts(vtimezone("Europe/Berlin", 2027, 2028)) == [
        "DTSTART:19700101T000000", "DTSTART:20270328T020000", "DTSTART:20271031T030000",
        "DTSTART:20280326T020000", "DTSTART:20281029T030000"]


def test_vtimezone_in_the_southern_hemisphere_starts_the_year_in_daylight_time() -> None:
    block = lines(vtimezone("Australia/Sydney", 2027, 2027))

    assert block[2:8] == ["BEGIN:DAYLIGHT", "DTSTART:19700101T000000", "TZOFFSETFROM:+1100",
                          "TZOFFSETTO:+1100", "TZNAME:AEDT", "END:DAYLIGHT"]
    assert block[8:10] == ["BEGIN:STANDARD", "DTSTART:20270404T030000"]


def test_vtimezone_writes_half_hour_offsets_west_of_greenwich() -> None:
    block = lines(vtimezone("America/St_Johns", 2027, 2027))

    assert block[8:12] == ["BEGIN:DAYLIGHT", "DTSTART:20270314T020000", "TZOFFSETFROM:-0330",
                           "TZOFFSETTO:-0230"]


def test_vtimezone_leaves_out_tzname_when_the_zone_has_only_a_numeric_abbreviation() -> None:
    assert lines(vtimezone("America/Sao_Paulo", 2027, 2027)) == [
        "BEGIN:VTIMEZONE", "TZID:America/Sao_Paulo", "BEGIN:STANDARD",
        "DTSTART:19700101T000000", "TZOFFSETFROM:-0300", "TZOFFSETTO:-0300", "END:STANDARD",
        "END:VTIMEZONE"]


def test_event_in_a_summer_time_zone_parses_to_the_same_instants() -> None:
    start = datetime(2027, 3, 26, 18, 0, tzinfo=UTC)  # 19:00 CET, the week before the change
    event = EventData(uid="event-7@events.example.test", sequence=0, updated_at=start,
                      title=Label("柏林音乐会", "Berlin concert"),
                      status="published", all_day=False, timezone="Europe/Berlin",
                      starts_at=start, ends_at=start.replace(hour=20),
                      rrule="FREQ=WEEKLY;COUNT=2")
    body = render_feed(FeedHeader("t", "d", "https://events.example.test/"),
                       [ZoneUse("Europe/Berlin", 2027, 2027)], [render_event(event)])

    first, second = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    parsed = IcsCalendarStream.calendar_from_ics(body.decode())

    assert b"DTSTART;TZID=Europe/Berlin:20270326T190000" in body
    assert first["DTSTART"].dt.astimezone(UTC) == start
    assert second["DTSTART"].dt.astimezone(UTC) == datetime(2027, 4, 2, 17, 0, tzinfo=UTC)
    assert [e.dtstart.astimezone(UTC) for e in parsed.timeline] == [
        start, datetime(2027, 4, 2, 17, 0, tzinfo=UTC)]
