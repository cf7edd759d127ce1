"""Browser tests: a real server (`bolin-events serve`) with the demo season, driven by Debian's
chromium.

The server runs on the database kind under test (a fresh SQLite file, or a scratch PostgreSQL
database when ``BOLIN_TEST_DATABASE_URL`` names one). Users ``admin``, ``scheduler`` and
``reporter`` (东胜村) log in with ``PASSWORD``. Screenshots go to ``BOLIN_E2E_ARTIFACTS``
(default ``test-artifacts/e2e``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bolin_events.settings import Settings
from tests.conftest import IN_CI
from tests.support.db import PASSWORD, prepare, scratch_postgres
from tests.support.servers import serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BOLIN_E2E_ARTIFACTS", "test-artifacts/e2e"))
PHONE = {"width": 360, "height": 780}


@dataclass
class Site:
    url: str

    def at(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server for the browser tests, with the demo season and three staff accounts; its
    links point at the address it listens on (no BOLIN_PUBLIC_URL)."""
    data_dir = tmp_path_factory.mktemp("e2e")
    with ExitStack() as stack:
        if os.environ.get("BOLIN_TEST_DATABASE_URL", "").startswith("postgresql"):
            url = stack.enter_context(scratch_postgres("bolin_e2e"))
        else:
            url = f"sqlite+aiosqlite:///{data_dir / 'e2e.db'}"
        settings = Settings(database_url=url, data_dir=data_dir, secret_key="e2e-secret-key")
        prepare(settings, demo=True)
        env = {"BOLIN_SECRET_KEY": "e2e-secret-key", "BOLIN_FEED_RECHECK_SECONDS": "0"}
        server = stack.enter_context(serve(data_dir, database_url=url, env=env))
        yield Site(server.url)


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


@contextmanager
def phone_page(browser: Any) -> Iterator[Any]:
    """A fresh 360 px wide touch-screen page (its own cookies); several may be open at once
    (two staff at two entrances). Leaving it checks the Content-Security-Policy blocked
    nothing."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        accept_downloads=True, locale="zh-CN",
    )
    page = context.new_page()
    blocked = watch_policy(page)
    try:
        yield page
    finally:
        context.close()
    assert blocked == [], "the Content-Security-Policy blocked something the page uses"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh 360 px wide touch-screen page (its own cookies)."""
    with phone_page(browser) as page:
        yield page


def watch_policy(page: Any) -> list[str]:
    """What the page's Content-Security-Policy refused, as the browser reports it."""
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return blocked


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    """A fresh 1280 px wide page (its own cookies)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    blocked = watch_policy(page)
    try:
        yield page
    finally:
        context.close()
    assert blocked == [], "the Content-Security-Policy blocked something the page uses"


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
