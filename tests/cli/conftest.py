"""Running `bolin-events` in-process against a database of its own.

Each test gets a fresh data directory; the PostgreSQL variant also gets a fresh database,
so a test may migrate, downgrade and seed without disturbing any other.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from litestar import Litestar

from bolin_events.app import close_database, create_app, fresh_state, open_database
from bolin_events.cli import main
from bolin_events.settings import Settings, get_settings
from tests.conftest import DATABASE_KINDS
from tests.support.db import column, row_counts, run_sql, scratch_postgres, table_names

__all__ = ["Cli", "column", "row_counts", "run_sql", "seed_report", "table_names"]

PASSWORD = "correct horse battery"
FAST_PASSWORDS = {  # the tests' argon2 cost (settings allow it in the test environment only)
    "BOLIN_ENVIRONMENT": "test",
    "BOLIN_PASSWORD_HASH_TIME_COST": "1",
    "BOLIN_PASSWORD_HASH_MEMORY_KIB": "64",
}


@dataclass
class Cli:
    """`bolin-events …` with BOLIN_DATA_DIR (and BOLIN_DATABASE_URL, unless SQLite) set."""

    data_dir: Path
    database_url: str | None = None  # None: the SQLite default inside data_dir

    def __call__(self, *args: str, password: str | None = None, input: str | None = None) -> Result:
        env = {
            "BOLIN_DATA_DIR": str(self.data_dir),
            "BOLIN_DATABASE_URL": self.database_url,
            "BOLIN_SECRET_KEY": None,
            "BOLIN_NEW_PASSWORD": password,
            **FAST_PASSWORDS,
        }
        get_settings.cache_clear()  # the CLI reads settings through the cached getter
        try:
            return CliRunner().invoke(
                main, list(args), env=env, input=input, catch_exceptions=False
            )
        finally:
            get_settings.cache_clear()

    @property
    def settings(self) -> Settings:
        """What the CLI sees, for building the app or reading the database directly."""
        return Settings(
            data_dir=self.data_dir,
            database_url=self.database_url,
            secret_key="test-secret-key-not-for-production",
            environment="test",
        )

    @property
    def url(self) -> str:
        return self.settings.resolved_database_url


@pytest.fixture(params=DATABASE_KINDS)
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Cli:
    """The CLI on the database kind under test (a fresh PostgreSQL database on that pass)."""
    url = request.getfixturevalue("postgres_database") if request.param == "postgresql" else None
    return Cli(tmp_path / "data", url)


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A database of this test's own, beside the session's `postgres_url` (which decides
    whether PostgreSQL tests skip or, in CI, fail)."""
    with scratch_postgres("bolin_cli") as url:
        yield url


def seed_report(output: str) -> dict[str, tuple[int, int]]:
    """`seed` output as {kind: (created, unchanged)}."""
    lines = re.findall(
        r"^(\w+)\s+新建 created\s+(\d+)\s+已有 unchanged\s+(\d+)$", output, re.MULTILINE
    )
    return {kind: (int(created), int(unchanged)) for kind, created, unchanged in lines}


@functools.cache
def _app() -> Litestar:
    """One app for every `get_as` (each call gives it the CLI's settings and its own engine)."""
    return create_app(Settings(environment="test", secret_key="test-secret-key-not-for-production"))


def get_as(settings: Settings, path: str, token: str) -> httpx.Response:
    """GET `path` from the app on the CLI's database, sending `token`."""

    async def run() -> httpx.Response:
        app = _app()
        app.state.update(fresh_state(settings))
        await open_database(app)
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.get(path, headers={"Authorization": f"Bearer {token}"})
        finally:
            await close_database(app)

    return asyncio.run(run())
