"""Occurrences: the expanded nights a calendar shows, one night read, and one-night changes
(skip, cancel, move, restore)."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.routes.deps import (
    MAX_NIGHTS_PAGE,
    NIGHTS_PAGE,
    AnyRequest,
    NightsPage,
    Offset,
    check_visible,
    moment,
    next_link,
)
from bolin_events.schemas.events import (
    OccurrenceCancel,
    OccurrenceMove,
    OccurrenceOut,
    OccurrenceRestore,
)
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.nights import (
    cancel_occurrence,
    move_occurrence,
    restore_occurrence,
    skip_occurrence,
)
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.queries import (
    night_out,
    occurrence_out,
    visible_occurrences_page,
)
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

WRITE = [allow("programme:write")]


class OccurrenceController(Controller):
    path = "/api/v1/occurrences"
    tags = ["occurrences"]

    @get(
        "/",
        summary="Expanded occurrences in a window",
        description="What a calendar shows between start and end (dates or date-times, at "
        "most two years apart): moved nights at their new time, skipped ones absent, "
        "cancelled ones with status cancelled. Filter like feeds: ?category=a,b&village=c."
        f"\n\nIn pages of `limit` nights (default {NIGHTS_PAGE}, at most {MAX_NIGHTS_PAGE}; a "
        "month of a busy town fits one), in start order: the body is the page's array, the "
        "header `X-Total-Count` the window's total and `Link: <…>; rel=\"next\"` the next "
        "page's address, sent while there is one.",
    )
    async def list_occurrences(
        self,
        request: AnyRequest,
        db: AsyncSession,
        refs: RefData,
        settings: Settings,
        start: str,
        end: str,
        filters: Filters,
        limit: NightsPage = NIGHTS_PAGE,
        offset: Offset = 0,
    ) -> Response[list[OccurrenceOut]]:
        tz = zone(settings.timezone)
        window = (moment(start, tz, "start"), moment(end, tz, "end"))
        rows, total = await visible_occurrences_page(db, refs, *window, filters, limit, offset)
        headers = {"X-Total-Count": str(total), **next_link(request, offset, len(rows), total)}
        return Response([night_out(refs, night) for night in rows], headers=headers)

    @get("/{occurrence_id:str}", summary="One occurrence")
    async def get_occurrence(
        self, db: AsyncSession, refs: RefData, request: AnyRequest, occurrence_id: str
    ) -> OccurrenceOut:
        event, occ = await get_occurrence(db, occurrence_id)
        check_visible(request, event, "场次", "occurrence", occurrence_id)
        return occurrence_out(refs, occ, event)

    @post(
        "/{occurrence_id:str}/skip",
        guards=WRITE,
        status_code=200,
        summary="Skip one night",
        description="It leaves the calendar (EXDATE).",
    )
    async def skip(
        self, db: AsyncSession, refs: RefData, settings: Settings, occurrence_id: str
    ) -> OccurrenceOut:
        event, occ = await skip_occurrence(db, occurrence_id, tz=zone(settings.timezone))
        return occurrence_out(refs, occ, event)

    @post(
        "/{occurrence_id:str}/cancel",
        guards=WRITE,
        status_code=200,
        summary="Cancel one night",
        description="It stays in the calendar, marked cancelled.",
    )
    async def cancel(
        self, db: AsyncSession, refs: RefData, settings: Settings, occurrence_id: str,
        data: OccurrenceCancel,
    ) -> OccurrenceOut:
        event, occ = await cancel_occurrence(db, occurrence_id, data, tz=zone(settings.timezone))
        return occurrence_out(refs, occ, event)

    @post(
        "/{occurrence_id:str}/move",
        guards=WRITE,
        status_code=200,
        summary="Move one night",
        description="New start/end, maybe a new venue; its id "
        "stays the same. A clash at the venue is a 409 unless allow_overlap is true.",
    )
    async def move(
        self, db: AsyncSession, refs: RefData, settings: Settings, occurrence_id: str,
        data: OccurrenceMove,
    ) -> OccurrenceOut:
        event, occ = await move_occurrence(db, occurrence_id, data, tz=zone(settings.timezone))
        return occurrence_out(refs, occ, event)

    @post(
        "/{occurrence_id:str}/restore",
        guards=WRITE,
        status_code=200,
        summary="Undo a skip, move or cancel",
        description="Back to the rule's time and venue. A clash at the venue is a 409 unless "
        "the (optional) body says allow_overlap: true.",
    )
    async def restore(
        self,
        db: AsyncSession,
        refs: RefData,
        settings: Settings,
        occurrence_id: str,
        data: OccurrenceRestore | None = None,
    ) -> OccurrenceOut:
        event, occ = await restore_occurrence(
            db, occurrence_id, tz=zone(settings.timezone),
            allow_overlap=bool(data and data.allow_overlap),
        )
        return occurrence_out(refs, occ, event)
