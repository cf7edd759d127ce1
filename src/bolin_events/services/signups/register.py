"""Signing up for a night (报名), as a visitor does it: no account, a name or nickname and,
when the plan asks, a phone number; a short code for the door and a secret link to one's own
page, where the sign-up can be cancelled.

Places are decided with the night locked (services.signups.waitlist), so concurrent sign-ups
never confirm more people than the plan's places. The caps — sign-ups per phone number and
per network address, per night — are checked under the same lock.

Staff's side of a night (the list, walk-ins, no-shows) is in services.signups.lists and
re-exported here.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, NotFound
from bolin_events.models import Event, Occurrence, Registration, SignupPlan, SignupState, utcnow
from bolin_events.schemas.common import clean_text
from bolin_events.schemas.signups import Availability, SignupIn, SignupOut
from bolin_events.services.signups import waitlist
from bolin_events.services.signups.codes import (
    keyed_hash,
    masked,
    new_token,
    phone_digits,
    token_hash,
)
from bolin_events.services.signups.lists import add_walk_in, night_list, set_no_show
from bolin_events.services.signups.plans import plan_for, questions
from bolin_events.services.signups.rules import (
    closes_at,
    insert,
    signup_night,
    signup_out,
    why_closed,
)
from bolin_events.settings import Settings

__all__ = ["add_walk_in", "availability", "cancel", "night_list", "set_no_show", "sign_up",
           "signup_by_token"]
MAX_NAME = 40
MAX_ANSWER = 200
SIGNUP_PATH = "/signups/"  # + the token: the visitor's own page


async def availability(
    session: AsyncSession, key: str, settings: Settings, now: datetime | None = None
) -> Availability:
    """The night's places as the public sees them (no one's data), and whether one can sign
    up now, or why not."""
    now = now or utcnow()
    event, occ, plan = await signup_night(session, key)
    assert occ.id is not None
    confirmed, waiting = await waitlist.people(session, occ.id)
    why = why_closed(event, occ, plan, now)
    return Availability(
        night=key, open=why is None, why_not=why[0] if why else None,
        why_not_en=why[1] if why else None, places=plan.places, confirmed=confirmed,
        remaining=max(0, plan.places - confirmed), waitlisted=waiting, waitlist=plan.waitlist,
        waitlist_max=plan.waitlist_max if plan.waitlist else None,
        waitlist_open=plan.waitlist and (plan.waitlist_max is None or waiting < plan.waitlist_max),
        max_party=plan.max_party, ask_phone=plan.ask_phone, questions=questions(plan),
        opens_at=plan.opens_at, closes_at=closes_at(plan, occ),
        retention_days=plan.retention_days, per_phone=plan.per_phone,
    )


async def sign_up(
    session: AsyncSession, key: str, data: SignupIn, address: str | None, settings: Settings,
    now: datetime | None = None,
) -> tuple[SignupOut, str]:
    """Sign up for night ``key`` from network ``address``: confirmed while the places last,
    then on the waitlist (when the plan keeps one), else refused. Gives the visitor's view,
    with the link to their page, and the secret token in that link (kept only hashed)."""
    now = now or utcnow()
    event, occ, plan = await signup_night(session, key)
    assert occ.id is not None
    why = why_closed(event, occ, plan, now)
    if why is not None:
        raise Conflict(*why, [{"night": key}])
    secret = settings.resolved_secret_key()
    name, phone, answers = _name(data.name), _phone(plan, data.phone), _answers(plan, data)
    _check_party(plan, data.party)
    phone_hash = keyed_hash(secret, phone) if phone else None
    address_hash = keyed_hash(secret, address) if address else None
    await waitlist.lock_night(session, occ.id)
    await _check_caps(session, occ.id, plan, phone_hash, address_hash)
    confirmed, waiting = await waitlist.people(session, occ.id)
    state = _state_for(plan, data.party, confirmed, waiting)
    token = new_token()
    registration = await insert(session, Registration(
        occurrence_id=occ.id, code="", token_hash=token_hash(token), state=state,
        party=data.party, name=name, phone_hash=phone_hash,
        phone_masked=masked(phone) if phone else None,
        answers=json.dumps(answers, ensure_ascii=False) if any(answers) else None,
        address_hash=address_hash, created_at=now,
    ))
    out = signup_out(event, occ, registration, await waitlist.position(session, registration),
                     plan.retention_days)
    out.link = f"{settings.public_url.rstrip('/')}{SIGNUP_PATH}{token}"
    return out, token


async def signup_by_token(session: AsyncSession, token: str, settings: Settings) -> SignupOut:
    """The visitor's own sign-up, found by the secret in their link."""
    event, occ, registration = await _by_token(session, token)
    plan = await plan_for(session, occ)
    return await _out(session, event, occ, registration, plan, settings)


