"""HTTP behaviour a calendar client and a CDN rely on: headers, validators, 304, HEAD, CORS."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from sqlalchemy import update

from bolin_events.models import Event, Programme, Role, utcnow
from tests.conftest import Client, make_user
from tests.feeds.helpers import BEFORE_DEMO, pin_clock

MARKET_FEED = "/feeds/categories/market.ics"


@pytest.fixture(autouse=True)
def before_season(client: Client) -> None:
    pin_clock(client, BEFORE_DEMO)


@pytest.fixture
async def staff_headers(client: Client, seeded: None) -> dict[str, str]:
    """An admin's Bearer header (renaming reference data is for admins)."""
    return await make_user(client.app, "admin", Role.admin)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


async def test_feed_response_headers(client: Client, seeded: None) -> None:
    response = await client.get(MARKET_FEED, headers={"Accept-Encoding": "identity"})
    everything = (await client.get("/api/v1/events", params={"limit": 500})).json()["items"]
    newest = max(datetime.fromisoformat(e["updated_at"]) for e in everything)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    disposition = 'inline; filename="bolin-categories-market.ics"'
    assert response.headers["content-disposition"] == disposition
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["last-modified"] == http_date(newest)  # the last change anywhere
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 42  # strong, not W/
    assert response.headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in response.headers


async def test_unchanged_feed_keeps_its_etag_and_bytes(client: Client, seeded: None) -> None:
    first = await client.get("/feeds/all.ics")
    second = await client.get("/feeds/all.ics")

    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]


@pytest.mark.parametrize("header", ["{etag}", 'W/{etag}', '"other", {etag}', "*"])
async def test_matching_if_none_match_is_a_304_without_body(client: Client, seeded: None,
                                                            header: str) -> None:
    etag = (await client.get(MARKET_FEED)).headers["etag"]

    response = await client.get(MARKET_FEED, headers={"If-None-Match": header.format(etag=etag)})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "content-type" not in response.headers


async def test_stale_if_none_match_gets_the_feed(client: Client, seeded: None) -> None:
    response = await client.get(MARKET_FEED, headers={"If-None-Match": '"stale"'})

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


async def test_if_modified_since_the_last_change_is_a_304(client: Client, seeded: None) -> None:
    last_modified = (await client.get(MARKET_FEED)).headers["last-modified"]
    earlier = http_date(parsedate_to_datetime(last_modified) - timedelta(seconds=1))

    same = await client.get(MARKET_FEED, headers={"If-Modified-Since": last_modified})
    older = await client.get(MARKET_FEED, headers={"If-Modified-Since": earlier})
    garbage = await client.get(MARKET_FEED, headers={"If-Modified-Since": "yesterday"})

    assert (same.status_code, same.content) == (304, b"")
    assert older.status_code == 200
    assert garbage.status_code == 200
    for full in (older, garbage):
        assert full.content.startswith(b"BEGIN:VCALENDAR\r\n")
        assert full.headers["last-modified"] == last_modified


async def test_if_none_match_wins_over_if_modified_since(client: Client, seeded: None) -> None:
    future = http_date(datetime.now(UTC) + timedelta(days=3650))

    response = await client.get(MARKET_FEED, headers={"If-None-Match": '"stale"',
                                                      "If-Modified-Since": future})

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


async def test_head_gives_the_headers_of_get_without_a_body(client: Client, seeded: None) -> None:
    plain = {"Accept-Encoding": "identity"}
    get = await client.get(MARKET_FEED, headers=plain)

    head = await client.head(MARKET_FEED, headers=plain)

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["access-control-allow-origin"] == "*"


async def test_head_with_matching_etag_is_a_304(client: Client, seeded: None) -> None:
    etag = (await client.get(MARKET_FEED)).headers["etag"]

    head = await client.head(MARKET_FEED, headers={"If-None-Match": etag})

    assert (head.status_code, head.content) == (304, b"")
    assert head.headers["etag"] == etag


async def test_browser_page_on_another_site_may_read_the_feed(client: Client,
                                                              seeded: None) -> None:
    response = await client.get("/feeds/all.ics", headers={"Origin": "https://example.org"})

    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-expose-headers"] == "ETag, Last-Modified"


async def test_accept_header_does_not_change_the_answer(client: Client, seeded: None) -> None:
    plain = await client.get(MARKET_FEED)

    json_please = await client.get(MARKET_FEED, headers={"Accept": "application/json"})

    assert json_please.status_code == 200
    assert json_please.content == plain.content


async def test_warm_feed_is_served_from_memory(client: Client, seeded: None) -> None:
    cache = client.app.state.feed_cache
    await client.get("/feeds/all.ics")
    hits = cache.feeds.hits

    await client.get("/feeds/all.ics")
    await client.get("/feeds/all.ics", headers={"If-None-Match": '"stale"'})

    assert cache.feeds.hits == hits + 2


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_feeds_only_answer_get_and_head(client: Client, seeded: None, method: str) -> None:
    response = await client.request(method, "/feeds/all.ics")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"  # OPTIONS: a CORS preflight
    assert response.json()["message"]


