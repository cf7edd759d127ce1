"""Which rows a feed reads: its events, their exceptions, and the nights it leaves out.

Plain tuples, not ORM objects: loading 2,000 events as objects costs more than rendering them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from bolin_events.calendar import MAX_EXDATES, ZoneUse
from bolin_events.models import (
    PUBLIC_STATUSES,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)
from bolin_events.services.feeds.scope import FeedSelection
from bolin_events.services.filters import Selection
from bolin_events.services.timing import zone


class EventRecord(NamedTuple):
    """The columns of an event a feed reads: a plain tuple, ten times cheaper to read than an
    ORM object or a result row when a feed holds thousands of events."""

    id: int
    uid: str
    sequence: int
    updated_at: datetime
    title_zh: str
    title_en: str | None
    description_zh: str | None
    description_en: str | None
    status: str
    status_reason: str | None
    all_day: bool
    timezone: str
    starts_at: datetime
    ends_at: datetime
    rrule: str | None
    calendar_rule: str | None
    category_id: int
    venue_id: int | None
    organizer_id: int | None
    price: str | None
    contact: str | None
    span_end: datetime

    @classmethod
    def of(cls, row: object) -> EventRecord:
        """From an ``Event`` (or anything with its attributes), e.g. in a benchmark."""
        return cls(*(getattr(row, name) for name in cls._fields))


def is_series(event: EventRecord) -> bool:
    """Repeats by an RRULE or by a rule of the Chinese calendar (sent as RDATEs)."""
    return bool(event.rrule or event.calendar_rule)


def is_listed(event: EventRecord) -> bool:
    """A series whose nights a file lists as RDATEs: its rule (a lunar date, a solar term,
    lunar days) is one iCalendar cannot write (calendar.series)."""
    return bool(event.calendar_rule and not event.rrule)


class NightRecord(NamedTuple):
    """The columns of a non-scheduled occurrence a feed reads."""

    event_id: int
    recurrence_id: datetime
    state: str
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    reason: str | None


EVENT_COLUMNS = tuple(col(getattr(Event, name)) for name in EventRecord._fields)


NIGHT_COLUMNS = tuple(col(getattr(Occurrence, name)) for name in NightRecord._fields)


MOVED = (OccurrenceState.moved, OccurrenceState.cancelled)


def conditions(
    selection: FeedSelection, past: datetime, today: datetime
) -> list[ColumnElement[bool]]:
    """Public events in scope; past ones go after ``feed_past_days``, cancelled ones once over."""
    conds: list[ColumnElement[bool]] = [col(Event.status).in_(PUBLIC_STATUSES)]
    if selection.event_id is not None:
        conds.append(col(Event.id) == selection.event_id)  # one event's feed keeps its past
    else:
        conds.append(col(Event.span_end) > past)
        conds.append(or_(col(Event.status) != EventStatus.cancelled,
                         col(Event.span_end) > today))
    conds.extend(selection.places.listed_event_conditions())  # the one filter rule
    return conds


async def hidden_nights(connection: AsyncConnection, events: Sequence[EventRecord],
                         nights: dict[int, list[NightRecord]],
                         places: Selection) -> dict[int, frozenset[datetime]]:
    """Events that stay, each with the rule instances this feed hides (EXDATE, no override).

    Each night is where it happens (services.filters): a venue or village feed hides nights
    moved somewhere else, and shows a series held elsewhere only for the nights moved here.
    A series with nothing left is dropped (ICAL.md); finding out needs the database only when
    its exceptions are all skips.
    """
    kept: dict[int, frozenset[datetime]] = {}
    elsewhere: list[int] = []
    only_skips: list[int] = []
    for event in events:
        own = nights.get(event.id, [])
        if is_series(event) and not places.holds_night_at(event.venue_id):
            elsewhere.append(event.id)
            continue
        hidden = frozenset(n.recurrence_id for n in own
                           if n.state in MOVED and not places.holds_night_at(n.venue_id))
        kept[event.id] = hidden
        if own and not any(n.state in MOVED and n.recurrence_id not in hidden for n in own):
            only_skips.append(event.id)
    if elsewhere:
        every: dict[int, set[datetime]] = defaultdict(set)
        here: dict[int, set[datetime]] = defaultdict(set)
        for row in (await connection.execute(
                sa_select(col(Occurrence.event_id), col(Occurrence.recurrence_id),
                          col(Occurrence.venue_id), col(Occurrence.state))
                .where(col(Occurrence.event_id).in_(elsewhere)))):
            every[row.event_id].add(row.recurrence_id)
            if row.state in MOVED and places.holds_night_at(row.venue_id):
                here[row.event_id].add(row.recurrence_id)
        kept.update({i: frozenset(every[i] - here[i]) for i in elsewhere})
    if only_skips:
        plain = set((await connection.execute(
            sa_select(col(Occurrence.event_id)).distinct().where(
                col(Occurrence.event_id).in_(only_skips),
                col(Occurrence.state) == OccurrenceState.scheduled))).scalars())
        for event_id in set(only_skips) - plain:
            del kept[event_id]
    return kept


async def read_rows(connection: AsyncConnection, conds: list[ColumnElement[bool]]
               ) -> tuple[list[EventRecord], dict[int, list[NightRecord]]]:
    """The feed's events in order, and each one's skipped, moved and cancelled nights.

    Plain rows, not ORM objects: loading 2,000 events as objects costs more than rendering.
    """
    events = [EventRecord._make(row) for row in await connection.execute(
        sa_select(*EVENT_COLUMNS).where(and_(*conds))
        .order_by(col(Event.starts_at), col(Event.id)))]
    nights: dict[int, list[NightRecord]] = defaultdict(list)
    # In no particular order: each VEVENT sorts its own EXDATEs and overrides.
    for row in await connection.execute(
            sa_select(*NIGHT_COLUMNS).join(Event, col(Event.id) == Occurrence.event_id)
            .where(and_(*conds), col(Occurrence.state) != OccurrenceState.scheduled)):
        night = NightRecord._make(row)
        nights[night.event_id].append(night)
    return events, nights


class ListedNight(NamedTuple):
    """A night of a listed series: its RDATE, and when it now ends (moved or not)."""

    recurrence_id: datetime
    ends_at: datetime


async def listed_nights(connection: AsyncConnection, conds: list[ColumnElement[bool]],
                        events: Iterable[EventRecord]) -> dict[int, tuple[ListedNight, ...]]:
    """Every night, in order, of each listed series among the feed's ``events`` (``conds``
    select them): one query for the whole feed, none when it has no such series."""
    if not any(is_listed(event) for event in events):
        return {}
    found: dict[int, list[ListedNight]] = defaultdict(list)
    for row in await connection.execute(
            sa_select(col(Occurrence.event_id), col(Occurrence.recurrence_id),
                      col(Occurrence.ends_at))
            .join(Event, col(Event.id) == Occurrence.event_id)
            .where(and_(*conds), col(Event.calendar_rule).is_not(None),
                   col(Event.rrule).is_(None))
            .order_by(col(Occurrence.event_id), col(Occurrence.recurrence_id))):
        found[row.event_id].append(ListedNight(row.recurrence_id, row.ends_at))
    return {event_id: tuple(nights) for event_id, nights in found.items()}


def long_past(nights: Iterable[ListedNight], past: datetime) -> frozenset[datetime]:
    """Nights of a listed series over before the feed's window (``feed_past_days``): they
    leave the RDATE list as past events leave the feed, so a market held on lunar days for
    years does not grow its feed by a line every few nights. The first night left becomes
    the DTSTART, so every parser still reads the same nights."""
    return frozenset(night.recurrence_id for night in nights if night.ends_at <= past)


def needs_cut(event: EventRecord, hidden: frozenset[datetime],
              nights: Iterable[NightRecord]) -> bool:
    """Whether the series would need more EXDATE lines than a file sends (calendar.series):
    then its VEVENT is cut to the nights kept, which needs every instance (``instances``)."""
    if not event.rrule:
        return False
    skipped = {n.recurrence_id for n in nights if n.state == OccurrenceState.skipped}
    return len(skipped.union(hidden)) > MAX_EXDATES


async def instances(connection: AsyncConnection, event_id: int) -> tuple[datetime, ...]:
    """Every start the event's rule gives (each has its stored night), in order."""
    return tuple((await connection.execute(
        sa_select(col(Occurrence.recurrence_id)).where(col(Occurrence.event_id) == event_id)
        .order_by(col(Occurrence.recurrence_id)))).scalars())


def zones_used(events: Iterable[EventRecord], nights: Iterable[NightRecord]) -> list[ZoneUse]:
    """TZIDs of timed events and the years their instants span (all-day ones use no TZID)."""
    spans: dict[str, tuple[datetime, datetime]] = {}
    for event in events:
        if event.all_day:
            continue
        first, last = spans.get(event.timezone, (event.starts_at, event.span_end))
        spans[event.timezone] = (min(first, event.starts_at), max(last, event.span_end))
    night_starts = [n.starts_at for n in nights]
    uses = []
    for tzid, (first, last) in sorted(spans.items()):
        tz = zone(tzid)
        first = min([first, *night_starts])  # a night moved before the first one
        uses.append(ZoneUse(tzid, first.astimezone(tz).year, last.astimezone(tz).year))
    return uses
