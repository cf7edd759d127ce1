"""Which days are public holidays, 调休 working days, weekends and working days: the package's
years (2026's National Day week as published), years entered by hand, and years nobody has
published yet (never guessed)."""

from __future__ import annotations

from datetime import date, timedelta

from bolin_events.schemas.holidays import HolidayYearIn
from bolin_events.services import holidays
from tests.conftest import Client
from tests.holidays.helpers import NATIONAL_DAY_2027


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


async def test_2026_national_day_week_is_marked_with_its_swapped_working_days(
    client: Client,
) -> None:
    async with client.app.state.sessionmaker() as session:
        marks = await holidays.day_marks(session, date(2026, 9, 19), date(2026, 10, 11))

    assert {d.isoformat(): (m.kind, m.name_zh) for d, m in marks.items()} == {
        "2026-09-20": ("workday", "国庆节"),  # Sunday worked (调休)
        "2026-09-25": ("holiday", "中秋"), "2026-09-26": ("holiday", "中秋"),
        "2026-09-27": ("holiday", "中秋"),
        **{d.isoformat(): ("holiday", "国庆节") for d in days("2026-10-01", "2026-10-07")},
        "2026-10-10": ("workday", "国庆节"),  # Saturday worked (调休)
    }  # 2026-10-11, an ordinary Sunday, is no holiday: not marked


async def test_day_kinds_tell_holidays_weekends_and_working_days_apart(client: Client) -> None:
    async with client.app.state.sessionmaker() as session:
        kinds = await holidays.day_kinds(session, days("2026-10-06", "2026-10-11"))

    assert kinds == {
        date(2026, 10, 6): "holiday", date(2026, 10, 7): "holiday",
        date(2026, 10, 8): "workday", date(2026, 10, 9): "workday",
        date(2026, 10, 10): "workday",  # a Saturday worked
        date(2026, 10, 11): "weekend",
    }


async def test_a_year_nobody_published_is_unknown_even_on_its_weekends(client: Client) -> None:
    async with client.app.state.sessionmaker() as session:
        kinds = await holidays.day_kinds(session, [date(2027, 10, 1), date(2027, 10, 2),
                                                   date(2026, 12, 31)])
        unknown = await holidays.unknown_years(session, date(2026, 12, 1), date(2027, 1, 31))
        marks = await holidays.day_marks(session, date(2027, 1, 1), date(2027, 12, 31))

    assert kinds == {date(2027, 10, 1): "unknown", date(2027, 10, 2): "unknown",
                     date(2026, 12, 31): "workday"}
    assert unknown == [2027]
    assert marks == {}


async def test_a_year_entered_by_hand_is_known_from_then_on(client: Client) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        await holidays.enter_year(session, 2027, HolidayYearIn.model_validate(NATIONAL_DAY_2027),
                                  None)
    async with client.app.state.sessionmaker() as session:
        kinds = await holidays.day_kinds(session, days("2027-09-25", "2027-10-10"))
        unknown = await holidays.unknown_years(session, date(2027, 1, 1), date(2027, 12, 31))

    assert unknown == []
    assert [d.day for d, k in sorted(kinds.items()) if k == "holiday"] == list(range(1, 8))
    assert kinds[date(2027, 9, 26)] == kinds[date(2027, 10, 9)] == "workday"  # 班
    assert kinds[date(2027, 9, 25)] == kinds[date(2027, 10, 10)] == "weekend"


async def test_a_hand_entry_wins_over_the_package(client: Client) -> None:
    only_new_year = HolidayYearIn.model_validate(
        {"days": [{"start": "2026-01-01", "name_zh": "元旦"}]})
    async with client.app.state.sessionmaker() as session, session.begin():
        await holidays.enter_year(session, 2026, only_new_year, None)
    async with client.app.state.sessionmaker() as session:
        kinds = await holidays.day_kinds(session, [date(2026, 1, 1), date(2026, 1, 2),
                                                   date(2026, 10, 1)])

    assert kinds == {date(2026, 1, 1): "holiday", date(2026, 1, 2): "workday",
                     date(2026, 10, 1): "workday"}


async def test_breaks_join_holidays_that_follow_each_other() -> None:
    marks = holidays.package_year(2025) or {}

    october = [b for b in holidays.breaks(marks) if b.first.month == 10]

    assert [(b.first, b.last, b.title_zh) for b in october] == [
        (date(2025, 10, 1), date(2025, 10, 8), "国庆、中秋假期")]
