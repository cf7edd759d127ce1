"""A scheduler logs in, makes a weekly series through the editor, cancels one night, and sees it
struck through on the public page and marked cancelled in the event's feed."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx
import icalendar
import recurring_ical_events
from playwright.sync_api import expect

from tests.e2e.conftest import Site, log_in, screenshot

TITLE = "沙河村周末电影放映（浏览器测试）"


def _visible_starts(ics: bytes) -> list[datetime]:
    """Starts of the nights a calendar app shows as happening (cancelled ones left out)."""
    calendar = icalendar.Calendar.from_ical(ics)
    nights = recurring_ical_events.of(calendar).between((2027, 10, 1), (2027, 12, 1))
    return sorted(n["DTSTART"].dt for n in nights if str(n.get("STATUS", "")) != "CANCELLED")


def test_scheduler_makes_a_series_and_cancels_one_night(site: Site, desktop: Any) -> None:
    # Autumn 2027, after the demo season: the other browser tests share this site and look
    # at the demo summer's nights.
    page = desktop
    page.goto(site.at("/staff/login"))
    screenshot(page, "scheduler-login")
    log_in(page, site, "scheduler")
    assert page.url == site.at("/staff")

    page.get_by_role("link", name="新建活动").click()
    page.get_by_label("标题（中文）").fill(TITLE)
    page.get_by_label("类别").select_option("culture")
    page.get_by_label("场地").select_option("shahe-centre")
    page.get_by_label("开始日期").fill("2027-10-01")
    page.get_by_label("开始时间").fill("19:30")
    page.get_by_label("结束时间").fill("21:30")
    # Weekdays show for weekly only (the form's script is deferred: wait for it to have run).
    expect(page.get_by_label("周五")).to_be_hidden()
    page.get_by_label("每周", exact=True).check()
    page.get_by_label("周五").check()
    page.get_by_label("周六").check()
    page.get_by_label("重复到（日期）").fill("2027-11-27")
    page.get_by_label("立即发布").check()
    screenshot(page, "scheduler-editor")
    page.get_by_role("button", name="保存", exact=True).click()

    page.wait_for_url(re.compile(r"/staff/events/\d+\?done=created$"))
    event_id = int(re.findall(r"/staff/events/(\d+)", page.url)[0])
    assert "每周五、周六 19:30–21:30，2027-10-01 至 2027-11-27，共 18 场" in page.inner_text(
        ".summary"
    )

    page.locator(f'a[href="/staff/occurrences/{event_id}-20271008T193000"]').click()
    page.get_by_label("取消原因（访客可见）").fill("雷雨预警，本场取消")
    page.get_by_role("button", name="取消这一场").click()
    page.wait_for_url(re.compile(r"done=cancel_night"))
    assert "这一场已取消" in page.inner_text("main")
    screenshot(page, "scheduler-event-cancelled-night")

    page.goto(site.at(f"/events/{event_id}"))
    struck = page.locator("s.cancelled").all_inner_texts()
    assert any("10月8日" in text for text in struck), struck
    assert "雷雨预警，本场取消" in page.inner_text("main")
    screenshot(page, "scheduler-public-event-cancelled-night")

    feed = httpx.get(site.at(f"/feeds/events/{event_id}.ics"), timeout=30)
    assert feed.status_code == 200
    starts = _visible_starts(feed.content)
    assert len(starts) == 17
    assert datetime(2027, 10, 8, 19, 30) not in [s.replace(tzinfo=None) for s in starts]
    assert datetime(2027, 10, 9, 19, 30) in [s.replace(tzinfo=None) for s in starts]


def test_login_page_on_a_phone(site: Site, phone: Any) -> None:
    phone.goto(site.at("/staff/login"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "scheduler-login-360")
    log_in(phone, site, "scheduler")
    phone.goto(site.at("/staff/events/new"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "scheduler-editor-360")
