"""The statistics split by the kind of day a night starts on: 法定节假日, 周末, 工作日 (调休
working days included) and, apart, 假日安排未公布 — in the API, the files and the reports page.

October 2026: 10-01 and 10-02 are 国庆 holidays, Saturday 10-10 is worked (调休), Sunday
10-11 is a weekend, Tuesday 10-13 a working day. 2027's arrangement is not published.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bolin_events.models import (
    AttendanceReport,
    DayKind,
    HolidayDay,
    HolidayYear,
    Occurrence,
    Role,
)
from bolin_events.schemas.reports import StatsOut
from bolin_events.services.accounts.users import find_user
from bolin_events.services.stats.daykinds import split
from bolin_events.services.stats.files import to_csv
from bolin_events.services.stats.periods import resolve
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.summary import statistics
from bolin_events.services.stats.tables import stats_table
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.test_records_pages import text
from tests.reports.helpers import REPORTS, get_json, report, rows_by_key, season

OCTOBER = {"period": "2026-10", "group_by": "category"}
LATER = datetime(2027, 4, 1, tzinfo=UTC)  # when the night of 2027-03-02 is over


def figures(split_out: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {k["kind"]: (k["sessions"], k["people"]) for k in split_out}


def test_split_sums_each_group_by_the_kind_of_its_days() -> None:
    kinds = {
        date(2026, 10, 1): "holiday", date(2026, 10, 10): "workday",
        date(2026, 10, 11): "weekend",
    }
    nights = [
        ("market", date(2026, 10, 1), 1, 300),
        ("market", date(2026, 10, 1), 2, 50),  # two nights starting at the same instant
        ("gala", date(2026, 10, 10), 1, 120),
        ("gala", date(2026, 10, 11), 1, 7),
    ]

    found = split(nights, kinds)

    assert [(k.kind, k.sessions, k.people) for k in found.of("market")] == [
        ("holiday", 3, 350), ("weekend", 0, 0), ("workday", 0, 0),
    ]
    assert [(k.kind, k.sessions, k.people) for k in found.total()] == [
        ("holiday", 3, 350), ("weekend", 1, 7), ("workday", 1, 120),
    ]
    assert [k.sessions for k in found.of("held only a year earlier")] == [0, 0, 0]
    assert found.unknown_years == []


def test_split_lists_days_of_unpublished_years_apart_never_guessed() -> None:
    kinds = {date(2026, 10, 13): "workday", date(2027, 3, 2): "unknown"}
    nights = [
        (None, date(2026, 10, 13), 1, 80),
        (None, date(2027, 3, 2), 1, 50),
        (None, date(2028, 5, 6), 1, 9),  # a day the arrangement does not answer for
    ]

    found = split(nights, kinds)

    assert [(k.kind_zh, k.sessions, k.people) for k in found.total()] == [
        ("法定节假日", 0, 0), ("周末", 0, 0), ("工作日", 1, 80), ("假日安排未公布", 2, 59),
    ]
    assert found.unknown_years == [2027, 2028]


async def october(client: Client, staff: Staff) -> None:
    """Six held nights, four of them reported (700 人次), in two categories and villages."""
    for start, total in [
        ("2026-10-01T19:00", 300),  # 国庆节
        ("2026-10-10T19:00", 120),  # Saturday worked: 调休
        ("2026-10-11T19:00", 200),  # Sunday
    ]:
        _, (night,) = await season(client, staff.scheduler, start)
        await report(client, staff.admin, night, total)
    await season(client, staff.scheduler, "2026-10-02T19:00", category="performance")
    _, (tuesday,) = await season(
        client, staff.scheduler, "2026-10-13T19:00", category="performance",
        venue="qingqing-park",
    )
    await report(client, staff.admin, tuesday, 80)
    await season(client, staff.scheduler, "2026-10-31T20:00")  # a Saturday, not reported


async def test_split_counts_holidays_weekends_and_working_days_with_tiao_xiu(
    client: Client, staff: Staff
) -> None:
    await october(client, staff)

    stats = await get_json(client, staff.admin, "stats", **OCTOBER)

    total = stats["total"]
    assert [k["kind"] for k in total["by_day_kind"]] == ["holiday", "weekend", "workday"]
    assert [k["kind_zh"] for k in total["by_day_kind"]] == ["法定节假日", "周末", "工作日"]
    assert figures(total["by_day_kind"]) == {
        "holiday": (2, 300), "weekend": (2, 200), "workday": (2, 200),
    }
    rows = rows_by_key(stats)
    assert figures(rows["culture"]["by_day_kind"]) == {
        "holiday": (1, 300), "weekend": (2, 200), "workday": (1, 120),
    }
    assert figures(rows["performance"]["by_day_kind"]) == {
        "holiday": (1, 0), "weekend": (0, 0), "workday": (1, 80),
    }
    assert stats["unknown_holiday_years"] == []


@pytest.mark.parametrize("group_by", ["category", "village", "month", "total"])
async def test_split_adds_up_to_the_totals_in_every_grouping(
    client: Client, staff: Staff, group_by: str
) -> None:
    await october(client, staff)

    stats = await get_json(client, staff.admin, "stats", period="2026-Q4", group_by=group_by)

    for row in [*stats["rows"], stats["total"]]:
        kinds = row["by_day_kind"]
        assert (sum(k["sessions"] for k in kinds), sum(k["people"] for k in kinds)) == (
            row["sessions"], row["people"],
        )
    assert (stats["total"]["sessions"], stats["total"]["people"]) == (6, 700)


async def test_split_follows_the_filters_of_the_statistics(client: Client, staff: Staff) -> None:
    await october(client, staff)

    stats = await get_json(client, staff.admin, "stats", **OCTOBER, village="huagai")

    assert figures(stats["total"]["by_day_kind"]) == {
        "holiday": (0, 0), "weekend": (0, 0), "workday": (1, 80),
    }


async def test_split_takes_the_local_day_a_night_starts_on(client: Client, staff: Staff) -> None:
    # 00:30 on Sunday in Shanghai is still Saturday 10-10 (a working day) in UTC
    _, (night,) = await season(client, staff.scheduler, "2026-10-11T00:30")
    await report(client, staff.admin, night, 40)

    stats = await get_json(client, staff.admin, "stats", **OCTOBER)

    assert figures(stats["total"]["by_day_kind"])["weekend"] == (1, 40)


async def year_2027_night(client: Client, staff: Staff) -> None:
    """A night on Tuesday 2027-03-02, with a report of 50: filed as a row, since the API
    takes no report for a night that has not begun (this test looks from April 2027)."""
    event_id, _ = await season(client, staff.scheduler, "2027-03-02T19:00")
    async with client.app.state.sessionmaker() as session, session.begin():
        occurrence = (
            await session.exec(select(Occurrence).where(col(Occurrence.event_id) == event_id))
        ).one()
        admin = await find_user(session, "admin")
        assert occurrence.id is not None and admin.id is not None
        session.add(AttendanceReport(
            occurrence_id=occurrence.id, revision=1, total=50, reported_by=admin.id
        ))


async def stats_at(client: Client, settings: Settings, first: str, last: str) -> StatsOut:
    async with client.app.state.sessionmaker() as session:
        return await statistics(
            session, settings, resolve(None, first, last), GroupBy.category, now=LATER
        )


async def test_a_year_not_published_is_shown_apart_never_guessed(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await october(client, staff)
    await year_2027_night(client, staff)

    stats = await stats_at(client, settings, "2026-10-01", "2027-03-31")

    total = stats.total
    assert [(k.kind, k.kind_zh, k.sessions, k.people) for k in total.by_day_kind] == [
        ("holiday", "法定节假日", 2, 300),
        ("weekend", "周末", 2, 200),
        ("workday", "工作日", 2, 200),
        ("unknown", "假日安排未公布", 1, 50),
    ]
    assert (total.sessions, total.people) == (7, 750)
    assert stats.unknown_holiday_years == [2027]
    by_key = {row.key: row for row in stats.rows}
    assert [k.sessions for k in by_key["performance"].by_day_kind] == [1, 0, 1, 0]


async def test_a_year_entered_by_hand_is_split_by_its_arrangement(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await year_2027_night(client, staff)
    async with client.app.state.sessionmaker() as session, session.begin():
        session.add(HolidayYear(year=2027, source="国务院办公厅通知（测试）"))
        await session.flush()
        session.add(HolidayDay(
            day=date(2027, 1, 1), year=2027, kind=DayKind.holiday, name_zh="元旦",
            name_en="New Year's Day",
        ))

    stats = await stats_at(client, settings, "2027-03-01", "2027-03-31")

    assert [(k.kind, k.sessions, k.people) for k in stats.total.by_day_kind] == [
        ("holiday", 0, 0), ("weekend", 0, 0), ("workday", 1, 50),
    ]
    assert stats.unknown_holiday_years == []


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def test_stats_files_carry_the_split_for_every_group_and_the_totals(
    client: Client, staff: Staff
) -> None:
    await october(client, staff)

    as_csv = await client.get(f"{REPORTS}/stats/file", params=OCTOBER, headers=staff.admin)
    as_xlsx = await client.get(
        f"{REPORTS}/stats/file", params={**OCTOBER, "format": "xlsx"}, headers=staff.admin
    )

    header, *rows = read_csv(as_csv.content)
    at = header.index("法定节假日场次")
    assert header[at : at + 7] == [
        "法定节假日场次", "法定节假日人次", "周末场次", "周末人次", "工作日场次", "工作日人次",
        "报名场次",
    ]
    assert {row[0]: row[at : at + 6] for row in rows} == {
        "文化活动": ["1", "300", "2", "200", "1", "120"],
        "文艺表演": ["1", "0", "0", "0", "1", "80"],
        "合计": ["2", "300", "2", "200", "2", "200"],
    }
    book = load_workbook(io.BytesIO(as_xlsx.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[sheet.max_row]][at : at + 6] == [2, 300, 2, 200, 2, 200]
    notes = " ".join(str(row[0].value) for row in book["说明"].iter_rows())
    assert "调休上班的周末计入工作日" in notes


async def test_stats_file_adds_the_unpublished_years_columns_and_names_the_years(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await october(client, staff)
    await year_2027_night(client, staff)
    table = stats_table(await stats_at(client, settings, "2026-10-01", "2027-03-31"))

    header, *rows = read_csv(to_csv(table))

    at = header.index("假日安排未公布场次")
    assert header[at + 1 : at + 3] == ["假日安排未公布人次", "报名场次"]
    assert rows[-1][0] == "合计" and rows[-1][at : at + 2] == ["1", "50"]
    assert "2027年假日安排未公布：这些年份的场次未分假日、周末、工作日。" in table.notes


def day_table(html: str) -> list[list[str]]:
    tree = assert_good_page(html)
    (table,) = [t for t in tree.iter("table") if t.get("class") == "day-kinds"]
    return [
        [text(cell) for cell in row if cell.tag in ("th", "td")]
        for part in ("tbody", "tfoot")
        for row in table.find(part).iter("tr")
    ]


async def test_reports_page_shows_the_split_with_shares(client: Client, staff: Staff) -> None:
    await october(client, staff)
    await log_in(client, "town-head", Role.admin)

    page = await client.get("/staff/reports", params={"year": "2026", "part": "10"})
    english = await client.get(
        "/staff/reports", params={"year": "2026", "part": "10", "lang": "en"}
    )

    assert page.status_code == 200
    assert "按假日、周末、工作日" in page.text
    assert day_table(page.text) == [
        ["法定节假日", "2", "300", "42.9%"],
        ["周末", "2", "200", "28.6%"],
        ["工作日", "2", "200", "28.6%"],
        ["合计", "6", "700", "100%"],
    ]
    assert "假日安排未公布" not in page.text
    assert [row[0] for row in day_table(english.text)] == [
        "Public holiday", "Weekend", "Working day", "Total",
    ]


async def test_reports_page_lists_a_year_not_published_apart_and_says_so(
    client: Client, staff: Staff
) -> None:
    # 2003 is before the package's first year, and nobody entered it
    _, (night,) = await season(client, staff.scheduler, "2003-05-06T19:00")
    await report(client, staff.admin, night, 90)
    await log_in(client, "town-head", Role.admin)

    page = await client.get("/staff/reports", params={"year": "2003"})

    assert day_table(page.text) == [
        ["法定节假日", "0", "0", "0.0%"],
        ["周末", "0", "0", "0.0%"],
        ["工作日", "0", "0", "0.0%"],
        ["假日安排未公布", "1", "90", "100.0%"],
        ["合计", "1", "90", "100%"],
    ]
    assert "2003年假日安排未公布：这些场次单列为“假日安排未公布”" in page.text
    assert 'href="/staff/holidays?year=2003"' in page.text  # admins enter arrangements
    await log_in(client, "planner", Role.scheduler)
    as_scheduler = await client.get("/staff/reports", params={"year": "2003"})
    assert "假日安排未公布" in as_scheduler.text and "/staff/holidays" not in as_scheduler.text
