"""Writes told to every app process: PostgreSQL's LISTEN/NOTIFY.

Each process answers public reads from memory for ``BOLIN_FEED_RECHECK_SECONDS`` after it
last checked the data version (services.cache.Recheck). A write through this process ends
those windows at once; on PostgreSQL every committed write also sends a NOTIFY on
``CHANNEL``, and every process LISTENs for it, so a write anywhere — another worker, another
machine, a command such as `bolin-events import` — ends them everywhere within moments.
SQLite has no such channel: it serves one machine, and there the short window is the bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from bolin_events.settings import Settings

CHANNEL = "bolin_writes"
RETRY_SECONDS = 1.0
log = logging.getLogger(__name__)


async def announce(connection: AsyncConnection) -> None:
    """Inside a writing transaction: tell every listening process when it commits (a NOTIFY
    is delivered at commit, and not at all on a rollback)."""
    if connection.dialect.name == "postgresql":
        await connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


class Listener:
    """Calls ``on_write`` whenever any process commits a write (PostgreSQL only); keeps one
    connection of its own, and reconnects when it is lost."""

    def __init__(self, settings: Settings, on_write: Callable[[], None]) -> None:
        self.settings, self.on_write = settings, on_write
        self.task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    def start(self) -> None:
        if not self.settings.is_sqlite:
            self.task = asyncio.create_task(self._run(), name="bolin-listen")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def _heard(self, *_: Any) -> None:
        self.on_write()

    async def _run(self) -> None:
        while True:
            try:
                connection = await asyncpg.connect(self.settings.libpq_url)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("cannot listen for writes (%s); retrying", exc)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _, ended=lost: ended.set())
            try:
                await connection.add_listener(CHANNEL, self._heard)
                self.on_write()  # writes while not listening were missed: look again
                self.listening.set()
                await lost.wait()
                log.warning("lost the connection that listens for writes; reconnecting")
            finally:
                self.listening.clear()
                if not connection.is_closed():
                    await connection.close()
