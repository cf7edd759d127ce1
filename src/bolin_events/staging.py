"""Long writes on SQLite (a season's import): rehearsed on a private copy, then applied in one
short transaction, so that nobody else waits for them.

SQLite lets one connection write at a time, and a transaction that writes holds that lock
until it ends. An import checks every row by writing it (a venue clash with an earlier row
of the same file is found by the clash check of the scheduling service, as for any other
write), and 12,000 rows take more than a minute: as one transaction on the live database,
every report filed meanwhile waited for it and failed.

So on SQLite an import runs in two steps:

1. **Rehearsal.** The live database is copied with SQLite's online backup (a reader: it
   blocks no one) into ``DATA_DIR/staging/``, and the import runs there — every check, every
   write — in a thread of its own with its own event loop, at a lower priority, so the
   server's loop keeps answering. A dry run ends here and the copy is deleted: the live
   database was never written.
2. **Apply.** In one ``BEGIN IMMEDIATE`` transaction on the live database, the rows the
   rehearsal changed (compared with an untouched copy taken at the same moment) are deleted,
   inserted or updated with plain SQL over the attached copies — a fraction of a second for
   a whole season. If another writer changed any table the import changed since the copy
   was taken (a scheduler editing an event), nothing is applied and the rehearsal runs again
   on a fresh copy; after ``ATTEMPTS`` tries the import is refused with 409, nothing written.

Tables listed in ``APPEND_ONLY`` (a log others add to at the same time) are not compared:
the rehearsal's new rows are added to the live table under new ids.

Still every row or none: the apply is one transaction. On PostgreSQL, where writers do not
queue behind each other, the import simply runs in one transaction on the live database.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import copy_sqlite, in_transaction, write_session
from bolin_events.errors import Conflict
from bolin_events.services.audit import Actor
from bolin_events.services.heavy import lower_priority
from bolin_events.settings import Settings

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[T]]

STAGING_DIR = "staging"
ATTEMPTS = 2
LEFT_BEHIND_SECONDS = 24 * 3600
APPEND_ONLY = frozenset({"audit_entry"})  # others add entries while an import rehearses
_one_at_a_time = threading.Lock()  # two rehearsals at once would only share the CPU


class ScheduleChanged(Conflict):
    code = "changed_during_import"

    def __init__(self) -> None:
        super().__init__(
            "导入期间日程一直被其他人修改，导入未进行，未写入任何数据；请稍后重新导入同一文件。",
            "The schedule kept being changed by someone else while the import ran; nothing "
            "was imported. Import the same file again in a moment.",
        )


class _Changed(Exception):
    """The live database moved on since the copy was taken."""


async def run_import(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    work: Work[T],
    *,
    dry_run: bool,
    actor: Actor | None = None,
) -> T:
    """``work(session)`` as one all-or-nothing transaction that keeps SQLite's write lock for a
    fraction of a second (see the module's docstring); ``sessionmaker`` is the live one (used
    as is on PostgreSQL). On a dry run ``work`` itself leaves nothing behind. ``actor``: whose
    changes these are, for the audit trail."""
    live = settings.sqlite_file
    if live is None:  # PostgreSQL, or an in-memory SQLite database (no copy to make)
        async with write_session(sessionmaker, actor=actor) as session:
            return await work(session)
    for _ in range(ATTEMPTS):
        try:
            return await asyncio.to_thread(_rehearse_and_apply, settings, live, work, dry_run,
                                           actor)
        except _Changed:
            continue
    raise ScheduleChanged()


def _rehearse_and_apply(
    settings: Settings, live: Path, work: Work[T], dry_run: bool, actor: Actor | None
) -> T:
    lower_priority()  # this thread only: the server's loop goes first
    with _one_at_a_time, _copies(settings.data_dir / STAGING_DIR) as (before, after):
        copy_sqlite(live, before)
        if dry_run:
            return asyncio.run(_on_copy(settings, before, work, actor))
        copy_sqlite(before, after)
        result = asyncio.run(_on_copy(settings, after, work, actor))
        apply_changes(live, before, after)
        return result


async def _on_copy(settings: Settings, database: Path, work: Work[T], actor: Actor | None) -> T:
    private = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{database}"})
    return await in_transaction(private, work, actor=actor)


@contextlib.contextmanager
def _copies(folder: Path) -> Iterator[tuple[Path, Path]]:
    """Two fresh names in ``folder``, deleted afterwards; copies left a day ago by a process
    that was killed are deleted too (another process's running import has recent ones)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in folder.iterdir():
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > LEFT_BEHIND_SECONDS:
                stale.unlink()
    name = uuid.uuid4().hex
    paths = (folder / f"{name}-before.db", folder / f"{name}-after.db")
    try:
        yield paths
    finally:
        for path in paths:
            for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                file.unlink(missing_ok=True)


def apply_changes(live: Path, before: Path, after: Path) -> None:
    """Make ``live`` show what the rehearsal did to ``before`` (giving ``after``), in one
    transaction; raises _Changed, applying nothing, if a table the rehearsal changed is no
    longer as ``before`` has it."""
    with closing(sqlite3.connect(live, timeout=30, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("ATTACH DATABASE ? AS before", (str(before),))
        db.execute("ATTACH DATABASE ? AS after", (str(after),))
        tables = [t for t in SQLModel.metadata.sorted_tables if _differ(db, "before", "after", t)]
        db.execute("BEGIN IMMEDIATE")
        try:
            compared = [t for t in tables if t.name not in APPEND_ONLY]
            if any(_differ(db, "main", "before", t) for t in compared):
                raise _Changed
            for table in reversed(compared):  # children first: their foreign keys hold
                _delete_dropped(db, table)
            for table in tables:  # parents first
                _add_and_update(db, table)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _columns(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def _differ(db: sqlite3.Connection, one: str, other: str, table: Table) -> bool:
    name, cols = table.name, _columns(table)
    query = (f'SELECT EXISTS (SELECT {cols} FROM {one}."{name}" EXCEPT '
             f'SELECT {cols} FROM {other}."{name}") OR EXISTS (SELECT {cols} FROM '
             f'{other}."{name}" EXCEPT SELECT {cols} FROM {one}."{name}")')
    return bool(db.execute(query).fetchone()[0])


def _key(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.primary_key.columns)


def _delete_dropped(db: sqlite3.Connection, table: Table) -> None:
    name, key = table.name, _key(table)
    db.execute(f'DELETE FROM main."{name}" WHERE ({key}) IN (SELECT {key} FROM before."{name}" '
               f'EXCEPT SELECT {key} FROM after."{name}")')


def _add_and_update(db: sqlite3.Connection, table: Table) -> None:
    name, cols = table.name, _columns(table)
    changed = f'SELECT {cols} FROM after."{name}" EXCEPT SELECT {cols} FROM before."{name}"'
    if name in APPEND_ONLY:  # new ids in the live table
        rest = ", ".join(f'"{c.name}"' for c in table.columns if not c.primary_key)
        db.execute(f'INSERT INTO main."{name}" ({rest}) SELECT {rest} FROM ({changed})')
        return
    updates = ", ".join(f'"{c.name}" = excluded."{c.name}"'
                        for c in table.columns if not c.primary_key)
    db.execute(f'INSERT INTO main."{name}" ({cols}) SELECT {cols} FROM ({changed}) WHERE true '
               f"ON CONFLICT ({_key(table)}) DO UPDATE SET {updates}")
