"""Public holidays (法定节假日) and 调休 working days: the package's years, and years entered
by hand.

The chinesecalendar package holds each year the State Council has published (one release a
year, around November; see docs/chinese-calendar.md). A year an admin entered by hand (a
``HolidayYear`` row) takes its days from ``HolidayDay`` only, and wins over the package; a
year neither knows is "unknown" (假日安排未公布), never guessed: not even its weekends, since a
Saturday may turn out to be worked.

Only public holidays and worked weekend days are *marked*: the package calls every ordinary
weekend a holiday too, which a calendar must not show as 休.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import InvalidInput, NotFound
from bolin_events.models import DayKind, HolidayDay, HolidayYear, User, utcnow
from bolin_events.schemas.holidays import (
    HolidayDayOut,
    HolidayEntryIn,
    HolidayYearIn,
    HolidayYearOut,
    Status,
)
from bolin_events.services.years import check_year

PACKAGE = f"chinesecalendar {chinese_calendar.__version__}"
STATUS_ZH: dict[Status, str] = {
    "package": "已公布（节假日数据包）",
    "entered": "已公布（管理员录入）",
    "unknown": "假日安排未公布",
}
# English names for holidays typed in Chinese (the package's own, and the usual longer forms)
NAME_EN = {h.chinese: h.value for h in chinese_calendar.Holiday} | {
    "清明节": "Tomb-sweeping Day", "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival", "国庆": "National Day", "五一": "Labour Day",
}
# What a break is called: 国庆节 → 国庆假期, 中秋 → 中秋假期, 春节 → 春节假期
_BREAK_SHORT = {"国庆节": "国庆", "中秋节": "中秋", "端午节": "端午", "清明节": "清明"}


@dataclass(frozen=True)
class DayMark:
    """A marked day: a public holiday (休), or a weekend day worked in exchange (班)."""

    kind: str  # "holiday" | "workday"
    name_zh: str  # for a workday, the holiday it serves
    name_en: str


@dataclass(frozen=True)
class HolidayBreak:
    """Consecutive public holidays: 国庆假期 10月1日–7日."""

    first: date
    last: date
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...]

    @property
    def title_zh(self) -> str:
        return "、".join(_BREAK_SHORT.get(n, n) for n in self.names_zh) + "假期"

    @property
    def title_en(self) -> str:
        return ", ".join(self.names_en) + " holiday"


def package_range() -> tuple[int, int]:
    """The first and last year the installed package covers."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


@lru_cache(maxsize=64)
def package_year(year: int) -> dict[date, DayMark] | None:
    """The package's marks for a year; None when it has no data for that year."""
    try:
        chinese_calendar.get_holiday_detail(date(year, 1, 1))
    except NotImplementedError:
        return None
    marks: dict[date, DayMark] = {}
    for source, kind in ((chinese_calendar.holidays, "holiday"),
                         (chinese_calendar.workdays, "workday")):
        for day, name in source.items():
            if day.year == year:
                marks[day] = _package_mark(kind, name)
    return dict(sorted(marks.items()))


def _package_mark(kind: str, name: str | None) -> DayMark:
    try:
        holiday = chinese_calendar.Holiday(name)
    except ValueError:  # a day the package names oddly, or not at all
        name_zh = "法定节假日" if kind == "holiday" else "调休"
        return DayMark(kind, name_zh, name or "Public holiday")
    return DayMark(kind, str(holiday.chinese), holiday.value)


async def _entered(session: AsyncSession, years: Iterable[int]) -> dict[int, dict[date, DayMark]]:
    """The marks of the years among ``years`` that were entered by hand (one query each)."""
    wanted = sorted(set(years))
    found = (await session.exec(
        select(HolidayYear.year).where(col(HolidayYear.year).in_(wanted))
    )).all()
    entered: dict[int, dict[date, DayMark]] = {year: {} for year in found}
    if entered:
        rows = (await session.exec(
            select(HolidayDay).where(col(HolidayDay.year).in_(list(entered)))
            .order_by(col(HolidayDay.day))
        )).all()
        for row in rows:
            entered[row.year][row.day] = DayMark(
                row.kind.value, row.name_zh, row.name_en or row.name_zh
            )
    return entered


