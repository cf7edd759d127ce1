"""The baselines page: last year's totals entered by hand, and the review's 同比 from them."""

from __future__ import annotations

import pytest

from bolin_events.models import Role
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.pages.test_reports_pages import review_box
from tests.reports.helpers import get_json, report_all, season, spread

PAGE = "/staff/reports/baselines"


@pytest.fixture
async def scheduler(client: Client, staff: Staff) -> dict[str, str]:
    return await log_in(client, "planner", Role.scheduler)


async def test_a_baseline_entered_on_the_page_gives_the_review_its_yoy(
    client: Client, staff: Staff, scheduler: dict[str, str]
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-04-01T19:00", nights=27)
    await report_all(client, staff.admin, nights, spread(5_316, 27))
    page = await client.get(PAGE, params={"year": "2024"})
    assert page.status_code == 200
    assert_good_page(page.text)
    assert "2024年基数" in page.text and "文化活动" in page.text and "法治宣传" in page.text

    saved = await client.post(f"{PAGE}/2024/culture", data={
        "sessions": "25", "people": "5000", "note": "2024年文化工作总结",
        "_csrf_token": csrf(client)})
    after = await client.get(PAGE, params={"year": "2024"})
    reports = await client.get("/staff/reports", params={"year": "2025"})
    review = await get_json(client, staff.admin, "review", period="2025")

    assert saved.status_code == 303
    assert 'value="2024年文化工作总结"' in after.text
    assert review["paragraph"].endswith("惠及群众5000余人，同比增长6.3%。")
    assert review["paragraph"] in reports.text
    assert 'data-copy="review-text"' in reports.text  # the copy button beside it


async def test_a_bad_baseline_is_said_on_the_page_and_nothing_is_kept(
    client: Client, staff: Staff, scheduler: dict[str, str]
) -> None:
    await client.get(PAGE, params={"year": "2024"})

    refused = await client.post(f"{PAGE}/2024/culture", data={
        "sessions": "二十五", "people": "5000", "note": "总结", "_csrf_token": csrf(client)})
    listed = await get_json(client, staff.admin, "baselines", year=2024)

    assert refused.status_code == 422
    assert_good_page(refused.text)
    assert 'value="二十五"' in refused.text  # what was typed is kept to correct
    assert listed == []


async def test_a_small_base_is_explained_on_the_reports_page(
    client: Client, staff: Staff, scheduler: dict[str, str]
) -> None:
    _, before = await season(client, staff.scheduler, "2024-04-01T19:00", nights=3)
    _, now = await season(client, staff.scheduler, "2025-04-01T19:00", nights=12)
    await report_all(client, staff.admin, before + now, [50, 50, 61] + [100] * 12)

    reports = await client.get("/staff/reports", params={"year": "2025"})

    assert "同比" not in review_box(reports.text)
    assert "文化活动上年只有3场次（不足10场次），同比没有意义，未写入。" in reports.text
