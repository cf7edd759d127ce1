"""What the sign-up pages show and read: the plan form staff fill in, the visitor's form, the
sentences for places left and a night's totals, and the event page's static sign-up facts.

The event page is cached publicly per data version and minute, so what it says about sign-ups
is what follows from the plan and the clock alone (places per night, the window, a link per
night still open); places left are live, and only the sign-up page itself shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.models import Event, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.schemas.signups import (
    Availability,
    NightFigures,
    PlanIn,
    PlanOut,
    SignupIn,
)
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.scheduling.queries import occurrence_out
from bolin_events.services.signups import plans
from bolin_events.services.signups.figures import night_figures
from bolin_events.services.timing import zone
from bolin_events.web.form_problems import Problems, from_validation

MAX_QUESTIONS = 5
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows

PLAN_LABELS: dict[str, tuple[str, str]] = {
    "places": ("名额（每场人数）", "Places (people per night)"),
    "waitlist": ("名额满后可候补", "Waitlist when full"),
    "waitlist_max": ("候补人数上限", "Waitlist limit (people)"),
    "opens_at": ("开始报名时间", "Sign-up opens"),
    "closes_at": ("截止报名时间", "Sign-up closes"),
    "max_party": ("每份报名最多几人（含本人）", "People per sign-up at most (self included)"),
    "ask_phone": ("要求填写手机号", "Ask for a phone number"),
    "questions": ("其他问题", "Other questions"),
    "per_phone": ("同一手机号每场最多报名几次", "Sign-ups per phone number per night"),
    "per_address": ("同一网络地址每场最多报名几次", "Sign-ups per network address per night"),
    "retention_days": ("个人信息保存天数（活动结束后）", "Days personal data is kept after"),
}
WHOLE_NUMBERS = ("places", "waitlist_max", "max_party", "per_phone", "per_address",
                 "retention_days")
MOMENTS = ("opens_at", "closes_at")
SIGNUP_LABELS: dict[str, tuple[str, str]] = {
    "name": ("称呼/昵称", "Name or nickname"),
    "phone": ("手机号", "Phone number"),
    "party": ("人数", "People"),
    "answers": ("其他问题", "Other questions"),
}

# --- the plan form (staff) ---


def plan_values(plan: PlanIn | None, tz: ZoneInfo, retention_days: int) -> dict[str, str]:
    """The form's fields as text: a saved plan's, or the defaults for a new one (personal
    data kept for the installation's ``retention_days``)."""
    plan = plan or PlanIn(places=30, retention_days=retention_days)
    return {
        "places": str(plan.places),
        "waitlist": "1" if plan.waitlist else "",
        "waitlist_max": "" if plan.waitlist_max is None else str(plan.waitlist_max),
        "opens_at": _local(plan.opens_at, tz),
        "closes_at": _local(plan.closes_at, tz),
        "max_party": str(plan.max_party),
        "ask_phone": "1" if plan.ask_phone else "",
        "questions": "\n".join(plan.questions),
        "per_phone": str(plan.per_phone),
        "per_address": str(plan.per_address),
        "retention_days": str(plan.retention_days),
    }


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime(LOCAL_MINUTE) if moment else ""


def read_plan(values: Mapping[str, str], tz: ZoneInfo) -> PlanIn:
    """The plan the form describes, times read on the station's clock; every problem raised
    at once, each tied to its field."""
    problems = Problems()
    numbers: dict[str, int | None] = {}
    for name in WHOLE_NUMBERS:
        typed = values.get(name, "").strip()
        numbers[name] = problems.parse(
            name, typed, int, f"{PLAN_LABELS[name][0]}：请填写整数",
            f"{PLAN_LABELS[name][1]}: a whole number, please") if typed else None
    moments: dict[str, datetime | None] = {}
    for name in MOMENTS:
        typed = values.get(name, "").strip()
        found = problems.parse(
            name, typed, lambda text: datetime.fromisoformat(text).replace(tzinfo=tz),
            f"{PLAN_LABELS[name][0]}：请按 2027-06-04 19:00 的格式填写",
            f"{PLAN_LABELS[name][1]}: a date and time such as 2027-06-04 19:00") if typed else None
        moments[name] = found
    questions = [q.strip() for q in values.get("questions", "").splitlines() if q.strip()]
    if not values.get("places", "").strip():
        problems.add("places", "请填写名额", "Give the number of places")
    if len(questions) > MAX_QUESTIONS:
        problems.add("questions", f"其他问题最多 {MAX_QUESTIONS} 个（每行一个）",
                     f"At most {MAX_QUESTIONS} questions (one a line)")
    if any(len(q) > plans.MAX_QUESTION for q in questions):
        problems.add("questions", f"每个问题最多 {plans.MAX_QUESTION} 个字符",
                     f"At most {plans.MAX_QUESTION} characters a question")
    if (moments["opens_at"] and moments["closes_at"]
            and moments["closes_at"] <= moments["opens_at"]):
        problems.add("closes_at", "截止报名时间须晚于开始报名时间",
                     "Sign-up must close after it opens")
    problems.raise_any()
    given = {name: value for name, value in numbers.items() if value is not None}
    try:
        return PlanIn(
            **given, **moments, questions=questions,
            waitlist=bool(values.get("waitlist")), ask_phone=bool(values.get("ask_phone")),
        )
    except ValidationError as exc:
        raise from_validation(exc, PLAN_LABELS) from None


# --- the visitor's form ---


def read_signup(values: Mapping[str, str], answers: list[str]) -> SignupIn:
    """What the visitor typed, as the service takes it; a schema refusal per field."""
    problems = Problems()
    if not values.get("name", "").strip():
        problems.add("name", "请填写称呼或昵称", "Give a name or nickname")
    party = values.get("party", "").strip() or "1"
    if not party.isascii() or not party.isdigit():
        problems.add("party", "人数：请填写整数", "People: a whole number, please")
    problems.raise_any()
    try:
        return SignupIn(
            name=values.get("name", "").strip(), phone=values.get("phone", "").strip() or None,
            party=int(party), answers=[a.strip() for a in answers],
        )
    except ValidationError as exc:
        raise from_validation(exc, SIGNUP_LABELS) from None


def places_line(found: Availability) -> Label:
    """The live sentence above the form: places left, the waitlist, or why not."""
    if not found.open:
        return Label(found.why_not or "现在不能报名。", found.why_not_en or "Sign-up is closed.")
    if found.remaining > 0:
        return Label(f"剩余 {found.remaining} 个名额",
                     f"{found.remaining} place{'s' if found.remaining != 1 else ''} left")
    if found.waitlist_open:
        return Label(f"名额已满，可候补（前面 {found.waitlisted} 人）",
                     f"Full: join the waitlist ({found.waitlisted} ahead of you)")
    if found.waitlist:
        return Label("名额已满，候补也已满。", "Full, and so is the waitlist.")
    return Label("名额已满。", "Full.")


# --- a night's totals (staff) ---


def totals_line(figures: NightFigures) -> Label:
    """报名 40 人，候补 5 人，签到 36 人，现场加入 2 人，未到 3 人"""
    f = figures
    return Label(
        f"报名 {f.registered} 人，候补 {f.waitlisted} 人，签到 {f.checked_in} 人，"
        f"现场加入 {f.walk_ins} 人，未到 {f.no_shows} 人",
        f"Signed up {f.registered}, waitlisted {f.waitlisted}, checked in {f.checked_in}, "
        f"walk-ins {f.walk_ins}, no-shows {f.no_shows} (people)",
    )


# --- the event page (static facts only) ---


@dataclass(frozen=True)
class SignupNight:
    """One night of the event page that takes sign-ups, and what its plan says."""

    night: OccurrenceOut
    plan: PlanOut
    opens: datetime | None  # local
    closes: datetime  # local
    state: str  # "open", "soon" (not open yet) or "closed"

    @property
    def link(self) -> str:
        return f"/events/{self.night.event_id}/nights/{self.night.id}/signup"


def signup_nights(
    plans: list[PlanOut], nights: list[OccurrenceOut], now: datetime, tz: ZoneInfo
) -> list[SignupNight]:
    """The held nights still to come that a plan covers (their own, else the event's)."""
    own = {p.night: p for p in plans if p.night}
    event_wide = next((p for p in plans if p.night is None), None)
    found = []
    for night in nights:
        plan = own.get(night.id, event_wide)
        start = (night.start if isinstance(night.start, datetime)
                 else datetime.combine(night.start, time(0), tzinfo=tz))
        if plan is None or night.status not in ("scheduled", "moved") or start <= now:
            continue
        closes = (plan.closes_at or start).astimezone(tz)
        opens = plan.opens_at.astimezone(tz) if plan.opens_at else None
        state = "closed" if closes <= now else "soon" if opens and opens > now else "open"
        found.append(SignupNight(night, plan, opens, closes, state))
    return found


# --- the staff plan page: the event's nights with their plans and figures ---


@dataclass(frozen=True)
class PlanNight:
    """One night on the staff plan page."""

    night: OccurrenceOut
    own: PlanOut | None  # the night's own plan (an override), if any
    covered: bool  # a plan applies (its own or the event's)
    figures: NightFigures | None  # None: nobody signed up yet


async def plan_nights(
    session: AsyncSession, refs: RefData, event: Event, plans: list[PlanOut], now: datetime,
    upcoming: int = 100, past: int = 10,
) -> list[PlanNight]:
    """The event's next ``upcoming`` and last ``past`` nights (skipped ones left out), in date
    order, each with its own plan and its sign-up figures."""
    rows = list(await session.exec(
        select(Occurrence)
        .where(Occurrence.event_id == event.id, Occurrence.state != OccurrenceState.skipped)
        .order_by(col(Occurrence.starts_at))
    ))
    later = [o for o in rows if o.ends_at > now][:upcoming]
    earlier = [o for o in rows if o.ends_at <= now][-past:]
    chosen = earlier + later
    figures = await night_figures(session, [o.id for o in chosen if o.id is not None])
    own = {p.night: p for p in plans if p.night}
    event_wide = any(p.night is None for p in plans)
    found = []
    for occ in chosen:
        key = occurrence_id(event, occ)
        found.append(PlanNight(occurrence_out(refs, occ, event), own.get(key),
                               event_wide or key in own, figures.get(occ.id or 0)))
    return found


async def event_signups(
    session: AsyncSession, event: Event, nights: list[OccurrenceOut], now: datetime
) -> list[SignupNight]:
    """The event page's sign-up facts (empty when the event takes no sign-ups)."""
    saved = await plans.event_plans(session, event)
    return signup_nights(saved, nights, now, zone(event.timezone)) if saved else []
