"""Browser tests: a real server (uvicorn) with the demo season, driven by Debian's chromium.

The server runs on the database kind under test (a fresh SQLite file, or a scratch PostgreSQL
database when ``BOLIN_TEST_DATABASE_URL`` names one). Users ``admin``, ``scheduler`` and
``reporter`` (东胜村) log in with ``PASSWORD``. Screenshots go to ``BOLIN_E2E_ARTIFACTS``
(default ``test-artifacts/e2e``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from bolin_events import migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.models import Role, User, UserVillage
from bolin_events.services import seeding
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings
from tests.attendance.live import _wait_until_up, free_port, scratch_postgres, uvicorn_process
from tests.conftest import IN_CI, PASSWORD, postgres_admin_url

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BOLIN_E2E_ARTIFACTS", "test-artifacts/e2e"))
PHONE = {"width": 360, "height": 780}


@dataclass
class Site:
    url: str
    settings: Settings

    def at(self, path: str) -> str:
        return self.url + path


async def _prepare(settings: Settings) -> None:
    engine = make_engine(settings)
    password_hash = PasswordHasher().hash(PASSWORD)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await seeding.seed(session, settings, demo=True)
            dongsheng = (await load_refs(session)).villages.id_of("dongsheng")
            for name, role in [
                ("admin", Role.admin),
                ("scheduler", Role.scheduler),
                ("reporter", Role.reporter),
            ]:
                user = User(username=name, role=role, password_hash=password_hash)
                session.add(user)
                await session.flush()
                if role == Role.reporter:
                    session.add(UserVillage(user_id=user.id or 0, village_id=dongsheng))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server for the browser tests, with the demo season and three staff accounts."""
    data_dir = tmp_path_factory.mktemp("e2e")
    drop = None
    if os.environ.get("BOLIN_TEST_DATABASE_URL", "").startswith("postgresql"):
        url, drop = scratch_postgres(postgres_admin_url())
    else:
        url = f"sqlite+aiosqlite:///{data_dir / 'e2e.db'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=url, data_dir=data_dir, secret_key="e2e-secret-key", public_url=base
    )
    try:
        migrate.upgrade(settings)
        asyncio.run(_prepare(settings))
        env = {
            **os.environ,
            "BOLIN_DATABASE_URL": url,
            "BOLIN_DATA_DIR": str(data_dir),
            "BOLIN_SECRET_KEY": settings.secret_key or "",
            "BOLIN_PUBLIC_URL": base,
            "BOLIN_FEED_RECHECK_SECONDS": "0",
            "BOLIN_LOG_LEVEL": "WARNING",
        }
        with uvicorn_process(env, port) as (_, process):
            _wait_until_up(base, process)
            yield Site(base, settings)
    finally:
        if drop is not None:
            drop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium through Playwright (never Playwright's own download).

    One per module, not per session: sync Playwright keeps an event loop running in this
    thread while it is open, and the async tests collected after tests/e2e cannot run then.
    """
    if not CHROMIUM.exists():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh 360 px wide touch-screen page (its own cookies)."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        accept_downloads=True, locale="zh-CN",
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    """A fresh 1280 px wide page (its own cookies)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Keeps a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Any, site: Site, username: str) -> None:
    """Logs in through the staff login form."""
    page.goto(site.at("/staff/login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)
