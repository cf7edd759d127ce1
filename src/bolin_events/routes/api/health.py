"""Liveness and readiness for load balancers and monitors.

`/healthz` (liveness): the app and its database answer. `/readyz` (readiness): the database
also takes a write (one made and rolled back, so nothing changes and no other process is
told of it) and the data directory takes a file; 503 naming what failed otherwise.
"""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.settings import Settings
from bolin_events.storage import writable


@get(
    "/healthz",
    tags=["health"],
    summary="Health check",
    description="200 with {status: ok} when the app and its database answer.",
)
async def healthz(db: AsyncSession) -> dict[str, str]:
    await db.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok"}


@get(
    "/readyz",
    tags=["health"],
    summary="Readiness check",
    description="200 with {status: ready} when the database takes a write and the data "
    "directory takes a file; 503 with which of them failed otherwise.",
)
async def readyz(state: State, settings: Settings) -> Response[dict[str, str]]:
    checks = {"database": await _database_writes(state), "storage": await asyncio.to_thread(
        writable, settings.uploads_dir) or "ok"}
    ready = all(value == "ok" for value in checks.values())
    return Response({"status": "ready" if ready else "not ready", **checks},
                    status_code=200 if ready else 503,
                    headers={"Cache-Control": "no-store"})


async def _database_writes(state: State) -> str:
    """A write the database takes and then forgets: "ok", or what it said."""
    try:
        async with state.engine.connect() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            await connection.rollback()
    except (OperationalError, PoolTimeout) as exc:
        return str(getattr(exc, "orig", None) or exc)
    return "ok"
