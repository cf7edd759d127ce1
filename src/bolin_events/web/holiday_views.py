"""Public holidays on pages: the marks of a month's days (休, 班), the notice for a year not
published yet, and the break the home page shows instead of "this weekend"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.services import holidays
from bolin_events.services.holidays import DayMark, HolidayBreak

WEEKDAY_ZH = "一二三四五六日"


def span_zh(first: date, last: date) -> str:
    """10月1日–7日, 9月30日–10月7日, 1月1日"""
    if first == last:
        return f"{first.month}月{first.day}日"
    end = f"{last.day}日" if last.month == first.month else f"{last.month}月{last.day}日"
    return f"{first.month}月{first.day}日–{end}"


def span_en(first: date, last: date) -> str:
    """1–7 Oct, 30 Sep–7 Oct, 1 Jan"""
    if first == last:
        return f"{first.day} {first:%b}"
    start = f"{first.day}" if last.month == first.month else f"{first.day} {first:%b}"
    return f"{start}–{last.day} {last:%b}"


@dataclass
class Marks:
    """The marked days of a span and the years among them nobody published."""

    days: dict[date, DayMark]
    unknown: list[int]

    def get(self, day: date) -> DayMark | None:
        return self.days.get(day)

    def is_weekend(self, day: date) -> bool:
        """A Saturday or Sunday not worked (a 调休 working day is no weekend)."""
        mark = self.days.get(day)
        return day.weekday() >= 5 and not (mark and mark.kind == "workday")

    @property
    def breaks(self) -> list[HolidayBreak]:
        return holidays.breaks(self.days)

    @property
    def workdays(self) -> list[tuple[date, DayMark]]:
        return sorted((d, m) for d, m in self.days.items() if m.kind == "workday")

    def summary(self, month: date) -> list[Label]:
        """The month's breaks and 调休 working days in words, for the line above a grid (a
        phone hides the grid's empty days)."""
        lines = [
            Label(f"{'、'.join(b.names_zh)} {span_zh(b.first, b.last)} 放假",
                  f"{', '.join(b.names_en)}: {span_en(b.first, b.last)} off")
            for b in self.breaks if (b.first.year, b.first.month) <= (month.year, month.month)
            <= (b.last.year, b.last.month)
        ]
        lines += [
            Label(f"{d.month}月{d.day}日（周{WEEKDAY_ZH[d.weekday()]}）{m.name_zh}调休上班",
                  f"{d:%a} {d.day} {d:%b}: working day ({m.name_en}, swapped)")
            for d, m in self.workdays if (d.year, d.month) == (month.year, month.month)
        ]
        return lines

    @property
    def unknown_zh(self) -> str:
        return "、".join(f"{year}年" for year in self.unknown)

    @property
    def unknown_en(self) -> str:
        return ", ".join(str(year) for year in self.unknown)


async def month_marks(session: AsyncSession, month: date, first: date, last: date) -> Marks:
    """A month grid's marks (``first``..``last`` may reach into the months beside it); the
    notice speaks of the month's own year only."""
    days, unknown = await holidays.marks_between(session, first, last)
    return Marks(days, [year for year in unknown if year == month.year])


@dataclass(frozen=True)
class HolidaySection:
    """The home page's 假期 section: the break, and the days its list covers."""

    holiday: HolidayBreak
    first: date  # tomorrow at the earliest: today's nights are under 今天
    last: date  # the break's last day, or this weekend's Sunday if that comes later

    @property
    def name(self) -> Label:
        """国庆假期"""
        return Label(self.holiday.title_zh, self.holiday.title_en)

    @property
    def dates(self) -> Label:
        """10月1日–7日"""
        return Label(span_zh(self.holiday.first, self.holiday.last),
                     span_en(self.holiday.first, self.holiday.last))


async def holiday_section(
    session: AsyncSession, tomorrow: date, saturday: date, sunday: date
) -> tuple[HolidaySection | None, bool]:
    """The break the home page shows (docs/web-pages.md): the first with a day from tomorrow to
    this weekend's Sunday. When it reaches the weekend it takes the weekend's place (its list
    runs to Sunday at least, so no night is lost); when it ends before Saturday (元旦 on a
    Wednesday), "this weekend" is still shown after it: the bool says so."""
    found = await holidays.holiday_break(session, tomorrow, sunday)
    if found is None:
        return None, True
    keeps_weekend = found.last < saturday
    last = found.last if keeps_weekend else max(found.last, sunday)
    return HolidaySection(found, max(found.first, tomorrow), last), keeps_weekend
