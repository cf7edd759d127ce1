"""One night of a series (skip, move, cancel, restore) and the dashboard."""

from __future__ import annotations

import pytest

from bolin_events.models import Role
from tests.conftest import Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import (
    WEEKLY_FORM,
    event_id_of,
    event_titled,
    location,
    nights_of,
    post_form,
)


@pytest.fixture
async def series(client: Client, seeded: None) -> int:
    """The weekly Friday/Saturday series, made through the form by a scheduler."""
    await log_in(client, "scheduler", Role.scheduler)
    return event_id_of(await post_form(client, "/staff/events/new", WEEKLY_FORM))


async def _first_week(client: Client, event_id: int) -> list[tuple[str, str]]:
    return await nights_of(client, event_id, "2027-06-01", "2027-06-07")


async def test_night_page_offers_every_change(client: Client, series: int) -> None:
    page = await client.get(f"/staff/occurrences/{series}-20270604T193000")

    assert page.status_code == 200
    assert_good_page(page.text)
    for action in ("cancel", "skip", "move"):
        assert f'action="/staff/occurrences/{series}-20270604T193000/{action}"' in page.text
    assert "/restore" not in page.text  # nothing to undo yet


async def test_cancel_one_night_with_a_reason(client: Client, series: int) -> None:
    response = await post_form(
        client, f"/staff/occurrences/{series}-20270604T193000/cancel", {"reason": "暴雨预警"}
    )

    assert location(response) == (
        f"/staff/events/{series}?done=cancel_night#night-{series}-20270604T193000")
    assert await _first_week(client, series) == [
        ("2027-06-04T19:30:00+08:00", "cancelled"),
        ("2027-06-05T19:30:00+08:00", "scheduled"),
    ]
    page = await client.get(location(response))
    assert "这一场已取消" in page.text
    assert '<s class="cancelled">2027-06-04 周五 19:30–21:30</s>' in page.text
    assert "暴雨预警" in page.text


async def test_cancel_needs_a_reason(client: Client, series: int) -> None:
    response = await post_form(client, f"/staff/occurrences/{series}-20270604T193000/cancel")

    assert response.status_code == 422
    assert_good_page(response.text)
    assert await _first_week(client, series) == [
        ("2027-06-04T19:30:00+08:00", "scheduled"),
        ("2027-06-05T19:30:00+08:00", "scheduled"),
    ]


async def test_skip_then_restore(client: Client, series: int) -> None:
    night = f"/staff/occurrences/{series}-20270605T193000"

    back = f"#night-{series}-20270605T193000"
    assert location(await post_form(client, f"{night}/skip")).endswith(f"?done=skip{back}")
    assert await _first_week(client, series) == [("2027-06-04T19:30:00+08:00", "scheduled")]
    assert "/restore" in (await client.get(night)).text

    assert location(await post_form(client, f"{night}/restore")).endswith(f"?done=restore{back}")
    assert len(await _first_week(client, series)) == 2


async def test_move_one_night_to_another_day_and_venue(client: Client, series: int) -> None:
    response = await post_form(client, f"/staff/occurrences/{series}-20270604T193000/move", {
        "start_date": "2027-06-06", "start_time": "18:00", "end_time": "20:00",
        "venue": "xingnong-centre", "reason": "因雨改期",
    })

    assert location(response).endswith(f"?done=move#night-{series}-20270604T193000")
    occurrences = (await client.get(
        "/api/v1/occurrences", params={"start": "2027-06-01", "end": "2027-06-07"}
    )).json()
    moved = next(o for o in occurrences if o["id"] == f"{series}-20270604T193000")
    assert (moved["start"], moved["end"], moved["status"], moved["venue"]["slug"]) == (
        "2027-06-06T18:00:00+08:00", "2027-06-06T20:00:00+08:00", "moved", "xingnong-centre"
    )
    page = await client.get(f"/staff/events/{series}")
    assert "原定 2027-06-04" in page.text


async def test_a_move_onto_a_busy_venue_warns_and_can_be_forced(
    client: Client, series: int
) -> None:
    fields = {"start_date": "2027-07-03", "start_time": "19:00", "end_time": "21:00",
              "venue": "qingqing-park"}
    night = f"/staff/occurrences/{series}-20270604T193000/move"

    warned = await post_form(client, night, fields)

    assert warned.status_code == 409
    assert_good_page(warned.text)
    assert "开幕式（演示）" in warned.text and "仍然保存" in warned.text
    assert 'value="2027-07-03"' in warned.text
    forced = await post_form(client, night, {**fields, "allow_overlap": "on"})
    assert location(forced).endswith(f"?done=move#night-{series}-20270604T193000")


