"""Public pages and public JSON are rendered once per data version and sent again from memory,
with an ETag a browser revalidates and no cookie that would keep a proxy from sharing them."""

from __future__ import annotations

import brotli
import httpx
import pytest
from sqlmodel import select

from bolin_events.models import Event, Role
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.pages.login import log_in
from tests.pages.public_helpers import NIGHT_MARKET, event_id

PUBLIC = ["/", "/calendar?month=2027-06", "/events?from=2027-06-01", "/subscribe",
          "/programmes/haixiaji", "/api/v1/occurrences?start=2027-06-01&end=2027-07-01",
          "/api/v1/events", "/api/v1/villages", "/embed?village=dongsheng", "/atom/all.xml"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A minute's window: within it a repeated request is answered without the database."""
    return settings.model_copy(update={"feed_recheck_seconds": 60})


async def _rename_behind_the_apps_back(client: Client, title: str) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        event = (await session.exec(select(Event).where(Event.title_zh == NIGHT_MARKET))).one()
        event.title_zh, event.sequence = title, event.sequence + 1
        session.add(event)


@pytest.mark.parametrize("path", PUBLIC)
async def test_a_public_read_has_an_etag_and_may_be_shared(
    client: Client, seeded: None, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"] == "public, max-age=60"
    assert "set-cookie" not in response.headers  # neither CSRF nor anything else


@pytest.mark.parametrize("path", PUBLIC)
async def test_a_public_read_revalidated_with_its_etag_is_a_bodyless_304(
    client: Client, seeded: None, path: str
) -> None:
    first = await client.get(path)

    again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_a_page_is_sent_again_from_memory_within_the_window(
    client: Client, seeded: None
) -> None:
    first = await client.get("/events?from=2027-06-01")
    await _rename_behind_the_apps_back(client, "改名但还没被看见")

    again = await client.get("/events?from=2027-06-01")

    assert again.headers["etag"] == first.headers["etag"]
    assert "改名但还没被看见" not in again.text


async def test_a_write_through_the_app_is_on_the_page_at_once(
    client: Client, seeded: None, staff: Staff
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    first = await client.get(f"/events/{market}")

    patched = await client.patch(f"/api/v1/events/{market}", json={"title_zh": "新名字夜市"},
                                 headers=staff.scheduler)
    again = await client.get(f"/events/{market}")

    assert patched.status_code == 200
    assert again.headers["etag"] != first.headers["etag"]
    assert "新名字夜市" in again.text


async def test_each_language_is_its_own_page(client: Client, seeded: None) -> None:
    chinese = await client.get("/subscribe")
    client.cookies.set("lang", "en")
    english = await client.get("/subscribe")

    assert chinese.headers["etag"] != english.headers["etag"]
    assert 'lang="zh-CN"' in chinese.text
    assert 'lang="en"' in english.text
    assert english.headers["vary"] == "Cookie, Accept-Encoding, User-Agent"


async def test_staff_see_their_own_pages_never_a_visitors_copy(
    client: Client, seeded: None
) -> None:
    visitor = await client.get("/subscribe")
    await log_in(client, "planner", Role.scheduler)

    staff = await client.get("/subscribe")

    assert "工作台" not in visitor.text and "工作台" in staff.text  # the workspace link
    assert "etag" not in staff.headers  # per user: never stored, never shared


async def test_an_error_is_not_kept(client: Client, seeded: None) -> None:
    missing = await client.get("/events/999999")
    again = await client.get("/events/999999")

    assert missing.status_code == again.status_code == 404
    assert "etag" not in missing.headers
    assert client.app.state.public_cache.recent(("/events/999999", b"", None, False), 60) is None


async def test_the_staff_log_in_page_still_sets_its_csrf_cookie(client: Client) -> None:
    response = await client.get("/staff/login")

    assert "bolin_csrf" in response.headers.get("set-cookie", "")


async def test_a_renamed_venue_is_on_the_page_at_once(
    client: Client, seeded: None, staff: Staff
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    before = await client.get(f"/events/{market}")

    renamed = await client.patch("/api/v1/venues/ginkgo-night-market",
                                 json={"name_zh": "银杏广场夜市"}, headers=staff.scheduler)
    after = await client.get(f"/events/{market}")

    assert renamed.status_code == 200, renamed.text
    assert "银杏广场夜市" not in before.text and "银杏广场夜市" in after.text


async def test_reference_data_is_read_once_per_change(client: Client, seeded: None) -> None:
    refs = client.app.state.refs_cache.loaded
    await client.get("/subscribe")
    loads = refs.misses

    for path in ("/", "/calendar?month=2027-06", "/events?from=2027-06-01"):
        await client.get(path)

    assert refs.misses == loads  # the same reference data, from memory


@pytest.mark.parametrize("path", ["/calendar?month=2027-06", "/api/v1/events"])
async def test_a_client_that_takes_gzip_gets_the_compressed_copy(
    client: Client, seeded: None, path: str
) -> None:
    packed = await client.get(path, headers={"Accept-Encoding": "gzip"})
    plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    again = await client.get(path, headers={"Accept-Encoding": "gzip",
                                            "If-None-Match": packed.headers["etag"]})

    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert packed.content == plain.content  # httpx unpacks it: the same page
    assert int(packed.headers["content-length"]) < int(plain.headers["content-length"]) / 3
    assert packed.headers["etag"] != plain.headers["etag"]  # one tag per encoding
    assert again.status_code == 304


async def _raw(client: Client, path: str, encoding: str) -> tuple[httpx.Response, bytes]:
    """The answer and its bytes as sent (httpx would unpack them)."""
    async with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


@pytest.mark.parametrize("path", ["/calendar?month=2027-06", "/api/v1/events", "/atom/all.xml"])
async def test_a_client_that_takes_brotli_gets_the_brotli_copy(
    client: Client, seeded: None, path: str
) -> None:
    plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    packed, raw = await _raw(client, path, "gzip, deflate, br")
    _, gzipped = await _raw(client, path, "gzip")
    again = await client.get(path, headers={"Accept-Encoding": "br",
                                            "If-None-Match": packed.headers["etag"]})

    assert packed.headers["content-encoding"] == "br"
    assert brotli.decompress(raw) == plain.content  # the same page
    assert len(raw) < len(gzipped)
    assert packed.headers["etag"].endswith('-br"')  # one tag per encoding
    assert packed.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in packed.headers["vary"]
    assert again.status_code == 304


@pytest.mark.parametrize(("accepted", "sent"), [
    ("br;q=0, gzip", "gzip"),
    ("gzip;q=0, br;q=0.5", "br"),
    ("*", "br"),
    ("*;q=0", None),
    ("br;q=0, *", "gzip"),
    ("identity", None),
])
async def test_the_encoding_follows_what_the_client_takes(
    client: Client, seeded: None, accepted: str, sent: str | None
) -> None:
    response, _ = await _raw(client, "/calendar?month=2027-06", accepted)

    assert response.headers.get("content-encoding") == sent


async def test_a_page_is_never_compressed_twice(client: Client, seeded: None) -> None:
    first, raw = await _raw(client, "/subscribe", "br")
    client.app.state.public_cache.answers.clear()
    plain = await client.get("/subscribe", headers={"Accept-Encoding": "identity"})

    assert brotli.decompress(raw).startswith(b"<!doctype html>")
    assert plain.content.startswith(b"<!doctype html>")
    assert first.headers["etag"] != plain.headers["etag"]


async def test_a_feed_is_sent_as_brotli_too(client: Client, seeded: None) -> None:
    plain = await client.get("/feeds/all.ics", headers={"Accept-Encoding": "identity"})
    packed, raw = await _raw(client, "/feeds/all.ics", "gzip, br")

    assert packed.headers["content-encoding"] == "br"
    assert brotli.decompress(raw) == plain.content
    assert packed.headers["etag"].endswith('-br"')
