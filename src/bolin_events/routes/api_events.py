"""Events, their status, one-night exceptions, and the expanded occurrences."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow, may
from bolin_events.errors import not_found
from bolin_events.models import EventStatus
from bolin_events.routes.params import Limit, Offset, SlugList, filters, moment
from bolin_events.schemas.common import Page
from bolin_events.schemas.events import (
    EventCreate,
    EventOut,
    EventUpdate,
    OccurrenceCancel,
    OccurrenceMove,
    OccurrenceOut,
    OccurrenceRestore,
    StatusChange,
)
from bolin_events.services.feeds.links import with_calendar
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.events import (
    TRANSITIONS,
    change_status,
    create_event,
    delete_draft,
    get_event,
    update_event,
)
from bolin_events.services.scheduling.nights import (
    cancel_occurrence,
    move_occurrence,
    restore_occurrence,
    skip_occurrence,
)
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.queries import (
    event_out,
    list_events,
    listed_statuses,
    occurrence_out,
    visible_occurrences,
)
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

WRITE = [allow("programme:write")]
AnyRequest = Request[Any, Any, Any]


class EventController(Controller):
    path = "/api/v1/events"
    tags = ["events"]

    @get(
        "/",
        summary="List events",
        description="Public events (published, cancelled, postponed), filterable like feeds. "
        "Staff may ask for status=draft.",
    )
    async def list_events(
        self,
        db: AsyncSession,
        settings: Settings,
        request: AnyRequest,
        limit: Limit = 100,
        offset: Offset = 0,
        category: SlugList = None,
        village: SlugList = None,
        venue: SlugList = None,
        programme: SlugList = None,
        status: str | None = Parameter(
            default=None, max_length=100, description="comma-separated statuses"
        ),
    ) -> Page[EventOut]:
        statuses = listed_statuses(
            status, staff=may(request.scope["user"], "programme:write")
        )
        refs = await load_refs(db)
        items, total = await list_events(
            db, refs, statuses, filters(category, village, venue, programme), limit, offset
        )
        items = [with_calendar(settings, item) for item in items]
        return Page[EventOut](items=items, total=total, limit=limit, offset=offset)

    @get("/{event_id:int}", summary="Get one event", description="Drafts only for staff.")
    async def get_event(
        self, db: AsyncSession, settings: Settings, request: AnyRequest, event_id: int
    ) -> EventOut:
        event = await get_event(db, event_id)
        if event.status == EventStatus.draft and not may(request.scope["user"], "programme:write"):
            raise not_found("活动", "event", event_id)
        return with_calendar(settings, await event_out(db, await load_refs(db), event))

    @post(
        "/",
        guards=WRITE,
        summary="Create an event or series",
        description="A clash with another published event at the venue is a 409 naming it, "
        "unless allow_overlap is true. A series' start snaps to the rule's first instance.",
    )
    async def create_event(
        self, db: AsyncSession, settings: Settings, data: EventCreate
    ) -> EventOut:
        event = await create_event(db, data, settings)
        return with_calendar(settings, await event_out(db, await load_refs(db), event))

    @patch(
        "/{event_id:int}",
        guards=WRITE,
        summary="Change an event",
        description="Only fields sent change. Any change raises SEQUENCE; changing time, "
        "rule or venue re-expands the series, keeping exceptions whose night still exists.",
    )
    async def update_event(
        self, db: AsyncSession, settings: Settings, event_id: int, data: EventUpdate
    ) -> EventOut:
        event = await update_event(db, event_id, data, settings)
        return with_calendar(settings, await event_out(db, await load_refs(db), event))

    @delete(
        "/{event_id:int}",
        guards=WRITE,
        summary="Delete a draft",
        description="Only drafts; a public event is cancelled instead.",
    )
    async def delete_event(self, db: AsyncSession, event_id: int) -> None:
        await delete_draft(db, event_id)

    @post(
        "/{event_id:int}/{action:str}",
        guards=WRITE,
        status_code=200,
        summary="Publish, cancel or postpone",
        description="action is publish, cancel or postpone. Cancel and postpone need a "
        "reason. Draft→published; published→cancelled|postponed; postponed→published|"
        "cancelled.",
    )
    async def change_status(
        self,
        db: AsyncSession,
        settings: Settings,
        event_id: int,
        action: str,
        data: StatusChange | None = None,
    ) -> EventOut:
        if action not in TRANSITIONS:
            raise not_found("操作", "action", action)
        event = await change_status(
            db, event_id, action, data or StatusChange(), settings
        )
        return with_calendar(settings, await event_out(db, await load_refs(db), event))


class OccurrenceController(Controller):
    path = "/api/v1/occurrences"
    tags = ["occurrences"]

    @get(
        "/",
        summary="Expanded occurrences in a window",
        description="What a calendar shows between start and end (dates or date-times, at "
        "most two years apart): moved nights at their new time, skipped ones absent, "
        "cancelled ones with status cancelled. Filter like feeds: ?category=a,b&village=c.",
    )
    async def list_occurrences(
        self,
        db: AsyncSession,
        settings: Settings,
        start: str,
        end: str,
        category: SlugList = None,
        village: SlugList = None,
        venue: SlugList = None,
        programme: SlugList = None,
    ) -> list[OccurrenceOut]:
        tz = zone(settings.timezone)
        refs = await load_refs(db)
        rows = await visible_occurrences(
            db,
            refs,
            moment(start, tz, "start"),
            moment(end, tz, "end"),
            filters(category, village, venue, programme),
        )
        return [occurrence_out(refs, o, e) for o, e in rows]

    @get("/{occurrence_id:str}", summary="One occurrence")
    async def get_occurrence(
        self, db: AsyncSession, request: AnyRequest, occurrence_id: str
    ) -> OccurrenceOut:
        event, occ = await get_occurrence(db, occurrence_id)
        if event.status == EventStatus.draft and not may(request.scope["user"], "programme:write"):
            raise not_found("场次", "occurrence", occurrence_id)
        return occurrence_out(await load_refs(db), occ, event)

    @post(
        "/{occurrence_id:str}/skip",
        guards=WRITE,
        status_code=200,
        summary="Skip one night",
        description="It leaves the calendar (EXDATE).",
    )
    async def skip(self, db: AsyncSession, occurrence_id: str) -> OccurrenceOut:
        event, occ = await skip_occurrence(db, occurrence_id)
        return occurrence_out(await load_refs(db), occ, event)

    @post(
        "/{occurrence_id:str}/cancel",
        guards=WRITE,
        status_code=200,
        summary="Cancel one night",
        description="It stays in the calendar, marked cancelled.",
    )
    async def cancel(
        self, db: AsyncSession, occurrence_id: str, data: OccurrenceCancel
    ) -> OccurrenceOut:
        event, occ = await cancel_occurrence(db, occurrence_id, data)
        return occurrence_out(await load_refs(db), occ, event)

    @post(
        "/{occurrence_id:str}/move",
        guards=WRITE,
        status_code=200,
        summary="Move one night",
        description="New start/end, maybe a new venue; its id "
        "stays the same. A clash at the venue is a 409 unless allow_overlap is true.",
    )
    async def move(
        self, db: AsyncSession, occurrence_id: str, data: OccurrenceMove
    ) -> OccurrenceOut:
        event, occ = await move_occurrence(db, occurrence_id, data)
        return occurrence_out(await load_refs(db), occ, event)

    @post(
        "/{occurrence_id:str}/restore",
        guards=WRITE,
        status_code=200,
        summary="Undo a skip, move or cancel",
        description="Back to the rule's time and venue. A clash at the venue is a 409 unless "
        "the (optional) body says allow_overlap: true.",
    )
    async def restore(
        self, db: AsyncSession, occurrence_id: str, data: OccurrenceRestore | None = None
    ) -> OccurrenceOut:
        event, occ = await restore_occurrence(
            db, occurrence_id, allow_overlap=bool(data and data.allow_overlap)
        )
        return occurrence_out(await load_refs(db), occ, event)
