"""A whole VCALENDAR: header, one VTIMEZONE per TZID, VEVENT blocks, read back by parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from bolin_events.calendar import (
    EventData,
    FeedHeader,
    Label,
    Night,
    Place,
    ZoneUse,
    render_event,
    render_feed,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = FeedHeader("柏林镇活动; 东胜村 / Bolin events", "柏林镇全部活动, 每六小时更新",
                    "https://events.example.test/feeds/all.ics")
SQUARE = Place(Label("银杏广场", "Ginkgo Square"), latitude=30.1, longitude=103.5)
BOM = b"\xef\xbb\xbf"


def at(day: int, hour: int = 19) -> datetime:
    return datetime(2027, 6, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


def event(number: int, **changes: Any) -> EventData:
    fields: dict[str, Any] = dict(
        uid=f"event-{number}@events.example.test", sequence=1,
        updated_at=datetime(2027, 5, 1, tzinfo=UTC), title=Label(f"活动{number}", "Event"),
        status="published", all_day=False, timezone="Asia/Shanghai", starts_at=at(4),
        ends_at=at(4, 22), place=SQUARE, url=f"https://events.example.test/events/{number}")
    return EventData(**{**fields, **changes})


def all_day(number: int) -> EventData:
    return event(number, all_day=True, starts_at=at(4, 0), ends_at=at(7, 0))


def lines(body: bytes) -> list[str]:
    return body[:-2].replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def test_feed_header_is_the_calendar_properties_without_method() -> None:
    body = render_feed(HEADER, [], [])

    assert lines(body) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bolin Town//bolin-events//ZH",
        "CALSCALE:GREGORIAN",
        "NAME:柏林镇活动\\; 东胜村 / Bolin events",
        "X-WR-CALNAME:柏林镇活动\\; 东胜村 / Bolin events",
        "DESCRIPTION:柏林镇全部活动\\, 每六小时更新",
        "X-WR-CALDESC:柏林镇全部活动\\, 每六小时更新",
        "URL:https://events.example.test/feeds/all.ics",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
        "END:VCALENDAR",
    ]
    assert b"METHOD" not in body


def test_feed_refresh_interval_reads_back_as_six_hours() -> None:
    calendar = icalendar.Calendar.from_ical(render_feed(HEADER, [], []))

    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"


def test_feed_is_crlf_utf8_without_bom_folded_at_75_octets() -> None:
    long_title = Label("柏林镇东胜村银杏夜市暨乡村好物展销会" * 6, "Ginkgo night market " * 6)
    body = render_feed(HEADER, [ZoneUse("Asia/Shanghai", 2027, 2027)],
                       [render_event(event(1, title=long_title))])

    physical = body[:-2].split(b"\r\n")
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert not body.startswith(BOM)
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in physical) <= 75
    assert sum(line.startswith(b" ") for line in physical) >= 5
    assert all(line.decode("utf-8") for line in physical)


def test_feed_has_one_vtimezone_per_tzid_sorted_by_tzid() -> None:
    zones = [ZoneUse("Europe/Berlin", 2027, 2027), ZoneUse("Asia/Shanghai", 2027, 2027)]
    blocks = [render_event(event(1)), render_event(event(2, timezone="Europe/Berlin"))]

    found = lines(render_feed(HEADER, zones, blocks))

    assert found.count("BEGIN:VTIMEZONE") == 2
    assert [line for line in found if line.startswith("TZID:")] == [
        "TZID:Asia/Shanghai", "TZID:Europe/Berlin"]
    assert "DTSTART;TZID=Europe/Berlin:20270604T130000" in found


def test_all_day_only_feed_has_no_vtimezone_and_no_tzid() -> None:
    body = render_feed(HEADER, [], [render_event(all_day(1))])

    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert b"VTIMEZONE" not in body
    assert b"TZID" not in body
    assert read["DTSTART"].dt == date(2027, 6, 4)
    assert read["DTEND"].dt == date(2027, 6, 7)


def test_feed_puts_header_then_timezones_then_blocks_in_their_order() -> None:
    blocks = [render_event(event(2)), render_event(all_day(1))]

    body = render_feed(HEADER, [ZoneUse("Asia/Shanghai", 2027, 2027)], blocks)

    found = lines(body)
    assert [line for line in found if line.startswith(("BEGIN:", "END:", "UID:"))] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VTIMEZONE", "BEGIN:STANDARD", "END:STANDARD", "END:VTIMEZONE",
        "BEGIN:VEVENT", "UID:event-2@events.example.test", "END:VEVENT",
        "BEGIN:VEVENT", "UID:event-1@events.example.test", "END:VEVENT",
        "END:VCALENDAR",
    ]
    assert body.endswith(b"".join(blocks) + b"END:VCALENDAR\r\n")


def test_feed_reads_back_in_icalendar_and_ical_with_its_texts_and_instants() -> None:
    ev = event(1, title=Label("夜市, 特别场; A\\B", "Night market"))
    body = render_feed(HEADER, [ZoneUse("Asia/Shanghai", 2027, 2027)], [render_event(ev)])

    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    strict_calendar = IcsCalendarStream.calendar_from_ics(body.decode())
    (strict,) = strict_calendar.events

    assert strict_calendar.name == ["柏林镇活动; 东胜村 / Bolin events"]
    assert str(read["SUMMARY"]) == "夜市, 特别场; A\\B / Night market"
    assert read["DTSTART"].dt.astimezone(UTC) == datetime(2027, 6, 4, 11, 0, tzinfo=UTC)
    assert read["GEO"].latitude == 30.1
    assert strict.dtstart.astimezone(UTC) == datetime(2027, 6, 4, 11, 0, tzinfo=UTC)


def test_series_feed_expands_to_the_expected_nights() -> None:
    nights = (Night(at(5), "skipped", at(5), at(5, 22), SQUARE),
              Night(at(11), "moved", at(11, 20), at(11, 23), SQUARE),
              Night(at(12), "cancelled", at(12), at(12, 22), SQUARE))
    ev = event(1, rrule="FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270619T110000Z", nights=nights)
    body = render_feed(HEADER, [ZoneUse("Asia/Shanghai", 2027, 2027)], [render_event(ev)])

    found = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        datetime(2027, 6, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC))

    assert [(e["DTSTART"].dt.astimezone(SHANGHAI).strftime("%d %H:%M"), str(e["STATUS"]))
            for e in found] == [("04 19:00", "CONFIRMED"), ("11 20:00", "CONFIRMED"),
                                ("12 19:00", "CANCELLED"), ("18 19:00", "CONFIRMED"),
                                ("19 19:00", "CONFIRMED")]
    assert {str(e["UID"]) for e in found} == {"event-1@events.example.test"}
