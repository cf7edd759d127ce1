"""The recurrence editor a non-programmer can use, and the sentence that says a series back.

The form offers 不重复 / 每天 / 每周 (with weekdays) / 每月 (the start's day of the month), ending
on a date or after N times. It becomes the RRULE the scheduling service takes; a stored rule is
read back into the form when the form can say it exactly, and kept as it is ("custom") when not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bolin_events.errors import InvalidInput
from bolin_events.models import Event
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
KINDS = ("none", "daily", "weekly", "monthly", "custom")
FREQ_KIND = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly"}


@dataclass(frozen=True)
class Repeat:
    """What the recurrence form holds; ``custom`` keeps a rule the form cannot show."""

    kind: str = "none"
    weekdays: tuple[str, ...] = ()
    ends: str = "until"  # "until" a date, or after "count" times
    until: date | None = None
    count: int | None = None
    custom: str | None = None


def to_rrule(repeat: Repeat, first_day: date) -> str | None:
    """The RRULE for the form's choice; InvalidInput naming the form field when unfinished."""
    if repeat.kind == "none":
        return None
    if repeat.kind == "custom":
        return repeat.custom
    parts = [f"FREQ={repeat.kind.upper()}"]
    if repeat.kind == "weekly" and repeat.weekdays:
        parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in repeat.weekdays))
    if repeat.ends == "count":
        if repeat.count is None:
            raise _missing("count", "请填写一共举办几次。", "Say how many times it happens.")
        parts.append(f"COUNT={repeat.count}")
    else:
        if repeat.until is None:
            raise _missing("until", "请填写重复到哪一天。", "Say the last day it repeats.")
        if repeat.until < first_day:
            raise _missing(
                "until", "重复的结束日期早于开始日期。", "The last day is before the first day."
            )
        parts.append(f"UNTIL={repeat.until.strftime('%Y%m%d')}")
    return ";".join(parts)


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
    if not event.rrule:
        return f"{first:%Y-%m-%d} {when_zh}", f"{first:%Y-%m-%d} {when_en}"
    repeat = from_rrule(event.rrule, tz=tz, all_day=event.all_day, max_count=max_count)
    pattern_zh, pattern_en = _pattern(repeat, first.date())
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
