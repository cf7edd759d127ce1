"""Series by the Chinese calendar, which no RRULE can say: a lunar date every year (中秋 on
八月十五), a solar term every year (丰收节 on 秋分), and the lunar days ending in given digits
(逢三六九 markets) within a period.

The rule is a short text kept in ``Event.calendar_rule`` (never beside an ``rrule``)::

    LUNAR;MONTH=8;DAY=15          every year on lunar 8/15; ;LEAP=1 the leap month of that number
    TERM;NAME=秋分                every year on that solar term (Chinese or pinyin name)
    LUNARDAYS;ENDINGS=3,6,9;UNTIL=20271231   lunar days 初三 初六 初九 十三 … 廿九

each with an optional ``;COUNT=n`` or ``;UNTIL=YYYYMMDD`` (LUNARDAYS needs one). Parsing
forgives case, spaces and full-width punctuation; ``CalendarRule.text`` is the one stored form.
Expansion gives local dates (a lunar day is a day of the calendar in China): the caller puts
the event's time of day on them, as RRULE nights keep their wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice
from typing import Literal

from bolin_events.errors import InvalidInput
from bolin_events.services.lunar import (
    DAY_ZH,
    FIRST_YEAR,
    LAST_YEAR,
    TERM_EN,
    TERMS,
    lunar_day,
    lunar_months,
    month_name,
    solar_terms,
    term_name,
)

Kind = Literal["LUNAR", "TERM", "LUNARDAYS"]
# The parts each kind takes, besides COUNT and UNTIL.
_PARTS: dict[str, tuple[str, ...]] = {
    "LUNAR": ("MONTH", "DAY", "LEAP"),
    "TERM": ("NAME",),
    "LUNARDAYS": ("ENDINGS",),
}
_WIDE = str.maketrans({"；": ";", "＝": "=", "，": ",", "、": ",", "：": ":"})
DIGIT_ZH = "十一二三四五六七八九"  # an ending of 0 is 初十, 二十, 三十: 逢十


def _bad(part: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"农历规则有误：{zh}",
        f"The Chinese-calendar rule is wrong: {en}",
        [{"field": "calendar_rule", "part": part}],
    )


@dataclass(frozen=True)
class CalendarRule:
    kind: Kind
    month: int = 0  # LUNAR: 1–12
    day: int = 0  # LUNAR: 1–30 (30 means the month's last day)
    leap: bool = False  # LUNAR: the leap month (闰月) of that number, in years that have one
    term: str = ""  # TERM: the Chinese name
    endings: tuple[int, ...] = ()  # LUNARDAYS: last digits of the lunar day, 0 for 初十/二十/三十
    count: int | None = None
    until: date | None = None

    @property
    def text(self) -> str:
        """The canonical form, as stored: ``LUNAR;MONTH=8;DAY=15;COUNT=5``."""
        if self.kind == "LUNAR":
            parts = [f"LUNAR;MONTH={self.month};DAY={self.day}"] + (["LEAP=1"] if self.leap else [])
        elif self.kind == "TERM":
            parts = [f"TERM;NAME={self.term}"]
        else:
            parts = ["LUNARDAYS;ENDINGS=" + ",".join(str(d) for d in self.endings)]
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)

    def describe(self) -> tuple[str, str]:
        """The rule in words: ("每年农历八月十五", "every year on the 15th day of the 8th lunar
        month"), with "，共 5 次" or "，至 2030年12月31日" when it ends."""
        zh, en = self._pattern()
        if self.count is not None:
            zh += f"，共 {self.count} 次"
            en += f", {self.count} {'time' if self.count == 1 else 'times'}"
        if self.until is not None:
            zh += f"，至 {self.until.year}年{self.until.month}月{self.until.day}日"
            en += f", until {self.until:%Y-%m-%d}"
        return zh, en

    def _pattern(self) -> tuple[str, str]:
        if self.kind == "LUNAR":
            month = month_name(self.month, leap=self.leap)
            leap = "leap " if self.leap else ""
            en = f"every year on the {_ordinal(self.day)} day of the {leap}{_ordinal(self.month)}" \
                 " lunar month"
            if self.day == 30:
                en += " (its last day when the month has 29)"
            if self.leap:
                en += ", in years that have one"
            return f"每年农历{month}{DAY_ZH[self.day - 1]}", en
        if self.kind == "TERM":
            return f"每年{self.term}", f"every year on {TERM_EN[self.term]} ({self.term})"
        shown = sorted(self.endings, key=lambda d: d or 10)  # 逢五、十: 0 reads as ten, last
        zh = "、".join(DIGIT_ZH[d] for d in shown)
        numbers = [str(d) for d in shown]
        en = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " or " + numbers[-1]
        return f"农历逢{zh}日", f"every lunar day ending in {en}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def parse_calendar_rule(text: str, *, max_count: int | None = None) -> CalendarRule:
    """The rule in ``text``, or a 422 saying in words what is wrong with it."""
    pieces = [p.strip() for p in text.translate(_WIDE).strip().strip(";").split(";")]
    kind = pieces[0].upper().replace(" ", "")
    if not kind:
        raise _bad("calendar_rule", "规则为空", "the rule is empty")
    if kind not in _PARTS:
        raise _bad(
            kind,
            f"「{pieces[0]}」不是规则种类，应以 LUNAR（农历日期）、TERM（节气）"
            "或 LUNARDAYS（逢日）开头，如 LUNAR;MONTH=8;DAY=15",
            f"{pieces[0]!r} is no kind of rule: begin with LUNAR (a lunar date), TERM (a solar "
            "term) or LUNARDAYS (lunar days ending in …), e.g. LUNAR;MONTH=8;DAY=15",
        )
    parts = _parts(kind, pieces[1:])
    count, until = _end(kind, parts, max_count)
    if kind == "LUNAR":
        return _lunar(parts, count, until)
    if kind == "TERM":
        return _term(parts, count, until)
    return CalendarRule("LUNARDAYS", endings=_endings(parts.get("ENDINGS")),
                        count=count, until=until)


def _parts(kind: str, pieces: list[str]) -> dict[str, str]:
    allowed = (*_PARTS[kind], "COUNT", "UNTIL")
    parts: dict[str, str] = {}
    for piece in pieces:
        if "=" not in piece:
            raise _bad(piece or ";", f"「{piece}」应为 名称=值 的形式",
                       f"{piece!r}: each part must be NAME=VALUE")
        name, _, value = piece.partition("=")
        name = name.strip().upper()
        if name in parts:
            raise _bad(name, f"{name} 出现了两次", f"{name} appears twice")
        if name not in allowed:
            raise _bad(name, f"{kind} 规则不接受 {name}（可用：{'、'.join(allowed)}）",
                       f"a {kind} rule takes no {name} (only {', '.join(allowed)})")
        parts[name] = value.strip()
    return parts


def _end(kind: str, parts: dict[str, str], max_count: int | None
         ) -> tuple[int | None, date | None]:
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad("COUNT/UNTIL", "次数（COUNT）与截止日期（UNTIL）只能二选一",
                   "give COUNT or UNTIL, not both")
    if kind == "LUNARDAYS" and not parts.keys() & {"COUNT", "UNTIL"}:
        raise _bad("COUNT/UNTIL", "逢日规则须写明截止日期或次数（如 ;UNTIL=20271231 或 ;COUNT=30）",
                   "a LUNARDAYS rule needs an end: UNTIL=YYYYMMDD or COUNT=n")
    count = None
    if "COUNT" in parts:
        raw, high = parts["COUNT"], max_count or 1_000_000
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= high):
            raise _bad("COUNT", f"次数（COUNT）须为 1 到 {high} 之间的整数",
                       f"COUNT must be a whole number 1–{high}")
        count = int(raw)
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    return count, until


