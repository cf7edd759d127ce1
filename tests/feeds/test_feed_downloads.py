"""What a visitor downloads to add to a phone once: one night, or the nights still to come."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bolin_events.models import Event, Occurrence
from bolin_events.services.scheduling.occurrences import occurrence_id
from tests.conftest import Client, Staff
from tests.feeds.helpers import (
    BEFORE_DEMO,
    TZ,
    event_blocks,
    event_id_by_key,
    lines,
    pin_clock,
    seen_by_api,
    seen_by_ical,
    seen_by_icalendar,
    vevents,
)

MARKET = "东胜银杏夜市（演示）"
OPENING = "2027嗨夏季开幕式（演示）"
DRAFT = "秋季村晚筹备（草稿，演示）"
SEASON = ("2027-06-01", "2027-10-01")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


async def night_id(client: Client, event_id: int, original_start: str) -> str:
    """The night's public id (what /api/v1/occurrences gives and the event page links to)."""
    async with client.app.state.sessionmaker() as session:
        found = await session.exec(select(Occurrence).where(
            Occurrence.event_id == event_id,
            Occurrence.recurrence_id == local(original_start).astimezone(UTC)))
        night = found.one()
        event = await session.get(Event, event_id)
        assert event is not None
        return occurrence_id(event, night)


async def draft_id(client: Client) -> int:
    async with client.app.state.sessionmaker() as session:
        return int((await session.exec(select(Event.id).where(Event.title_zh == DRAFT))).one()
                   or 0)


async def download(client: Client, path: str, **params: str) -> bytes:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["content-disposition"].endswith('.ics"')
    return response.content


def alarms(block: list[str]) -> list[str]:
    start = block.index("BEGIN:VALARM") if "BEGIN:VALARM" in block else len(block)
    return block[start:block.index("END:VALARM") + 1] if start < len(block) else []


async def test_moved_night_downloads_alone_as_it_now_is_with_a_reminder(
        client: Client, seeded: None) -> None:
    pin_clock(client, BEFORE_DEMO)
    market = await event_id_by_key(client, MARKET)
    night = await night_id(client, market, "2027-06-18T19:00")

    body = await download(client, f"/feeds/events/{market}/nights/{night}.ics")

    (block,) = vevents(body)
    assert f"UID:event-{market}-20270618T110000Z@events.example.test" in block
    assert "DTSTART;TZID=Asia/Shanghai:20270620T190000" in block
    assert not [line for line in block if line.startswith(("RRULE", "RECURRENCE-ID", "EXDATE"))]
    assert any(line.startswith("DESCRIPTION:本场改期 / This night has moved: 因雨改到周日")
               for line in block)
    title = "东胜银杏夜市（演示） / Dongsheng Ginkgo Night Market (demo)"
    assert alarms(block) == ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{title}",
                             "TRIGGER:-PT1H", "END:VALARM"]
    assert "BEGIN:VTIMEZONE" in lines(body)
    # imported once into the phone's own calendar: no calendar of its own, no refresh promised
    head = lines(body)[:lines(body).index("BEGIN:VTIMEZONE")]
    assert head == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bolin Town//bolin-events//ZH",
                    "CALSCALE:GREGORIAN"]
    moved = [s for s in await seen_by_api(client, *SEASON, event_id=market)
             if s[1] == local("2027-06-20T19:00")]
    assert seen_by_icalendar(body, *SEASON) == seen_by_ical(body, *SEASON) == moved


@pytest.mark.parametrize(("alarm", "expected"), [
    ("1d", ["TRIGGER:-P1D"]), ("1h", ["TRIGGER:-PT1H"]), ("none", [])])
async def test_night_reminder_is_the_one_chosen(client: Client, seeded: None, alarm: str,
                                                expected: list[str]) -> None:
    opening = await event_id_by_key(client, OPENING)
    night = await night_id(client, opening, "2027-07-03T19:30")

    body = await download(client, f"/feeds/events/{opening}/nights/{night}.ics", alarm=alarm)

    (block,) = vevents(body)
    assert [line for line in block if line.startswith("TRIGGER")] == expected
    assert f"UID:event-{opening}-20270703T113000Z@events.example.test" in block


async def test_cancelled_night_downloads_cancelled_without_a_reminder(
        client: Client, seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)
    night = await night_id(client, market, "2027-06-26T19:00")

    body = await download(client, f"/feeds/events/{market}/nights/{night}.ics")

    (block,) = vevents(body)
    assert "STATUS:CANCELLED" in block
    assert any(line.startswith("SUMMARY:【已取消】东胜银杏夜市") for line in block)
    assert alarms(block) == []
    assert seen_by_icalendar(body, *SEASON) == seen_by_ical(body, *SEASON) == [
        (market, local("2027-06-26T19:00"), local("2027-06-26T22:30"), True)]


async def test_night_keeps_its_uid_when_it_moves_again(client: Client, seeded: None,
                                                      staff: Staff) -> None:
    market = await event_id_by_key(client, MARKET)
    path = f"/feeds/events/{market}/nights/{await night_id(client, market, '2027-07-02T19:00')}.ics"
    before = vevents(await download(client, path))[0]

    moved = await client.post(f"/api/v1/occurrences/{market}-20270702T190000/move",
                              json={"start": "2027-07-04T18:00", "end": "2027-07-04T21:30"},
                              headers=staff.scheduler)
    assert moved.status_code == 200, moved.text
    after = vevents(await download(client, path))[0]

    assert [line for line in before if line.startswith("UID")] == \
        [line for line in after if line.startswith("UID")]
    assert "DTSTART;TZID=Asia/Shanghai:20270702T190000" in before
    assert "DTSTART;TZID=Asia/Shanghai:20270704T180000" in after


