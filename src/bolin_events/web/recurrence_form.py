"""The recurrence editor a non-programmer can use, and the sentence that says a series back.

The form offers 不重复 / 每天 / 每周 (with weekdays) / 每月 (the start's day of the month), and by
the Chinese calendar 每年农历… (a lunar month and day, maybe the leap month), 每年节气… (one of
the 24 solar terms) and 农历逢…日 (lunar days ending in chosen digits), each ending on a date or
after N times. The first four become the RRULE the scheduling service takes, the last three its
Chinese-calendar rule (services/scheduling/calendar_rules.py); a stored rule is read back into
the form when the form can say it exactly, and kept as it is ("custom") when not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bolin_events.errors import InvalidInput
from bolin_events.models import Event
from bolin_events.services.lunar import DAY_ZH, LAST_YEAR, leap_month, month_name
from bolin_events.services.scheduling.calendar_rules import (
    DIGIT_ZH,
    CalendarRule,
    parse_calendar_rule,
    preview_dates,
)
from bolin_events.services.scheduling.occurrences import rule_starts, wall_duration
from bolin_events.services.scheduling.recurrence import parse_rule
from bolin_events.services.timing import zone

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_ZH = dict(zip(WEEKDAYS, "一二三四五六日", strict=True))
WEEKDAY_EN = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
CHINESE_KINDS = ("lunar", "term", "lunardays")  # by the Chinese calendar: a calendar_rule
KINDS = ("none", "daily", "weekly", "monthly", *CHINESE_KINDS, "custom")
FREQ_KIND = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly"}
# 逢一 … 逢九, 逢十 (0: 初十, 二十, 三十), in reading order
ENDINGS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)


@dataclass(frozen=True)
class Ending:
    """One box of 农历逢…日: the digit, how it is said (三), and the days it means."""

    digit: int
    zh: str
    days: tuple[str, ...]  # 初三 十三 廿三


ENDING_CHOICES = tuple(
    Ending(d, DIGIT_ZH[d], tuple(DAY_ZH[n - 1] for n in range(1, 31) if n % 10 == d))
    for d in ENDINGS
)


@dataclass(frozen=True)
class Repeat:
    """What the recurrence form holds; ``custom`` keeps a rule the form cannot show."""

    kind: str = "none"
    weekdays: tuple[str, ...] = ()
    ends: str = "until"  # "until" a date, after "count" times, or "open" (a stored rule's)
    until: date | None = None
    count: int | None = None
    custom: str | None = None
    lunar_month: int | None = None  # lunar: 1–12
    lunar_day: int | None = None  # lunar: 1–30 (30: the month's last day in a 29-day month)
    leap: bool = False  # lunar: the leap month (闰月) of that number
    term: str = ""  # term: a solar term's Chinese name
    endings: tuple[int, ...] = ()  # lunardays: the last digits of the lunar day


def to_rrule(repeat: Repeat, first_day: date) -> str | None:
    """The RRULE for the form's choice; InvalidInput naming the form field when unfinished."""
    if repeat.kind == "none" or repeat.kind in CHINESE_KINDS:
        return None
    if repeat.kind == "custom":
        return repeat.custom
    parts = [f"FREQ={repeat.kind.upper()}"]
    if repeat.kind == "weekly" and repeat.weekdays:
        parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in repeat.weekdays))
    return ";".join([*parts, _end(repeat, first_day)])


def _end(repeat: Repeat, first_day: date, *, open_ok: bool = False) -> str:
    """COUNT=n or UNTIL=YYYYMMDD: both kinds of rule end the same way ("" for no end, which
    only a yearly Chinese-calendar rule made elsewhere has: the form keeps it)."""
    if repeat.ends == "open" and open_ok:
        return ""
    if repeat.ends == "count":
        if repeat.count is None:
            raise _missing("count", "请填写一共举办几次。", "Say how many times it happens.")
        return f"COUNT={repeat.count}"
    if repeat.until is None:
        raise _missing("until", "请填写重复到哪一天。", "Say the last day it repeats.")
    if repeat.until < first_day:
        raise _missing(
            "until", "重复的结束日期早于开始日期。", "The last day is before the first day."
        )
    return f"UNTIL={repeat.until.strftime('%Y%m%d')}"


def to_calendar_rule(repeat: Repeat, first_day: date, max_count: int) -> str | None:
    """The Chinese-calendar rule for the form's choice (``LUNAR;MONTH=8;DAY=15;COUNT=5``),
    checked to give at least one date from ``first_day``; InvalidInput naming the form field
    when unfinished or when it never happens."""
    if repeat.kind not in CHINESE_KINDS:
        return None
    if repeat.kind == "lunar":
        if repeat.lunar_month is None or repeat.lunar_day is None:
            field = "lunar_month" if repeat.lunar_month is None else "lunar_day"
            raise _missing(field, "请选择农历的月份和日子。", "Choose the lunar month and day.")
        head = f"LUNAR;MONTH={repeat.lunar_month};DAY={repeat.lunar_day}" + (
            ";LEAP=1" if repeat.leap else "")
    elif repeat.kind == "term":
        if not repeat.term:
            raise _missing("term", "请选择节气。", "Choose a solar term.")
        head = f"TERM;NAME={repeat.term}"
    else:
        if not repeat.endings:
            raise _missing("ending", "请至少勾选一个尾数，如 三、六、九。",
                           "Tick at least one ending, e.g. 3, 6 and 9.")
        head = "LUNARDAYS;ENDINGS=" + ",".join(str(d) for d in repeat.endings)
    end = _end(repeat, first_day, open_ok=repeat.kind != "lunardays")
    rule = parse_calendar_rule(f"{head};{end}", max_count=max_count)
    wanted = rule.count if rule.leap and rule.count else 1  # leap months are rare: say when
    if len(preview_dates(rule, first_day, wanted)) < wanted:
        raise _never(rule, first_day)
    return rule.text


