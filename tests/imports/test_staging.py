"""An import on SQLite is rehearsed on a copy and applied in one short transaction: what it
writes arrives whole, a dry run never touches the live file, and a schedule changed by
someone else meanwhile is never overwritten.

Always on a SQLite file of its own (the PostgreSQL path is one plain transaction, which the
other import tests cover on both databases).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.models import Event
from bolin_events.schemas.events import EventCreate
from bolin_events.services.scheduling.events import create_event
from bolin_events.settings import Settings
from bolin_events.staging import STAGING_DIR, ScheduleChanged, run_import
from tests.support.db import prepare


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path, environment="test", secret_key="staging-test-key",
                        uid_domain="events.example.test")
    prepare(settings, ())
    return settings


def titles(settings: Settings) -> list[str]:
    assert settings.sqlite_file is not None
    with closing(sqlite3.connect(settings.sqlite_file)) as db:
        return [row[0] for row in db.execute("SELECT title_zh FROM event ORDER BY id")]


def someone_else_adds(settings: Settings, title: str) -> None:
    """A scheduler's write on the live database, straight through SQLite."""
    assert settings.sqlite_file is not None
    with closing(sqlite3.connect(settings.sqlite_file, isolation_level=None)) as db:
        db.execute(
            "INSERT INTO event (uid, title_zh, category_id, all_day, starts_at, ends_at, "
            "timezone, status, sequence, course, span_end, created_at, updated_at) "
            "SELECT ?, ?, id, 0, "
            "'2028-05-01 11:00:00', '2028-05-01 13:00:00', 'Asia/Shanghai', 'draft', 0, 0, "
            "'2028-05-01 13:00:00', '2028-01-01 00:00:00', '2028-01-01 00:00:00' "
            "FROM category LIMIT 1", (f"uid-{title}", title))


Work = Callable[[AsyncSession], Awaitable[list[int]]]


def two_evenings(settings: Settings, *, meanwhile: list[str] | None = None) -> Work:
    """An import's work: two published evenings at the night market; ``meanwhile`` titles
    are written to the live database by someone else while it runs, one per rehearsal."""

    async def work(session: AsyncSession) -> list[int]:
        made = []
        for day in (1, 2):
            start = datetime(2028, 6, day, 19, 0)
            event = await create_event(session, EventCreate(
                title_zh=f"夜市 6月{day}日", category="market", venue="ginkgo-night-market",
                start=start, end=start.replace(hour=21), status="published"), settings)
            made.append(event.id or 0)
        if meanwhile:
            someone_else_adds(settings, meanwhile.pop(0))
        return made

    return work


async def run(settings: Settings, work: Work, *, dry_run: bool = False) -> list[int]:
    engine = make_engine(settings)
    try:
        return await run_import(settings, make_sessionmaker(engine), work, dry_run=dry_run)
    finally:
        await engine.dispose()


async def test_a_real_import_arrives_whole_with_its_nights(sqlite_settings: Settings) -> None:
    made = await run(sqlite_settings, two_evenings(sqlite_settings))

    assert titles(sqlite_settings) == ["夜市 6月1日", "夜市 6月2日"]
    engine = make_engine(sqlite_settings)
    try:
        async with make_sessionmaker(engine)() as session:
            events = (await session.exec(select(Event))).all()
            assert [e.id for e in events] == made  # the ids the import reported
            assert all(e.uid.startswith("event-") for e in events)
    finally:
        await engine.dispose()
    assert list((sqlite_settings.data_dir / STAGING_DIR).iterdir()) == []  # copies deleted


async def test_a_dry_run_leaves_the_live_database_as_it_was(sqlite_settings: Settings) -> None:
    assert sqlite_settings.sqlite_file is not None
    before = sqlite_settings.sqlite_file.stat().st_mtime_ns

    async def work(session: AsyncSession) -> list[int]:
        savepoint = await session.begin_nested()  # as import_sheet does on a dry run
        made = await two_evenings(sqlite_settings)(session)
        await savepoint.rollback()
        return made

    made = await run(sqlite_settings, work, dry_run=True)

    assert len(made) == 2
    assert titles(sqlite_settings) == []
    assert sqlite_settings.sqlite_file.stat().st_mtime_ns == before  # not even opened to write


async def test_a_schedule_changed_once_meanwhile_is_kept_and_the_import_is_rehearsed_again(
        sqlite_settings: Settings) -> None:
    await run(sqlite_settings, two_evenings(sqlite_settings, meanwhile=["村晚彩排（别人刚加的）"]))

    assert sorted(titles(sqlite_settings)) == sorted(
        ["村晚彩排（别人刚加的）", "夜市 6月1日", "夜市 6月2日"])


async def test_a_schedule_that_keeps_changing_refuses_the_import_and_writes_nothing(
        sqlite_settings: Settings) -> None:
    with pytest.raises(ScheduleChanged) as refused:
        await run(sqlite_settings,
                  two_evenings(sqlite_settings, meanwhile=["第一次插入", "第二次插入"]))

    assert refused.value.status == 409
    assert "未写入任何数据" in refused.value.zh
    assert titles(sqlite_settings) == ["第一次插入", "第二次插入"]  # theirs kept, none of ours
