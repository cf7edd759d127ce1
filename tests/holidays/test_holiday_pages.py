"""Holidays on the pages: 休 and 班 on the public month view and in the planner, 假日安排未公布
for a year nobody published, the home page's 假期, and the admin's page that enters a year."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bolin_events.models import Role
from bolin_events.routes.pages import public
from tests.conftest import Client
from tests.holidays.helpers import NATIONAL_DAY_2027_LINES
from tests.pages.login import log_in
from tests.pages.public_helpers import by_class, page, scheduler, text
from tests.pages.staff_helpers import location, post_form

TOWN = ZoneInfo("Asia/Shanghai")


def cell(tree: Any, tag: str, day: str) -> str:
    """The text of the calendar cell (or planner column head) of that day."""
    found = [el for el in tree.iter(tag) if el.get("data-day") == day]
    assert found, f"no {tag} for {day}"
    return " ".join(text(el) for el in found)


def section(tree: Any, heading_id: str) -> str | None:
    for el in tree.iter("section"):
        if el.get("aria-labelledby") == heading_id:
            return text(el)
    return None


def at(monkeypatch: pytest.MonkeyPatch, client: Client, local: str) -> None:
    """The public pages' clock set to this town time."""
    moment = datetime.fromisoformat(local).replace(tzinfo=TOWN).astimezone(UTC)
    monkeypatch.setattr(public, "utcnow", lambda: moment)
    client.app.state.public_cache.answers.clear()


async def test_the_month_view_marks_2026_national_day_and_its_working_saturday(
    client: Client, reference: None
) -> None:
    _, tree = await page(client, "/calendar?month=2026-10")

    assert "休" in cell(tree, "td", "2026-10-01") and "国庆节" in cell(tree, "td", "2026-10-01")
    assert "班" in cell(tree, "td", "2026-10-10")
    sunday = next(el for el in tree.iter("td") if el.get("data-day") == "2026-10-11")
    assert not by_class(sunday, "span", "day-mark")  # an ordinary Sunday
    note = text(by_class(tree, "p", "holiday-note")[0])
    assert "国庆节 10月1日–7日 放假" in note and "10月10日（周六）国庆节调休上班" in note


async def test_the_month_view_of_an_unpublished_year_says_so(
    client: Client, reference: None
) -> None:
    html, tree = await page(client, "/calendar?month=2027-10")

    assert "2027年假日安排未公布" in text(by_class(tree, "p", "holiday-note")[0])
    assert 'class="day-mark' not in html


async def test_the_planner_marks_holidays_and_working_days(client: Client, seeded: None) -> None:
    await log_in(client, "planner", Role.scheduler)

    _, october_2026 = await page(client, "/staff/planner?month=2026-10")
    _, october_2027 = await page(client, "/staff/planner?month=2027-10")

    assert "休" in cell(october_2026, "th", "2026-10-01")
    assert "班" in cell(october_2026, "th", "2026-10-10")
    assert "休" not in cell(october_2026, "th", "2026-10-11")
    assert "2027年假日安排未公布" in text(by_class(october_2027, "p", "holiday-note")[0])


async def test_an_admin_enters_2027_and_the_calendar_marks_it(
    client: Client, reference: None
) -> None:
    await log_in(client, "admin", Role.admin)
    await page(client, "/staff/holidays?year=2027")

    preview = await post_form(client, "/staff/holidays/2027",
                              {"lines": NATIONAL_DAY_2027_LINES, "action": "preview"})
    still_unknown = (await client.get("/api/v1/holidays?year=2027")).json()["status"]
    saved = await post_form(client, "/staff/holidays/2027",
                            {"lines": NATIONAL_DAY_2027_LINES, "source": "测试", "action": "save"})
    client.app.state.public_cache.answers.clear()
    _, admin_page = await page(client, location(saved))
    _, calendar = await page(client, "/calendar?month=2027-10")

    assert preview.status_code == 200 and "共 9 天" in preview.text
    assert still_unknown == "unknown"  # a preview saves nothing
    assert "假日安排已保存" in text(admin_page.find(".//main"))
    assert "休" in cell(calendar, "td", "2027-10-01")
    assert "班" in cell(calendar, "td", "2027-10-09")
    assert not [p for p in by_class(calendar, "p", "holiday-note") if "未公布" in text(p)]


async def test_a_line_the_page_cannot_read_is_shown_back_with_its_number(
    client: Client, reference: None
) -> None:
    await log_in(client, "admin", Role.admin)
    await page(client, "/staff/holidays?year=2027")

    lines = "2027-10-01..2027-10-07 国庆节\n十月八日 班"
    response = await post_form(client, "/staff/holidays/2027", {"lines": lines, "action": "save"})

    assert response.status_code == 422
    assert "第2行看不懂" in response.text
    assert "十月八日 班" in response.text  # what was typed stays in the form


async def test_only_admins_reach_the_holiday_page(client: Client, reference: None) -> None:
    await log_in(client, "planner", Role.scheduler)

    response = await client.get("/staff/holidays")

    assert response.status_code == 403
    assert "无权录入和删除法定节假日安排" in response.text


async def test_the_home_page_says_holiday_in_the_national_day_week(
    client: Client, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": "国庆游园会", "category": "culture", "all_day": True,
        "start": "2026-10-03", "end": "2026-10-03", "status": "published",
        "allow_overlap": True})
    assert made.status_code == 201, made.text
    at(monkeypatch, client, "2026-09-29T10:00")

    _, tree = await page(client, "/")

    holiday = section(tree, "holiday-heading") or ""
    assert "国庆假期 10月1日–7日" in holiday
    assert "国庆游园会" in holiday
    assert section(tree, "weekend-heading") is None


async def test_the_home_page_says_this_weekend_in_an_ordinary_week(
    client: Client, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, client, "2026-10-13T10:00")

    _, tree = await page(client, "/")

    assert section(tree, "holiday-heading") is None
    assert "本周末" in (section(tree, "weekend-heading") or "")
