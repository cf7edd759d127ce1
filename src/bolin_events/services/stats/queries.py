"""The statistics' SQL: a period's held occurrences and their latest reports, grouped in the
database so that a year of a busy town is one query, not a loop over every row.

*Held* is what the "still to report" list means by it (``attendance_views.pending``): the
event is published, the night was not skipped or cancelled, and it has ended. A period holds
the occurrences that *start* in it. Reports are revisions: only the latest of each occurrence
counts, found by a correlated subquery that the unique index ``(occurrence_id, revision)``
answers without reading older revisions (``is_latest``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    Subquery,
    case,
    cast,
    distinct,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, func
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import AttendanceReport, Event, Occurrence, Venue
from bolin_events.services.attendance.held import is_held, is_latest
from bolin_events.services.filters import Selection
from bolin_events.services.stats.periods import Period

FIGURES = ("people", "residents", "visitors", "onsite", "online", "volunteers")
# Figures a report may leave out, summed over the reports that gave them: None when none did
# (a split nobody reported is "未填", never 0).
SPLIT = frozenset({"residents", "visitors"})


class GroupBy(StrEnum):
    category = "category"
    village = "village"
    venue = "venue"
    programme = "programme"
    organizer = "organizer"
    month = "month"
    total = "total"


@dataclass
class Figures:
    """One group's figures; ``events`` counts distinct events (an exhibition is one 个)."""

    key: str | None
    sessions: int = 0
    events: int = 0
    reported: int = 0
    people: int = 0
    residents: int | None = None  # None: no report of the group gave a split
    visitors: int | None = None
    onsite: int = 0
    online: int = 0
    volunteers: int = 0

    @property
    def unreported(self) -> int:
        return self.sessions - self.reported


@dataclass(frozen=True)
class Window:
    """Occurrences starting in [start, end) that ended by ``now``; ``months`` are the local
    months the window touches (month grouping needs their boundaries on SQLite)."""

    start: datetime
    end: datetime
    now: datetime
    tz: ZoneInfo
    months: tuple[date, ...]


def window_of(period: Period, tz: ZoneInfo, now: datetime) -> Window:
    start, end = period.bounds(tz)
    return Window(start, end, now, tz, tuple(period.months()))


def local_month(column: Any, dialect: str, window: Window) -> ColumnElement[str]:
    """ "2025-06" for the local month of a stored UTC instant.

    PostgreSQL converts with its own time-zone database; SQLite has none, so it shifts by the
    zone's offset — exact while the offset is the same at every month boundary (always, for
    Asia/Shanghai) — and otherwise compares with each boundary in UTC.
    """
    if dialect == "postgresql":
        zone_name = cast(literal(window.tz.key), String)
        local = func.timezone(zone_name, func.timezone(cast(literal("UTC"), String), column))
        return func.to_char(local, cast(literal("YYYY-MM"), String))
    boundaries = [datetime.combine(m, time(0), tzinfo=window.tz) for m in window.months]
    offsets = {b.utcoffset() for b in boundaries}
    if len(offsets) == 1:
        (offset,) = offsets
        minutes = int(offset.total_seconds() // 60) if offset else 0
        return func.strftime("%Y-%m", column, f"{minutes:+d} minutes")
    whens = [
        (column < b.astimezone(UTC), f"{m:%Y-%m}")
        for m, b in zip(window.months[:-1], boundaries[1:], strict=True)
    ]
    return case(*whens, else_=f"{window.months[-1]:%Y-%m}")


def group_key(group_by: GroupBy, dialect: str, window: Window) -> ColumnElement[Any]:
    if group_by == GroupBy.month:
        return local_month(col(Occurrence.starts_at), dialect, window)
    keys: dict[GroupBy, Any] = {
        GroupBy.category: col(Event.category_id),
        GroupBy.village: col(Venue.village_id),
        GroupBy.venue: col(Occurrence.venue_id),
        GroupBy.programme: col(Event.programme_id),
        GroupBy.organizer: col(Event.organizer_id),
        GroupBy.total: literal_column("'total'"),
    }
    key: ColumnElement[Any] = keys[group_by]
    return key


def held_by(
    session: AsyncSession, window: Window, group_by: GroupBy, selection: Selection | None
) -> Subquery:
    """`held_in` keyed by ``group_by`` on this session's database: the nights every figure of
    the statistics (totals, sign-ups, kinds of day) is summed over."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return held_in(window, group_key(group_by, dialect, window),
                   venues=group_by == GroupBy.village, selection=selection or Selection())


def held_in(
    window: Window, key: ColumnElement[Any], *, venues: bool, selection: Selection
) -> Subquery:
    """One row per held occurrence of the window: its group key, its start and its latest
    report (``venues``: join the venue, for a key that needs its village)."""
    latest = aliased(AttendanceReport, name="latest")
    onsite = func.coalesce(latest.onsite, latest.total - func.coalesce(latest.online, 0))
    query = (
        select(
            key.label("key"),
            col(Occurrence.id).label("occurrence_id"),
            col(Event.id).label("event_id"),
            col(Occurrence.starts_at).label("starts_at"),
            col(latest.occurrence_id).label("reported"),
            col(latest.total).label("people"),
            col(latest.residents).label("residents"),
            col(latest.visitors).label("visitors"),
            onsite.label("onsite"),
            col(latest.online).label("online"),
            col(latest.volunteers).label("volunteers"),
        )
        .select_from(Occurrence)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .outerjoin(latest, is_latest(latest))
        .where(*is_held(window.start, window.end, window.now), *selection.night_conditions())
    )
    if venues:
        query = query.outerjoin(Venue, col(Venue.id) == col(Occurrence.venue_id))
    return query.subquery("held")


async def figures(
    session: AsyncSession, window: Window, group_by: GroupBy, selection: Selection | None = None
) -> list[Figures]:
    """The window's figures, one per group, in no particular order; ``selection`` narrows the
    nights counted the way every list and feed is narrowed (services.filters)."""
    held = held_by(session, window, group_by, selection)
    sums = [
        (func.sum(held.c[name]) if name in SPLIT else func.coalesce(func.sum(held.c[name]), 0))
        .label(name)
        for name in FIGURES
    ]
    query = select(
        held.c.key,
        func.count(held.c.occurrence_id),
        func.count(distinct(held.c.event_id)),
        func.count(held.c.reported),
        *sums,
    ).group_by(held.c.key)
    connection = await session.connection()  # a Core query: rows of plain values
    rows = (await connection.execute(query)).all()
    return [_figures_of(row) for row in rows]


def _figures_of(row: Any) -> Figures:
    key, sessions, events, reported, people, residents, visitors, *rest = row
    return Figures(
        None if key is None else str(key),
        int(sessions), int(events), int(reported), int(people),
        None if residents is None else int(residents),
        None if visitors is None else int(visitors),
        *(int(n) for n in rest),
    )
