"""Two reports for one occurrence in flight at once: the revision number is raced for.

On PostgreSQL the second insert waits on the unique (occurrence_id, revision) index until the
first commits, fails, and reads again; on SQLite the second waits for the write lock. Either
way the outcome is the same. The test waits for the second to be held up, not for a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bolin_events.db import write_session
from bolin_events.errors import Conflict
from bolin_events.models import User
from bolin_events.schemas.attendance import ReportIn, ReportOut
from bolin_events.services.attendance.access import Reporter
from bolin_events.services.attendance.reports import file_report
from bolin_events.settings import Settings
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff


async def reporter(client: Client, username: str) -> Reporter:
    async with client.app.state.sessionmaker() as session:
        user = (await session.exec(select(User).where(User.username == username))).one()
    return Reporter(user.id or 0, username, None)


async def file_while_another_is_open(
    client: Client, settings: Settings, occ: str, first: ReportIn, second: ReportIn
) -> tuple[ReportOut, asyncio.Task[ReportOut]]:
    """File ``first`` and, before it commits, start filing ``second`` in another transaction."""
    sessions = client.app.state.sessionmaker
    admin, scheduler = await reporter(client, "admin"), await reporter(client, "scheduler")

    async def later() -> ReportOut:
        async with write_session(sessions) as session:
            return await file_report(session, occ, second, scheduler, settings)

    engine: AsyncEngine = client.app.state.engine
    async with write_session(sessions) as session:
        filed = await file_report(session, occ, first, admin, settings)
        with watch(engine, WAITS_AT[engine.dialect.name]) as issued:
            racing = asyncio.create_task(later())
            await asyncio.wait_for(issued.wait(), 10)  # it sent what must wait for the first
        if engine.dialect.name == "postgresql":
            await until_a_lock_is_awaited(engine)
        assert not racing.done()
    return filed, racing


# The second transaction's first statement that the first one's open transaction holds up.
WAITS_AT = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "INSERT INTO attendance_report"}


@contextmanager
def watch(engine: AsyncEngine, statement: str) -> Iterator[asyncio.Event]:
    """Set when a statement starting with ``statement`` is sent (the listener runs in this
    event loop's thread, just before the driver is handed the statement)."""
    issued = asyncio.Event()

    def listener(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith(statement.upper()):
            issued.set()

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        yield issued
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)


async def until_a_lock_is_awaited(engine: AsyncEngine, within: float = 10.0) -> None:
    """Until PostgreSQL reports a lock request not granted (the second insert queued on the
    first's index entry)."""
    deadline = asyncio.get_running_loop().time() + within
    async with engine.connect() as connection:
        while asyncio.get_running_loop().time() < deadline:
            waiting = await connection.scalar(
                text("SELECT count(*) FROM pg_locks WHERE NOT granted")
            )
            if waiting:
                return
            await connection.rollback()  # a fresh snapshot of pg_locks each time
            await asyncio.sleep(0.01)
    raise AssertionError(f"no lock wait within {within} s")


async def test_race_two_corrections_at_once_become_two_revisions(
    client: Client, staff: Staff, settings: Settings
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    await client.post(reports_url(occ), json={"total": 100}, headers=staff.admin)

    filed, racing = await file_while_another_is_open(
        client,
        settings,
        occ,
        ReportIn(total=110, reason="复核"),
        ReportIn(total=120, reason="再复核"),
    )

    assert (filed.revision, (await racing).revision) == (2, 3)
    history = (await client.get(reports_url(occ), headers=staff.admin)).json()
    assert [(r["revision"], r["total"]) for r in history["revisions"]] == [
        (1, 100),
        (2, 110),
        (3, 120),
    ]


async def test_race_two_first_reports_at_once_the_second_is_told_to_correct(
    client: Client, staff: Staff, settings: Settings
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    filed, racing = await file_while_another_is_open(
        client, settings, occ, ReportIn(total=100), ReportIn(total=130)
    )

    assert filed.revision == 1
    with pytest.raises(Conflict) as refused:
        await racing
    assert refused.value.zh.startswith("该场次已上报（第 1 版，总人次 100）")
