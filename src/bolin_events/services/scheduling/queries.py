"""Reading the programme: events as their public JSON shape, and the occurrences a calendar
shows in a window.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
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
from bolin_events.services.timing import (
    local_end,
    local_start,
    recurrence_key,
    zone,
)


def listed_statuses(text: str | None, *, staff: bool) -> list[str]:
    """The statuses a list asks for: the public ones by default, drafts only for staff."""
    asked = [part.strip() for part in (text or "").split(",") if part.strip()]
    for status in asked:
        if status not in set(EventStatus):
            raise InvalidInput(
                f"无法识别状态「{status}」，可选：draft（草稿）、published（已发布）、"
                "cancelled（已取消）、postponed（已延期）。",
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
                "calendar_rule",
                "status",
                "status_reason",
                "sequence",
                "capacity",
                "course",
                "enrolled",
                "completed",
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
        raise InvalidInput(
            "结束时间必须晚于开始时间。", "end must be after start.", [{"field": "end"}]
        )
    if end - start > MAX_WINDOW:
        raise InvalidInput(
            "时间范围最多两年，请缩小起止时间的范围。",
            "The window is at most two years; narrow start and end.",
            [{"field": "end"}],
        )


class NightRow(NamedTuple):
    """One night as a calendar lists it, with what it shows of its event: plain columns,
    not ORM objects (a month of a busy town is thousands of nights)."""

    event_id: int
    recurrence_id: datetime
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    state: str
    reason: str | None
    timezone: str
    all_day: bool
    status: str
    status_reason: str | None
    title_zh: str
    title_en: str | None
    category_id: int
    programme_id: int | None
    sequence: int

    @classmethod
    def of(cls, occ: Occurrence, event: Event) -> NightRow:
        return cls(event.id or 0, occ.recurrence_id, occ.starts_at, occ.ends_at, occ.venue_id,
                   occ.state, occ.reason, event.timezone, event.all_day, event.status,
                   event.status_reason, event.title_zh, event.title_en, event.category_id,
                   event.programme_id, event.sequence)


NIGHT_COLUMNS = (
    col(Occurrence.event_id), col(Occurrence.recurrence_id), col(Occurrence.starts_at),
    col(Occurrence.ends_at), col(Occurrence.venue_id), col(Occurrence.state),
    col(Occurrence.reason), col(Event.timezone), col(Event.all_day), col(Event.status),
    col(Event.status_reason), col(Event.title_zh), col(Event.title_en), col(Event.category_id),
    col(Event.programme_id), col(Event.sequence),
)


async def visible_occurrences(
    session: AsyncSession,
    refs: RefData,
    start: datetime,
    end: datetime,
    filters: Filters,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[NightRow]:
    """What a calendar shows in a window: public events, skipped nights left out, each night
    where it happens (services.filters), in start order.

    ``limit`` keeps the first ones (a page listing "what's next" needs no more).
    """
    query = _visible(refs, start, end, filters)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    connection = await session.connection()
    return [NightRow._make(row) for row in await connection.execute(query)]


def _visible(refs: RefData, start: datetime, end: datetime, filters: Filters) -> Any:
    window_check(start, end)
    selection = resolve(refs, filters)
    return (
        sa_select(*NIGHT_COLUMNS)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(
            col(Event.status).in_(PUBLIC_STATUSES),
            col(Occurrence.state) != OccurrenceState.skipped,
            col(Occurrence.starts_at) < end,
            col(Occurrence.ends_at) > start,
            *selection.night_conditions(),
        )
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
    )


async def visible_occurrences_page(
    session: AsyncSession,
    refs: RefData,
    start: datetime,
    end: datetime,
    filters: Filters,
    limit: int,
    offset: int,
) -> tuple[list[NightRow], int]:
    """One page of ``visible_occurrences`` and the window's total."""
    nights = await visible_occurrences(
        session, refs, start, end, filters, limit=limit, offset=offset
    )
    if offset == 0 and len(nights) < limit:
        return nights, len(nights)  # the whole window: no need to count
    query = _visible(refs, start, end, filters).with_only_columns(func.count())
    connection = await session.connection()
    return nights, int((await connection.execute(query.order_by(None))).scalar_one())


def occurrence_out(refs: RefData, occ: Occurrence, event: Event) -> OccurrenceOut:
    return night_out(refs, NightRow.of(occ, event))


def night_out(refs: RefData, night: NightRow) -> OccurrenceOut:
    """The night as calendars and pages show it. Built without validation: every value comes
    from stored rows of the right types (a year's calendar is thousands of these)."""
    tz = zone(night.timezone)
    status: str = night.state
    if night.status in (EventStatus.cancelled, EventStatus.postponed):
        status = night.status
    key = recurrence_key(night.recurrence_id, tz, all_day=night.all_day)
    return OccurrenceOut.model_construct(
        id=f"{night.event_id}-{key}",
        event_id=night.event_id,
        title_zh=night.title_zh,
        title_en=night.title_en,
        all_day=night.all_day,
        start=local_start(night.starts_at, tz, all_day=night.all_day),
        end=local_end(night.ends_at, tz, all_day=night.all_day),
        original_start=local_start(night.recurrence_id, tz, all_day=night.all_day),
        timezone=night.timezone,
        status=status,
        reason=night.reason if night.state != OccurrenceState.scheduled else night.status_reason,
        event_status=EventStatus(night.status),
        venue=refs.venue_ref(night.venue_id),
        category=refs.ref(refs.categories.by_id[night.category_id]),
        programme=refs.ref(refs.programmes.by_id.get(night.programme_id or -1)),
        sequence=night.sequence,
    )
