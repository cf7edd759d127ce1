"""`bolin-events report …` against the test database, run as a person would from a shell."""

from __future__ import annotations

import asyncio
import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from bolin_events.cli import main
from bolin_events.settings import Settings, get_settings
from tests.conftest import Client, Staff
from tests.reports.helpers import report_all, season, spread


async def bolin(settings: Settings, *args: str, **env: str) -> Result:
    """The command in a thread of its own: it runs its own event loop, as from a shell."""
    variables = {
        "BOLIN_DATABASE_URL": settings.resolved_database_url,
        "BOLIN_DATA_DIR": str(settings.data_dir),
        **env,
    }

    def run() -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(main, ["report", *args], env=variables)
        finally:
            get_settings.cache_clear()

    return await asyncio.to_thread(run)


async def a_year(client: Client, staff: Staff) -> None:
    _, culture = await season(client, staff.scheduler, "2025-03-01T19:00", nights=27)
    _, gala = await season(
        client, staff.scheduler, "2025-08-01T19:30", category="performance", venue="qingqing-park"
    )
    await report_all(client, staff.admin, culture + gala, [*spread(5_316, 27), 636])


async def test_cli_review_prints_the_paragraph_in_the_groups_digits_unless_told(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await a_year(client, staff)

    one = await bolin(settings, "review", "2025", BOLIN_FIGURE_DIGITS="1")
    two = await bolin(settings, "review", "2025")

    assert one.exit_code == 0, one.output
    paragraph = "2025年，开展文艺表演等文化活动28场次，惠及群众5000余人。"
    assert paragraph in one.stdout.splitlines() and paragraph in two.stdout.splitlines()
    assert "5900余人" in (await bolin(settings, "review", "2025", "--digits", "2")).output


async def test_cli_stats_writes_xlsx_and_csv_files(
    client: Client, staff: Staff, settings: Settings, tmp_path: Path
) -> None:
    await a_year(client, staff)
    xlsx, csv_file = tmp_path / "村.xlsx", tmp_path / "stats.csv"
    dates = ("--from", "2025-01-01", "--to", "2025-12-31")

    made_xlsx = await bolin(
        settings,
        "stats",
        *dates,
        "--group-by",
        "village",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
    )
    made_csv = await bolin(
        settings, "stats", "--period", "2025", "--format", "csv", "--output", str(csv_file)
    )

    assert (made_xlsx.exit_code, made_csv.exit_code) == (0, 0), made_xlsx.output + made_csv.output
    sheet = load_workbook(xlsx).worksheets[0]
    assert [[c.value for c in row][:4] for row in sheet.iter_rows()] == [
        ["村", "场次", "活动个数", "人次"],
        ["东胜村", 27, 1, 5_316],
        ["华盖村", 1, 1, 636],
        ["合计", 28, 2, 5_952],
    ]
    rows = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig"))))
    assert [row[:4] for row in rows] == [
        ["类别", "场次", "活动个数", "人次"],
        ["文化活动", "27", "1", "5316"],
        ["文艺表演", "1", "1", "636"],
        ["合计", "28", "2", "5952"],
    ]


async def test_cli_ledger_prints_csv_to_standard_output(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await a_year(client, staff)

    result = await bolin(settings, "ledger", "--period", "2025-08", "--format", "csv")

    assert result.exit_code == 0, result.output
    header, row, totals = csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig")))
    assert (header[:3], header[16], row[:4], row[11], totals[:3]) == (
        ["日期", "结束日期", "时间"],
        "统计方式",
        ["2025-08-01", "", "19:30", "performance活动 2025-08-01T19:30"],
        "636",
        ["合计", "", "1场次"],
    )


async def test_cli_annual_and_chart(
    client: Client, staff: Staff, settings: Settings, tmp_path: Path
) -> None:
    await a_year(client, staff)
    svg = tmp_path / "trend.svg"

    annual = await bolin(settings, "annual", "2025")
    chart = await bolin(settings, "chart", "trend", "2025", "--output", str(svg))

    assert "组织文艺活动（次）\t28\t参加人次\t5952\t上年 0 / 0" in annual.output
    assert "举办训练班（班次）\t0\t培训人次\t0" in annual.output
    assert "藏书（册）\t未填\n" in annual.output
    assert "不属于文化站年报的活动（另报）\n旅游与夜间经济\t0场次\t0人次\n" in annual.output
    assert chart.exit_code == 0, chart.output
    assert "8月" in "".join(ET.parse(svg).getroot().itertext())


async def test_cli_annual_writes_the_form_as_xlsx(
    client: Client, staff: Staff, settings: Settings, tmp_path: Path
) -> None:
    await a_year(client, staff)
    xlsx = tmp_path / "年报.xlsx"

    made = await bolin(settings, "annual", "2025", "--format", "xlsx", "--output", str(xlsx))

    assert made.exit_code == 0, made.output
    rows = [[c.value for c in row] for row in load_workbook(xlsx).worksheets[0].iter_rows()]
    assert rows[0] == ["乡镇综合文化站 年报 2025年", None, None]
    assert rows[3:8] == [
        ["项目", "单位", "数量"],
        ["举办展览", "个", 0],
        ["参观人次", "人次", 0],
        ["组织文艺活动", "次", 28],
        ["参加人次", "人次", 5_952],
    ]
    assert ["不属于文化站年报的活动（另报）", None, None] in rows


async def test_cli_bad_period_is_a_usage_error_saying_why(settings: Settings) -> None:
    result = await bolin(settings, "stats", "--period", "2025-13")

    assert result.exit_code == 2
    assert "统计期「2025-13」无法识别" in result.output


async def test_cli_xlsx_needs_an_output_file(settings: Settings) -> None:
    result = await bolin(settings, "stats", "--period", "2025", "--format", "xlsx")

    assert result.exit_code == 2
    assert "XLSX needs --output FILE" in result.output
