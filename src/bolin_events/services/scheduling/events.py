"""Commands on events and series: create, change, publish/cancel/postpone, delete a draft.

Every change a calendar must notice raises the event's SEQUENCE and ``updated_at``
(ICAL.md: Google ignores an edit whose SEQUENCE did not rise).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, field_zh, not_found
from bolin_events.models import (
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    utcnow,
)
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.events import (
    EventCreate,
    EventUpdate,
    StatusChange,
)
from bolin_events.services.refs import RefData, Table, load_refs
from bolin_events.services.scheduling.calendar_rules import parse_calendar_rule
from bolin_events.services.scheduling.clashes import check_clashes
from bolin_events.services.scheduling.occurrences import rule_starts, sync
from bolin_events.services.scheduling.recurrence import parse_rule
from bolin_events.services.timing import local_end, local_start, span, zone
from bolin_events.services.years import closed_years, ensure_open_at
from bolin_events.settings import Settings

TEXT_FIELDS = (
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "capacity",
    "course",
    "enrolled",
    "completed",
    "price",
    "image_url",
    "contact",
)


TIMING_FIELDS = ("all_day", "start", "end", "timezone", "rrule", "calendar_rule")
# what the statistics group or count a held night by: changed, a closed year's figures would
# move (a course's trainees are its 培训人次 in the annual return)
GROUPING_FIELDS = (
    "category_id", "programme_id", "organizer_id", "course", "enrolled", "completed",
)


TRANSITIONS: dict[str, dict[EventStatus, set[EventStatus]]] = {
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


def _normalise_calendar_rule(text: str | None, rrule: str | None, *, max_count: int
                             ) -> str | None:
    """A Chinese-calendar rule in its stored form; refused beside an RRULE (an event repeats
    one way: its nights are one list, in feeds an RRULE or an RDATE list)."""
    if text is None or not text.strip():
        return None
    if rrule is not None and rrule.strip():
        raise InvalidInput(
            "一个活动只能有一种重复方式：重复规则（rrule）和农历规则（calendar_rule）只能二选一；"
            "改用其中一种时，请把另一种设为空（null）。",
            "An event repeats one way: give rrule or calendar_rule, not both; to switch, "
            "set the other to null.",
            [{"field": "calendar_rule"}, {"field": "rrule"}],
        )
    return parse_calendar_rule(text, max_count=max_count).text


def touch(event: Event) -> None:
    """A change calendars must notice: SEQUENCE rises, ``updated_at`` moves."""
    event.sequence += 1
    event.updated_at = utcnow()


async def check_counted_open(session: AsyncSession, event: Event, tz: ZoneInfo) -> None:
    """Refuse a change that would add or take away, or regroup, the held nights of a closed
    year (封账): publishing, cancelling or postponing the event, or a new category, programme
    or organizer, or a course's figures. (Timing and venue changes are checked night by
    night, in ``sync``.)"""
    closed = await closed_years(session)
    if not closed:
        return
    held = (
        await session.exec(
            select(Occurrence.starts_at).where(
                Occurrence.event_id == event.id,
                col(Occurrence.state).in_((OccurrenceState.scheduled, OccurrenceState.moved)),
                col(Occurrence.ends_at) <= utcnow(),
            )
        )
    ).all()
    await ensure_open_at(session, held, tz)


async def get_event(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id) if is_valid_id(event_id) else None
    if event is None:
        raise not_found("活动", "event", event_id)
    return event


async def _place_in_time(
    session: AsyncSession, event: Event, refs: RefData, settings: Settings, *, allow_overlap: bool
) -> None:
    """Expand the rule; the first instance becomes DTSTART (ICAL.md: DTSTART on the pattern)."""
    starts = rule_starts(event, settings.max_occurrences_per_series)
    if starts[0] != event.starts_at:
        duration = event.ends_at - event.starts_at
        event.starts_at = starts[0]
        event.ends_at = starts[0] + duration
    rows = await sync(session, event, settings.max_occurrences_per_series, zone(settings.timezone))
    await check_clashes(session, event, rows, refs, allow=allow_overlap)


def _chosen(table: Table[Any], slug: str | None, field: str, current: int | None = None
            ) -> int | None:
    """An optional reference (venue, organizer, programme) as an id: none, or one still in use
    (services.refs.Table.chosen)."""
    return table.chosen(slug, field, current) if slug else None


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
            "新活动只能是草稿或已发布。",
            "A new event is draft or published.",
            [{"field": "status"}],
        )
    tz = zone(data.timezone)
    starts_at, ends_at = span(data.start, data.end, tz, all_day=data.all_day)
    fields = data.model_dump(include=set(TEXT_FIELDS))
    event = Event(
        uid=f"pending-{uuid4()}",
        category_id=refs.categories.chosen(data.category, "category"),
        venue_id=_chosen(refs.venues, data.venue, "venue"),
        organizer_id=_chosen(refs.organizers, data.organizer, "organizer"),
        programme_id=_chosen(refs.programmes, data.programme, "programme"),
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
        calendar_rule=_normalise_calendar_rule(
            data.calendar_rule, data.rrule, max_count=settings.max_occurrences_per_series
        ),
        status=data.status,
        source=source,
        external_id=external_id,
        **fields,
    )
    session.add(event)
    await session.flush()
    event.uid = f"event-{event.id}@{settings.resolved_uid_domain}"  # stored: kept for good
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
    for field in ("title_zh", "category", "all_day", "course"):  # null clears optional ones only
        if field in changes and changes[field] is None:
            raise InvalidInput(
                f"{field_zh(field)}不能为空。", f"{field} cannot be empty.", [{"field": field}]
            )

    before = event.model_dump()
    for name in TEXT_FIELDS:
        if name in changes:
            setattr(event, name, changes[name])
    if "category" in changes:
        event.category_id = refs.categories.chosen(changes["category"], "category",
                                                   event.category_id)
    for name, table in (
        ("venue", refs.venues),
        ("organizer", refs.organizers),
        ("programme", refs.programmes),
    ):
        if name in changes:
            current = getattr(event, f"{name}_id")
            setattr(event, f"{name}_id", _chosen(table, changes[name], name, current))

    if any(name in changes for name in TIMING_FIELDS):
        _apply_timing(event, changes, settings)
    if event.model_dump() == before:
        return event
    if event.status == EventStatus.published and any(
        before[k] != getattr(event, k) for k in GROUPING_FIELDS
    ):
        await check_counted_open(session, event, zone(settings.timezone))
    touch(event)
    timing_changed = any(
        before[k] != getattr(event, k)
        for k in ("starts_at", "ends_at", "timezone", "rrule", "calendar_rule", "all_day",
                  "venue_id")
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
            "切换全天/定时时，请同时填写开始和结束时间。",
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
    max_count = settings.max_occurrences_per_series
    event.calendar_rule = _normalise_calendar_rule(
        changes.get("calendar_rule", event.calendar_rule), rule_text, max_count=max_count
    )
    event.rrule = _normalise_rule(rule_text, all_day=all_day, tz_name=tz_name, max_count=max_count)


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
            "取消或延期需要填写原因，访客会看到它。",
            "Cancelling or postponing needs a reason; visitors see it.",
            [{"field": "reason"}],
        )
    if (event.status == EventStatus.published) != (target == EventStatus.published):
        await check_counted_open(session, event, zone(settings.timezone))
    event.status = target
    event.status_reason = data.reason if target != EventStatus.published else None
    touch(event)
    if target == EventStatus.published:
        refs = await load_refs(session)
        rows = list(await session.exec(select(Occurrence).where(Occurrence.event_id == event.id)))
        await check_clashes(session, event, rows, refs, allow=data.allow_overlap)
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
