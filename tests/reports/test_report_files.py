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
    assert {k: first[k] for k in first if k not in ("occurrence_id", "title")} == {
        "date": "2025-06-06",
        "time": "19:00",
        "venue": '清溪沟"清青乐园"',
        "village": "华盖村",
        "organizer": "柏林镇综合文化服务中心",
        "category": "文化活动",
        "people": 320,
        "method": "签到表",
        "reporter": "scheduler",
        "revision": 2,
        "photos": 1,
    }
    assert (unreported["date"], unreported["people"], unreported["reporter"]) == (
        "2025-06-07",
        None,
        None,
    )
    assert (odd["title"], ledger["sessions"], ledger["people"]) == (DANGEROUS, 3, 325)


async def test_ledger_csv_has_a_bom_and_defuses_formulas(client: Client, staff: Staff) -> None:
    await ledger_season(client, staff)

    response = await client.get(
        f"{REPORTS}/ledger/file", params={"period": "2025-06"}, headers=staff.admin
    )

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ledger-2025-06.csv"'
    header, first, _, odd, totals = read_csv(response)
    assert header[:8] == ["日期", "时间", "活动", "场地", "所属村", "主办单位", "类别", "人次"]
    assert first[:2] + first[3:] == [
        "2025-06-06",
        "19:00",
        '清溪沟"清青乐园"',
        "华盖村",
        "柏林镇综合文化服务中心",
        "文化活动",
        "320",
        "签到表",
        "scheduler",
        "2",
        "1",
        first[-1],
    ]
    assert odd[2] == "'" + DANGEROUS
    assert totals[:2] + totals[7:8] + totals[11:12] == ["合计", "3场次", "325", "1"]


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
    assert rows[0][:3] == ["日期", "时间", "活动"]
    assert sheet["A1"].font.b and sheet[f"A{sheet.max_row}"].font.b
    assert rows[-1][:2] + rows[-1][7:8] + rows[-1][11:12] == ["合计", "3场次", 325, 1]
    assert sheet["C4"].value == DANGEROUS and sheet["C4"].data_type == "s"  # text, not a formula
    assert sheet.column_dimensions["D"].width >= 18  # the park's name is wide
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

    assert response.status_code == 400
    assert "format" in response.json()["message"]
