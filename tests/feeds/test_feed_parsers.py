"""Every feed, read by two independent parsers, shows what /api/v1/occurrences shows."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

import pytest

from tests.conftest import Client, Staff
from tests.feeds.helpers import (
    BEFORE_DEMO,
    TZ,
    Seen,
    event_blocks,
    event_id_by_key,
    feed,
    pin_clock,
    seen_by_api,
    seen_by_ical,
    seen_by_icalendar,
)

SINGULAR = {"categories": "category", "villages": "village", "venues": "venue",
            "programmes": "programme"}
MARKET = "东胜银杏夜市（演示）"


@pytest.fixture(autouse=True)
def before_season(client: Client) -> None:
    pin_clock(client, BEFORE_DEMO)


def local(seen: list[Seen]) -> list[tuple[str, bool]]:
    """Starts as a visitor in 柏林镇 reads them, and whether each is cancelled."""
    return [(s[1].astimezone(TZ).strftime("%m-%d %H:%M") if isinstance(s[1], datetime)
             else s[1].isoformat(), s[3]) for s in seen]


async def assert_feed_matches_api(client: Client, path: str, event_id: int | None = None,
                                  params: dict[str, str] | None = None,
                                  api_filters: dict[str, str] | None = None) -> list[Seen]:
    body = await feed(client, path, **(params or {}))
    expected = await seen_by_api(client, event_id=event_id, **(api_filters or params or {}))

    assert seen_by_icalendar(body) == expected, path
    assert seen_by_ical(body) == expected, path
    return expected


async def test_every_seeded_feed_matches_the_api_in_both_parsers(client: Client,
                                                                 seeded: None) -> None:
    feeds = (await client.get("/api/v1/feeds")).json()
    events = (await client.get("/api/v1/events", params={"limit": 500})).json()["items"]
    checked = 0

    for item in feeds:
        api_filters = {SINGULAR[item["kind"]]: item["slug"]} if item["slug"] else {}
        await assert_feed_matches_api(client, urlsplit(item["url"]).path,
                                      api_filters=api_filters)
        checked += 1
    for event in events:
        seen = await assert_feed_matches_api(client, f"/feeds/events/{event['id']}.ics",
                                             event_id=event["id"])
        assert seen, event["title_zh"]
        checked += 1

    scopes = [(await client.get(f"/api/v1/{kind}")).json()["total"] for kind in SINGULAR]
    assert len(feeds) == 1 + sum(scopes)
    assert "秋季村晚筹备（草稿，演示）" not in [e["title_zh"] for e in events]
    assert checked == len(feeds) + len(events)


@pytest.mark.parametrize(("path", "params", "api_filters"), [
    ("/feeds/programmes/haixiaji.ics", {"category": "market"},
     {"programme": "haixiaji", "category": "market"}),
    ("/feeds/all.ics", {"village": "dongsheng,huagai"}, {"village": "dongsheng,huagai"}),
    ("/feeds/venues/qingqing-park.ics", {"programme": "yunling-cuihu-cup-2027"},
     {"venue": "qingqing-park", "programme": "yunling-cuihu-cup-2027"}),
    ("/feeds/categories/performance.ics", {"village": "shahe"},
     {"category": "performance", "village": "shahe"}),
])
async def test_filtered_feed_matches_the_api_with_the_same_filters(
        client: Client, seeded: None, path: str, params: dict[str, str],
        api_filters: dict[str, str]) -> None:
    seen = await assert_feed_matches_api(client, path, params=params, api_filters=api_filters)

    assert seen


async def test_disjoint_filters_give_a_feed_without_events(client: Client, seeded: None) -> None:
    body = await feed(client, "/feeds/categories/sports.ics", category="market")

    assert b"BEGIN:VEVENT" not in body
    assert seen_by_icalendar(body) == seen_by_ical(body) == []


async def test_night_market_feed_shows_skipped_moved_and_cancelled_nights(
        client: Client, seeded: None) -> None:
    body = await feed(client, "/feeds/categories/market.ics")

    june = [(start, cancelled) for start, cancelled in local(seen_by_icalendar(body))
            if start < "06-30"]
    assert june == [("06-04 19:00", False), ("06-05 19:00", False), ("06-11 19:00", False),
                    ("06-19 19:00", False), ("06-20 19:00", False), ("06-25 19:00", False),
                    ("06-26 19:00", True)]
    assert local(seen_by_ical(body)) == local(seen_by_icalendar(body))


async def test_farming_festival_feed_is_three_whole_days(client: Client, seeded: None) -> None:
    festival = await event_id_by_key(client, "农耕文化体验节（演示）")

    body = await feed(client, f"/feeds/events/{festival}.ics")

    (block,) = event_blocks(body, festival)
    assert "DTSTART;VALUE=DATE:20270709" in block
    assert "DTEND;VALUE=DATE:20270712" in block
    expected = [(festival, date(2027, 7, 9), date(2027, 7, 12), False)]
    assert seen_by_icalendar(body) == seen_by_ical(body) == expected


async def test_night_moved_to_another_venue_shows_only_in_that_venues_feeds(
        client: Client, seeded: None, staff: Staff) -> None:
    market = await event_id_by_key(client, MARKET)
    moved = await client.post(f"/api/v1/occurrences/{market}-20270702T190000/move", json={
        "start": "2027-07-02T19:00", "end": "2027-07-02T22:30", "venue": "qingqing-park"},
        headers=staff.scheduler)
    assert moved.status_code == 200, moved.text

    for path, api_filters in [("/feeds/venues/qingqing-park.ics", {"venue": "qingqing-park"}),
                              ("/feeds/venues/ginkgo-night-market.ics",
                               {"venue": "ginkgo-night-market"}),
                              ("/feeds/villages/huagai.ics", {"village": "huagai"}),
                              ("/feeds/villages/dongsheng.ics", {"village": "dongsheng"}),
                              ("/feeds/all.ics", {})]:
        await assert_feed_matches_api(client, path, api_filters=api_filters)
    park = await feed(client, "/feeds/venues/qingqing-park.ics")
    market_nights = [s for s in seen_by_icalendar(park) if s[0] == market]
    assert local(market_nights) == [("07-02 19:00", False)]
    override = event_blocks(park, market)[1]
    assert "LOCATION:清溪沟“清青乐园”（华盖村） / Qingxigou Qingqing Park\\, Huagai Village" \
        in override


async def test_series_with_every_night_skipped_leaves_the_feed(
        client: Client, seeded: None, staff: Staff) -> None:
    legal = await event_id_by_key(client, "法治宣传进村（演示）")
    for night in ("20270605T093000", "20270703T093000", "20270807T093000", "20270904T093000"):
        response = await client.post(f"/api/v1/occurrences/{legal}-{night}/skip",
                                     headers=staff.scheduler)
        assert response.status_code == 200, response.text

    body = await feed(client, "/feeds/all.ics")

    assert event_blocks(body, legal) == []
    assert await seen_by_api(client, event_id=legal) == []
    await assert_feed_matches_api(client, "/feeds/all.ics")
