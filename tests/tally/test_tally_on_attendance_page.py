"""The night's attendance page shows what its gates counted, and leads to the door and gates."""

from __future__ import annotations

import pytest

from bolin_events.models import Role
from tests.conftest import Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.tally.helpers import count, entrance, held_night, tally_url

pytestmark = pytest.mark.usefixtures("reference")


async def test_the_attendance_page_shows_each_entrance_and_the_total(client: Client) -> None:
    night = await held_night(client, await make_user(client.app, "planner", Role.scheduler))
    headers = await log_in(client, "reporter", Role.reporter, ["dongsheng"])
    before = await client.get(f"/staff/attendance/{night}")
    east = await entrance(client, headers, night, "东门")
    south = await entrance(client, headers, night, "南门")
    await count(client, headers, night, east, 5, 5)
    await count(client, headers, night, south, 1, 1, 1)
    counting = await client.get(f"/staff/attendance/{night}")
    await client.post(tally_url(night, "/close"), json={}, headers=headers)
    closed = await client.get(f"/staff/attendance/{night}")

    assert before.status_code == 200
    assert "入口计数 · " not in before.text  # no tally yet: no section
    assert f'href="/staff/nights/{night}/check-in"' in before.text
    assert f'href="/staff/nights/{night}/tally"' in before.text
    assert "入口计数 · 计数中" in counting.text
    assert_good_page(closed.text)
    assert "入口计数 · 已结束" in closed.text
    assert "全场合计 13 人" in closed.text
    assert "<li>东门 10</li>" in closed.text and "<li>南门 3</li>" in closed.text


async def test_a_reporter_of_another_village_sees_no_counts(client: Client) -> None:
    scheduler = await log_in(client, "scheduler", Role.scheduler)
    night = await held_night(client, scheduler)
    gate = await entrance(client, scheduler, night, "东门")
    await count(client, scheduler, night, gate, 5)
    await log_in(client, "elsewhere", Role.reporter, ["huagai"])

    page = await client.get(f"/staff/attendance/{night}")

    assert page.status_code == 403
    assert "全场合计" not in page.text
    assert "/check-in" not in page.text
