"""The staff event editor: the events list, creating events and series (from a blank form, a
copy of another event, or after 保存并新建 the next of a run), editing them (with the recurrence
form and venue-clash warnings), the event's status, and its nights table (clash marks, the
series counted by what is held). One night's page is in ``nights``."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, not_found
from bolin_events.models import Event, EventStatus, utcnow
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    int_param,
    see_other,
    text,
)
from bolin_events.routes.pages.recurrence import RECURRENCE_PAGES
from bolin_events.schemas.common import clean_text
from bolin_events.schemas.events import EventOut, StatusChange
from bolin_events.services.filters import Filters
from bolin_events.services.pictures import records
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.events import (
    TRANSITIONS,
    change_status,
    create_event,
    delete_draft,
    get_event,
    update_event,
)
from bolin_events.services.scheduling.queries import (
    event_out,
    list_events,
    listed_statuses,
)
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import event_form, night_table, recurrence_preview, staff_views
from bolin_events.web.form_problems import from_validation
from bolin_events.web.recurrence_form import describe, repeat_of
from bolin_events.web.render import render

WRITE = [page_allow("programme:write")]
PAGE_SIZE = 50
UPCOMING = 30  # nights shown with their one-step changes; "再显示" shows the rest
ALL_STATUSES = ",".join(EventStatus)
@get("/staff/events", guards=WRITE, include_in_schema=False)
async def events(request: AnyRequest, db: AsyncSession, refs: RefData) -> Template:
    query = request.query_params
    status = str(query.get("status") or "")[:50]
    category, village = str(query.get("category") or "")[:64], str(query.get("village") or "")[:64]
    words = str(query.get("q") or "")[:100]
    statuses = listed_statuses(status or ALL_STATUSES, staff=True)
    found, _ = await list_events(
        db, refs, statuses, Filters.of(category, village, None, None), 5000, 0
    )
    found = staff_views.matching(found, words)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = int_param(query.get("page"), 1, 1, pages)
    return render(
        request,
        "staff/events.html",
        events=found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(found),
        page=page,
        pages=pages,
        chosen={"status": status, "category": category, "village": village, "q": words},
        statuses=list(EventStatus),
        done=done_message(request),
        **event_form.editor_choices(refs),
    )


def _form_page(
    request: AnyRequest,
    refs: RefData,
    settings: Settings,
    form: event_form.EventForm,
    error: DomainError | None = None,
    *,
    copied: EventOut | None = None,
    saved: EventOut | None = None,
) -> Template:
    """The new-event form, maybe a copy of an event or the next after one just saved."""
    return render(
        request,
        "staff/event_new.html",
        status_code=form_status(error) if error else 200,
        form=form,
        error=error,
        errors=event_form.form_errors(error) if error else {},
        clashes=event_form.clashes_of(error),
        preview=recurrence_preview.quietly(form, zone(settings.timezone),
                                           settings.max_occurrences_per_series),
        copied=copied,
        saved=saved,
        **event_form.editor_choices(refs, copied, saved),
    )


async def _named_event(db: AsyncSession, value: str) -> Event:
    """The event ``?copy=`` or ``?again=`` names; anything else is a 404 page."""
    key = clean_text(value)[:20]
    if not (key.isascii() and key.isdigit()):
        raise not_found("活动", "event", key)
    return await get_event(db, int(key))


@get("/staff/events/new", guards=WRITE, include_in_schema=False)
async def new_event(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings
) -> Template:
    """A blank form; ``?copy=ID`` fills it with that event (复制为新活动); ``?again=ID`` is
    the form after 保存并新建, keeping what the next event of the run shares."""
    query = request.query_params
    if query.get("copy"):
        event = await _named_event(db, str(query["copy"]))
        out = await event_out(db, refs, event)
        repeat = repeat_of(event, settings.max_occurrences_per_series)
        return _form_page(request, refs, settings, event_form.copy_of(out, repeat), copied=out)
    if query.get("again"):
        out = await event_out(db, refs, await _named_event(db, str(query["again"])))
        return _form_page(request, refs, settings, event_form.next_after(out), saved=out)
    return _form_page(request, refs, settings, event_form.blank_form())


@post("/staff/events/new", guards=WRITE, include_in_schema=False)
async def submit_new_event(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings
) -> Response[Any]:
    """Saves the event; 保存并新建 (``then=new``) opens the next one's form instead of it."""
    posted = await request.form()
    form = event_form.read_form(posted, posted.getall("byday", []), posted.getall("ending", []))

    async def create() -> Event:
        data = event_form.to_create(form, settings.max_occurrences_per_series)
        return await create_event(db, data, settings)

    made = await attempt(db, create)
    if isinstance(made, DomainError):
        return _form_page(request, refs, settings, form, made)
    if posted.get("then") == "new":
        return see_other(f"/staff/events/new?again={made.id}")
    return see_other(f"/staff/events/{made.id}", "created")