async def test_unknown_draft_skipped_or_foreign_night_is_404_saying_so(
        client: Client, seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)
    opening = await event_id_by_key(client, OPENING)
    skipped = await night_id(client, market, "2027-06-12T19:00")
    market_night = await night_id(client, market, "2027-06-04T19:00")
    draft = await draft_id(client)
    draft_night = await night_id(client, draft, "2027-10-02T19:30")
    cases = {
        f"/feeds/events/{market}/nights/{skipped}.ics": "这一场不举办",
        f"/feeds/events/{opening}/nights/{market_night}.ics": f"活动 {opening} 没有这一场",
        f"/feeds/events/{market}/nights/99999999.ics": f"活动 {market} 没有这一场",
        f"/feeds/events/{market}/nights/abc.ics": f"活动 {market} 没有这一场",
        f"/feeds/events/{draft}/nights/{draft_night}.ics": f"找不到活动：{draft}",
        f"/feeds/events/{draft}/upcoming.ics": f"找不到活动：{draft}",
        "/feeds/events/99999999/upcoming.ics": "找不到活动：99999999",
    }

    for path, message in cases.items():
        response = await client.get(path)

        assert response.status_code == 404, path
        assert message in response.json()["message"], path
        assert response.json()["message_en"], path


async def test_bad_alarm_is_422_naming_the_choices(client: Client, seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)

    response = await client.get(f"/feeds/events/{market}/upcoming.ics", params={"alarm": "2h"})

    assert response.status_code == 422
    assert "none" in response.json()["message"] and "1d" in response.json()["message"]
    assert response.json()["message_en"].startswith("alarm must be none")


# The night of 06-18 was moved to Sunday 06-20: until that one is over, the rule starts there.
@pytest.mark.parametrize(("now", "first"), [
    ("2027-06-19T12:00", "20270618T190000"),
    ("2027-06-19T20:00", "20270618T190000"),  # 06-19's night is on: it is still to come
    ("2027-06-20T23:00", "20270625T190000"),
])
async def test_upcoming_holds_the_nights_not_over_from_the_next_one(
        client: Client, seeded: None, now: str, first: str) -> None:
    pin_clock(client, local(now).astimezone(UTC))
    market = await event_id_by_key(client, MARKET)
    every = await seen_by_api(client, *SEASON, event_id=market)

    body = await download(client, f"/feeds/events/{market}/upcoming.ics")

    to_come = [night for night in every if night[2] > local(now)]
    assert seen_by_icalendar(body, *SEASON) == seen_by_ical(body, *SEASON) == to_come
    master = event_blocks(body, market)[0]
    assert f"DTSTART;TZID=Asia/Shanghai:{first}" in master
    assert "RRULE:FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270925T155959Z" in master
    assert [line for line in master if line.startswith("EXDATE")] == []
    assert "TRIGGER:-PT1H" in master


async def test_upcoming_of_a_counted_series_counts_only_the_nights_left(
        client: Client, staff: Staff) -> None:
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "周六读书会", "category": "reading", "venue": "culture-station",
        "start": "2027-05-01T09:30", "end": "2027-05-01T11:00",
        "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=10", "status": "published"})
    assert created.status_code == 201, created.text
    series = created.json()["id"]
    pin_clock(client, local("2027-05-15T12:00").astimezone(UTC))  # three nights over

    body = await download(client, f"/feeds/events/{series}/upcoming.ics", alarm="1d")

    (master,) = event_blocks(body, series)
    assert "DTSTART;TZID=Asia/Shanghai:20270522T093000" in master
    assert "RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=7" in master
    assert "TRIGGER:-P1D" in master
    every = await seen_by_api(client, "2027-05-01", "2027-08-01", event_id=series)
    assert seen_by_icalendar(body, "2027-05-01", "2027-08-01") == every[3:]
    assert seen_by_ical(body, "2027-05-01", "2027-08-01") == every[3:]


async def test_upcoming_of_an_event_that_is_over_is_404(client: Client, seeded: None) -> None:
    pin_clock(client, local("2027-07-04T12:00").astimezone(UTC))
    opening = await event_id_by_key(client, OPENING)

    response = await client.get(f"/feeds/events/{opening}/upcoming.ics")

    assert response.status_code == 404
    assert "已全部结束" in response.json()["message"]


async def test_upcoming_is_cached_with_etag_and_changes_when_a_night_ends(
        client: Client, seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)
    path = f"/feeds/events/{market}/upcoming.ics"
    pin_clock(client, local("2027-06-04T20:00").astimezone(UTC))
    first = await client.get(path)
    again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    pin_clock(client, local("2027-06-04T23:00").astimezone(UTC))  # the first night is over
    later = await client.get(path, headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert later.status_code == 200
    assert later.headers["etag"] != first.headers["etag"]
    assert later.headers["last-modified"] == "Fri, 04 Jun 2027 14:30:00 GMT"
    assert "DTSTART;TZID=Asia/Shanghai:20270605T190000" in event_blocks(later.content,
                                                                        market)[0]