async def test_restoring_into_a_busy_venue_warns_and_can_be_forced(
    client: Client, series: int
) -> None:
    night = f"/staff/occurrences/{series}-20270604T193000"
    await post_form(client, f"{night}/move",
                    {"start_date": "2027-06-06", "start_time": "19:30", "end_time": "21:30"})
    scheduler = await make_user(client.app, "scheduler-2", Role.scheduler)
    talk = await client.post("/api/v1/events", headers=scheduler, json={
        "title_zh": "电影沙龙", "category": "culture", "venue": "shahe-centre",
        "start": "2027-06-04T20:00", "end": "2027-06-04T21:00", "status": "published"})
    assert talk.status_code == 201, talk.text

    warned = await post_form(client, f"{night}/restore")

    assert warned.status_code == 409
    assert_good_page(warned.text)
    assert "电影沙龙" in warned.text and "仍然恢复" in warned.text
    assert "仍然保存" not in warned.text  # the warning sits with the restore form only
    forced = await post_form(client, f"{night}/restore", {"allow_overlap": "on"})
    assert location(forced).endswith(f"?done=restore#night-{series}-20270604T193000")
    assert (await _first_week(client, series))[0] == ("2027-06-04T19:30:00+08:00", "scheduled")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_date": "soon", "start_time": "18:00", "end_time": "20:00"}, "日期格式有误"),
        ({"start_date": "2027-06-06", "start_time": "", "end_time": "20:00"}, "请填写开始时间"),
        ({"start_date": "2027-06-06", "start_time": "18:00", "end_time": "20:00",
          "venue": "moon"}, "找不到场地"),
    ],
)
async def test_bad_move_is_a_4xx_page_and_nothing_moves(
    client: Client, series: int, fields: dict[str, str], message: str
) -> None:
    response = await post_form(
        client, f"/staff/occurrences/{series}-20270604T193000/move", fields
    )

    assert response.status_code in (422, 404)
    assert message in response.text
    assert_good_page(response.text)
    assert (await _first_week(client, series))[0] == ("2027-06-04T19:30:00+08:00", "scheduled")


async def test_a_single_event_has_no_nights_to_change(
    client: Client, seeded: None
) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    opening = await event_titled(client, headers, "2027嗨夏季开幕式（演示）")

    response = await post_form(
        client, f"/staff/occurrences/{opening['id']}-20270703T193000/skip"
    )

    assert response.status_code == 409
    assert "这是单次活动" in response.text
    assert_good_page(response.text)


async def test_unknown_night_action_is_404(client: Client, series: int) -> None:
    response = await post_form(client, f"/staff/occurrences/{series}-20270604T193000/explode")

    assert response.status_code == 404
    assert "找不到操作：explode" in response.text
    assert await _first_week(client, series) == [
        ("2027-06-04T19:30:00+08:00", "scheduled"), ("2027-06-05T19:30:00+08:00", "scheduled")]


async def test_reporter_may_not_change_nights(client: Client, series: int) -> None:
    await log_in(client, "reporter", Role.reporter, ["shahe"])

    response = await post_form(client, f"/staff/occurrences/{series}-20270604T193000/skip")

    assert response.status_code == 403
    assert len(await _first_week(client, series)) == 2


async def test_event_page_lists_past_nights_with_report_links(
    client: Client, seeded: None
) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    market = await event_titled(client, headers, "东胜银杏夜市·秋季（演示）")

    page = await client.get(f"/staff/events/{market['id']}")

    assert_good_page(page.text)
    assert "已经过去" in page.text
    assert f'href="/staff/attendance/{market["id"]}-20261003T190000"' in page.text
    assert '<s class="cancelled">2026-11-07 周六 19:00–22:00</s>' in page.text


async def test_dashboard_for_a_scheduler(client: Client, series: int) -> None:
    page = await client.get("/staff")

    assert page.status_code == 200
    assert_good_page(page.text)
    assert "待上报人次" in page.text
    assert "东胜银杏夜市·秋季（演示）" in page.text  # a demo night still to report
    assert "最近修改" in page.text
    assert f'<a href="/staff/events/{series}">沙河村周末电影放映</a>' in page.text


async def test_dashboard_for_a_reporter_shows_only_their_villages(
    client: Client, seeded: None
) -> None:
    await log_in(client, "reporter", Role.reporter, ["xingnong"])

    page = await client.get("/staff")

    assert_good_page(page.text)
    assert "法治宣传进村·秋（演示）" in page.text  # held at Xingnong, not reported
    assert "东胜银杏夜市·秋季（演示）" not in page.text
    assert "最近修改" not in page.text
    assert "/staff/events/" not in page.text
