"""Turning what a person typed (dates, local times) into stored instants and back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bolin_events.errors import InvalidInput, field_zh

# The years the service accepts (schemas.common): a town calendar needs no more, and it keeps
# every instant (and every rule's expansion) inside what Python and both databases can hold.
from bolin_events.schemas.common import FIRST_YEAR, LAST_YEAR
from bolin_events.schemas.events import OccurrenceOut

__all__ = ["FIRST_YEAR", "LAST_YEAR"]


def check_year(day: date | int, field: str) -> None:
    """A date (or a bare year number) inside the years the service accepts."""
    year = day if isinstance(day, int) else day.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            f"{field_zh(field)}须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。",
            f"{field} must fall between {FIRST_YEAR} and {LAST_YEAR}.",
            [{"field": field, "value": str(day) if isinstance(day, int) else day.isoformat()[:10]}],
        )


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"无法识别时区「{name}」，请使用标准时区名称，例如 Asia/Shanghai。",
            f"Unknown timezone {name!r}; use an IANA name such as Asia/Shanghai.",
            [{"field": "timezone", "value": name}],
        ) from None


def instant(
    value: datetime | date, tz: ZoneInfo, *, all_day: bool, field: str, inclusive_end: bool = False
) -> datetime:
    """An aware UTC instant; an all-day ``end`` is the last day, so it becomes the next midnight."""
    check_year(value, field)
    if all_day:
        if isinstance(value, datetime):
            raise InvalidInput(
                f"全天活动的{field_zh(field)}只填日期（如 2027-07-10），不要带时刻。",
                f"An all-day event takes a date for {field} (e.g. 2027-07-10), not a time.",
                [{"field": field}],
            )
        day = value + timedelta(days=1) if inclusive_end else value
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    if not isinstance(value, datetime):
        raise InvalidInput(
            f"{field_zh(field)}需要日期和时刻（如 2027-06-04T19:00）；全天活动请选“全天”。",
            f"{field} needs a date and time (e.g. 2027-06-04T19:00); set all_day for a "
            "whole-day event.",
            [{"field": field}],
        )
    if value.tzinfo is None:
        _check_exists(value, tz, field)
    local = value if value.tzinfo else value.replace(tzinfo=tz)
    return local.astimezone(UTC).replace(microsecond=0)


def _check_exists(value: datetime, tz: ZoneInfo, field: str) -> None:
    """A local time the clocks skip (daylight saving starting) names no moment: say so,
    rather than letting it drift an hour and fail some later check."""
    there_and_back = value.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    if there_and_back.replace(tzinfo=None) == value:
        return
    typed = value.strftime("%Y-%m-%d %H:%M")
    after = there_and_back.strftime("%H:%M")
    raise InvalidInput(
        f"{field_zh(field)} {typed} 在时区 {tz.key} 中不存在（夏令时开始，时钟跳过了这段时间），"
        f"请改为其他时间，例如 {after}。",
        f"{field} {typed} does not exist in {tz.key}: the clocks skip it when daylight saving "
        f"time starts. Choose another time, such as {after}.",
        [{"field": field, "value": value.isoformat()}],
    )


def span(
    start: datetime | date, end: datetime | date, tz: ZoneInfo, *, all_day: bool
) -> tuple[datetime, datetime]:
    starts_at = instant(start, tz, all_day=all_day, field="start")
    ends_at = instant(end, tz, all_day=all_day, field="end", inclusive_end=True)
    if ends_at <= starts_at:
        raise InvalidInput(
            "结束时间必须晚于开始时间。", "end must be after start.", [{"field": "end"}]
        )
    if ends_at - starts_at > timedelta(days=366):
        raise InvalidInput(
            "单次活动不能超过一年；长期活动请用重复规则。",
            "One occurrence cannot last over a year; use a recurrence rule.",
            [{"field": "end"}],
        )
    return starts_at, ends_at


def local_start(moment: datetime, tz: ZoneInfo, *, all_day: bool) -> datetime | date:
    local = moment.astimezone(tz)
    return local.date() if all_day else local


def local_end(moment: datetime, tz: ZoneInfo, *, all_day: bool) -> datetime | date:
    """All-day ends are shown as the last day, the way people say them."""
    local = moment.astimezone(tz)
    return (local - timedelta(days=1)).date() if all_day else local


def recurrence_key(moment: datetime, tz: ZoneInfo, *, all_day: bool) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%Y%m%d") if all_day else local.strftime("%Y%m%dT%H%M%S")


def parse_recurrence_key(key: str, tz: ZoneInfo) -> datetime | None:
    """The instant a key names, or None when it names none the service can hold."""
    for fmt in ("%Y%m%dT%H%M%S", "%Y%m%d"):
        try:
            local = datetime.strptime(key, fmt)
        except ValueError:
            continue
        if FIRST_YEAR <= local.year <= LAST_YEAR:
            return local.replace(tzinfo=tz).astimezone(UTC)
    return None


def start_day(night: OccurrenceOut) -> date:
    return night.start.date() if isinstance(night.start, datetime) else night.start


def end_day(night: OccurrenceOut) -> date:
    """The last day a night touches (a night ending at midnight does not touch the next day;
    an all-day night's end is already its last day)."""
    if isinstance(night.end, datetime):
        return (night.end - timedelta(seconds=1)).date()
    return night.end


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
