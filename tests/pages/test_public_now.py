"""Now and next: nights marked 进行中 / 今晚 / 今天 / 已结束 by the town's clock, and dates that
say their year when it is not the current one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bolin_events.routes.pages import public
from tests.conftest import Client
from tests.pages.public_helpers import NIGHT_MARKET, by_class, event_id, page, scheduler, text

TOWN = ZoneInfo("Asia/Shanghai")


def at(monkeypatch: pytest.MonkeyPatch, client: Client, local: str) -> None:
    """The pages' clock set to this town time; pages made at another moment are forgotten."""
    moment = datetime.fromisoformat(local).replace(tzinfo=TOWN).astimezone(UTC)
    monkeypatch.setattr(public, "utcnow", lambda: moment)
    client.app.state.public_cache.answers.clear()


def marks(item: Any) -> list[str]:
    return [text(tag) for tag in item.iter("strong") if "tag" in (tag.get("class") or "")]


def today_items(tree: Any) -> dict[str, list[str]]:
    """The home page's 今天 list: each night's title with its marks."""
    section = tree.find(".//section[@aria-labelledby='today-heading']")
    return {text(li.find(".//a")): marks(li) for li in by_class(section, "li", "night")}


def first_night(tree: Any) -> str:
    return text(by_class(tree, "li", "night-date")[0])


async def test_a_night_under_way_is_marked_on_now(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    at(monkeypatch, client, "2027-06-04T20:00")

    _, home = await page(client, "/")
    _, event = await page(client, f"/events/{market}")

    assert today_items(home)[NIGHT_MARKET] == ["进行中"]
    assert "6月4日 周五" in first_night(event) and "进行中" in first_night(event)


async def test_a_night_later_today_is_tonight_and_a_daytime_one_today(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": "午后讲座", "category": "lecture", "start": "2027-06-04T14:00",
        "end": "2027-06-04T16:00", "status": "published", "allow_overlap": True})
    assert response.status_code == 201, response.text
    market = await event_id(client, NIGHT_MARKET)
    at(monkeypatch, client, "2027-06-04T10:00")

    _, home = await page(client, "/")
    _, event = await page(client, f"/events/{market}")

    assert today_items(home) == {NIGHT_MARKET: ["今晚"], "午后讲座": ["今天"]}
    assert "今晚" in first_night(event)
    assert not marks(by_class(event, "li", "night-date")[1])  # tomorrow's: no mark


async def test_a_night_of_today_that_has_ended_is_marked_ended(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, client, "2027-06-04T23:00")

    _, home = await page(client, "/")

    assert today_items(home)[NIGHT_MARKET] == ["已结束"]


async def test_dates_of_another_year_say_their_year(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, client, "2026-11-20T09:00")
    _, before = await page(client, "/")
    at(monkeypatch, client, "2027-05-20T09:00")
    _, within = await page(client, "/")

    def coming(tree: Any) -> str:
        return text(tree.find(".//section[@aria-labelledby='coming-heading']"))

    assert "2027年6月4日 周五" in coming(before)
    assert "6月4日 周五" in coming(within) and "2027年" not in coming(within)


async def test_the_programme_page_says_a_weekly_series_in_one_line(
    client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    nights = (await client.get("/api/v1/occurrences", params={
        "start": "2027-06-05T00:00:00+08:00", "end": "2027-12-31T00:00:00+08:00",
        "category": "market", "limit": 200})).json()
    held = [n for n in nights if n["event_id"] == market and n["status"] != "cancelled"]
    at(monkeypatch, client, "2027-06-05T12:00")

    _, tree = await page(client, "/programmes/haixiaji-2027")
    series = tree.find(".//section[@aria-labelledby='series-heading']")
    lines = {text(li.find("a")): " ".join(text(li).split()) for li in by_class(series, "li",
                                                                                "night")}
    listed = text(tree.find(".//section[@aria-labelledby='nights-heading']"))

    assert lines[NIGHT_MARKET] == (
        f"每周五、六 19:00–22:30 {NIGHT_MARKET}，共{len(held)}场，下一场6月5日 今晚")
    assert series.find(f".//a[@href='/events/{market}']") is not None
    assert NIGHT_MARKET not in listed  # not night by night below
    assert "2027嗨夏季开幕式（演示）" in listed  # a single night stays in the day list
