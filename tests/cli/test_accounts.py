from __future__ import annotations

import json
import re

import pytest

from tests.cli.conftest import PASSWORD, Cli, column, get_as


@pytest.fixture
def reference(sqlite_cli: Cli) -> Cli:
    """SQLite with the villages loaded (a reporter needs one)."""
    assert sqlite_cli("seed", "--no-demo").exit_code == 0
    return sqlite_cli


def create_token(cli: Cli, username: str) -> tuple[int, str]:
    result = cli("tokens", "create", username)
    assert result.exit_code == 0, result.output
    number = re.search(r"令牌 #(\d+)", result.stderr)
    assert number is not None, result.output
    return int(number.group(1)), result.stdout.strip()


def token_states(cli: Cli) -> list[str]:
    listed = cli("tokens", "list", "--json")
    assert listed.exit_code == 0, listed.output
    return [token["state"] for token in json.loads(listed.stdout)["api_tokens"]]


def test_users_add_shows_user_in_list(reference: Cli) -> None:
    reporter = ["--role", "reporter", "--village", "dongsheng", "--name", "阿梅"]
    added = reference("users", "add", "amei", *reporter, password=PASSWORD)
    listed = reference("users", "list")

    assert added.exit_code == 0, added.output
    assert added.output == "已创建 / created amei (reporter)\n"
    assert [line.split() for line in listed.output.splitlines()] == [
        ["amei", "reporter", "active", "dongsheng"]
    ]


def test_users_add_without_env_password_prompts_twice(reference: Cli) -> None:
    result = reference("users", "add", "boss", "--role", "admin", input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "已创建 / created boss (admin)" in result.output
    assert PASSWORD not in result.output  # typed, not echoed


def test_users_add_short_password_fails_without_echoing_it(reference: Cli) -> None:
    result = reference("users", "add", "amei", "--role", "admin", password="short-pw")

    assert result.exit_code == 1
    assert "输入有误：密码：至少 10 个字符" in result.output
    assert "invalid: password: String should have at least 10 characters" in result.output
    assert "short-pw" not in result.output
    assert column(reference.url, "SELECT username FROM user_account") == []


def test_users_add_unknown_village_fails_clearly(reference: Cli) -> None:
    result = reference(
        "users", "add", "amei", "--role", "reporter", "--village", "nowhere", password=PASSWORD
    )

    assert result.exit_code == 1
    assert "找不到村「nowhere」" in result.output
    assert "No village with slug 'nowhere'. Known: dongsheng, fuxing, huagai" in result.output
    assert column(reference.url, "SELECT username FROM user_account") == []


def test_users_add_taken_username_fails_clearly(reference: Cli) -> None:
    reference("users", "add", "amei", "--role", "admin", password=PASSWORD)

    result = reference("users", "add", "amei", "--role", "scheduler", password=PASSWORD)

    assert result.exit_code == 1
    assert "The username 'amei' is taken." in result.output
    assert reference("users", "list").output.split() == ["amei", "admin", "active"]


@pytest.mark.parametrize(
    "command",
    [
        ("tokens", "create", "nobody"),
        ("users", "disable", "nobody"),
    ],
)
def test_unknown_user_fails_clearly(reference: Cli, command: tuple[str, ...]) -> None:
    result = reference(*command)

    assert result.exit_code == 1
    assert result.output == "找不到用户：nobody\nNo user 'nobody' exists.\n"


def test_tokens_revoke_unknown_token_fails_clearly(reference: Cli) -> None:
    result = reference("tokens", "revoke", "99")

    assert result.exit_code == 1
    assert result.output == "找不到令牌：99\nNo token 99 exists.\n"


def test_tokens_create_prints_token_that_authenticates_until_revoked(cli: Cli) -> None:
    cli("seed", "--no-demo")
    cli("users", "add", "amei", "--role", "scheduler", password=PASSWORD)
    number, token = create_token(cli, "amei")

    before = get_as(cli.settings, "/api/v1/me", token)
    revoked = cli("tokens", "revoke", str(number))
    after = get_as(cli.settings, "/api/v1/me", token)

    assert token.startswith("bolin_")
    assert (before.status_code, before.json()["username"]) == (200, "amei")
    assert revoked.output == f"已撤销 / revoked #{number}\n"
    assert after.status_code == 401
    assert after.json()["message"] == "令牌无效、已撤销或账号已停用。"
    assert f"#{number}" in cli("tokens", "list").output.split()
    assert token_states(cli) == ["revoked"]


def test_users_disable_stops_their_tokens(reference: Cli) -> None:
    reference("users", "add", "amei", "--role", "admin", password=PASSWORD)
    _, token = create_token(reference, "amei")
    assert get_as(reference.settings, "/api/v1/me", token).status_code == 200

    disabled = reference("users", "disable", "amei")

    assert disabled.output == "已停用 / disabled amei\n"
    assert reference("users", "list").output.split() == ["amei", "admin", "DISABLED"]
    assert get_as(reference.settings, "/api/v1/me", token).status_code == 401
    assert token_states(reference) == ["revoked"]
    again = reference("tokens", "create", "amei")
    assert again.exit_code == 1
    assert "账号已停用 / amei is disabled" in again.output
