"""`bolin-events tokens create|revoke|list`: API tokens (shown once, stored hashed), and the
staff pages' log-ins, which are tokens kept in a browser cookie.
"""

from __future__ import annotations

from typing import Any

import click

from bolin_events.cli.common import JSON, echo_json, fail, in_transaction, run_domain
from bolin_events.models import ApiToken
from bolin_events.services.accounts.tokens import (
    WEB_SESSION_NAME,
    create_token,
    list_tokens,
    revoke_token,
    session_alive,
)
from bolin_events.services.accounts.users import find_user
from bolin_events.services.timing import zone
from bolin_events.settings import get_settings

STATES = {"active": "有效", "revoked": "已撤销", "expired": "已过期"}


@click.group(help="API 令牌和网页登录 / API tokens and web log-ins.")
def tokens() -> None:
    pass


@tokens.command(
    "create",
    help="为账号创建令牌（只显示一次）/ Create a token, shown once. Only the token goes to "
    "standard output: TOKEN=$(bolin-events tokens create amei).",
)
@click.argument("username")
@click.option("--name", default="cli", show_default=True)
def tokens_create(username: str, name: str) -> None:
    async def work(session: Any) -> Any:
        user = await find_user(session, username)
        if not user.is_active:
            fail(f"账号已停用 / {username} is disabled")
        return await create_token(session, user, name)

    token = in_transaction(get_settings(), lambda s: run_domain(work(s)))
    click.echo(f"令牌 #{token.id}（请妥善保存，只显示这一次 / keep it, shown once）：", err=True)
    click.echo(token.token)


@tokens.command("revoke", help="撤销令牌 / Revoke a token (or a web log-in) by its number.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    in_transaction(get_settings(), lambda s: run_domain(revoke_token(s, token_id)))
    click.echo(f"已撤销 / revoked #{token_id}")


def state(token: ApiToken, idle_hours: float) -> str:
    """active, revoked, or (a web log-in unused for longer than BOLIN_SESSION_IDLE_HOURS)
    expired."""
    if token.revoked_at:
        return "revoked"
    if token.name == WEB_SESSION_NAME and not session_alive(token, idle_hours):
        return "expired"
    return "active"


def _row(token: ApiToken, owner: str, idle_hours: float) -> dict[str, Any]:
    return {
        "id": token.id, "user": owner, "name": token.name, "prefix": token.prefix,
        "created_at": token.created_at, "last_used_at": token.last_used_at,
        "state": state(token, idle_hours),
    }


@tokens.command(
    "list",
    help="列出 API 令牌和网页登录（不显示密文）/ List API tokens and web log-ins, apart "
    "(never their secret).",
)
@click.option("--user", "username", default=None)
@JSON
def tokens_list(username: str | None, as_json: bool) -> None:
    settings = get_settings()
    rows = [_row(token, owner, settings.session_idle_hours) for token, owner in
            in_transaction(settings, lambda s: list_tokens(s, username))]
    found = {
        "api_tokens": [r for r in rows if r["name"] != WEB_SESSION_NAME],
        "web_sessions": [r for r in rows if r["name"] == WEB_SESSION_NAME],
    }
    if as_json:
        echo_json(found)
        return
    tz = zone(settings.timezone)
    for key, title in (("api_tokens", "API 令牌 / API tokens"),
                       ("web_sessions", "网页登录 / web log-ins")):
        click.echo(f"{title}（{len(found[key])}）")
        for r in found[key]:
            last = r["last_used_at"]
            used = f"{last.astimezone(tz):%Y-%m-%d %H:%M}" if last else "-"
            click.echo(f"  #{r['id']:<5} {r['user']:16} {r['name']:16} {r['prefix']}…  "
                       f"{used:16}  {STATES[r['state']]} {r['state']}")
