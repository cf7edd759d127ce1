"""`bolin-events users add|list|disable`: staff accounts.
"""

from __future__ import annotations

import os

import click
from pydantic import ValidationError

from bolin_events.cli.common import JSON, echo_json, fail, in_transaction, run_domain
from bolin_events.http_errors import zh_hint
from bolin_events.models import Role
from bolin_events.schemas.accounts import UserCreate
from bolin_events.services.accounts.users import create_user, list_users, set_active
from bolin_events.settings import get_settings

FIELDS = {  # what the options are called in Chinese, for the message people read first
    "username": "用户名", "password": "密码", "role": "角色", "villages": "村",
    "display_name": "姓名",
}


def _field_zh(loc: tuple[int | str, ...]) -> str:
    name = str(loc[0]) if loc else ""
    return FIELDS.get(name, name or "输入")


def invalid(exc: ValidationError) -> str:
    """The schema's complaint in Chinese first, English beside; never the input (a password)."""
    errors = exc.errors(include_input=False, include_url=False)
    zh = "；".join(f"{_field_zh(e['loc'])}：{zh_hint(e['msg'])}" for e in errors)
    en = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return f"输入有误：{zh}\ninvalid: {en}"


@click.group(help="账号 / Staff accounts.")
def users() -> None:
    pass


@users.command(
    "add", help="新建账号 / Add a user. The password is asked for, or read from BOLIN_NEW_PASSWORD."
)
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--village", "villages", multiple=True, help="a reporter's village slug (repeat)")
@click.option("--name", "display_name", default=None)
def users_add(
    username: str, role: str, villages: tuple[str, ...], display_name: str | None
) -> None:
    password = os.environ.get("BOLIN_NEW_PASSWORD") or click.prompt(
        "密码 / password (≥10)", hide_input=True, confirmation_prompt=True
    )
    try:
        data = UserCreate(
            username=username,
            password=password,
            role=Role(role),
            villages=list(villages),
            display_name=display_name,
        )
    except ValidationError as exc:  # its plain text would echo the password back
        fail(invalid(exc))
        return
    settings = get_settings()
    user = in_transaction(settings, lambda s: run_domain(create_user(s, data, settings)))
    click.echo(f"已创建 / created {user.username} ({user.role})")


@users.command("list", help="列出账号 / List users.")
@JSON
def users_list(as_json: bool) -> None:
    found = in_transaction(get_settings(), list_users)
    if as_json:
        echo_json(found)
        return
    for user in found:
        state = "active" if user.is_active else "DISABLED"
        click.echo(f"{user.username:20} {user.role:10} {state:9} {','.join(user.villages)}")


@users.command("disable", help="停用账号并撤销其令牌 / Disable a user and revoke their tokens.")
@click.argument("username")
def users_disable(username: str) -> None:
    in_transaction(get_settings(), lambda s: run_domain(set_active(s, username, False)))
    click.echo(f"已停用 / disabled {username}")
