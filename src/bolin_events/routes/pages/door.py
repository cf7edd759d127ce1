"""The door page (签到), made for a phone in one hand: type or scan a code, see the answer.

door.js posts each check-in as JSON (login cookie, ``X-CSRFToken``) to the same service the
API calls, keeps the night's codes to answer while offline, and queues what it could not send
with each check-in's idempotency key. Without JavaScript the plain form still checks in, one
code per page load. The JSON answers are JSON even when refused (a problem body, as the
API's), so the script can show the reason; a page with live figures is never kept by a cache.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from litestar import Response, get, post
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import DomainError, InvalidInput
from bolin_events.models import Event, Occurrence, utcnow
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, principal, reporter_of
from bolin_events.routes.pages.common import (
    DOOR,
    JSON_ANSWERS,
    AnyRequest,
    attempt,
    text,
)
from bolin_events.schemas.signups import CheckInIn, CheckInOut, DoorList, WalkInIn
from bolin_events.services.attendance.access import check_village
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.queries import occurrence_out
from bolin_events.services.signups import checkin
from bolin_events.services.signups.figures import one_night_figures
from bolin_events.services.signups.lists import add_walk_in
from bolin_events.services.timing import zone
from bolin_events.web.render import render

WALK_IN_CODE = re.compile(r"^[A-Z0-9]{1,12}$")


async def _night(
    db: AsyncSession, refs: RefData, request: AnyRequest, key: str
) -> tuple[Event, Occurrence]:
    """The night, for those who may work its door (a reporter: their villages' nights)."""
    event, occ = await get_occurrence(db, key)
    check_village(refs, occ, reporter_of(request))
    return event, occ


async def _door_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, key: str, *,
    answer: CheckInOut | DomainError | None = None, typed: dict[str, str] | None = None,
    walk_in: tuple[str, int] | None = None,
) -> Template:
    event, occ = await _night(db, refs, request, key)
    assert occ.id is not None
    night = occurrence_out(refs, occ, event)
    figures = await one_night_figures(db, occ.id)
    tz = zone(event.timezone)
    status = answer.status if isinstance(answer, DomainError) else 200
    page = render(
        request,
        "staff/door.html",
        status_code=status,
        night=night,
        figures=figures,
        closed=checkin.door_closed(event, occ),
        other_day=_other_day(occ.starts_at, tz),
        answer=answer,
        typed=typed or {},
        walk_in=walk_in,
        form_key=str(uuid4()),
    )
    page.headers.update(NOT_KEPT)
    return page


def _other_day(starts_at: datetime, tz: Any) -> str | None:
    """The night's day (6月4日) when it is not today: a door opened on the wrong night."""
    local = starts_at.astimezone(tz)
    if local.date() == utcnow().astimezone(tz).date():
        return None
    return f"{local.month}月{local.day}日"


def _walked_in(request: AnyRequest) -> tuple[str, int] | None:
    """The walk-in just added (``?walk_in=CODE&people=2``, after the redirect), to confirm."""
    code, people = request.query_params.get("walk_in", ""), request.query_params.get("people")
    if not WALK_IN_CODE.match(code) or not (people or "").isdigit():
        return None
    return code, int(people or 0)


@get("/staff/nights/{occurrence_id:str}/check-in", guards=DOOR, name="door_page")
async def door_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Template:
    return await _door_page(request, db, refs, occurrence_id, walk_in=_walked_in(request))


@post("/staff/nights/{occurrence_id:str}/check-in",
      opt=PRIVATE_WRITES, guards=DOOR, name="door_form")
async def door_form(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Template:
    """The form without JavaScript: one check-in, answered on the page shown again."""
    await _night(db, refs, request, occurrence_id)
    form = await request.form()
    typed = {name: text(form, name, 40) for name in ("code", "people", "door", "key")}
    answer: CheckInOut | DomainError
    try:
        data = CheckInIn(code=typed["code"], key=typed["key"], door=typed["door"] or None,
                         people=int(typed["people"]) if typed["people"].strip() else None)
    except (ValidationError, ValueError):
        answer = InvalidInput(
            "请输入签到码；人数须为 1–50 的整数。",
            "Type the code; people must be a whole number from 1 to 50.",
            [{"field": "code"}],
        )
    else:
        user_id = principal(request).user_id
        answer = await attempt(db, lambda: checkin.check_in(db, occurrence_id, data, user_id))
    return await _door_page(request, db, refs, occurrence_id, answer=answer,
                            typed={"door": typed["door"]})


@post(
    "/staff/nights/{occurrence_id:str}/check-ins", opt=PRIVATE_WRITES,
    guards=DOOR,
    status_code=200,
    exception_handlers=JSON_ANSWERS,
    name="door_check_in",
)
async def door_check_in(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str, data: CheckInIn
) -> Response[CheckInOut]:
    """One check-in from door.js (JSON in, JSON out), sent at once or later from its queue."""
    await _night(db, refs, request, occurrence_id)
    done = await checkin.check_in(db, occurrence_id, data, principal(request).user_id)
    return Response(done, headers=NOT_KEPT)


@get(
    "/staff/nights/{occurrence_id:str}/check-ins",
    guards=DOOR,
    exception_handlers=JSON_ANSWERS,
    name="door_codes",
)
async def door_codes(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Response[DoorList]:
    """The night's codes for door.js to answer from while offline (no phone numbers)."""
    await _night(db, refs, request, occurrence_id)
    return Response(await checkin.door_list(db, occurrence_id), headers=NOT_KEPT)


@post("/staff/nights/{occurrence_id:str}/walk-ins",
      opt=PRIVATE_WRITES, guards=DOOR, name="door_walk_in")
async def door_walk_in(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Template | Redirect:
    """现场加入: people let in without a sign-up, counted as checked in at once."""
    await _night(db, refs, request, occurrence_id)
    form = await request.form()
    typed = {name: text(form, name, 40) for name in ("name", "party", "door")}
    try:
        data = WalkInIn(name=typed["name"] or None, door=typed["door"] or None,
                        party=int(typed["party"] or "1"))
    except (ValidationError, ValueError):
        refused = InvalidInput("现场加入的人数须为 1–50 的整数。",
                               "Walk-ins: people must be a whole number from 1 to 50.",
                               [{"field": "party"}])
        return await _door_page(request, db, refs, occurrence_id, answer=refused,
                                typed={"door": typed["door"]})
    user_id = principal(request).user_id
    added = await attempt(db, lambda: add_walk_in(db, occurrence_id, data, user_id))
    if isinstance(added, DomainError):
        return await _door_page(request, db, refs, occurrence_id, answer=added,
                                typed={"door": typed["door"]})
    query = urlencode({"walk_in": added.code, "people": added.party})
    return Redirect(f"/staff/nights/{occurrence_id}/check-in?{query}", status_code=303)


DOOR_PAGES: list[Any] = [door_page, door_form, door_check_in, door_codes, door_walk_in]
