"""Fifty schedulers booking one venue for one evening at the same moment: one booking wins.

Against a real server with two app processes, on the database under test: the venue-clash
check must hold between processes and transactions, not only within one request.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.attendance.live import LiveServer, live_server_of_kind, post_patiently
from tests.conftest import DATABASE_KINDS, Client, Staff

BOOKINGS = 50


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def two_workers(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if request.param != "sqlite":
        request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    data_dir = tmp_path_factory.mktemp(f"clash-{request.param}")
    with live_server_of_kind(request.param, data_dir, "clash") as server:
        yield server


async def book(client: httpx.AsyncClient, body: dict[str, object]) -> int:
    """One booking, sent again after a busy answer's pause or a dropped connection, as a
    client should."""
    return (await post_patiently(client, "/api/v1/events", body)).status_code


@pytest.mark.parametrize("days_ahead", [20, 21, 22])  # three evenings: a race shows at once
async def test_fifty_simultaneous_bookings_of_one_evening_make_one_event(
        two_workers: LiveServer, days_ahead: int) -> None:
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=days_ahead)
    start = datetime(day.year, day.month, day.day, 19, 30)
    title = f"清青乐园纳凉晚会{day:%m%d}"
    bodies = [{"title_zh": f"{title} 第{n}份申请", "category": "performance",
               "venue": "qingqing-park", "start": start.isoformat(),
               "end": (start + timedelta(hours=2)).isoformat(), "status": "published"}
              for n in range(BOOKINGS)]

    async with httpx.AsyncClient(base_url=two_workers.url, timeout=60,
                                 headers=two_workers.headers("scheduler"),
                                 limits=httpx.Limits(max_connections=BOOKINGS)) as client:
        statuses = Counter(await asyncio.gather(*(book(client, body) for body in bodies)))
        listed = (await client.get("/api/v1/events", params={"venue": "qingqing-park",
                                                               "limit": 500})).json()

    assert statuses == {201: 1, 409: BOOKINGS - 1}
    assert sum(e["title_zh"].startswith(title) for e in listed["items"]) == 1



async def test_a_refused_write_leaves_the_shared_reference_data_readable(
        client: Client, staff: Staff) -> None:
    """Reference data is loaded once and shared: the request that loaded it being rolled back
    (here: an unknown category) must not spoil it for the next."""
    body = {"title_zh": "华盖村纳凉晚会", "venue": "qingqing-park", "status": "published",
            "start": "2027-07-02T19:30:00", "end": "2027-07-02T21:30:00"}

    refused = await client.post("/api/v1/events", headers=staff.scheduler,
                                json={**body, "category": "no-such-kind"})
    first = await client.post("/api/v1/events", headers=staff.scheduler,
                              json={**body, "category": "performance"})
    clash = await client.post("/api/v1/events", headers=staff.scheduler,
                              json={**body, "category": "performance"})
    venues = await client.get("/api/v1/venues")

    assert refused.status_code in (404, 422)
    assert first.status_code == 201
    assert clash.status_code == 409
    assert clash.json()["details"][0]["venue"] == "qingqing-park"
    assert venues.status_code == 200
