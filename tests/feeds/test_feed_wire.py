"""The bytes on the wire: CRLF, folding between characters, escaping, time zones."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from bolin_events.calendar import (
    EventData,
    FeedHeader,
    Label,
    ZoneUse,
    escape_text,
    fold,
    render_event,
    render_feed,
    vtimezone,
)
from tests.conftest import Client, Staff
from tests.feeds.helpers import BEFORE_DEMO, event_blocks, feed, pin_clock, summary

BOM = b"\xef\xbb\xbf"
ODD_TITLE = "夜市, 特别场; A\\B\n第二行"


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def test_fold_keeps_short_lines_whole() -> None:
    assert fold("SUMMARY:夜市") == "SUMMARY:夜市\r\n".encode()


def test_fold_never_splits_a_chinese_character() -> None:
    line = "SUMMARY:" + "柏林镇东胜银杏夜市" * 12

    folded = fold(line)

    parts = folded[:-2].split(b"\r\n")
    assert [len(p) for p in parts] == [74, 73, 73, 73, 43]  # 3-octet characters, ≤75 each
    assert all(p.startswith(b" ") for p in parts[1:])
    assert all(p.decode("utf-8") for p in parts)
    assert folded.replace(b"\r\n ", b"")[:-2].decode("utf-8") == line


def test_escape_text_escapes_separators_backslash_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_escape_text_strips_control_characters() -> None:
    assert escape_text("夜\x00市\x07\tA") == "夜市 A"


def test_vtimezone_for_a_zone_with_summer_time_lists_that_years_changes() -> None:
    block = vtimezone("Europe/Berlin", 2027, 2027).decode().split("\r\n")

    assert block[:8] == ["BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD",
                         "DTSTART:19700101T000000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100",
                         "TZNAME:CET", "END:STANDARD"]
    assert block[8:14] == ["BEGIN:DAYLIGHT", "DTSTART:20270328T020000", "TZOFFSETFROM:+0100",
                           "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT"]
    assert block[14:20] == ["BEGIN:STANDARD", "DTSTART:20271031T030000", "TZOFFSETFROM:+0200",
                            "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD"]


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


async def test_feed_is_crlf_utf8_without_bom_folded_at_75_octets(client: Client,
                                                                 seeded: None) -> None:
    pin_clock(client, BEFORE_DEMO)

    body = await feed(client, "/feeds/all.ics")

    assert not body.startswith(BOM)
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold inside a character would raise here
    assert sum(line.startswith(b" ") for line in lines) > 10


async def test_title_with_separators_and_newline_is_escaped_and_reads_back(
        client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE_DEMO)
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": ODD_TITLE, "title_en": "Night, market; special", "category": "market",
        "venue": "ginkgo-night-market", "start": "2027-06-01T19:00", "end": "2027-06-01T21:00",
        "description_zh": "第一段\n第二段, 含逗号", "status": "published"})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]

    body = await feed(client, f"/feeds/events/{event_id}.ics")

    (block,) = event_blocks(body, event_id)
    assert summary(block) == ("SUMMARY:夜市\\, 特别场\\; A\\\\B\\n第二行 / "
                              "Night\\, market\\; special")
    assert any(line.startswith("DESCRIPTION:第一段\\n第二段\\, 含逗号\\n\\n") for line in block)
    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(read["SUMMARY"]) == f"{ODD_TITLE} / Night, market; special"
    (other,) = IcsCalendarStream.calendar_from_ics(body.decode()).events
    assert other.summary == f"{ODD_TITLE} / Night, market; special"


async def test_long_chinese_title_folds_between_characters(client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE_DEMO)
    title = "柏林镇东胜村银杏夜市暨乡村好物展销会" * 10
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": title, "category": "market", "start": "2027-06-01T19:00",
        "end": "2027-06-01T21:00", "status": "published"})
    assert created.status_code == 201, created.text

    body = await feed(client, f"/feeds/events/{created.json()['id']}.ics")

    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines)
    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(read["SUMMARY"]) == title
