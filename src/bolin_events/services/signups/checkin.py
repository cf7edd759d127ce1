"""Check-in at the door (签到): a typed or scanned code, answered at once with who it is for
and how many came, or why not.

Several doors check in at once, and a phone that lost its connection sends its queue again
later: a sign-up is checked in by one conditional UPDATE (``… AND checked_in_at IS NULL``),
so of two doors with the same code exactly one wins and the other is told it was already
done; the check-in's idempotency key is kept on the row, so the same check-in sent again
gets its first answer back (``replayed``) instead of an error.

Who may work which door (a reporter: their villages' nights) is the route's to check.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, NotFound
from bolin_events.models import Event, Occurrence, Registration, SignupState, utcnow
from bolin_events.schemas.signups import CheckInIn, CheckInOut, DoorCode, DoorList
from bolin_events.services.audit import record
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.services.signups.figures import one_night_figures
from bolin_events.services.signups.rules import local_time, not_held
from bolin_events.services.timing import zone

QR_PREFIX = "BOLIN:"  # a QR code may hold "BOLIN:K7M3QX"; the bare code works as well
MAX_CODE = 12  # Registration.code


def normalise_code(raw: str) -> str:
    """The code as stored: what the QR code holds or a person typed, in any case, with spaces
    or dashes (K7M-3QX), in full-width letters from a Chinese keyboard (Ｋ７Ｍ３ＱＸ)."""
    text = unicodedata.normalize("NFKC", raw).upper()
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "-_—–·.")
    return text.removeprefix(QR_PREFIX)


def masked_name(name: str | None) -> str | None:
    """Enough for the door to greet someone (王*), no more: the door list travels to phones."""
    return f"{name[0]}*" if name else None


def door_closed(event: Event, occ: Occurrence) -> Conflict | None:
    """Only a night that takes place has a door: the refusal, with the reason, for the others."""
    held = not_held(event, occ)
    if held is None:
        return None
    return Conflict(f"不能签到：{held[0]}", f"No check-in: {held[1]}",
                    [{"night": occurrence_id(event, occ)}])


async def check_in(
    session: AsyncSession, key: str, data: CheckInIn, user_id: int,
    now: datetime | None = None,
) -> CheckInOut:
    """Check in the sign-up with ``data.code`` at night ``key``: ``data.people`` of its party
    (all of it by default). Refusals are raised; a repeat of the same check-in (same key)
    answers as the first time."""
    now = now or utcnow()
    event, occ = await get_occurrence(session, key)
    closed = door_closed(event, occ)
    if closed is not None:
        raise closed
    code = normalise_code(data.code)
    if not code:
        raise InvalidInput("请输入签到码。", "Type the check-in code.", [{"field": "code"}])
    reg = await _registration(session, code)
    if reg.occurrence_id != occ.id:
        await _refuse_other_night(session, reg)
    if reg.checked_in_at is not None:
        return await _again(session, event, occ, reg, data.key, now)
    _check_state(reg)
    people = data.people or reg.party
    if people > reg.party:
        raise InvalidInput(
            f"这份报名只有 {reg.party}人，不能签到 {people}人。",
            f"This sign-up is for {reg.party}, not {people}.",
            [{"field": "people", "party": reg.party}],
        )
    won = await session.exec(
        update(Registration)
        .where(col(Registration.id) == reg.id, col(Registration.checked_in_at).is_(None),
               col(Registration.state) == SignupState.confirmed)
        .values(checked_in_at=now, checked_in_people=people, checked_in_by=user_id,
                checked_in_door=data.door or None, check_in_key=data.key, no_show=False)
        .execution_options(synchronize_session=False)
    )
    reg = await _registration(session, code)  # as it is now, whoever won
    if won.rowcount == 1:
        await record(session, "registration", str(reg.id), reg.code, {
            "checked_in_people": [None, people], "checked_in_door": [None, reg.checked_in_door]})
        return await _answer(session, occ, reg, replayed=False)
    # another door was quicker, or the sign-up was cancelled in between
    if reg.checked_in_at is not None:
        return await _again(session, event, occ, reg, data.key, now)
    _check_state(reg)
    raise Conflict("签到未完成，请再试一次。", "The check-in did not go through; try again.")


async def _registration(session: AsyncSession, code: str) -> Registration:
    found = None
    if len(code) <= MAX_CODE:
        query = select(Registration).where(Registration.code == code)
        found = (await session.exec(query.execution_options(populate_existing=True))).first()
    if found is None:
        raise NotFound(f"没有这个签到码（{code[:20]}），请核对。",
                       f"No check-in code {code[:20]!r}; check it.", [{"field": "code"}])
    return found


async def _refuse_other_night(session: AsyncSession, reg: Registration) -> None:
    occ = await session.get(Occurrence, reg.occurrence_id)
    event = await session.get(Event, occ.event_id) if occ else None
    if occ is None or event is None:  # a code always has its night (ON DELETE CASCADE)
        raise NotFound("没有这个签到码，请核对。", "No such check-in code.")
    clock = not event.all_day
    when = local_time(event, occ.starts_at, clock=clock)
    when_en = local_time(event, occ.starts_at, en=True, clock=clock)
    raise Conflict(
        f"这是 {when}《{event.title_zh}》的报名，不是本场。",
        f"This sign-up is for {event.title_en or event.title_zh} on {when_en}, not this night.",
        [{"field": "code", "night": occurrence_id(event, occ)}],
    )


def _check_state(reg: Registration) -> None:
    if reg.state == SignupState.cancelled:
        raise Conflict("这份报名已取消，不能签到。", "This sign-up was cancelled.",
                       [{"field": "code", "state": reg.state.value}])
    if reg.state == SignupState.waitlisted:
        raise Conflict("候补中，未确认名额，不能签到。",
                       "On the waitlist, without a confirmed place: no check-in.",
                       [{"field": "code", "state": reg.state.value}])


async def _again(
    session: AsyncSession, event: Event, occ: Occurrence, reg: Registration, key: str,
    now: datetime,
) -> CheckInOut:
    """A code already checked in: the first answer again when this is the same check-in
    (a retry), else a refusal that says when and where it was done."""
    if reg.check_in_key == key:
        return await _answer(session, occ, reg, replayed=True)
    assert reg.checked_in_at is not None
    tz = zone(event.timezone)
    at = reg.checked_in_at.astimezone(tz)
    clock = at.strftime("%H:%M")
    if at.date() != now.astimezone(tz).date():
        clock = f"{at.month}月{at.day}日 {clock}"
    where = [clock, *([reg.checked_in_door] if reg.checked_in_door else [])]
    raise Conflict(
        f"已签到过（{'，'.join(where)}），{reg.checked_in_people}人。",
        f"Already checked in ({', '.join(where)}), {reg.checked_in_people} people.",
        [{"field": "code", "checked_in_at": reg.checked_in_at.isoformat(),
          "door": reg.checked_in_door, "people": reg.checked_in_people}],
    )


async def _answer(
    session: AsyncSession, occ: Occurrence, reg: Registration, *, replayed: bool
) -> CheckInOut:
    assert occ.id is not None and reg.checked_in_people is not None
    figures = await one_night_figures(session, occ.id)
    people = reg.checked_in_people
    return CheckInOut(
        ok=True,
        message=f"已签到 {people}人",
        message_en=f"Checked in: {people} {'person' if people == 1 else 'people'}",
        code=reg.code,
        people=people,
        name=masked_name(reg.name),
        checked_in_at=reg.checked_in_at,
        door=reg.checked_in_door,
        replayed=replayed,
        night_checked_in=figures.checked_in,
        night_registered=figures.registered,
    )


async def door_list(session: AsyncSession, key: str) -> DoorList:
    """The night's confirmed codes with their party and whether they are in, so a phone that
    loses its connection still answers; no phone numbers, a name as its first character."""
    event, occ = await get_occurrence(session, key)
    assert occ.id is not None
    rows = await session.exec(
        select(Registration)
        .where(Registration.occurrence_id == occ.id, Registration.state == SignupState.confirmed)
        .order_by(col(Registration.id))
    )
    figures = await one_night_figures(session, occ.id)
    return DoorList(
        night=key,
        title_zh=event.title_zh,
        title_en=event.title_en,
        starts_at=occ.starts_at,
        figures=figures,
        codes=[
            DoorCode(code=r.code, party=r.party, name=masked_name(r.name), walk_in=r.walk_in,
                     checked_in=r.checked_in_at is not None, people=r.checked_in_people)
            for r in rows
        ],
    )
