"""CSV and XLSX files of the statistics and the ledger, read back as Excel users would see them."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook
from PIL import Image

from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, get_json, report, season

CSV_BOM = "\ufeff".encode()
DANGEROUS = '=HYPERLINK("http://example.invalid","点我")'


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith(CSV_BOM)
    return list(csv.reader(io.StringIO(response.content[len(CSV_BOM) :].decode("utf-8"))))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


async def ledger_season(client: Client, staff: Staff) -> None:
    """Two June nights (one corrected, with a photo), a night not reported, and a title that
    Excel would run as a formula."""
    _, nights = await season(
        client,
        staff.scheduler,
        "2025-06-06T19:00",
        nights=2,
        venue="qingqing-park",
        organizer="culture-station",
    )
    await report(client, staff.admin, nights[0], 300, method="sign_in")
    await report(client, staff.scheduler, nights[0], 320, method="sign_in", reason="补签到表")
    photo = await client.post(
        f"/api/v1/occurrences/{nights[0]}/photos",
        files={"photo": ("sign-in.png", png(), "image/png")},
        headers=staff.admin,
    )
    assert photo.status_code == 201, photo.text
    _, (odd,) = await season(client, staff.scheduler, "2025-06-20T09:00", title_zh=DANGEROUS)
    await report(client, staff.admin, odd, 5, method="estimate")


async def test_ledger_lists_each_held_night_with_its_record(client: Client, staff: Staff) -> None:
    await ledger_season(client, staff)

    ledger = await get_json(client, staff.admin, "ledger", period="2025-06")

    first, unreported, odd = ledger["rows"]
    assert first["reported_at"].startswith("20") and first["reported_at"].endswith("+08:00")
    assert {k: first[k] for k in first if k not in ("occurrence_id", "title", "reported_at")} == {
        "date": "2025-06-06",
        "end_date": None,
        "time": "19:00",
        "venue": "清溪沟“清青乐园”",
        "village": "华盖村",
        "organizer": "柏林镇综合文化站",
        "category": "文化活动",
        "people": 320,
        "onsite": 320,
        "online": None,
        "residents": None,
        "visitors": None,
        "method": "签到表",
        "note": None,
        "reporter": "scheduler",
        "revision": 2,
        "photos": 1,
        # no sign-ups that night: nothing to set beside the report
        "registered": None,
        "registered_method": None,
        "checked_in": None,
        "walk_ins": None,
        "no_shows": None,
        "checked_in_method": None,
        "signups": None,
        "signups_en": None,
    }
    assert (unreported["date"], unreported["people"], unreported["reporter"]) == (
        "2025-06-07",
        None,
        None,
    )
    assert (unreported["onsite"], unreported["reported_at"]) == (None, None)
    assert (odd["title"], ledger["sessions"], ledger["people"]) == (DANGEROUS, 3, 325)


async def test_ledger_gives_a_multi_day_nights_last_day_and_the_reports_parts(
    client: Client, staff: Staff
) -> None:
    festival = await client.post("/api/v1/events", json={
        "title_zh": "银杏节", "category": "culture", "venue": "ginkgo-night-market",
        "all_day": True, "start": "2025-10-01", "end": "2025-10-03", "status": "published",
    }, headers=staff.scheduler)
    night = f"{festival.json()['id']}-20251001"
    await report(client, staff.admin, night, 1900, online=400, residents=1000, visitors=500,
                 method="estimate", note="三天合计")

    (row,) = (await get_json(client, staff.admin, "ledger", period="2025-10"))["rows"]

    assert (row["date"], row["end_date"], row["time"]) == ("2025-10-01", "2025-10-03", "全天")
    assert (row["people"], row["onsite"], row["online"]) == (1900, 1500, 400)
    assert (row["residents"], row["visitors"], row["note"]) == (1000, 500, "三天合计")


async def test_ledger_csv_has_a_bom_and_defuses_formulas(client: Client, staff: Staff) -> None:
    await ledger_season(client, staff)

    response = await client.get(
        f"{REPORTS}/ledger/file", params={"period": "2025-06"}, headers=staff.admin
    )

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ledger-2025-06.csv"'
    header, first, unreported, odd, totals = read_csv(response)
    assert header == [
        "日期", "结束日期", "时间", "活动", "场地", "所属村", "主办单位", "类别", "报名人数",
        "签到人数", "现场加入人数", "上报人次", "现场人次", "线上人次", "本地居民", "外地游客",
        "统计方式", "备注", "上报人", "上报时间", "版本", "照片数", "场次编号",
    ]
    assert first[:3] + first[4:19] + first[20:22] == [
        "2025-06-06",
        "",
        "19:00",
        "清溪沟“清青乐园”",
        "华盖村",
        "柏林镇综合文化站",
        "文化活动",
        "",  # no sign-ups: 报名, 签到 and 现场加入 blank
        "",
        "",
        "320",
        "320",
        "",
        "未填",  # a split nobody gave: never 0
        "未填",
        "签到表",
        "",
        "scheduler",
        "2",
        "1",
    ]
    assert first[19].startswith("20") and len(first[19]) == 16  # local "YYYY-MM-DD HH:MM"
    assert unreported[11:16] == ["", "", "", "", ""]  # not reported: blank, not 未填
    assert odd[3] == "'" + DANGEROUS
    assert [totals[i] for i in (0, 2, 8, 11, 12, 14, 21)] == [
        "合计", "3场次", "", "325", "325", "未填", "1"
    ]


async def test_ledger_xlsx_has_a_frozen_header_widths_and_totals(
    client: Client, staff: Staff
) -> None:
    await ledger_season(client, staff)

    response = await client.get(
        f"{REPORTS}/ledger/file",
        params={"period": "2025-06", "format": "xlsx"},
        headers=staff.admin,
    )

    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert (sheet.title, sheet.freeze_panes) == ("台账 2025-06", "A2")
    assert rows[0][:4] == ["日期", "结束日期", "时间", "活动"]
    assert rows[0][16] == "统计方式"
    assert sheet["A1"].font.b and sheet[f"A{sheet.max_row}"].font.b
    assert [rows[-1][i] for i in (0, 2, 11, 21)] == ["合计", "3场次", 325, 1]
    assert rows[1][14:16] == ["未填", "未填"]
    assert sheet["D4"].value == DANGEROUS and sheet["D4"].data_type == "s"  # text, not a formula
    assert sheet.column_dimensions["E"].width >= 18  # the park's name is wide
    assert book.sheetnames == ["台账 2025-06", "说明"]


async def test_stats_csv_and_xlsx_carry_the_groups_and_a_totals_row(
    client: Client, staff: Staff
) -> None:
    await ledger_season(client, staff)
    _, (market,) = await season(client, staff.scheduler, "2025-06-21T19:00")
    await report(client, staff.admin, market, 75)
    params = {"period": "2025", "group_by": "village"}

    as_csv = await client.get(f"{REPORTS}/stats/file", params=params, headers=staff.admin)
    as_xlsx = await client.get(
        f"{REPORTS}/stats/file", params={**params, "format": "xlsx"}, headers=staff.admin
    )

    header, *rows = read_csv(as_csv)
    assert header[:4] == ["村", "场次", "活动个数", "人次"]
    assert [row[:4] for row in rows] == [
        ["华盖村", "2", "1", "320"],
        ["东胜村", "2", "2", "80"],
        ["合计", "4", "3", "400"],
    ]
    assert rows[0][9] == "1"  # one night still to report
    assert as_xlsx.headers["content-disposition"] == (
        'attachment; filename="stats-2025-village.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[sheet.max_row]][:4] == ["合计", 4, 3, 400]


async def test_report_file_refuses_an_unknown_format(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/stats/file", params={"period": "2025", "format": "pdf"}, headers=staff.admin
    )

    assert response.status_code == 422
    assert "format" in response.json()["message"]
