"""Events and series: list, read, create, change, publish/cancel/postpone, delete a draft."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.pagination import OffsetPagination
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.errors import not_found
from bolin_events.routes.deps import (
    AnyRequest,
    Limit,
    Offset,
    check_visible,
    next_link,
    sees_drafts,
)
from bolin_events.schemas.events import (
    EventCreate,
    EventOut,
    EventUpdate,
    StatusChange,
)
from bolin_events.services.feeds.links import with_calendar
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
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
from bolin_events.settings import Settings

WRITE = [allow("programme:write")]


class EventController(Controller):
    path = "/api/v1/events"
    tags = ["events"]

    @get(
        "/",
        summary="List events",
        description="Public events (published, cancelled, postponed), filterable like feeds. "
        "Staff may ask for status=draft. In pages of `limit` (default 100, at most 500) with "
        "the `total`; while there is a next page, `Link: <…>; rel=\"next\"` names it.",
    )
    async def list_events(
        self,
        db: AsyncSession,
        settings: Settings,
        request: AnyRequest,
        refs: RefData,
        filters: Filters,
        limit: Limit = 100,
        offset: Offset = 0,
        status: str | None = Parameter(
            default=None, max_length=100, description="comma-separated statuses"
        ),
    ) -> Response[OffsetPagination[EventOut]]:
        statuses = listed_statuses(status, staff=sees_drafts(request))
        items, total = await list_events(db, refs, statuses, filters, limit, offset)
        items = [with_calendar(settings, item) for item in items]
        page = OffsetPagination[EventOut](items=items, total=total, limit=limit, offset=offset)
        return Response(page, headers=next_link(request, offset, len(items), total))

    @get("/{event_id:int}", summary="Get one event", description="Drafts only for staff.")
    async def get_event(
        self,
        db: AsyncSession,
        refs: RefData,
        settings: Settings,
        request: AnyRequest,
        event_id: int,
    ) -> EventOut:
        event = await get_event(db, event_id)
        check_visible(request, event, "活动", "event", event_id)
        return with_calendar(settings, await event_out(db, refs, event))

    @post(
        "/",
        guards=WRITE,
        summary="Create an event or series",
        description="A clash with another published event at the venue is a 409 naming it, "
        "unless allow_overlap is true. A series' start snaps to the rule's first instance.",
    )
    async def create_event(
        self, db: AsyncSession, refs: RefData, settings: Settings, data: EventCreate
    ) -> EventOut:
        event = await create_event(db, data, settings, refs=refs)
        return with_calendar(settings, await event_out(db, refs, event))

    @patch(
        "/{event_id:int}",
        guards=WRITE,
        summary="Change an event",
        description="Only fields sent change. Any change raises SEQUENCE; changing time, "
        "rule or venue re-expands the series, keeping exceptions whose night still exists.",
    )
    async def update_event(
        self, db: AsyncSession, refs: RefData, settings: Settings, event_id: int, data: EventUpdate
    ) -> EventOut:
        event = await update_event(db, event_id, data, settings)
        return with_calendar(settings, await event_out(db, refs, event))

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
        refs: RefData,
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
        return with_calendar(settings, await event_out(db, refs, event))


