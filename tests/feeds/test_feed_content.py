"""What a subscriber's calendar reads, line by line (ICAL.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bolin_events.models import Venue
from tests.conftest import Client, Staff
from tests.feeds.helpers import (
    BEFORE_DEMO,
    event_blocks,
    event_id_by_key,
    feed,
    lines,
    pin_clock,
    summary,
)

MARKET = "东胜银杏夜市（演示）"
GALA = "沙河村纳凉村晚（演示）"
OPENING = "2027嗨夏季开幕式（演示）"


@pytest.fixture(autouse=True)
def before_season(client: Client) -> None:
    pin_clock(client, BEFORE_DEMO)


async def test_all_feed_has_calendar_properties_and_no_method(client: Client,
                                                              seeded: None) -> None:
    body = await feed(client, "/feeds/all.ics")

    head = lines(body)[:12]
    assert head[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bolin Town//bolin-events//ZH",
                        "CALSCALE:GREGORIAN"]
    assert "NAME:柏林镇活动 / Bolin town events" in head
    assert "X-WR-CALNAME:柏林镇活动 / Bolin town events" in head
    assert "URL:https://events.example.test/feeds/all.ics" in head
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in head
    assert "X-PUBLISHED-TTL:PT6H" in head
    assert any(line.startswith("DESCRIPTION:重庆市江津区柏林镇") for line in head)
    assert not [line for line in lines(body)
                if line.split(":")[0].split(";")[0] in ("METHOD", "ATTENDEE", "ORGANIZER")]
    assert lines(body)[-2:] == ["END:VCALENDAR", ""]


async def test_filtered_feed_is_named_after_its_scope(client: Client, seeded: None) -> None:
    body = await feed(client, "/feeds/categories/market.ics", village="dongsheng")

    assert "NAME:柏林镇活动 · 夜市 · 东胜村 / Bolin town events · Night markets · Dongsheng " \
           "Village" in lines(body)
    assert "URL:https://events.example.test/feeds/categories/market.ics?village=dongsheng" \
        in lines(body)


async def test_feed_has_one_minimal_shanghai_vtimezone(client: Client, seeded: None) -> None:
    body = lines(await feed(client, "/feeds/all.ics"))

    start = body.index("BEGIN:VTIMEZONE")
    assert body[start:start + 10] == [
        "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD",
        "END:VTIMEZONE", "BEGIN:VEVENT"]
    assert body.count("BEGIN:VTIMEZONE") == 1


async def test_all_day_only_feed_needs_no_vtimezone(client: Client, seeded: None) -> None:
    body = await feed(client, "/feeds/categories/farming.ics")

    assert b"BEGIN:VTIMEZONE" not in body
    assert b"TZID=" not in body


async def test_night_market_series_has_rrule_exdate_and_overrides(client: Client,
                                                                  seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)

    master, moved, cancelled = event_blocks(await feed(client, "/feeds/all.ics"), market)

    assert master[:9] == [
        f"UID:event-{market}@events.example.test", master[1], master[2], "SEQUENCE:3",
        "DTSTART;TZID=Asia/Shanghai:20270604T190000",
        "DTEND;TZID=Asia/Shanghai:20270604T223000",
        "RRULE:FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270925T155959Z",
        "EXDATE;TZID=Asia/Shanghai:20270612T190000",
        "SUMMARY:东胜银杏夜市（演示） / Dongsheng Ginkgo Night Market (demo)",
    ]
    assert "STATUS:CONFIRMED" in master
    assert moved[4:7] == ["RECURRENCE-ID;TZID=Asia/Shanghai:20270618T190000",
                          "DTSTART;TZID=Asia/Shanghai:20270620T190000",
                          "DTEND;TZID=Asia/Shanghai:20270620T223000"]
    assert "DESCRIPTION:本场改期 / This night has moved: 因雨改到周日 / Moved to Sunday for rain" \
           "\\n\\n每周五、周六晚的夜市：小吃、文创、乡村好物。演示数据。" \
           "\\n\\nFriday and Saturday night market. Demo data.\\n\\n费用 / Price: 免费入场 / " \
           "Free entry\\n\\n主办 / Organizer: 柏林镇综合文化站 / Bolin Town Culture " \
           f"Station\\n\\nhttps://events.example.test/events/{market}" in moved
    assert cancelled[4:7] == ["RECURRENCE-ID;TZID=Asia/Shanghai:20270626T190000",
                              "DTSTART;TZID=Asia/Shanghai:20270626T190000",
                              "DTEND;TZID=Asia/Shanghai:20270626T223000"]
    assert summary(cancelled) == ("SUMMARY:【已取消】东胜银杏夜市（演示） / [Cancelled] "
                                  "Dongsheng Ginkgo Night Market (demo)")
    assert "STATUS:CANCELLED" in cancelled
    assert {block[0] for block in (master, moved, cancelled)} == {master[0]}
    assert all("RRULE" not in line and "EXDATE" not in line for line in moved + cancelled)


async def test_stamps_come_from_stored_data_not_render_time(client: Client,
                                                            seeded: None) -> None:
    market = await event_id_by_key(client, MARKET)
    event = (await client.get(f"/api/v1/events/{market}")).json()
    stamp = datetime.fromisoformat(event["updated_at"]).astimezone(UTC).strftime(
        "%Y%m%dT%H%M%SZ")

    master = event_blocks(await feed(client, "/feeds/all.ics"), market)[0]

    assert master[1:3] == [f"DTSTAMP:{stamp}", f"LAST-MODIFIED:{stamp}"]


async def test_cancelled_event_stays_with_status_and_prefix(client: Client, seeded: None) -> None:
    gala = await event_id_by_key(client, GALA)

    (block,) = event_blocks(await feed(client, "/feeds/all.ics"), gala)

    assert summary(block) == ("SUMMARY:【已取消】沙河村纳凉村晚（演示） / [Cancelled] "
                              "Shahe summer village gala (demo)")
    assert "STATUS:CANCELLED" in block
    assert "SEQUENCE:1" in block  # created published, then cancelled (+1)
    assert next(line for line in block if line.startswith("DESCRIPTION:")).startswith(
        "DESCRIPTION:活动已取消 / Cancelled: 场地维修，本年度取消 / Cancelled this year: the venue")


async def test_cancelled_event_leaves_once_its_date_has_passed(client: Client,
                                                               seeded: None) -> None:
    gala, opening = await event_id_by_key(client, GALA), await event_id_by_key(client, OPENING)
    pin_clock(client, datetime(2027, 8, 8, 1, 0, tzinfo=UTC))  # 09:00 the next morning

    body = await feed(client, "/feeds/all.ics")

    assert event_blocks(body, gala) == []
    assert len(event_blocks(body, opening)) == 1  # published and past: kept for 180 days
    assert len(event_blocks(await feed(client, f"/feeds/events/{gala}.ics"), gala)) == 1


@pytest.mark.parametrize(("today", "kept"), [("2028-03-22", True), ("2028-03-24", False)])
async def test_series_leaves_the_feed_180_days_after_its_last_night(
        client: Client, seeded: None, today: str, kept: bool) -> None:
    market = await event_id_by_key(client, MARKET)  # last night: 2027-09-25 until 22:30
    pin_clock(client, datetime.fromisoformat(f"{today}T12:00:00+08:00"))

    body = await feed(client, "/feeds/all.ics")

    assert bool(event_blocks(body, market)) is kept
    assert b"UID:event-" in await feed(client, f"/feeds/events/{market}.ics")


async def test_postponed_event_is_tentative_with_prefix(client: Client, seeded: None,
                                                        staff: Staff) -> None:
    opening = await event_id_by_key(client, OPENING)
    response = await client.post(f"/api/v1/events/{opening}/postpone",
                                 json={"reason": "高温预警 / Heat warning"},
                                 headers=staff.scheduler)
    assert response.status_code == 200, response.text

    (block,) = event_blocks(await feed(client, "/feeds/all.ics"), opening)

    assert summary(block) == ("SUMMARY:【延期】2027嗨夏季开幕式（演示） / [Postponed] "
                              "Hi Summer 2027 opening night (demo)")
    assert "STATUS:TENTATIVE" in block
    assert "SEQUENCE:1" in block
    assert "DTSTART;TZID=Asia/Shanghai:20270703T193000" in block


async def test_draft_appears_in_no_feed(client: Client, seeded: None, staff: Staff) -> None:
    drafts = (await client.get("/api/v1/events", params={"status": "draft"},
                               headers=staff.scheduler)).json()["items"]
    (draft,) = drafts

    for path in ("/feeds/all.ics", "/feeds/programmes/cunwan.ics",
                 "/feeds/venues/qingqing-park.ics"):
        assert f"event-{draft['id']}@".encode() not in await feed(client, path)
    response = await client.get(f"/feeds/events/{draft['id']}.ics")
    assert response.status_code == 404
    assert response.json()["message"] == f"找不到活动：{draft['id']}"


@pytest.mark.parametrize(("path", "message_en"), [
    ("/feeds/categories/opera.ics", "No category with slug 'opera'."),
    ("/feeds/villages/beijing.ics", "No village with slug 'beijing'."),
    ("/feeds/venues/stadium.ics", "No venue with slug 'stadium'."),
    ("/feeds/programmes/olympics.ics", "No programme with slug 'olympics'."),
    ("/feeds/all.ics?village=beijing", "No village with slug 'beijing'."),
    ("/feeds/events/999.ics", "No event '999' exists."),
    ("/feeds/events/abc.ics", "No event 'abc' exists."),
    ("/feeds/concerts/x.ics", "No feed at /feeds/concerts/x.ics"),
    ("/feeds/categories/market.json", "No feed at /feeds/categories/market.json"),
    ("/feeds/", "No feed at /feeds/"),
    ("/feeds/all.ics/extra", "No feed at /feeds/all.ics/extra"),
    ("/feeds/categories/market.ics/x.ics", "No feed at /feeds/categories/market.ics/x.ics"),
    ("/feeds/villages/%E4%B8%9C%E8%83%9C.ics", "No village with slug '东胜'"),
])
async def test_unknown_feed_is_a_404_with_a_message_not_an_empty_feed(
        client: Client, reference: None, path: str, message_en: str) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["message_en"].startswith(message_en)
    assert response.json()["message"]


async def test_geo_appears_only_once_the_venue_has_coordinates(client: Client,
                                                               seeded: None) -> None:
    before = await feed(client, "/feeds/venues/jiayue-farm.ics")
    async with client.app.state.sessionmaker() as session, session.begin():
        farm = (await session.exec(select(Venue).where(Venue.slug == "jiayue-farm"))).one()
        farm.latitude, farm.longitude = 29.0512, 106.2511

    after = await feed(client, "/feeds/venues/jiayue-farm.ics")

    assert b"GEO:" not in before
    assert "GEO:29.051200;106.251100" in lines(after)
