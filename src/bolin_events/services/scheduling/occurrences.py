"""Occurrences: a series expanded into stored nights, kept in step with its rule, and found by
their public id (``12-20270604T190000``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, NotFound
from bolin_events.models import (
    AttendanceReport,
    Event,
    Occurrence,
    OccurrenceState,
    Registration,
    Tally,
    utcnow,
)
from bolin_events.models.base import is_valid_id
from bolin_events.services.scheduling.calendar_rules import (
    expand_calendar_rule,
    parse_calendar_rule,
)
from bolin_events.services.scheduling.recurrence import expand, parse_rule
from bolin_events.services.timing import (
    parse_recurrence_key,
    recurrence_key,
    zone,
)
from bolin_events.services.years import ensure_open_at


def is_series(event: Event) -> bool:
    """The event repeats: by an RRULE or by a rule of the Chinese calendar."""
    return bool(event.rrule or event.calendar_rule)


def rule_starts(event: Event, max_count: int) -> list[datetime]:
    """UTC starts the event's rule gives (just its own start when it has no rule)."""
    if event.calendar_rule:
        return _calendar_starts(event, event.calendar_rule, max_count)
    if not event.rrule:
        return [event.starts_at]
    tz = zone(event.timezone)
    first = event.starts_at.astimezone(tz).replace(tzinfo=None)
    rule = parse_rule(event.rrule, max_count=max_count)
    local = expand(rule, first, tz=tz, all_day=event.all_day, max_count=max_count)
    return [s.replace(tzinfo=tz).astimezone(UTC) for s in local]


def _calendar_starts(event: Event, text: str, max_count: int) -> list[datetime]:
    """The rule's dates at the event's local time of day, as RRULE nights keep their clock."""
    tz = zone(event.timezone)
    first = event.starts_at.astimezone(tz)
    rule = parse_calendar_rule(text, max_count=max_count)
    days = expand_calendar_rule(rule, first.date(), max_count=max_count)
    clock = first.time().replace(tzinfo=None)
    return [datetime.combine(day, clock, tzinfo=tz).astimezone(UTC) for day in days]


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


async def sync(
    session: AsyncSession, event: Event, max_count: int, tz: ZoneInfo
) -> list[Occurrence]:
    """Make the stored occurrences match the rule, keeping ids and exceptions that still apply.

    A night added, changed or dropped in a closed year (封账, counted in ``tz``) is refused.
    """
    assert event.id is not None
    starts = rule_starts(event, max_count)
    existing = {
        o.recurrence_id: o
        for o in (await session.exec(select(Occurrence).where(Occurrence.event_id == event.id)))
    }
    now = utcnow()
    retimed = _same_nights(event, starts, existing)
    kept: list[Occurrence] = []
    touched: list[datetime] = []  # the starts, before and after, of nights made or changed
    for start in starts:
        row = existing.pop(start, None) or retimed.get(start)
        if row is not None and row.recurrence_id != start:  # the same night at a new time
            touched += [row.starts_at, start]
            row.recurrence_id, row.updated_at = start, now
        if row is None:
            touched.append(start)
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
                touched += [row.starts_at, start]
                row.starts_at, row.ends_at, row.venue_id = new
                row.updated_at = now
        session.add(row)
        kept.append(row)
    await ensure_open_at(session, touched + [o.starts_at for o in existing.values()], tz)
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
    """A change that would drop a night with attendance reports, sign-ups or a tally at its
    gates is refused: figures are kept, and visitors who signed up keep their night."""
    if not gone:
        return
    ids = [o.id for o in gone]
    for table, zh, en in (
        (AttendanceReport, "已上报人次", "attendance reports"),
        (Registration, "已有人报名", "sign-ups"),
        (Tally, "已在入口计数", "a tally at the gates"),
    ):
        held = (
            await session.exec(
                select(Occurrence)
                .where(col(Occurrence.id).in_(ids))
                .where(select(table.id).where(table.occurrence_id == Occurrence.id).exists())
                .order_by(col(Occurrence.recurrence_id))
            )
        ).all()
        if held:
            keys = ", ".join(occurrence_id(event, o) for o in held[:5])
            raise Conflict(
                f"这次修改会删掉{zh}的场次（{keys}），为保留它们，不能这样改。"
                "请只修改未来的场次，或为新安排另建活动。",
                f"This change would remove nights that already have {en} ({keys}); "
                "they are kept, so the change is refused. Change later nights only, "
                "or create a new event for the new pattern.",
                [{"occurrence_id": occurrence_id(event, o)} for o in held],
            )


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
