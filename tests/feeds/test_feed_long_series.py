"""A long series with nights held elsewhere: no feed makes a client skip hundreds of dates
(ical.js gives up on long EXDATE lists), and every parser still reads the same nights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bolin_events.calendar import MAX_EXDATES
from tests.conftest import Client, Staff
from tests.feeds.helpers import (
    TZ,
    feed,
    pin_clock,
    seen_by_ical,
    seen_by_icalendar,
    vevents,
)

FIRST = datetime(2027, 1, 1, 19, 0, tzinfo=TZ)
WINDOW = ("2026-12-01", "2030-01-01")
HERE, THERE = "/feeds/venues/qingqing-park.ics", "/feeds/venues/jiayue-farm.ics"
VILLAGE_HERE, VILLAGE_THERE = "/feeds/villages/huagai.ics", "/feeds/villages/dongsheng.ics"


async def daily_series(client: Client, staff: Staff, nights: int) -> int:
    """A published evening every day at 清青乐园 from 2027-01-01, ``nights`` of them."""
    pin_clock(client, datetime(2026, 12, 1, tzinfo=UTC))
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "清青乐园夜游", "category": "culture", "venue": "qingqing-park",
        "start": FIRST.isoformat(), "end": (FIRST + timedelta(hours=2)).isoformat(),
        "rrule": f"FREQ=DAILY;COUNT={nights}", "status": "published"})
    assert created.status_code == 201, created.text
    event_id: int = created.json()["id"]
    return event_id


async def move_to_the_farm(client: Client, staff: Staff, event_id: int, day: int) -> None:
    """Night ``day`` (0 is the first) held at 嘉悦农场 instead, an hour later."""
    start = FIRST + timedelta(days=day)
    moved = await client.post(
        f"/api/v1/occurrences/{event_id}-{start.strftime('%Y%m%dT%H%M%S')}/move",
        json={"start": (start + timedelta(hours=1)).isoformat(),
              "end": (start + timedelta(hours=3)).isoformat(), "venue": "jiayue-farm"},
        headers=staff.scheduler)
    assert moved.status_code == 200, moved.text


def nights(event_id: int, days: list[int], *, moved: bool) -> list[tuple[int, datetime,
                                                                          datetime, bool]]:
    """What a calendar shows for those nights: at 19:00 for two hours, or moved an hour on."""
    shift = timedelta(hours=1 if moved else 0)
    return [(event_id, (FIRST + timedelta(days=d) + shift).astimezone(UTC),
             (FIRST + timedelta(days=d, hours=2) + shift).astimezone(UTC), False)
            for d in days]


def exdates_per_event(body: bytes) -> int:
    return max([sum(line.startswith("EXDATE") for line in block) for block in vevents(body)],
               default=0)


def assert_read_alike(body: bytes, expected: list[tuple[int, datetime, datetime, bool]]) -> None:
    assert seen_by_icalendar(body, *WINDOW) == expected
    assert seen_by_ical(body, *WINDOW) == expected
    assert exdates_per_event(body) <= MAX_EXDATES


async def test_one_night_of_a_thousand_moved_is_one_night_in_its_venues_feeds(
        client: Client, staff: Staff) -> None:
    series = await daily_series(client, staff, 1000)
    await move_to_the_farm(client, staff, series, 151)
    stayed = [day for day in range(1000) if day != 151]

    for path in (THERE, VILLAGE_THERE):
        body = await feed(client, path)

        assert_read_alike(body, nights(series, [151], moved=True))
        assert len(vevents(body)) == 2  # the series cut to that night, and its override
    for path in (HERE, VILLAGE_HERE, f"/feeds/events/{series}.ics"):
        body = await feed(client, path)

        expected = nights(series, stayed, moved=False)
        if path.startswith("/feeds/events/"):
            expected = sorted(expected + nights(series, [151], moved=True))
        assert_read_alike(body, expected)


async def test_the_series_own_feed_keeps_its_rule_and_one_override(
        client: Client, staff: Staff) -> None:
    series = await daily_series(client, staff, 1000)
    await move_to_the_farm(client, staff, series, 151)

    master, override = vevents(await feed(client, f"/feeds/events/{series}.ics"))

    assert "RRULE:FREQ=DAILY;COUNT=1000" in master
    assert "DTSTART;TZID=Asia/Shanghai:20270101T190000" in master
    assert "RECURRENCE-ID;TZID=Asia/Shanghai:20270601T190000" in override


async def test_a_run_of_nights_held_elsewhere_is_the_rule_cut_to_that_run(
        client: Client, staff: Staff) -> None:
    series = await daily_series(client, staff, 120)
    run = list(range(40, 70))
    for day in run:
        await move_to_the_farm(client, staff, series, day)

    body = await feed(client, THERE)

    master = vevents(body)[0]
    assert "DTSTART;TZID=Asia/Shanghai:20270210T190000" in master
    assert "RRULE:FREQ=DAILY;UNTIL=20270311T110000Z" in master
    assert len(vevents(body)) == 1 + len(run)  # the cut series and each night's override
    assert_read_alike(body, nights(series, run, moved=True))


async def test_nights_scattered_elsewhere_are_sent_as_nights_of_their_own(
        client: Client, staff: Staff) -> None:
    series = await daily_series(client, staff, 200)
    scattered = list(range(5, 200, 8))  # 25 nights, each with seven at home between them
    for day in scattered:
        await move_to_the_farm(client, staff, series, day)
    at_home = [day for day in range(200) if day not in scattered]

    there, here = await feed(client, THERE), await feed(client, HERE)

    assert_read_alike(there, nights(series, scattered, moved=True))
    assert_read_alike(here, nights(series, at_home, moved=False))
    uids = [line for block in vevents(there) for line in block if line.startswith("UID:")]
    assert len(set(uids)) == len(scattered)
    assert f"UID:event-{series}-20270106T110000Z@events.example.test" in uids
    assert not [line for line in there.decode().split("\r\n") if line.startswith("RRULE")]
