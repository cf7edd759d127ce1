"""Venue clashes: a published event's nights may not overlap another's at the same venue,
unless the scheduler says the overlap is intended.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import VenueClash
from bolin_events.models import (
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.timing import (
    zone,
)

ACTIVE = (OccurrenceState.scheduled, OccurrenceState.moved)
VENUE_LOCKS = 0x76656E  # the advisory-lock class of venue bookings ("ven")


@dataclass(frozen=True)
class Clash:
    occurrence: Occurrence
    other: Occurrence
    other_event: Event


async def check_clashes(
    session: AsyncSession,
    event: Event,
    occurrences: list[Occurrence],
    refs: RefData,
    *,
    allow: bool,
) -> None:
    """Refuse (409) an overlap with another published event at the same venue."""
    if allow or event.status == EventStatus.cancelled:
        return
    mine = [o for o in occurrences if o.state in ACTIVE and o.venue_id is not None]
    if not mine:
        return
    await _book(session, {o.venue_id for o in mine if o.venue_id is not None})
    lo, hi = min(o.starts_at for o in mine), max(o.ends_at for o in mine)
    rows = (
        await session.exec(
            select(Occurrence, Event)
            .join(Event, col(Event.id) == Occurrence.event_id)
            .where(
                col(Occurrence.venue_id).in_({o.venue_id for o in mine}),
                Occurrence.event_id != event.id,
                Event.status == EventStatus.published,
                col(Occurrence.state).in_(ACTIVE),
                Occurrence.starts_at < hi,
                Occurrence.ends_at > lo,
            )
            .order_by(col(Occurrence.starts_at))
        )
    ).all()
    clashes = _overlaps(mine, list(rows))
    if not clashes:
        return
    first = clashes[0]
    venue = refs.venues.by_id[first.other.venue_id or 0]
    tz = zone(first.other_event.timezone)
    when = first.other.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    details = [
        {
            "occurrence_id": occurrence_id(c.other_event, c.other),
            "event_id": c.other_event.id,
            "title": c.other_event.title_zh,
            "venue": refs.venues.by_id[c.other.venue_id or 0].slug,
            "start": c.other.starts_at.astimezone(tz).isoformat(),
            "end": c.other.ends_at.astimezone(tz).isoformat(),
        }
        for c in clashes[:10]
    ]
    other_title = first.other_event.title_en or first.other_event.title_zh
    more_zh = f"等 {len(clashes)} 处" if len(clashes) > 1 else ""
    more_en = f" and {len(clashes) - 1} more" if len(clashes) > 1 else ""
    raise VenueClash(
        f"场地冲突：{venue.name_zh} 在 {when} 已有「{first.other_event.title_zh}」{more_zh}。"
        "如确需同时使用该场地，请确认重叠后再保存。",
        f"Venue clash: {venue.slug} already has “{other_title}” at {when}{more_en}. "
        "Send allow_overlap=true if the overlap is intended.",
        details,
    )


async def _book(session: AsyncSession, venue_ids: set[int]) -> None:
    """Hold the venues until this transaction ends, so that two bookings of one venue are
    checked one after the other: the second sees the first once it has committed.

    On PostgreSQL a transaction-scoped advisory lock per venue (in id order, so two bookings
    of the same venues cannot deadlock); a plain SELECT would let fifty simultaneous bookings
    of one evening all pass. SQLite needs none: a writing transaction holds the database's
    one write lock from its start (db.WRITE_OPTION).
    """
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return
    for venue_id in sorted(venue_ids):
        await connection.execute(text("SELECT pg_advisory_xact_lock(:kind, :venue)"),
                                 {"kind": VENUE_LOCKS, "venue": venue_id})


def _overlaps(mine: list[Occurrence], others: list[tuple[Occurrence, Event]]) -> list[Clash]:
    by_venue: dict[int | None, list[tuple[Occurrence, Event]]] = {}
    for pair in others:
        by_venue.setdefault(pair[0].venue_id, []).append(pair)
    longest = max((o.ends_at - o.starts_at for o, _ in others), default=timedelta(0))
    clashes = []
    for occ in mine:
        candidates = by_venue.get(occ.venue_id, [])
        starts = [o.starts_at for o, _ in candidates]
        # Only those starting in [occ.start - longest, occ.end) can overlap.
        lo = bisect.bisect_left(starts, occ.starts_at - longest)
        hi = bisect.bisect_left(starts, occ.ends_at)
        for other, other_event in candidates[lo:hi]:
            if other.ends_at > occ.starts_at:
                clashes.append(Clash(occ, other, other_event))
    return clashes
