"""The home page: today, this weekend, coming up, and its filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bolin_events.web.public_views import weekend_of
from tests.conftest import Client
from tests.pages.public_helpers import NIGHT_MARKET, by_class, page, scheduler, text


def section(tree: object, heading_id: str) -> str:
    """The text of the home page section that the heading with this id starts."""
    for el in tree.iter("section"):  # type: ignore[attr-defined]
        if el.get("aria-labelledby") == heading_id:
            return text(el)
    raise AssertionError(f"no section {heading_id}")


async def test_home_lists_the_demo_season_as_coming_up(client: Client, seeded: None) -> None:
    html, tree = await page(client, "/")

    coming = section(tree, "coming-heading")
    assert NIGHT_MARKET in coming
    assert "法治宣传进村（演示）" in coming
    assert "6月4日 周五" in coming  # grouped by day, in the town's own words
    assert '<a href="/calendar" aria-current="page">' not in html  # home is not the calendar


async def test_home_shows_an_event_held_today_under_today(client: Client, seeded: None) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    response = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": "今天的农耕体验", "category": "farming", "venue": "jiayue-farm",
        "all_day": True, "start": today, "end": today, "status": "published",
        "allow_overlap": True})
    assert response.status_code == 201, response.text

    _, tree = await page(client, "/")

    assert "今天的农耕体验" in section(tree, "today-heading")
    assert "今天的农耕体验" not in section(tree, "coming-heading")


async def test_home_filter_by_category_keeps_only_that_category(
    client: Client, seeded: None
) -> None:
    html, tree = await page(client, "/?category=sports")

    coming = section(tree, "coming-heading")
    assert '“云岭翠湖”杯 决赛（演示）' in coming
    assert NIGHT_MARKET not in coming
    assert '<option value="sports" selected>' in html  # the choice stays in the form
    assert 'href="/events?category=sports"' in html  # and in the links onward


async def test_home_filter_by_village(client: Client, seeded: None) -> None:
    _, tree = await page(client, "/?village=xingnong")

    coming = section(tree, "coming-heading")
    assert "法治宣传进村（演示）" in coming
    assert NIGHT_MARKET not in coming


async def test_home_filter_with_nothing_left_says_so_kindly(client: Client, seeded: None) -> None:
    _, tree = await page(client, "/?village=fuxing")

    assert by_class(tree, "p", "empty")
    assert "暂时没有更多活动安排" in section(tree, "coming-heading")


async def test_home_unknown_village_is_a_404_page_naming_it(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/?village=atlantis", status=404)

    assert "找不到村「atlantis」" in html
    assert "dongsheng" in html  # the message lists the villages there are


@pytest.mark.parametrize(("today", "weekend"), [
    (date(2027, 6, 2), (date(2027, 6, 5), date(2027, 6, 6))),  # a Wednesday: the coming one
    (date(2027, 6, 5), (date(2027, 6, 5), date(2027, 6, 6))),  # a Saturday: this one
    (date(2027, 6, 6), (date(2027, 6, 12), date(2027, 6, 13))),  # a Sunday: today is "today"
])
def test_this_weekend_is_the_coming_saturday_and_sunday(
    today: date, weekend: tuple[date, date]
) -> None:
    assert weekend_of(today) == weekend


@pytest.mark.parametrize("path", ["/", "/events"])
async def test_home_and_list_pages_have_a_search_box(
    client: Client, seeded: None, path: str
) -> None:
    _, tree = await page(client, path)
    forms = [f for f in tree.iter("form") if f.get("action") == "/search"]
    box = forms[0].find(".//input[@name='q']")
    label = forms[0].find(f".//label[@for='{box.get('id')}']")

    assert forms[0].get("method") == "get"
    assert text(label) == "搜索活动" and "夜市" in box.get("placeholder")
