"""Liveness for load balancers: answers 200 only when the database answers."""

from __future__ import annotations

from litestar import get
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


@get(
    "/healthz",
    tags=["health"],
    summary="Health check",
    description="200 with {status: ok} when the app and its database answer.",
)
async def healthz(db: AsyncSession) -> dict[str, str]:
    await db.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok"}
