"""A night's sign-up headcounts: 报名 (confirmed), 候补, 签到 (walk-ins included), 未到.

Read from the sign-up rows themselves, which outlive their personal data (retention empties
names and numbers, never the party sizes or what became of each sign-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Registration, SignupState
from bolin_events.schemas.signups import NightFigures

NO_FIGURES = NightFigures(registered=0, waitlisted=0, checked_in=0, walk_ins=0, no_shows=0)


async def night_figures(
    session: AsyncSession, occurrence_ids: Sequence[int]
) -> dict[int, NightFigures]:
    """The figures of each night that has any sign-up or walk-in (others are left out)."""
    if not occurrence_ids:
        return {}
    confirmed = col(Registration.state) == SignupState.confirmed
    walk_in = col(Registration.walk_in).is_(True)

    def people(when: Any) -> Any:
        return func.coalesce(func.sum(case((when, Registration.party), else_=0)), 0)

    checked = func.coalesce(func.sum(func.coalesce(Registration.checked_in_people, 0)), 0)
    rows = await session.exec(
        select(  # type: ignore[call-overload]
            Registration.occurrence_id,
            people(and_(confirmed, ~walk_in)),
            people(col(Registration.state) == SignupState.waitlisted),
            checked,
            people(and_(confirmed, walk_in)),
            people(and_(confirmed, col(Registration.no_show).is_(True))),
        )
        .where(col(Registration.occurrence_id).in_(list(occurrence_ids)))
        .group_by(col(Registration.occurrence_id))
    )
    return {
        occ: NightFigures(
            registered=int(registered), waitlisted=int(waitlisted), checked_in=int(checked_in),
            walk_ins=int(walk_ins), no_shows=int(no_shows),
        )
        for occ, registered, waitlisted, checked_in, walk_ins, no_shows in rows
    }


async def one_night_figures(session: AsyncSession, occurrence_id: int) -> NightFigures:
    """One night's figures, all nought when nobody signed up or walked in."""
    return (await night_figures(session, [occurrence_id])).get(occurrence_id, NO_FIGURES)
