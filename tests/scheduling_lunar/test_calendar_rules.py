"""Chinese-calendar rules: how they read, what they refuse (in words), and the dates they give
against known dates (中秋, 重阳, 秋分, a leap month, a 29-day month)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bolin_events.errors import InvalidInput
from bolin_events.services.lunar import DAY_ZH, LAST_YEAR, leap_month, lunar_day
from bolin_events.services.scheduling.calendar_rules import (
    expand_calendar_rule,
    parse_calendar_rule,
    preview_dates,
)

NEW_YEAR_2027 = date(2027, 1, 1)


def dates(text: str, first: date = NEW_YEAR_2027, max_count: int = 1000) -> list[date]:
    return expand_calendar_rule(parse_calendar_rule(text), first, max_count=max_count)


def refusal(text: str, max_count: int | None = None) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_calendar_rule(text, max_count=max_count)
    return caught.value


def test_mid_autumn_falls_on_known_dates() -> None:
    assert dates("LUNAR;MONTH=8;DAY=15")[:2] == [date(2027, 9, 15), date(2028, 10, 3)]


def test_double_ninth_2027() -> None:
    assert dates("LUNAR;MONTH=9;DAY=9;COUNT=1") == [date(2027, 10, 8)]


@pytest.mark.parametrize("name", ["秋分", "QIUFEN", "qiufen"])
def test_autumn_equinox_by_chinese_or_pinyin_name(name: str) -> None:
    assert dates(f"TERM;NAME={name};COUNT=2") == [date(2027, 9, 23), date(2028, 9, 22)]


def test_leap_month_rule_gives_only_years_with_that_leap_month() -> None:
    found = dates("LUNAR;MONTH=6;DAY=3;LEAP=1", first=date(2025, 1, 1))

    assert found[0] == date(2025, 7, 27)
    assert [d.year for d in found] == [y for y in range(2025, LAST_YEAR + 1) if leap_month(y) == 6]
    assert {lunar_day(d).text for d in found} == {"农历闰六月初三"}


def test_regular_month_rule_skips_the_leap_month_of_that_number() -> None:
    found = dates("LUNAR;MONTH=6;DAY=3;COUNT=2", first=date(2025, 1, 1))

    assert found == [date(2025, 6, 27), date(2026, 7, 16)]
    assert [lunar_day(d).text for d in found] == ["农历六月初三", "农历六月初三"]


def test_day_30_in_a_29_day_month_is_its_last_day() -> None:
    found = dates("LUNAR;MONTH=8;DAY=30;COUNT=10")

    assert found[0] == date(2027, 9, 29)  # 2027's 八月 has 29 days: 八月廿九
    assert lunar_day(found[0]).day_zh == "廿九"
    for day in found:  # every year, the month's last day: the next day is 九月初一
        after = lunar_day(day + timedelta(days=1))
        assert (lunar_day(day).month, after.month, after.day) == (8, 9, 1)
    assert "三十" in {lunar_day(d).day_zh for d in found}  # and 三十 where the month has 30


def test_new_years_eve_is_the_last_day_of_the_twelfth_month() -> None:
    found = dates("LUNAR;MONTH=12;DAY=30;COUNT=2")

    assert found == [date(2027, 2, 5), date(2028, 1, 25)]
    assert [lunar_day(d).festivals for d in found] == [("除夕",), ("除夕",)]


def test_lunar_days_ending_in_3_6_9_give_nine_days_a_month() -> None:
    # 2027's 八月 runs 09-01 … 09-29 (29 days): 廿九 still ends in 9
    found = dates("LUNARDAYS;ENDINGS=3,6,9;UNTIL=20270929", first=date(2027, 9, 1))

    assert [lunar_day(d).day_zh for d in found] == [
        "初三", "初六", "初九", "十三", "十六", "十九", "廿三", "廿六", "廿九"]
    assert {lunar_day(d).month for d in found} == {8}


def test_lunar_days_ending_in_0_have_the_30th_only_in_30_day_months() -> None:
    # 2025: 六月 has 30 days (from 06-25), 闰六月 29 (from 07-25)
    found = dates("LUNARDAYS;ENDINGS=0;UNTIL=20250822", first=date(2025, 6, 25))

    assert found == [date(2025, 7, 4), date(2025, 7, 14), date(2025, 7, 24),
                     date(2025, 8, 3), date(2025, 8, 13)]
    assert [lunar_day(d).text for d in found] == [
        "农历六月初十", "农历六月二十", "农历六月三十", "农历闰六月初十", "农历闰六月二十"]


def test_lunar_days_with_a_count() -> None:
    found = dates("LUNARDAYS;ENDINGS=5,0;COUNT=4", first=date(2027, 9, 1))

    assert [lunar_day(d).day_zh for d in found] == ["初五", "初十", "十五", "二十"]


def test_dates_start_on_or_after_the_first_day() -> None:
    assert dates("LUNAR;MONTH=8;DAY=15;COUNT=1", first=date(2027, 9, 15)) == [date(2027, 9, 15)]
    assert dates("LUNAR;MONTH=8;DAY=15;COUNT=1", first=date(2027, 9, 16)) == [date(2028, 10, 3)]
    # 除夕 of the lunar year the first day is in, though that began the Gregorian year before
    assert dates("LUNAR;MONTH=12;DAY=30;COUNT=1", first=date(2027, 1, 20)) == [date(2027, 2, 5)]


def test_until_is_inclusive() -> None:
    assert dates("TERM;NAME=秋分;UNTIL=20280922") == [date(2027, 9, 23), date(2028, 9, 22)]


def test_an_open_rule_runs_every_year_the_calendar_holds() -> None:
    found = dates("LUNAR;MONTH=8;DAY=15")

    assert (len(found), found[-1].year) == (LAST_YEAR - 2027 + 1, LAST_YEAR)


def test_an_open_rule_stops_at_the_bound() -> None:
    assert len(dates("TERM;NAME=秋分", max_count=10)) == 10


def test_until_rule_with_too_many_dates_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        dates("LUNARDAYS;ENDINGS=1,2,3,4,5;UNTIL=20281231", max_count=100)

    assert caught.value.zh == "农历规则有误：产生超过 100 次活动，请提前截止日期"


def test_count_larger_than_the_bound_is_refused() -> None:
    assert refusal("LUNAR;MONTH=8;DAY=15;COUNT=101", max_count=100).zh == (
        "农历规则有误：次数（COUNT）须为 1 到 100 之间的整数")
    with pytest.raises(InvalidInput):
        dates("LUNAR;MONTH=8;DAY=15;COUNT=101", max_count=100)


def test_count_past_the_last_year_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        dates("LUNAR;MONTH=8;DAY=15;COUNT=200")

    assert caught.value.en == (
        f"The Chinese-calendar rule is wrong: the rule runs past {LAST_YEAR}; give a smaller COUNT")


def test_a_rule_with_no_date_after_the_start_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        dates("LUNAR;MONTH=8;DAY=15;UNTIL=20270901")

    assert caught.value.zh == "农历规则有误：在开始日期（2027-01-01）之后没有任何一次活动"
    assert caught.value.details == [{"field": "calendar_rule", "part": "calendar_rule"}]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        (" lunar ; month = 8 ; day = 15 ", "LUNAR;MONTH=8;DAY=15"),
        ("LUNAR;DAY=3;MONTH=6;LEAP=1;COUNT=2", "LUNAR;MONTH=6;DAY=3;LEAP=1;COUNT=2"),
        ("LUNAR;MONTH=8;DAY=15;LEAP=0;", "LUNAR;MONTH=8;DAY=15"),
        ("term;name=QiuFen;count=3", "TERM;NAME=秋分;COUNT=3"),
        ("TERM;NAME= 秋分 ", "TERM;NAME=秋分"),
        ("LUNARDAYS；ENDINGS＝9，3，6；UNTIL=2027-12-31", "LUNARDAYS;ENDINGS=3,6,9;UNTIL=20271231"),
        ("lunardays;endings=6,3,3,9;count=12", "LUNARDAYS;ENDINGS=3,6,9;COUNT=12"),
    ],
)
def test_parsing_forgives_case_and_spaces_and_stores_one_form(text: str, canonical: str) -> None:
    rule = parse_calendar_rule(text)

    assert rule.text == canonical
    assert parse_calendar_rule(rule.text) == rule


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("LUNAR;MONTH=8;DAY=15", "每年农历八月十五",
         "every year on the 15th day of the 8th lunar month"),
        ("LUNAR;MONTH=1;DAY=15", "每年农历正月十五",
         "every year on the 15th day of the 1st lunar month"),
        ("LUNAR;MONTH=6;DAY=3;LEAP=1", "每年农历闰六月初三",
         "every year on the 3rd day of the leap 6th lunar month, in years that have one"),
        ("LUNAR;MONTH=12;DAY=30", "每年农历腊月三十",
         "every year on the 30th day of the 12th lunar month (its last day when the month has "
         "29)"),
        ("LUNAR;MONTH=9;DAY=9;COUNT=5", "每年农历九月初九，共 5 次",
         "every year on the 9th day of the 9th lunar month, 5 times"),
        ("TERM;NAME=qiufen", "每年秋分", "every year on Autumn Equinox (秋分)"),
        ("LUNARDAYS;ENDINGS=3,6,9;UNTIL=20301231", "农历逢三、六、九日，至 2030年12月31日",
         "every lunar day ending in 3, 6 or 9, until 2030-12-31"),
        ("LUNARDAYS;ENDINGS=0,5;COUNT=1", "农历逢五、十日，共 1 次",
         "every lunar day ending in 5 or 0, 1 time"),
    ],
)
def test_describe_says_the_rule_in_words(text: str, zh: str, en: str) -> None:
    assert parse_calendar_rule(text).describe() == (zh, en)


@pytest.mark.parametrize(
    ("text", "part", "zh"),
    [
        ("", "calendar_rule", "规则为空"),
        ("YEARLY;MONTH=8", "YEARLY", "「YEARLY」不是规则种类"),
        ("LUNAR;MONTH=13;DAY=1", "MONTH", "农历月份须为 1–12"),
        ("LUNAR;MONTH=0;DAY=1", "MONTH", "农历月份须为 1–12"),
        ("LUNAR;MONTH=八;DAY=1", "MONTH", "农历月份须为 1–12"),
        ("LUNAR;MONTH=8;DAY=31", "DAY", "农历日须为 1–30"),
        ("LUNAR;MONTH=8", "DAY", "农历日期规则须写明月份和日期"),
        ("LUNAR;MONTH=8;DAY=15;LEAP=yes", "LEAP", "LEAP 须为 0 或 1"),
        ("LUNAR;MONTH=8;DAY=15;NAME=秋分", "NAME", "LUNAR 规则不接受 NAME"),
        ("LUNAR;MONTH=8;DAY=15;MONTH=9", "MONTH", "MONTH 出现了两次"),
        ("LUNAR;MONTH=8;DAY=15;COUNT=2;UNTIL=20301231", "COUNT/UNTIL", "只能二选一"),
        ("LUNAR;MONTH=8;DAY=15;COUNT=0", "COUNT", "次数（COUNT）须为 1 到"),
        ("LUNAR;MONTH=8;DAY=15;UNTIL=20271332", "UNTIL", "应为 YYYYMMDD 形式的日期"),
        ("LUNAR;MONTH=8;DAY=15;UNTIL=21050101", "UNTIL", "截止日期须在 1901 年至 2099 年之间"),
        ("LUNAR;MONTH 8", "MONTH 8", "应为 名称=值 的形式"),
        ("LUNARDAYS;ENDINGS=3,6,9", "COUNT/UNTIL", "逢日规则须写明截止日期或次数"),
        ("LUNARDAYS;ENDINGS=13;COUNT=3", "ENDINGS", "逢日的尾数须为 0–9"),
        ("LUNARDAYS;ENDINGS=;COUNT=3", "ENDINGS", "逢日的尾数须为 0–9"),
        ("LUNARDAYS;COUNT=3", "ENDINGS", "逢日的尾数须为 0–9"),
    ],
)
def test_refusals_say_what_is_wrong_in_chinese(text: str, part: str, zh: str) -> None:
    error = refusal(text)

    assert error.zh.startswith("农历规则有误：")
    assert zh in error.zh
    assert error.details == [{"field": "calendar_rule", "part": part}]


def test_unknown_solar_term_lists_the_24() -> None:
    error = refusal("TERM;NAME=中秋")

    assert error.zh == (
        "农历规则有误：无法识别节气「中秋」，节气为：小寒、大寒、立春、雨水、惊蛰、春分、清明、谷雨、"
        "立夏、小满、芒种、夏至、小暑、大暑、立秋、处暑、白露、秋分、寒露、霜降、立冬、小雪、大雪、冬至")
    assert "秋分 (QIUFEN)" in error.en


def test_preview_gives_the_next_five_dates() -> None:
    rule = parse_calendar_rule("LUNAR;MONTH=8;DAY=15")

    assert preview_dates(rule, NEW_YEAR_2027) == [
        date(2027, 9, 15), date(2028, 10, 3), date(2029, 9, 22), date(2030, 9, 12),
        date(2031, 10, 1)]
    assert [lunar_day(d).text for d in preview_dates(rule, NEW_YEAR_2027, 2)] == [
        "农历八月十五 中秋节", "农历八月十五 中秋节"]


def test_preview_stops_where_the_rule_ends() -> None:
    assert preview_dates(parse_calendar_rule("TERM;NAME=秋分;COUNT=2"), NEW_YEAR_2027) == [
        date(2027, 9, 23), date(2028, 9, 22)]
    assert preview_dates(parse_calendar_rule("LUNAR;MONTH=8;DAY=15;UNTIL=20270901"),
                         NEW_YEAR_2027) == []


def test_every_lunar_day_name_is_reachable() -> None:
    """ENDINGS 0–9 together give every day of a 30-day month, in order."""
    found = dates("LUNARDAYS;ENDINGS=0,1,2,3,4,5,6,7,8,9;COUNT=30", first=date(2025, 6, 25))

    assert [lunar_day(d).day_zh for d in found] == list(DAY_ZH)
