"""The season planner: one month of nights as a venue × day grid for schedulers, drafts
included, with the nights that overlap at one venue marked as clashes.

One query reads the month; the grid and the clashes are worked out here over its rows, so a
busy month costs one round trip, not one per venue or day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Event, EventStatus, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut, VenueRef
from bolin_events.services.filters import Filters, resolve
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import NIGHT_COLUMNS, NightRow, night_out
from bolin_events.services.timing import (
    FIRST_YEAR,
    LAST_YEAR,
    add_months,
    end_day,
    midnight,
    start_day,
)

# A night takes up its venue while it is still to be held, planned (draft) or public: a
# cancelled night, or a night of a cancelled or postponed event, leaves the venue free.
HOLDING_STATES = (OccurrenceState.scheduled, OccurrenceState.moved)
HOLDING_STATUSES = (EventStatus.draft, EventStatus.published)


@dataclass(eq=False)  # nights refer to each other: compared by identity
class PlannedNight:
    """One night of the month; ``clashes`` are the other events' nights overlapping it at its
    venue. ``series`` says its event repeats (its nights are changed one by one)."""

    night: OccurrenceOut
    venue_id: int | None
    series: bool
    clashes: list[PlannedNight] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """A night as one day's cell lists it; ``first`` is false on the later days of a night
    that runs over several days (they say "continued" instead of its time)."""

    planned: PlannedNight
    first: bool


@dataclass
class PlannerRow:
    """One venue's month, a list of entries per day; ``venue`` None holds the nights with no
    venue yet (地点待定)."""

    venue: VenueRef | None
    cells: list[list[Entry]]


@dataclass
class Planner:
    month: date
    days: list[date]
    rows: list[PlannerRow]
    clashes: list[tuple[PlannedNight, PlannedNight]]  # each overlapping pair once, by start
    night_count: int
    previous: date | None  # None at the edge of the years the service holds
    next: date | None


async def plan_month(
    session: AsyncSession, refs: RefData, tz: ZoneInfo, month: date, filters: Filters
) -> Planner:
    """The month starting on ``month`` (its first day, in the town's zone ``tz``): every
    night that is not skipped, of events in any status, in the places the filters select."""
    following = add_months(month, 1)
    rows = await _month_nights(
        session, refs, midnight(month, tz), midnight(following, tz), filters
    )
    planned = [
        (row, PlannedNight(night_out(refs, row), row.venue_id, series)) for row, series in rows
    ]
    pairs = _clashes(planned)
    days = [month + timedelta(days=i) for i in range((following - month).days)]
    return Planner(
        month=month,
        days=days,
        rows=_rows(refs, days, [p for _, p in planned]),
        clashes=pairs,
        night_count=len(planned),
        previous=add_months(month, -1) if (month.year, month.month) > (FIRST_YEAR, 1) else None,
        next=following if following.year <= LAST_YEAR else None,
    )


async def _month_nights(
    session: AsyncSession, refs: RefData, start: datetime, end: datetime, filters: Filters
) -> list[tuple[NightRow, bool]]:
    """The nights touching [start, end) with whether their event repeats, in start order:
    plain columns in one query (a busy month is hundreds of nights)."""
    selection = resolve(refs, filters)
    query = (
        sa_select(*NIGHT_COLUMNS, col(Event.rrule), col(Event.calendar_rule))
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(
            col(Occurrence.state) != OccurrenceState.skipped,
            col(Occurrence.starts_at) < end,
            col(Occurrence.ends_at) > start,
            *selection.night_conditions(),
        )
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
    )
    connection = await session.connection()
    width = len(NIGHT_COLUMNS)
    return [
        (NightRow._make(row[:width]), row[width] is not None or row[width + 1] is not None)
        for row in await connection.execute(query)
    ]


def _holds_venue(row: NightRow) -> bool:
    return (
        row.venue_id is not None
        and row.state in HOLDING_STATES
        and row.status in HOLDING_STATUSES
    )


def _clashes(
    planned: list[tuple[NightRow, PlannedNight]],
) -> list[tuple[PlannedNight, PlannedNight]]:
    """Pairs of nights of different events at one venue whose times overlap, each pair once;
    each night learns the nights it clashes with. ``planned`` is in start order, so a sweep
    that keeps, per venue, the nights not yet over finds every pair."""
    pairs: list[tuple[PlannedNight, PlannedNight]] = []
    running: dict[int, list[tuple[NightRow, PlannedNight]]] = {}
    for row, night in planned:
        if not _holds_venue(row):
            continue
        venue_id = row.venue_id or 0
        still = [(r, p) for r, p in running.get(venue_id, []) if r.ends_at > row.starts_at]
        for other_row, other in still:
            if other_row.event_id != row.event_id:
                other.clashes.append(night)
                night.clashes.append(other)
                pairs.append((other, night))
        running[venue_id] = [*still, (row, night)]
    return pairs


def _rows(refs: RefData, days: list[date], planned: list[PlannedNight]) -> list[PlannerRow]:
    """A row per venue with nights, grouped by village (venues in none after them), then
    the row of nights with no venue; a night over several days is entered on each."""
    first, last = days[0], days[-1]
    cells: dict[int | None, list[list[Entry]]] = {}
    for night in planned:
        begin = start_day(night.night)
        day = max(begin, first)
        while day <= min(end_day(night.night), last):
            row = cells.setdefault(night.venue_id, [[] for _ in days])
            row[(day - first).days].append(Entry(night, day == begin))
            day += timedelta(days=1)

    def order(venue_id: int | None) -> tuple[bool, bool, int, str]:
        if venue_id is None:
            return (True, True, 0, "")
        venue = refs.venues.by_id[venue_id]
        return (False, venue.village_id is None, venue.village_id or 0, venue.slug)

    return [PlannerRow(refs.venue_ref(v), cells[v]) for v in sorted(cells, key=order)]
