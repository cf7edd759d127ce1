"""Another calendar's bytes → its events as series: RRULE, EXDATE, RECURRENCE-ID overrides.

Pure: no database, no network. Times keep their zone (an IANA TZID stays the event's zone, so
a series repeats on the source's wall clock); floating times are read in the town's zone.
Texts and states are read the way our own feeds write them (ics_text), so a feed of another
installation comes back as it was: STATUS:TENTATIVE or 【延期】 is postponed, STATUS:CANCELLED
or 【已取消】 cancelled, and a bilingual SUMMARY or DESCRIPTION fills both languages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar

from bolin_events.errors import UpstreamError
from bolin_events.services.imports.ics_text import Title, read_description, read_title

CANCELLED = "CANCELLED"
TENTATIVE = "TENTATIVE"
UNTITLED = "（无标题）"
Component = Any  # an icalendar VEVENT; its property types are too wide a union to narrow here


@dataclass
class Override:
    """One night of a series changed in the source (RECURRENCE-ID)."""

    recurrence_id: datetime  # UTC: the rule's start of that night
    start: date | datetime
    end: date | datetime  # all-day: the last day
    cancelled: bool
    location: str


@dataclass
class FeedEvent:
    uid: str
    summary: str  # as the source wrote it: rules match on it
    title_zh: str
    title_en: str | None
    description: str  # the Chinese text (the whole text when it is not bilingual)
    description_en: str | None
    location: str
    categories: list[str]
    all_day: bool
    start: date | datetime  # aware in ``timezone``, or a date
    end: date | datetime  # all-day: the last day (inclusive)
    timezone: str
    rrule: str | None
    status: str  # published, cancelled or postponed
    status_reason: str | None = None
    labelled: dict[str, str] = field(default_factory=dict)  # price, contact, organizer
    exdates: list[datetime] = field(default_factory=list)  # UTC rule starts
    overrides: list[Override] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        return external_id(self.uid)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass
class Skipped:
    uid: str
    title: str
    zh: str
    en: str


@dataclass
class Feed:
    events: list[FeedEvent]
    skipped: list[Skipped]


class _Skip(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def external_id(uid: str) -> str:
    """The UID itself, or a digest of it when it is longer than the column."""
    return uid if len(uid) <= 200 else "sha1-" + hashlib.sha1(uid.encode()).hexdigest()


def invalid(zh: str, en: str) -> UpstreamError:
    return UpstreamError(f"远程日历无法导入：{zh}", f"The remote calendar cannot be imported: {en}")


def parse_calendar(content: bytes, default_tz: str, *, horizon: date) -> Feed:
    """``horizon`` ends a rule that never ends (the service refuses unbounded series)."""
    text = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        looks = "网页（HTML）" if text[:1] == b"<" else "其他内容"
        raise invalid(
            f"返回的是{looks}，不是 iCalendar（应以 BEGIN:VCALENDAR 开头）。",
            "the answer is not iCalendar (it should start with BEGIN:VCALENDAR).",
        )
    try:
        calendar = Calendar.from_ical(text)
    except ValueError as exc:
        raise invalid(f"不是有效的 iCalendar：{exc}", f"not valid iCalendar: {exc}") from None
    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID", "")).strip()
        if component.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(component)
        else:
            masters.setdefault(uid, component)
    events: list[FeedEvent] = []
    skipped: list[Skipped] = []
    for uid, master in masters.items():
        title = str(master.get("SUMMARY", "")).strip()
        try:
            events.append(_event(uid, master, overrides.pop(uid, []), default_tz, horizon))
        except _Skip as exc:
            skipped.append(Skipped(uid, title, exc.zh, exc.en))
    for uid, orphans in overrides.items():
        title = str(orphans[0].get("SUMMARY", "")).strip()
        skipped.append(
            Skipped(
                uid,
                title,
                "只有改动的单场，没有活动本身，未导入。",
                "only changed nights (RECURRENCE-ID) without the event itself; skipped.",
            )
        )
    return Feed(events, skipped)


def _zone_name(value: date | datetime, default_tz: str, *, series: bool) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None:
        return default_tz
    key = getattr(value.tzinfo, "key", None) or str(value.tzinfo)
    if key in ("UTC", "Etc/UTC", "GMT"):
        return "UTC" if series else default_tz  # a UTC series repeats on UTC weekdays
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return default_tz
    return key


def _local(value: date | datetime, tz: ZoneInfo) -> date | datetime:
    if not isinstance(value, datetime):
        return value
    return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(tz)


def rule_start(value: Any, tz: ZoneInfo) -> datetime:
    """An EXDATE or RECURRENCE-ID value as the UTC instant our occurrences are keyed by."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=tz).astimezone(UTC)


