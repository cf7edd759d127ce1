"""What every command shares: one transaction on a short-lived engine, a domain error told
plainly with exit code 1, and a progress bar for long runs.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bolin_events import db
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

    return asyncio.run(db.in_transaction(settings, work,
                                         actor=operator() if audited else None))


def staged_import(settings: Settings, work: Callable[[Any], Awaitable[T]], *,
                  dry_run: bool) -> T:
    """An import: on SQLite rehearsed on a copy and applied in one short transaction
    (staging.run_import), so a server on the same database keeps taking writes."""

    async def run() -> T:
        engine = make_engine(settings)
        try:
            return await run_import(settings, make_sessionmaker(engine), work, dry_run=dry_run,
                                    actor=operator())
        finally:
            await engine.dispose()

    return asyncio.run(run())


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
