"""A series by the Chinese calendar in feeds: one VEVENT listing its nights as RDATEs, the first
night too, with moved and cancelled nights as overrides, read alike by both parsers.

The ``ical`` package leaves out the DTSTART night of a VEVENT with RDATE but no RRULE, while
icalendar with recurring-ical-events keeps it; listing DTSTART among the RDATEs makes them
agree, and every test here holds both against the nights the API stores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bolin_events.calendar import RDATES_PER_LINE
from bolin_events.cli import feeds as feed_check
from tests.conftest import Client, Staff
from tests.feeds.helpers import (
    TZ,
    Seen,
    event_blocks,
    feed,
    pin_clock,
    seen_by_api,
    seen_by_ical,
    seen_by_icalendar,
)

WINDOW = ("2027-01-01", "2031-01-01")
BEFORE = datetime(2027, 1, 1, tzinfo=UTC)
PARK, FARM = "/feeds/venues/qingqing-park.ics", "/feeds/venues/jiayue-farm.ics"
MID_AUTUMN = ["2027-09-15", "2028-10-03", "2029-09-22", "2030-09-12"]  # 农历八月十五


def at(day: str, clock: str = "19:30") -> datetime:
    """A wall-clock time in 柏林镇 as the UTC instant a parser gives."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ).astimezone(UTC)


def stamp(day: str, clock: str = "19:30") -> str:
    return datetime.fromisoformat(f"{day}T{clock}").strftime("%Y%m%dT%H%M%S")


async def lunar_series(client: Client, staff: Staff, rule: str, start: str, end: str,
                       **fields: Any) -> int:
    """A published series at 清青乐园 by ``rule``, starting on or after ``start``."""
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "中秋游园会", "title_en": "Mid-Autumn garden party", "category": "culture",
        "venue": "qingqing-park", "start": start, "end": end, "calendar_rule": rule,
        "status": "published", **fields})
    assert created.status_code == 201, created.text
    event_id: int = created.json()["id"]
    return event_id


async def night_action(client: Client, staff: Staff, night: str, action: str,
                       **body: str) -> None:
    response = await client.post(f"/api/v1/occurrences/{night}/{action}", json=body or None,
                                 headers=staff.scheduler)
    assert response.status_code == 200, response.text


async def mid_autumn(client: Client, staff: Staff) -> int:
    """中秋 2027–2030 at 19:30: 2028's night a day later at 20:00, 2029's cancelled."""
    pin_clock(client, BEFORE)
    series = await lunar_series(client, staff, "LUNAR;MONTH=8;DAY=15;COUNT=4",
                                "2027-09-01T19:30", "2027-09-01T21:30")
    await night_action(client, staff, f"{series}-{stamp('2028-10-03')}", "move",
                       start="2028-10-04T20:00", end="2028-10-04T22:00")
    await night_action(client, staff, f"{series}-{stamp('2029-09-22')}", "cancel",
                       reason="台风 / Typhoon")
    return series


async def stored(client: Client, **filters: Any) -> list[Seen]:
    """The nights the API holds over ``WINDOW``, asked two years at a time (its limit)."""
    return [*await seen_by_api(client, "2027-01-01", "2029-01-01", **filters),
            *await seen_by_api(client, "2029-01-01", "2031-01-01", **filters)]


def read_alike(body: bytes, start: str = WINDOW[0], end: str = WINDOW[1]) -> list[Seen]:
    by_icalendar = seen_by_icalendar(body, start, end)
    assert seen_by_ical(body, start, end) == by_icalendar
    return by_icalendar


def master(body: bytes, event_id: int) -> list[str]:
    return event_blocks(body, event_id)[0]


def rdates(block: list[str]) -> list[str]:
    """Every RDATE value of a VEVENT, in order."""
    return [value for line in block if line.startswith("RDATE")
            for value in line.split(":", 1)[1].split(",")]


