"""The rules a report's figures must follow (schemas.attendance.FIGURE_RULES says them in words).

Pure functions: every problem in a report is found at once, so a reporter fixes a row in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from bolin_events.models import AttendanceReport
from bolin_events.schemas.attendance import ReportIn

MAX_COUNT = 1_000_000
REVIEW_FACTOR = 2
OVER_CAPACITY = "over_capacity"

FIGURE_ZH = {
    "total": "总人次",
    "residents": "本地居民",
    "visitors": "外地游客",
    "onsite": "现场人次",
    "online": "线上人次",
    "volunteers": "志愿者",
}


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str

    def as_detail(self) -> dict[str, str]:
        return {"field": self.field, "message": self.zh, "message_en": self.en}


def onsite_figure(data: ReportIn | AttendanceReport) -> int:
    """Who was there in person: ``onsite``, or what the total leaves after online views."""
    if data.onsite is not None:
        return data.onsite
    return data.total - (data.online or 0)


def problems(data: ReportIn) -> list[Problem]:
    found = _ranges(data)
    if found:  # the sums below mean nothing with a negative or absurd figure
        return found
    total, onsite, online = data.total, data.onsite, data.online
    if onsite is not None and online is not None and onsite + online != total:
        found.append(
            Problem(
                "total",
                f"现场 {onsite} + 线上 {online} = {onsite + online}，与总人次 {total} 不符。",
                f"onsite {onsite} + online {online} = {onsite + online}, not the total {total}.",
            )
        )
    found += _over(data, ("onsite", "online"), total, f"总人次 {total}", f"the total {total}")
    if found:
        return found
    base = onsite_figure(data)
    base_zh = "现场人次" if onsite is not None else "总人次"
    base_en = "onsite" if onsite is not None else "total" if online is None else "total − online"
    residents, visitors = data.residents, data.visitors
    if residents is not None and visitors is not None:
        if residents + visitors != base:
            found.append(
                Problem(
                    "residents",
                    f"本地居民 {residents} + 外地游客 {visitors} = {residents + visitors}，"
                    f"应等于{base_zh} {base}。",
                    f"residents {residents} + visitors {visitors} = {residents + visitors}, "
                    f"but must equal {base_en} ({base}).",
                )
            )
    else:
        found += _over(
            data, ("residents", "visitors"), base, f"{base_zh} {base}", f"{base_en} ({base})"
        )
    return found


def _over(data: ReportIn, names: tuple[str, ...], limit: int, zh: str, en: str) -> list[Problem]:
    """A part larger than its whole; ``zh``/``en`` name the whole with its figure."""
    return [
        Problem(name, f"{FIGURE_ZH[name]} {value} 超过{zh}。", f"{name} {value} is more than {en}.")
        for name in names
        if (value := getattr(data, name)) is not None and value > limit
    ]


def _ranges(data: ReportIn) -> list[Problem]:
    found = []
    for name, label in FIGURE_ZH.items():
        value = getattr(data, name)
        if value is None:
            continue
        if value < 0:
            found.append(
                Problem(name, f"{label}不能为负数（{value}）。", f"{name} cannot be negative.")
            )
        elif value > MAX_COUNT:
            found.append(
                Problem(
                    name,
                    f"{label} {value} 超过上限 {MAX_COUNT:,}，请核对是否多打了零。",
                    f"{name} {value} is over the limit of {MAX_COUNT:,}; check for extra zeros.",
                )
            )
    return found


def days_spanned(starts_at: datetime, ends_at: datetime) -> int:
    """The days a night runs over: 1 for an evening (even past midnight), 9 for a nine-day
    exhibition (all day: nine times 24 hours)."""
    return max(1, ceil((ends_at - starts_at) / timedelta(days=1)))


def review_flag(data: ReportIn, capacity: int | None, days: int = 1) -> str | None:
    """Accepted but worth a second look: far more people on site in a day than the place
    holds. A multi-day night's figure is the whole span's, so it is compared per day: 860
    visitors over a nine-day exhibition at a 300-seat hall are 96 a day, not suspect."""
    if capacity and onsite_figure(data) > REVIEW_FACTOR * capacity * days:
        return OVER_CAPACITY
    return None


def review_text(flag: str, onsite: int, capacity: int | None, days: int = 1) -> tuple[str, str]:
    if flag == OVER_CAPACITY and days > 1:
        per_day = onsite // days
        return (
            f"现场 {onsite} 人次（{days} 天，每天约 {per_day} 人次）超过容纳人数 {capacity} 的 "
            f"{REVIEW_FACTOR} 倍，请核实。",
            f"{onsite} on site over {days} days (about {per_day} a day) is over {REVIEW_FACTOR}× "
            f"the capacity of {capacity}; please check.",
        )
    if flag == OVER_CAPACITY:
        return (
            f"现场 {onsite} 人次超过容纳人数 {capacity} 的 {REVIEW_FACTOR} 倍，请核实。",
            f"{onsite} on site is over {REVIEW_FACTOR}× the capacity of {capacity}; please check.",
        )
    return flag, flag
