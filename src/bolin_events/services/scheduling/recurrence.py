"""The subset of RFC 5545 RRULE the town uses, validated and expanded in local wall time.

Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, WKST, and exactly one of
COUNT or UNTIL. Anything else is refused with a message naming the part that is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule as du

from bolin_events.errors import InvalidInput
from bolin_events.services.timing import FIRST_YEAR, LAST_YEAR

_FREQS: dict[str, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    "DAILY": du.DAILY,
    "WEEKLY": du.WEEKLY,
    "MONTHLY": du.MONTHLY,
}
_DAYS = {"MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")


def _bad(part: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"重复规则中的 {part} 有误：{zh}",
        f"The recurrence rule's {part} is wrong: {en}",
        [{"field": "rrule", "part": part}],
    )


@dataclass(frozen=True)
class Rule:
    freq: str
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    count: int | None = None
    until: date | datetime | None = None  # a date, or a naive UTC datetime
    wkst: str | None = None

    def to_ical(self, *, all_day: bool, tz: ZoneInfo) -> str:
        """The RRULE value for a feed: UNTIL in UTC for timed events, a date for all-day ones."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in self.bymonthday))
        if self.wkst:
            parts.append(f"WKST={self.wkst}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={_until_text(self.until, all_day=all_day, tz=tz)}")
        return ";".join(parts)


