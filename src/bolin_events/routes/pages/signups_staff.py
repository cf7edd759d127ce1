"""The staff sign-up pages: an event's plan (places, waitlist, window, questions; one for
every night, and a night's own where it differs), and one night's list with its totals,
no-show marks, walk-ins and the XLSX export. Phone numbers appear only masked, everywhere.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, InvalidInput, not_found
from bolin_events.models import Event, Occurrence, utcnow
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, principal
from bolin_events.routes.pages.common import AnyRequest, attempt, see_other, text
from bolin_events.schemas.signups import PlanOut, WalkInIn
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.queries import event_out, occurrence_out
from bolin_events.services.signups import plans, register
from bolin_events.services.signups.figures import one_night_figures
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.form_problems import field_messages, from_validation
from bolin_events.web.render import render
from bolin_events.web.signup_sheet import MEDIA_XLSX, disposition, night_xlsx
from bolin_events.web.signup_views import (
    PLAN_LABELS,
    plan_nights,
    plan_values,
    read_plan,
    totals_line,
)

MANAGE = [page_allow("signups:manage")]
DONE = {
    "plan_saved": ("报名设置已保存。", "The sign-up plan is saved."),
    "plan_deleted": ("报名设置已删除。", "The sign-up plan is removed."),
    "no_show": ("已标记为未到。", "Marked as a no-show."),
    "came": ("已取消未到标记。", "The no-show mark is removed."),
    "walk_in": ("已加入现场加入的人，计入签到。", "Walk-in added; counted as checked in."),
}
WALK_IN_LABELS = {"name": ("称呼", "Name"), "party": ("人数", "People"),
                  "door": ("入口", "Entrance")}


def _done(request: AnyRequest) -> tuple[str, str] | None:
    return DONE.get(str(request.query_params.get("done", "")))


async def _chosen_night(db: AsyncSession, event: Event, key: str) -> Occurrence | None:
    """The night a plan form is about (None: every night); one of another event is a 404."""
    if not key:
        return None
    owner, occ = await get_occurrence(db, key)
    if owner.id != event.id:
        raise not_found("场次", "night", key[:40])
    return occ


# --- the plan page ---


async def _plan_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int,
    night_key: str, *,
    typed: dict[str, str] | None = None, error: DomainError | None = None,
) -> Template:
    event = await get_event(db, event_id)
    await db.refresh(event)  # a refused write may have left it expired
    occ = await _chosen_night(db, event, night_key)
    tz = zone(event.timezone)
    saved = await plans.event_plans(db, event)
    event_wide = next((p for p in saved if p.night is None), None)
    own = next((p for p in saved if night_key and p.night == night_key), None)
    return render(
        request,
        "staff/signups_plan.html",
        status_code=error.status if error else 200,
        event=await event_out(db, refs, event),
        event_wide=event_wide,
        night=occurrence_out(refs, occ, event) if occ else None,
        own=own,
        values=typed or plan_values(own or event_wide, tz, settings.signup_retention_days),
        nights=await plan_nights(db, refs, event, saved, utcnow()),
        overrides=[p for p in saved if p.night],
        labels=PLAN_LABELS,
        error=error,
        errors=field_messages(error) if error else {},
        done=_done(request),
    )


@get("/staff/events/{event_id:int}/signups", guards=MANAGE, name="signup_plan_page")
async def plan_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Template:
    """``?night=`` opens the form of one night's own plan."""
    night = str(request.query_params.get("night") or "")[:40]
    return await _plan_page(request, db, refs, settings, event_id, night)


