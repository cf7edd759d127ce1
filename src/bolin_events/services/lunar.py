"""Dates of the Chinese calendar: lunar months and days, leap months, solar terms (节气) and
the festivals they carry, from lunar-python (MIT, pure Python, 1800–3000; checked against
sxtwl over 1900–2100 — see docs/chinese-calendar.md).

Pure functions on ``date``: no database, no time zone (a lunar day is a day of the calendar in
China, so callers pass the local date in Asia/Shanghai). lunar-python raises a bare
``Exception`` for an impossible date; here that is ``ValueError`` (or ``None`` where asked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from lunar_python import Lunar, LunarYear, Solar

FIRST_YEAR, LAST_YEAR = 1901, 2099  # the years rules expand over (lunar-python goes further)

# The 24 solar terms in their order through a Gregorian year (小寒 in early January … 冬至),
# with pinyin (accepted in rules) and English.
TERMS: tuple[tuple[str, str, str], ...] = (
    ("小寒", "XIAOHAN", "Minor Cold"), ("大寒", "DAHAN", "Major Cold"),
    ("立春", "LICHUN", "Start of Spring"), ("雨水", "YUSHUI", "Rain Water"),
    ("惊蛰", "JINGZHE", "Awakening of Insects"), ("春分", "CHUNFEN", "Spring Equinox"),
    ("清明", "QINGMING", "Pure Brightness"), ("谷雨", "GUYU", "Grain Rain"),
    ("立夏", "LIXIA", "Start of Summer"), ("小满", "XIAOMAN", "Grain Buds"),
    ("芒种", "MANGZHONG", "Grain in Ear"), ("夏至", "XIAZHI", "Summer Solstice"),
    ("小暑", "XIAOSHU", "Minor Heat"), ("大暑", "DASHU", "Major Heat"),
    ("立秋", "LIQIU", "Start of Autumn"), ("处暑", "CHUSHU", "End of Heat"),
    ("白露", "BAILU", "White Dew"), ("秋分", "QIUFEN", "Autumn Equinox"),
    ("寒露", "HANLU", "Cold Dew"), ("霜降", "SHUANGJIANG", "Frost's Descent"),
    ("立冬", "LIDONG", "Start of Winter"), ("小雪", "XIAOXUE", "Minor Snow"),
    ("大雪", "DAXUE", "Major Snow"), ("冬至", "DONGZHI", "Winter Solstice"),
)
TERM_EN = {zh: en for zh, _, en in TERMS}
# lunar-python's names for the terms of the next year in its table (pinyin keys)
_TABLE_KEYS = {"DONG_ZHI": "冬至", "XIAO_HAN": "小寒", "DA_HAN": "大寒", "LI_CHUN": "立春",
               "YU_SHUI": "雨水", "JING_ZHE": "惊蛰"}
# Festivals of the lunar calendar the town keeps (lunar-python also names others).
FESTIVAL_EN = {
    "春节": "Spring Festival", "元宵节": "Lantern Festival", "龙头节": "Dragon Head Festival",
    "端午节": "Dragon Boat Festival", "七夕节": "Qixi Festival", "中元节": "Zhongyuan Festival",
    "中秋节": "Mid-Autumn Festival", "重阳节": "Double Ninth Festival", "腊八节": "Laba Festival",
    "除夕": "New Year's Eve", "寒衣节": "Winter Clothes Day", "下元节": "Xiayuan Festival",
}
MONTH_ZH = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
DAY_ZH = (
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
)


@dataclass(frozen=True)
class LunarDay:
    """One day in the lunar calendar, and what it is (a festival, a solar term)."""

    year: int  # the lunar year (正月 starts it)
    month: int  # 1–12
    day: int  # 1–30
    leap: bool  # a day of the leap month (闰月) of that number
    festivals: tuple[str, ...]
    term: str | None

    @property
    def month_zh(self) -> str:
        return month_name(self.month, leap=self.leap)

    @property
    def day_zh(self) -> str:
        return DAY_ZH[self.day - 1]

    @property
    def names(self) -> tuple[str, ...]:
        """Its festivals, then its solar term (中秋节, 秋分); empty on an ordinary day."""
        return (*self.festivals, *((self.term,) if self.term else ()))

    @property
    def text(self) -> str:
        """农历八月十五 中秋节 · 农历闰六月初三 · 农历八月廿三 秋分"""
        return " ".join([f"农历{self.month_zh}{self.day_zh}", *self.names])

    @property
    def text_en(self) -> str:
        """lunar 8/15, Mid-Autumn Festival · lunar leap 6/3"""
        leap = "leap " if self.leap else ""
        return ", ".join([f"lunar {leap}{self.month}/{self.day}", *map(name_en, self.names)])

    @property
    def notable(self) -> bool:
        """A festival or a solar term: worth saying beside the date on a page."""
        return bool(self.names)


def month_name(month: int, *, leap: bool = False) -> str:
    """八月, 闰六月, 正月, 腊月."""
    return ("闰" if leap else "") + MONTH_ZH[month - 1] + "月"


def name_en(name: str) -> str:
    """A festival's or solar term's English name (中秋节 → Mid-Autumn Festival)."""
    return FESTIVAL_EN.get(name) or TERM_EN.get(name, name)


@lru_cache(maxsize=4096)
def lunar_day(day: date) -> LunarDay:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    festivals = tuple(f for f in lunar.getFestivals() if f in FESTIVAL_EN)
    term = lunar.getJieQi() or None
    return LunarDay(lunar.getYear(), abs(month), lunar.getDay(), month < 0, festivals,
                    term if term in TERM_EN else None)


def leap_month(year: int) -> int | None:
    """The number of the lunar year's leap month (闰月), None when it has none."""
    return int(LunarYear.fromYear(year).getLeapMonth()) or None


def lunar_months(year: int) -> list[tuple[int, bool, date, int]]:
    """The months of a lunar year in order: (number, leap, first day, days)."""
    months = []
    for found in LunarYear.fromYear(year).getMonthsInYear():
        if found.getYear() != year:
            continue
        first = Solar.fromJulianDay(found.getFirstJulianDay())
        months.append((abs(found.getMonth()), found.getMonth() < 0,
                       date(first.getYear(), first.getMonth(), first.getDay()),
                       int(found.getDayCount())))
    return months


@lru_cache(maxsize=256)
def solar_terms(year: int) -> dict[str, date]:
    """The 24 solar terms of a Gregorian year, by Chinese name, on their day in China."""
    found: dict[str, date] = {}
    for source in (year, year + 1):  # a lunar year's table runs 冬至 before … 惊蛰 after it
        for name, solar in Lunar.fromYmd(source, 1, 1).getJieQiTable().items():
            name = _TABLE_KEYS.get(name, name)
            if name in TERM_EN and solar.getYear() == year:
                found[name] = date(solar.getYear(), solar.getMonth(), solar.getDay())
    return dict(sorted(found.items(), key=lambda item: item[1]))


def term_name(text: str) -> str | None:
    """A solar term's Chinese name from its Chinese or pinyin name (秋分, QIUFEN, qiufen)."""
    wanted = text.strip()
    for zh, pinyin, _ in TERMS:
        if wanted == zh or wanted.upper() == pinyin:
            return zh
    return None
