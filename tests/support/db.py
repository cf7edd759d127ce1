"""Real databases for tests: a scratch PostgreSQL database, plain SQL against any URL, and
a prepared database (schema, seed, staff accounts) for a server to start on."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from bolin_events import migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.models import Role, User, UserVillage
from bolin_events.services import seeding
from bolin_events.services.accounts.passwords import hash_password
from bolin_events.services.accounts.tokens import create_token
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings

PASSWORD = "correct horse battery"


def postgres_admin_url() -> str:
    return os.environ.get(
        "BOLIN_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )


def run_sql(url: str, sql: str, *, autocommit: bool = False) -> list[tuple[object, ...]]:
    """One statement on a short-lived engine; the rows it returns, if any."""

    async def run() -> list[tuple[object, ...]]:
        options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
        engine = create_async_engine(url, **options)
        try:
            async with engine.begin() as connection:
                result = await connection.execute(text(sql))
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())


def column(url: str, sql: str) -> list[object]:
    return [row[0] for row in run_sql(url, sql)]


def table_names(url: str) -> set[str]:
    async def run() -> set[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def row_counts(url: str) -> dict[str, int]:
    """Rows in every table of the models that the database has (at an older revision, fewer)."""
    present = table_names(url)
    tables = [t.name for t in SQLModel.metadata.sorted_tables if t.name in present]
    union = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM \"{name}\"" for name in tables)
    return {str(name): int(str(count)) for name, count in run_sql(url, union)}


@contextmanager
def scratch_postgres(prefix: str = "bolin_test") -> Iterator[str]:
    """A new, empty PostgreSQL database of its own (dropped afterwards); its async URL."""
    admin = postgres_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    run_sql(admin, f'CREATE DATABASE "{name}"', autocommit=True)
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        run_sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)


@dataclass(frozen=True)
class Person:
    """A staff account to make: a reporter reports for ``villages``."""

    username: str
    role: Role
    villages: tuple[str, ...] = ()


STAFF = (
    Person("admin", Role.admin),
    Person("scheduler", Role.scheduler),
    Person("reporter", Role.reporter, ("dongsheng",)),
)


def prepare(settings: Settings, people: tuple[Person, ...] = STAFF, *, demo: bool = False,
            token_name: str = "tests") -> dict[str, str]:
    """Schema, seed (and the demo season), and accounts that log in with ``PASSWORD``;
    gives each account's API token by user name."""
    migrate.upgrade(settings)

    async def run() -> dict[str, str]:
        engine = make_engine(settings)
        password_hash = hash_password(settings, PASSWORD)  # one hash shared by every account
        tokens = {}
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                await seeding.seed(session, settings, demo=demo)
                refs = await load_refs(session)
                for person in people:
                    user = User(username=person.username, role=person.role,
                                password_hash=password_hash)
                    session.add(user)
                    await session.flush()
                    for slug in person.villages:
                        session.add(UserVillage(user_id=user.id or 0,
                                                village_id=refs.villages.id_of(slug)))
                    token = await create_token(session, user, token_name)
                    tokens[person.username] = token.token or ""
        finally:
            await engine.dispose()
        return tokens

    return asyncio.run(run())
