"""The visitor's sign-up pages (报名), no account needed: the form for one night, the visitor's
own page at a secret link (state, code, QR code, calendar file, cancel), and cancelling.

None of them is ever kept by a cache (``Cache-Control: private, no-store``): the form shows
live places left, and the visitor's page holds a name and a code. The public event page, which
is cached, only links here (web/signup_views.py). Public pages carry no CSRF cookie; the
visitor's page is reached only by its secret, which is what a cancel must present.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import DomainError, not_found
from bolin_events.models import Event, Occurrence, utcnow
from bolin_events.routes.deps import PRIVATE_WRITES, check_visible, client_address
from bolin_events.routes.pages.common import AnyRequest, attempt, see_other, text
from bolin_events.routes.pages.signups_staff import STAFF_SIGNUP_PAGES
from bolin_events.schemas.signups import Availability, SignupOut
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.queries import occurrence_out
from bolin_events.services.signups import register
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.form_problems import field_messages
from bolin_events.web.public_meta import page_url, qr_svg
from bolin_events.web.public_time import Clock
from bolin_events.web.render import render
from bolin_events.web.signup_views import places_line, read_signup

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
DONE = {
    "cancelled": ("报名已取消。", "Your sign-up is cancelled."),
}
MAX_ANSWERS = 5


def _private(page: Template) -> Template:
    page.headers.update(PRIVATE)
    return page


async def _night(
    request: AnyRequest, db: AsyncSession, event_id: int, night: str
) -> tuple[Event, Occurrence]:
    """The night, if it is this event's and the event is not a draft a visitor cannot see."""
    event, occ = await get_occurrence(db, night)
    if event.id != event_id:
        raise not_found("场次", "night", night[:40])
    check_visible(request, event, "活动", "event", event_id)
    return event, occ


async def _form_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
    event_id: int, night: str, *,
    typed: dict[str, str] | None = None, answers: list[str] | None = None,
    error: DomainError | None = None,
) -> Template:
    event, occ = await _night(request, db, event_id, night)
    found: Availability = await register.availability(db, night, settings)
    return _private(render(
        request,
        "public/signup.html",
        status_code=error.status if error else 200,
        night=occurrence_out(refs, occ, event),
        found=found,
        places=places_line(found),
        typed=typed or {},
        answers=answers or [""] * len(found.questions),
        error=error,
        errors=field_messages(error) if error else {},
        tz=zone(event.timezone),
        clock=Clock.at(utcnow(), zone(settings.timezone)),
    ))


@get("/events/{event_id:int}/nights/{night:str}/signup", name="signup_form")
async def signup_form(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
    event_id: int, night: str,
) -> Template:
    return await _form_page(request, db, refs, settings, event_id, night)


@post("/events/{event_id:int}/nights/{night:str}/signup", opt=PRIVATE_WRITES, name="signup_submit")
async def signup_submit(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
    event_id: int, night: str,
) -> Response[Any]:
    """Signs up and sends the visitor to their own page; a refusal shows the form again with
    what was typed and the reason next to its field."""
    await _night(request, db, event_id, night)
    form = await request.form()
    typed = {name: text(form, name, 60) for name in ("name", "phone", "party")}
    answers = [text(form, f"answer_{i}", 200) for i in range(MAX_ANSWERS) if f"answer_{i}" in form]
    address = client_address(request)

    async def sign_up() -> str:
        data = read_signup(typed, answers)
        _, token = await register.sign_up(db, night, data, address, settings)
        return token

    made = await attempt(db, sign_up)
    if isinstance(made, DomainError):
        return await _form_page(request, db, refs, settings, event_id, night,
                                typed=typed, answers=answers, error=made)
    return see_other(f"/signups/{made}")


async def _visitor_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, token: str, *,
    confirm: bool = False, error: DomainError | None = None,
) -> Template:
    mine: SignupOut = await register.signup_by_token(db, token, settings)
    event, occ = await get_occurrence(db, mine.night)
    tz = zone(event.timezone)
    shown = mine.state != "cancelled" and mine.purged_at is None
    ics = f"/feeds/events/{event.id}/nights/{mine.night}.ics?alarm=1d"
    return _private(render(
        request,
        "public/signup_cancel.html" if confirm else "public/signup_done.html",
        status_code=error.status if error else 200,
        mine=mine,
        night=occurrence_out(refs, occ, event),
        token=token,
        purged=mine.purged_at is not None,
        purge_at=mine.purge_at.astimezone(tz) if mine.purge_at else None,
        qr=await off_loop(qr_svg, mine.code) if shown else None,
        ics=ics,
        ics_url=page_url(settings, ics),
        done=DONE.get(str(request.query_params.get("done", ""))),
        error=error,
        clock=Clock.at(utcnow(), zone(settings.timezone)),
    ))


@get("/signups/{token:str}", name="signup_page")
async def signup_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, token: str
) -> Template:
    return await _visitor_page(request, db, refs, settings, token)


@get("/signups/{token:str}/cancel", name="signup_cancel_confirm")
async def cancel_confirm(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, token: str
) -> Template:
    """Asks once more: a cancelled place goes to the next on the waitlist."""
    return await _visitor_page(request, db, refs, settings, token, confirm=True)


@post("/signups/{token:str}/cancel", opt=PRIVATE_WRITES, name="signup_cancel")
async def cancel(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, token: str
) -> Response[Any]:
    done = await attempt(db, lambda: register.cancel(db, token, settings))
    if isinstance(done, DomainError):  # an unknown link: _visitor_page's own 404
        return await _visitor_page(request, db, refs, settings, token, error=done)
    return see_other(f"/signups/{token}", "cancelled")


SIGNUP_PAGES: list[Any] = [
    signup_form, signup_submit, signup_page, cancel_confirm, cancel, *STAFF_SIGNUP_PAGES,
]