async def _year_marks(
    session: AsyncSession, years: Iterable[int]
) -> dict[int, dict[date, DayMark] | None]:
    """Each year's marks, by the rule above: by hand, else the package, else None (unknown)."""
    wanted = sorted(set(years))
    entered = await _entered(session, wanted)
    return {year: entered[year] if year in entered else package_year(year) for year in wanted}


async def marks_between(
    session: AsyncSession, start: date, end: date
) -> tuple[dict[date, DayMark], list[int]]:
    """The marked days from ``start`` to ``end`` (both included), and the years among them
    whose arrangement nobody knows yet (they have no marked days)."""
    years = await _year_marks(session, range(start.year, end.year + 1))
    marks = {day: mark for known in years.values() if known is not None
             for day, mark in known.items() if start <= day <= end}
    return marks, [year for year, known in years.items() if known is None]


async def day_marks(session: AsyncSession, start: date, end: date) -> dict[date, DayMark]:
    """The marked days from ``start`` to ``end``, both included (unknown years have none)."""
    return (await marks_between(session, start, end))[0]


async def unknown_years(session: AsyncSession, start: date, end: date) -> list[int]:
    """The years from ``start`` to ``end`` (both included) whose arrangement nobody knows yet."""
    return (await marks_between(session, start, end))[1]


async def day_kinds(session: AsyncSession, days: Iterable[date]) -> dict[date, str]:
    """Each day's kind: "holiday" (a public holiday), "workday" (Monday–Friday not a holiday,
    or a weekend day worked: 调休), "weekend" (Saturday or Sunday not worked), or "unknown"
    for every day of a year whose arrangement is not published (not guessed)."""
    wanted = set(days)
    years = await _year_marks(session, {day.year for day in wanted})
    kinds: dict[date, str] = {}
    for day in wanted:
        marks = years[day.year]
        if marks is None:
            kinds[day] = "unknown"
        elif day in marks:
            kinds[day] = marks[day].kind
        else:
            kinds[day] = "weekend" if day.weekday() >= 5 else "workday"
    return kinds


def breaks(marks: dict[date, DayMark]) -> list[HolidayBreak]:
    """Runs of consecutive holidays, each with its holidays' names in order (2025's 国庆 and
    中秋 shared one run: 国庆、中秋假期)."""
    found: list[HolidayBreak] = []
    for day in sorted(d for d, m in marks.items() if m.kind == "holiday"):
        mark = marks[day]
        last = found[-1] if found else None
        if last is not None and last.last == day - timedelta(days=1):
            names_zh = last.names_zh + (() if mark.name_zh in last.names_zh else (mark.name_zh,))
            names_en = last.names_en + (() if mark.name_en in last.names_en else (mark.name_en,))
            found[-1] = HolidayBreak(last.first, day, names_zh, names_en)
        else:
            found.append(HolidayBreak(day, day, (mark.name_zh,), (mark.name_en,)))
    return found


async def holiday_break(session: AsyncSession, start: date, end: date) -> HolidayBreak | None:
    """The first break with a day from ``start`` to ``end``, whole (it may begin before
    ``start`` or run on after ``end``)."""
    marks = await day_marks(session, start - timedelta(days=31), end + timedelta(days=31))
    return next((b for b in breaks(marks) if b.first <= end and b.last >= start), None)


# The admin's own years ------------------------------------------------------------------------


