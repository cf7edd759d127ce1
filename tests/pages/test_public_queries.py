"""Every public read asks the database a fixed, small number of questions, however many events
and nights it shows: no query per row (N+1) on any public page or list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.api.helpers import MARKET, create_event
from tests.conftest import Client, Staff

# The data version (the public cache's check) is one of them; reference data comes from memory.
READS = {
    "/": 6,  # today, this weekend, coming up; years entered by hand (the break's, today's)
    "/calendar?month=2027-06": 3,  # + the years entered by hand (none here: no days read)
    "/events?from=2027-06-01": 2,
    "/programmes/haixiaji": 3,  # + its picture
    "/subscribe": 2,  # + nights to come per category and programme (the most-used feeds)
    "/search?q=yeshi": 2,  # the data version: the page cache's, then the search index's
    "/api/v1/occurrences?start=2027-06-01&end=2027-07-01": 2,
    "/api/v1/events": 4,  # the page, its total, the nights' counts
    "/api/v1/feeds": 1,
}


@contextmanager
def counted(client: Client) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(*args: object) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            seen.append(str(args[2]))

    engine = client.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


async def selects(client: Client, path: str) -> int:
    await client.get(path)  # reference data into memory
    client.app.state.public_cache.answers.clear()
    with counted(client) as seen:
        response = await client.get(path)
    assert response.status_code == 200, response.text[:300]
    return len(seen)


@pytest.mark.parametrize(("path", "most"), READS.items())
async def test_a_public_read_asks_a_fixed_few_questions(
    client: Client, seeded: None, staff: Staff, path: str, most: int
) -> None:
    before = await selects(client, path)
    for night in range(12):  # a dozen more series, hundreds more nights
        await create_event(client, staff.scheduler, MARKET, title_zh=f"夜市{night}",
                           allow_overlap=True)

    after = await selects(client, path)

    assert before == after == most


async def test_an_event_page_asks_a_fixed_few_questions(
    client: Client, seeded: None, staff: Staff
) -> None:
    market = await create_event(client, staff.scheduler, MARKET, allow_overlap=True)

    asked = await selects(client, f"/events/{market['id']}")

    # the version, the event, its count of nights, its nights, its picture, its sign-up plans
    assert asked == 6
