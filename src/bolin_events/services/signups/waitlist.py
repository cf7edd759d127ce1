"""A night's places: who holds one, who waits, and moving the waitlist up.

Everything that decides places for a night (a sign-up, a cancellation, a plan's new number of
places, a walk-in) first locks the night's row, so that two of them never count the same free
places: on PostgreSQL ``SELECT … FOR UPDATE`` on the occurrence (one night waits for its own
sign-ups only, not for the other nights of the same plan); on SQLite a writing transaction
already holds the database's write lock from its first statement (db.write_session).

Places count people, not sign-ups: a family of three takes three. Walk-ins take places too
(they are there), though staff may add them beyond the places.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Occurrence, Registration, SignupState


async def lock_night(session: AsyncSession, occurrence_id: int) -> None:
    """Hold the night's row until the transaction ends (a no-op statement on SQLite, whose
    write lock is already held)."""
    await session.exec(
        select(Occurrence.id).where(Occurrence.id == occurrence_id).with_for_update()
    )


async def people(session: AsyncSession, occurrence_id: int) -> tuple[int, int]:
    """People confirmed (walk-ins included) and people waiting, for one night."""
    rows = await session.exec(
        select(Registration.state, func.coalesce(func.sum(Registration.party), 0))
        .where(Registration.occurrence_id == occurrence_id,
               col(Registration.state) != SignupState.cancelled)
        .group_by(col(Registration.state))
    )
    found = {state: int(total) for state, total in rows}
    return found.get(SignupState.confirmed, 0), found.get(SignupState.waitlisted, 0)


async def promote(
    session: AsyncSession, occurrence_id: int, places: int, now: datetime
) -> list[Registration]:
    """Confirm waiting sign-ups in the order they came while their party fits the free places,
    stopping at the first that does not: the line is kept strictly, so a family of four at
    the head is not overtaken by a single person behind it. The night must be locked."""
    confirmed, _ = await people(session, occurrence_id)
    free = places - confirmed
    waiting = await session.exec(
        select(Registration)
        .where(Registration.occurrence_id == occurrence_id,
               Registration.state == SignupState.waitlisted)
        .order_by(col(Registration.id))
        .execution_options(populate_existing=True)
    )
    promoted = []
    for registration in waiting:
        if registration.party > free:
            break
        registration.state, registration.promoted_at = SignupState.confirmed, now
        free -= registration.party
        session.add(registration)
        promoted.append(registration)
    if promoted:
        await session.flush()
    return promoted


async def position(session: AsyncSession, registration: Registration) -> int | None:
    """Place in the waitlist (1 = next to move up): the waiting sign-ups before it, plus one."""
    if registration.state != SignupState.waitlisted:
        return None
    ahead = (await session.exec(
        select(func.count()).select_from(Registration).where(
            Registration.occurrence_id == registration.occurrence_id,
            Registration.state == SignupState.waitlisted,
            col(Registration.id) < registration.id,
        )
    )).one()
    return int(ahead) + 1
