"""What the public pages show: nights grouped by day, a month grid, one event's nights.

Every list comes from ``occurrences.visible_occurrences`` (what ``/api/v1/occurrences`` and
the feeds show), so a page, the JSON and a subscribed calendar always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.errors import DomainError
from bolin_events.models import Event, EventStatus, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.filters import Filters
from bolin_events.services.holidays import DayMark, day_marks
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import (
    MAX_WINDOW,
    night_out,
    occurrence_out,
    visible_occurrences,
)
from bolin_events.services.timing import (
    FIRST_YEAR,
    LAST_YEAR,
    add_months,
    end_day,
    midnight,
    start_day,
)
from bolin_events.web.holiday_views import HolidaySection, Marks, holiday_section, month_marks
from bolin_events.web.lunar_labels import lunar_label, lunar_mark

COMING_UP = 30
LIST_PAGE = 50
PROGRAMME_NIGHTS = 200
PAST_NIGHTS = 5
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass
class Day:
    """One day of a list, with the nights on it."""

    day: date
    items: list[OccurrenceOut] = field(default_factory=list)

    @property
    def lunar(self) -> Label | None:
        """The lunar date beside the day's heading, on a festival or solar term."""
        return lunar_label(self.day)


def group_by_day(nights: Iterable[OccurrenceOut], first: date | None = None) -> list[Day]:
    """Nights under the day they start (one already under way goes under ``first``)."""
    days: dict[date, Day] = {}
    for night in nights:
        key = max(start_day(night), first) if first else start_day(night)
        days.setdefault(key, Day(key)).items.append(night)
    return sorted(days.values(), key=lambda d: d.day)


async def nights_between(
    session: AsyncSession,
    refs: RefData,
    start: datetime,
    end: datetime,
    filters: Filters,
    limit: int | None = None,
) -> list[OccurrenceOut]:
    rows = await visible_occurrences(session, refs, start, end, filters, limit=limit)
    return [night_out(refs, night) for night in rows]


def weekend_of(today: date) -> tuple[date, date]:
    """The weekend a visitor means by "this weekend": the coming Saturday and Sunday."""
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:  # on a Sunday, "this weekend" is today: the list shows the next
        saturday = today + timedelta(days=6)
    return saturday, saturday + timedelta(days=1)


@dataclass
class Home:
    today: date
    on_today: list[OccurrenceOut]
    weekend: tuple[date, date]
    on_weekend: list[OccurrenceOut]
    coming: list[Day]
    holiday: HolidaySection | None = None  # 假期: in the weekend's place, or before it
    on_holiday: list[OccurrenceOut] = field(default_factory=list)
    show_weekend: bool = True
    today_mark: DayMark | None = None


async def home(
    session: AsyncSession, refs: RefData, tz: ZoneInfo, now: datetime, filters: Filters
) -> Home:
    """Today, this weekend (from tomorrow on) or the holiday break (假期) this week, then the
    next nights however far ahead."""
    today = now.astimezone(tz).date()
    tomorrow = today + timedelta(days=1)
    saturday, sunday = weekend_of(today)
    holiday, show_weekend = await holiday_section(session, tomorrow, saturday, sunday)
    after_weekend = midnight(max(sunday, holiday.last if holiday else sunday)
                             + timedelta(days=1), tz)
    on_today = await nights_between(session, refs, midnight(today, tz), midnight(tomorrow, tz),
                                    filters)
    on_holiday: list[OccurrenceOut] = []
    if holiday is not None:
        on_holiday = await nights_between(session, refs, midnight(holiday.first, tz),
                                          midnight(holiday.last + timedelta(days=1), tz), filters)
    on_weekend: list[OccurrenceOut] = []
    if show_weekend:
        weekend_from = midnight(max(saturday, tomorrow), tz)
        on_weekend = await nights_between(session, refs, weekend_from, after_weekend, filters)
    coming = await nights_between(
        session, refs, after_weekend, after_weekend + MAX_WINDOW, filters, COMING_UP
    )
    today_mark = (await day_marks(session, today, today)).get(today)
    return Home(today, on_today, (saturday, sunday), on_weekend, group_by_day(coming),
                holiday, on_holiday, show_weekend, today_mark)


@dataclass
class ListPage:
    first: date
    days: list[Day]
    next_from: date | None


