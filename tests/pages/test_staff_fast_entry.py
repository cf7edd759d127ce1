"""Fast entry in the event editor: 复制为新活动 and 保存并新建 (a run of similar events, each
after the first asking only its title and date)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.browser_form import form_with_action, sent_values
from tests.pages.login import log_in
from tests.pages.staff_helpers import FormData, event_id_of, location, nights_of, post_form

NEW = "/staff/events/new"
# The first of a summer's Saturday evenings of legal-awareness films at the farm.
FIRST: FormData = {
    "title_zh": "法治电影进农场", "category": "legal", "venue": "jiayue-farm",
    "organizer": "culture-station", "programme": "legal-awareness",
    "start_date": "2027-06-05", "start_time": "19:30", "end_time": "21:00",
    "repeat": "none", "status": "published", "price": "免费",
}


@pytest.fixture
async def scheduler(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


async def _events(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/events", headers=headers, params={
        "status": "draft,published,cancelled,postponed", "limit": 500})
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_save_and_new_keeps_the_run_and_asks_only_title_and_date(
    client: Client, scheduler: dict[str, str]
) -> None:
    first = await post_form(client, NEW, {**FIRST, "then": "new"})
    address = location(first)
    assert address.startswith(f"{NEW}?again=")

    for week in range(1, 10):  # nine more Saturdays: type the title, set the date, click
        tree = assert_good_page((await client.get(address)).text)
        unchanged = sent_values(form_with_action(tree, NEW))
        typed = {"title_zh": f"法治电影进农场（第{week + 1}场）",
                 "start_date": (date(2027, 6, 5) + timedelta(weeks=week)).isoformat()}
        response = await post_form(client, NEW, {**unchanged, **typed, "then": "new"})
        address = location(response)
        assert address.startswith(f"{NEW}?again=")

    made = [e for e in await _events(client, scheduler) if e["title_zh"].startswith("法治电影")]
    assert len(made) == 10
    assert {(e["venue"]["slug"], e["category"]["slug"], e["organizer"]["slug"],
             e["programme"]["slug"], e["status"], e["start"][11:16], e["end"][11:16])
            for e in made} == {("jiayue-farm", "legal", "culture-station", "legal-awareness",
                                "published", "19:30", "21:00")}
    assert len({e["start"][:10] for e in made}) == 10


async def test_save_and_new_says_what_was_saved_and_waits_for_a_date(
    client: Client, scheduler: dict[str, str]
) -> None:
    saved = await post_form(client, NEW, {**FIRST, "then": "new"})

    page = await client.get(location(saved))

    tree = assert_good_page(page.text)
    assert "已保存「" in page.text and "法治电影进农场" in page.text
    values = sent_values(form_with_action(tree, NEW))
    assert (values["title_zh"], values["start_date"], values["price"]) == ("", "", "")
    assert (values["venue"], values["start_time"], values["end_time"], values["status"]) == (
        "jiayue-farm", "19:30", "21:00", "published")
    date_field = next(i for i in tree.iter("input") if i.get("name") == "start_date")
    assert date_field.get("autofocus") is not None
    buttons = ["".join(b.itertext()).strip() for b in tree.iter("button")]
    assert "保存并新建" in buttons and "保存" in buttons
    english = await client.get(f"{location(saved)}&lang=en")
    assert "Save and add another" in english.text and "Saved" in english.text


async def test_plain_save_still_opens_the_new_event(
    client: Client, scheduler: dict[str, str]
) -> None:
    response = await post_form(client, NEW, FIRST)

    assert location(response) == f"/staff/events/{event_id_of(response)}?done=created"


async def test_copy_as_a_new_event_fills_the_form_with_the_event(
    client: Client, scheduler: dict[str, str]
) -> None:
    series = {**FIRST, "repeat": "weekly", "byday": ["SA"], "ends": "count", "count": "4",
              "description_zh": "露天放映，自带板凳。"}
    original = event_id_of(await post_form(client, NEW, series))
    event_page = await client.get(f"/staff/events/{original}")
    assert f'href="{NEW}?copy={original}"' in event_page.text and "复制为新活动" in event_page.text

    page = await client.get(f"{NEW}?copy={original}")

    tree = assert_good_page(page.text)
    assert "复制自「" in page.text
    values = sent_values(form_with_action(tree, NEW))
    assert (values["title_zh"], values["venue"], values["start_date"], values["start_time"],
            values["repeat"], values["byday"], values["count"], values["description_zh"]) == (
        "法治电影进农场", "jiayue-farm", "2027-06-05", "19:30", "weekly", ["SA"], "4",
        "露天放映，自带板凳。")
    assert values["status"] == "draft"  # a copy is a draft unless the form says publish
    copy = event_id_of(await post_form(client, NEW, {**values, "start_date": "2027-07-03"}))
    assert [n[0][:10] for n in await nights_of(client, original, "2027-06-01", "2027-09-01")] == [
        "2027-06-05", "2027-06-12", "2027-06-19", "2027-06-26"]
    made = (await client.get(f"/api/v1/events/{copy}", headers=scheduler)).json()
    assert (made["title_zh"], made["status"], made["rrule"]) == (
        "法治电影进农场", "draft", "FREQ=WEEKLY;BYDAY=SA;COUNT=4")


async def test_the_events_list_offers_a_copy_of_each_event(
    client: Client, scheduler: dict[str, str]
) -> None:
    original = event_id_of(await post_form(client, NEW, FIRST))

    page = await client.get("/staff/events")

    assert_good_page(page.text)
    assert f'href="{NEW}?copy={original}"' in page.text


@pytest.mark.parametrize("query", ["copy=999999", "copy=abc", "again=%00", "again=-1",
                                   "copy=99999999999999999999"])
async def test_copying_what_is_not_there_is_a_404_page(
    client: Client, scheduler: dict[str, str], query: str
) -> None:
    response = await client.get(f"{NEW}?{query}")

    assert response.status_code == 404
    assert_good_page(response.text)
    assert "找不到活动" in response.text