def _times(component: Component, tz: ZoneInfo, notes: list[str]) -> tuple[Any, Any, bool]:
    start = component.get("DTSTART")
    if start is None:
        raise _Skip("没有开始时间，未导入。", "no DTSTART; not imported.")
    begin = start.dt
    all_day = not isinstance(begin, datetime)
    try:
        end = component.end
    except Exception:  # icalendar raises its own kinds for a missing or odd DTEND/DURATION
        end = begin
    if all_day:
        last = end - timedelta(days=1) if isinstance(end, date) and end > begin else begin
        return begin, last, True
    if not isinstance(end, datetime) or end <= begin:
        notes.append("来源没有结束时间，按 1 小时导入 / no end in the source: one hour assumed")
        end = begin + timedelta(hours=1)
    return _local(begin, tz), _local(end, tz), False


def _event(
    uid: str, master: Component, changed: list[Component], default_tz: str, horizon: date
) -> FeedEvent:
    if not uid:
        raise _Skip(
            "没有唯一编号，无法识别，未导入。", "no UID, so it cannot be matched; not imported."
        )
    rules = master.get("RRULE")
    if isinstance(rules, list):
        raise _Skip(
            "有多条重复规则，不支持，未导入。", "it has several RRULEs, which is not supported."
        )
    start = master.get("DTSTART")
    zone_name = _zone_name(start.dt if start else date.today(), default_tz, series=bool(rules))
    tz = ZoneInfo(zone_name)
    notes: list[str] = []
    begin, end, all_day = _times(master, tz, notes)
    rrule = rules.to_ical().decode() if rules is not None else None
    summary = str(master.get("SUMMARY", "")).strip()
    title = read_title(summary)
    details = read_description(str(master.get("DESCRIPTION", "")),
                               str(master.get("URL", "")).strip())
    if rrule and "COUNT=" not in rrule and "UNTIL=" not in rrule:
        rrule += f";UNTIL={horizon:%Y%m%d}"
        notes.append(f"来源重复无结束，导入至 {horizon} / endless series imported until {horizon}")
    if master.get("RDATE") is not None:
        notes.append("RDATE（额外日期）不支持，已忽略 / RDATE is not supported and was ignored")
    return FeedEvent(
        uid=uid,
        summary=summary or UNTITLED,
        title_zh=title.zh or UNTITLED,
        title_en=title.en,
        description=details.zh,
        description_en=details.en,
        location=str(master.get("LOCATION", "")).strip(),
        categories=_categories(master),
        all_day=all_day,
        start=begin,
        end=end,
        timezone=zone_name,
        rrule=rrule,
        status=_status(master, title),
        status_reason=details.reason,
        labelled=details.labelled,
        exdates=[rule_start(v, tz) for v in _exdates(master)] if rrule else [],
        overrides=[_override(c, tz, notes) for c in changed] if rrule else [],
        notes=notes,
    )


def _props(component: Component, name: str) -> list[Any]:
    """Every value of a property that may appear once, several times, or not at all."""
    raw = component.get(name)
    return raw if isinstance(raw, list) else [raw] if raw is not None else []


def _exdates(component: Component) -> Iterable[Any]:
    for prop in _props(component, "EXDATE"):
        yield from (d.dt for d in prop.dts)


def _categories(component: Component) -> list[str]:
    found: list[str] = []
    for prop in _props(component, "CATEGORIES"):
        found.extend(str(c).strip() for c in getattr(prop, "cats", [prop]))
    return [c for c in found if c]


def _status(component: Component, title: Title) -> str:
    """What STATUS says, or the title's prefix for a calendar that ignores STATUS."""
    said = str(component.get("STATUS", "")).upper()
    if said == CANCELLED or title.state == "cancelled":
        return "cancelled"
    if said == TENTATIVE or title.state == "postponed":
        return "postponed"
    return "published"


def _override(component: Component, tz: ZoneInfo, notes: list[str]) -> Override:
    begin, end, _ = _times(component, tz, notes)
    title = read_title(str(component.get("SUMMARY", "")).strip())
    return Override(
        recurrence_id=rule_start(component["RECURRENCE-ID"].dt, tz),
        start=begin,
        end=end,
        cancelled=_status(component, title) == "cancelled",
        location=str(component.get("LOCATION", "")).strip(),
    )