async def test_mid_autumn_series_moved_and_cancelled_reads_the_same_in_both_parsers(
        client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    expected = [(series, at("2027-09-15"), at("2027-09-15", "21:30"), False),
                (series, at("2028-10-04", "20:00"), at("2028-10-04", "22:00"), False),
                (series, at("2029-09-22"), at("2029-09-22", "21:30"), True),
                (series, at("2030-09-12"), at("2030-09-12", "21:30"), False)]
    assert await stored(client, event_id=series) == expected

    for path in ("/feeds/all.ics", PARK, "/feeds/categories/culture.ics",
                 f"/feeds/events/{series}.ics"):
        body = await feed(client, path)

        assert read_alike(body) == expected, path
        block, moved, cancelled = event_blocks(body, series)
        assert "DTSTART;TZID=Asia/Shanghai:20270915T193000" in block
        assert "DTEND;TZID=Asia/Shanghai:20270915T213000" in block
        assert rdates(block) == [stamp(day) for day in MID_AUTUMN]  # the first night too
        assert not [line for line in block if line.startswith(("RRULE", "EXDATE"))]
        assert "RECURRENCE-ID;TZID=Asia/Shanghai:20281003T193000" in moved
        assert "RECURRENCE-ID;TZID=Asia/Shanghai:20290922T193000" in cancelled
        assert "SUMMARY:【已取消】中秋游园会 / [Cancelled] Mid-Autumn garden party" in cancelled
        assert [line for line in cancelled if line.startswith(
            "DESCRIPTION:本场取消 / This night is cancelled: 台风 / Typhoon")]


async def test_lunar_series_feed_passes_the_feed_check(client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    body = await feed(client, f"/feeds/events/{series}.ics")

    report = feed_check.check_bytes(body, now=BEFORE, days=4 * 366)

    assert report.problems == []
    assert report.events == 3  # the series and its two overrides
    assert [start for start, _ in report.occurrences] == [
        at("2027-09-15"), at("2028-10-04", "20:00"), at("2029-09-22"), at("2030-09-12")]


async def test_skipped_first_night_is_in_neither_parser_and_the_next_is_dtstart(
        client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    await night_action(client, staff, f"{series}-{stamp('2027-09-15')}", "skip")

    body = await feed(client, "/feeds/all.ics")

    starts = [seen[1] for seen in read_alike(body)]
    assert starts == [at("2028-10-04", "20:00"), at("2029-09-22"), at("2030-09-12")]
    assert starts == [seen[1] for seen in await stored(client, event_id=series)]
    block = master(body, series)
    assert "DTSTART;TZID=Asia/Shanghai:20281003T193000" in block  # the moved night's own
    assert rdates(block) == [stamp(day) for day in MID_AUTUMN[1:]]
    assert not [line for line in block if line.startswith("EXDATE")]


async def test_solar_term_series_lists_each_years_term(client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE)
    series = await lunar_series(client, staff, "TERM;NAME=秋分;COUNT=3", "2027-09-01T09:00",
                                "2027-09-01T12:00", title_zh="中国农民丰收节")

    body = await feed(client, "/feeds/all.ics")

    expected = [(series, at(day, "09:00"), at(day, "12:00"), False)
                for day in ("2027-09-23", "2028-09-22", "2029-09-23")]  # 秋分
    assert read_alike(body) == expected
    assert await stored(client, event_id=series) == expected
    assert rdates(master(body, series)) == ["20270923T090000", "20280922T090000",
                                            "20290923T090000"]


async def test_all_day_lunar_series_lists_dates(client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE)
    series = await lunar_series(client, staff, "LUNAR;MONTH=9;DAY=9;COUNT=3", "2027-09-01",
                                "2027-09-01", all_day=True, title_zh="重阳敬老活动")
    await night_action(client, staff, f"{series}-20281026", "cancel", reason="雨 / Rain")

    body = await feed(client, "/feeds/all.ics")

    expected = [(series, date(2027, 10, 8), date(2027, 10, 9), False),  # 重阳
                (series, date(2028, 10, 26), date(2028, 10, 27), True),
                (series, date(2029, 10, 16), date(2029, 10, 17), False)]
    assert read_alike(body) == expected
    assert await stored(client, event_id=series) == expected
    block, cancelled = event_blocks(body, series)
    assert "DTSTART;VALUE=DATE:20271008" in block
    assert "DTEND;VALUE=DATE:20271009" in block
    assert "RDATE;VALUE=DATE:20271008,20281026,20291016" in block
    assert "RECURRENCE-ID;VALUE=DATE:20281026" in cancelled


async def test_long_lunar_days_series_is_folded_in_short_rdate_lines(
        client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE)
    series = await lunar_series(client, staff, "LUNARDAYS;ENDINGS=3,6,9;COUNT=45",
                                "2027-02-01T08:00", "2027-02-01T12:00", title_zh="逢三六九集市")

    response = await client.get("/feeds/all.ics")

    body = response.content
    physical = body.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    block = master(body, series)
    groups = [line for line in block if line.startswith("RDATE;TZID=Asia/Shanghai:")]
    assert len(groups) == -(-45 // RDATES_PER_LINE)
    assert len(rdates(block)) == 45
    seen = read_alike(body, "2027-01-01", "2028-01-01")
    assert seen == await seen_by_api(client, "2027-01-01", "2028-01-01", event_id=series)
    # 腊月廿六, 廿九 (除夕: that 腊月 has 29 days), 正月初三, 初六, 初九, 十三
    assert [s[1].astimezone(TZ).date().isoformat() for s in seen[:6]] == [
        "2027-02-02", "2027-02-05", "2027-02-08", "2027-02-11", "2027-02-14", "2027-02-18"]
    assert feed_check.check_bytes(body, now=BEFORE, days=366).problems == []


async def test_nights_long_past_leave_a_town_feed_but_stay_in_the_events_own(
        client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    pin_clock(client, datetime(2029, 6, 1, tzinfo=UTC))  # 2027 and 2028 over by > 180 days

    town = await feed(client, "/feeds/all.ics")
    own = await feed(client, f"/feeds/events/{series}.ics")

    assert [seen[1] for seen in read_alike(town)] == [at("2029-09-22"), at("2030-09-12")]
    block, override = event_blocks(town, series)  # the 2028 override left with its night
    assert "DTSTART;TZID=Asia/Shanghai:20290922T193000" in block
    assert "RECURRENCE-ID;TZID=Asia/Shanghai:20290922T193000" in override
    assert rdates(block) == [stamp(day) for day in MID_AUTUMN[2:]]
    assert len(read_alike(own)) == 4


async def test_night_moved_to_another_venue_shows_only_in_that_venues_feed(
        client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    await night_action(client, staff, f"{series}-{stamp('2030-09-12')}", "move",
                       start="2030-09-12T19:30", end="2030-09-12T21:30", venue="jiayue-farm")

    farm = await feed(client, FARM)
    park = await feed(client, PARK)

    assert read_alike(farm) == await stored(client, venue="jiayue-farm")
    assert [seen[1] for seen in read_alike(farm)] == [at("2030-09-12")]
    assert rdates(master(farm, series)) == [stamp("2030-09-12")]
    assert read_alike(park) == await stored(client, venue="qingqing-park")
    assert [seen[1] for seen in read_alike(park)] == [
        at("2027-09-15"), at("2028-10-04", "20:00"), at("2029-09-22")]


@pytest.mark.parametrize(("night", "start", "end"), [
    ("2028-10-03", at("2028-10-04", "20:00"), at("2028-10-04", "22:00")),  # moved
    ("2030-09-12", at("2030-09-12"), at("2030-09-12", "21:30")),
])
async def test_one_night_download_of_a_lunar_series(client: Client, staff: Staff, night: str,
                                                    start: datetime, end: datetime) -> None:
    series = await mid_autumn(client, staff)

    body = await feed(client, f"/feeds/events/{series}/nights/{series}-{stamp(night)}.ics")

    assert read_alike(body) == [(series, start, end, False)]
    assert b"RDATE" not in body


async def test_upcoming_download_of_a_lunar_series_lists_the_nights_to_come(
        client: Client, staff: Staff) -> None:
    series = await mid_autumn(client, staff)
    pin_clock(client, datetime(2028, 1, 1, tzinfo=UTC))

    body = await feed(client, f"/feeds/events/{series}/upcoming.ics")

    assert [seen[1] for seen in read_alike(body)] == [
        at("2028-10-04", "20:00"), at("2029-09-22"), at("2030-09-12")]
    block = master(body, series)
    assert "DTSTART;TZID=Asia/Shanghai:20281003T193000" in block
    assert rdates(block) == [stamp(day) for day in MID_AUTUMN[1:]]
