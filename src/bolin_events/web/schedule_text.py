"""Dates and schedules in the town's own words, for posters and the programme page:
"6月4日（周五）", "每周五、六 19:00–22:30", one line per series ("共26场，下一场6月11日").

A date carries its year whenever it is not the current one (``this_year``): a poster or a
page read in November must not send anyone to a June that is still seven months away.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bolin_events.calendar import Label
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.timing import end_day, start_day
from bolin_events.web.public_views import Day

WEEKDAYS = Label("一二三四五六日", "Mon Tue Wed Thu Fri Sat Sun")
LISTED_NIGHTS = 6  # a poster lists this many nights one by one; a longer series is summarised


def _weekday_en(day: int) -> str:
    return (WEEKDAYS.en or "").split()[day]


def short_day(day: date, this_year: int | None = None) -> Label:
    zh, en = f"{day.month}月{day.day}日", f"{day.day} {day:%b}"
    if this_year is not None and day.year != this_year:
        return Label(f"{day.year}年{zh}", f"{en} {day.year}")
    return Label(zh, en)


def day_label(day: date, this_year: int | None = None) -> Label:
    short = short_day(day, this_year)
    return Label(f"{short.zh}（周{WEEKDAYS.zh[day.weekday()]}）",
                 f"{_weekday_en(day.weekday())} {short.en}")


def span(first: date, last: date, this_year: int | None) -> Label:
    """"6月4日至9月25日": the year once at the start when it is not this one, again at the
    end only when the span runs into another year."""
    start, end = short_day(first, this_year), short_day(last, first.year)
    return Label(f"{start.zh}至{end.zh}", f"{start.en} to {end.en}")


def hours(night: OccurrenceOut) -> str:
    if not isinstance(night.start, datetime) or not isinstance(night.end, datetime):
        return ""
    return f"{night.start:%H:%M}–{night.end:%H:%M}"


def night_line(night: OccurrenceOut, this_year: int | None = None) -> Label:
    when = day_label(start_day(night), this_year)
    if end_day(night) != start_day(night):
        last = short_day(end_day(night), start_day(night).year)
        when = Label(f"{when.zh}至{last.zh}", f"{when.en} to {last.en}")
    zh, en = f"{when.zh} {hours(night)}".strip(), f"{when.en} {hours(night)}".strip()
    if night.status == "cancelled":
        return Label(f"{zh} 已取消", f"{en} cancelled")
    if night.status == "moved":
        return Label(f"{zh}（改期）", f"{en} (moved)")
    return Label(zh, en)


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Series:
    """What the nights of one event have in common, to say them in one line."""

    nights: list[OccurrenceOut]

    @property
    def held(self) -> list[OccurrenceOut]:
        """The nights that will happen (a cancelled one still shows, but is not counted)."""
        return [n for n in self.nights if n.status != "cancelled"]

    @property
    def regular(self) -> list[OccurrenceOut]:
        return [n for n in self.nights if n.status == "scheduled"] or self.held or self.nights

    @property
    def weekly(self) -> bool:
        """Held in most of the weeks it spans (a skipped week or two aside), over two or more
        weeks: only then is "每周五、六" true."""
        weeks = {_week(start_day(n)) for n in self.regular}
        spanned = (max(weeks) - min(weeks)).days // 7 + 1
        return spanned > 1 and len(weeks) * 10 >= spanned * 6

    @property
    def weekdays(self) -> Label:
        """"每周五、六" for a weekly series, else only the weekdays it falls on ("周六")."""
        days = sorted({start_day(n).weekday() for n in self.regular})
        if self.weekly and len(days) == 7:
            return Label("每天", "daily")
        zh = "周" + "、".join(WEEKDAYS.zh[d] for d in days)
        en = ", ".join(_weekday_en(d) for d in days)
        return Label("每" + zh, "every " + en) if self.weekly else Label(zh, en)

    @property
    def usual(self) -> str:
        """The hours most nights keep ("" for all-day nights)."""
        return Counter(hours(n) for n in self.regular).most_common(1)[0][0]

    @property
    def first(self) -> date:
        return start_day(self.nights[0])

    @property
    def last(self) -> date:
        return start_day(self.nights[-1])

    def rhythm(self, this_year: int | None) -> Label:
        """"每周五、六 19:00–22:30" for a weekly series; otherwise its span and hours."""
        lead = self.weekdays if self.weekly else span(self.first, self.last, this_year)
        return Label(f"{lead.zh} {self.usual}".strip(), f"{lead.en} {self.usual}".strip())


def schedule_lines(nights: list[OccurrenceOut], this_year: int | None = None) -> list[Label]:
    """A few nights one by one; a long series as its span, weekdays and usual hours, plus the
    nights that differ."""
    if len(nights) <= LISTED_NIGHTS:
        return [night_line(n, this_year) for n in nights]
    series = Series(nights)
    when, days = span(series.first, series.last, this_year), series.weekdays
    lines = [Label(f"{when.zh} {days.zh} {series.usual}".strip(),
                   f"{when.en}, {days.en} {series.usual}".strip())]
    changed = [n for n in nights if n.status in ("cancelled", "moved")]
    return lines + [night_line(n, this_year) for n in changed]


def by_event(days: list[Day]) -> list[list[OccurrenceOut]]:
    """The nights of a list, gathered per event, in the order each event first comes."""
    events: dict[int, list[OccurrenceOut]] = {}
    for day in days:
        for night in day.items:
            events.setdefault(night.event_id, []).append(night)
    return list(events.values())


def programme_lines(days: list[Day], this_year: int | None = None,
                    most: int = 12) -> list[Label]:
    """One line per event of a programme: its title and when (a span, rhythm and count for a
    series)."""
    lines = []
    for nights in by_event(days)[:most]:
        title = Label(nights[0].title_zh, nights[0].title_en or nights[0].title_zh)
        if len(nights) == 1:
            when = night_line(nights[0], this_year)
        else:
            series = Series(nights)
            dates = span(series.first, series.last, this_year)
            rhythm = series.rhythm(this_year) if series.weekly else Label(series.usual)
            zh = "，".join(p for p in (dates.zh, rhythm.zh, f"共{len(series.held)}场") if p)
            en = ", ".join(p for p in (dates.en, rhythm.en or "",
                                       f"{len(series.held)} nights") if p)
            when = Label(zh, en)
        lines.append(Label(f"{title.zh}：{when.zh}", f"{title.en}: {when.en}"))
    return lines


@dataclass(frozen=True)
class SeriesLine:
    """A repeating event on the programme page, said once: "每周五、六 19:00–22:30 东胜银杏夜市，
    共26场，下一场6月11日"."""

    event_id: int
    title: Label
    rhythm: Label
    count: Label
    next: OccurrenceOut | None


def series_line(nights: list[OccurrenceOut], this_year: int | None) -> SeriesLine:
    series = Series(nights)
    held = series.held
    count = Label(f"，共{len(held)}场", f", {len(held)} nights")
    if held:
        day = short_day(start_day(held[0]), this_year)
        count = Label(f"{count.zh}，下一场{day.zh}", f"{count.en}, next {day.en}")
    else:
        count = Label("，已取消", ", cancelled")
    title = Label(nights[0].title_zh, nights[0].title_en)
    return SeriesLine(nights[0].event_id, title, series.rhythm(this_year), count,
                      held[0] if held else None)


def programme_view(days: list[Day], this_year: int | None) -> tuple[list[SeriesLine], list[Day]]:
    """A programme's repeating events as one line each, and its single nights by day."""
    runs = by_event(days)
    series = [series_line(nights, this_year) for nights in runs if len(nights) > 1]
    singles = {nights[0].id for nights in runs if len(nights) == 1}
    kept = [Day(d.day, [n for n in d.items if n.id in singles]) for d in days]
    return series, [d for d in kept if d.items]
