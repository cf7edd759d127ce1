"""Work each app process does now and then, beside answering requests: deleting sign-ups'
personal data once past its retention (services.signups.retention), and, once at start, the
lunar month tables in the worker pool (services.scheduling.calendar_rules.warm_up).

Every process runs it (the purge is idempotent, so several at once only find less to do);
the first run comes within a minute of starting, spread at random so processes started
together do not run together. A failure is logged and tried again next time, never fatal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random

from litestar import Litestar
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import write_session
from bolin_events.models import utcnow
from bolin_events.services.heavy import off_loop
from bolin_events.services.scheduling.calendar_rules import warm_up
from bolin_events.services.signups.retention import purge
from bolin_events.settings import Settings

log = logging.getLogger(__name__)
FIRST_RUN_WITHIN = 60.0  # seconds after start


async def purge_once(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """One purge in a transaction of its own (the system's own write: no audit entry)."""
    async with write_session(sessionmaker) as session:
        return await purge(session, settings)


async def purge_every(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings,
                      first: float | None = None) -> None:
    """Purge every BOLIN_SIGNUP_PURGE_MINUTES until cancelled."""
    interval = settings.signup_purge_minutes * 60
    await asyncio.sleep(random.uniform(0, min(FIRST_RUN_WITHIN, interval)) if first is None
                        else first)
    while True:
        try:
            emptied = await purge_once(sessionmaker, settings)
            if emptied:
                log.info("sign-ups past their retention: personal data deleted from %d", emptied)
        except Exception:  # the database away for a moment, a lock timeout: try next time
            log.exception("purging sign-ups' personal data failed; trying again later")
        await asyncio.sleep(interval)


async def warm_lunar_tables() -> None:
    try:
        await off_loop(warm_up, utcnow().year - 1)
    except Exception:  # only a head start: the tables are filled on first use anyway
        log.exception("filling the lunar month tables failed")


async def start_housekeeping(app: Litestar) -> None:
    settings: Settings = app.state.settings
    app.state.lunar_warm_up = asyncio.create_task(warm_lunar_tables(), name="bolin-lunar")
    if settings.signup_purge_minutes > 0:
        app.state.housekeeping = asyncio.create_task(
            purge_every(app.state.sessionmaker, settings), name="bolin-purge-signups")


async def stop_housekeeping(app: Litestar) -> None:
    warming: asyncio.Task[None] | None = app.state.get("lunar_warm_up")
    if warming is not None:
        with contextlib.suppress(Exception):
            await warming
    task: asyncio.Task[None] | None = app.state.get("housekeeping")
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.housekeeping = None