def _until_text(until: date | datetime, *, all_day: bool, tz: ZoneInfo) -> str:
    if all_day:
        day = until if not isinstance(until, datetime) else until.replace(tzinfo=UTC).astimezone(tz)
        return (day.date() if isinstance(day, datetime) else day).strftime("%Y%m%d")
    if isinstance(until, datetime):
        return until.strftime("%Y%m%dT%H%M%SZ")
    # A bare date on a timed series means "through the end of that local day".
    end_of_day = datetime.combine(until, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    return end_of_day.strftime("%Y%m%dT%H%M%SZ")


def parse_rule(text: str, *, max_count: int) -> Rule:
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    if not value:
        raise _bad("RRULE", "规则为空", "the rule is empty")
    parts: dict[str, str] = {}
    for piece in value.split(";"):
        if "=" not in piece:
            raise _bad(piece or ";", "应为 名称=值 的形式", "each part must be NAME=VALUE")
        name, _, raw = piece.partition("=")
        name = name.strip().upper()
        if name in parts:
            raise _bad(name, "重复出现", "it appears twice")
        parts[name] = raw.strip().upper()

    unknown = sorted(
        set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
    )
    if unknown:
        raise _bad(
            unknown[0],
            "不支持（仅支持 FREQ、INTERVAL、BYDAY、BYMONTHDAY、COUNT、UNTIL、WKST）",
            "is not supported (only FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL, WKST)",
        )
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        raise _bad("FREQ", "应为 DAILY、WEEKLY 或 MONTHLY", "must be DAILY, WEEKLY or MONTHLY")

    interval = _int_part(parts, "INTERVAL", 1, 1, 366)
    byday = _byday(parts.get("BYDAY"), freq)
    bymonthday = _bymonthday(parts.get("BYMONTHDAY"))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad("COUNT/UNTIL", "只能二选一", "give COUNT or UNTIL, not both")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(
            "COUNT/UNTIL",
            "必须给出结束（COUNT 或 UNTIL），不接受无限重复",
            "a rule must end: give COUNT or UNTIL (unbounded rules are refused)",
        )
    count = _int_part(parts, "COUNT", None, 1, max_count) if "COUNT" in parts else None
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    wkst = parts.get("WKST")
    if wkst is not None and wkst not in _DAYS:
        raise _bad("WKST", "应为 MO…SU 之一", "must be one of MO…SU")
    return Rule(freq, interval, byday, bymonthday, count, until, wkst)


def _int_part(parts: dict[str, str], name: str, default: int | None, low: int, high: int) -> int:
    raw = parts.get(name)
    if raw is None:
        assert default is not None
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _bad(name, f"应为 {low} 到 {high} 之间的整数", f"must be a whole number {low}–{high}")
    return int(raw)


def _byday(raw: str | None, freq: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    days = []
    for item in raw.split(","):
        match = _BYDAY.match(item.strip())
        if not match:
            raise _bad(
                "BYDAY",
                f"无法识别「{item}」（应为 MO、TU…SU，月规则可写 1SA、-1FR）",
                f"{item!r} is not a day (MO, TU … SU; monthly rules may use 1SA, -1FR)",
            )
        ordinal = match.group(1)
        if ordinal and (freq != "MONTHLY" or not 1 <= abs(int(ordinal)) <= 5):
            raise _bad(
                "BYDAY",
                f"「{item}」的序号只能用于每月规则，且为 ±1…5",
                f"{item!r}: an ordinal is only for MONTHLY rules, ±1…5",
            )
        days.append(item.strip())
    return tuple(days)


def _bymonthday(raw: str | None) -> tuple[int, ...]:
    if raw is None:
        return ()
    out = []
    for item in raw.split(","):
        try:
            day = int(item)
        except ValueError:
            day = 0
        if not 1 <= abs(day) <= 31:
            raise _bad(
                "BYMONTHDAY", f"「{item}」应为 1…31 或 -31…-1", f"{item!r} must be 1…31 or -31…-1"
            )
        out.append(day)
    return tuple(out)


def _until(raw: str) -> date | datetime:
    match = _UNTIL.match(raw)
    if not match:
        raise _bad(
            "UNTIL", "应为 YYYYMMDD 或 YYYYMMDDTHHMMSSZ", "must be YYYYMMDD or YYYYMMDDTHHMMSSZ"
        )
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d").date()
        moment = None
        if match.group(2) is not None:
            moment = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise _bad("UNTIL", "不是有效日期", "is not a real date") from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _bad("UNTIL", f"须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间",
                   f"must fall between {FIRST_YEAR} and {LAST_YEAR}")
    return day if moment is None else moment  # a date-time is UTC, with or without the Z


def _weekday(item: str) -> du.weekday:
    match = _BYDAY.match(item)
    assert match
    day = _DAYS[match.group(2)]
    return day(int(match.group(1))) if match.group(1) else day


def expand(
    rule: Rule, start: datetime, *, tz: ZoneInfo, all_day: bool, max_count: int
) -> list[datetime]:
    """Local naive starts of every instance, the first being the rule's first (DTSTART snaps)."""
    until: datetime | None = None
    if rule.until is not None:
        text = _until_text(rule.until, all_day=all_day, tz=tz)
        if all_day:
            until = datetime.strptime(text, "%Y%m%d")
        else:
            utc = datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            until = utc.astimezone(tz).replace(tzinfo=None)
    # Every rule stops at the end of the last year the service holds, so a rule that can never
    # match (BYMONTHDAY=30;BYDAY=1MO) or a long INTERVAL cannot run to the end of the calendar.
    last = datetime(LAST_YEAR, 12, 31, 23, 59, 59)
    generator = du.rrule(
        _FREQS[rule.freq],
        dtstart=start,
        interval=rule.interval,
        until=min(until, last) if until is not None else last,
        byweekday=[_weekday(d) for d in rule.byday] or None,
        bymonthday=list(rule.bymonthday) or None,
        wkst=_DAYS[rule.wkst] if rule.wkst else None,
        cache=False,
    )
    starts = list(islice(generator, rule.count if rule.count is not None else max_count + 1))
    if len(starts) > max_count:
        raise _bad(
            "COUNT/UNTIL",
            f"产生超过 {max_count} 次活动，请缩短范围",
            f"the rule makes more than {max_count} occurrences; shorten it",
        )
    if not starts:
        raise _bad(
            "RRULE", "在开始时间之后没有任何一次活动", "it gives no occurrence after the start"
        )
    if rule.count is not None and len(starts) < rule.count:
        raise _bad(
            "COUNT",
            f"重复到了 {LAST_YEAR} 年以后，请减少次数",
            f"the rule runs past {LAST_YEAR}; give a smaller COUNT",
        )
    return starts
