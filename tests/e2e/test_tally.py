"""The tally at the gates on two phones (360 px): presses at one entrance move the night's
total on both; presses made offline stay queued across a reload and are sent, once, when the
connection returns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Site, log_in, phone_page, screenshot
from tests.e2e.test_wechat_visitor import no_serious_violations
from tests.support.db import PASSWORD

LIVE = 6_000  # ms: within three polls of two seconds


@pytest.fixture(scope="module")
def night(site: Site) -> str:
    """A night under way now at the ginkgo night market (东胜村)."""
    with httpx.Client(base_url=site.url, timeout=30) as client:
        token = client.post("/api/v1/auth/token",
                            json={"username": "scheduler", "password": PASSWORD}).json()["token"]
        now = datetime.now(UTC).replace(microsecond=0)
        made = client.post("/api/v1/events", headers={"Authorization": f"Bearer {token}"}, json={
            "title_zh": "入口计数演练", "category": "market", "venue": "ginkgo-night-market",
            "status": "published", "allow_overlap": True,
            "start": (now - timedelta(minutes=30)).isoformat(),
            "end": (now + timedelta(hours=3)).isoformat(),
        })
        assert made.status_code == 201, made.text
        today = date.today()
        nights = client.get("/api/v1/occurrences", params={
            "start": (today - timedelta(days=1)).isoformat(),
            "end": (today + timedelta(days=2)).isoformat()}).json()
        return str(next(n["id"] for n in nights if n["event_id"] == made.json()["id"]))


def open_entrance(page: Any, site: Site, night: str, name: str) -> None:
    page.goto(site.at(f"/staff/nights/{night}/tally"))
    page.get_by_label("入口名称").fill(name)
    page.locator("form[action$='/entrances'] button[type=submit]").click()
    page.wait_for_url(f"**/staff/nights/{night}/tally/*")
    expect(page.locator("h1")).to_have_text(name)


def press(page: Any, label: str, times: int = 1) -> None:
    button = page.locator("form.clicker-pad button", has_text=label).first
    for _ in range(times):
        button.tap()


def test_two_gates_count_and_both_phones_see_the_total_even_across_an_offline_reload(
    site: Site, browser: Any, night: str
) -> None:
    with phone_page(browser) as east, phone_page(browser) as south:
        log_in(east, site, "scheduler")
        log_in(south, site, "reporter")  # 东胜村: the night market is theirs
        open_entrance(east, site, night, "东门")
        open_entrance(south, site, night, "南门")

        press(east, "+1", 3)
        press(east, "+5")
        expect(east.locator("[data-mine]")).to_have_text("8")  # at once, on the phone
        expect(south.locator("[data-total]")).to_have_text("8", timeout=LIVE)
        press(south, "+1")
        expect(east.locator("[data-total]")).to_have_text("9", timeout=LIVE)
        expect(south.locator("[data-mine]")).to_have_text("1")
        press(south, "−1")
        press(south, "−1")  # at 0: refused on the phone
        expect(south.locator("#tally-message")).to_have_text("已经是 0，不能再减。")
        expect(east.locator("[data-total]")).to_have_text("8", timeout=LIVE)
        expect(east.locator("#tally-conn")).to_have_text("在线")
        screenshot(east, "tally-east")
        heights = east.locator("form.clicker-pad button").evaluate_all(
            "buttons => buttons.map(b => b.getBoundingClientRect().height)")
        assert min(heights) >= 64  # under a thumb, in the dark
        assert east.evaluate("document.documentElement.scrollWidth") <= 360
        no_serious_violations(east)

        # the page and its files are kept for a reload without a connection
        east.wait_for_function("() => navigator.serviceWorker.controller !== null",
                               timeout=10_000)
        east.wait_for_function(
            "() => caches.open('bolin-tally-v1').then(c => c.match(location.pathname))"
            ".then(r => !!r)", timeout=10_000)
        east.context.set_offline(True)
        press(east, "+1", 2)
        expect(east.locator("#tally-conn")).to_have_text("离线，已排队 2", timeout=LIVE)
        reloaded = east.reload()
        assert reloaded is not None and reloaded.from_service_worker
        expect(east.locator("[data-mine]")).to_have_text("10")  # the server's 8 and 2 queued
        expect(east.locator("#tally-conn")).to_contain_text("2")
        screenshot(east, "tally-east-offline")
        east.context.set_offline(False)

        expect(east.locator("#tally-conn")).to_have_text("在线", timeout=LIVE)
        expect(south.locator("[data-total]")).to_have_text("10", timeout=LIVE)
        east.reload()
        expect(east.locator("[data-mine]")).to_have_text("10")  # sent once, not twice

        south.goto(site.at(f"/staff/nights/{night}/tally"))
        expect(south.locator("[data-total]")).to_have_text("10")
        rows = south.locator("table.tally-entrances tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("东门")
        expect(rows.nth(0).locator("[data-count]")).to_have_text("10")
        screenshot(south, "tally-overview")
        no_serious_violations(south)
        assert south.evaluate("document.documentElement.scrollWidth") <= 360
