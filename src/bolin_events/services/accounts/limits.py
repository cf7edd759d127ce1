"""Wrong passwords, counted in the database so that a lock holds in every app process.

More than ``login_max_failures`` wrong passwords for one user name, or from one address, within
``login_lockout_minutes`` lock that name (or address) until the oldest counted failure leaves
the window. A successful log-in forgets the name's failures.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import NotAuthenticated, TooManyRequests
from bolin_events.models import LoginFailure, User, utcnow
from bolin_events.schemas.common import clean_text
from bolin_events.services.accounts.users import check_password
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

KEY_LENGTH = 64


def _key(text: str) -> str:
    """What is stored for a name or address: no control characters, at most the column's length."""
    return clean_text(text)[:KEY_LENGTH]


async def _locked_until(
    session: AsyncSession, column: Any, value: str, now: datetime, settings: Settings
) -> datetime | None:
    window = timedelta(minutes=settings.login_lockout_minutes)
    times = (
        await session.exec(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at > now - window)
            .order_by(col(LoginFailure.at))
        )
    ).all()
    if len(times) < settings.login_max_failures:
        return None
    return times[len(times) - settings.login_max_failures] + window


async def refuse_if_locked(
    session: AsyncSession, settings: Settings, username: str, address: str, now: datetime
) -> None:
    """Raises TooManyRequests, saying when to try again, while the name or address is locked."""
    ends = [
        await _locked_until(session, LoginFailure.username, _key(username), now, settings),
        await _locked_until(session, LoginFailure.address, _key(address), now, settings),
    ]
    until = max((end for end in ends if end is not None), default=None)
    if until is None:
        return
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    clock = until.astimezone(zone(settings.timezone)).strftime("%H:%M")
    raise TooManyRequests(
        f"密码错误次数过多，登录已暂停。请在 {clock} 之后（约 {minutes} 分钟后）再试。",
        f"Too many wrong passwords: logging in is paused. Try again after {clock} "
        f"(in about {minutes} minutes).",
        [{"retry_after_minutes": minutes, "until": until.isoformat()}],
    )


async def record_failure(
    session: AsyncSession, settings: Settings, username: str, address: str, now: datetime
) -> None:
    """Counts one wrong password; rows that left the window are deleted on the way."""
    window = timedelta(minutes=settings.login_lockout_minutes)
    await session.exec(delete(LoginFailure).where(col(LoginFailure.at) <= now - window))
    session.add(LoginFailure(username=_key(username), address=_key(address), at=now))
    await session.flush()


async def clear_failures(session: AsyncSession, username: str) -> None:
    await session.exec(delete(LoginFailure).where(col(LoginFailure.username) == _key(username)))


async def log_in(
    session: AsyncSession, settings: Settings, username: str, password: str, address: str
) -> User | NotAuthenticated:
    """The user when the password is right; the refusal, with the failure counted, when not.

    A wrong password is returned rather than raised so that the caller's transaction keeps the
    count (a raise would roll it back); the caller raises it once that has committed.
    """
    now = utcnow()
    await refuse_if_locked(session, settings, username, address, now)
    try:
        user = await check_password(session, username, password, settings)
    except NotAuthenticated as refusal:
        await record_failure(session, settings, username, address, now)
        return refusal
    await clear_failures(session, user.username)
    return user