@post("/staff/events/{event_id:int}/signups", guards=MANAGE, name="signup_plan_save")
async def save_plan(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Response[Any]:
    form = await request.form()
    night = text(form, "night", 40)
    typed = {name: text(form, name, 1000) for name in PLAN_LABELS}
    event = await get_event(db, event_id)
    occ = await _chosen_night(db, event, night)
    tz = zone(event.timezone)
    user_id = principal(request).user_id

    async def save() -> PlanOut:
        return await plans.save_plan(db, event, occ, read_plan(typed, tz), user_id)

    saved = await attempt(db, save)
    if isinstance(saved, DomainError):
        return await _plan_page(request, db, refs, settings, event_id, night, typed=typed,
                                error=saved)
    query = urlencode({"night": night, "done": "plan_saved"} if night else {"done": "plan_saved"})
    return Redirect(f"/staff/events/{event_id}/signups?{query}", status_code=303)


@post("/staff/events/{event_id:int}/signups/delete", guards=MANAGE, name="signup_plan_delete")
async def delete_plan(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Response[Any]:
    """Removes the event's plan or one night's own (that night then follows the event's)."""
    form = await request.form()
    night = text(form, "night", 40)
    event = await get_event(db, event_id)
    occ = await _chosen_night(db, event, night)
    refused = await attempt(db, lambda: plans.delete_plan(db, event, occ))
    if isinstance(refused, DomainError):
        return await _plan_page(request, db, refs, settings, event_id, night, error=refused)
    return see_other(f"/staff/events/{event_id}/signups", "plan_deleted")


# --- one night's list ---


async def _list_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, key: str, *,
    typed: dict[str, str] | None = None, error: DomainError | None = None,
) -> Template:
    event, occ = await get_occurrence(db, key)
    await db.refresh(event)
    assert occ.id is not None
    figures = await one_night_figures(db, occ.id)
    plan = await plans.plan_for(db, occ)
    page = render(
        request,
        "staff/signups_night.html",
        status_code=error.status if error else 200,
        night=occurrence_out(refs, occ, event),
        plan=plan,
        rows=await register.night_list(db, key),
        figures=figures,
        totals=totals_line(figures),
        tz=zone(event.timezone),
        typed=typed or {},
        error=error,
        errors=field_messages(error) if error else {},
        done=_done(request),
    )
    page.headers.update(NOT_KEPT)
    return page


@get("/staff/nights/{occurrence_id:str}/signups", guards=MANAGE, name="signup_list")
async def night_list(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Template:
    return await _list_page(request, db, refs, occurrence_id)


@get("/staff/nights/{occurrence_id:str}/signups.xlsx", guards=MANAGE, name="signup_list_xlsx")
async def night_list_xlsx(
    db: AsyncSession, refs: RefData, occurrence_id: str
) -> Response[bytes]:
    """The list as the page shows it (masked phone numbers), as a spreadsheet."""
    event, occ = await get_occurrence(db, occurrence_id)
    assert occ.id is not None
    figures = await one_night_figures(db, occ.id)
    night = occurrence_out(refs, occ, event)
    rows = await register.night_list(db, occurrence_id)
    return Response(
        await night_xlsx(rows, night, figures, zone(event.timezone)),
        media_type=MEDIA_XLSX,
        headers={"Content-Disposition": disposition(night), **NOT_KEPT},
    )


@post("/staff/nights/{occurrence_id:str}/signups/walk-in", opt=PRIVATE_WRITES, guards=MANAGE,
      name="signup_walk_in")
async def walk_in(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Response[Any]:
    """People who join at the door without signing up: counted as checked in."""
    form = await request.form()
    typed = {name: text(form, name, 60) for name in WALK_IN_LABELS}
    user_id = principal(request).user_id

    async def add() -> Any:
        party = typed["party"].strip() or "1"
        if not (party.isascii() and party.isdigit()):
            raise InvalidInput("人数：请填写整数", "People: a whole number, please",
                               [{"field": "party"}])
        try:
            data = WalkInIn(name=typed["name"].strip() or None, party=int(party),
                            door=typed["door"].strip() or None)
        except ValidationError as exc:
            raise from_validation(exc, WALK_IN_LABELS) from None
        return await register.add_walk_in(db, occurrence_id, data, user_id)

    added = await attempt(db, add)
    if isinstance(added, DomainError):
        return await _list_page(request, db, refs, occurrence_id, typed=typed, error=added)
    return see_other(f"/staff/nights/{occurrence_id}/signups", "walk_in")


@post("/staff/nights/{occurrence_id:str}/signups/{registration_id:int}/no-show", opt=PRIVATE_WRITES,
      guards=MANAGE, name="signup_no_show")
async def no_show(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str,
    registration_id: int,
) -> Response[Any]:
    """标记未到 (``no_show=1``) or 取消标记 (``no_show=0``)."""
    form = await request.form()
    mark = text(form, "no_show", 5) == "1"
    done = await attempt(db, lambda: register.set_no_show(db, occurrence_id, registration_id,
                                                          mark))
    if isinstance(done, DomainError):
        return await _list_page(request, db, refs, occurrence_id, error=done)
    return see_other(f"/staff/nights/{occurrence_id}/signups", "no_show" if mark else "came",
                     f"#r-{registration_id}")


STAFF_SIGNUP_PAGES: list[Any] = [
    plan_page, save_plan, delete_plan, night_list, night_list_xlsx, walk_in, no_show,
]
