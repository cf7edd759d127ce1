"""Several doors, one code, the same moment: the code counts once.

First in two transactions held open against each other (the second check-in is sent while
the first is not yet committed: on PostgreSQL its conditional UPDATE waits on the row, on
SQLite its BEGIN IMMEDIATE waits for the write lock), then as simultaneous requests to a real
server with two app processes on the database under test.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel import select

from bolin_events.db import make_engine, make_sessionmaker, write_session
from bolin_events.errors import Conflict
from bolin_events.models import User
from bolin_events.schemas.signups import CheckInIn, CheckInOut
from bolin_events.services.signups.checkin import check_in
from tests.attendance.live import LiveServer, live_server_of_kind, post_patiently
from tests.attendance.test_attendance_race import until_a_lock_is_awaited, watch
from tests.conftest import DATABASE_KINDS, Client, Staff
from tests.door.helpers import DONGSHENG, check_ins_url, sign_up, tonight

# The second transaction's first statement that the first one's open transaction holds up.
WAITS_AT = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "UPDATE registration"}
DOORS = 8


async def admin_id(client: Client) -> int:
    async with client.app.state.sessionmaker() as session:
        user = (await session.exec(select(User).where(User.username == "admin"))).one()
    assert user.id is not None
    return user.id


async def while_the_first_is_open(
    client: Client, night: str, first: CheckInIn, second: CheckInIn
) -> tuple[CheckInOut, asyncio.Task[CheckInOut]]:
    """Check in ``first`` and, before it commits, start ``second`` in another transaction;
    gives the first answer and the second, still waiting."""
    sessions, engine = client.app.state.sessionmaker, client.app.state.engine
    user = await admin_id(client)

    async def later() -> CheckInOut:
        async with write_session(sessions) as session:
            return await check_in(session, night, second, user)

    async with write_session(sessions) as session:
        done = await check_in(session, night, first, user)
        with watch(engine, WAITS_AT[engine.dialect.name]) as issued:
            racing = asyncio.create_task(later())
            await asyncio.wait_for(issued.wait(), 10)
        if engine.dialect.name == "postgresql":
            await until_a_lock_is_awaited(engine)
        assert not racing.done()
    return done, racing


async def test_race_two_doors_with_one_code_check_it_in_once(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=3)

    done, racing = await while_the_first_is_open(
        client, night, CheckInIn(code="K7M3QX", key="east-door-1", door="东门"),
        CheckInIn(code="K7M3QX", key="west-door-1", door="西门"))

    assert done.message == "已签到 3人"
    with pytest.raises(Conflict) as refused:
        await racing
    assert refused.value.zh.startswith("已签到过（") and "东门" in refused.value.zh
    listed = (await client.get(check_ins_url(night), headers=staff.admin)).json()
    assert listed["figures"]["checked_in"] == 3
    assert listed["codes"][0]["people"] == 3


async def test_race_a_retry_racing_its_original_gets_the_same_answer(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=2)
    same = CheckInIn(code="K7M3QX", key="queued-1234", door="东门")

    done, racing = await while_the_first_is_open(client, night, same, same)

    again = await racing
    assert (done.replayed, again.replayed) == (False, True)
    assert (again.message, again.people, again.checked_in_at) == (
        done.message, done.people, done.checked_in_at)
    listed = (await client.get(check_ins_url(night), headers=staff.admin)).json()
    assert listed["figures"]["checked_in"] == 2


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def two_workers(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if request.param != "sqlite":
        request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    data_dir = tmp_path_factory.mktemp(f"door-{request.param}")
    with live_server_of_kind(request.param, data_dir, "door") as server:
        yield server


async def live_night(server: LiveServer, code: str, party: int) -> str:
    """An event tonight on the live server, and one sign-up for it."""
    start = datetime.now(ZoneInfo("Asia/Shanghai")).replace(
        hour=19, minute=0, second=0, microsecond=0, tzinfo=None)
    body = {"title_zh": f"门口并发 {uuid.uuid4().hex[:6]}", "category": "culture",
            "venue": DONGSHENG, "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(), "status": "published",
            "allow_overlap": True}
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        made = await client.post("/api/v1/events", json=body, headers=server.headers("scheduler"))
    assert made.status_code == 201, made.text
    night = f"{made.json()['id']}-{start:%Y%m%dT%H%M%S}"
    engine = make_engine(server.settings)
    try:
        await sign_up(make_sessionmaker(engine), night, code, party=party)
    finally:
        await engine.dispose()
    return night


async def door(client: httpx.AsyncClient, night: str, body: dict[str, Any]) -> httpx.Response:
    """One check-in, sent again after a busy answer or a dropped connection (same key)."""
    return (await post_patiently(client, check_ins_url(night), body))


async def test_eight_doors_and_their_retries_at_once_check_a_code_in_once(
        two_workers: LiveServer) -> None:
    night = await live_night(two_workers, "SAME01", party=4)
    # every door sends its check-in twice at once (a retry racing the original)
    bodies = [{"code": "SAME01", "key": f"door-{n}-key", "door": f"{n}号门"}
              for n in range(DOORS) for _ in range(2)]

    async with httpx.AsyncClient(base_url=two_workers.url, timeout=60,
                                 headers=two_workers.headers("admin"),
                                 limits=httpx.Limits(max_connections=len(bodies))) as client:
        answers = await asyncio.gather(*(door(client, night, body) for body in bodies))
        listed = (await client.get(check_ins_url(night))).json()

    statuses = Counter(a.status_code for a in answers)
    won = [a.json() for a in answers if a.status_code == 200]
    assert statuses == {200: 2, 409: 2 * DOORS - 2}
    assert len({w["door"] for w in won}) == 1  # the winning door's two copies
    assert sorted(w["replayed"] for w in won) == [False, True]
    assert {a.json()["message"][:5] for a in answers if a.status_code == 409} == {"已签到过（"}
    assert listed["figures"]["checked_in"] == 4
    assert [(c["code"], c["people"]) for c in listed["codes"]] == [("SAME01", 4)]
