"""Sign-up plans: an event's (every night of it) and a night's own, which overrides it.

A plan says how many people a night takes, whether a waitlist forms behind them, when
sign-up opens and closes (by default: until the night starts), how many people one sign-up
may bring, what is asked besides a name (a phone number by default; up to five questions,
never required), the caps that keep one phone or one network address from taking a night,
and how long the personal data is kept after the night.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, NotFound
from bolin_events.models import (
    Event,
    Occurrence,
    Registration,
    SignupPlan,
    SignupState,
    utcnow,
)
from bolin_events.schemas.signups import PlanIn, PlanOut
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.signups import waitlist
from bolin_events.services.timing import check_year, zone
from bolin_events.settings import Settings

MAX_QUESTION = 100  # characters of one question's label


async def plan_for(session: AsyncSession, occ: Occurrence) -> SignupPlan | None:
    """The plan that applies to a night: its own, else its event's, else none (no sign-up)."""
    plans = (await session.exec(
        select(SignupPlan).where(
            SignupPlan.event_id == occ.event_id,
            (col(SignupPlan.occurrence_id) == occ.id) | col(SignupPlan.occurrence_id).is_(None),
        )
    )).all()
    own = [p for p in plans if p.occurrence_id is not None]
    return next(iter(own or plans), None)


def questions(plan: SignupPlan) -> list[str]:
    return list(json.loads(plan.questions)) if plan.questions else []


def plan_out(event: Event, plan: SignupPlan, occ: Occurrence | None) -> PlanOut:
    assert plan.id is not None
    return PlanOut(
        id=plan.id, event_id=plan.event_id,
        night=occurrence_id(event, occ) if occ is not None else None,
        places=plan.places, waitlist=plan.waitlist, waitlist_max=plan.waitlist_max,
        opens_at=plan.opens_at, closes_at=plan.closes_at, max_party=plan.max_party,
        ask_phone=plan.ask_phone, questions=questions(plan), per_phone=plan.per_phone,
        per_address=plan.per_address, retention_days=plan.retention_days,
    )


async def event_plans(session: AsyncSession, event: Event) -> list[PlanOut]:
    """The event-wide plan first (when there is one), then the nights' own, in night order."""
    rows = await session.exec(
        select(SignupPlan, Occurrence)
        .outerjoin(Occurrence, col(Occurrence.id) == SignupPlan.occurrence_id)
        .where(SignupPlan.event_id == event.id)
        .order_by(col(SignupPlan.occurrence_id).is_not(None), col(Occurrence.starts_at))
    )
    return [plan_out(event, plan, occ) for plan, occ in rows]


async def save_plan(
    session: AsyncSession, event: Event, occ: Occurrence | None, data: PlanIn,
    user_id: int | None, *, settings: Settings | None = None, now: datetime | None = None,
) -> PlanOut:
    """Make or change the event's plan (``occ`` None) or one night's. Waiting sign-ups move up
    at once when the new plan has room for them; confirmed ones are never moved down (fewer
    places than already confirmed leaves the extra people confirmed, and takes no more).

    ``retention_days`` left out of ``data`` takes the installation's default
    (BOLIN_SIGNUP_RETENTION_DAYS) when ``settings`` are given.
    """
    now = now or utcnow()
    _check_night_of(event, occ)
    tz = zone(event.timezone)
    opens_at, closes_at = _moment(data.opens_at, tz, "opens_at"), _moment(
        data.closes_at, tz, "closes_at")
    _check_window(opens_at, closes_at, occ)
    labels = _questions(data.questions)
    retention = data.retention_days
    if settings is not None and "retention_days" not in data.model_fields_set:
        retention = settings.signup_retention_days
    plan = await _find(session, event, occ) or SignupPlan(
        event_id=event.id or 0, occurrence_id=occ.id if occ else None, places=data.places)
    plan.places, plan.waitlist, plan.waitlist_max = data.places, data.waitlist, data.waitlist_max
    plan.opens_at, plan.closes_at = opens_at, closes_at
    plan.max_party, plan.ask_phone = data.max_party, data.ask_phone
    plan.questions = json.dumps(labels, ensure_ascii=False) if labels else None
    plan.per_phone, plan.per_address, plan.retention_days = (
        data.per_phone, data.per_address, retention)
    plan.updated_by, plan.updated_at = user_id, now
    session.add(plan)
    await session.flush()
    for night in await _nights_governed(session, event, occ):
        await waitlist.lock_night(session, night)
        await waitlist.promote(session, night, plan.places, now)
    return plan_out(event, plan, occ)


