"""Scheduling rules: events and series, their status, and exceptions to single nights.

Every change a calendar must notice raises the event's SEQUENCE and ``updated_at``
(ICAL.md: Google ignores an edit whose SEQUENCE did not rise).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, not_found
from bolin_events.models import (
    PUBLIC_STATUSES,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    utcnow,
)
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.events import (
    EventCreate,
    EventOut,
    EventUpdate,
    OccurrenceCancel,
    OccurrenceMove,
    StatusChange,
)
from bolin_events.services import occurrences as occ_service
from bolin_events.services.recurrence import parse_rule
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.timing import local_end, local_start, span, zone
from bolin_events.settings import Settings

TEXT_FIELDS = (
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "capacity",
    "price",
    "image_url",
    "contact",
)
TIMING_FIELDS = ("all_day", "start", "end", "timezone", "rrule")
TRANSITIONS: dict[str, dict[str, set[str]]] = {
    "publish": {EventStatus.published: {EventStatus.draft, EventStatus.postponed}},
    "cancel": {
        EventStatus.cancelled: {EventStatus.draft, EventStatus.published, EventStatus.postponed}
    },
    "postpone": {EventStatus.postponed: {EventStatus.published}},
}
STATUS_ZH = {"draft": "草稿", "published": "已发布", "cancelled": "已取消", "postponed": "已延期"}


def _normalise_rule(text: str | None, *, all_day: bool, tz_name: str, max_count: int) -> str | None:
    if text is None or not text.strip():
        return None
    rule = parse_rule(text, max_count=max_count)
    return rule.to_ical(all_day=all_day, tz=zone(tz_name))


def _touch(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()


async def get_event(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id) if is_valid_id(event_id) else None
    if event is None:
        raise not_found("活动", "event", event_id)
    return event


async def _place_in_time(
    session: AsyncSession, event: Event, refs: RefData, settings: Settings, *, allow_overlap: bool
) -> None:
    """Expand the rule; the first instance becomes DTSTART (ICAL.md: DTSTART on the pattern)."""
    starts = occ_service.rule_starts(event, settings.max_occurrences_per_series)
    if starts[0] != event.starts_at:
        duration = event.ends_at - event.starts_at
        event.starts_at = starts[0]
        event.ends_at = starts[0] + duration
    rows = await occ_service.sync(session, event, settings.max_occurrences_per_series)
    await occ_service.check_clashes(session, event, rows, refs, allow=allow_overlap)


async def create_event(
    session: AsyncSession,
    data: EventCreate,
    settings: Settings,
    *,
    refs: RefData | None = None,
    source: str | None = None,
    external_id: str | None = None,
) -> Event:
    """An import passes the reference data it already holds, and where the event came from."""
    refs = refs or await load_refs(session)
    if data.status not in (EventStatus.draft, EventStatus.published):
        raise InvalidInput(
            "新活动只能是草稿（draft）或已发布（published）。",
            "A new event is draft or published.",
            [{"field": "status"}],
        )
    tz = zone(data.timezone)
    starts_at, ends_at = span(data.start, data.end, tz, all_day=data.all_day)
    fields = data.model_dump(include=set(TEXT_FIELDS))
    event = Event(
        uid=f"pending-{uuid4()}",
        category_id=refs.categories.id_of(data.category),
        venue_id=refs.venues.get(data.venue).id if data.venue else None,
        organizer_id=refs.organizers.get(data.organizer).id if data.organizer else None,
        programme_id=refs.programmes.get(data.programme).id if data.programme else None,
        all_day=data.all_day,
        starts_at=starts_at,
        ends_at=ends_at,
        span_end=ends_at,
        timezone=data.timezone,
        rrule=_normalise_rule(
            data.rrule,
            all_day=data.all_day,
            tz_name=data.timezone,
            max_count=settings.max_occurrences_per_series,
        ),
        status=data.status,
        source=source,
        external_id=external_id,
        **fields,
    )
    session.add(event)
    await session.flush()
    event.uid = f"event-{event.id}@{settings.uid_domain}"
    await _place_in_time(session, event, refs, settings, allow_overlap=data.allow_overlap)
    return event


async def update_event(
    session: AsyncSession, event_id: int, data: EventUpdate, settings: Settings
) -> Event:
    event = await get_event(session, event_id)
    if event.status == EventStatus.cancelled:
        raise Conflict(
            "已取消的活动不能再修改；请新建活动。",
            "A cancelled event cannot be changed; create a new one.",
        )
    refs = await load_refs(session)
    changes = data.model_dump(exclude_unset=True)
    allow_overlap = changes.pop("allow_overlap", False)
    for field in ("title_zh", "category", "all_day"):  # null clears only optional fields
        if field in changes and changes[field] is None:
            raise InvalidInput(
                f"{field} 不能为空。", f"{field} cannot be empty.", [{"field": field}]
            )

    before = event.model_dump()
    for name in TEXT_FIELDS:
        if name in changes:
            setattr(event, name, changes[name])
    if "category" in changes:
        event.category_id = refs.categories.get(changes["category"]).id  # type: ignore[assignment]
    for name, table in (
        ("venue", refs.venues),
        ("organizer", refs.organizers),
        ("programme", refs.programmes),
    ):
        if name in changes:
            row = table.get(changes[name]) if changes[name] else None
            setattr(event, f"{name}_id", row.id if row else None)

    if any(name in changes for name in TIMING_FIELDS):
        _apply_timing(event, changes, settings)
    if event.model_dump() == before:
        return event
    _touch(event)
    timing_changed = any(
        before[k] != getattr(event, k)
        for k in ("starts_at", "ends_at", "timezone", "rrule", "all_day", "venue_id")
    )
    if timing_changed:
        await _place_in_time(session, event, refs, settings, allow_overlap=allow_overlap)
    session.add(event)
    await session.flush()
    return event


def _apply_timing(event: Event, changes: dict[str, Any], settings: Settings) -> None:
    all_day = changes.get("all_day", event.all_day)
    tz_name = changes.get("timezone") or event.timezone
    tz = zone(tz_name)
    if all_day != event.all_day and not ("start" in changes and "end" in changes):
        raise InvalidInput(
            "切换全天/定时时请同时给出 start 和 end。",
            "Switching all_day needs both start and end.",
            [{"field": "start"}],
        )
    old_tz = zone(event.timezone)
    start = changes.get("start") or local_start(event.starts_at, old_tz, all_day=event.all_day)
    end = changes.get("end") or local_end(event.ends_at, old_tz, all_day=event.all_day)
    # Keep the wall clock when only the zone changes.
    if isinstance(start, datetime) and "start" not in changes:
        start = start.replace(tzinfo=None)
    if isinstance(end, datetime) and "end" not in changes:
        end = end.replace(tzinfo=None)
    event.starts_at, event.ends_at = span(start, end, tz, all_day=all_day)
    event.all_day, event.timezone = all_day, tz_name
    rule_text = changes.get("rrule", event.rrule)
    event.rrule = _normalise_rule(
        rule_text, all_day=all_day, tz_name=tz_name, max_count=settings.max_occurrences_per_series
    )


async def change_status(
    session: AsyncSession, event_id: int, action: str, data: StatusChange, settings: Settings
) -> Event:
    event = await get_event(session, event_id)
    ((target, allowed),) = TRANSITIONS[action].items()
    if event.status not in allowed:
        raise Conflict(
            f"活动当前为「{STATUS_ZH[event.status]}」，不能改为「{STATUS_ZH[target]}」。",
            f"The event is {event.status}; it cannot become {target}.",
            [{"field": "status", "value": event.status}],
        )
    if target in (EventStatus.cancelled, EventStatus.postponed) and not data.reason:
        raise InvalidInput(
            "取消或延期需要填写原因（reason），访客会看到它。",
            "Cancelling or postponing needs a reason; visitors see it.",
            [{"field": "reason"}],
        )
    event.status = target
    event.status_reason = data.reason if target != EventStatus.published else None
    _touch(event)
    if target == EventStatus.published:
        refs = await load_refs(session)
        rows = list(await session.exec(select(Occurrence).where(Occurrence.event_id == event.id)))
        await occ_service.check_clashes(session, event, rows, refs, allow=data.allow_overlap)
    session.add(event)
    await session.flush()
    return event


async def delete_draft(session: AsyncSession, event_id: int) -> None:
    event = await get_event(session, event_id)
    if event.status != EventStatus.draft:
        raise Conflict(
            "只能删除草稿；已公开的活动请取消（cancel），以便订阅者收到变更。",
            "Only drafts can be deleted; cancel a public event so subscribers see it.",
        )
    await session.delete(event)
    await session.flush()


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


async def _series_occurrence(session: AsyncSession, key: str) -> tuple[Event, Occurrence]:
    event, occ = await occ_service.get_occurrence(session, key)
    if not event.rrule:
        raise Conflict(
            "这是单次活动：请直接修改或取消活动本身。",
            "This is a single event: edit or cancel the event itself.",
        )
    if event.status == EventStatus.cancelled:
        raise Conflict("整个活动已取消。", "The whole event is cancelled.")
    return event, occ


async def skip_occurrence(session: AsyncSession, key: str) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key)
    return await _set_state(session, event, occ, OccurrenceState.skipped, None)


async def cancel_occurrence(
    session: AsyncSession, key: str, data: OccurrenceCancel
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key)
    return await _set_state(session, event, occ, OccurrenceState.cancelled, data.reason)


async def restore_occurrence(
    session: AsyncSession, key: str, *, allow_overlap: bool = False
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key)
    occ.starts_at = occ.recurrence_id
    occ.ends_at = occ_service.shifted_end(event, occ.recurrence_id)
    occ.venue_id = event.venue_id
    await _set_state(session, event, occ, OccurrenceState.scheduled, None)
    refs = await load_refs(session)
    await occ_service.check_clashes(session, event, [occ], refs, allow=allow_overlap)
    return event, occ


async def move_occurrence(
    session: AsyncSession, key: str, data: OccurrenceMove
) -> tuple[Event, Occurrence]:
    event, occ = await _series_occurrence(session, key)
    refs = await load_refs(session)
    occ.starts_at, occ.ends_at = span(
        data.start, data.end, zone(event.timezone), all_day=event.all_day
    )
    if data.venue:
        occ.venue_id = refs.venues.get(data.venue).id
    await _set_state(session, event, occ, OccurrenceState.moved, data.reason)
    await occ_service.check_clashes(session, event, [occ], refs, allow=data.allow_overlap)
    return event, occ


async def _set_state(
    session: AsyncSession, event: Event, occ: Occurrence, state: str, reason: str | None
) -> tuple[Event, Occurrence]:
    occ.state, occ.reason, occ.updated_at = state, reason, utcnow()
    _touch(event)
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


async def list_events(
    session: AsyncSession,
    refs: RefData,
    statuses: list[str],
    filters: occ_service.Filters,
    limit: int,
    offset: int,
) -> tuple[list[EventOut], int]:
    query = select(Event).where(col(Event.status).in_(statuses))
    if filters.categories:
        query = query.where(
            col(Event.category_id).in_({refs.categories.get(s).id for s in filters.categories})
        )
    if filters.venues:
        query = query.where(
            col(Event.venue_id).in_({refs.venues.get(s).id for s in filters.venues})
        )
    if filters.villages:
        village_ids = {refs.villages.get(s).id for s in filters.villages}
        query = query.where(
            col(Event.venue_id).in_(refs.venues_in(village_ids))
        )
    if filters.programmes:
        ids: set[int] = set()
        for slug in filters.programmes:
            ids |= refs.programme_and_descendants(refs.programmes.get(slug).id or 0)
        query = query.where(col(Event.programme_id).in_(ids))
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
