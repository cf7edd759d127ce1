"""Alembic, driven from code: `bolin-events db …`, `serve` and the tests all come here."""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect as inspect_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bolin_events.db import private_sqlite_file
from bolin_events.settings import Settings


def script_location() -> Path:
    """Inside an installed wheel, else the project's own alembic/ folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_alembic", here.parent.parent / "alembic"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("the alembic migrations folder is missing from this installation")


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["database_url"] = settings.resolved_database_url
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    private_sqlite_file(settings)  # made here, owner-only, before SQLite makes it
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str = "-1") -> None:
    command.downgrade(alembic_config(settings), revision)


def head(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def current(settings: Settings) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    sqlite_file = settings.sqlite_file
    if sqlite_file is not None and not sqlite_file.exists():
        return None  # reading must not create the file (nor fail on a missing data directory)

    async def read() -> str | None:
        engine = create_async_engine(settings.resolved_database_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await engine.dispose()

    return asyncio.run(read())


_DROPS = re.compile(r"""op\.drop_table\(\s*["'](\w+)["']""")


def tables_dropped(settings: Settings, revision: str) -> list[str]:
    """The tables a downgrade from the current revision to ``revision`` drops, read from the
    downgrade steps of the migrations it would undo."""
    now = current(settings)
    if now is None:
        return []
    scripts = ScriptDirectory.from_config(alembic_config(settings))
    target = scripts.get_revision(revision) if revision not in ("base", "-1") else None
    if revision == "-1":
        undone = [scripts.get_revision(now)]
    else:
        stop = target.revision if target is not None else None
        undone = [r for r in scripts.iterate_revisions(now, stop) if r.revision != stop]
    dropped: list[str] = []
    for step in undone:
        if step is None or step.module is None:
            continue
        source = inspect.getsource(step.module.downgrade)
        dropped += _DROPS.findall(source)
    return dropped


def rows_lost(settings: Settings, revision: str) -> dict[str, int]:
    """How many rows each table a downgrade to ``revision`` drops holds now (only those
    that hold any)."""
    counts = count_rows(settings, tables_dropped(settings, revision))
    return {table: rows for table, rows in counts.items() if rows}


def count_rows(settings: Settings, tables: list[str]) -> dict[str, int]:
    """How many rows each of ``tables`` holds, those the database has (an older schema may
    lack the newest)."""
    if not tables:
        return {}

    async def count() -> dict[str, int]:
        engine = create_async_engine(settings.resolved_database_url)
        try:
            async with engine.connect() as connection:
                present = set(await connection.run_sync(
                    lambda sync: inspect_database(sync).get_table_names()))
                return {table: int((await connection.execute(
                    text(f'SELECT COUNT(*) FROM "{table}"'))).scalar_one())
                    for table in tables if table in present}
        finally:
            await engine.dispose()

    return asyncio.run(count())
