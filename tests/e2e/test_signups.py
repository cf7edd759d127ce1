"""Signing up on a phone (360 px), in Debian's chromium: a scheduler opens sign-up for a 研学
day on the staff page, a visitor finds the 报名 link on the event page, fills in the form and
lands on their own page, whose QR code holds the check-in code shown above it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Site, log_in, screenshot
from tests.e2e.test_wechat_visitor import no_serious_violations, read_qr
from tests.support.db import PASSWORD

TITLE = "嘉悦农场研学体验日（浏览器测试）"
TZ = ZoneInfo("Asia/Shanghai")


@dataclass
class StudyDay:
    event_id: int
    night: str


@pytest.fixture(scope="module")
def study_day(site: Site) -> StudyDay:
    """A published 研学 day twelve days ahead at 嘉悦农场, not yet taking sign-ups."""
    day = datetime.now(TZ).date() + timedelta(days=12)
    start = datetime(day.year, day.month, day.day, 9, 0)
    with httpx.Client(base_url=site.url, timeout=30) as client:
        token = client.post("/api/v1/auth/token",
                            json={"username": "scheduler", "password": PASSWORD}).json()["token"]
        made = client.post("/api/v1/events", headers={"Authorization": f"Bearer {token}"}, json={
            "title_zh": TITLE, "category": "culture", "venue": "jiayue-farm",
            "status": "published", "start": start.isoformat(),
            "end": (start + timedelta(hours=6)).isoformat(), "allow_overlap": True,
        })
        assert made.status_code == 201, made.text
    event_id = made.json()["id"]
    return StudyDay(event_id, f"{event_id}-{start:%Y%m%dT%H%M%S}")


def fits_the_screen(page: Any) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_signs_up_on_a_phone_and_gets_a_code_and_qr(
    site: Site, study_day: StudyDay, desktop: Any, phone: Any
) -> None:
    log_in(desktop, site, "scheduler")
    desktop.goto(site.at(f"/staff/events/{study_day.event_id}/signups"))
    desktop.get_by_label("名额（每场人数）").fill("12")
    desktop.get_by_label("每份报名最多几人（含本人）").fill("3")
    desktop.get_by_label("其他问题（每行一个，访客可不填，最多 5 个）").fill("孩子年龄")
    desktop.get_by_role("button", name="保存报名设置").click()
    expect(desktop.get_by_text("报名设置已保存。")).to_be_visible()

    phone.goto(site.at(f"/events/{study_day.event_id}"))
    expect(phone.get_by_text("本活动需要报名，每场 12 个名额")).to_be_visible()
    fits_the_screen(phone)
    screenshot(phone, "signup-event-page-360")
    phone.get_by_role("link", name="报名").first.click()
    expect(phone.get_by_text("剩余 12 个名额")).to_be_visible()
    fits_the_screen(phone)
    no_serious_violations(phone)
    phone.get_by_label("称呼/昵称").fill("王阿姨")
    phone.get_by_label("手机号").fill("138 1234 5678")
    phone.get_by_label("人数（含本人）").select_option("2")
    phone.get_by_label("孩子年龄").fill("8岁")
    screenshot(phone, "signup-form-360")
    phone.get_by_role("button", name="提交报名").click()

    phone.wait_for_url(lambda url: "/signups/" in url)
    expect(phone.locator(".signup-state")).to_have_text("已确认")
    code = phone.locator(".signup-code .code").inner_text()
    assert len(code) == 6
    assert read_qr(phone.locator(".signup-qr svg").screenshot()) == code
    expect(phone.get_by_role("link", name="加入日历（提前1天提醒）")).to_have_attribute(
        "href", f"/feeds/events/{study_day.event_id}/nights/{study_day.night}.ics?alarm=1d")
    expect(phone.get_by_text("138****5678")).to_be_visible()
    fits_the_screen(phone)
    no_serious_violations(phone)
    screenshot(phone, "signup-confirmed-360")