def parse_day(text: str | None, field_name: str) -> date | None:
    """A ``YYYY-MM-DD`` query value; anything else is a 400 that shows the format."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(
            f"{field_name} 应为日期，格式 YYYY-MM-DD，例如 2027-06-01。",
            f"{field_name} must be a date like 2027-06-01 (YYYY-MM-DD).",
            [{"field": field_name, "value": text[:50]}],
        )
    return day


async def upcoming_list(
    session: AsyncSession,
    refs: RefData,
    tz: ZoneInfo,
    now: datetime,
    filters: Filters,
    first: date | None,
) -> ListPage:
    """A page of nights from ``first`` (default: now); the next page starts on a whole day."""
    start = midnight(first, tz) if first else now
    first_day = start.astimezone(tz).date()
    nights = await nights_between(session, refs, start, start + MAX_WINDOW, filters,
                                  LIST_PAGE + 1)
    next_from = None
    if len(nights) > LIST_PAGE:
        next_from = start_day(nights[LIST_PAGE])
        whole_days = [n for n in nights[:LIST_PAGE] if start_day(n) < next_from]
        if whole_days:
            nights = whole_days
        else:  # one day holds more than a page: show a page of it, go on with the next day
            nights, next_from = nights[:LIST_PAGE], next_from + timedelta(days=1)
    return ListPage(first_day, group_by_day(nights, first_day), next_from)


def parse_month(text: str | None, today: date) -> date:
    """``YYYY-MM`` as the first of that month (this month when absent); else a 400."""
    if not text:
        return today.replace(day=1)
    match = _MONTH.match(text.strip())
    if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise DomainError(
        "month 应为年-月，格式 YYYY-MM，例如 2027-06。",
        "month must be a year and month like 2027-06 (YYYY-MM).",
        [{"field": "month", "value": text[:50]}],
    )


MAX_PER_DAY = 5  # nights shown in a day's cell; the rest behind "还有N场" (a month stays small)


@dataclass
class GridDay:
    day: date
    in_month: bool
    items: list[OccurrenceOut] = field(default_factory=list)

    @property
    def shown(self) -> list[OccurrenceOut]:
        return self.items[:MAX_PER_DAY]

    @property
    def more(self) -> int:
        """Nights of the day not shown in its cell (the day's list shows them all)."""
        return max(len(self.items) - MAX_PER_DAY, 0)

    def lunar(self, beside: str = "") -> Label | None:
        """The festival or solar term in the cell (not one the holiday mark ``beside`` says)."""
        return lunar_mark(self.day, beside)

    @property
    def lunar_full(self) -> Label | None:
        """农历八月十五 中秋节: the cell's mark said in full (its title)."""
        return lunar_label(self.day, always=True)


@dataclass
class MonthGrid:
    month: date
    weeks: list[list[GridDay]]
    previous: date | None
    next: date | None
    marks: Marks  # public holidays (休) and 调休 working days (班)

    @property
    def count(self) -> int:
        return len({n.id for week in self.weeks for d in week if d.in_month for n in d.items})


async def month_grid(
    session: AsyncSession, refs: RefData, tz: ZoneInfo, month: date, filters: Filters
) -> MonthGrid:
    """Whole weeks, Monday first; a night spanning days is listed on each of them."""
    grid_start = month - timedelta(days=month.weekday())
    last = add_months(month, 1) - timedelta(days=1)
    grid_end = last + timedelta(days=6 - last.weekday())
    days = {
        grid_start + timedelta(days=i): GridDay(grid_start + timedelta(days=i), False)
        for i in range((grid_end - grid_start).days + 1)
    }
    for grid_day in days.values():
        grid_day.in_month = grid_day.day.month == month.month
    nights = await nights_between(
        session, refs, midnight(grid_start, tz), midnight(grid_end + timedelta(days=1), tz),
        filters,
    )
    for night in nights:
        day = max(start_day(night), grid_start)
        while day <= min(end_day(night), grid_end):
            days[day].items.append(night)
            day += timedelta(days=1)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    previous = add_months(month, -1) if month.year > FIRST_YEAR or month.month > 1 else None
    following = add_months(month, 1) if month.year < LAST_YEAR or month.month < 12 else None
    marks = await month_marks(session, month, grid_start, grid_end)
    return MonthGrid(month, weeks, previous, following, marks)


async def event_nights(
    session: AsyncSession, refs: RefData, event: Event, now: datetime
) -> tuple[list[OccurrenceOut], bool]:
    """The nights still to come (cancelled ones too, skipped ones never); when none are
    left, the last few, and True to say the event is over."""
    query = select(Occurrence).where(
        Occurrence.event_id == event.id, Occurrence.state != OccurrenceState.skipped
    )
    upcoming = (
        await session.exec(
            query.where(Occurrence.ends_at > now).order_by(col(Occurrence.starts_at))
        )
    ).all()
    if upcoming:
        return [occurrence_out(refs, occ, event) for occ in upcoming], False
    recent = (
        await session.exec(query.order_by(col(Occurrence.starts_at).desc()).limit(PAST_NIGHTS))
    ).all()
    return [occurrence_out(refs, occ, event) for occ in reversed(recent)], True


async def programme_nights(
    session: AsyncSession, refs: RefData, tz: ZoneInfo, now: datetime, slug: str
) -> list[Day]:
    """The nights still to come of a programme and of every programme under it, by day."""
    nights = await nights_between(session, refs, now, now + MAX_WINDOW,
                                  Filters(programmes=[slug]), PROGRAMME_NIGHTS)
    return group_by_day(nights, now.astimezone(tz).date())


@dataclass
class Busy:
    """How much of a scope is still to come: its nights and the first of them."""

    nights: int
    first: datetime


async def busiest(
    session: AsyncSession, refs: RefData, now: datetime
) -> tuple[list[str], list[str]]:
    """The programmes on now or next (a night counts for the programmes above its own too) and
    the categories with the most nights to come, as slugs, most used first: the feeds the
    subscribe page offers before the rest."""
    rows = await session.exec(
        select(Event.category_id, Event.programme_id, func.count(), func.min(Occurrence.starts_at))
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(Event.status == EventStatus.published,
               col(Occurrence.state).in_([OccurrenceState.scheduled, OccurrenceState.moved]),
               Occurrence.ends_at > now, Occurrence.starts_at < now + MAX_WINDOW)
        .group_by(col(Event.category_id), col(Event.programme_id))
    )
    categories: dict[str, int] = {}
    programmes: dict[str, Busy] = {}
    for category_id, programme_id, count, first in rows.all():
        slug = refs.categories.by_id[category_id].slug
        categories[slug] = categories.get(slug, 0) + count
        programme = refs.programmes.by_id.get(programme_id or -1)
        while programme is not None:
            busy = programmes.setdefault(programme.slug, Busy(0, first))
            busy.nights, busy.first = busy.nights + count, min(busy.first, first)
            programme = refs.programmes.by_id.get(programme.parent_id or -1)
    return (sorted(programmes, key=lambda s: (programmes[s].first, -programmes[s].nights, s)),
            sorted(categories, key=lambda s: (-categories[s], s)))