def _until(raw: str) -> date:
    digits = raw.replace("-", "")
    try:
        if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
            raise ValueError(raw)
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _bad("UNTIL", f"截止日期（UNTIL）「{raw}」应为 YYYYMMDD 形式的日期，如 20301231",
                   f"UNTIL {raw!r} must be a date written YYYYMMDD, e.g. 20301231") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _bad("UNTIL", f"截止日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间",
                   f"UNTIL must fall between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def _number(parts: dict[str, str], name: str, high: int, zh: str, en: str) -> int:
    raw = parts.get(name)
    if raw is None:
        raise _bad(name, f"农历日期规则须写明月份和日期，如 LUNAR;MONTH=8;DAY=15（缺 {name}）",
                   f"a LUNAR rule needs MONTH and DAY, e.g. LUNAR;MONTH=8;DAY=15 ({name} missing)")
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= high):
        raise _bad(name, zh, en)
    return int(raw)


def _lunar(parts: dict[str, str], count: int | None, until: date | None) -> CalendarRule:
    month = _number(parts, "MONTH", 12, "农历月份须为 1–12", "the lunar MONTH must be 1–12")
    day = _number(parts, "DAY", 30, "农历日须为 1–30", "the lunar DAY must be 1–30")
    leap = parts.get("LEAP", "0")
    if leap not in ("0", "1"):
        raise _bad("LEAP", "LEAP 须为 0 或 1（1 表示闰月）",
                   "LEAP must be 0 or 1 (1: the leap month)")
    return CalendarRule("LUNAR", month=month, day=day, leap=leap == "1", count=count, until=until)


def _term(parts: dict[str, str], count: int | None, until: date | None) -> CalendarRule:
    raw = parts.get("NAME", "")
    name = term_name(raw)
    if name is None:
        names = "、".join(zh for zh, _, _ in TERMS)
        raise _bad("NAME", f"无法识别节气「{raw}」，节气为：{names}",
                   f"{raw!r} is not a solar term; the 24 are: "
                   + ", ".join(f"{zh} ({pinyin})" for zh, pinyin, _ in TERMS))
    return CalendarRule("TERM", term=name, count=count, until=until)


