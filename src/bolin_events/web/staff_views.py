"""What the staff workspace shows that the JSON API does not list: recent changes, one event's
nights (including skipped ones), and a text search over the events list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Event, Occurrence
from bolin_events.schemas.events import EventOut, OccurrenceOut
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import occurrence_out
from bolin_events.services.timing import zone


@dataclass(frozen=True)
class RecentChange:
    event_id: int
    title_zh: str
    title_en: str | None
    status: str
    sequence: int
    updated_at: datetime  # local time


async def recent_changes(session: AsyncSession, tz_name: str, limit: int) -> list[RecentChange]:
    """Events most recently changed first (every significant change raises SEQUENCE)."""
    tz = zone(tz_name)
    rows = await session.exec(
        select(Event).order_by(col(Event.updated_at).desc(), col(Event.id).desc()).limit(limit)
    )
    return [
        RecentChange(e.id or 0, e.title_zh, e.title_en, e.status, e.sequence,
                     e.updated_at.astimezone(tz))
        for e in rows
    ]


@dataclass(frozen=True)
class Nights:
    upcoming: list[OccurrenceOut]
    past: list[OccurrenceOut]
    more_upcoming: int
    more_past: int


async def event_nights(
    session: AsyncSession, refs: RefData, event: Event, now: datetime, upcoming: int, past: int
) -> Nights:
    """The next ``upcoming`` nights and the last ``past`` ones, skipped ones included (staff
    undo them), and how many more each way."""
    base = select(Occurrence).where(Occurrence.event_id == event.id)
    later = base.where(Occurrence.ends_at > now)
    earlier = base.where(Occurrence.ends_at <= now)
    next_rows = await session.exec(later.order_by(col(Occurrence.recurrence_id)).limit(upcoming))
    last_rows = await session.exec(
        earlier.order_by(col(Occurrence.recurrence_id).desc()).limit(past)
    )
    n_later = (await session.exec(select(func.count()).select_from(later.subquery()))).one()
    n_earlier = (await session.exec(select(func.count()).select_from(earlier.subquery()))).one()
    next_out = [occurrence_out(refs, o, event) for o in next_rows]
    last_out = [occurrence_out(refs, o, event) for o in last_rows]
    return Nights(next_out, last_out, n_later - len(next_out), n_earlier - len(last_out))


def matching(events: list[EventOut], text: str) -> list[EventOut]:
    """Events whose Chinese or English title or description holds ``text`` (any case)."""
    needle = text.strip().casefold()
    if not needle:
        return events
    return [
        e
        for e in events
        if any(
            needle in (value or "").casefold()
            for value in (e.title_zh, e.title_en, e.description_zh, e.description_en)
        )
    ]
