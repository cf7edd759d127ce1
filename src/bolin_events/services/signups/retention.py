"""Personal data kept no longer than promised (个人信息保护法): a sign-up's name, phone number
(hashed and masked), answers and network address are emptied ``retention_days`` after its
night ends — the plan's days, or BOLIN_SIGNUP_RETENTION_DAYS when the plan is gone.

The row stays with its state, party, walk-in, no-show and check-in, so every headcount of
the night (figures.night_figures, the ledger, the statistics) is the same after as before.
Idempotent: run by every app process now and then, and by `bolin-events signups purge`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Occurrence, Registration, SignupPlan, utcnow
from bolin_events.settings import Settings

MIN_RETENTION = timedelta(days=1)  # no plan keeps data for less: older nights are candidates


async def purge(session: AsyncSession, settings: Settings, now: datetime | None = None) -> int:
    """Empty the personal fields of every sign-up past its retention; how many were emptied."""
    now = now or utcnow()
    nights = (await session.exec(
        select(Occurrence.id, Occurrence.event_id, Occurrence.ends_at)
        .where(col(Occurrence.ends_at) < now - MIN_RETENTION)
        .where(select(Registration.id).where(Registration.occurrence_id == Occurrence.id,
                                             col(Registration.purged_at).is_(None)).exists())
    )).all()
    if not nights:
        return 0
    days = await _retention_days(session, {event for _, event, _ in nights})
    default = settings.signup_retention_days

    def kept(event: int, night: int | None) -> int:
        """The days of the night's own plan, else the event's, else the default."""
        return days.get((event, night), days.get((event, None), default))

    due = [night for night, event, ends in nights
           if ends + timedelta(days=kept(event, night)) <= now]
    if not due:
        return 0
    emptied = await session.exec(
        update(Registration)
        .where(col(Registration.occurrence_id).in_(due), col(Registration.purged_at).is_(None))
        .values(name=None, phone_hash=None, phone_masked=None, answers=None, address_hash=None,
                purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(emptied.rowcount)


async def _retention_days(
    session: AsyncSession, events: set[int]
) -> dict[tuple[int, int | None], int]:
    """Each plan's days, by (event, night) — night None for the event-wide plan."""
    rows = await session.exec(
        select(SignupPlan.event_id, SignupPlan.occurrence_id, SignupPlan.retention_days)
        .where(col(SignupPlan.event_id).in_(events))
    )
    return {(event, night): days for event, night, days in rows}
