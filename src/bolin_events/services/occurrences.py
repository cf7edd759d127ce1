"""Occurrences: expanding a series into rows, venue clashes, and the calendar's view of them."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, NotFound, VenueClash
from bolin_events.models import (
    PUBLIC_STATUSES,
    AttendanceReport,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    utcnow,
)
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.recurrence import expand, parse_rule
from bolin_events.services.refs import RefData
from bolin_events.services.timing import (
    local_end,
    local_start,
    parse_recurrence_key,
    recurrence_key,
    zone,
)

ACTIVE = (OccurrenceState.scheduled, OccurrenceState.moved)
MAX_WINDOW = timedelta(days=731)


def rule_starts(event: Event, max_count: int) -> list[datetime]:
    """UTC starts the event's rule gives (just its own start when it has no rule)."""
    if not event.rrule:
        return [event.starts_at]
    tz = zone(event.timezone)
    first = event.starts_at.astimezone(tz).replace(tzinfo=None)
    rule = parse_rule(event.rrule, max_count=max_count)
    local = expand(rule, first, tz=tz, all_day=event.all_day, max_count=max_count)
    return [s.replace(tzinfo=tz).astimezone(UTC) for s in local]


def wall_duration(event: Event) -> timedelta:
    tz = zone(event.timezone)
    return event.ends_at.astimezone(tz).replace(tzinfo=None) - event.starts_at.astimezone(
        tz
    ).replace(tzinfo=None)


def shifted_end(event: Event, start: datetime) -> datetime:
    """The end of an instance starting at ``start``, keeping the wall-clock length."""
    tz = zone(event.timezone)
    local = start.astimezone(tz).replace(tzinfo=None) + wall_duration(event)
    return local.replace(tzinfo=tz).astimezone(UTC)


async def sync(session: AsyncSession, event: Event, max_count: int) -> list[Occurrence]:
    """Make the stored occurrences match the rule, keeping ids and exceptions that still apply."""
    assert event.id is not None
    starts = rule_starts(event, max_count)
    existing = {
        o.recurrence_id: o
        for o in (await session.exec(select(Occurrence).where(Occurrence.event_id == event.id)))
    }
    now = utcnow()
    retimed = _same_nights(event, starts, existing)
    kept: list[Occurrence] = []
    for start in starts:
        row = existing.pop(start, None) or retimed.get(start)
        if row is not None and row.recurrence_id != start:  # the same night at a new time
            row.recurrence_id, row.updated_at = start, now
        if row is None:
            row = Occurrence(
                event_id=event.id,
                recurrence_id=start,
                starts_at=start,
                ends_at=shifted_end(event, start),
                venue_id=event.venue_id,
            )
        elif row.state != OccurrenceState.moved:
            new = (start, shifted_end(event, start), event.venue_id)
            if (row.starts_at, row.ends_at, row.venue_id) != new:
                row.starts_at, row.ends_at, row.venue_id = new
                row.updated_at = now
        session.add(row)
        kept.append(row)
    await _refuse_losing_reports(session, event, list(existing.values()))
    for gone in existing.values():
        await session.delete(gone)
    event.span_end = max(o.ends_at for o in kept)
    await session.flush()
    return kept


def _same_nights(
    event: Event, starts: list[datetime], existing: dict[datetime, Occurrence]
) -> dict[datetime, Occurrence]:
    """Stored nights that a changed start time moves within their day, by their new start.

    Re-timing a series (19:00 → 19:30) gives every night a new recurrence id; matching by the
    local day keeps each night's row, so its skip, move or cancellation and its attendance
    reports stay with it. Matched rows are taken out of ``existing``; what is left there has
    no counterpart on its day and is deleted by the caller.
    """
    tz = zone(event.timezone)
    wanted = set(starts)
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for rid in sorted(existing):
        if rid not in wanted:
            by_day[rid.astimezone(tz).date()].append(existing[rid])
    matched: dict[datetime, Occurrence] = {}
    for start in starts:
        if start in existing:
            continue
        same_day = by_day.get(start.astimezone(tz).date())
        if same_day:
            matched[start] = existing.pop(same_day.pop(0).recurrence_id)
    return matched


