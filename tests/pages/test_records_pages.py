"""The activity record sheets (活动记录表): one held night's record as inspectors read it, and a
year's sheets in date order behind a cover of its totals, for staff who read reports."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bolin_events.models import Role
from tests.attendance.test_attendance_photos import photo, upload
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.reports.helpers import get_json, report, season

RECORDS = "/staff/records"


@pytest.fixture
async def admin(client: Client, staff: Staff) -> dict[str, str]:
    """An admin logged in to the pages (the staff fixture's users file the reports)."""
    return await log_in(client, "inspector-guide", Role.admin)


def text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def facts(sheet: Any) -> dict[str, str]:
    """The sheet's label → value rows (活动时间, 活动地点 …, 统计方式 …)."""
    return {
        text(row.find("th")): text(row.find("td"))
        for table in sheet.iter("table")
        if "record-facts" in (table.get("class") or "")
        for row in table.iter("tr")
    }


def figures(sheet: Any) -> dict[str, str]:
    (table,) = [t for t in sheet.iter("table") if "record-figures" in (t.get("class") or "")]
    heads = [text(th) for th in table.iter("th")]
    cells = [text(td) for td in table.iter("td")]
    return dict(zip(heads, cells, strict=True))


def trail(sheet: Any) -> list[list[str]]:
    (table,) = [t for t in sheet.iter("table") if "record-trail" in (t.get("class") or "")]
    return [[text(td) for td in row.iter("td")] for row in table.find("tbody").iter("tr")]


def sheets(html: str, budget: int = 100_000) -> list[Any]:
    tree = assert_good_page(html, budget=budget)
    return [el for el in tree.iter("article") if "record-sheet" in (el.get("class") or "")]


async def farm_night(client: Client, staff: Staff) -> str:
    """A held night at the town's culture station (a venue in no village), organized by the
    farm in a programme the station assists, reported twice and with a photo."""
    _, (night,) = await season(
        client,
        staff.scheduler,
        "2025-07-15T19:30",
        venue="culture-station",
        organizer="jiayue-farm",
        programme="farming-festival",
        contact="王老师 023-4567 8901",
        description_zh="插秧体验与农具展示。",
    )
    await report(client, staff.admin, night, 120, method="clicker")
    await report(
        client, staff.admin, night, 150, onsite=150, residents=100, visitors=50,
        method="sign_in", note="签到表两页", reason="按签到表更正",
    )
    added = await client.post(
        f"/api/v1/occurrences/{night}/photos", **upload(photo()), headers=staff.admin
    )
    assert added.status_code == 201, added.text
    return night


async def test_record_sheet_holds_what_an_inspector_checks(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    night = await farm_night(client, staff)

    response = await client.get(f"{RECORDS}/{night}")

    assert response.status_code == 200
    (sheet,) = sheets(response.text)
    assert text(sheet.find("h1")) == "culture活动 2025-07-15T19:30"
    shown = facts(sheet)
    assert shown["活动时间"] == "2025年7月15日（周二） 19:30–21:30"
    assert shown["活动地点"] == "柏林镇综合文化站"  # a venue in no village
    assert shown["活动类别"] == "文化活动"
    assert shown["活动项目"] == "农耕文化体验节"
    assert (shown["主办单位"], shown["文化站角色"]) == ("嘉悦农场", "协助")
    assert shown["负责人（联系人）"] == "王老师 023-4567 8901"
    assert shown["活动内容"] == "插秧体验与农具展示。"
    assert (shown["统计方式"], shown["上报人"], shown["备注"]) == ("签到表", "admin", "签到表两页")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", shown["上报时间"])
    assert figures(sheet) == {
        "总人次": "150", "现场": "150", "线上": "未填", "本地居民": "100", "外地游客": "50",
        "志愿者": "未填",
    }
    assert [[row[0], row[2], row[3], row[4]] for row in trail(sheet)] == [
        ["第 1 版", "admin", "120", "首次上报"],
        ["第 2 版", "admin", "150", "按签到表更正"],
    ]
    (thumb,) = list(sheet.iter("img"))
    image = await client.get(thumb.get("src"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"


async def test_record_sheet_of_a_night_nobody_reported_says_so(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    _, (night,) = await season(
        client, staff.scheduler, "2025-06-01T19:00", organizer="culture-station"
    )

    (sheet,) = sheets((await client.get(f"{RECORDS}/{night}")).text)

    shown = facts(sheet)
    assert (shown["主办单位"], shown["文化站角色"]) == ("柏林镇综合文化站", "主办")
    assert shown["活动地点"] == "东胜银杏夜市 · 东胜村"
    assert shown["负责人（联系人）"] == "未填"
    assert "尚未上报人次。" in text(sheet)
    assert "record-figures" not in "".join(t.get("class") or "" for t in sheet.iter("table"))


async def test_record_sheet_of_a_multi_day_event_gives_its_days(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/events",
        json={"title_zh": "非遗展", "category": "exhibition", "venue": "jiayue-farm",
              "all_day": True, "start": "2025-08-14", "end": "2025-08-22",
              "status": "published"},
        headers=staff.scheduler,
    )
    assert created.status_code == 201, created.text

    response = await client.get(f"{RECORDS}/{created.json()['id']}-20250814")

    (sheet,) = sheets(response.text)
    assert facts(sheet)["活动时间"] == "2025年8月14日（周四）至2025年8月22日（周五） 全天，共 9 天"


@pytest.mark.parametrize(
    ("action", "why"),
    [("skip", "这一场不举办"), ("cancel", "这一场已取消")],
)
async def test_a_night_not_held_has_no_sheet(
    client: Client, staff: Staff, admin: dict[str, str], action: str, why: str
) -> None:
    _, (_, night) = await season(client, staff.scheduler, "2025-06-01T19:00", nights=2)
    changed = await client.post(
        f"/api/v1/occurrences/{night}/{action}", json={"reason": "下雨"}, headers=staff.scheduler
    )
    assert changed.status_code == 200, changed.text

    response = await client.get(f"{RECORDS}/{night}")

    assert response.status_code == 404
    assert_good_page(response.text)
    assert f"场次 {night} 没有活动记录表：{why}" in response.text


async def test_a_night_still_to_come_has_no_sheet_yet(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    _, (night,) = await season(client, staff.scheduler, "2099-06-01T19:00")

    response = await client.get(f"{RECORDS}/{night}")

    assert response.status_code == 404
    assert "这一场尚未结束（2099-06-01 21:00 结束）" in response.text


async def test_an_unknown_night_is_a_404_that_says_how_ids_look(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    response = await client.get(f"{RECORDS}/abc")

    assert response.status_code == 404
    assert "场次编号形如 12-20270604T190000" in response.text


async def test_year_document_has_a_cover_of_totals_then_the_sheets_in_date_order(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    _, (autumn,) = await season(client, staff.scheduler, "2025-10-03T19:00", category="market")
    _, (spring, spring_2) = await season(
        client, staff.scheduler, "2025-04-05T09:30", nights=2
    )
    _, (rained_off, dropped) = await season(client, staff.scheduler, "2025-05-01T19:00", nights=2)
    cancelled = await client.post(
        f"/api/v1/occurrences/{rained_off}/cancel", json={"reason": "下雨"}, headers=staff.scheduler
    )
    skipped = await client.post(f"/api/v1/occurrences/{dropped}/skip", headers=staff.scheduler)
    assert (cancelled.status_code, skipped.status_code) == (200, 200)
    await season(client, staff.scheduler, "2024-12-31T19:00")  # last year: not in the book
    night = await farm_night(client, staff)
    await report(client, staff.admin, autumn, 1860, online=600, volunteers=12)
    await report(client, staff.admin, spring, 40)
    stats = await get_json(client, staff.admin, "stats", period="2025", group_by="category")

    response = await client.get(RECORDS, params={"period": "2025"})

    assert response.status_code == 200
    found = sheets(response.text)
    assert [text(s.find("p[@class='record-id muted']")) for s in found] == [
        f"场次编号 {spring}", f"场次编号 {spring_2}",
        f"场次编号 {night}", f"场次编号 {autumn}",
    ]
    tree = assert_good_page(response.text)
    cover = next(el for el in tree.iter("section") if el.get("class") == "record-cover")
    assert text(cover.find("h1")) == "2025年活动记录表"
    (totals, by_category) = [t for t in cover.iter("table")]
    assert [text(td) for td in totals.iter("td")] == ["4", "2,050", "1,450", "600", "12", "1"]
    assert stats["total"]["sessions"] == 4 and stats["total"]["people"] == 2050
    assert [[text(c) for c in row] for row in by_category.find("tbody")] == [
        ["夜市", "1", "1,860"], ["文化活动", "3", "190"],
    ]


async def test_a_period_with_nothing_held_is_a_cover_that_says_so(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await season(client, staff.scheduler, "2099-06-01T19:00")  # not held yet

    response = await client.get(RECORDS, params={"period": "2099-06"})

    assert response.status_code == 200
    assert sheets(response.text) == []
    assert "2099年6月活动记录表" in response.text
    assert "该时段内没有已举办的活动。" in response.text


async def test_year_document_in_english(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await farm_night(client, staff)

    response = await client.get(RECORDS, params={"period": "2025", "lang": "en"})

    (sheet,) = sheets(response.text)
    shown = facts(sheet)
    assert shown["Organizer"] == "Jiayue Farm"
    assert shown["Counting method"] == "Sign-in sheet"
    assert figures(sheet)["Online"] == "not given"
    assert "Activity record sheets · 2025" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "abc"}, "统计期「abc」无法识别"),
        ({"period": "9999"}, "统计期须在 1900 年至 2199 年之间。"),
        ({"from": "2025-01-01"}, "同时给出起始日期和截止日期"),
    ],
)
async def test_a_period_that_cannot_be_read_is_a_422_page_that_says_why(
    client: Client, admin: dict[str, str], params: dict[str, str], message: str
) -> None:
    response = await client.get(RECORDS, params=params)

    assert response.status_code == 422
    assert_good_page(response.text)
    assert message in response.text


async def test_a_reporter_may_not_read_record_sheets(client: Client, staff: Staff) -> None:
    night = await farm_night(client, staff)
    await log_in(client, "village-reporter", Role.reporter, ["dongsheng"])

    book = await client.get(RECORDS, params={"period": "2025"})
    one = await client.get(f"{RECORDS}/{night}")

    assert (book.status_code, one.status_code) == (403, 403)
    assert "查看统计报表" in book.text and "王老师" not in one.text


async def test_record_sheets_send_an_anonymous_visitor_to_log_in(
    client: Client, staff: Staff
) -> None:
    night = await farm_night(client, staff)

    response = await client.get(f"{RECORDS}/{night}")

    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/login?next=%2Fstaff%2Frecords%2F{night}"


async def test_the_reports_page_links_to_the_years_sheets_and_they_print_without_inline_code(
    client: Client, staff: Staff, admin: dict[str, str]
) -> None:
    await farm_night(client, staff)
    reports = await client.get("/staff/reports", params={"year": "2025"})
    assert 'href="/staff/records?period=2025"' in reports.text

    html = (await client.get(RECORDS, params={"period": "2025"})).text

    assert re.search(r'<link rel="stylesheet" href="/static/records\.[0-9a-f]{8}\.css">', html)
    assert '<button type="button" class="print-button" hidden>打印 / Print</button>' in html
    assert re.search(r'<script src="/static/public\.[0-9a-f]{8}\.js" defer></script>', html)
    assert "<style" not in html and not re.search(r"\s(style|on[a-z]+)=\"", html)
    css = (await client.get("/static/records.css")).text
    assert "@page { size: A4; margin: 15mm; }" in css and "break-after: page" in css
