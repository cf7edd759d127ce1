"""Reporting periods: a year, a quarter, a month or a range of days, in the town's local time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bolin_events.errors import InvalidInput, field_zh
from bolin_events.services.timing import check_year

MAX_DAYS = 3660  # ten years: more is no report anyone writes
QUARTER_ZH = "一二三四"
PERIOD_FORMS = "2025, 2025-Q2, 2025-06, or from/to dates such as 2025-01-01 and 2025-06-30"
DAY_EN = {"from": "first day (from)", "to": "last day (to)"}


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive, the way people say "1月1日至6月30日"
    kind: str  # year | quarter | month | range

    @property
    def key(self) -> str:
        if self.kind == "year":
            return f"{self.first.year}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        """ "2025年", "2025年第二季度", "2025年6月", "2025年1月1日至2025年6月30日"."""
        year = f"{self.first.year}年"
        if self.kind == "year":
            return year
        if self.kind == "quarter":
            return f"{year}第{QUARTER_ZH[(self.first.month - 1) // 3]}季度"
        if self.kind == "month":
            return f"{year}{self.first.month}月"
        return f"{_day_zh(self.first)}至{_day_zh(self.last)}"

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """UTC instants [local midnight of the first day, local midnight after the last)."""
        start = datetime.combine(self.first, time(0), tzinfo=tz)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def year_earlier(self) -> Period:
        """The same period a year before (29 February becomes the 28th)."""
        return Period(_year_before(self.first), _year_before(self.last), self.kind)

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        found, day = [], self.first.replace(day=1)
        while day <= self.last:
            found.append(day)
            day = _next_month(day)
        return found


def _day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _year_before(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _bad(field: str, value: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, [{"field": field, "value": value[:50]}])


def parse_period(text: str) -> Period:
    """ "2025" (a year), "2025-Q2" (a quarter), "2025-06" (a month)."""
    value = text.strip().upper()
    if match := re.match(r"\d{4}(?=-|$)", value):  # before making dates: year 0 cannot be one
        check_year(int(match[0]), "period")
    if match := re.fullmatch(r"(\d{4})", value):
        year = int(match[1])
        period = Period(date(year, 1, 1), date(year, 12, 31), "year")
    elif match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(match[1]), int(match[2])
        last = _next_month(date(year, 3 * quarter, 1)) - timedelta(days=1)
        period = Period(date(year, 3 * quarter - 2, 1), last, "quarter")
    elif (match := re.fullmatch(r"(\d{4})-(\d{2})", value)) and 1 <= int(match[2]) <= 12:
        first = date(int(match[1]), int(match[2]), 1)
        period = Period(first, _next_month(first) - timedelta(days=1), "month")
    else:
        raise _bad(
            "period",
            text,
            f"统计期「{text[:50]}」无法识别：请写 2025（全年）、2025-Q2（季度）、2025-06（月份），"
            "或给出起止日期。",
            f"Period {text[:50]!r} is not understood; use {PERIOD_FORMS}.",
        )
    check_year(period.first, "period")
    return period


def _day(text: str, field: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise _bad(
            field,
            text,
            f"{field_zh(field)}不是有效日期：「{text.strip()[:20]}」，应写成 2025-06-30 这样。",
            f"The {DAY_EN.get(field, field)} {text.strip()[:20]!r} is not a date "
            "(e.g. 2025-06-30).",
        ) from None
    check_year(day, field)
    return day


def resolve(period: str | None, first: str | None, last: str | None) -> Period:
    """One period from either ``period`` or both of ``from``/``to`` (the last day included).

    Messages name the dates as people do (起始日期, 截止日期; the first and last day), not
    by the query's words ``from`` and ``to``, which stay in the details for programs."""
    if period and (first or last):
        raise _bad(
            "period",
            period,
            "请只用一种方式给出统计期：年份、季度或月份，或者起止日期。",
            "Give the period one way: period, or from and to.",
        )
    if period:
        return parse_period(period)
    if bool(first) != bool(last):  # one of the two days
        given, missing = ("from", "to") if first else ("to", "from")
        raise _bad(
            missing,
            first or last or "",
            f"缺少统计期的{field_zh(missing)}：只给了{field_zh(given)}，"
            "请同时给出起始日期和截止日期。",
            f"The period lacks its {'last' if first else 'first'} day: give both the first "
            "day (from) and the last day (to).",
        )
    if not (first and last):
        raise _bad(
            "period",
            "",
            "缺少统计期：请给出年份、季度或月份（如 2025、2025-Q2、2025-06），"
            "或同时给出起始日期和截止日期。",
            f"No period: give a year, a quarter or a month, or the first and last day "
            f"({PERIOD_FORMS}).",
        )
    start, end = _day(first, "from"), _day(last, "to")
    if end < start:
        raise _bad("to", last, f"截止日期不能早于起始日期（起始 {start}，截止 {end}）。",
                   f"The last day ({end}) must not be before the first day ({start}).")
    if (end - start).days >= MAX_DAYS:
        raise _bad(
            "to", last, "统计期最长十年，请缩小起止日期的范围。",
            "A period is at most ten years; bring the first and last day closer."
        )
    return Period(start, end, "range")
