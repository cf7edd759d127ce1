"""Reading the programme: events as their public JSON shape, and the occurrences a calendar
shows in a window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import InvalidInput
from bolin_events.models import (
    PUBLIC_STATUSES,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)
from bolin_events.schemas.events import (
    EventOut,
    OccurrenceOut,
)
from bolin_events.services.filters import Filters, resolve
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.timing import (
    local_end,
    local_start,
    zone,
)


def listed_statuses(text: str | None, *, staff: bool) -> list[str]:
    """The statuses a list asks for: the public ones by default, drafts only for staff."""
    asked = [part.strip() for part in (text or "").split(",") if part.strip()]
    for status in asked:
        if status not in set(EventStatus):
            raise InvalidInput(
                f"未知状态「{status}」，可选 draft、published、cancelled、postponed。",
                f"Unknown status {status!r}; use draft, published, cancelled or postponed.",
                [{"field": "status", "value": status}],
            )
    return [s for s in asked or PUBLIC_STATUSES if staff or s != EventStatus.draft]


async def list_events(
    session: AsyncSession,
    refs: RefData,
    statuses: list[str],
    filters: Filters,
    limit: int,
    offset: int,
) -> tuple[list[EventOut], int]:
    """Events with these statuses that the filters select (services.filters: an event is in a
    village or at a venue when one of its nights is), in order of their first start."""
    selection = resolve(refs, filters)
    query = select(Event).where(
        col(Event.status).in_(statuses), *selection.listed_event_conditions()
    )
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    events = list(
        (
            await session.exec(
                query.order_by(col(Event.starts_at), col(Event.id)).offset(offset).limit(limit)
            )
        ).all()
    )
    counts = dict(
        (
            await session.exec(
                select(Occurrence.event_id, func.count())
                .where(
                    col(Occurrence.event_id).in_([e.id for e in events]),
                    Occurrence.state != OccurrenceState.skipped,
                )
                .group_by(col(Occurrence.event_id))
            )
        ).all()
    )
    return [event_to_out(refs, e, counts.get(e.id or 0, 0)) for e in events], total


async def event_out(session: AsyncSession, refs: RefData, event: Event) -> EventOut:
    count = (
        await session.exec(
            select(func.count())
            .select_from(Occurrence)
            .where(Occurrence.event_id == event.id, Occurrence.state != OccurrenceState.skipped)
        )
    ).one()
    return event_to_out(refs, event, count)


def event_to_out(refs: RefData, event: Event, occurrence_count: int) -> EventOut:
    tz = zone(event.timezone)
    return EventOut(
        **event.model_dump(
            include={
                "id",
                "uid",
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
                "all_day",
                "timezone",
                "rrule",
                "status",
                "status_reason",
                "sequence",
                "capacity",
                "price",
                "image_url",
                "contact",
                "source",
                "external_id",
                "created_at",
                "updated_at",
            }
        ),
        category=refs.ref(refs.categories.by_id[event.category_id]),
        venue=refs.venue_ref(event.venue_id),
        organizer=refs.ref(refs.organizers.by_id.get(event.organizer_id or -1)),
        programme=refs.ref(refs.programmes.by_id.get(event.programme_id or -1)),
        start=local_start(event.starts_at, tz, all_day=event.all_day),
        end=local_end(event.ends_at, tz, all_day=event.all_day),
        occurrence_count=occurrence_count,
    )


MAX_WINDOW = timedelta(days=731)


def window_check(start: datetime, end: datetime) -> None:
    if end <= start:
        raise InvalidInput("end 必须晚于 start。", "end must be after start.", [{"field": "end"}])
    if end - start > MAX_WINDOW:
        raise InvalidInput(
            "时间范围最多两年，请缩小 start 与 end 的范围。",
            "The window is at most two years; narrow start and end.",
            [{"field": "end"}],
        )


async def visible_occurrences(
    session: AsyncSession,
    refs: RefData,
    start: datetime,
    end: datetime,
    filters: Filters,
    *,
    limit: int | None = None,
) -> list[tuple[Occurrence, Event]]:
    """What a calendar shows in a window: public events, skipped nights left out, each night
    where it happens (services.filters).

    ``limit`` keeps the first ones (a page listing "what's next" needs no more).
    """
    window_check(start, end)
    selection = resolve(refs, filters)
    query = (
        select(Occurrence, Event)
        .join(Event, col(Event.id) == Occurrence.event_id)
        .where(
            col(Event.status).in_(PUBLIC_STATUSES),
            Occurrence.state != OccurrenceState.skipped,
            Occurrence.starts_at < end,
            Occurrence.ends_at > start,
            *selection.night_conditions(),
        )
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
    )
    if limit is not None:
        query = query.limit(limit)
    return [(o, e) for o, e in (await session.exec(query)).all()]


def occurrence_out(refs: RefData, occ: Occurrence, event: Event) -> OccurrenceOut:
    tz = zone(event.timezone)
    status: OccurrenceState | EventStatus = occ.state
    if event.status in (EventStatus.cancelled, EventStatus.postponed):
        status = event.status
    return OccurrenceOut(
        id=occurrence_id(event, occ),
        event_id=event.id or 0,
        title_zh=event.title_zh,
        title_en=event.title_en,
        all_day=event.all_day,
        start=local_start(occ.starts_at, tz, all_day=event.all_day),
        end=local_end(occ.ends_at, tz, all_day=event.all_day),
        original_start=local_start(occ.recurrence_id, tz, all_day=event.all_day),
        timezone=event.timezone,
        status=status,
        reason=occ.reason if occ.state != OccurrenceState.scheduled else event.status_reason,
        event_status=EventStatus(event.status),
        venue=refs.venue_ref(occ.venue_id),
        category=refs.ref(refs.categories.by_id[event.category_id]),
        programme=refs.ref(refs.programmes.by_id.get(event.programme_id or -1)),
        sequence=event.sequence,
    )
