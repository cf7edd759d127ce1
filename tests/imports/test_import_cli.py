"""`bolin-events import …`: the template, a sheet with a dry run, a feed from a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Cli, row_counts
from tests.conftest import DATABASE_KINDS
from tests.imports.calendars import farm_server
from tests.imports.helpers import GALA, SEASON
from tests.support.db import scratch_postgres


@pytest.fixture(params=DATABASE_KINDS)
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    """The CLI with the reference data, on the database kind under test."""
    if request.param == "sqlite":
        runner = Cli(tmp_path / "data")
        runner("seed", "--no-demo")
        yield runner
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    with scratch_postgres("bolin_import") as url:
        runner = Cli(tmp_path / "data", url)
        runner("seed", "--no-demo")
        yield runner


def filled_template(cli: Cli, tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    template = tmp_path / "模板.xlsx"
    assert cli("import", "template", str(template)).exit_code == 0
    book = load_workbook(template)
    sheet = book["活动"]
    headers = [str(c.value) for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    filled = tmp_path / "season.xlsx"
    book.save(filled)
    return filled


def test_cli_sheet_dry_run_then_import_then_again(cli: Cli, tmp_path: Path) -> None:
    season = filled_template(cli, tmp_path, SEASON)

    dry = cli("import", "sheet", str(season), "--dry-run")
    saved = cli("import", "sheet", str(season))
    again = cli("import", "sheet", str(season))

    assert (dry.exit_code, saved.exit_code, again.exit_code) == (0, 0, 0), dry.output
    assert dry.stdout.splitlines() == [
        "第 2 行      新建 create        银杏夜市（导入）",
        "第 3 行      新建 create        华盖村纳凉村晚",
        "第 4 行      新建 create        农耕文化体验节",
        "合计 / total: 新建 create 3 · 更新 update 0",
        "试运行，未写入任何数据 / dry run: nothing was saved.",
    ]
    assert saved.stdout.splitlines()[-1] == "已写入 / saved."
    assert again.stdout.splitlines() == [
        "合计 / total: 新建 create 0 · 更新 update 0 · 不变 unchanged 3",
        "没有需要改动的 / nothing to change.",
    ]
    assert row_counts(cli.url)["event"] == 3


def test_cli_sheet_with_a_bad_row_writes_nothing_and_fails(cli: Cli, tmp_path: Path) -> None:
    season = filled_template(cli, tmp_path, [GALA, {**GALA, "场地": "清青乐园", "外部编号": "x"}])

    result = cli("import", "sheet", str(season))

    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:4] == [
        "问题 / problems:",
        '  第 3 行「场地」：找不到场地「清青乐园」。是否指：清溪沟“清青乐园”（qingqing-park）？',
        '  Row 3, Venue: no venue "清青乐园". Did you mean: Qingxigou Qingqing Park '
        "(qingqing-park)?",
    ]
    assert row_counts(cli.url)["event"] == 0


def test_cli_template_in_english(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"

    result = cli("import", "template", str(out), "--lang", "en")

    assert result.exit_code == 0
    assert [c.value for c in load_workbook(out)["Events"][1]][:3] == [
        "Title (Chinese)", "Category", "Venue"]


def test_cli_ics_from_a_real_server_twice(cli: Cli) -> None:
    with farm_server() as server:
        first = cli("import", "ics", server.url("/farm.ics"), "--source", "farm")
        second = cli("import", "ics", server.url("/farm.ics"), "--source", "farm")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert first.stdout.splitlines()[-2:] == [
        "合计 / total: 新建 create 3 · 更新 update 0", "已写入 / saved."]
    assert second.stdout.splitlines()[-2:] == [
        "合计 / total: 新建 create 0 · 更新 update 0 · 不变 unchanged 3",
        "没有需要改动的 / nothing to change.",
    ]
    assert row_counts(cli.url)["event"] == 3


def test_cli_ics_404_fails_with_a_clear_message(cli: Cli) -> None:
    with farm_server() as server:
        result = cli("import", "ics", server.url("/gone.ics"), "--source", "farm")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"远程日历返回 404（找不到）：{server.url('/gone.ics')}",
        f"The remote calendar answered 404 Not Found: {server.url('/gone.ics')}",
    ]
