"""The dates a repetition gives, said before saving: "接下来 5 次：2027年9月15日 周三 · 农历八月十五
中秋节；2028年10月3日 周二 · 农历八月十五；…". The editor's script asks for them whenever the
choice changes (routes/pages/recurrence.py); a page made without script shows them for the form
as it stands.

The dates come from the same expansion as saving (bounded, refusing what saving refuses), so
what the form shows is what the series will hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bolin_events.calendar import Label
from bolin_events.errors import DomainError
from bolin_events.services.scheduling.calendar_rules import (
    expand_calendar_rule,
    parse_calendar_rule,
)
from bolin_events.services.scheduling.recurrence import expand, parse_rule
from bolin_events.web.event_form import EventForm, recurrence_of, rules_of
from bolin_events.web.lunar_labels import lunar_label

SHOWN = 5
WEEKDAY_ZH = "一二三四五六日"


@dataclass(frozen=True)
class Preview:
    """The first dates of a repetition, how many there are in all, and where it starts."""

    dates: list[date]
    total: int
    start: date  # the start date typed; a Chinese-calendar series moves to its first date
    lunar: bool  # by the Chinese calendar: every date says its lunar date

    def label(self, day: date) -> Label:
        """2027年9月15日 周三 · 农历八月十五 中秋节 / Wed 15 Sep 2027 · lunar 8/15, Mid-Autumn
        Festival (an RRULE's dates say theirs only on a festival or solar term)."""
        plain, lunar = _day(day), lunar_label(day, always=self.lunar)
        if lunar is None:
            return plain
        return Label(f"{plain.zh} · {lunar.zh}", f"{plain.en} · {lunar.en}")

    @property
    def sentence(self) -> Label:
        n = len(self.dates)
        if self.total > n:
            zh, en = f"接下来 {n} 次（共 {self.total} 次）：", f"Next {n} (of {self.total}): "
        else:
            zh, en = f"共 {n} 次：", f"All {n}: "
        labels = [self.label(d) for d in self.dates]
        zh += "；".join(label.zh for label in labels)
        en += "; ".join(label.en or label.zh for label in labels)
        if self.dates and self.dates[0] != self.start:
            moved = _day(self.dates[0])
            zh += f"。开始日期将移到第一次：{moved.zh}"
            en += f". The start moves to the first: {moved.en}"
        return Label(zh + "。", en + ".")


def _day(day: date) -> Label:
    return Label(f"{day.year}年{day.month}月{day.day}日 周{WEEKDAY_ZH[day.weekday()]}",
                 f"{day:%a} {day.day} {day:%b} {day.year}")


def preview(form: EventForm, tz: ZoneInfo, max_count: int) -> Preview | None:
    """The form's repetition from its start date; None when it does not repeat. InvalidInput
    (naming the form field) when saving would refuse it."""
    first, repeat = recurrence_of(form, max_count)
    if repeat.kind == "none":
        return None
    rrule, calendar_rule = rules_of(repeat, first, max_count)
    if calendar_rule is not None:
        rule = parse_calendar_rule(calendar_rule, max_count=max_count)
        days = expand_calendar_rule(rule, first, max_count=max_count)
    else:
        assert rrule is not None, "a repetition that is not by the Chinese calendar has an RRULE"
        start = datetime.combine(first, _time_of(form))
        starts = expand(parse_rule(rrule, max_count=max_count), start, tz=tz,
                        all_day=form.flag("all_day"), max_count=max_count)
        days = [s.date() for s in starts]
    return Preview(days[:SHOWN], len(days), first, calendar_rule is not None)


def _time_of(form: EventForm) -> time:
    """The start time typed (midnight when none or unreadable: the dates do not change)."""
    try:
        return time.fromisoformat(form.values["start_time"])
    except ValueError:
        return time(0)


def quietly(form: EventForm, tz: ZoneInfo, max_count: int) -> Label | None:
    """The sentence for a page made on the server, or nothing when the form is unfinished (the
    page says what is wrong beside the fields when it is sent)."""
    try:
        found = preview(form, tz, max_count)
    except DomainError:
        return None
    return found.sentence if found else None
