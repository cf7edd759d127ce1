"""Staff's side of a night's sign-ups: the list (phone numbers masked), walk-ins added at the
door, and no-shows marked after.

Who may do which is the routes' to decide (a reporter adds walk-ins for their villages'
nights only). These writes are entered in the audit trail by what changed — never a name or
a number, which retention must be able to delete.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, NotFound
from bolin_events.models import Registration, SignupState, utcnow
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.common import clean_text
from bolin_events.schemas.signups import RegistrationRow, WalkInIn
from bolin_events.services.audit import record
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups import waitlist
from bolin_events.services.signups.codes import new_token, token_hash
from bolin_events.services.signups.rules import insert, not_held, row_out


async def night_list(session: AsyncSession, key: str) -> list[RegistrationRow]:
    """Every sign-up and walk-in of the night in the order they came, each waiting one with
    its place in the line; purged rows keep their headcount, without name or number."""
    _, occ = await get_occurrence(session, key)
    rows = await session.exec(
        select(Registration).where(Registration.occurrence_id == occ.id)
        .order_by(col(Registration.id))
    )
    out, waiting = [], 0
    for registration in rows:
        position = None
        if registration.state == SignupState.waitlisted:
            waiting += 1
            position = waiting
        out.append(row_out(registration, position))
    return out


async def add_walk_in(
    session: AsyncSession, key: str, data: WalkInIn, user_id: int, now: datetime | None = None
) -> RegistrationRow:
    """Someone who came without signing up, let in at the door: confirmed and checked in at
    once. Staff decide whether the night has room, so a walk-in may go beyond the places."""
    now = now or utcnow()
    event, occ = await get_occurrence(session, key)
    assert occ.id is not None
    held = not_held(event, occ)
    if held is not None:
        raise Conflict(f"不能现场加入：{held[0]}", f"No walk-ins: {held[1]}", [{"night": key}])
    name = " ".join(clean_text(data.name).split()) if data.name else None
    door = clean_text(data.door) if data.door else None
    await waitlist.lock_night(session, occ.id)
    registration = await insert(session, Registration(
        occurrence_id=occ.id, code="", token_hash=token_hash(new_token()),
        state=SignupState.confirmed, party=data.party, walk_in=True, name=name or None,
        checked_in_at=now, checked_in_people=data.party, checked_in_by=user_id,
        checked_in_door=door or None, created_at=now,
    ))
    await record(session, "registration", str(registration.id), registration.code,
                 {"walk_in": [None, True], "party": [None, data.party],
                  "checked_in_door": [None, registration.checked_in_door]})
    return row_out(registration, None)


async def set_no_show(
    session: AsyncSession, key: str, registration_id: int, no_show: bool
) -> RegistrationRow:
    """Mark a confirmed sign-up as not come (未到), or take the mark back. Walk-ins came by
    definition, and a checked-in sign-up came."""
    _, occ = await get_occurrence(session, key)
    registration = (await session.get(Registration, registration_id)
                    if is_valid_id(registration_id) else None)
    if registration is None or registration.occurrence_id != occ.id:
        raise NotFound(f"本场没有编号为 {registration_id} 的报名。",
                       f"No sign-up {registration_id} for this night.",
                       [{"field": "registration_id"}])
    if registration.walk_in:
        raise Conflict("现场加入的人已经到场，不能标记未到。",
                       "A walk-in came: it cannot be marked as a no-show.")
    if registration.state != SignupState.confirmed:
        word = "已取消" if registration.state == SignupState.cancelled else "候补中"
        raise Conflict(f"这份报名{word}，只有已确认的报名可以标记未到。",
                       f"This sign-up is {registration.state.value}: only confirmed ones can "
                       "be marked as no-shows.")
    if no_show and registration.checked_in_at is not None:
        raise Conflict("这份报名已签到，不能标记未到。",
                       "This sign-up was checked in: it cannot be a no-show.")
    if registration.no_show != no_show:
        await record(session, "registration", str(registration.id), registration.code,
                     {"no_show": [registration.no_show, no_show]})
        registration.no_show = no_show
        session.add(registration)
        await session.flush()
    return row_out(registration, None)
