"""Closed years (封账): once an admin signs a year off, its figures are frozen.

A year is the local calendar year (BOLIN_TIMEZONE) a night *starts* in, as the statistics
count it. While it is closed, a report revision for one of its nights, a change to one of its
nights (skip, cancel, move, restore; a series' new rule that moves, adds or drops them) and a
hand-kept item or baseline of the year are refused (409) until an admin reopens it with a
reason. The close and the reopen are kept by the audit trail (services.audit watches
``year_close``); the row itself holds the latest of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text as sa_text
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput
from bolin_events.models import Occurrence, User, YearClose, utcnow
from bolin_events.schemas.common import FIRST_YEAR, LAST_YEAR
from bolin_events.schemas.years import YearOut

MIN_REOPEN_REASON = 4  # characters: "数据更正" at least, never an empty click


class YearClosed(Conflict):
    code = "year_closed"


def year_of(moment: datetime, tz: ZoneInfo) -> int:
    """The year a night belongs to: the local year of its start."""
    return moment.astimezone(tz).year


CACHE_KEY = "closed_years"  # in Session.info: read once per transaction (an import checks
# every row), forgotten when this session closes or reopens a year


# On PostgreSQL a writer checking the closed years holds this advisory lock shared until it
# commits, and closing or reopening a year takes it alone: a report filed while a year is being
# closed either commits before the close or sees it (read committed alone would let a revision
# that checked before the close commit after it). SQLite's writers take turns already.
YEAR_LOCK = 0x626F6C69  # "boli"


async def _year_lock(session: AsyncSession, *, alone: bool) -> None:
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
        connection = await session.connection()
        await connection.execute(sa_text(f"SELECT {function}(:key)"), {"key": YEAR_LOCK})


async def closed_years(session: AsyncSession) -> set[int]:
    cached: set[int] | None = session.info.get(CACHE_KEY)
    if cached is None:
        await _year_lock(session, alone=False)
        rows = await session.exec(select(YearClose.year).where(col(YearClose.closed)))
        cached = session.info[CACHE_KEY] = set(rows.all())
    return cached


async def is_closed(session: AsyncSession, year: int) -> bool:
    return year in await closed_years(session)


async def ensure_open(session: AsyncSession, year: int) -> None:
    """Raise YearClosed (409) when ``year`` is closed."""
    if await is_closed(session, year):
        raise YearClosed(
            f"{year}年已封账，数据不能再改。如确需更正，请管理员先重新开放该年度并写明原因。",
            f"{year} is closed: its figures are frozen. An admin must reopen the year, "
            "with a reason, before anything in it changes.",
            [{"year": year}],
        )


async def ensure_open_at(session: AsyncSession, moments: Iterable[datetime], tz: ZoneInfo) -> None:
    """Raise YearClosed when any of these instants (nights' starts) falls in a closed year."""
    wanted = {year_of(m, tz) for m in moments}
    closed = sorted(wanted & await closed_years(session)) if wanted else []
    if closed:
        await ensure_open(session, closed[0])


def check_year(year: int) -> None:
    """A year the service keeps figures for (FIRST_YEAR…LAST_YEAR), else 422."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            f"年份须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。",
            f"The year must fall between {FIRST_YEAR} and {LAST_YEAR}.",
            [{"field": "year", "value": year}],
        )


async def close_year(
    session: AsyncSession, year: int, reason: str | None, user_id: int | None, tz: ZoneInfo,
    *, now: datetime | None = None,
) -> YearOut:
    """Sign the year off; a year not over yet cannot be (nights are still to be held and
    changed: closing it would refuse cancelling tomorrow's rained-off night)."""
    now = now or utcnow()
    check_year(year)
    if year >= year_of(now, tz):
        raise Conflict(
            f"{year}年还没有结束，不能封账；请在年度结束后再封账。",
            f"{year} is not over yet; close it once it has ended.",
            [{"year": year}],
        )
    await _year_lock(session, alone=True)
    row = await session.get(YearClose, year)
    if row is not None and row.closed:
        raise Conflict(f"{year}年已经封账。", f"{year} is already closed.", [{"year": year}])
    row = row or YearClose(year=year)
    row.closed, row.reason, row.changed_by, row.changed_at = True, reason or None, user_id, now
    session.add(row)
    session.info.pop(CACHE_KEY, None)
    await session.flush()
    return await year_out(session, year)


async def reopen_year(
    session: AsyncSession, year: int, reason: str | None, user_id: int | None,
    *, now: datetime | None = None,
) -> YearOut:
    """Open a closed year again, saying why: a correction is coming."""
    check_year(year)
    reason = (reason or "").strip()
    if len(reason) < MIN_REOPEN_REASON:
        raise InvalidInput(
            f"重新开放须写明原因（至少 {MIN_REOPEN_REASON} 个字），原因会记入操作记录。",
            f"Reopening needs a reason of at least {MIN_REOPEN_REASON} characters; it is kept "
            "in the audit trail.",
            [{"field": "reason"}],
        )
    await _year_lock(session, alone=True)
    row = await session.get(YearClose, year)
    if row is None or not row.closed:
        raise Conflict(
            f"{year}年没有封账，无需重新开放。", f"{year} is not closed.", [{"year": year}]
        )
    row.closed, row.reason, row.changed_by = False, reason, user_id
    session.info.pop(CACHE_KEY, None)
    row.changed_at = now or utcnow()
    session.add(row)
    await session.flush()
    return await year_out(session, year)


async def year_out(session: AsyncSession, year: int) -> YearOut:
    return (await _states(session, [year]))[0]


async def years(
    session: AsyncSession, tz: ZoneInfo, *, now: datetime | None = None
) -> list[YearOut]:
    """Every year from the first night on record to this one, and any year closed or reopened
    before that, newest first."""
    this_year = year_of(now or utcnow(), tz)
    first = (await session.exec(select(func.min(Occurrence.starts_at)))).one()
    kept = set((await session.exec(select(YearClose.year))).all())
    start = min([year_of(first, tz) if first else this_year, this_year, *kept])
    wanted = set(range(start, this_year + 1)) | kept
    return await _states(session, sorted(wanted, reverse=True))


async def _states(session: AsyncSession, wanted: list[int]) -> list[YearOut]:
    rows = (
        await session.exec(
            select(YearClose, User.username)
            .outerjoin(User, col(User.id) == col(YearClose.changed_by))
            .where(col(YearClose.year).in_(wanted))
        )
    ).all()
    found = {row.year: (row, username) for row, username in rows}
    out = []
    for year in wanted:
        row, username = found.get(year, (None, None))
        out.append(
            YearOut(
                year=year,
                closed=bool(row and row.closed),
                reason=row.reason if row else None,
                changed_by=username,
                changed_at=row.changed_at if row else None,
            )
        )
    return out
