"""Migration 0002 (attendance) goes up, down and up again on both databases."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from bolin_events import migrate
from bolin_events.settings import Settings
from tests.support.db import scratch_postgres, table_names

TABLES = {"attendance_report", "report_photo", "idempotency_key"}


def unique_constraints(url: str) -> list[list[str]]:
    async def read() -> list[list[str]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                found = await conn.run_sync(
                    lambda c: inspect(c).get_unique_constraints("attendance_report")
                )
                return [list(u["column_names"]) for u in found]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def round_trip(url: str, data_dir: Path) -> None:
    settings = Settings(database_url=url, data_dir=data_dir)

    migrate.upgrade(settings, "0002")
    assert table_names(url) >= TABLES
    assert ["occurrence_id", "revision"] in unique_constraints(url)
    migrate.downgrade(settings, "0001")
    assert not TABLES & table_names(url)
    assert "occurrence" in table_names(url)
    migrate.upgrade(settings, "0002")
    assert table_names(url) >= TABLES


def test_migration_0002_round_trip_on_sqlite(tmp_path: Path) -> None:
    round_trip(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", tmp_path)


@pytest.fixture
def scratch_pg(postgres_url: str) -> Iterator[str]:
    """A database of our own: ``postgres_url`` is shared by the session (and skips without one)."""
    with scratch_postgres("bolin_migration") as url:
        yield url


def test_migration_0002_round_trip_on_postgresql(scratch_pg: str, tmp_path: Path) -> None:
    round_trip(scratch_pg, tmp_path)
