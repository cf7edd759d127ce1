"""A visitor on a 360 px phone finds the night market, adds it to a calendar and subscribes."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Site, screenshot

NIGHT_MARKET = "东胜银杏夜市（演示）"


def page_width(page: Any) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_visitor_finds_the_night_market_adds_it_and_subscribes(
    site: Site, phone: Any
) -> None:
    phone.goto(site.at("/"))
    assert page_width(phone) <= 360
    screenshot(phone, "visitor-home-360")

    phone.get_by_role("link", name=NIGHT_MARKET).first.click()
    phone.wait_for_url(re.compile(r"/events/\d+$"))
    assert phone.locator("h1").inner_text() == NIGHT_MARKET
    phone.get_by_text(re.compile(r"^全部\d+场$")).click()  # the nights after the first five
    assert phone.locator("s.cancelled").first.is_visible()  # the rained-off night, struck
    assert page_width(phone) <= 360
    screenshot(phone, "visitor-event-360")

    add = phone.get_by_role("button", name=re.compile("^加入日历")).first
    ics = phone.context.request.get(site.at(add.get_attribute("formaction") + "?alarm=1h"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text().startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:东胜银杏夜市（演示）" in ics.text()

    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="订阅").click()
    phone.wait_for_url(re.compile(r"/subscribe$"))
    assert phone.get_by_role("link", name=re.compile("订阅（iPhone")).first.get_attribute(
        "href").startswith("webcal://")
    assert page_width(phone) <= 360
    screenshot(phone, "visitor-subscribe-360")


def test_month_calendar_fits_a_phone(site: Site, phone: Any) -> None:
    phone.goto(site.at("/calendar?month=2027-06"))

    assert page_width(phone) <= 360
    assert phone.get_by_text("6月26日 周六").is_visible()  # days with events, as a list
    assert not phone.get_by_text("6月12日 周六").is_visible()  # nothing that day: left out
    screenshot(phone, "visitor-calendar-360")
