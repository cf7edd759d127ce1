"""A feed checked moments ago is sent again without a database query; local writes end that."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from bolin_events.models import Event
from bolin_events.routes import feeds as feeds_route
from bolin_events.services.feeds.cache import FeedCache, RenderedFeed
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.tally.helpers import count, entrance, held_night


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"feed_recheck_seconds": 60})


async def _rename_behind_the_apps_back(client: Client, title: str) -> int:
    async with client.app.state.sessionmaker() as session, session.begin():
        event = (await session.exec(select(Event).order_by(Event.id))).first()  # type: ignore[arg-type]
        assert event is not None
        event.title_zh, event.sequence = title, event.sequence + 1
        session.add(event)
        return event.id or 0


async def test_feed_recent_is_resent_without_asking_the_database(
    client: Client, seeded: None
) -> None:
    first = await client.get("/feeds/all.ics")
    await _rename_behind_the_apps_back(client, "改名但还没被看见")

    again = await client.get("/feeds/all.ics")

    assert again.headers["etag"] == first.headers["etag"]
    assert "改名但还没被看见" not in again.text


async def test_feed_write_through_the_app_is_seen_at_once(
    client: Client, seeded: None, staff: Staff
) -> None:
    first = await client.get("/feeds/all.ics")
    event_id = (await client.get("/api/v1/events")).json()["items"][0]["id"]

    patched = await client.patch(f"/api/v1/events/{event_id}", json={"title_zh": "新名字"},
                                 headers=staff.scheduler)
    again = await client.get("/feeds/all.ics")

    assert patched.status_code == 200
    assert again.headers["etag"] != first.headers["etag"]
    assert "SUMMARY:新名字" in again.text


async def test_subscribers_asking_at_once_share_one_database_check(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the window ends under load, one check serves every request waiting on it."""
    checks = 0
    real_get_file = feeds_route.get_file

    async def counted(*args: Any, **kwargs: Any) -> RenderedFeed:
        nonlocal checks
        checks += 1
        return await real_get_file(*args, **kwargs)

    monkeypatch.setattr(feeds_route, "get_file", counted)

    answers = await asyncio.gather(*(client.get("/feeds/all.ics") for _ in range(12)))

    assert checks == 1
    assert {a.status_code for a in answers} == {200}
    assert len({a.headers["etag"] for a in answers}) == 1


async def test_a_check_that_began_before_a_write_is_not_kept() -> None:
    cache = FeedCache()
    feed = RenderedFeed(b"BEGIN:VCALENDAR\r\n", '"x"', datetime(2027, 1, 1, tzinfo=UTC), "x.ics")
    release = asyncio.Event()

    async def slow_check() -> RenderedFeed:
        await release.wait()
        return feed

    answer = asyncio.ensure_future(cache.checked("all", 60, slow_check))
    await asyncio.sleep(0)
    cache.forget_recent()  # a write committed while the check was reading
    release.set()

    assert await answer is feed  # the asker gets what was read …
    assert cache.recent("all", 60) is None  # … but the next one reads again


async def test_when_the_window_runs_out_the_last_answer_is_sent_while_one_check_runs() -> None:
    """A crowd asking as the window ends is not held up by the database."""
    cache = FeedCache()
    old = RenderedFeed(b"BEGIN:VCALENDAR\r\n", '"old"', datetime(2027, 1, 1, tzinfo=UTC), "x.ics")
    new = RenderedFeed(b"BEGIN:VCALENDAR\r\n", '"new"', datetime(2027, 1, 2, tzinfo=UTC), "x.ics")
    release, checks = asyncio.Event(), 0

    async def slow_check() -> RenderedFeed:
        nonlocal checks
        checks += 1
        await release.wait()
        return new

    cache.remember("all", old)
    await asyncio.sleep(0.06)  # the 0.05 s window has run out

    meanwhile = [await cache.checked("all", 0.05, slow_check) for _ in range(5)]
    release.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)

    assert meanwhile == [old] * 5  # answered at once, the check still running
    assert checks == 1
    assert cache.recent("all", 0.05) is new


async def test_after_a_write_or_long_quiet_the_next_asker_waits_for_the_check() -> None:
    cache = FeedCache()
    old = RenderedFeed(b"BEGIN:VCALENDAR\r\n", '"old"', datetime(2027, 1, 1, tzinfo=UTC), "x.ics")
    new = RenderedFeed(b"BEGIN:VCALENDAR\r\n", '"new"', datetime(2027, 1, 2, tzinfo=UTC), "x.ics")

    async def check() -> RenderedFeed:
        return new

    cache.remember("all", old)
    cache.forget_recent()  # a write
    after_write = await cache.checked("all", 60, check)
    cache.remember("quiet", old)
    await asyncio.sleep(0.06)
    after_quiet = await cache.checked("quiet", 0.01, check)  # over five windows old

    assert after_write is new
    assert after_quiet is new


async def test_writes_no_public_read_shows_leave_the_window_alone(
    client: Client, seeded: None, staff: Staff
) -> None:
    """A press at the gates, a check-in or a sign-up changes nothing a feed shows: on a busy
    night they must not send every subscriber's next request to the database."""
    night = await held_night(client, staff.scheduler)
    first = await client.get("/feeds/all.ics")
    await _rename_behind_the_apps_back(client, "改名但还没被看见")

    gate = await entrance(client, staff.reporter, night, "东门")
    await count(client, staff.reporter, night, gate, 1, 5)
    after_counting = await client.get("/feeds/all.ics")
    patched = await client.patch(f"/api/v1/events/{night.split('-')[0]}",
                                 json={"title_en": "Night market"}, headers=staff.scheduler)
    after_editing = await client.get("/feeds/all.ics")

    assert after_counting.headers["etag"] == first.headers["etag"]
    assert "改名但还没被看见" not in after_counting.text
    assert patched.status_code == 200
    assert "改名但还没被看见" in after_editing.text
