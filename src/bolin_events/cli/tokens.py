"""`bolin-events tokens create|revoke|list`: API tokens (shown once, stored hashed).
"""

from __future__ import annotations

from typing import Any

import click

from bolin_events.cli.common import fail, in_transaction, run_domain
from bolin_events.services.accounts.tokens import create_token, list_tokens, revoke_token
from bolin_events.services.accounts.users import find_user
from bolin_events.settings import get_settings


@click.group(help="API 令牌 / API tokens.")
def tokens() -> None:
    pass


@tokens.command("create", help="为账号创建令牌（只显示一次） / Create a token, shown once.")
@click.argument("username")
@click.option("--name", default="cli", show_default=True)
def tokens_create(username: str, name: str) -> None:
    async def work(session: Any) -> Any:
        user = await find_user(session, username)
        if not user.is_active:
            fail(f"账号已停用 / {username} is disabled")
        return await create_token(session, user, name)

    token = in_transaction(get_settings(), lambda s: run_domain(work(s)))
    click.echo(f"令牌 #{token.id}（请妥善保存，只显示这一次 / keep it, shown once）：")
    click.echo(token.token)


@tokens.command("revoke", help="撤销令牌 / Revoke a token by its number.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    in_transaction(get_settings(), lambda s: run_domain(revoke_token(s, token_id)))
    click.echo(f"已撤销 / revoked #{token_id}")


@tokens.command("list", help="列出令牌 / List tokens (never their secret).")
@click.option("--user", "username", default=None)
def tokens_list(username: str | None) -> None:
    for token, owner in in_transaction(get_settings(), lambda s: list_tokens(s, username)):
        state = "revoked" if token.revoked_at else "active"
        click.echo(f"#{token.id:<5} {owner:16} {token.name:16} {token.prefix}…  {state}")
