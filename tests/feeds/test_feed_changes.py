"""Changes reach subscribers: new ETag, higher SEQUENCE; no change, same bytes everywhere."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from bolin_events.app import close_database, create_app, open_database
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.feeds.helpers import BEFORE_DEMO, event_blocks, event_id_by_key, pin_clock

MARKET = "东胜银杏夜市（演示）"
FEED = "/feeds/categories/market.ics"
NIGHT = "20270702T190000"


@pytest.fixture(autouse=True)
def before_season(client: Client) -> None:
    pin_clock(client, BEFORE_DEMO)


async def _cancel(client: Client, staff: Staff, market: int) -> httpx.Response:
    return await client.post(f"/api/v1/occurrences/{market}-{NIGHT}/cancel",
                             json={"reason": "停电 / Power cut"}, headers=staff.scheduler)


async def _move(client: Client, staff: Staff, market: int) -> httpx.Response:
    return await client.post(f"/api/v1/occurrences/{market}-{NIGHT}/move",
                             json={"start": "2027-07-04T18:00", "end": "2027-07-04T21:30"},
                             headers=staff.scheduler)


async def _retitle(client: Client, staff: Staff, market: int) -> httpx.Response:
    return await client.patch(f"/api/v1/events/{market}",
                              json={"title_en": "Ginkgo Night Market"}, headers=staff.scheduler)


CHANGES: dict[str, tuple[Any, list[str]]] = {
    "cancel a night": (_cancel, ["RECURRENCE-ID;TZID=Asia/Shanghai:20270702T190000",
                                 "STATUS:CANCELLED"]),
    "move a night": (_move, ["RECURRENCE-ID;TZID=Asia/Shanghai:20270702T190000",
                             "DTSTART;TZID=Asia/Shanghai:20270704T180000",
                             "DTEND;TZID=Asia/Shanghai:20270704T213000"]),
    "edit the title": (_retitle, ["SUMMARY:东胜银杏夜市（演示） / Ginkgo Night Market"]),
}


def sequence(block: list[str]) -> int:
    return int(next(line for line in block if line.startswith("SEQUENCE:")).split(":")[1])


@pytest.mark.parametrize("change", list(CHANGES))
async def test_change_gives_a_new_etag_and_a_higher_sequence(client: Client, seeded: None,
                                                            staff: Staff, change: str) -> None:
    market = await event_id_by_key(client, MARKET)
    before = await client.get(FEED)
    act, expected_lines = CHANGES[change]
    response = await act(client, staff, market)
    assert response.status_code == 200, response.text

    after = await client.get(FEED, headers={"If-None-Match": before.headers["etag"]})

    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    old_master, new_master = event_blocks(before.content, market)[0], event_blocks(
        after.content, market)[0]
    assert sequence(new_master) == sequence(old_master) + 1
    changed = [line for block in event_blocks(after.content, market) for line in block]
    assert all(line in changed for line in expected_lines), expected_lines
    again = await client.get(FEED, headers={"If-None-Match": after.headers["etag"]})
    assert again.status_code == 304


async def test_change_to_one_event_renders_only_that_events_blocks(client: Client, seeded: None,
                                                                   staff: Staff) -> None:
    blocks = client.app.state.feed_cache.blocks
    await client.get("/feeds/all.ics")
    market = await event_id_by_key(client, MARKET)
    misses = blocks.misses
    assert (await _retitle(client, staff, market)).status_code == 200

    body = (await client.get("/feeds/all.ics")).content
    await client.get(FEED)

    assert blocks.misses == misses + 1
    assert b"Ginkgo Night Market\r\n" in body


async def test_concurrent_cold_requests_render_each_event_once(client: Client,
                                                               seeded: None) -> None:
    blocks = client.app.state.feed_cache.blocks

    responses = await asyncio.gather(*(client.get("/feeds/all.ics") for _ in range(5)))

    assert len({r.headers["etag"] for r in responses}) == 1
    uids = {line for line in responses[0].text.split("\r\n") if line.startswith("UID:")}
    assert blocks.misses == len(blocks) == len(uids)


async def test_venue_rename_reaches_the_feed(client: Client, seeded: None) -> None:
    from sqlmodel import select

    from bolin_events.models import Venue

    before = await client.get(FEED)
    async with client.app.state.sessionmaker() as session, session.begin():
        venue = (await session.exec(select(Venue).where(
            Venue.slug == "ginkgo-night-market"))).one()
        venue.name_en = "Ginkgo Market Square"

    after = await client.get(FEED)

    assert after.headers["etag"] != before.headers["etag"]
    assert b"Ginkgo Market Square" in after.content.replace(b"\r\n ", b"")


async def test_two_app_instances_sharing_a_database_agree(client: Client, seeded: None,
                                                          staff: Staff, settings: Settings) -> None:
    other_app = create_app(settings)
    await open_database(other_app)
    other_app.state.feed_cache.clock = lambda: BEFORE_DEMO
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_app),
                                     base_url="http://second") as other:
            first, second = await client.get("/feeds/all.ics"), await other.get("/feeds/all.ics")
            assert second.content == first.content
            assert second.headers["etag"] == first.headers["etag"]
            assert second.headers["last-modified"] == first.headers["last-modified"]

            market = await event_id_by_key(client, MARKET)
            response = await other.post(f"/api/v1/occurrences/{market}-{NIGHT}/skip",
                                        headers=staff.scheduler)
            assert response.status_code == 200, response.text

            here, there = await client.get("/feeds/all.ics"), await other.get("/feeds/all.ics")
    finally:
        await close_database(other_app)

    assert here.headers["etag"] == there.headers["etag"] != first.headers["etag"]
    assert here.content == there.content
    assert "EXDATE;TZID=Asia/Shanghai:20270702T190000" in here.text.split("\r\n")
