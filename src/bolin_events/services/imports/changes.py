"""What an import would change on an event it already made, field by field.

Only fields whose value differs go to ``update_event``, so an unchanged event keeps its
SEQUENCE and a corrected row raises it for that event alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bolin_events.models import Event
from bolin_events.schemas.events import EventCreate
from bolin_events.services.refs import RefData, Table
from bolin_events.services.scheduling.recurrence import expand, parse_rule
from bolin_events.services.timing import span, zone

TEXT_FIELDS = (
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "price",
    "contact",
    "capacity",
    "image_url",
)
REF_FIELDS = ("category", "venue", "organizer", "programme")
TIMING_FIELDS = ("all_day", "start", "end", "timezone", "rrule")


@dataclass(frozen=True)
class Timing:
    starts_at: datetime
    ends_at: datetime
    rrule: str | None


def planned_timing(
    start: date | datetime,
    end: date | datetime,
    *,
    all_day: bool,
    timezone: str,
    rrule: str | None,
    max_count: int,
) -> Timing:
    """The instants and rule the scheduling service would store (a series snaps to its rule,
    as ``occurrences.rule_starts`` does).

    Raises the service's own InvalidInput for an end before the start or a bad rule.
    """
    tz = zone(timezone)
    starts_at, ends_at = span(start, end, tz, all_day=all_day)
    if not rrule or not rrule.strip():
        return Timing(starts_at, ends_at, None)
    rule = parse_rule(rrule, max_count=max_count)
    local = starts_at.astimezone(tz).replace(tzinfo=None)
    first = expand(rule, local, tz=tz, all_day=all_day, max_count=max_count)[0]
    first_at = first.replace(tzinfo=tz).astimezone(UTC)
    return Timing(first_at, first_at + (ends_at - starts_at), rule.to_ical(all_day=all_day, tz=tz))


def _slug(refs: RefData, kind: str, row_id: int | None) -> str | None:
    table: Table[Any] = getattr(refs, f"{kind}s" if kind != "category" else "categories")
    row = table.by_id.get(row_id or -1)
    return row.slug if row is not None else None


def differences(
    event: Event,
    data: EventCreate,
    fields: Collection[str],
    refs: RefData,
    max_count: int,
) -> tuple[list[str], dict[str, Any]]:
    """(the fields that differ, the EventUpdate values that make them agree)."""
    differ: list[str] = []
    update: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in fields and getattr(event, name) != getattr(data, name):
            differ.append(name)
            update[name] = getattr(data, name)
    for name in REF_FIELDS:
        if name in fields and _slug(refs, name, getattr(event, f"{name}_id")) != getattr(
            data, name
        ):
            differ.append(name)
            update[name] = getattr(data, name)
    if any(name in fields for name in TIMING_FIELDS):
        # A file without a 重复 column keeps the event's rule (and its series).
        rule = data.rrule if "rrule" in fields else event.rrule
        timing = planned_timing(
            data.start,
            data.end,
            all_day=data.all_day,
            timezone=data.timezone,
            rrule=rule,
            max_count=max_count,
        )
        now = {
            "start": (event.starts_at, timing.starts_at),
            "end": (event.ends_at, timing.ends_at),
            "all_day": (event.all_day, data.all_day),
            "timezone": (event.timezone, data.timezone),
            "rrule": (event.rrule, timing.rrule),
        }
        timing_differs = [name for name, (old, new) in now.items() if old != new]
        if timing_differs:
            differ.extend(timing_differs)
            update.update({name: getattr(data, name) for name in TIMING_FIELDS})
            update["rrule"] = rule
    return differ, update
