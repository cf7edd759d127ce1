"""What the sign-up and staff sides share: which nights take sign-ups and when, a new row with
a code of its own, and how each side is shown a sign-up."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, NotFound
from bolin_events.models import (
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    Registration,
    SignupPlan,
)
from bolin_events.schemas.signups import RegistrationRow, SignupOut
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.services.signups.codes import new_code
from bolin_events.services.signups.plans import plan_for
from bolin_events.services.timing import zone

CODE_TRIES = 8


async def signup_night(session: AsyncSession, key: str) -> tuple[Event, Occurrence, SignupPlan]:
    """The night, its event and the plan that opens it; a draft is answered as if it did not
    exist (visitors never see drafts), a night without a plan as taking no sign-ups."""
    event, occ = await get_occurrence(session, key)
    if event.status == EventStatus.draft:  # the same answer as for a night that is not there
        raise NotFound(f"找不到场次「{key}」。", f"No occurrence {key!r}.",
                       [{"field": "occurrence_id", "value": key}])
    plan = await plan_for(session, occ)
    if plan is None:
        raise NotFound("该场次不需要报名，直接前往即可。",
                       "This night takes no sign-ups: just come.", [{"night": key}])
    return event, occ, plan


def not_held(event: Event, occ: Occurrence) -> tuple[str, str] | None:
    """Why the night will not take place, or None."""
    reason = event.status_reason
    why, why_en = (f"（{reason}）", f" ({reason})") if reason else ("", "")
    if event.status == EventStatus.draft:
        return "活动尚未发布。", "The event is not published."
    if event.status == EventStatus.cancelled:
        return f"活动已取消{why}。", f"The event is cancelled{why_en}."
    if event.status == EventStatus.postponed:
        return f"活动已延期{why}。", f"The event is postponed{why_en}."
    if occ.state == OccurrenceState.skipped:
        return "这一场不举办。", "This night is not held."
    if occ.state == OccurrenceState.cancelled:
        if occ.reason:
            return f"该场次已取消（{occ.reason}）。", f"This night is cancelled ({occ.reason})."
        return "该场次已取消。", "This night is cancelled."
    return None


def closes_at(plan: SignupPlan, occ: Occurrence) -> datetime:
    """When sign-up for the night ends: the plan's time, else when the night starts; never
    after the night is over."""
    return min(plan.closes_at or occ.starts_at, occ.ends_at)


def why_closed(event: Event, occ: Occurrence, plan: SignupPlan,
               now: datetime) -> tuple[str, str] | None:
    """Why a visitor cannot sign up for the night now (Chinese, English), or None."""
    held = not_held(event, occ)
    if held is not None:
        return f"不能报名：{held[0]}", f"No sign-up: {held[1]}"
    if plan.opens_at is not None and now < plan.opens_at:
        return (f"报名 {local_time(event, plan.opens_at)} 开始。",
                f"Sign-up opens {local_time(event, plan.opens_at, en=True)}.")
    if now >= closes_at(plan, occ):
        return "报名已截止。", "Sign-up has closed."
    return None


def local_time(event: Event, moment: datetime, *, en: bool = False, clock: bool = True) -> str:
    """6月4日 19:00 (en: 2027-06-04 19:00) on the event's clock; without ``clock`` the day only."""
    local = moment.astimezone(zone(event.timezone))
    day = f"{local:%Y-%m-%d}" if en else f"{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if clock else day


async def insert(session: AsyncSession, registration: Registration) -> Registration:
    """Add the row under a code no other sign-up has (drawn again when taken, even by a
    sign-up of another night committed this instant)."""
    for _ in range(CODE_TRIES):
        code = new_code()
        taken = (await session.exec(select(Registration.id).where(Registration.code == code))
                 ).first()
        if taken is not None:
            continue
        row = Registration.model_validate({**registration.model_dump(), "code": code})
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return row
    raise Conflict("系统繁忙，请再试一次。", "Could not make a check-in code; try again.")


def answers(registration: Registration) -> list[str]:
    return list(json.loads(registration.answers)) if registration.answers else []


def row_out(registration: Registration, position: int | None) -> RegistrationRow:
    assert registration.id is not None
    return RegistrationRow(
        id=registration.id, code=registration.code, state=registration.state,
        party=registration.party, name=registration.name,
        phone_masked=registration.phone_masked, answers=answers(registration),
        walk_in=registration.walk_in, no_show=registration.no_show, position=position,
        created_at=registration.created_at, promoted_at=registration.promoted_at,
        cancelled_at=registration.cancelled_at, checked_in_at=registration.checked_in_at,
        checked_in_people=registration.checked_in_people,
        checked_in_door=registration.checked_in_door,
        purged=registration.purged_at is not None,
    )


def signup_out(event: Event, occ: Occurrence, registration: Registration,
               position: int | None, retention_days: int) -> SignupOut:
    """A sign-up as its visitor sees it, with when its personal data goes."""
    return SignupOut(
        code=registration.code, state=registration.state, party=registration.party,
        night=occurrence_id(event, occ), event_id=event.id or 0, title_zh=event.title_zh,
        title_en=event.title_en, starts_at=occ.starts_at, ends_at=occ.ends_at,
        all_day=event.all_day, position=position, promoted_at=registration.promoted_at,
        cancelled_at=registration.cancelled_at, checked_in_at=registration.checked_in_at,
        name=registration.name, phone_masked=registration.phone_masked,
        purge_at=occ.ends_at + timedelta(days=retention_days),
        purged_at=registration.purged_at,
    )