async def delete_plan(session: AsyncSession, event: Event, occ: Occurrence | None) -> None:
    """Take sign-ups off the event (or the night, which then follows the event's plan, if
    any). Refused once anyone has signed up under it: their sign-ups keep their rules; close
    sign-up instead by setting ``closes_at``."""
    _check_night_of(event, occ)
    plan = await _find(session, event, occ)
    if plan is None:
        where = "该场次" if occ is not None else "该活动"
        raise NotFound(f"{where}没有单独的报名设置。",
                       f"The {'night' if occ is not None else 'event'} has no sign-up plan "
                       "of its own.")
    nights = await _nights_governed(session, event, occ, waiting_only=False)
    taken = (await session.exec(
        select(func.count()).select_from(Registration).where(
            col(Registration.occurrence_id).in_(nights), col(Registration.walk_in).is_(False))
    )).one() if nights else 0
    if taken:
        raise Conflict(
            f"已有 {taken} 份报名，不能删除报名设置；如要停止报名，请把“报名截止”设为现在。",
            f"{taken} sign-ups were made under this plan, so it cannot be deleted; to stop "
            "sign-ups, set closes_at to now.",
            [{"signups": taken}],
        )
    await session.delete(plan)
    await session.flush()


async def _find(session: AsyncSession, event: Event, occ: Occurrence | None) -> SignupPlan | None:
    night = col(SignupPlan.occurrence_id)
    return (await session.exec(
        select(SignupPlan).where(SignupPlan.event_id == event.id,
                                 night == occ.id if occ is not None else night.is_(None))
    )).first()


async def _nights_governed(
    session: AsyncSession, event: Event, occ: Occurrence | None, *, waiting_only: bool = True
) -> list[int]:
    """The nights a plan decides: the night itself, or every night of the event without a
    plan of its own; ``waiting_only``: of those, the ones with someone on the waitlist."""
    if occ is not None:
        return [occ.id or 0]
    own = select(SignupPlan.occurrence_id).where(
        SignupPlan.event_id == event.id, col(SignupPlan.occurrence_id).is_not(None))
    query = select(Occurrence.id).where(Occurrence.event_id == event.id,
                                        col(Occurrence.id).not_in(own))
    if waiting_only:
        query = query.where(
            select(Registration.id).where(Registration.occurrence_id == Occurrence.id,
                                          Registration.state == SignupState.waitlisted).exists())
    return [night for night in await session.exec(query.order_by(col(Occurrence.id)))
            if night is not None]


def _check_night_of(event: Event, occ: Occurrence | None) -> None:
    if occ is not None and occ.event_id != event.id:
        raise NotFound(f"场次不属于活动 {event.id}。",
                       f"That night is not one of event {event.id}'s.",
                       [{"field": "occurrence_id"}])


def _moment(value: datetime | None, tz: ZoneInfo, field: str) -> datetime | None:
    """An instant; a time without an offset is the event's local time."""
    if value is None:
        return None
    check_year(value, field)
    local = value if value.tzinfo else value.replace(tzinfo=tz)
    return local.astimezone(UTC).replace(microsecond=0)


def _check_window(opens: datetime | None, closes: datetime | None,
                  occ: Occurrence | None) -> None:
    last = closes or (occ.starts_at if occ is not None else None)
    if opens is None or last is None or opens < last:
        return
    if closes is not None:
        zh, en = "报名开始时间须早于报名截止时间。", "opens_at must be before closes_at."
    else:
        zh, en = ("报名开始时间须早于该场次开始（未填截止时间时，报名到场次开始为止）。",
                  "opens_at must be before the night starts (sign-up closes then when "
                  "closes_at is not given).")
    raise InvalidInput(zh, en, [{"field": "opens_at"}])


def _questions(labels: list[str]) -> list[str]:
    cleaned = [" ".join(label.split()) for label in labels]
    for n, label in enumerate(cleaned):
        if not label or len(label) > MAX_QUESTION:
            raise InvalidInput(
                f"第 {n + 1} 个问题不能为空，且不超过 {MAX_QUESTION} 个字。",
                f"Question {n + 1} must be 1 to {MAX_QUESTION} characters.",
                [{"field": "questions", "index": n}],
            )
    return cleaned
