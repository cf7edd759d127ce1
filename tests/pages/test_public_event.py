"""One event's page: its nights, where it is, how to add it, and what machines read from it."""

from __future__ import annotations

import json
from typing import Any

from bolin_events.auth import SESSION_COOKIE
from bolin_events.models import Role, User
from bolin_events.services.accounts.tokens import create_web_session
from tests.conftest import Client
from tests.pages.public_helpers import (
    DRAFT,
    NIGHT_MARKET,
    OPENING,
    SHAHE_GALA,
    by_class,
    event_id,
    page,
    scheduler,
    text,
)


def json_ld(tree: Any) -> list[dict[str, Any]]:
    scripts = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    items: list[dict[str, Any]] = json.loads(scripts[0].text)
    return items


def meta(tree: Any, prop: str) -> str | None:
    for el in tree.iter("meta"):
        if el.get("property") == prop:
            return str(el.get("content"))
    return None


def link_hrefs(tree: Any) -> list[str]:
    return [a.get("href") for a in tree.iter("a")]


async def test_night_market_page_lists_its_nights_with_their_exceptions(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")
    dates = [text(li).split() for li in tree.iter("li") if "night-date" in li.get("class", "")]
    firsts = [" ".join(d[:2]).removeprefix("2027年") for d in dates]  # another year: said

    assert firsts[:4] == ["6月4日 周五", "6月5日 周六", "6月11日 周五", "6月19日 周六"]
    assert "6月12日 周六" not in firsts  # skipped
    moved = next(text(li) for li in tree.iter("li") if "6月20日 周日" in text(li))
    assert "改期" in moved and "原定 2027年6月18日 周五 19:00" in moved and "因雨改到周日" in moved
    struck = [s for s in tree.iter("s") if "6月26日" in text(s)]
    assert struck and struck[0].get("class") == "cancelled"
    assert by_class(tree, "p", "banner-notice")  # a clear note that some nights changed


async def test_event_page_offers_its_feeds(client: Client, seeded: None) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")
    hrefs = link_hrefs(tree)

    assert "webcal://events.example.test/feeds/programmes/haixiaji-2027.ics" in hrefs
    assert "https://events.example.test/feeds/categories/market.ics" in hrefs
    assert any(h.startswith("https://calendar.google.com/calendar/r?cid=webcal") for h in hrefs)
    assert f"/events/{market}/poster" in hrefs
    qr = [img for img in tree.iter("img") if "qr" in (img.get("class") or "")]
    assert qr[0].get("loading") == "lazy"
    page_url = f"https%3A%2F%2Fevents.example.test%2Fevents%2F{market}"
    assert qr[0].get("src") == f"https://events.example.test/qr.svg?url={page_url}"


async def test_map_links_search_by_venue_name_without_coordinates(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")
    hrefs = link_hrefs(tree)
    amap = [h for h in hrefs if h.startswith("https://uri.amap.com/")]
    baidu = [h for h in hrefs if h.startswith("https://api.map.baidu.com/")]

    assert amap == ["https://uri.amap.com/search?keyword=%E9%87%8D%E5%BA%86%E5%B8%82%E6%B1%9F"
                    "%E6%B4%A5%E5%8C%BA%E6%9F%8F%E6%9E%97%E9%95%87%E4%B8%9C%E8%83%9C%E6%9D%91"
                    "+%E4%B8%9C%E8%83%9C%E9%93%B6%E6%9D%8F%E5%A4%9C%E5%B8%82&src=bolin-events"]
    assert baidu and baidu[0].startswith("https://api.map.baidu.com/geocoder?address=")
    assert "output=html" in baidu[0] and "src=bolin-events" in baidu[0]
    assert not any("marker" in h for h in amap + baidu)  # no coordinates: the venue has none
    assert "geo" not in json_ld(tree)[0]["location"]


async def test_map_links_use_coordinates_when_the_venue_has_them(
    client: Client, seeded: None
) -> None:
    headers = await scheduler(client)
    response = await client.patch("/api/v1/venues/ginkgo-night-market", headers=headers,
                                  json={"latitude": 29.1, "longitude": 106.2})
    assert response.status_code == 200, response.text
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")
    hrefs = link_hrefs(tree)

    # the exact position each map is given is services.geo's (tested there)
    assert any(h.startswith("https://uri.amap.com/marker?position=") for h in hrefs)
    assert any(h.startswith("https://api.map.baidu.com/marker?location=") for h in hrefs)
    assert json_ld(tree)[0]["location"]["geo"] == {
        "@type": "GeoCoordinates", "latitude": 29.1, "longitude": 106.2}


async def test_json_ld_describes_each_night_with_its_own_status(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")
    items = {item["startDate"]: item for item in json_ld(tree)}

    first = items["2027-06-04T19:00:00+08:00"]
    assert first["@type"] == "Event" and first["name"] == NIGHT_MARKET
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["endDate"] == "2027-06-04T22:30:00+08:00"
    assert first["location"]["name"] == "东胜银杏夜市"
    assert first["location"]["address"]["addressLocality"] == "江津区柏林镇东胜村"
    assert first["isAccessibleForFree"] is True  # price says 免费入场
    assert first["organizer"]["@type"] == "Organization"
    assert items["2027-06-26T19:00:00+08:00"]["eventStatus"] == "https://schema.org/EventCancelled"
    moved = items["2027-06-20T19:00:00+08:00"]
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["previousStartDate"] == "2027-06-18T19:00:00+08:00"


async def test_cancelled_event_has_a_banner_and_cancelled_json_ld(
    client: Client, seeded: None
) -> None:
    gala = await event_id(client, SHAHE_GALA)

    html, tree = await page(client, f"/events/{gala}")

    banner = by_class(tree, "p", "banner-cancelled")
    assert banner and "本活动已取消" in text(banner[0]) and "场地维修" in text(banner[0])
    assert [i["eventStatus"] for i in json_ld(tree)] == ["https://schema.org/EventCancelled"]
    assert '<s class="cancelled">' in html


async def test_postponed_event_has_a_banner_and_postponed_json_ld(
    client: Client, seeded: None
) -> None:
    opening = await event_id(client, OPENING)
    response = await client.post(f"/api/v1/events/{opening}/postpone",
                                 headers=await scheduler(client), json={"reason": "天气原因"})
    assert response.status_code == 200, response.text

    _, tree = await page(client, f"/events/{opening}")

    banner = by_class(tree, "p", "banner-notice")
    assert banner and "已延期" in text(banner[0]) and "天气原因" in text(banner[0])
    assert [i["eventStatus"] for i in json_ld(tree)] == ["https://schema.org/EventPostponed"]


async def test_scheduled_single_event_has_scheduled_json_ld_and_no_banner(
    client: Client, seeded: None
) -> None:
    opening = await event_id(client, OPENING)

    _, tree = await page(client, f"/events/{opening}")

    assert [i["eventStatus"] for i in json_ld(tree)] == ["https://schema.org/EventScheduled"]
    assert not by_class(tree, "p", "banner")
    assert "offers" not in json_ld(tree)[0]  # no price given, none invented


async def test_json_ld_cannot_be_closed_by_a_title(client: Client, seeded: None) -> None:
    title = "夜场</script><script>alert(1)</script>&"
    response = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": title, "category": "culture", "start": "2027-05-01T19:00",
        "end": "2027-05-01T21:00", "status": "published", "price": "¥20"})
    assert response.status_code == 201, response.text

    html, tree = await page(client, f"/events/{response.json()['id']}")

    assert "</script><script>alert(1)" not in html
    item = json_ld(tree)[0]
    assert item["name"] == title
    assert item["offers"] == {"@type": "Offer", "price": "20", "priceCurrency": "CNY"}
    assert "location" not in item  # no venue, no place made up


async def test_open_graph_tags_describe_the_event(client: Client, seeded: None) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}")

    assert meta(tree, "og:title") == NIGHT_MARKET
    assert meta(tree, "og:type") == "event"
    assert meta(tree, "og:url") == f"https://events.example.test/events/{market}"
    assert meta(tree, "og:locale") == "zh_CN"
    assert (meta(tree, "og:description") or "").startswith("每周五、周六晚的夜市")
    image = meta(tree, "og:image")
    assert image == "https://events.example.test/static/og-default.png"
    png = await client.get("/static/og-default.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert len(png.content) < 20_000


async def test_english_event_page_shows_the_english_title(client: Client, seeded: None) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, f"/events/{market}?lang=en")

    assert text(tree.find(".//h1")) == "Dongsheng Ginkgo Night Market (demo)"
    assert meta(tree, "og:locale") == "en_US"
    assert "Fri 4 Jun" in text(tree.find(".//ul[@class='dates']"))