async def staff_event_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    event_id: int,
    *,
    form: event_form.EventForm | None = None,
    error: DomainError | None = None,
    status_error: DomainError | None = None,
    picture_error: DomainError | None = None,
) -> Template:
    """The event: what it is, its status actions, its picture, its nights, and the edit
    form."""
    event = await get_event(db, event_id)
    await db.refresh(event)  # a refused change may have left it expired
    refs = await load_refs(db)
    out = await event_out(db, refs, event)
    max_count = settings.max_occurrences_per_series
    repeat = repeat_of(event, max_count)
    query = request.query_params
    nights = await staff_views.event_nights(
        db, refs, event, utcnow(),
        int_param(query.get("upcoming"), UPCOMING, 1, 5000),
        int_param(query.get("past"), 20, 1, 5000),
    )
    shown = error or status_error or picture_error
    picture = await records.shown_picture(db, event)
    sentence = describe(event, max_count)
    counts = await night_table.night_counts(db, event)
    form = form or event_form.from_event(out, repeat)
    return render(
        request,
        "staff/event.html",
        status_code=form_status(shown) if shown else 200,
        event=out,
        summary=night_table.held_sentence(event, sentence, counts),
        actions=[a for a, rule in TRANSITIONS.items()
                 if event.status in next(iter(rule.values()))],
        form=form,
        preview=recurrence_preview.quietly(form, zone(event.timezone), max_count),
        error=error,
        status_error=status_error,
        errors=event_form.form_errors(error) if error else {},
        clashes=event_form.clashes_of(error),
        status_clashes=event_form.clashes_of(status_error),
        nights=nights,
        night_clashes=await night_table.clash_marks(db, refs, event, nights.upcoming),
        picture=records.picture_out(settings, picture) if picture else None,
        picture_error=picture_error,
        done=done_message(request),
        **event_form.editor_choices(refs, out),
    )


@get("/staff/events/{event_id:int}", guards=WRITE, include_in_schema=False)
async def event_page(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int
) -> Template:
    return await staff_event_page(request, db, settings, event_id)


@post("/staff/events/{event_id:int}", guards=WRITE, include_in_schema=False)
async def submit_event(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int
) -> Response[Any]:
    posted = await request.form()
    form = event_form.read_form(posted, posted.getall("byday", []), posted.getall("ending", []))
    await get_event(db, event_id)  # an unknown event is a 404 page, not a form

    async def update() -> Event:
        data = event_form.to_update(form, settings.max_occurrences_per_series)
        return await update_event(db, event_id, data, settings)

    changed = await attempt(db, update)
    if isinstance(changed, DomainError):
        return await staff_event_page(request, db, settings, event_id, form=form, error=changed)
    return see_other(f"/staff/events/{event_id}", "saved")


@post("/staff/events/{event_id:int}/{action:str}", guards=WRITE, include_in_schema=False)
async def submit_status(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int, action: str
) -> Response[Any]:
    """publish, cancel or postpone (with a reason visitors see), or delete a draft."""
    if action not in (*TRANSITIONS, "delete"):
        raise not_found("操作", "action", action)
    form = await request.form()

    async def change() -> None:
        if action == "delete":
            await delete_draft(db, event_id)
            return
        try:
            data = StatusChange(reason=text(form, "reason", 300) or None,
                                allow_overlap=bool(form.get("allow_overlap")))
        except ValidationError as exc:
            raise from_validation(exc) from None
        await change_status(db, event_id, action, data, settings)

    refused = await attempt(db, change)
    if isinstance(refused, DomainError):
        return await staff_event_page(request, db, settings, event_id, status_error=refused)
    if action == "delete":
        return see_other("/staff/events", "deleted")
    return see_other(f"/staff/events/{event_id}", action)


EVENT_PAGES: list[Any] = [
    events,
    new_event,
    submit_new_event,
    event_page,
    submit_event,
    submit_status,
    *RECURRENCE_PAGES,
]
