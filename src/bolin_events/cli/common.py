"""What every command shares: one transaction on a short-lived engine (once the database is
known to be there), a domain error told plainly with exit code 1, JSON for scripts, and a
progress bar for long runs.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import IO, Any, TypeVar

import click
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from bolin_events import db, migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.errors import DomainError
from bolin_events.services.audit import Actor
from bolin_events.settings import Settings
from bolin_events.staging import run_import

T = TypeVar("T")


def operator() -> Actor:
    """The audit trail's "who" for a command: the account on this machine that ran it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no such user in this container's passwd
        name = str(os.getuid())
    return Actor(user_id=None, username=f"cli:{name}"[:100], via="cli")


def in_transaction(settings: Settings, work: Callable[[Any], Awaitable[T]], *,
                   audited: bool = True) -> T:
    """Run ``work(session)`` in one transaction on a short-lived engine; what it changes goes
    into the audit trail as the operator's (``audited=False``: the system's own, e.g. seeding).

    It takes SQLite's write lock when it begins (as a request does): a long import that read
    first would otherwise fail at its first write if the server wrote in between.
    """

    database_ready(settings)
    return asyncio.run(db.in_transaction(settings, work,
                                         actor=operator() if audited else None))


def staged_import(settings: Settings, work: Callable[[Any], Awaitable[T]], *,
                  dry_run: bool) -> T:
    """An import: on SQLite rehearsed on a copy and applied in one short transaction
    (staging.run_import), so a server on the same database keeps taking writes."""

    database_ready(settings)

    async def run() -> T:
        engine = make_engine(settings)
        try:
            return await run_import(settings, make_sessionmaker(engine), work, dry_run=dry_run,
                                    actor=operator())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def where(settings: Settings) -> str:
    """The database a message names: SQLite's data directory, or PostgreSQL's host and name
    (never its password)."""
    if settings.is_sqlite:
        return f"{settings.data_dir.resolve()}"
    return settings.resolved_database_url.split("@")[-1]


def _elsewhere(settings: Settings) -> tuple[str, str]:
    """Where else the data may be: another data directory (SQLite), another server."""
    if settings.is_sqlite:
        return "或把 BOLIN_DATA_DIR 设为数据所在的目录", "or point BOLIN_DATA_DIR at the data"
    return "或检查 BOLIN_DATABASE_URL", "or check BOLIN_DATABASE_URL"


def database_ready(settings: Settings, *, any_revision: bool = False) -> None:
    """Before a command opens the database: it is there and migrated to this version (to any,
    for a downgrade), else one line saying what to run. Asking makes no SQLite file
    (migrate.current only reads one that exists): a command run from the wrong folder leaves
    nothing behind."""
    try:
        revision = migrate.current(settings)
    except (OSError, SQLAlchemyError) as exc:  # PostgreSQL unreachable, a file not SQLite's
        text = str(exc).strip()
        reason = text.splitlines()[0][:160] if text else type(exc).__name__
        fail(f"无法打开数据库 {where(settings)}（{reason}）：请检查 BOLIN_DATABASE_URL 或 "
             f"BOLIN_DATA_DIR / cannot open the database {where(settings)} ({reason}): check "
             "BOLIN_DATABASE_URL or BOLIN_DATA_DIR")
        return
    if revision is None:
        zh, en = _elsewhere(settings)
        fail(f"这里没有数据库（{where(settings)}）：请运行 bolin-events db upgrade，{zh} / "
             f"no database at {where(settings)}: run `bolin-events db upgrade`, {en}")
        return
    newest = migrate.head(settings)
    if revision != newest and not any_revision:
        fail(f"数据库版本 {revision} 不是本程序的 {newest}（{where(settings)}）：请运行 "
             f"bolin-events db upgrade / the database is at {revision}, this version needs "
             f"{newest}: run `bolin-events db upgrade`")


JSON = click.option("--json", "as_json", is_flag=True,
                    help="输出 JSON（UTF-8）/ print JSON (UTF-8) for scripts")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def echo_json(value: Any) -> None:
    """JSON on standard output: UTF-8 text as is (no \\u escapes), keys in a stable order."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=_plain))


def fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


async def run_domain(work: Awaitable[T]) -> T:
    """Turn a domain error into a readable message and exit code 1."""
    try:
        return await work
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        raise


CLICK_WORDS = [  # click's own usage mistakes, named in Chinese before its English text
    ("No such command", "没有这个命令"), ("No such option", "没有这个选项"),
    ("Missing argument", "缺少参数"), ("Missing option", "缺少选项"),
    ("Invalid value", "取值有误"), ("unexpected extra argument", "多余的参数"),
    ("requires an argument", "选项缺少取值"),
]


class UsageInChinese(click.UsageError):
    """A usage mistake told Chinese first (click says its own only in English), with the
    command to ask for help."""

    def show(self, file: IO[Any] | None = None) -> None:
        text = self.format_message()
        word = next((zh for en, zh in CLICK_WORDS if en in text), None)
        click.echo(f"用法有误：{word} / {text}" if word else f"用法有误：{text}", err=True)
        where = self.ctx.command_path if self.ctx else "bolin-events"
        click.echo(f"运行 {where} -h 查看用法 / run `{where} -h` for help", err=True)


def _chinese_first(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, UsageInChinese):
        return exc
    return UsageInChinese(exc.format_message(), exc.ctx)


class Main(click.Group):
    """The entry point: usage mistakes of any command below it are told Chinese first."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _chinese_first(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _chinese_first(exc) from None


class Progress:
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