def _never(rule: CalendarRule, first_day: date) -> InvalidInput:
    """A rule with too few dates: a leap month says the years that have it."""
    if rule.leap:
        month = month_name(rule.month)
        years = [y for y in range(first_day.year, LAST_YEAR + 1) if leap_month(y) == rule.month]
        zh = "只在 " + "、".join(map(str, years)) + " 年有" if years else f"到 {LAST_YEAR} 年都没有"
        en = "only " + ", ".join(map(str, years)) + " have one" if years else \
            f"none has one up to {LAST_YEAR}"
        return _missing(
            "lunar_leap",
            f"闰{month}很少见：{first_day.year} 年以后{zh}，排不下所选的期间或次数。"
            f"不勾选“闰月”，就是每年的农历{month}。",
            f"A leap lunar month {rule.month} is rare: of the years from {first_day.year}, {en}; "
            f"the period or number chosen does not fit. Untick “leap month” for lunar month "
            f"{rule.month} every year.",
        )
    return _missing("calendar_rule", "从开始日期到截止日期之间没有符合的日子，请改规则或日期。",
                    "No day between the start and the last day fits the rule: change one.")


def from_calendar_rule(text: str) -> Repeat:
    """The form for a stored Chinese-calendar rule (it always can say one)."""
    rule = parse_calendar_rule(text)
    return Repeat(
        kind={"LUNAR": "lunar", "TERM": "term", "LUNARDAYS": "lunardays"}[rule.kind],
        ends="count" if rule.count is not None else "until" if rule.until else "open",
        until=rule.until, count=rule.count,
        lunar_month=rule.month or None, lunar_day=rule.day or None, leap=rule.leap,
        term=rule.term, endings=rule.endings,
    )


def repeat_of(event: Event, max_count: int) -> Repeat:
    """The form's recurrence for a stored event, whichever way it repeats."""
    if event.calendar_rule:
        return from_calendar_rule(event.calendar_rule)
    return from_rrule(event.rrule, tz=zone(event.timezone), all_day=event.all_day,
                      max_count=max_count)


def _missing(name: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, [{"field": name, "message": zh, "message_en": en}])


def from_rrule(text: str | None, *, tz: ZoneInfo, all_day: bool, max_count: int) -> Repeat:
    """The form for a stored rule, or ``custom`` when the form would say something else."""
    if not text:
        return Repeat()
    rule = parse_rule(text, max_count=max_count)
    custom = Repeat(kind="custom", custom=text)
    if rule.interval != 1 or rule.wkst or rule.bymonthday or (rule.byday and rule.freq != "WEEKLY"):
        return custom
    until = rule.until
    if isinstance(until, datetime):
        until = until.replace(tzinfo=UTC).astimezone(tz).date()
    candidate = Repeat(
        kind=FREQ_KIND[rule.freq],
        weekdays=rule.byday,
        ends="count" if rule.count is not None else "until",
        until=until,
        count=rule.count,
    )
    again = to_rrule(candidate, until or date.min)
    same = again is not None and _normal(again, tz, all_day, max_count) == _normal(
        text, tz, all_day, max_count
    )
    return candidate if same else custom


def _normal(text: str, tz: ZoneInfo, all_day: bool, max_count: int) -> str:
    return parse_rule(text, max_count=max_count).to_ical(all_day=all_day, tz=tz)


def describe(event: Event, max_count: int) -> tuple[str, str]:
    """The series in a sentence, in Chinese and English (for a single event, just its time)."""
    tz = zone(event.timezone)
    starts = [s.astimezone(tz) for s in rule_starts(event, max_count)]
    first, last = starts[0], starts[-1]
    duration = wall_duration(event)
    if event.all_day:
        days = duration.days
        when_zh = "全天" if days <= 1 else f"全天，每次 {days} 天"
        when_en = "all day" if days <= 1 else f"all day, {days} days each"
    else:
        end = (first.replace(tzinfo=None) + duration).strftime("%H:%M")
        when_zh = when_en = f"{first:%H:%M}–{end}"
    if event.calendar_rule:
        # the rule without its end: the sentence says the first and last dates itself
        rule = replace(parse_calendar_rule(event.calendar_rule), count=None, until=None)
        pattern_zh, pattern_en = rule.describe()
        pattern_en = pattern_en[0].upper() + pattern_en[1:]
    elif event.rrule:
        repeat = from_rrule(event.rrule, tz=tz, all_day=event.all_day, max_count=max_count)
        pattern_zh, pattern_en = _pattern(repeat, first.date())
    else:
        return f"{first:%Y-%m-%d} {when_zh}", f"{first:%Y-%m-%d} {when_en}"
    n = len(starts)
    return (
        f"{pattern_zh} {when_zh}，{first:%Y-%m-%d} 至 {last:%Y-%m-%d}，共 {n} 场",
        f"{pattern_en}, {when_en}, {first:%Y-%m-%d} to {last:%Y-%m-%d}, {n} times",
    )


def _pattern(repeat: Repeat, first_day: date) -> tuple[str, str]:
    if repeat.kind == "daily":
        return "每天", "Every day"
    if repeat.kind == "monthly":
        return f"每月 {first_day.day} 日", f"Monthly on day {first_day.day}"
    if repeat.kind == "weekly":
        days = repeat.weekdays or (WEEKDAYS[first_day.weekday()],)
        zh = "、".join("周" + WEEKDAY_ZH[d] for d in days)
        en = " and ".join(WEEKDAY_EN[d] for d in days)
        return "每" + zh, f"Every {en}"
    return f"按规则 {repeat.custom}", f"By the rule {repeat.custom}"