def _endings(raw: str | None) -> tuple[int, ...]:
    items = [item.strip() for item in (raw or "").split(",")]
    if not all(len(i) == 1 and i.isascii() and i.isdigit() for i in items):
        raise _bad("ENDINGS",
                   "逢日的尾数须为 0–9，用逗号分开，如 ENDINGS=3,6,9（0 表示初十、二十、三十）",
                   "ENDINGS must be digits 0–9 separated by commas, e.g. ENDINGS=3,6,9 "
                   "(0: the 10th, 20th and 30th)")
    return tuple(sorted({int(i) for i in items}))


def expand_calendar_rule(rule: CalendarRule, first: date, *, max_count: int) -> list[date]:
    """The rule's dates from ``first`` on: its COUNT, or up to its UNTIL; an open rule (LUNAR,
    TERM) gives at most ``max_count``, as far as the calendar the service holds goes."""
    if rule.count is not None and rule.count > max_count:
        raise _bad("COUNT", f"次数（COUNT）须为 1 到 {max_count} 之间的整数",
                   f"COUNT must be a whole number 1–{max_count}")
    if rule.count is not None:
        days = list(islice(_dates(rule, first), rule.count))
    elif rule.until is not None:
        days = list(islice(_dates(rule, first), max_count + 1))
        if len(days) > max_count:
            raise _bad("UNTIL", f"产生超过 {max_count} 次活动，请提前截止日期",
                       f"the rule makes more than {max_count} occurrences; end it sooner")
    else:
        days = list(islice(_dates(rule, first), max_count))
    if not days:
        raise _bad("calendar_rule", f"在开始日期（{first:%Y-%m-%d}）之后没有任何一次活动",
                   f"it gives no occurrence on or after the start ({first:%Y-%m-%d})")
    if rule.count is not None and len(days) < rule.count:
        raise _bad("COUNT", f"排到了 {LAST_YEAR} 年以后，请减少次数",
                   f"the rule runs past {LAST_YEAR}; give a smaller COUNT")
    return days


def preview_dates(rule: CalendarRule, first: date, n: int = 5) -> list[date]:
    """The next ``n`` dates of the rule from ``first`` (fewer when it ends sooner): what a form
    shows before saving; never refuses."""
    limit = n if rule.count is None else min(n, rule.count)
    return list(islice(_dates(rule, first), limit))


def _dates(rule: CalendarRule, first: date) -> Iterator[date]:
    """The rule's dates in order, from ``first`` through its UNTIL or the last year held."""
    last = min(rule.until or date.max, date(LAST_YEAR, 12, 31))
    source = {"LUNAR": _lunar_dates, "TERM": _term_dates, "LUNARDAYS": _lunar_days}[rule.kind]
    for day in source(rule, first):
        if day > last:
            return
        if day >= first:
            yield day


def _first_lunar_year(first: date) -> int:
    """The lunar year ``first`` falls in (its 正月 may begin in the Gregorian year before)."""
    return max(lunar_day(first).year, FIRST_YEAR)


def _lunar_dates(rule: CalendarRule, first: date) -> Iterator[date]:
    """Lunar year by lunar year; day 30 of a 29-day month is its last day (as 除夕 is). A
    LEAP rule skips the years without that leap month."""
    for year in range(_first_lunar_year(first), LAST_YEAR + 1):
        for number, leap, month_start, days in _months(year):
            if (number, leap) == (rule.month, rule.leap):
                yield month_start + timedelta(days=min(rule.day, days) - 1)


def _term_dates(rule: CalendarRule, first: date) -> Iterator[date]:
    for year in range(max(first.year, FIRST_YEAR), LAST_YEAR + 1):
        yield solar_terms(year)[rule.term]


def _lunar_days(rule: CalendarRule, first: date) -> Iterator[date]:
    """Month by lunar month, the days whose number ends in one of the digits."""
    wanted = set(rule.endings)
    for year in range(_first_lunar_year(first), LAST_YEAR + 1):
        for _, _, month_start, days in _months(year):
            if month_start + timedelta(days=days) <= first:
                continue
            for n in range(1, days + 1):
                if n % 10 in wanted:
                    yield month_start + timedelta(days=n - 1)


@lru_cache(maxsize=LAST_YEAR - FIRST_YEAR + 1)
def _months(year: int) -> tuple[tuple[int, bool, date, int], ...]:
    """A lunar year's months, kept: lunar-python takes milliseconds a year, and every page
    that shows a series' sentence expands it again."""
    return tuple(lunar_months(year))


def warm_up(first_year: int) -> int:
    """Fills the lunar month and solar term tables from ``first_year`` to LAST_YEAR (about
    0.6 s of lunar-python): run in the worker pool when a process starts, so the first yearly
    rule a scheduler saves does not compute them on the event loop. How many years were read."""
    years = range(max(first_year, FIRST_YEAR), LAST_YEAR + 1)
    for year in years:
        _months(year)
        solar_terms(year)
    return len(years)