async def test_draft_is_a_404_for_the_public(client: Client, seeded: None) -> None:
    headers = await scheduler(client)
    draft = await event_id(client, DRAFT, headers)

    html, _ = await page(client, f"/events/{draft}", status=404)
    await page(client, f"/events/{draft}/poster", status=404)

    assert DRAFT not in html and "找不到活动" in html


async def test_unknown_event_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/events/999999", status=404)
    await page(client, "/events/99999999999999999999999", status=404)
    await page(client, "/events/abc", status=404)

    assert "找不到活动" in html and 'href="/"' in html


async def test_past_event_page_says_it_is_over_and_shows_its_last_nights(
    client: Client, seeded: None
) -> None:
    autumn = await event_id(client, "东胜银杏夜市·秋季（演示）")

    _, tree = await page(client, f"/events/{autumn}")
    dates = text(tree.find(".//ul[@class='dates']"))
    held = [text(li) for li in by_class(tree, "li", "night-scheduled")]

    assert text(tree.find(".//h2[@id='dates-heading']")) == "活动已结束"
    assert "11月21日 周六" in dates and "10月17日" not in dates  # the last five, none skipped
    assert "11月7日 周六" in dates  # the cancelled one, struck through
    assert any("11月7日" in text(s) for s in tree.iter("s"))
    assert held and all("已结束" in night for night in held)
    assert not [b for b in tree.iter("button") if "加入日历" in text(b)]  # nothing left to add


async def test_scheduler_logged_in_may_preview_a_draft(client: Client, seeded: None) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        user = User(username="planner", role=Role.scheduler, password_hash="x")
        session.add(user)
        await session.flush()
        client.cookies.set(SESSION_COOKIE, await create_web_session(session, user))
    draft = await event_id(client, DRAFT, await scheduler(client))

    _, tree = await page(client, f"/events/{draft}")

    assert text(tree.find(".//h1")) == DRAFT
    assert "草稿预览" in text(by_class(tree, "p", "banner-notice")[0])
