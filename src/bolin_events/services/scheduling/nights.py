"""Commands on one night of a series: skip it, cancel it, move it, or restore the rule's plan.

A night of a closed year (封账, services.years) — or a move into one — is refused: the year's
figures are frozen. ``tz`` is the zone years are counted in (BOLIN_TIMEZONE).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict
from bolin_events.models import (
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    utcnow,
)
from bolin_events.schemas.events import (
    OccurrenceCancel,
    OccurrenceMove,
)
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.clashes import check_clashes
from bolin_events.services.scheduling.events import touch
from bolin_events.services.scheduling.occurrences import get_occurrence, is_series, shifted_end
from bolin_events.services.timing import span, zone
from bolin_events.services.years import ensure_open_at


async def _series_occurrence(
    session: AsyncSession, key: str, tz: ZoneInfo
) -> tuple[Event, Occurrence]:
    event, occ = await get_occurrence(session, key)
    if not is_series(event):
        raise Conflict(
            "这是单次活动：请直接修改或取消活动本身。",
            "This is a single event: edit or cancel the event itself.",
        )
    if event.status == EventStatus.cancelled:
        raise Conflict("整个活动已取消。", "The whole event is cancelled.")
    await ensure_open_at(session, [occ.starts_at], tz)
    return event, occ


async def skip_occurrence(
    session: AsyncSession, key: str, *, tz: ZoneInfo
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key, tz)
    return await _set_state(session, event, occ, OccurrenceState.skipped, None)


async def cancel_occurrence(
    session: AsyncSession, key: str, data: OccurrenceCancel, *, tz: ZoneInfo
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key, tz)
    return await _set_state(session, event, occ, OccurrenceState.cancelled, data.reason)


async def restore_occurrence(
    session: AsyncSession, key: str, *, tz: ZoneInfo, allow_overlap: bool = False
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key, tz)
    await ensure_open_at(session, [occ.recurrence_id], tz)
    occ.starts_at = occ.recurrence_id
    occ.ends_at = shifted_end(event, occ.recurrence_id)
    occ.venue_id = event.venue_id
    await _set_state(session, event, occ, OccurrenceState.scheduled, None)
    refs = await load_refs(session)
    await check_clashes(session, event, [occ], refs, allow=allow_overlap)
    return event, occ


async def move_occurrence(
    session: AsyncSession, key: str, data: OccurrenceMove, *, tz: ZoneInfo
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key, tz)
    refs = await load_refs(session)
    starts_at, ends_at = span(data.start, data.end, zone(event.timezone), all_day=event.all_day)
    await ensure_open_at(session, [starts_at], tz)
    occ.starts_at, occ.ends_at = starts_at, ends_at
    if data.venue:
        occ.venue_id = refs.venues.get(data.venue).id
    await _set_state(session, event, occ, OccurrenceState.moved, data.reason)
    await check_clashes(session, event, [occ], refs, allow=data.allow_overlap)
    return event, occ


async def _set_state(
    session: AsyncSession, event: Event, occ: Occurrence, state: OccurrenceState, reason: str | None
) -> tuple[Event, Occurrence]:
    occ.state, occ.reason, occ.updated_at = state, reason, utcnow()
    touch(event)
    session.add_all([occ, event])
    await session.flush()
    spans = (
        await session.exec(
            select(func.max(Occurrence.ends_at)).where(Occurrence.event_id == event.id)
        )
    ).one()
    if spans is not None:
        event.span_end = spans
    return event, occ
