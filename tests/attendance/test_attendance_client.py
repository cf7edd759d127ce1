"""`bolin-events client …` against a running server, including a batch cut off mid-way."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook
from PIL import Image

from bolin_events.cli import main
from bolin_events.cli.client import upload_rows
from bolin_events.client.api import BolinClient
from bolin_events.client.sheet import read_sheet
from tests.attendance.live import PASSWORD, LiveServer, past_series


@pytest.fixture
def config(tmp_path: Path, live: LiveServer) -> Path:
    path = tmp_path / "cfg" / "client.json"
    result = cli(path, "login", live.url, "reporter-00")
    assert result.exit_code == 0, result.output
    return path


def cli(config: Path, *args: str) -> Result:
    env = {"BOLIN_CLIENT_CONFIG": str(config), "BOLIN_CLIENT_PASSWORD": PASSWORD}
    return CliRunner().invoke(main, ["client", *args], env=env)


def history(live: LiveServer, occurrence: str) -> list[tuple[int, int]]:
    response = httpx.get(
        f"{live.url}/api/v1/occurrences/{occurrence}/reports", headers=live.headers("admin")
    )
    return [(r["revision"], r["total"]) for r in response.json()["revisions"]]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def test_client_login_saves_the_token_for_the_owner_only(config: Path, live: LiveServer) -> None:
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert f'"url": "{live.url}"' in config.read_text()
    assert '"token": "bolin_' in config.read_text()


def test_client_pending_lists_held_nights_to_report(config: Path, live: LiveServer) -> None:
    nights = past_series(live, 2, days_ago=400, hour=6)

    result = cli(config, "pending", "--village", "dongsheng")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines if line.split()[0] in nights] == nights


def test_client_report_twice_counts_once_and_keeps_the_photo(
    config: Path, live: LiveServer, tmp_path: Path
) -> None:
    (night,) = past_series(live, 1, days_ago=401, hour=6)
    picture = tmp_path / "crowd.jpg"
    Image.new("RGB", (20, 10)).save(picture, "JPEG")
    args = ["report", night, "--total", "560", "--onsite", "320", "--online", "240"]

    first = cli(config, *args, "--method", "计数器", "--photo", str(picture))
    again = cli(config, *args, "--method", "计数器", "--photo", str(picture))

    assert first.exit_code == 0, first.output
    assert first.output.startswith("已上报第 1 版，总人次 560")
    assert again.output.startswith("此前已上报（第 1 版），未重复计数")
    assert history(live, night) == [(1, 560)]
    ledger = httpx.get(
        f"{live.url}/api/v1/occurrences/{night}/reports", headers=live.headers("admin")
    ).json()
    assert len(ledger["photos"]) == 1


def test_client_upload_dry_run_reports_each_problem_and_writes_nothing(
    config: Path, live: LiveServer, tmp_path: Path
) -> None:
    good, bad_sum, word = past_series(live, 3, days_ago=402, hour=6)
    sheet = write_csv(
        tmp_path / "村晚.csv",
        ["活动场次", "总人次", "现场", "线上", "统计方式", "备注"],
        [
            [good, 300, "", "", "签到表", "好"],
            [bad_sum, 300, 200, 200, "", ""],
            [word, "三百", "", "", "", ""],
            ["9999-20260101T190000", 5, "", "", "", ""],
        ],
    )

    result = cli(config, "upload", str(sheet), "--dry-run")

    assert result.exit_code == 1
    assert f"第 2 行 {good}：✓ 可以上报（将为第 1 版）" in result.output
    assert f"第 3 行 {bad_sum}：✗ 人次数字有误：现场 200 + 线上 200 = 400，与总人次 300 不符。" in (
        result.output
    )
    assert f"第 4 行 {word}：✗ 「总人次」应为整数，而不是「三百」" in result.output
    assert "第 5 行 9999-20260101T190000：✗ 找不到场次" in result.output
    assert [history(live, n) for n in (good, bad_sum, word)] == [[], [], []]


def test_client_upload_cut_off_then_rerun_counts_every_row_once(
    config: Path, live: LiveServer, tmp_path: Path
) -> None:
    nights = past_series(live, 6, days_ago=410, hour=6)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Occurrence", "Total", "Residents", "Visitors", "Method (counting)"])
    for n, night in enumerate(nights):
        sheet.append([night, 100 + n, 60, 40 + n, "clicker"])
    path = tmp_path / "batch.xlsx"
    book.save(path)
    token = live.tokens["reporter-00"]

    real = httpx.Client()
    sent = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        """Forwards to the server; from the 3rd request on, the answer is lost on the way back."""
        nonlocal sent
        sent += 1
        if sent > 4:
            raise httpx.ConnectError("network is unreachable", request=request)
        answer = real.request(
            request.method, str(request.url), headers=request.headers, content=request.content
        )
        if sent >= 3:
            raise httpx.ReadError("connection reset by peer", request=request)
        return answer

    api = BolinClient(live.url, token, transport=httpx.MockTransport(flaky), patience=0.5,
                      backoff=0.1)
    cut = upload_rows(api, read_sheet(path), dry_run=False)
    rerun = cli(config, "upload", str(path))

    assert (cut.filed, cut.lost_at and cut.lost_at.line) == (2, 4)
    assert rerun.exit_code == 0, rerun.output
    assert "新上报 filed 3，此前已上报 already 3" in rerun.output
    assert [history(live, night) for night in nights] == [[(1, 100 + n)] for n in range(6)]
