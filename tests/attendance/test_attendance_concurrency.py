"""Twenty reporters at once, each request raced by its own retry, against a running server."""

from __future__ import annotations

from tests.attendance.live import LiveServer, hammer, plan


async def test_twenty_reporters_with_retries_lose_nothing_and_count_nothing_twice(
    live: LiveServer,
) -> None:
    owned, shared = plan(live, 1, days_ago=90, hour=8)

    outcome = await hammer(live, owned, shared, copies=2)

    assert outcome.problems == []
    assert outcome.statuses == {201: outcome.requests}
    assert outcome.reports == 20 + 20
    assert outcome.requests == outcome.reports * 3
