"""The tally pages: opening a tally and an entrance, the clicker (with and without JavaScript),
the figures it polls, and closing after the confirm step."""

from __future__ import annotations

import re

import pytest

from bolin_events.models import Role
from tests.conftest import Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.pages.staff_helpers import location, post_form
from tests.tally.helpers import batch, held_night

pytestmark = pytest.mark.usefixtures("reference")  # villages, venues, categories


def page(night: str, tail: str = "") -> str:
    return f"/staff/nights/{night}/tally{tail}"


async def start(client: Client, night: str, name: str = "东门", split: bool = False) -> str:
    """Opens the tally at an entrance through the page form; the clicker's address."""
    await client.get(page(night))
    form = {"name": name, **({"split": "1"} if split else {})}
    return location(await post_form(client, page(night, "/entrances"), form))


async def test_a_scheduler_opens_the_tally_at_an_entrance_and_counts(client: Client) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    night = await held_night(client, headers)

    empty = await client.get(page(night))
    clicker = await start(client, night, split=True)
    shown = await client.get(clicker)

    assert empty.status_code == 200
    assert empty.headers["cache-control"] == "private, no-store"
    assert_good_page(empty.text)
    assert "开始计数" in empty.text and "分本地/外地" in empty.text
    assert re.fullmatch(rf"{page(night)}/\d+", clicker)
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "private, no-store"
    assert_good_page(shown.text)
    assert '<h1 class="clicker-name">东门</h1>' in shown.text
    assert "tally-dark" in shown.text
    assert [b for b in ("本地 +1", "外地 +1", ">+1<", ">+5<", ">−1<") if b not in shown.text] == []


async def test_without_javascript_a_press_posts_once_per_form(client: Client) -> None:
    night = await held_night(client, await make_user(client.app, "scheduler", Role.scheduler))
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])
    clicker = await start(client, night)
    key = re.search(r'name="key" value="([^"]+)"', (await client.get(clicker)).text)
    assert key is not None
    form = {"key": key.group(1), "press": "+5"}

    first = await post_form(client, f"{clicker}/press", form)
    again = await post_form(client, f"{clicker}/press", form)  # the same form sent twice
    at_zero = await post_form(client, f"{clicker}/press", {"key": "k-minus", "press": "-1"})
    shown = await client.get(clicker)
    overview = await client.get(page(night))

    assert location(first) == clicker and location(again) == clicker
    assert at_zero.status_code == 303  # 5 − 1
    assert '<strong data-mine>4</strong>' in shown.text
    assert '<strong data-total>4</strong>' in overview.text


async def test_the_script_counts_in_json_and_reads_json_refusals(client: Client) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    night = await held_night(client, headers)
    clicker = await start(client, night)
    token = {"X-CSRFToken": csrf(client)}

    counted = await client.post(f"{clicker}/batches", json=batch(2), headers=token)
    refused = await client.post(f"{clicker}/batches", json=batch(-3), headers=token)
    no_token = await client.post(f"{clicker}/batches", json=batch(1))
    figures = await client.get(page(night, ".json"))

    assert counted.status_code == 201
    assert (counted.json()["total"], counted.json()["counted"]) == (2, True)
    assert refused.status_code == 422
    assert refused.json()["message"] == "东门的人数不能少于 0（现有 2）；这一批没有计入。"
    assert no_token.status_code == 403
    assert no_token.json()["code"] == "forbidden"  # JSON the script reads, not a page
    assert figures.status_code == 200
    assert figures.headers["cache-control"] == "private, no-store"
    assert [(e["name"], e["count"]) for e in figures.json()["entrances"]] == [("东门", 2)]


async def test_closing_asks_to_confirm_then_files_the_report(client: Client) -> None:
    night = await held_night(client, await make_user(client.app, "scheduler", Role.scheduler))
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])
    clicker = await start(client, night)
    await client.post(f"{clicker}/batches", json=batch(12), headers={"X-CSRFToken": csrf(client)})

    confirm = await client.get(page(night, "?close=1"))
    closed = await post_form(client, page(night, "/close"))
    after = await client.get(location(closed))
    clicker_after = await client.get(clicker)

    assert "将上报本场人次：<strong>总人次 12</strong>，统计方式：计数器。" in confirm.text
    assert "入口计数：东门 12" in confirm.text
    assert location(closed) == page(night, "?done=closed")
    assert "已结束计数，已上报第 1 版，总人次 12（计数器）。" in after.text
    assert "本场计数已结束，如需更正请在人次上报中更正。" in after.text
    assert 'action="' + page(night, "/entrances") + '"' not in after.text
    assert clicker_after.text.count(" disabled>") == 3  # every button


async def test_closing_a_reported_night_asks_for_the_reason(client: Client) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    night = await held_night(client, headers)
    await client.post(f"/api/v1/occurrences/{night}/reports", json={"total": 50}, headers=headers)
    clicker = await start(client, night)
    await client.post(f"{clicker}/batches", json=batch(8), headers={"X-CSRFToken": csrf(client)})

    confirm = await client.get(page(night, "?close=1"))
    refused = await post_form(client, page(night, "/close"), {"reason": ""})
    closed = await post_form(client, page(night, "/close"), {"reason": "以计数器为准"})

    assert "该场次已上报第 1 版（总人次 50），这次将上报更正版。" in confirm.text
    assert 'name="reason"' in confirm.text
    assert refused.status_code == 422
    assert "请填写更正原因" in refused.text
    assert 'name="reason"' in refused.text  # the confirm step is shown again
    assert location(closed) == page(night, "?done=closed")


async def test_a_night_of_another_village_and_a_visitor_are_kept_out(client: Client) -> None:
    scheduler = await make_user(client.app, "scheduler", Role.scheduler)
    night = await held_night(client, scheduler)  # 东胜村

    visitor = await client.get(page(night))
    await log_in(client, "huagai-reporter", Role.reporter, ["huagai"])
    other = await client.get(page(night))
    figures = await client.get(page(night, ".json"))

    assert visitor.status_code == 303
    assert visitor.headers["location"].startswith("/staff/login")
    assert other.status_code == 403
    assert "东胜村" in other.text
    assert figures.status_code == 403
    assert figures.json()["code"] == "forbidden"


async def test_the_night_page_links_to_the_tally_and_the_worker_is_served(
    client: Client
) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    night = await held_night(client, headers)

    night_page = await client.get(f"/staff/occurrences/{night}")
    worker = await client.get("/staff/tally-sw.js")

    assert f'href="{page(night)}"' in night_page.text
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("application/javascript")
    assert "bolin-tally" in worker.text
