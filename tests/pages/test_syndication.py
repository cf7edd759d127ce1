"""Atom and RSS feeds of the nights to come: the same nights as the public lists and the API,
each linking to its event page, with ids a feed reader can rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from tests.conftest import Client, Staff
from tests.pages.public_helpers import NIGHT_MARKET, event_id, page

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://events.example.test"


async def _atom(client: Client, path: str) -> ElementTree.Element:
    response = await client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def _entries(feed: ElementTree.Element) -> list[dict[str, str]]:
    return [{"id": e.findtext(f"{ATOM}id", ""), "title": e.findtext(f"{ATOM}title", ""),
             "link": e.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
             "updated": e.findtext(f"{ATOM}updated", ""),
             "summary": e.findtext(f"{ATOM}summary", "")}
            for e in feed.findall(f"{ATOM}entry")]


async def _next_nights(client: Client, **filters: str) -> list[dict[str, Any]]:
    """What the API says is coming up (the feeds' window: two years from now)."""
    now = datetime.now(UTC)
    params = {"start": now.isoformat(), "end": (now + timedelta(days=730)).isoformat(),
              "limit": 50, **filters}
    response = await client.get("/api/v1/occurrences", params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_the_town_feed_lists_the_next_nights_in_order_with_links_to_their_events(
    client: Client, seeded: None
) -> None:
    expected = await _next_nights(client)

    entries = _entries(await _atom(client, "/atom/all.xml"))

    assert [e["link"] for e in entries] == [f"{BASE}/events/{n['event_id']}" for n in expected]
    assert len({e["id"] for e in entries}) == len(entries)  # one id per night
    for entry, night in zip(entries, expected, strict=True):
        assert night["title_zh"] in entry["title"]
        start = datetime.fromisoformat(night["start"])
        assert f"{start.month}月{start.day}日" in entry["title"]
        if not night["all_day"]:
            assert start.strftime("%H:%M") in entry["title"]


async def test_a_village_feed_holds_that_villages_nights_only(
    client: Client, seeded: None
) -> None:
    expected = await _next_nights(client, village="dongsheng")

    feed = await _atom(client, "/atom/villages/dongsheng.xml")
    entries = _entries(feed)

    assert feed.findtext(f"{ATOM}title") == "柏林镇活动 · 东胜村"
    assert [e["link"] for e in entries] == [f"{BASE}/events/{n['event_id']}" for n in expected]
    assert all("东胜村" in e["summary"] for e in entries)
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link")
                 if link.get("rel") == "alternate"]
    assert alternate == [f"{BASE}/events?village=dongsheng"]


async def test_an_entry_is_updated_when_its_event_last_changed(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    event = (await client.get(f"/api/v1/events/{market}")).json()
    changed, category = event["updated_at"], event["category"]["slug"]

    entries = _entries(await _atom(client, f"/atom/categories/{category}.xml"))

    market_entries = [e for e in entries if e["link"] == f"{BASE}/events/{market}"]
    assert market_entries
    assert {datetime.fromisoformat(e["updated"]) for e in market_entries} == {
        datetime.fromisoformat(changed.replace("Z", "+00:00"))}


async def test_a_cancelled_night_says_so_and_the_other_entries_keep_their_ids(
    client: Client, seeded: None, staff: Staff
) -> None:
    before = _entries(await _atom(client, "/atom/villages/dongsheng.xml"))
    night = (await _next_nights(client, village="dongsheng"))[1]

    cancelled = await client.post(f"/api/v1/occurrences/{night['id']}/cancel",
                                  json={"reason": "暴雨"}, headers=staff.scheduler)
    after = _entries(await _atom(client, "/atom/villages/dongsheng.xml"))

    assert cancelled.status_code == 200, cancelled.text
    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert after[1]["title"].startswith("【已取消】")
    assert "暴雨" in after[1]["summary"]
    assert not after[0]["title"].startswith("【")


async def test_rss_lists_the_same_nights_with_the_same_ids(client: Client, seeded: None) -> None:
    atom = _entries(await _atom(client, "/atom/programmes/haixiaji.xml"))

    response = await client.get("/atom/programmes/haixiaji.xml?format=rss")
    channel = ElementTree.fromstring(response.content).find("channel")

    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("guid") for i in items] == [e["id"] for e in atom]
    assert [i.findtext("link") for i in items] == [e["link"] for e in atom]
    assert channel.findtext("link") == f"{BASE}/programmes/haixiaji"
    own = channel.find("{http://www.w3.org/2005/Atom}link")
    assert own is not None and own.get("href") == f"{BASE}/atom/programmes/haixiaji.xml?format=rss"


async def test_english_titles_with_lang_en(client: Client, seeded: None) -> None:
    market = await event_id(client, NIGHT_MARKET)
    event = (await client.get(f"/api/v1/events/{market}")).json()

    feed = await _atom(client, f"/atom/categories/{event['category']['slug']}.xml?lang=en")

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert any(event["title_en"] in e["title"] for e in _entries(feed))


async def test_the_same_feed_twice_is_the_same_bytes(client: Client, seeded: None) -> None:
    first = await client.get("/atom/all.xml")
    client.app.state.public_cache.answers.clear()  # rendered again, as another process would

    again = await client.get("/atom/all.xml")

    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert "set-cookie" not in first.headers


async def test_an_unknown_slug_or_kind_is_a_404_in_words(client: Client, seeded: None) -> None:
    village, _ = await page(client, "/atom/villages/nowhere.xml", 404)
    kind, _ = await page(client, "/atom/towns/bolin.xml", 404)
    suffix, _ = await page(client, "/atom/villages/dongsheng.json", 404)

    assert "找不到村「nowhere」" in village and "dongsheng" in village
    assert "/atom/all.xml" in kind and "/atom/all.xml" in suffix


async def test_an_unknown_format_is_a_422_that_names_the_two(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/atom/all.xml?format=json", 422)

    assert "format 只能是 atom 或 rss" in html


async def test_pages_point_feed_readers_at_the_town_feed(client: Client, seeded: None) -> None:
    _, tree = await page(client, "/calendar")

    alternates = [link for link in tree.iter("link") if link.get("rel") == "alternate"]

    assert [(a.get("type"), a.get("href")) for a in alternates] == [
        ("application/atom+xml", "/atom/all.xml")]
    assert (await client.get("/atom/all.xml")).status_code == 200


async def test_a_town_with_nothing_coming_has_an_empty_feed_not_an_error(
    client: Client, reference: None
) -> None:
    feed = await _atom(client, "/atom/all.xml")

    assert _entries(feed) == []
    assert feed.findtext(f"{ATOM}title") == "柏林镇活动"
    assert feed.findtext(f"{ATOM}updated")