async def cancel(
    session: AsyncSession, token: str, settings: Settings, now: datetime | None = None
) -> SignupOut:
    """Cancel by the visitor's link. A place given back goes to the waitlist, in order."""
    now = now or utcnow()
    event, occ, registration = await _by_token(session, token)
    assert occ.id is not None
    if now >= occ.ends_at:
        raise Conflict("该场次已结束，不能再取消。", "The night is over: nothing to cancel.")
    await waitlist.lock_night(session, occ.id)
    # conditional: a door checking the same sign-up in this instant does not lock the night
    done = await session.exec(
        update(Registration)
        .where(col(Registration.id) == registration.id,
               col(Registration.state) != SignupState.cancelled,
               col(Registration.checked_in_at).is_(None))
        .values(state=SignupState.cancelled, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(registration)
    if done.rowcount != 1 and registration.state == SignupState.cancelled:
        raise Conflict("这份报名已经取消过了。", "This sign-up is already cancelled.")
    if done.rowcount != 1:
        raise Conflict("已签到，不能再取消。", "Already checked in: it cannot be cancelled.")
    plan = await plan_for(session, occ)
    if plan is not None:
        await waitlist.promote(session, occ.id, plan.places, now)
    return await _out(session, event, occ, registration, plan, settings)


async def _by_token(session: AsyncSession, token: str) -> tuple[Event, Occurrence, Registration]:
    registration = (await session.exec(
        select(Registration).where(Registration.token_hash == token_hash(token))
    )).first() if 10 <= len(token) <= 100 else None
    occ = await session.get(Occurrence, registration.occurrence_id) if registration else None
    event = await session.get(Event, occ.event_id) if occ else None
    if registration is None or occ is None or event is None:
        raise NotFound("找不到这份报名，请检查链接是否完整。",
                       "No sign-up has this link; check that it was copied whole.")
    return event, occ, registration


async def _out(session: AsyncSession, event: Event, occ: Occurrence, registration: Registration,
               plan: SignupPlan | None, settings: Settings) -> SignupOut:
    retention = plan.retention_days if plan is not None else settings.signup_retention_days
    position = await waitlist.position(session, registration)
    return signup_out(event, occ, registration, position, retention)


def _name(raw: str) -> str:
    name = " ".join(clean_text(raw).split())
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidInput(f"请填写称呼或昵称（1–{MAX_NAME} 个字）。",
                           f"Give a name or nickname (1 to {MAX_NAME} characters).",
                           [{"field": "name"}])
    return name


def _phone(plan: SignupPlan, raw: str | None) -> str | None:
    """The number's digits when the plan asks for one (none is kept when it does not)."""
    if not plan.ask_phone:
        return None
    if not raw or not raw.strip():
        raise InvalidInput("请填写手机号（用于确认报名和签到）。",
                           "Give a phone number (it holds your place).", [{"field": "phone"}])
    return phone_digits(raw)


def _answers(plan: SignupPlan, data: SignupIn) -> list[str]:
    asked = questions(plan)
    if len(data.answers) > len(asked):
        raise InvalidInput(f"回答多于问题：本场只问 {len(asked)} 个问题。",
                           f"More answers than questions: this night asks {len(asked)}.",
                           [{"field": "answers", "questions": len(asked)}])
    cleaned = [clean_text(answer) for answer in data.answers]
    for n, answer in enumerate(cleaned):
        if len(answer) > MAX_ANSWER:
            raise InvalidInput(f"第 {n + 1} 个回答太长（最多 {MAX_ANSWER} 字）。",
                               f"Answer {n + 1} is too long (at most {MAX_ANSWER} characters).",
                               [{"field": "answers", "index": n}])
    return cleaned


def _check_party(plan: SignupPlan, party: int) -> None:
    if not 1 <= party <= plan.max_party:
        raise InvalidInput(
            f"每份报名最多 {plan.max_party} 人（含本人）。" if plan.max_party > 1
            else "本场每份报名只限 1 人。",
            f"One sign-up brings at most {plan.max_party} (yourself included).",
            [{"field": "party", "max": plan.max_party}],
        )


async def _check_caps(session: AsyncSession, occurrence_id: int, plan: SignupPlan,
                      phone_hash: str | None, address_hash: str | None) -> None:
    """At most ``per_phone`` live sign-ups per number (a cancelled one gives its turn back),
    at most ``per_address`` sign-ups from one address whatever became of them (so signing
    up and cancelling again and again does not get round it)."""
    night = Registration.occurrence_id == occurrence_id
    if phone_hash is not None:
        held = await _count(session, night, Registration.phone_hash == phone_hash,
                            col(Registration.state) != SignupState.cancelled)
        if held >= plan.per_phone:
            raise Conflict(
                f"这个手机号已为本场报名 {held} 次，每个号码最多 {plan.per_phone} 次。"
                "如要更改人数，请先取消原报名再重新报名。",
                f"This phone number already holds {held} sign-up(s) for this night; the "
                f"limit is {plan.per_phone}. To change the party, cancel it and sign up again.",
                [{"field": "phone", "limit": plan.per_phone}],
            )
    if address_hash is not None:
        made = await _count(session, night, Registration.address_hash == address_hash)
        if made >= plan.per_address:
            raise Conflict(
                f"同一网络本场已报名 {made} 次，达到上限（{plan.per_address} 次）。"
                "如需为更多人报名，请联系文化站。",
                f"{made} sign-ups for this night came from this network address, the limit "
                f"({plan.per_address}). To sign up more people, contact the culture station.",
                [{"limit": plan.per_address}],
            )


async def _count(session: AsyncSession, *conditions: object) -> int:
    found = await session.exec(
        select(func.count()).select_from(Registration).where(*conditions)  # type: ignore[arg-type]
    )
    return int(found.one())


def _state_for(plan: SignupPlan, party: int, confirmed: int, waiting: int) -> SignupState:
    if confirmed + party <= plan.places:
        return SignupState.confirmed
    if plan.waitlist and (plan.waitlist_max is None or waiting + party <= plan.waitlist_max):
        return SignupState.waitlisted
    if plan.waitlist:
        raise Conflict("名额已满，候补也已满。", "No places left, and the waitlist is full.",
                       [{"places": plan.places, "remaining": max(0, plan.places - confirmed)}])
    left = plan.places - confirmed
    if left > 0:
        raise Conflict(f"名额不足：只剩 {left} 个名额。",
                       f"Not enough places: {left} left.", [{"remaining": left}])
    raise Conflict("名额已满。", "No places left.", [{"places": plan.places, "remaining": 0}])
