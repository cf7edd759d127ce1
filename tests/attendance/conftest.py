"""A real server per database for the attendance tests (concurrency, the staff client)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.attendance.live import LiveServer, live_server
from tests.conftest import DATABASE_KINDS
from tests.support.db import scratch_postgres


@pytest.fixture(scope="session", params=DATABASE_KINDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A real server on a database of its own, with 20 reporters; two app processes share
    PostgreSQL, one serves SQLite."""
    data_dir = tmp_path_factory.mktemp(f"live-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'live.db'}"
        with live_server(url, data_dir, workers=1) as server:  # as `serve` runs on SQLite
            yield server
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    with scratch_postgres("bolin_live") as url, live_server(url, data_dir) as server:
        yield server
