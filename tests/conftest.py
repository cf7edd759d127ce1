"""Test fixtures for both databases.

The suite runs on the database named by ``BOLIN_TEST_DATABASE_URL`` (an async SQLAlchemy URL);
without it, on a fresh SQLite file. The schema is made once per run by the real Alembic
migrations, and one app serves the whole run: every test gets it with empty tables, fresh
caches, settings of its own (a data directory of its own) and an engine in its own event
loop. Passwords are hashed at the lowest argon2 cost (``BOLIN_PASSWORD_HASH_*``).
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
from litestar import Litestar
from sqlalchemy import Table, select, text
from sqlmodel import SQLModel

from bolin_events import migrate
from bolin_events.app import close_database, create_app, fresh_state, open_database
from bolin_events.models import ApiToken, Role, User, UserVillage
from bolin_events.services import seeding
from bolin_events.services.accounts.passwords import hash_password
from bolin_events.services.accounts.tokens import create_token
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings
from tests.support.db import PASSWORD, postgres_admin_url, run_sql

__all__ = ["PASSWORD", "Client", "Staff", "make_user"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The database kind under test, for fixtures that start their own servers or CLI runs: each
# kind is covered by its own pass of the suite (CI runs one per kind), never twice in one.
DATABASE_KINDS = (
    ["postgresql"]
    if os.environ.get("BOLIN_TEST_DATABASE_URL", "").startswith("postgresql")
    else ["sqlite"]
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in this run's temporary folder, or the PostgreSQL database named by
    BOLIN_TEST_DATABASE_URL; each parallel worker (pytest-xdist) gets a database of its own
    beside it on the same server, dropped at the end."""
    url = os.environ.get("BOLIN_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    elif not worker or not url.startswith("postgresql"):
        yield url
    else:
        server, _, name = url.rpartition("/")
        own = f"{server}/{name}_{worker}"
        run_sql(url, f'DROP DATABASE IF EXISTS "{name}_{worker}" WITH (FORCE)', autocommit=True)
        run_sql(url, f'CREATE DATABASE "{name}_{worker}"', autocommit=True)
        yield own
        run_sql(url, f'DROP DATABASE IF EXISTS "{name}_{worker}" WITH (FORCE)', autocommit=True)


@pytest.fixture(scope="session")
def base_settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """What every test starts from; migrated once."""
    settings = Settings(
        environment="test",
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        secret_key="test-secret-key-not-for-production",
        public_url="https://events.example.test",
        uid_domain="events.example.test",
        feed_recheck_seconds=0,  # tests change the database behind the app's back
        password_hash_time_cost=1,
        password_hash_memory_kib=64,
    )
    migrate.upgrade(settings)
    return settings


@pytest.fixture
def settings(base_settings: Settings, tmp_path: Path) -> Settings:
    """This test's own copy (change it freely), with a data directory of its own."""
    return base_settings.model_copy(update={"data_dir": tmp_path})


@pytest.fixture(scope="session")
def app(base_settings: Settings) -> Litestar:
    """One app for the run: building routes, OpenAPI and templates takes 0.2 s a time."""
    return create_app(base_settings)


async def _empty_tables(app: Litestar) -> None:
    """Every table emptied in one statement or script (SQLite: one hop to its thread, where
    a statement at a time would take one each)."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    async with app.state.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            await connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            await connection.commit()
            return
        raw = await connection.get_raw_connection()
        deletes = "".join(f'DELETE FROM "{name}";' for name in tables)
        await raw.driver_connection.executescript(f"BEGIN;{deletes}COMMIT;")


class Client(httpx.AsyncClient):
    """An httpx client that talks to the app in this event loop (the app is ``client.app``);
    ``loaded`` names the seeds put in its database ("reference", "demo")."""

    app: Litestar
    loaded: set[str]


@pytest.fixture
async def client(app: Litestar, settings: Settings) -> AsyncIterator[Client]:
    """The app with this test's settings and fresh caches, on empty tables.

    The app runs in the test's own event loop: asyncpg connections cannot cross loops, which
    Litestar's AsyncTestClient (a portal thread) would make them do; so the engine is made
    per test, the app once.
    """
    app.state.update(fresh_state(settings))
    await open_database(app)
    try:
        await _empty_tables(app)
        transport = httpx.ASGITransport(app=app)
        async with Client(transport=transport, base_url="http://testserver") as test_client:
            test_client.app = app
            test_client.loaded = set()
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
    """PASSWORD hashed once per run, at the tests' low cost."""
    return hash_password(Settings(environment="test", password_hash_time_cost=1,
                                  password_hash_memory_kib=64), PASSWORD)


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
Rows = list[tuple[Table, list[dict[str, Any]]]]
_SEED_ROWS: dict[tuple[str, bool], Rows] = {}


async def _seed(client: Client, settings: Settings, *, demo: bool) -> None:
    key = (settings.resolved_database_url, demo)
    client.loaded.add("demo" if demo else "reference")
    async with client.app.state.sessionmaker() as session, session.begin():
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


async def _insert_rows(session: Any, tables: Rows) -> None:
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
    await _seed(client, settings, demo=True)


@pytest.fixture
async def reference(client: Client, settings: Settings) -> None:
    """Only the reference data (villages, venues, categories …), no demo events."""
    await _seed(client, settings, demo=False)


# The staff accounts' rows and headers, per database and seed, made once and then inserted.
_STAFF: dict[tuple[str, frozenset[str]], tuple[Rows, Staff]] = {}
STAFF_TABLES = (User.__table__, UserVillage.__table__, ApiToken.__table__)


@pytest.fixture
async def staff(client: Client, reference: None, settings: Settings) -> Staff:
    app = client.app
    key = (settings.resolved_database_url, frozenset(client.loaded))
    if key in _STAFF:
        rows, made = _STAFF[key]
        async with app.state.sessionmaker() as session, session.begin():
            await _insert_rows(session, rows)
        return made
    made = Staff(
        admin=await make_user(app, "admin", Role.admin),
        scheduler=await make_user(app, "scheduler", Role.scheduler),
        reporter=await make_user(app, "reporter", Role.reporter, ["dongsheng"]),
    )
    async with app.state.sessionmaker() as session:
        connection = await session.connection()
        ids = list((await connection.execute(
            select(User.__table__.c.id).where(
                User.__table__.c.username.in_(["admin", "scheduler", "reporter"]))
        )).scalars())
        rows = []
        for table, column in zip(STAFF_TABLES, ("id", "user_id", "user_id"), strict=True):
            found = await connection.execute(select(table).where(table.c[column].in_(ids)))
            rows.append((table, [dict(row._mapping) for row in found]))
    _STAFF[key] = (rows, made)
    return made


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for tests that need PostgreSQL itself; dropped afterwards.
    Without a server this skips, saying why (and fails in CI, where one must answer)."""
    import uuid

    admin_url = postgres_admin_url()
    name = f"bolin_test_{uuid.uuid4().hex[:10]}"
    try:
        run_sql(admin_url, f'CREATE DATABASE "{name}"', autocommit=True)
    except Exception as exc:  # no server, no driver, no rights: all mean "no PostgreSQL here"
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but {admin_url} failed: {exc}")
        pytest.skip(f"needs PostgreSQL at {admin_url} (set BOLIN_TEST_POSTGRES_URL): {exc}")
    yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)
