"""报名, 签到 and 上报 side by side: in the ledger (its rows, its files) and in the statistics,
each figure with its method."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bolin_events.models import SignupState
from bolin_events.services.stats import signups
from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, get_json, report, rows_by_key, season
from tests.reports.signup_rows import FULL_NIGHT, Row, add_sign_ups, confirmed
from tests.reports.test_report_files import read_csv


async def june(client: Client, staff: Staff) -> list[str]:
    """June 2025 in 东胜村: a class of two nights taking sign-ups (the first full and reported,
    the second not reported) and a market night without sign-ups; in 华盖村 a show taking
    sign-ups."""
    _, (full, second) = await season(client, staff.scheduler, "2025-06-06T19:00", nights=2)
    await add_sign_ups(client, full, FULL_NIGHT)
    await report(client, staff.admin, full, 38, method="headcount")
    await add_sign_ups(client, second, confirmed(8, checked=1) + confirmed(2))
    _, (market,) = await season(client, staff.scheduler, "2025-06-10T19:00")
    await report(client, staff.admin, market, 100)
    _, (show,) = await season(
        client, staff.scheduler, "2025-06-20T19:00", category="performance", venue="qingqing-park"
    )
    await add_sign_ups(client, show, [Row(party=2, checked=2), Row(party=2, checked=1)])
    await report(client, staff.admin, show, 20, method="clicker")
    return [full, second, market, show]


async def test_ledger_rows_give_the_three_figures_each_with_its_method(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    ledger = await get_json(client, staff.admin, "ledger", period="2025-06")

    full, second, _market, _show = ledger["rows"]

    assert {k: full[k] for k in (
        "registered", "registered_method", "checked_in", "walk_ins", "no_shows",
        "checked_in_method", "people", "method",
    )} == {
        "registered": 40, "registered_method": "报名",
        "checked_in": 36, "walk_ins": 2, "no_shows": 6, "checked_in_method": "扫码/签到码签到",
        "people": 38, "method": "现场点数",
    }
    assert full["signups"] == "报名 40 人，签到 36 人（含现场加入 2 人），上报 38 人"
    assert full["signups_en"] == "40 signed up, 36 checked in (2 walk-ins), 38 reported"
    assert second["signups"] == "报名 10 人，签到 8 人，尚未上报"
    assert second["signups_en"] == "10 signed up, 8 checked in, not reported yet"


async def test_a_ledger_night_without_sign_ups_has_no_sign_up_figures(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    market = (await get_json(client, staff.admin, "ledger", period="2025-06"))["rows"][2]

    assert market["people"] == 100
    assert [market[k] for k in ("registered", "checked_in", "walk_ins", "signups")] == [
        None, None, None, None,
    ]


async def test_waitlisted_and_cancelled_sign_ups_never_count_as_registered(
    client: Client, staff: Staff
) -> None:
    _, (night,) = await season(client, staff.scheduler, "2025-05-06T19:00")
    await add_sign_ups(client, night, [
        Row(party=2, checked=2),
        Row(party=3, state=SignupState.waitlisted),
        Row(party=4, state=SignupState.cancelled),
    ])

    (row,) = (await get_json(client, staff.admin, "ledger", period="2025-05"))["rows"]

    assert (row["registered"], row["checked_in"]) == (2, 2)
    assert row["signups"] == "报名 2 人，签到 2 人，尚未上报"


async def test_ledger_csv_puts_sign_ups_beside_the_reported_figure(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    response = await client.get(
        f"{REPORTS}/ledger/file", params={"period": "2025-06"}, headers=staff.admin
    )

    header, full, second, market, show, totals = read_csv(response)
    columns = ["报名人数", "签到人数", "现场加入人数", "上报人次"]
    at = header.index("报名人数")
    assert header[at : at + 4] == columns
    method = header.index("统计方式")
    assert [full[at : at + 4], full[method]] == [["40", "36", "2", "38"], "现场点数"]
    assert [second[at : at + 4], second[method]] == [["10", "8", "0", ""], ""]
    assert [market[at : at + 4], market[method]] == [["", "", "", "100"], ""]
    assert [show[at : at + 4], show[method]] == [["4", "3", "0", "20"], "计数器"]
    assert totals[at : at + 4] == ["54", "47", "2", "158"]


async def test_ledger_xlsx_has_the_same_columns_and_says_how_each_is_counted(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    response = await client.get(
        f"{REPORTS}/ledger/file", params={"period": "2025-06", "format": "xlsx"},
        headers=staff.admin,
    )

    book = load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    at = rows[0].index("报名人数")
    assert rows[0][at : at + 4] == ["报名人数", "签到人数", "现场加入人数", "上报人次"]
    assert rows[1][at : at + 4] == [40, 36, 2, 38]
    notes = " ".join(str(row[0].value) for row in book["说明"].iter_rows())
    assert "不含候补、已取消的报名和现场加入" in notes
    assert "扫码或输入签到码签到" in notes


async def test_statistics_sum_the_nights_that_took_sign_ups_by_category(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    stats = await get_json(client, staff.admin, "stats", period="2025-06", group_by="category")

    rows = rows_by_key(stats)
    assert rows["culture"]["people"] == 138  # the market night counts here, not below
    assert rows["culture"]["signups"] == {
        "sessions": 2, "registered": 50, "checked_in": 44, "walk_ins": 2, "no_shows": 6,
        "check_in_rate": 88.0, "reported": 38, "unreported": 1,
    }
    assert rows["performance"]["signups"] == {
        "sessions": 1, "registered": 4, "checked_in": 3, "walk_ins": 0, "no_shows": 0,
        "check_in_rate": 75.0, "reported": 20, "unreported": 0,
    }
    assert stats["total"]["signups"] == {
        "sessions": 3, "registered": 54, "checked_in": 47, "walk_ins": 2, "no_shows": 6,
        "check_in_rate": 87.0, "reported": 58, "unreported": 1,
    }


async def test_statistics_without_sign_ups_have_none(client: Client, staff: Staff) -> None:
    _, (night,) = await season(client, staff.scheduler, "2025-06-10T19:00")
    await report(client, staff.admin, night, 100)

    stats = await get_json(client, staff.admin, "stats", period="2025-06", group_by="month")

    assert stats["total"]["signups"] is None
    assert [row["signups"] for row in stats["rows"]] == [None]


async def test_statistics_by_month_and_the_total_agree(client: Client, staff: Staff) -> None:
    await june(client, staff)

    by_month = await get_json(client, staff.admin, "stats", period="2025-Q2", group_by="month")
    total = await get_json(client, staff.admin, "stats", period="2025-Q2", group_by="total")

    assert [row["signups"] and row["signups"]["sessions"] for row in by_month["rows"]] == [
        None, None, 3,
    ]
    assert by_month["total"]["signups"] == total["total"]["signups"]
    assert total["total"]["signups"]["registered"] == 54


async def test_stats_file_gives_sign_up_columns_blank_where_none(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    response = await client.get(
        f"{REPORTS}/stats/file", params={"period": "2025-06", "group_by": "category"},
        headers=staff.admin,
    )

    header, *rows = read_csv(response)
    at = header.index("报名场次")
    assert header[at:] == ["报名场次", "报名人次", "签到人次", "签到率", "报名场次上报人次"]
    by_name = {row[0]: row[at:] for row in rows}
    assert by_name["文化活动"] == ["2", "50", "44", "88.0%", "38"]
    assert by_name["文艺表演"] == ["1", "4", "3", "75.0%", "20"]
    assert by_name["合计"] == ["3", "54", "47", "87.0%", "58"]


async def test_statistics_narrowed_to_a_village_count_its_sign_ups_only(
    client: Client, staff: Staff
) -> None:
    await june(client, staff)

    stats = await get_json(
        client, staff.admin, "stats", period="2025-06", group_by="total", village="huagai"
    )

    assert stats["total"]["signups"] == {
        "sessions": 1, "registered": 4, "checked_in": 3, "walk_ins": 0, "no_shows": 0,
        "check_in_rate": 75.0, "reported": 20, "unreported": 0,
    }


async def test_a_long_ledger_reads_its_sign_ups_in_parts_and_misses_none(
    client: Client, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    await june(client, staff)
    monkeypatch.setattr(signups, "CHUNK", 2)  # two at a time, as a decade is 500 at a time

    rows = (await get_json(client, staff.admin, "ledger", period="2025-06"))["rows"]

    assert [row["registered"] for row in rows] == [40, 10, None, 4]
