"""Test fixtures for both databases.

The suite runs on the database named by ``BOLIN_TEST_DATABASE_URL`` (an async SQLAlchemy URL);
without it, on a fresh SQLite file. The schema is made once per run by the real Alembic
migrations; every test starts from empty tables.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from sqlalchemy import Table, select, text
from sqlmodel import SQLModel

from bolin_events import migrate
from bolin_events.app import close_database, create_app, open_database
from bolin_events.models import Role, User, UserVillage
from bolin_events.services import seeding
from bolin_events.services.accounts.tokens import create_token
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The database kind under test, for fixtures that start their own servers or CLI runs: each
# kind is covered by its own pass of the suite (CI runs one per kind), never twice in one.
DATABASE_KINDS = (
    ["postgresql"]
    if os.environ.get("BOLIN_TEST_DATABASE_URL", "").startswith("postgresql")
    else ["sqlite"]
)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("BOLIN_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    settings = Settings(database_url=database_url, data_dir=tmp_path_factory.mktemp("data"))
    migrate.upgrade(settings)
    return database_url


@pytest.fixture
def settings(migrated: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=migrated,
        data_dir=tmp_path,
        secret_key="test-secret-key-not-for-production",
        public_url="https://events.example.test",
        uid_domain="events.example.test",
        feed_recheck_seconds=0,  # tests change the database behind the app's back
    )


@pytest.fixture
async def app(settings: Settings) -> Litestar:
    return create_app(settings)


async def _empty_tables(app: Litestar) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    async with app.state.sessionmaker() as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            await session.exec(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await session.exec(text(f'DELETE FROM "{name}"'))


class Client(httpx.AsyncClient):
    """An httpx client that talks to the app in this event loop (the app is ``client.app``)."""

    app: Litestar


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[Client]:
    # The app runs in the test's own event loop: asyncpg connections cannot cross loops,
    # which Litestar's AsyncTestClient (a portal thread) would make them do.
    await open_database(app)
    try:
        await _empty_tables(app)
        transport = httpx.ASGITransport(app=app)
        async with Client(transport=transport, base_url="http://testserver") as test_client:
            test_client.app = app
            yield test_client
    finally:
        await close_database(app)


@dataclass
class Staff:
    """Bearer headers for one user of each role (the reporter reports for 东胜村)."""

    admin: dict[str, str]
    scheduler: dict[str, str]
    reporter: dict[str, str]


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run: argon2 takes ~0.3 s by design, three users a test add up."""
    return PasswordHasher().hash(PASSWORD)


async def make_user(
    app: Litestar, username: str, role: Role, villages: list[str] | None = None
) -> dict[str, str]:
    """A user who logs in with PASSWORD, and a Bearer header for a token of theirs."""
    async with app.state.sessionmaker() as session, session.begin():
        refs = await load_refs(session)
        user = User(username=username, role=role, password_hash=password_hash())
        session.add(user)
        await session.flush()
        assert user.id is not None
        for slug in villages or []:
            session.add(UserVillage(user_id=user.id, village_id=refs.villages.id_of(slug)))
        token = await create_token(session, user, "tests")
    return {"Authorization": f"Bearer {token.token}"}


# Rows as the real seeder left them, per database and kind of seed: the seeder runs once per
# test run, later tests get its rows back by bulk insert (seeding through the services takes a
# second; this takes milliseconds).
_SEED_ROWS: dict[tuple[str, bool], list[tuple[Table, list[dict[str, Any]]]]] = {}


async def _seed(app: Litestar, settings: Settings, *, demo: bool) -> None:
    key = (settings.resolved_database_url, demo)
    async with app.state.sessionmaker() as session, session.begin():
        empty = await seeding.is_empty(session)
        if key in _SEED_ROWS and empty:
            await _insert_rows(session, _SEED_ROWS[key])
            return
        await seeding.seed(session, settings, demo=demo)
        if empty:
            await session.flush()  # Core reads below do not autoflush the ORM's pending changes
            connection = await session.connection()
            _SEED_ROWS[key] = [
                (table, [dict(row._mapping) for row in await connection.execute(select(table))])
                for table in SQLModel.metadata.sorted_tables
            ]


async def _insert_rows(session: Any, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    connection = await session.connection()
    for table, rows in tables:
        if rows:
            await connection.execute(table.insert(), rows)
    if connection.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        for table, rows in tables:
            if rows and "id" in table.c:
                await connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table.name}"))'))


@pytest.fixture
async def seeded(client: Client, settings: Settings) -> None:
    """The reference data and the demo season, as `bolin-events seed` loads them."""
    await _seed(client.app, settings, demo=True)


@pytest.fixture
async def reference(client: Client, settings: Settings) -> None:
    """Only the reference data (villages, venues, categories …), no demo events."""
    await _seed(client.app, settings, demo=False)


@pytest.fixture
async def staff(client: Client, reference: None) -> Staff:
    app = client.app
    return Staff(
        admin=await make_user(app, "admin", Role.admin),
        scheduler=await make_user(app, "scheduler", Role.scheduler),
        reporter=await make_user(app, "reporter", Role.reporter, ["dongsheng"]),
    )


def postgres_admin_url() -> str:
    return os.environ.get(
        "BOLIN_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for tests that need PostgreSQL itself; dropped afterwards."""
    import asyncio
    import uuid

    from sqlalchemy.ext.asyncio import create_async_engine

    admin_url = postgres_admin_url()
    name = f"bolin_test_{uuid.uuid4().hex[:10]}"

    async def run(sql: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    try:
        asyncio.run(run(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server, no driver, no rights: all mean "no PostgreSQL here"
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but {admin_url} failed: {exc}")
        pytest.skip(f"needs PostgreSQL at {admin_url} (set BOLIN_TEST_POSTGRES_URL): {exc}")
    base = admin_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
