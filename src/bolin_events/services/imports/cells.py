"""Reading one cell: what Excel or a CSV gives (a datetime, a number, text) as what we mean."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2})\s*[:：点时]\s*(\d{2})?(?:\s*[:：]\s*(\d{2}))?\s*分?"
_DATE_ONLY = re.compile(rf"^{_DATE}$")
_DATE_TIME = re.compile(rf"^{_DATE}(?:\s+|T|\s*)(?:上午|下午|晚上)?\s*{_TIME}$")
_TIME_ONLY = re.compile(rf"^(上午|下午|晚上)?\s*{_TIME}$")
_YES = {"是", "全天", "yes", "y", "true", "1", "√", "✓", "x"}
_NO = {"否", "不是", "no", "n", "false", "0", ""}


class CellError(ValueError):
    def __init__(self, zh: str, en: str, key: str = "") -> None:
        super().__init__(en)
        self.zh, self.en, self.key = zh, en, key


def text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates in ISO form, white space trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return unicodedata.normalize("NFC", str(value)).strip()


def moment(value: object, *, date_only_format: bool = False) -> date | datetime | time:
    """A date, a naive local date-time or a bare time.

    Excel stores a date as midnight; ``date_only_format`` says the cell shows no time, so a
    midnight there is the date itself.
    """
    if isinstance(value, datetime):
        if date_only_format and value.time() == time(0):
            return value.date()
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.replace(microsecond=0)
    raw = unicodedata.normalize("NFKC", text(value))
    try:
        return _parse(raw)
    except ValueError:
        pass
    raise CellError(
        f"「{raw}」不是日期或时间；请写成 2027-06-04 19:00 或 2027-06-04。",
        f"{raw!r} is not a date or time; write 2027-06-04 19:00 or 2027-06-04.",
    )


def _parse(raw: str) -> date | datetime | time:
    if match := _DATE_ONLY.match(raw):
        return date(*(int(g) for g in match.groups()))
    if match := _DATE_TIME.match(raw):
        y, mo, d, h, mi, s = match.groups()
        hour = _afternoon(raw, int(h))
        return datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0))
    if match := _TIME_ONLY.match(raw):
        _, h, mi, s = match.groups()
        return time(_afternoon(raw, int(h)), int(mi or 0), int(s or 0))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?", raw):
        return datetime.fromisoformat(raw)
    raise ValueError(raw)


def _afternoon(raw: str, hour: int) -> int:
    """下午 7 点 is 19:00."""
    if ("下午" in raw or "晚上" in raw) and hour < 12:
        return hour + 12
    return hour


def yes_no(value: object) -> bool | None:
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return None if raw == "" else False
    raise CellError(f"「{raw}」应为 是 或 否。", f"{raw!r} should be yes or no.")


def whole_number(value: object) -> int | None:
    raw = text(value)
    if not raw:
        return None
    if not raw.isdigit():
        raise CellError(f"「{raw}」应为整数。", f"{raw!r} should be a whole number.")
    return int(raw)


def when(start: object, end: object, all_day: bool | None) -> dict[str, object]:
    """all_day, start and end for an event from what the cells held.

    An empty 全天 means all day when the start has no time. An end that is only a time is on
    the start's day, or the next day when it is not later (19:00–00:30).
    """
    if isinstance(start, time):
        raise CellError(
            "开始时间需要日期，如 2027-06-04 19:00。",
            "the start needs a date, e.g. 2027-06-04 19:00.",
            "start",
        )
    if all_day is None:
        all_day = not isinstance(start, datetime) or (_midnight(start) and _midnight(end))
    if all_day:
        return {"all_day": True, "start": _day(start, "start"), "end": _day(end, "end")}
    if not isinstance(start, datetime):
        raise CellError(
            "缺少时刻（如 2027-06-04 19:00）；全天活动请在「全天」填 是。",
            "no time of day (e.g. 2027-06-04 19:00); for an all-day event set All day to yes.",
            "start",
        )
    if isinstance(end, time):
        finish = datetime.combine(start.date(), end)
        if finish <= start:
            finish += timedelta(days=1)
    elif isinstance(end, datetime):
        finish = end
    else:
        assert isinstance(end, date)
        finish = datetime.combine(end, start.time())
    return {"all_day": False, "start": start, "end": finish}


def _midnight(value: object) -> bool:
    """A date typed into a date-and-time column comes back as midnight."""
    return not isinstance(value, datetime) or value.time() == time(0)


def _day(value: object, key: str) -> date:
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    if isinstance(value, datetime) or not isinstance(value, date):
        raise CellError(
            "全天活动只填日期（如 2027-07-09），不要写时刻。",
            "an all-day event takes a date (e.g. 2027-07-09), not a time.",
            key,
        )
    return value


def shown(value: date) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()
