"""Two real server processes on one PostgreSQL answer the same feed, and both see changes.

This is the production shape (several uvicorn workers behind a load balancer): each process
has its own feed cache, and only the database they share can make them agree.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bolin_events import migrate
from bolin_events.app import close_database, create_app, open_database
from bolin_events.models import Role
from bolin_events.schemas.accounts import UserCreate
from bolin_events.services import seeding
from bolin_events.services.accounts.tokens import create_token
from bolin_events.services.accounts.users import create_user
from bolin_events.settings import Settings
from tests.conftest import PASSWORD, postgres_admin_url
from tests.feeds.helpers import TZ, event_blocks

pytestmark = pytest.mark.postgres


def _sql(url: str, statement: str) -> None:
    async def run() -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(run())


@pytest.fixture
def shared_database(postgres_url: str) -> Iterator[str]:
    """A fresh database of this test's own (``postgres_url`` decides skip-or-fail)."""
    admin = postgres_admin_url()
    name = f"bolin_feeds_{uuid.uuid4().hex[:10]}"
    _sql(admin, f'CREATE DATABASE "{name}"')
    yield f"{admin.rsplit('/', 1)[0]}/{name}"
    _sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare(settings: Settings) -> dict[str, str]:
    """Schema, reference data and a scheduler's token, the way `bolin-events` sets them up."""
    migrate.upgrade(settings)

    async def run() -> str:
        app = create_app(settings)
        await open_database(app)
        try:
            async with app.state.sessionmaker() as session, session.begin():
                await seeding.seed(session, settings, demo=False)
                user = await create_user(session, UserCreate(
                    username="scheduler", password=PASSWORD, role=Role.scheduler))
                token = await create_token(session, user, "feeds test")
            return str(token.token)
        finally:
            await close_database(app)

    return {"Authorization": f"Bearer {asyncio.run(run())}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(database_url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "BOLIN_DATABASE_URL": database_url, "BOLIN_DATA_DIR": str(data_dir),
           "BOLIN_SECRET_KEY": "feeds-test-secret-key", "BOLIN_ENVIRONMENT": "test",
           "BOLIN_PUBLIC_URL": "https://events.example.test",
           "BOLIN_UID_DOMAIN": "events.example.test", "BOLIN_LOG_LEVEL": "WARNING",
           "BOLIN_FEED_RECHECK_SECONDS": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bolin_events.app:create_app_from_env",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, f"http://127.0.0.1:{port}"


def _wait_until_up(process: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}"
                                 if process.stderr else "server exited")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not start within 30 s")


@pytest.fixture
def two_servers(shared_database: str, tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    settings = Settings(environment="test", database_url=shared_database, data_dir=tmp_path,
                        secret_key="feeds-test-secret-key",
                        public_url="https://events.example.test",
                        uid_domain="events.example.test")
    headers = _prepare(settings)
    servers = [_start(shared_database, tmp_path / name) for name in ("a", "b")]
    try:
        for process, base in servers:
            _wait_until_up(process, base)
        yield servers[0][1], servers[1][1], headers
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_server_processes_on_one_postgres_agree_and_see_each_others_changes(
        two_servers: tuple[str, str, dict[str, str]]) -> None:
    a, b, headers = two_servers
    first_night = (datetime.now(TZ) + timedelta(days=7)).replace(hour=19, minute=0, second=0,
                                                                 microsecond=0)
    created = httpx.post(f"{a}/api/v1/events", headers=headers, json={
        "title_zh": "东胜村周末夜市", "category": "market", "venue": "ginkgo-night-market",
        "start": first_night.replace(tzinfo=None).isoformat(),
        "end": first_night.replace(hour=22, tzinfo=None).isoformat(),
        "rrule": "FREQ=WEEKLY;COUNT=4", "status": "published"})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    night = f"{event_id}-{first_night.strftime('%Y%m%dT%H%M%S')}"

    from_a, from_b = httpx.get(f"{a}/feeds/all.ics"), httpx.get(f"{b}/feeds/all.ics")
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content == from_b.content
    assert from_a.headers["etag"] == from_b.headers["etag"]
    assert from_a.headers["last-modified"] == from_b.headers["last-modified"]
    assert "SEQUENCE:0" in event_blocks(from_a.content, event_id)[0]

    skipped = httpx.post(f"{b}/api/v1/occurrences/{night}/skip", headers=headers)
    assert skipped.status_code == 200, skipped.text
    seen_by_a = httpx.get(f"{a}/feeds/all.ics",
                          headers={"If-None-Match": from_a.headers["etag"]})
    assert seen_by_a.status_code == 200
    exdate = f"EXDATE;TZID=Asia/Shanghai:{first_night.strftime('%Y%m%dT%H%M%S')}"
    assert exdate in event_blocks(seen_by_a.content, event_id)[0]
    assert "SEQUENCE:1" in event_blocks(seen_by_a.content, event_id)[0]

    renamed = httpx.patch(f"{a}/api/v1/events/{event_id}", headers=headers,
                          json={"title_en": "Dongsheng weekend market"})
    assert renamed.status_code == 200, renamed.text
    final_a, final_b = httpx.get(f"{a}/feeds/all.ics"), httpx.get(f"{b}/feeds/all.ics")
    assert final_b.content == final_a.content
    assert final_b.headers["etag"] == final_a.headers["etag"] != seen_by_a.headers["etag"]
    assert "SUMMARY:东胜村周末夜市 / Dongsheng weekend market" in event_blocks(
        final_b.content, event_id)[0]
    assert httpx.get(f"{b}/feeds/all.ics", headers={
        "If-None-Match": final_a.headers["etag"]}).status_code == 304
