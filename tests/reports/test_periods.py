"""Reporting periods: what a person types, the days it means, and the year before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bolin_events.errors import InvalidInput
from bolin_events.services.stats.periods import Period, parse_period, resolve

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025年"),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "2025年第一季度"),
        ("2025-q2", date(2025, 4, 1), date(2025, 6, 30), "2025年第二季度"),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31), "2025年第四季度"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), "2025年12月"),
    ],
)
def test_parse_period_gives_its_days_and_label(
    text: str, first: date, last: date, label: str
) -> None:
    period = parse_period(text)

    assert (period.first, period.last, period.label) == (first, last, label)


@pytest.mark.parametrize("text", ["25", "2025-13", "2025-Q5", "2025-00", "last year", "", "2025-6"])
def test_parse_period_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_period(text)

    assert "无法识别" in caught.value.zh
    assert "2025-Q2" in caught.value.en


@pytest.mark.parametrize("text", ["1066", "0000", "0000-01", "9999-12", "9999-Q4"])
def test_parse_period_refuses_years_outside_the_service(text: str) -> None:
    with pytest.raises(InvalidInput, match="between 1900 and 2199"):
        parse_period(text)


def test_period_bounds_are_local_midnights_in_utc() -> None:
    start, end = parse_period("2025-07").bounds(TZ)

    assert (start, end) == (
        datetime(2025, 6, 30, 16, tzinfo=UTC),
        datetime(2025, 7, 31, 16, tzinfo=UTC),
    )


def test_year_earlier_of_a_leap_day_is_the_28th() -> None:
    period = resolve(None, "2024-02-29", "2024-02-29").year_earlier()

    assert (period.first, period.last, period.key) == (
        date(2023, 2, 28),
        date(2023, 2, 28),
        "2023-02-28..2023-02-28",
    )


def test_year_earlier_of_february_ends_on_its_last_day() -> None:
    assert parse_period("2024-02").year_earlier().last == date(2023, 2, 28)


def test_months_lists_every_month_touched() -> None:
    period = Period(date(2024, 11, 15), date(2025, 2, 3), "range")

    assert period.months() == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


@pytest.mark.parametrize(
    ("period", "first", "last", "message"),
    [
        ("2025", "2025-01-01", None, "只用一种方式"),
        (None, "2025-01-01", None, "缺少统计期"),
        (None, None, None, "缺少统计期"),
        (None, "2025-06-30", "2025-01-01", "截止日期不能早于起始日期"),
        (None, "2025-02-30", "2025-03-01", "起始日期不是有效日期"),
        (None, "2000-01-01", "2025-01-01", "最长十年"),
    ],
)
def test_resolve_refuses_a_bad_period_saying_why(
    period: str | None, first: str | None, last: str | None, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve(period, first, last)

    assert message in caught.value.zh
