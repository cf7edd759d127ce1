"""Subscribe links, QR codes, and adding one event from its JSON (WeChat mini program)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import pytest

from tests.conftest import Client
from tests.feeds.helpers import TZ, event_id_by_key

BASE = "https://events.example.test"


async def test_feed_list_offers_https_webcal_google_and_qr_for_every_scope(
        client: Client, seeded: None) -> None:
    feeds = (await client.get("/api/v1/feeds")).json()

    market = next(f for f in feeds if (f["kind"], f["slug"]) == ("categories", "market"))
    assert market == {
        "kind": "categories",
        "slug": "market",
        "title_zh": "柏林镇活动 · 夜市",
        "title_en": "Bolin town events · Night markets",
        "url": f"{BASE}/feeds/categories/market.ics",
        "webcal_url": "webcal://events.example.test/feeds/categories/market.ics",
        "google_url": "https://calendar.google.com/calendar/r?cid="
                      "webcal%3A%2F%2Fevents.example.test%2Ffeeds%2Fcategories%2Fmarket.ics",
        "qr_svg_url": f"{BASE}/qr.svg?url="
                      "webcal%3A%2F%2Fevents.example.test%2Ffeeds%2Fcategories%2Fmarket.ics",
        "qr_png_url": f"{BASE}/qr.png?url="
                      "webcal%3A%2F%2Fevents.example.test%2Ffeeds%2Fcategories%2Fmarket.ics",
    }
    assert feeds[0]["url"] == f"{BASE}/feeds/all.ics"
    assert feeds[0]["title_zh"] == "柏林镇活动"
    kinds = {f["kind"] for f in feeds}
    assert kinds == {"all", "categories", "villages", "venues", "programmes"}
    assert {f["slug"] for f in feeds if f["kind"] == "villages"} == {
        "dongsheng", "fuxing", "huagai", "shahe", "xingnong"}


async def test_every_listed_feed_answers(client: Client, seeded: None) -> None:
    feeds = (await client.get("/api/v1/feeds")).json()

    for item in feeds:
        response = await client.get(item["url"].removeprefix(BASE))
        assert response.status_code == 200, item["url"]
        assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


async def test_qr_svg_encodes_an_address_of_ours(client: Client) -> None:
    target = "webcal://events.example.test/feeds/all.ics"

    response = await client.get("/qr.svg", params={"url": target})

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content


async def test_qr_png_encodes_an_address_of_ours(client: Client) -> None:
    response = await client.get("/qr.png", params={"url": f"{BASE}/feeds/events/1.ics"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("target", [
    "https://evil.example.com/feeds/all.ics",
    "https://events.example.test.evil.com/x",
    "webcal://elsewhere.test/feeds/all.ics",
    "javascript:alert(1)",
])
async def test_qr_refuses_addresses_that_are_not_ours(client: Client, target: str) -> None:
    response = await client.get("/qr.svg", params={"url": target})

    assert response.status_code == 422
    assert response.json()["message"].startswith("只能为本站地址生成二维码")


async def test_event_json_carries_its_ics_link_qr_and_wechat_fields(client: Client,
                                                                    seeded: None) -> None:
    opening = await event_id_by_key(client, "2027嗨夏季开幕式（演示）")

    event = (await client.get(f"/api/v1/events/{opening}")).json()

    ics = f"{BASE}/feeds/events/{opening}.ics"
    assert event["calendar"] == {
        "ics_url": ics,
        "qr_svg_url": f"{BASE}/qr.svg?url={quote(ics, safe='')}",
        "qr_png_url": f"{BASE}/qr.png?url={quote(ics, safe='')}",
        "add_to_calendar": {
            "title": "2027嗨夏季开幕式（演示） / Hi Summer 2027 opening night (demo)",
            "startTime": int(datetime(2027, 7, 3, 19, 30, tzinfo=TZ).timestamp()),
            "endTime": int(datetime(2027, 7, 3, 21, 30, tzinfo=TZ).timestamp()),
            "allDay": False,
            "location": "清溪沟“清青乐园”（华盖村） / Qingxigou Qingqing Park, Huagai Village",
            "description": None,
        },
    }
    assert (await client.get(ics.removeprefix(BASE))).status_code == 200


async def test_all_day_event_json_ends_at_the_next_midnight(client: Client, seeded: None) -> None:
    festival = await event_id_by_key(client, "农耕文化体验节（演示）")

    event = (await client.get(f"/api/v1/events/{festival}")).json()

    wx = event["calendar"]["add_to_calendar"]
    assert wx["allDay"] is True
    assert wx["startTime"] == int(datetime(2027, 7, 9, tzinfo=TZ).timestamp())
    assert wx["endTime"] == int(datetime(2027, 7, 12, tzinfo=TZ).timestamp())
    assert wx["description"] == "插秧、打谷、农具展示，三天全天开放。演示数据。"


async def test_event_list_items_carry_calendar_links(client: Client, seeded: None) -> None:
    items = (await client.get("/api/v1/events")).json()["items"]

    assert items
    assert all(i["calendar"]["ics_url"] == f"{BASE}/feeds/events/{i['id']}.ics" for i in items)
