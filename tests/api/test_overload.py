"""A crowd is refused quickly with 503 and Retry-After, never left waiting or answered 500.

The database is made scarce on purpose: its connections are taken by the test, so requests
needing one wait for the pool as they would behind a crowd.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from bolin_events import logs
from bolin_events.app import create_app
from bolin_events.settings import Settings
from tests.conftest import Client, Staff


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Two database connections, a second's wait for one, two requests in the app at once."""
    return settings.model_copy(update={"db_pool_size": 2, "db_pool_timeout_seconds": 1.0,
                                       "max_concurrent_requests": 2})


@asynccontextmanager
async def database_taken(client: Client) -> AsyncIterator[None]:
    """Every connection of the app's pool held by someone else."""
    async with AsyncExitStack() as stack:
        for _ in range(2):
            await stack.enter_async_context(client.app.state.engine.connect())
        yield


async def test_requests_beyond_the_bound_are_refused_at_once_with_retry_after(
        client: Client, staff: Staff) -> None:
    async with database_taken(client):
        waiting = [asyncio.create_task(client.get("/api/v1/events", headers=staff.scheduler))
                   for _ in range(2)]
        await asyncio.sleep(0.2)  # both are now in the app, waiting for a connection
        started = time.monotonic()
        refused = await client.get("/api/v1/events", headers=staff.scheduler)
        page = await client.get("/staff", headers={**staff.scheduler, "Accept": "text/html"})
        refused_in = time.monotonic() - started

    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["code"] == "busy"
    assert "请几秒钟后再试" in refused.json()["message"]
    assert page.status_code == 503
    assert "请几秒钟后再试" in page.text and page.headers["retry-after"] == "2"
    assert refused_in < 0.5  # not queued behind the others
    # the two let in were served once the connections came back, within the pool's wait
    assert [(await task).status_code for task in waiting] == [200, 200]
    assert (await client.get("/api/v1/events", headers=staff.scheduler)).status_code == 200


async def test_a_visitor_who_cannot_get_a_connection_in_time_gets_503_not_500(
        client: Client, reference: None) -> None:
    async with database_taken(client):
        started = time.monotonic()
        page = await client.get("/", headers={"Accept": "text/html"})
        listing = await client.get("/api/v1/events")
        waited = time.monotonic() - started

    assert page.status_code == 503
    assert page.headers["retry-after"] == "2"
    assert "请几秒钟后再试" in page.text
    assert listing.status_code == 503
    assert listing.json()["code"] == "busy"
    assert waited < 3  # the pool's one-second wait, twice, not a stall
    # nothing of the refusal was kept: with connections back, the page is there
    again = await client.get("/", headers={"Accept": "text/html"})
    assert again.status_code == 200
    assert "cache-control" not in page.headers or "no-store" in page.headers["cache-control"]


async def test_with_json_logs_the_refusal_is_logged_with_its_request_id(
        client: Client, reference: None, capsys: pytest.CaptureFixture[str]) -> None:
    # The app is built as serve builds it with BOLIN_LOG_FORMAT=json: nothing it sets up
    # (Litestar's own logging configuration included) may replace the service's handler.
    create_app(client.app.state.settings.model_copy(update={"log_format": "json"}))
    try:
        async with database_taken(client):
            refused = await client.get("/api/v1/events", headers={"X-Request-ID": "crowd-7"})
        written = capsys.readouterr().err
    finally:
        logs.configure("INFO", "text")

    lines = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    warned = [line for line in lines if line.get("logger") == "bolin_events"]
    assert refused.status_code == 503
    assert warned and warned[0]["level"] == "WARNING"
    assert warned[0]["request_id"] == "crowd-7"
    assert "pool exhausted" in warned[0]["message"]
