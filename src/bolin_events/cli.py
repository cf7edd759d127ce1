"""The `bolin-events` command: serve, db, seed, users, tokens."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bolin_events import migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.errors import DomainError
from bolin_events.models import Role
from bolin_events.schemas.accounts import UserCreate
from bolin_events.services import accounts, seeding
from bolin_events.settings import Settings, get_settings

T = TypeVar("T")


def in_transaction(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(session)`` in one transaction on a short-lived engine."""

    async def run() -> T:
        engine = make_engine(settings)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


@click.group(help="柏林镇文化活动管理 / Bolin town events. Settings come from BOLIN_* variables.")
def main() -> None:
    pass


@main.command(
    help="迁移数据库、空库时载入种子数据，然后启动服务 / Migrate, seed an empty database, serve."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="load the demo season into an empty database",
)
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    import uvicorn

    settings = get_settings()
    started = time.perf_counter()
    click.echo(f"数据库 / database: {settings.resolved_database_url.split('@')[-1]}")
    migrate.upgrade(settings)

    async def seed_if_empty(session: Any) -> bool:
        if not await seeding.is_empty(session):
            return False
        await seeding.seed(session, settings, demo=demo)
        return True

    if in_transaction(settings, seed_if_empty):
        click.echo("空数据库，已载入种子数据 / empty database: seed loaded")
    settings.resolved_secret_key()  # made once here, not raced by several workers
    click.echo(f"准备用时 / ready in {time.perf_counter() - started:.2f}s → http://{host}:{port}/")
    uvicorn.run(
        "bolin_events.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )


@main.group(help="数据库迁移 / Database migrations (Alembic).")
def db() -> None:
    pass


@db.command(help="升级到最新 / Upgrade to a revision (default: head).")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    migrate.upgrade(get_settings(), revision)
    click.echo(f"已升级 / upgraded: {migrate.current(get_settings())}")


@db.command(help="回退 / Downgrade to a revision (default: one step back; 'base' for none).")
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    migrate.downgrade(get_settings(), revision)
    click.echo(f"已回退 / downgraded: {migrate.current(get_settings()) or 'base'}")


@db.command(help="当前版本 / Show the database's revision and the newest one.")
def current() -> None:
    settings = get_settings()
    click.echo(f"current: {migrate.current(settings) or 'base (empty)'}")
    click.echo(f"head:    {migrate.head(settings)}")


@main.command(
    help="载入参考数据（和演示季） / Load reference data (and the demo season); "
    "running it twice changes nothing."
)
@click.option("--demo/--no-demo", default=True, show_default=True)
def seed(demo: bool) -> None:
    settings = get_settings()
    migrate.upgrade(settings)
    report = in_transaction(settings, lambda s: seeding.seed(s, settings, demo=demo))
    for kind in sorted(set(report.created) | set(report.skipped)):
        click.echo(
            f"{kind:12} 新建 created {report.created.get(kind, 0):3}   "
            f"已有 unchanged {report.skipped.get(kind, 0):3}"
        )


@main.group(help="账号 / Staff accounts.")
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
    except ValueError as exc:
        fail(f"输入有误 / invalid: {exc}")
        return
    settings = get_settings()
    user = in_transaction(settings, lambda s: _run_domain(accounts.create_user(s, data)))
    click.echo(f"已创建 / created {user.username} ({user.role})")


@users.command("list", help="列出账号 / List users.")
def users_list() -> None:
    for user in in_transaction(get_settings(), accounts.list_users):
        state = "active" if user.is_active else "DISABLED"
        click.echo(f"{user.username:20} {user.role:10} {state:9} {','.join(user.villages)}")


@users.command("disable", help="停用账号并撤销其令牌 / Disable a user and revoke their tokens.")
@click.argument("username")
def users_disable(username: str) -> None:
    in_transaction(get_settings(), lambda s: _run_domain(accounts.set_active(s, username, False)))
    click.echo(f"已停用 / disabled {username}")


@main.group(help="API 令牌 / API tokens.")
def tokens() -> None:
    pass


@tokens.command("create", help="为账号创建令牌（只显示一次） / Create a token, shown once.")
@click.argument("username")
@click.option("--name", default="cli", show_default=True)
def tokens_create(username: str, name: str) -> None:
    async def work(session: Any) -> Any:
        user = await accounts.find_user(session, username)
        if not user.is_active:
            fail(f"账号已停用 / {username} is disabled")
        return await accounts.create_token(session, user, name)

    token = in_transaction(get_settings(), lambda s: _run_domain(work(s)))
    click.echo(f"令牌 #{token.id}（请妥善保存，只显示这一次 / keep it, shown once）:")
    click.echo(token.token)


@tokens.command("revoke", help="撤销令牌 / Revoke a token by its number.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    in_transaction(get_settings(), lambda s: _run_domain(accounts.revoke_token(s, token_id)))
    click.echo(f"已撤销 / revoked #{token_id}")


@tokens.command("list", help="列出令牌 / List tokens (never their secret).")
@click.option("--user", "username", default=None)
def tokens_list(username: str | None) -> None:
    for token, owner in in_transaction(get_settings(), lambda s: accounts.list_tokens(s, username)):
        state = "revoked" if token.revoked_at else "active"
        click.echo(f"#{token.id:<5} {owner:16} {token.name:16} {token.prefix}…  {state}")


async def _run_domain(work: Awaitable[T]) -> T:
    """Turn a domain error into a readable message and exit code 1."""
    try:
        return await work
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        raise