async def test_filter_order_and_repeats_name_the_same_feed(client: Client, seeded: None) -> None:
    one = await client.get("/feeds/all.ics?category=market,performance&village=dongsheng")
    other = await client.get(
        "/feeds/all.ics?village=dongsheng&category=performance,market,performance")

    assert one.status_code == other.status_code == 200
    assert one.content == other.content
    assert one.headers["etag"] == other.headers["etag"]


async def test_overlong_filter_is_refused_with_a_message(client: Client, seeded: None) -> None:
    response = await client.get("/feeds/all.ics", params={"category": "a," * 600})

    assert response.status_code == 422
    assert "category" in response.json()["message_en"]


async def test_recent_feed_is_resent_per_exact_request(client: Client, seeded: None) -> None:
    """The recheck window remembers each path and query as sent: a different filter is its
    own feed, never another's bytes."""
    client.app.state.settings.feed_recheck_seconds = 60
    market = await client.get("/feeds/all.ics?category=market")
    everything = await client.get("/feeds/all.ics")
    market_again = await client.get("/feeds/all.ics?category=market")

    assert everything.content != market.content
    assert market_again.content == market.content


async def _a_minute_ago(client: Client) -> None:
    """Every stored change a minute older: a change now is then a later second (HTTP dates
    have whole seconds)."""
    moment = utcnow() - timedelta(minutes=1)
    async with client.app.state.sessionmaker() as session, session.begin():
        await session.exec(update(Event).values(updated_at=moment))
        await session.exec(update(Programme).values(updated_at=moment))


async def test_an_event_leaving_a_feed_is_no_304_for_if_modified_since(
        client: Client, seeded: None, staff_headers: dict[str, str]) -> None:
    """Nothing left in the market feed changed, but the file did: the gala left it."""
    await _a_minute_ago(client)
    before = await client.get(MARKET_FEED)
    market = (await client.get("/api/v1/events", params={"category": "market"})).json()["items"]
    leaving = market[0]["id"]

    moved = await client.patch(f"/api/v1/events/{leaving}", json={"category": "culture"},
                               headers=staff_headers)
    after = await client.get(MARKET_FEED,
                             headers={"If-Modified-Since": before.headers["last-modified"]})

    assert moved.status_code == 200, moved.text
    assert after.status_code == 200
    assert after.content != before.content
    assert f"event-{leaving}@".encode() not in after.content


async def test_a_renamed_venue_reaches_subscribers(
        client: Client, seeded: None, staff_headers: dict[str, str]) -> None:
    """The events held there get a new SEQUENCE, and If-Modified-Since sees the change."""
    await _a_minute_ago(client)
    before = await client.get(MARKET_FEED)

    renamed = await client.patch("/api/v1/venues/ginkgo-night-market",
                                 json={"name_zh": "东胜银杏夜市广场"}, headers=staff_headers)
    after = await client.get(MARKET_FEED,
                             headers={"If-Modified-Since": before.headers["last-modified"]})

    assert renamed.status_code == 200, renamed.text
    assert after.status_code == 200
    old_sequences = re.findall(rb"SEQUENCE:(\d+)", before.content)
    new_sequences = re.findall(rb"SEQUENCE:(\d+)", after.content)
    assert [int(n) + 1 for n in old_sequences] == [int(n) for n in new_sequences]
    assert "东胜银杏夜市广场" in after.content.decode()


async def test_a_renamed_programme_moves_last_modified(
        client: Client, seeded: None, staff_headers: dict[str, str]) -> None:
    await _a_minute_ago(client)
    before = await client.get("/feeds/programmes/haixiaji.ics")

    renamed = await client.patch("/api/v1/programmes/haixiaji", json={"name_en": "Hi Summer!"},
                                 headers=staff_headers)
    after = await client.get("/feeds/programmes/haixiaji.ics",
                             headers={"If-Modified-Since": before.headers["last-modified"]})

    assert renamed.status_code == 200, renamed.text
    assert after.status_code == 200
    assert "Hi Summer!" in after.content.decode()


async def test_a_client_that_takes_gzip_gets_the_feed_compressed(
    client: Client, seeded: None
) -> None:
    plain = await client.get("/feeds/all.ics", headers={"Accept-Encoding": "identity"})
    packed = await client.get("/feeds/all.ics", headers={"Accept-Encoding": "gzip, deflate"})
    again = await client.get("/feeds/all.ics", headers={
        "Accept-Encoding": "gzip", "If-None-Match": packed.headers["etag"]})

    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # httpx unpacks it: the same feed
    assert int(packed.headers["content-length"]) * 4 < int(plain.headers["content-length"])
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    assert again.status_code == 304


async def test_a_browsers_cors_preflight_for_a_feed_is_answered(client: Client) -> None:
    preflight = await client.options("/feeds/all.ics", headers={
        "Origin": "https://calendar.example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    other = await client.post("/feeds/all.ics")

    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "If-None-Match" in preflight.headers["access-control-allow-headers"]
    assert other.status_code == 405
    assert other.headers["allow"] == "GET, HEAD, OPTIONS"