def expand_entries(year: int, entries: Iterable[HolidayEntryIn]) -> list[HolidayDayOut]:
    """The days the entries name, in order; 422 for a day outside the year, a run ending
    before it starts, a day listed twice, or a 调休 working day that is no weekend day."""
    days: dict[date, HolidayDayOut] = {}
    for number, entry in enumerate(entries, start=1):
        end = entry.end or entry.start
        where = {"entry": number, "start": entry.start.isoformat(), "end": end.isoformat()}
        if end < entry.start:
            raise InvalidInput(
                f"第{number}项：结束日期 {end} 早于开始日期 {entry.start}。",
                f"Entry {number}: the end {end} comes before the start {entry.start}.", [where],
            )
        if entry.start.year != year or end.year != year:
            raise InvalidInput(
                f"第{number}项：日期须在{year}年之内。",
                f"Entry {number}: the dates must lie in {year}.", [where],
            )
        day = entry.start
        while day <= end:
            if day in days:
                raise InvalidInput(
                    f"{day} 列了两次（第{number}项）；每天只能是放假或调休上班之一。",
                    f"{day} is listed twice (entry {number}); a day is a holiday or a "
                    "working day, once.", [{**where, "day": day.isoformat()}],
                )
            if entry.kind == "workday" and day.weekday() < 5:
                raise InvalidInput(
                    f"{day} 是工作日，不用调休上班；调休上班日应是周六或周日（第{number}项）。",
                    f"{day} is a weekday already; a swapped working day is a Saturday or "
                    f"Sunday (entry {number}).", [{**where, "day": day.isoformat()}],
                )
            name_en = entry.name_en or NAME_EN.get(entry.name_zh, entry.name_zh)
            days[day] = HolidayDayOut(day=day, kind=entry.kind, name_zh=entry.name_zh,
                                      name_en=name_en)
            day += timedelta(days=1)
    if not any(d.kind == "holiday" for d in days.values()):
        raise InvalidInput(
            "至少要有一天放假。", "Enter at least one holiday.", [{"field": "days"}]
        )
    return sorted(days.values(), key=lambda d: d.day)


async def enter_year(
    session: AsyncSession, year: int, data: HolidayYearIn, user_id: int | None
) -> HolidayYearOut:
    """Put the year's arrangement in place of whatever was entered for it before; from now on
    the year's days are these, whatever the package says."""
    check_year(year)
    days = expand_entries(year, data.days)
    row = await session.get(HolidayYear, year) or HolidayYear(year=year)
    row.source, row.entered_by, row.entered_at = data.source or None, user_id, utcnow()
    session.add(row)
    await _delete_days(session, year)
    session.add_all(
        HolidayDay(day=d.day, year=year, kind=DayKind(d.kind), name_zh=d.name_zh,
                   name_en=d.name_en)
        for d in days
    )
    await session.flush()
    return await year_out(session, year)


async def _delete_days(session: AsyncSession, year: int) -> None:
    """Row by row (a year has about 15), so the audit trail sees each day go."""
    for day in (await session.exec(select(HolidayDay).where(HolidayDay.year == year))).all():
        await session.delete(day)
    await session.flush()


async def remove_year(session: AsyncSession, year: int) -> HolidayYearOut:
    """Forget a year entered by hand: it goes back to the package, or to 假日安排未公布."""
    row = await session.get(HolidayYear, year)
    if row is None:
        raise NotFound(
            f"{year}年的假日安排没有手工录入，无需删除。",
            f"No holiday arrangement for {year} was entered by hand.", [{"year": year}],
        )
    await _delete_days(session, year)
    await session.delete(row)
    await session.flush()
    return await year_out(session, year)


async def year_out(session: AsyncSession, year: int) -> HolidayYearOut:
    """A year's arrangement and where it comes from."""
    check_year(year)
    found = (await session.exec(
        select(HolidayYear, User.username)
        .outerjoin(User, col(User.id) == col(HolidayYear.entered_by))
        .where(HolidayYear.year == year)
    )).first()
    marks = (await _year_marks(session, [year]))[year]
    status: Status = "entered" if found else "package" if marks is not None else "unknown"
    row, username = found if found else (None, None)
    return HolidayYearOut(
        year=year,
        status=status,
        status_zh=STATUS_ZH[status],
        source=(row.source if row else PACKAGE if marks is not None else None),
        entered_by=username,
        entered_at=row.entered_at if row else None,
        days=[HolidayDayOut(day=day, kind="holiday" if m.kind == "holiday" else "workday",
                            name_zh=m.name_zh, name_en=m.name_en)
              for day, m in sorted((marks or {}).items())],
    )


async def entered_years(session: AsyncSession) -> list[int]:
    """The years entered by hand, newest first."""
    rows = await session.exec(select(HolidayYear.year).order_by(col(HolidayYear.year).desc()))
    return list(rows.all())
