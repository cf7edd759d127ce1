"""The `bolin-events` command: serve, db, seed, users, tokens."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from bolin_events import migrate
from bolin_events.cli_reports import report as report_group
from bolin_events.client_cli import client as client_group
from bolin_events.db import make_engine, make_sessionmaker, write_session
from bolin_events.errors import DomainError
from bolin_events.models import Role
from bolin_events.schemas.accounts import UserCreate
from bolin_events.services import seeding
from bolin_events.services.accounts.tokens import create_token, list_tokens, revoke_token
from bolin_events.services.accounts.users import create_user, find_user, list_users, set_active
from bolin_events.services.attendance import photos
from bolin_events.services.imports import ics, sheet
from bolin_events.services.imports.fetch import fetch_calendar, make_client
from bolin_events.services.imports.rules import load_rules, rules_text
from bolin_events.services.imports.summary import report_lines
from bolin_events.services.imports.template import template_bytes
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings, get_settings
from bolin_events.storage import LocalStore

T = TypeVar("T")


def in_transaction(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(session)`` in one transaction on a short-lived engine.

    It takes SQLite's write lock when it begins (as a request does): a long import that read
    first would otherwise fail at its first write if the server wrote in between.
    """

    async def run() -> T:
        engine = make_engine(settings)
        try:
            async with write_session(make_sessionmaker(engine)) as session:
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
    swept = in_transaction(settings, lambda s: sweep_photos(s, settings, ORPHAN_AGE))
    if swept:
        click.echo(f"已清理未入库的照片文件 {len(swept)} 个 / removed {len(swept)} orphan photos")
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


ORPHAN_AGE = timedelta(hours=1)


async def sweep_photos(
    session: Any, settings: Settings, older_than: timedelta, *, dry_run: bool = False
) -> list[str]:
    store = LocalStore(settings.data_dir / "uploads")
    return await photos.sweep_orphans(session, store, older_than=older_than, dry_run=dry_run)


@main.group("photos", help="证据照片 / Evidence photos.")
def photos_group() -> None:
    pass


@photos_group.command(
    "sweep",
    help="删除没有记录的照片文件（上报失败留下的） / Delete photo files no report names "
    "(left by reports that failed).",
)
@click.option("--older-than-hours", default=1.0, show_default=True, type=click.FloatRange(0))
@click.option("--dry-run", is_flag=True, help="只列出，不删除 / list them, delete nothing")
def photos_sweep(older_than_hours: float, dry_run: bool) -> None:
    settings = get_settings()
    found = in_transaction(
        settings,
        lambda s: sweep_photos(s, settings, timedelta(hours=older_than_hours), dry_run=dry_run),
    )
    for key in found:
        click.echo(key)
    verb = ("将删除", "would delete") if dry_run else ("已删除", "deleted")
    click.echo(f"{verb[0]} {len(found)} 个文件 / {verb[1]} {len(found)} files")


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
    except ValidationError as exc:  # its plain text would echo the password back
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
            for e in exc.errors(include_input=False, include_url=False)
        )
        fail(f"输入有误 / invalid: {problems}")
        return
    settings = get_settings()
    user = in_transaction(settings, lambda s: _run_domain(create_user(s, data)))
    click.echo(f"已创建 / created {user.username} ({user.role})")


@users.command("list", help="列出账号 / List users.")
def users_list() -> None:
    for user in in_transaction(get_settings(), list_users):
        state = "active" if user.is_active else "DISABLED"
        click.echo(f"{user.username:20} {user.role:10} {state:9} {','.join(user.villages)}")


@users.command("disable", help="停用账号并撤销其令牌 / Disable a user and revoke their tokens.")
@click.argument("username")
def users_disable(username: str) -> None:
    in_transaction(get_settings(), lambda s: _run_domain(set_active(s, username, False)))
    click.echo(f"已停用 / disabled {username}")


@main.group(help="API 令牌 / API tokens.")
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

    token = in_transaction(get_settings(), lambda s: _run_domain(work(s)))
    click.echo(f"令牌 #{token.id}（请妥善保存，只显示这一次 / keep it, shown once）:")
    click.echo(token.token)


@tokens.command("revoke", help="撤销令牌 / Revoke a token by its number.")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    in_transaction(get_settings(), lambda s: _run_domain(revoke_token(s, token_id)))
    click.echo(f"已撤销 / revoked #{token_id}")


