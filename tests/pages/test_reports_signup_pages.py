"""报名, 签到 and 上报 side by side on the staff pages that read reports: a night's record sheet,
the period's sheets' cover, and the reports page's statistics."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.test_records_pages import RECORDS, sheets, text
from tests.reports.test_signup_figures import june

REPORTS = "/staff/reports"


@pytest.fixture
async def admin(client: Client, staff: Staff) -> dict[str, str]:
    return await log_in(client, "inspector-guide", Role.admin)


def sources(sheet: Any) -> list[list[str]]:
    """The sheet's 报名 / 签到 / 上报 table: figure, people, method."""
    tables = [t for t in sheet.iter("table") if "record-sources" in (t.get("class") or "")]
    return [
        [text(cell) for cell in row if cell.tag in ("th", "td")]
        for table in tables
        for row in table.find("tbody").iter("tr")
    ]


def signup_table(html: str) -> list[list[str]]:
    tree = assert_good_page(html)
    tables = [t for t in tree.iter("table") if t.get("class") == "signup-stats"]
    return [
        [text(cell) for cell in row if cell.tag in ("th", "td")]
        for table in tables
        for part in ("tbody", "tfoot")
        for row in table.find(part).iter("tr")
    ]


async def test_record_sheet_sets_sign_ups_beside_the_report_with_each_method(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    full, *_ = await june(client, staff)

    response = await client.get(f"{RECORDS}/{full}")

    (sheet,) = sheets(response.text)
    assert "报名 40 人，签到 36 人（含现场加入 2 人），上报 38 人" in text(sheet)
    assert sources(sheet) == [
        ["报名", "40", "报名（已确认，不含候补和已取消）"],
        ["签到", "36（含现场加入 2）", "扫码/签到码签到"],
        ["未到", "6", "工作人员标记"],
        ["上报", "38", "现场点数"],
    ]


async def test_record_sheet_in_english_names_the_figures_and_methods(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    _, second, *_ = await june(client, staff)

    response = await client.get(f"{RECORDS}/{second}", params={"lang": "en"})

    (sheet,) = sheets(response.text)
    assert "10 signed up, 8 checked in, not reported yet" in text(sheet)
    assert sources(sheet)[1] == ["Checked in", "8", "QR code or check-in code at the door"]
    assert sources(sheet)[-1] == ["Reported", "not yet", "–"]


async def test_period_sheets_show_sign_ups_only_where_a_night_took_them(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await june(client, staff)

    response = await client.get(RECORDS, params={"period": "2025-06"})

    found = sheets(response.text, budget=200_000)
    assert [len(sources(sheet)) for sheet in found] == [4, 3, 0, 3]
    assert "报名" not in text(found[2])  # the market night looks as it always did
    assert "其中开放报名的 3 场次：报名 54 人次，签到 47 人次，上报 58 人次。" in response.text


async def test_reports_page_has_a_sign_up_section_by_category(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await june(client, staff)

    response = await client.get(REPORTS, params={"year": "2025", "part": "06"})

    assert response.status_code == 200
    assert "开放报名的 3 场次：报名 54 人次，签到 47 人次，上报 58 人次。" in response.text
    assert signup_table(response.text) == [
        ["文化活动", "2", "50", "44 （含现场加入 2）", "88.0%", "38"],
        ["文艺表演", "1", "4", "3", "75.0%", "20"],
        ["合计", "3", "54", "47 （含现场加入 2）", "87.0%", "58"],
    ]
    assert "其中 1 场次尚未上报。" in response.text


async def test_reports_page_without_sign_ups_has_no_sign_up_section(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await june(client, staff)

    response = await client.get(REPORTS, params={"year": "2025", "part": "07"})

    assert response.status_code == 200
    assert 'id="signups-heading"' not in response.text
    assert signup_table(response.text) == []
