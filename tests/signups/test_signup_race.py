"""THE PROOF: 200 visitors sign up for 50 places at the same moment, and exactly 50 are
confirmed — on SQLite (one writer at a time) and on PostgreSQL (many connections at once,
each sign-up locking its night).

In-process, every request runs concurrently on the app's connection pool; then against a real
server with two app processes on the database under test.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bolin_events.settings import Settings
from tests.attendance.live import LiveServer, live_server_of_kind, post_patiently
from tests.conftest import DATABASE_KINDS, Client, Staff
from tests.signups.helpers import (
    figures,
    list_url,
    night_with_plan,
    phone,
    signups_url,
)

VISITORS, PLACES = 200, 50


@pytest.fixture
def settings(base_settings: Settings, tmp_path: Path) -> Settings:
    """Room for every visitor at once: no request turned away before it reaches the database,
    and many connections to it."""
    return base_settings.model_copy(update={
        "data_dir": tmp_path, "max_concurrent_requests": 1000, "db_pool_size": 40,
        "db_pool_timeout_seconds": 30})


async def send(client: httpx.AsyncClient, night: str, n: int) -> httpx.Response:
    """One visitor's sign-up, sent again after a busy answer or a dropped connection."""
    body = {"name": f"游客{n}", "phone": phone(n)}
    return (await post_patiently(client, signups_url(night), body))


async def test_race_200_sign_ups_for_50_places_confirm_exactly_50(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=PLACES, per_address=1000)

    answers = await asyncio.gather(*(send(client, night, n) for n in range(VISITORS)))

    assert Counter(a.status_code for a in answers) == {201: VISITORS}
    states = Counter(a.json()["state"] for a in answers)
    assert states == {"confirmed": PLACES, "waitlisted": VISITORS - PLACES}
    positions = sorted(a.json()["position"] for a in answers if a.json()["state"] == "waitlisted")
    assert positions == list(range(1, VISITORS - PLACES + 1))  # one line, no place twice
    assert len({a.json()["code"] for a in answers}) == VISITORS
    counted = await figures(client, night)
    assert (counted.registered, counted.waitlisted) == (PLACES, VISITORS - PLACES)
    listed = (await client.get(list_url(night), headers=staff.scheduler)).json()
    assert sum(r["party"] for r in listed if r["state"] == "confirmed") == PLACES


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def two_workers(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if request.param != "sqlite":
        request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    data_dir = tmp_path_factory.mktemp(f"signups-{request.param}")
    with live_server_of_kind(request.param, data_dir, "signups") as server:
        yield server


async def test_race_200_sign_ups_at_two_app_processes_confirm_exactly_50(
        two_workers: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=two_workers.url, timeout=60,
                                 limits=httpx.Limits(max_connections=VISITORS)) as client:
        _, night = await night_with_plan(client, two_workers.headers("scheduler"),
                                         places=PLACES, per_address=1000)

        answers = await asyncio.gather(*(send(client, night, n) for n in range(VISITORS)))
        listed = (await client.get(list_url(night),
                                   headers=two_workers.headers("scheduler"))).json()

    assert Counter(a.status_code for a in answers) == {201: VISITORS}
    assert Counter(a.json()["state"] for a in answers) == {
        "confirmed": PLACES, "waitlisted": VISITORS - PLACES}
    assert Counter(r["state"] for r in listed) == {"confirmed": PLACES,
                                                   "waitlisted": VISITORS - PLACES}
    assert [r["position"] for r in listed if r["state"] == "waitlisted"] == list(
        range(1, VISITORS - PLACES + 1))
