"""Venue and organizer pages: where a place is, how to get there, and what is on there next."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.helpers import MARKET as MARKET_SERIES
from tests.api.helpers import create_event
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.public_helpers import (
    DRAFT,
    NIGHT_MARKET,
    OPENING,
    WECHAT,
    headings,
    page,
    page_as,
    scheduler,
    text,
)
from tests.pages.test_public_queries import selects

MARKET = "/venues/ginkgo-night-market"
# A point on 柏林镇's map as 高德's and 百度's coordinate pickers would give it.
PICKED_LAT, PICKED_LNG = 29.05, 106.25


def hrefs(tree: Any, prefix: str) -> list[str]:
    return [a.get("href") for a in tree.iter("a") if (a.get("href") or "").startswith(prefix)]


def days_of(tree: Any) -> list[str]:
    """The day headings without a year (a date in another year than today's says its year)."""
    return [day.split("年")[-1] for day in headings(tree)]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def description(tree: Any) -> str:
    found = [m.get("content") for m in tree.iter("meta") if m.get("name") == "description"]
    assert len(found) == 1
    return str(found[0])


async def picked(client: Client, system: str, **more: Any) -> None:
    """The night market's coordinates, copied from the picker of the map ``system`` names."""
    response = await client.patch(
        "/api/v1/venues/ginkgo-night-market", headers=await scheduler(client),
        json={"latitude": PICKED_LAT, "longitude": PICKED_LNG, "coordinate_system": system,
              **more})
    assert response.status_code == 200, response.text


async def test_venue_page_lists_the_nights_there_by_day(client: Client, seeded: None) -> None:
    html, tree = await page(client, MARKET)

    assert text(tree.find(".//h1")) == "东胜银杏夜市"
    days = days_of(tree)
    assert days[:3] == ["6月4日 周五", "6月5日 周六", "6月11日 周五"]
    assert "6月12日 周六" not in days  # the skipped night
    assert "6月20日 周日" in days  # the night moved to Sunday
    main = text(tree.find(".//main"))
    assert NIGHT_MARKET in main and OPENING not in main  # the opening is at 清青乐园
    assert 'href="/events?village=dongsheng"' in html
    assert "重庆市江津区柏林镇东胜村" in main  # no address stored: the town and village
    assert 'href="webcal://events.example.test/feeds/venues/ginkgo-night-market.ics"' in html
    assert "东胜银杏夜市" in description(tree) and "东胜村" in description(tree)


async def test_venue_without_coordinates_offers_map_searches_and_no_route(
    client: Client, seeded: None
) -> None:
    _, tree = await page(client, MARKET)

    amap, baidu = hrefs(tree, "https://uri.amap.com/"), hrefs(tree, "https://api.map.baidu.com/")
    assert [urlsplit(u).path for u in amap + baidu] == ["/search", "/geocoder"]
    assert query(amap[0])["keyword"] == "重庆市江津区柏林镇东胜村 东胜银杏夜市"
    assert "路线" not in text(tree.find(".//main"))


async def test_coordinates_from_amaps_picker_reach_amap_as_picked(
    client: Client, seeded: None
) -> None:
    await picked(client, "gcj02")

    _, tree = await page(client, MARKET)

    marker, route = hrefs(tree, "https://uri.amap.com/")
    assert urlsplit(marker).path == "/marker"
    assert query(marker)["position"] == "106.250000,29.050000"
    assert query(marker)["coordinate"] == "gaode" and query(marker)["name"] == "东胜银杏夜市"
    assert urlsplit(route).path == "/navigation"
    assert query(route)["to"] == "106.250000,29.050000,东胜银杏夜市"
    assert query(route)["mode"] == "car"
    assert "路线" in text(tree.find(".//main"))


async def test_coordinates_from_baidus_picker_reach_baidu_as_picked(
    client: Client, seeded: None
) -> None:
    await picked(client, "bd09", address="东胜村银杏大道")

    _, tree = await page(client, MARKET)

    marker, route = hrefs(tree, "https://api.map.baidu.com/")
    assert urlsplit(marker).path == "/marker"
    assert query(marker)["location"] == "29.050000,106.250000"
    assert query(marker)["coord_type"] == "bd09ll" and query(marker)["output"] == "html"
    assert query(marker)["content"] == "东胜村银杏大道"
    assert urlsplit(route).path == "/direction"
    assert query(route)["destination"] == "latlng:29.050000,106.250000|name:东胜银杏夜市"
    assert query(route)["coord_type"] == "bd09ll" and query(route)["mode"] == "driving"
    assert "东胜村银杏大道" in text(tree.find(".//main"))


async def test_one_point_is_the_same_place_on_both_maps(client: Client, seeded: None) -> None:
    await picked(client, "wgs84")

    _, tree = await page(client, MARKET)

    amap = query(hrefs(tree, "https://uri.amap.com/marker")[0])["position"].split(",")
    baidu = query(hrefs(tree, "https://api.map.baidu.com/marker")[0])["location"].split(",")
    gcj_lat, gcj_lng = float(amap[1]), float(amap[0])
    bd_lat, bd_lng = float(baidu[0]), float(baidu[1])
    # GCJ-02 sits a few hundred metres off GPS, and 百度 a little further off GCJ-02
    assert 0.001 < abs(gcj_lng - PICKED_LNG) < 0.01 and abs(gcj_lat - PICKED_LAT) < 0.01
    assert 0.005 < abs(bd_lng - gcj_lng) < 0.01 and 0.004 < abs(bd_lat - gcj_lat) < 0.01


async def test_venue_capacity_is_shown_when_known(client: Client, seeded: None) -> None:
    response = await client.patch("/api/v1/venues/qingqing-park", json={"capacity": 800},
                                  headers=await scheduler(client))
    assert response.status_code == 200, response.text

    _, tree = await page(client, "/venues/qingqing-park")

    main = text(tree.find(".//main"))
    assert "容纳人数" in main and "约 800 人" in main
    assert OPENING in main and DRAFT not in main


async def test_venue_page_speaks_english_when_asked(client: Client, seeded: None) -> None:
    _, tree = await page(client, f"{MARKET}?lang=en")

    assert text(tree.find(".//h1")) == "Dongsheng Ginkgo Night Market"
    assert "Coming up here" in text(tree.find(".//main"))


async def test_unknown_venue_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/venues/olympic-stadium", status=404)
    await page(client, "/venues/" + "x" * 300, status=404)

    assert "找不到场地「olympic-stadium」" in html


async def test_organizer_page_lists_the_next_night_of_each_of_their_events(
    client: Client, seeded: None
) -> None:
    _, tree = await page(client, "/organizers/culture-station")

    assert text(tree.find(".//h1")) == "柏林镇综合文化站"
    items = [text(li) for li in tree.iter("li") if "night" in (li.get("class") or "").split()]
    titles = [line for line in items if NIGHT_MARKET in line]
    assert len(titles) == 1 and "6月4日 周五" in titles[0]  # once, at its next night
    assert any(OPENING in line and "7月3日 周六" in line for line in items)
    assert not any("秋季" in line for line in items)  # the autumn 2026 nights are over
    assert "柏林镇综合文化站" in description(tree)


async def test_organizer_contact_is_shown(client: Client, seeded: None) -> None:
    response = await client.patch("/api/v1/organizers/jiayue-farm",
                                  json={"contact": "嘉悦农场前台"},
                                  headers=await scheduler(client))
    assert response.status_code == 200, response.text

    _, tree = await page(client, "/organizers/jiayue-farm")

    main = text(tree.find(".//main"))
    assert "嘉悦农场前台" in main
    assert "暂时没有接下来的活动" in main  # the farm runs none of the demo season's events


async def test_unknown_organizer_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/organizers/nobody", status=404)

    assert "找不到主办单位「nobody」" in html


@pytest.mark.parametrize("path", ["/venues/ginkgo-night-market", "/organizers/culture-station"])
async def test_place_pages_ask_a_fixed_few_questions(
    client: Client, seeded: None, staff: Staff, path: str
) -> None:
    before = await selects(client, path)
    for night in range(6):  # more series there, hundreds more nights
        await create_event(client, staff.scheduler, MARKET_SERIES, title_zh=f"夜市{night}",
                           organizer="culture-station", allow_overlap=True)

    after = await selects(client, path)

    assert after == before <= 2  # the data version, then one question for the list


@pytest.mark.parametrize("path", [
    "/venues/%00", "/venues/..%2F..%2Fetc", "/venues/%E5%98%BF?lang=en", "/organizers/a%00b",
    "/organizers/%C2%85", "/venues/ginkgo-night-market?x=%00",
])
async def test_garbage_in_a_place_address_is_never_a_server_error(
    client: Client, seeded: None, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code in (200, 404), (path, response.text[:300])
    assert_good_page(response.text)


async def test_inside_wechat_a_venue_page_guides_to_the_browser(
    client: Client, seeded: None
) -> None:
    _, tree = await page_as(client, MARKET, WECHAT)
    links = [a.get("href") or "" for a in tree.iter("a")]
    fields = [i.get("value") for i in tree.iter("input") if i.get("readonly") is not None]

    assert "在浏览器打开" in text(tree)
    assert fields == ["https://events.example.test/feeds/venues/ginkgo-night-market.ics"]
    assert not [h for h in links if h.startswith("webcal:") or h.endswith(".ics")]