async def _refuse_losing_reports(
    session: AsyncSession, event: Event, gone: list[Occurrence]
) -> None:
    """A change that would drop a night with attendance reports is refused: figures are kept."""
    if not gone:
        return
    reported = (
        await session.exec(
            select(Occurrence)
            .where(col(Occurrence.id).in_([o.id for o in gone]))
            .where(
                select(AttendanceReport.id)
                .where(AttendanceReport.occurrence_id == Occurrence.id)
                .exists()
            )
            .order_by(col(Occurrence.recurrence_id))
        )
    ).all()
    if reported:
        keys = ", ".join(occurrence_id(event, o) for o in reported[:5])
        raise Conflict(
            f"这次修改会删掉已上报人次的场次（{keys}），为保留统计，不能这样改。"
            "请只修改未来的场次，或为新安排另建活动。",
            f"This change would remove nights that already have attendance reports ({keys}); "
            "reported figures are kept, so the change is refused. Change later nights only, "
            "or create a new event for the new pattern.",
            [{"occurrence_id": occurrence_id(event, o)} for o in reported],
        )


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
        "如确需同时进行，请设置 allow_overlap=true。",
        f"Venue clash: {venue.slug} already has “{other_title}” at {when}{more_en}. "
        "Send allow_overlap=true if the overlap is intended.",
        details,
    )


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


def occurrence_id(event: Event, occ: Occurrence) -> str:
    key = recurrence_key(occ.recurrence_id, zone(event.timezone), all_day=event.all_day)
    return f"{event.id}-{key}"


async def get_occurrence(session: AsyncSession, key: str) -> tuple[Event, Occurrence]:
    event_part, _, rid_part = key.partition("-")
    missing = NotFound(
        f"找不到场次「{key}」。场次编号形如 12-20270604T190000（见 /api/v1/occurrences）。",
        f"No occurrence {key!r}; ids look like 12-20270604T190000 (see /api/v1/occurrences).",
        [{"field": "occurrence_id", "value": key}],
    )
    # isascii: "²".isdigit() is true, and int() refuses it.
    digits = event_part.isascii() and event_part.isdigit() and len(event_part) <= 10
    if not (digits and is_valid_id(int(event_part))):
        raise missing
    event = await session.get(Event, int(event_part))
    if event is None:
        raise missing
    rid = parse_recurrence_key(rid_part, zone(event.timezone))
    occ = None
    if rid is not None:
        occ = (
            await session.exec(
                select(Occurrence).where(
                    Occurrence.event_id == event.id, Occurrence.recurrence_id == rid
                )
            )
        ).first()
    if occ is None:
        raise missing
    return event, occ


@dataclass
class Filters:
    categories: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)


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
    """What a calendar shows in a window: public events, skipped nights left out.

    ``limit`` keeps the first ones (a page listing "what's next" needs no more).
    """
    window_check(start, end)
    query = (
        select(Occurrence, Event)
        .join(Event, col(Event.id) == Occurrence.event_id)
        .where(
            col(Event.status).in_(PUBLIC_STATUSES),
            Occurrence.state != OccurrenceState.skipped,
            Occurrence.starts_at < end,
            Occurrence.ends_at > start,
        )
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
    )
    if filters.categories:
        ids = {refs.categories.get(s).id for s in filters.categories}
        query = query.where(col(Event.category_id).in_(ids))
    venue_ids: set[int | None] | None = None
    if filters.venues:
        venue_ids = {refs.venues.get(s).id for s in filters.venues}
    if filters.villages:
        village_ids = {refs.villages.get(s).id for s in filters.villages}
        in_villages: set[int | None] = set(refs.venues_in(village_ids))
        venue_ids = in_villages if venue_ids is None else venue_ids & in_villages
    if venue_ids is not None:
        query = query.where(col(Occurrence.venue_id).in_(venue_ids))
    if filters.programmes:
        programme_ids: set[int] = set()
        for slug in filters.programmes:
            programme = refs.programmes.get(slug)
            assert programme.id is not None
            programme_ids |= refs.programme_and_descendants(programme.id)
        query = query.where(col(Event.programme_id).in_(programme_ids))
    if limit is not None:
        query = query.limit(limit)
    return [(o, e) for o, e in (await session.exec(query)).all()]


def occurrence_out(refs: RefData, occ: Occurrence, event: Event) -> OccurrenceOut:
    tz = zone(event.timezone)
    status = occ.state
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
