"""Sign-ups (报名): plans staff set on an event or a night, signing up without an account, the
visitor's own sign-up by its secret link, and a night's list, walk-ins and no-shows."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.errors import NotFound
from bolin_events.routes.api.checkins import check_door
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, AnyRequest, principal
from bolin_events.schemas.signups import (
    Availability,
    NoShowIn,
    PlanIn,
    PlanOut,
    RegistrationRow,
    SignupIn,
    SignupOut,
    WalkInIn,
)
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups import plans, register
from bolin_events.settings import Settings

MANAGE = [allow("signups:manage")]
Token = Annotated[str, Parameter(max_length=100, description="the secret in the visitor's link")]
PLAN_RULES = (
    "`places` counts people, not sign-ups. `closes_at` left out: sign-up closes when the night "
    "starts; a time without an offset is the event's local time; `opens_at` must come before "
    "the close (422). `max_party`: people one sign-up may bring, itself included. "
    "`ask_phone` (default on) asks a mainland mobile number, kept only as a keyed hash (to "
    "match repeats) and masked (138****5678) for staff. `questions`: up to 5, never required. "
    "`per_phone` (default 1): live sign-ups one number may hold per night; `per_address` "
    "(default 10): sign-ups from one network address per night, cancelled ones included. "
    "`retention_days`: personal data is deleted this many days after the night ends "
    "(default BOLIN_SIGNUP_RETENTION_DAYS). Raising the places moves the waitlist up at once."
)


class SignupPlanController(Controller):
    path = "/api/v1"
    tags = ["sign-ups"]
    guards = MANAGE

    @put("/events/{event_id:int}/signup-plan", summary="Set an event's sign-up plan",
         description="Opens every night of the event to sign-ups (a night's own plan "
         f"overrides it), or changes the plan. {PLAN_RULES}")
    async def put_event_plan(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                             event_id: int, data: PlanIn) -> PlanOut:
        event = await get_event(db, event_id)
        return await plans.save_plan(db, event, None, data, principal(request).user_id,
                                     settings=settings)

    @get("/events/{event_id:int}/signup-plan", summary="An event's sign-up plan",
         description="The plan of every night of the event without one of its own (404 when "
         "the event takes no sign-ups).")
    async def get_event_plan(self, db: AsyncSession, event_id: int) -> PlanOut:
        event = await get_event(db, event_id)
        found = [p for p in await plans.event_plans(db, event) if p.night is None]
        if not found:
            raise NotFound("该活动没有报名设置。", "The event has no sign-up plan.")
        return found[0]

    @delete("/events/{event_id:int}/signup-plan", summary="Remove an event's sign-up plan",
            description="Refused (409) once anyone has signed up under it: set `closes_at` to "
            "stop sign-ups instead.")
    async def delete_event_plan(self, db: AsyncSession, event_id: int) -> None:
        await plans.delete_plan(db, await get_event(db, event_id), None)

    @put("/occurrences/{occurrence_id:str}/signup-plan", summary="Set a night's own sign-up plan",
         description=f"Overrides the event's plan for this night. {PLAN_RULES}")
    async def put_night_plan(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                             occurrence_id: str, data: PlanIn) -> PlanOut:
        event, occ = await get_occurrence(db, occurrence_id)
        return await plans.save_plan(db, event, occ, data, principal(request).user_id,
                                     settings=settings)

    @get("/occurrences/{occurrence_id:str}/signup-plan", summary="The sign-up plan of a night",
         description="The plan that applies: the night's own (`night` set), else the event's "
         "(`night` null); 404 when the night takes no sign-ups.")
    async def get_night_plan(self, db: AsyncSession, occurrence_id: str) -> PlanOut:
        event, occ = await get_occurrence(db, occurrence_id)
        plan = await plans.plan_for(db, occ)
        if plan is None:
            raise NotFound("该场次不接受报名。", "This night takes no sign-ups.")
        return plans.plan_out(event, plan, occ if plan.occurrence_id is not None else None)

    @delete("/occurrences/{occurrence_id:str}/signup-plan",
            summary="Remove a night's own sign-up plan",
            description="The night then follows the event's plan, if any. Refused (409) once "
            "anyone has signed up for the night.")
    async def delete_night_plan(self, db: AsyncSession, occurrence_id: str) -> None:
        event, occ = await get_occurrence(db, occurrence_id)
        await plans.delete_plan(db, event, occ)


class SignupController(Controller):
    """Public: no log-in. The caps per phone number and per address are the abuse limits."""

    path = "/api/v1"
    tags = ["sign-ups"]

    @get("/occurrences/{occurrence_id:str}/signups", summary="Places left for a night",
         description="Places, people confirmed and waiting, whether sign-up is open now (or "
         "why not: 报名 … 开始, 报名已截止, the night cancelled), what is asked. No personal "
         "data. 404 for a night that takes no sign-ups. Live: never cached.")
    async def availability(self, db: AsyncSession, settings: Settings,
                           occurrence_id: str) -> Response[Availability]:
        found = await register.availability(db, occurrence_id, settings)
        return Response(found, headers=NOT_KEPT)

    @post("/occurrences/{occurrence_id:str}/signups",
        opt=PRIVATE_WRITES, summary="Sign up for a night",
          description="No account needed: a name or nickname (1–40 characters), a phone "
          "number when the plan asks (138 1234 5678, 138-1234-5678, +86 13812345678 and "
          "8613812345678 are read alike; a mainland mobile number, else 422), the party "
          "(1–`max_party`, else 422) and answers to the plan's questions (each ≤ 200). "
          "Confirmed while places last, then waitlisted (when the plan keeps a waitlist), "
          "else 409 名额已满. 409 too before sign-up opens, after it closes, for a cancelled "
          "night or event, and past the caps per phone number or per address (naming the "
          "cap). Answers the visitor's view with `link`, their own page (keep it: it is the "
          "only way back to the sign-up, and to cancel it).")
    async def sign_up(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                      occurrence_id: str, data: SignupIn) -> Response[SignupOut]:
        address = request.client.host if request.client else None
        out, _ = await register.sign_up(db, occurrence_id, data, address, settings)
        return Response(out, status_code=201, headers=NOT_KEPT)

    @get("/signups/{token:str}", summary="One's own sign-up, by its secret link",
         description="State (confirmed, waitlisted with `position`, cancelled), the code for "
         "the door, the night; `promoted_at` once moved up from the waitlist; `purged_at` once "
         "the personal data was deleted (at `purge_at`). Never cached.")
    async def by_token(self, db: AsyncSession, settings: Settings,
                       token: Token) -> Response[SignupOut]:
        return Response(await register.signup_by_token(db, token, settings), headers=NOT_KEPT)

    @post("/signups/{token:str}/cancel",
        opt=PRIVATE_WRITES, status_code=200, summary="Cancel one's sign-up",
          description="By its secret link. The place goes to the waitlist in the order people "
          "joined it: each next one moves up while their party fits, and the line stops at "
          "the first that does not. 409 when already cancelled, checked in, or the night is "
          "over.")
    async def cancel(self, db: AsyncSession, settings: Settings,
                     token: Token) -> Response[SignupOut]:
        return Response(await register.cancel(db, token, settings), headers=NOT_KEPT)


class RegistrationController(Controller):
    """A night's list for staff: phone numbers masked, never shown whole."""

    path = "/api/v1/occurrences/{occurrence_id:str}/registrations"
    tags = ["sign-ups"]

    @get("/", guards=MANAGE, summary="A night's sign-ups",
         description="Every sign-up and walk-in in the order they came, with state, waitlist "
         "position, party, masked phone, answers, check-in and no-show; rows past their "
         "retention have `purged` and no name or number. Never cached.")
    async def night_list(self, db: AsyncSession,
                         occurrence_id: str) -> Response[list[RegistrationRow]]:
        return Response(await register.night_list(db, occurrence_id), headers=NOT_KEPT)

    @post("/", opt=PRIVATE_WRITES, guards=[allow("door:work")], summary="Add a walk-in",
          description="Someone let in at the door without signing up (现场加入): confirmed "
          "and checked in at once, with an optional name and door; staff decide, so it may "
          "go beyond the places. 409 for a night that is not held. Reporters only for their "
          "villages' nights.")
    async def walk_in(self, db: AsyncSession, refs: RefData, request: AnyRequest,
                      occurrence_id: str, data: WalkInIn) -> RegistrationRow:
        await check_door(db, refs, request, occurrence_id)
        return await register.add_walk_in(db, occurrence_id, data, principal(request).user_id)

    @patch("/{registration_id:int}", opt=PRIVATE_WRITES, guards=MANAGE, summary="Mark a no-show",
           description="`no_show` true marks a confirmed sign-up as not come (未到); false "
           "takes the mark back. 409 for a walk-in, a waitlisted or cancelled sign-up, or a "
           "checked-in one.")
    async def no_show(self, db: AsyncSession, occurrence_id: str, registration_id: int,
                      data: NoShowIn) -> RegistrationRow:
        return await register.set_no_show(db, occurrence_id, registration_id, data.no_show)


SIGNUP_ROUTERS = [SignupPlanController, SignupController, RegistrationController]
