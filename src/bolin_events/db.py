"""The engine, made at startup, and one transaction per request."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any, TypeVar

from litestar import Request
from litestar.datastructures import State
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.logs import REQUEST_ID
from bolin_events.notify import announce
from bolin_events.services.audit import ACTOR_KEY, Actor
from bolin_events.settings import Settings


def private_sqlite_file(settings: Settings) -> None:
    """Make the SQLite file, if it is to be made, readable by its owner only (0600), as the
    secret is; SQLite gives its -wal and -shm files the database file's mode."""
    path = settings.sqlite_file
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database while others go on writing (SQLite's online
    backup), readable by its owner only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    target.chmod(0o600)
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def make_engine(settings: Settings) -> AsyncEngine:
    private_sqlite_file(settings)
    url = settings.resolved_database_url
    kwargs: dict[str, Any] = {  # a short wait: a crowd gets a quick 503, not a stall
        "pool_size": settings.db_pool_size, "max_overflow": 0,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }
    if settings.db_echo:  # through logging, once (echo=True would add a handler of its own)
        logging.basicConfig()  # a handler when nothing set one up (the commands)
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_pre_ping=True)
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    """WAL lets readers and one writer work together; foreign keys are off by default."""
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """A writing transaction takes SQLite's write lock up front (BEGIN IMMEDIATE).

    A plain BEGIN that reads first and writes later fails at once with "database is locked"
    when another writer committed in between; waiting for the lock at BEGIN instead lets
    the busy timeout queue concurrent writers.
    """
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "bolin_writes"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIVATE_WRITE = "private_write"
"""A route's ``opt`` flag: its writes change nothing a public read shows (a sign-up, a check-in,
a press at the gates), so committing them tells no cache, here or in another process, to look
again — on a busy night hundreds of such writes would otherwise end every recheck window."""


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def provide_db(
    state: State, request: Request[Any, Any, Any]
) -> AsyncGenerator[AsyncSession, None]:
    """One transaction per request: committed when the handler returns, rolled back if it raises."""
    writes = request.method not in READ_METHODS
    public = writes and not request.route_handler.opt.get(PRIVATE_WRITE, False)
    # The actor rides on the session: Litestar may resolve this in a task of its own.
    actor = request_actor(request) if writes else None
    async with write_session(state.sessionmaker, writes=writes, actor=actor,
                             announced=public) as s:
        yield s
    if public:  # committed: tell in-process caches (e.g. feeds) to look again
        written(state)


def request_actor(request: Request[Any, Any, Any]) -> Actor:
    """Who is writing (for the audit trail): the logged-in user, their address and browser."""
    principal = request.scope.get("user")
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return Actor(
        user_id=getattr(principal, "user_id", None),
        username=getattr(principal, "username", None),
        via="api" if path.startswith("/api/") else "page",
        ip=request.client.host if request.client else None,
        user_agent=(request.headers.get("user-agent") or "")[:300] or None,
        request_id=REQUEST_ID.get(),
    )


def written(state: State) -> None:
    """A write was committed (here, or in another process: notify.Listener)."""
    for listener in state.get("after_write", ()):
        listener()


@asynccontextmanager
async def write_session(
    sessionmaker: async_sessionmaker[AsyncSession], *, writes: bool = True,
    actor: Actor | None = None, announced: bool = True,
) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, flagged so SQLite takes its write lock when it begins;
    a writing one tells every app process when it commits (notify.announce), unless it is
    not ``announced`` (a private write: PRIVATE_WRITE)."""
    async with sessionmaker() as session, session.begin():
        if actor is not None:  # whose changes the audit trail enters them as
            session.info[ACTOR_KEY] = actor
        connection = await session.connection(execution_options={WRITE_OPTION: writes})
        yield session
        if writes and announced:
            await announce(connection)


T = TypeVar("T")


async def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]], *,
                         actor: Actor | None = None) -> T:
    """``work(session)`` in one writing transaction on an engine of its own, disposed after
    (a command, an import's rehearsal on its copy); ``actor``: whose changes these are."""
    engine = make_engine(settings)
    try:
        async with write_session(make_sessionmaker(engine), actor=actor) as session:
            return await work(session)
    finally:
        await engine.dispose()
