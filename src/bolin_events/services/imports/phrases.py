"""The 重复 column: an RRULE, or one of a few plain phrases turned into one.

The phrases, in full (a rule must end: with 至/until a date, or 共N次/N times)::

    每天至2027-08-31                 → FREQ=DAILY;UNTIL=20270831
    每2天共10次                      → FREQ=DAILY;INTERVAL=2;COUNT=10
    每周五、六至2027-09-30            → FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930
    每周五和周六至9月30日             → the same (a date without a year takes the start's year)
    每两周六共5次                    → FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=5
    每周至2027-09-30                 → FREQ=WEEKLY;UNTIL=20270930 (the start's weekday)
    每月15日至2027-12-31             → FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231
    每月第一个周六至2027-12-31        → FREQ=MONTHLY;BYDAY=1SA;UNTIL=20271231
    每月最后一个周五共6次             → FREQ=MONTHLY;BYDAY=-1FR;COUNT=6
    daily until 2027-08-31 · every 2 days, 10 times · every Fri, Sat until 2027-09-30
    every 2 weeks on Sat, 5 times · monthly on the 15th until 2027-12-31
    monthly on the first Saturday until 2027-12-31 · monthly on the last Friday, 6 times

Dates: 2027-09-30, 2027/9/30, 2027.9.30, 2027年9月30日, 20270930, 9月30日, 9/30.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

EXAMPLES_ZH = "每周五、六至2027-09-30；每天至2027-08-31；每月第一个周六共6次"
EXAMPLES_EN = (
    "every Fri, Sat until 2027-09-30; daily until 2027-08-31; monthly on the first Sat, 6 times"
)

_ZH_DAYS = {
    "一": "MO",
    "二": "TU",
    "三": "WE",
    "四": "TH",
    "五": "FR",
    "六": "SA",
    "日": "SU",
    "天": "SU",
}
_EN_DAYS = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}
_ZH_NUMS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_EN_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
}
_EN_DAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_WEEK_WORD = r"(?:周|星期|礼拜)"
_DATE = (
    r"(?:(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"|(\d{4})(\d{2})(\d{2})"
    r"|(\d{1,2})\s*[月/]\s*(\d{1,2})\s*[日号]?)"
)
_UNTIL = re.compile(r"(?:至|到|直到|截至|截止|until|till|through|thru|to)\s*" + _DATE)
_COUNT = re.compile(r"(?:共\s*(\d+)\s*[次场]|(\d+)\s*(?:次|场|times?|occurrences?))")
_END_WORD = re.compile(r"至|到|截至|截止|until|till|through")


class PhraseError(ValueError):
    """The phrase was not understood; ``zh``/``en`` say what, with examples."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def to_rrule(text: str, *, default_year: int) -> str | None:
    """An RRULE string (not yet checked against the supported subset), or None for no repeat."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value or value in ("不重复", "无", "否", "none", "no"):
        return None
    if re.match(r"(?i)^(rrule:)?\s*freq\s*=", value):
        return re.sub(r"(?i)^rrule:\s*", "", value).replace(" ", "")
    lowered = value.lower()
    end, rest = _end(lowered, default_year)
    found = _frequency(rest)
    if found is None:
        raise _not_understood(value)
    freq, interval = found
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq == "WEEKLY":
        days = _week_days(rest)
        if days:
            parts.append("BYDAY=" + ",".join(days))
    elif freq == "MONTHLY":
        day = _month_part(rest)
        if day is None:
            raise _not_understood(value)
        parts.append(day)
    if end is None:
        raise PhraseError(
            f"重复「{value}」没有结束：请加「至2027-09-30」或「共10次」。",
            f"Repeat {value!r} never ends: add 'until 2027-09-30' or '10 times'.",
        )
    return ";".join([*parts, end])


def _not_understood(value: str) -> PhraseError:
    return PhraseError(
        f"无法识别重复「{value}」。请写成如：{EXAMPLES_ZH}；"
        "或写标准重复规则（如 FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930）。",
        f"Repeat {value!r} is not understood. Write an RRULE (e.g. "
        f"FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930) or e.g.: {EXAMPLES_EN}.",
    )


def _end(text: str, default_year: int) -> tuple[str | None, str]:
    match = _UNTIL.search(text)
    if match:
        return f"UNTIL={_date(match, text, default_year):%Y%m%d}", text[: match.start()]
    match = _COUNT.search(text)
    if match:
        return f"COUNT={int(match.group(1) or match.group(2))}", text[: match.start()]
    if _END_WORD.search(text):
        raise PhraseError(
            f"重复「{text}」的结束日期无法识别；请写成 2027-09-30 或 2027年9月30日。",
            f"The end date in repeat {text!r} is not a date; write 2027-09-30.",
        )
    return None, text


def _date(match: re.Match[str], text: str, default_year: int) -> date:
    g = match.groups()
    year, month, day = (
        (g[0], g[1], g[2])
        if g[0]
        else (g[3], g[4], g[5])
        if g[3]
        else (str(default_year), g[6], g[7])
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise PhraseError(
            f"重复「{text}」中的日期 {year}-{month}-{day} 不存在。",
            f"The date {year}-{month}-{day} in repeat {text!r} does not exist.",
        ) from None


def _frequency(text: str) -> tuple[str, int] | None:
    number = r"(\d+|[两二三四五六])?\s*个?\s*"
    for pattern, freq in (
        (r"每\s*" + number + "月", "MONTHLY"),
        (r"每\s*" + number + _WEEK_WORD, "WEEKLY"),
        (r"每\s*" + number + "[天日]", "DAILY"),
        (r"every\s+(\d+)?\s*months?\b|\bmonthly\b", "MONTHLY"),
        (r"every\s+(\d+)?\s*weeks?\b|\bweekly\b|\bevery\s+" + _EN_DAY, "WEEKLY"),
        (r"every\s+(\d+)?\s*days?\b|\bdaily\b", "DAILY"),
    ):
        match = re.search(pattern, text)
        if match:
            raw = match.group(1) if match.groups() else None
            if raw in (None, "") or not (raw.isdigit() or raw in _ZH_NUMS):
                return freq, 1
            return freq, int(raw) if raw.isdigit() else _ZH_NUMS[raw]
    return None


def _week_days(text: str) -> list[str]:
    days: list[str] = []
    zh = re.search(
        _WEEK_WORD
        + r"([一二三四五六日天](?:\s*[、,和及与/]?\s*"
        + _WEEK_WORD
        + r"?\s*[一二三四五六日天])*)",
        text,
    )
    if zh:
        days = [_ZH_DAYS[c] for c in zh.group(1) if c in _ZH_DAYS]
    else:
        days = [_EN_DAYS[m.group(1)] for m in re.finditer(r"\b" + _EN_DAY + r"\b", text)]
    return list(dict.fromkeys(days))


def _month_part(text: str) -> str | None:
    zh = re.search(
        r"(?:第\s*([一二三四五1-5])|(最后))\s*一?\s*个?\s*" + _WEEK_WORD + r"([一二三四五六日天])",
        text,
    )
    if zh:
        ordinal = -1 if zh.group(2) else _ZH_NUMS.get(zh.group(1)) or int(zh.group(1))
        return f"BYDAY={ordinal}{_ZH_DAYS[zh.group(3)]}"
    en = re.search(r"\b(" + "|".join(_EN_ORDINALS) + r")\s+" + _EN_DAY, text)
    if en:
        return f"BYDAY={_EN_ORDINALS[en.group(1)]}{_EN_DAYS[en.group(2)]}"
    day = re.search(r"(\d{1,2})\s*[日号]|(?:the|day)\s+(\d{1,2})(?:st|nd|rd|th)?\b", text)
    if day:
        return f"BYMONTHDAY={int(day.group(1) or day.group(2))}"
    return None