@tokens.command("list", help="列出令牌 / List tokens (never their secret).")
@click.option("--user", "username", default=None)
def tokens_list(username: str | None) -> None:
    for token, owner in in_transaction(get_settings(), lambda s: list_tokens(s, username)):
        state = "revoked" if token.revoked_at else "active"
        click.echo(f"#{token.id:<5} {owner:16} {token.name:16} {token.prefix}…  {state}")


async def _run_domain(work: Awaitable[T]) -> T:
    """Turn a domain error into a readable message and exit code 1."""
    try:
        return await work
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        raise


@main.group("import", help="导入 / Bring a season in: a spreadsheet (XLSX/CSV) or an iCal feed.")
def import_group() -> None:
    pass


@import_group.command("template", help="写出导入模板 / Write the XLSX import template.")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def import_template(out: Path, lang: str) -> None:
    async def work(session: Any) -> bytes:
        return template_bytes(await load_refs(session), lang)

    out.write_bytes(in_transaction(get_settings(), work))
    click.echo(f"已写出 / written: {out}")


@import_group.command(
    "sheet",
    help="导入表格（全部或全不）/ Import a spreadsheet: every row or none. "
    "The same file twice changes nothing; a corrected one updates only the changed rows.",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只预览，不写入 / preview; write nothing")
@click.option("--source", default="sheet", show_default=True, help="sheet, or sheet-<name>")
@click.option("--all", "show_all", is_flag=True, help="也列出不变的行 / list unchanged rows too")
def import_sheet_command(file: Path, dry_run: bool, source: str, show_all: bool) -> None:
    settings, bar = get_settings(), _Progress("导入 / importing")
    content = file.read_bytes()
    try:
        report = in_transaction(
            settings,
            lambda s: sheet.import_sheet(
                s, content, file.name, settings, source=source, dry_run=dry_run, progress=bar
            ),
        )
    except sheet.SheetRejected as exc:
        report = exc.report
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        return
    finally:
        bar.close()
    click.echo("\n".join(report_lines(report, unchanged=show_all)))
    if report.problems:
        sys.exit(1)


@import_group.command(
    "ics",
    help="导入远程日历 / Import events from an iCal feed. A re-run updates what changed and "
    "cancels what the source dropped. Rules: --rules FILE, or DATA_DIR/import-rules/SOURCE.yaml.",
)
@click.argument("url")
@click.option("--source", required=True, help="a short name for the feed, e.g. district")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML: categories and venues by CATEGORIES/LOCATION/SUMMARY (docs/import.md)",
)
@click.option("--dry-run", is_flag=True, help="只预览，不写入 / preview; write nothing")
def import_ics_command(url: str, source: str, rules_file: Path | None, dry_run: bool) -> None:
    settings = get_settings()
    rules = load_rules(rules_text(settings, source, rules_file))

    async def fetch() -> bytes:
        async with make_client(settings) as client:
            return await fetch_calendar(client, url, settings)

    content = asyncio.run(_run_domain(fetch()))
    report = in_transaction(
        settings,
        lambda s: _run_domain(
            ics.import_feed(s, content, settings, source=source, rules=rules, dry_run=dry_run)
        ),
    )
    click.echo("\n".join(report_lines(report)))


class _Progress:
    """A progress bar on stderr, made once the number of rows is known."""

    def __init__(self, label: str) -> None:
        self.label, self.done = label, 0
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


main.add_command(client_group)
main.add_command(report_group)


@main.group(help="订阅源 / iCal feeds.")
def feeds() -> None:
    pass


@feeds.command(
    "check",
    help="印海报前检查订阅源 / Check a feed before printing it: URL (default: "
    "BOLIN_PUBLIC_URL/feeds/all.ics) or a local .ics file. Exit 1 on any problem.",
)
@click.argument("source", required=False)
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660))
def feeds_check(source: str | None, days: int) -> None:
    from bolin_events import feed_check

    source = source or get_settings().public_url.rstrip("/") + "/feeds/all.ics"
    click.echo(f"检查 / checking: {source}")
    report = feed_check.check_source(source, days=days)
    click.echo("\n".join(feed_check.report_lines(report, days)))
    if report.problems:
        sys.exit(1)
