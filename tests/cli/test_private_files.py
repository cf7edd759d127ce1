"""What the service writes to disk that holds people's data is readable by its owner only."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bolin_events import migrate
from bolin_events.db import make_engine
from bolin_events.settings import Settings


def test_the_sqlite_database_and_its_wal_files_are_the_owners_alone(tmp_path: Path) -> None:
    settings = Settings(environment="test", data_dir=tmp_path / "data")
    migrate.upgrade(settings)

    async def write_and_look() -> dict[str, int]:
        engine = make_engine(settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO village (name_zh, slug, updated_at) "
                                              "VALUES ('测试村', 'ceshi', CURRENT_TIMESTAMP)"))
                return {p.name: p.stat().st_mode & 0o777
                        for p in settings.data_dir.glob("bolin.db*")}
        finally:
            await engine.dispose()

    modes = asyncio.run(write_and_look())

    assert modes["bolin.db"] == 0o600
    assert modes.get("bolin.db-wal", 0o600) == 0o600
    assert modes.get("bolin.db-shm", 0o600) == 0o600
    assert "bolin.db-wal" in modes  # written in WAL mode, so the check above means something
