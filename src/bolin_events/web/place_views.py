"""What a venue's and an organizer's public pages list.

A venue's nights are the public lists' own (``public_views.nights_between`` with the venue
filter: a night moved there belongs there). Filters know no organizer, so an organizer's page
asks for each of its public events' next night held, one row per event.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import PUBLIC_STATUSES, Event, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import MAX_WINDOW, NIGHT_COLUMNS, NightRow, night_out
from bolin_events.web.public_views import Day, group_by_day, nights_between

VENUE_NIGHTS = 200
ORGANIZER_EVENTS = 50
HELD = (OccurrenceState.scheduled, OccurrenceState.moved)


async def venue_nights(
    session: AsyncSession, refs: RefData, tz: ZoneInfo, now: datetime, slug: str
) -> list[Day]:
    """The nights still to come at the venue, by day (one under way goes under today)."""
    nights = await nights_between(session, refs, now, now + MAX_WINDOW,
                                  Filters(venues=[slug]), VENUE_NIGHTS)
    return group_by_day(nights, now.astimezone(tz).date())


async def organizer_next_nights(
    session: AsyncSession, refs: RefData, now: datetime, organizer_id: int
) -> list[OccurrenceOut]:
    """Each public event of the organizer with a night still to be held: that next night, the
    soonest first. An event whose remaining nights are all cancelled is left out."""
    coming = and_(
        col(Event.organizer_id) == organizer_id,
        col(Event.status).in_(PUBLIC_STATUSES),
        col(Occurrence.state).in_(HELD),
        col(Occurrence.ends_at) > now,
    )
    first = (
        sa_select(col(Occurrence.event_id).label("event_id"),
                  func.min(col(Occurrence.starts_at)).label("starts_at"))
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(coming)
        .group_by(col(Occurrence.event_id))
        .subquery()
    )
    query = (
        sa_select(*NIGHT_COLUMNS)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .join(first, and_(first.c.event_id == col(Occurrence.event_id),
                          first.c.starts_at == col(Occurrence.starts_at)))
        .where(coming)
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
        .limit(ORGANIZER_EVENTS)
    )
    connection = await session.connection()
    nights: dict[int, NightRow] = {}  # two nights of an event at one time: the first
    for row in await connection.execute(query):
        nights.setdefault(row.event_id, NightRow._make(row))
    return [night_out(refs, night) for night in nights.values()]
