"""What every command does alike: -h and --version, one line (not a traceback) and no stray
file when there is no database, JSON for scripts, and a token alone on standard output."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bolin_events import __version__, db
from bolin_events.services.accounts.tokens import create_web_session
from bolin_events.services.accounts.users import find_user
from tests.cli.conftest import PASSWORD, Cli

NEEDS_THE_DATABASE = [
    ("users", "list"),
    ("tokens", "list", "--json"),
    ("tokens", "create", "amei"),
    ("events", "list"),
    ("events", "show", "1"),
    ("report", "stats", "--period", "2025"),
    ("report", "review", "2025", "--json"),
    ("photos", "sweep"),
    ("signups", "purge"),
    ("import", "template", "season.xlsx"),
    ("db", "downgrade"),
]


@pytest.fixture
def demo(sqlite_cli: Cli) -> Cli:
    """SQLite with the reference data and the demo season (and its reported nights)."""
    assert sqlite_cli("seed").exit_code == 0
    return sqlite_cli


def test_version_and_short_help(sqlite_cli: Cli) -> None:
    version = sqlite_cli("--version")
    short = sqlite_cli("-h")
    nested = sqlite_cli("report", "stats", "-h")

    assert version.output == f"bolin-events {__version__}\n"
    assert short.exit_code == 0 and "events" in short.output and "--version" in short.output
    assert nested.exit_code == 0 and "--json" in nested.output and "--group-by" in nested.output


@pytest.mark.parametrize(
    ("command", "first"),
    [
        (("report", "review"), "用法有误：缺少参数 / Missing argument 'PERIOD'."),
        (("events", "list", "--colour", "red"),
         "用法有误：没有这个选项 / No such option '--colour'."),
        (("report", "stats", "--period", "2025-13"), "用法有误：统计期「2025-13」无法识别"),
    ],
)
def test_a_usage_mistake_is_said_in_chinese_first(
    sqlite_cli: Cli, command: tuple[str, ...], first: str
) -> None:
    result = sqlite_cli(*command)

    assert result.exit_code == 2
    assert result.stderr.startswith(first)
    assert f"{' '.join(command[:2])} -h 查看用法" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("command", NEEDS_THE_DATABASE, ids=" ".join)
def test_without_a_database_a_command_says_what_to_run_and_makes_nothing(
    cli: Cli, command: tuple[str, ...]
) -> None:
    result = cli(*command)

    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()  # one line, not a traceback
    assert line.startswith("这里没有数据库")
    assert "bolin-events db upgrade" in line
    if cli.database_url is None:
        assert str(cli.data_dir.resolve()) in line and "BOLIN_DATA_DIR" in line
        assert not cli.data_dir.exists()  # no stray database file (nor its folder)
    else:
        assert "BOLIN_DATABASE_URL" in line


def test_a_database_of_an_older_version_is_told_to_upgrade(sqlite_cli: Cli) -> None:
    assert sqlite_cli("db", "upgrade", "0003").exit_code == 0

    result = sqlite_cli("users", "list")

    assert result.exit_code == 1
    assert result.stderr.startswith("数据库版本 0003 不是本程序的")
    assert "bolin-events db upgrade" in result.stderr


def test_tokens_create_prints_only_the_token_on_standard_output(demo: Cli) -> None:
    demo("users", "add", "amei", "--role", "scheduler", password=PASSWORD)

    result = demo("tokens", "create", "amei")

    assert result.exit_code == 0
    assert result.stdout.startswith("bolin_") and result.stdout.count("\n") == 1
    assert "只显示这一次" in result.stderr


def test_users_list_as_json(demo: Cli) -> None:
    demo("users", "add", "amei", "--role", "reporter", "--village", "dongsheng",
         "--name", "阿梅", password=PASSWORD)

    result = demo("users", "list", "--json")

    (user,) = [u for u in json.loads(result.stdout) if u["username"] == "amei"]
    assert (user["username"], user["display_name"], user["role"], user["villages"],
            user["is_active"]) == ("amei", "阿梅", "reporter", ["dongsheng"], True)
    assert "阿梅" in result.stdout  # UTF-8 as is, not \\u963f


def test_users_add_says_what_is_wrong_in_chinese_first(demo: Cli) -> None:
    result = demo("users", "add", "amei", "--role", "admin", password="short-pw")

    assert result.exit_code == 1
    chinese, english = result.stderr.splitlines()
    assert chinese == "输入有误：密码：至少 10 个字符"
    assert english == "invalid: password: String should have at least 10 characters"
    assert "short-pw" not in result.output


def log_in_on_the_web(cli: Cli, username: str) -> None:
    """What the log-in page does: a web session for the account."""

    async def work(session: Any) -> None:
        await create_web_session(session, await find_user(session, username))

    asyncio.run(db.in_transaction(cli.settings, work))


def test_tokens_list_shows_api_tokens_apart_from_web_log_ins(demo: Cli) -> None:
    demo("users", "add", "amei", "--role", "scheduler", password=PASSWORD)
    demo("tokens", "create", "amei", "--name", "laptop")
    log_in_on_the_web(demo, "amei")

    listed = demo("tokens", "list")
    found = json.loads(demo("tokens", "list", "--json").stdout)

    assert [(t["user"], t["name"], t["state"]) for t in found["api_tokens"]] == [
        ("amei", "laptop", "active")]
    assert [(t["user"], t["name"], t["state"]) for t in found["web_sessions"]] == [
        ("amei", "web-session", "active")]
    api_part, web_part = listed.stdout.split("网页登录 / web log-ins")
    assert api_part.startswith("API 令牌 / API tokens（1）") and "laptop" in api_part
    assert "web-session" in web_part and "laptop" not in web_part


def test_events_list_and_show_the_demo_season(demo: Cli) -> None:
    events = json.loads(demo("events", "list", "--json").stdout)
    series = max(events, key=lambda e: e["occurrence_count"])

    listed = demo("events", "list")
    shown = demo("events", "show", str(series["id"]))

    assert listed.exit_code == 0 and shown.exit_code == 0, listed.output + shown.output
    assert listed.stdout.splitlines()[-1] == f"共 {len(events)} 个活动 / {len(events)} events"
    (line,) = [line for line in listed.stdout.splitlines()
               if line.startswith(f"#{series['id']} ")]
    assert series["title_zh"] in line and f"{series['occurrence_count']} 场" in line
    assert shown.stdout.startswith(f"#{series['id']} {series['title_zh']}")
    assert f"场次 nights: {series['occurrence_count']}" in shown.stdout
    assert series["venue"]["name_zh"] in shown.stdout
    for state in ("不举办", "已改期", "已取消"):  # the demo series' skipped, moved, cancelled
        assert state in shown.stdout
    nights = json.loads(demo("events", "show", str(series["id"]), "--json").stdout)["nights"]
    held_or_not = [night for night in nights if night["state"] != "skipped"]
    assert len(held_or_not) == series["occurrence_count"] < len(nights)


def test_events_list_narrowed_by_days_and_status(demo: Cli) -> None:
    events = json.loads(demo("events", "list", "--json").stdout)
    first = min(events, key=lambda e: e["start"])
    day = first["start"][:10]

    on_the_day = json.loads(demo("events", "list", "--from", day, "--to", day, "--json").stdout)
    long_ago = demo("events", "list", "--from", "1990-01-01", "--to", "1990-12-31")
    cancelled = json.loads(demo("events", "list", "--status", "cancelled", "--json").stdout)

    assert first["id"] in [e["id"] for e in on_the_day]
    assert len(on_the_day) < len(events)
    assert long_ago.stdout == "共 0 个活动 / 0 events\n"
    assert cancelled and {e["status"] for e in cancelled} == {"cancelled"}


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--from", "2025-06-30", "--to", "2025-01-01"), "截止日期不能早于起始日期"),
        (("--from", "2025-06-31", "--to", "2025-07-01"), "起始日期不是有效日期"),
        (("--from", "2025-06-01"), "缺少统计期的截止日期"),
        (("--status", "finished"), "无法识别状态「finished」"),
    ],
)
def test_events_list_refuses_bad_options_in_chinese_first(
    demo: Cli, options: tuple[str, ...], said: str
) -> None:
    result = demo("events", "list", *options)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(said.split("「")[0])
    assert said in result.stderr


def test_events_show_unknown_event(demo: Cli) -> None:
    result = demo("events", "show", "99999")

    assert result.exit_code == 1
    assert result.stderr == "找不到活动：99999\nNo event 99999 exists.\n"


def test_report_review_and_stats_as_json(demo: Cli) -> None:
    year = json.loads(demo("events", "list", "--json").stdout)[0]["start"][:4]

    text = demo("report", "review", year)
    review = json.loads(demo("report", "review", year, "--json").stdout)
    stats = json.loads(demo("report", "stats", "--period", year, "--json").stdout)
    table = demo("report", "stats", "--period", year)

    assert text.stdout == review["paragraph"] + "\n"
    assert f"{year}年" in review["paragraph"]
    assert {row["name_zh"] for row in stats["rows"]} <= {
        line.split("\t")[0] for line in table.stdout.splitlines()}
