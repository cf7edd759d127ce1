"""What a visitor is refused, and told so in words they can act on — with nothing written:
the caps per phone number and per network address, the party, the sign-up window, a night
or event that will not take place, phone numbers, names and answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.attendance.helpers import evening, make_event
from tests.conftest import Client, Staff
from tests.signups.helpers import (
    event_plan_url,
    list_url,
    night_with_plan,
    sign_up,
    signups_url,
    token_of,
)


@asynccontextmanager
async def visitor_at(client: Client, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client calling the app from ``address``."""
    transport = httpx.ASGITransport(app=client.app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        yield other


async def rows(client: Client, staff: Staff, night: str) -> int:
    listed = await client.get(list_url(night), headers=staff.scheduler)
    return len(listed.json())


async def test_cap_per_phone_counts_the_number_however_it_is_written(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    assert (await sign_up(client, night, phone="13812345678")).status_code == 201

    again = await sign_up(client, night, 2, phone="+86 138-1234-5678")

    assert again.status_code == 409
    assert again.json()["message"] == (
        "这个手机号已为本场报名 1 次，每个号码最多 1 次。如要更改人数，请先取消原报名再重新报名。")
    assert again.json()["details"] == [{"field": "phone", "limit": 1}]
    assert await rows(client, staff, night) == 1


async def test_cap_per_phone_is_per_night(client: Client, staff: Staff) -> None:
    event_id, first = await night_with_plan(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=2")
    second = f"{event_id}-{evening(4):%Y%m%dT%H%M%S}"
    await sign_up(client, first, 1)

    other_night = await sign_up(client, second, 1)

    assert other_night.status_code == 201


async def test_cap_per_address_counts_every_sign_up_even_cancelled(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, per_address=2)
    async with visitor_at(client, "10.1.1.1") as churner, visitor_at(client, "10.2.2.2") as other:
        for n in range(2):  # sign up and cancel, again and again
            made = await sign_up(churner, night, n)
            await churner.post(f"/api/v1/signups/{token_of(made)}/cancel")

        refused = await sign_up(churner, night, 5)
        elsewhere = await sign_up(other, night, 6)

    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "同一网络本场已报名 2 次，达到上限（2 次）。如需为更多人报名，请联系文化站。")
    assert elsewhere.status_code == 201
    assert await rows(client, staff, night) == 3


async def test_party_over_the_plan_is_422(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, max_party=3)

    refused = await sign_up(client, night, party=4)
    one = await night_with_plan(client, staff.scheduler, days_from_now=5)
    single = await sign_up(client, one[1], party=2)

    assert (refused.status_code, refused.json()["message"]) == (
        422, "每份报名最多 3 人（含本人）。")
    assert (single.status_code, single.json()["message"]) == (422, "本场每份报名只限 1 人。")
    assert await rows(client, staff, night) == 0


async def test_window_before_opening_says_when_it_opens(client: Client, staff: Staff) -> None:
    opens = evening(2, hour=9)
    _, night = await night_with_plan(client, staff.scheduler,
                                     opens_at=opens.replace(tzinfo=None).isoformat())

    early = await sign_up(client, night)
    shown = (await client.get(signups_url(night))).json()

    expected = f"报名 {opens.month}月{opens.day}日 09:00 开始。"
    assert (early.status_code, early.json()["message"]) == (409, expected)
    assert (shown["open"], shown["why_not"]) == (False, expected)
    assert await rows(client, staff, night) == 0


async def test_window_after_the_night_started_is_closed(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, days_from_now=-1)

    late = await sign_up(client, night)

    assert (late.status_code, late.json()["message"]) == (409, "报名已截止。")
    assert await rows(client, staff, night) == 0


async def test_cancelled_night_takes_no_sign_ups_and_says_why(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=2")
    cancelled = await client.post(f"/api/v1/occurrences/{night}/cancel",
                                  json={"reason": "暴雨预警"}, headers=staff.scheduler)
    assert cancelled.status_code == 200, cancelled.text

    refused = await sign_up(client, night)

    assert (refused.status_code, refused.json()["message"]) == (
        409, "不能报名：该场次已取消（暴雨预警）。")


async def test_cancelled_event_takes_no_sign_ups(client: Client, staff: Staff) -> None:
    event_id, night = await night_with_plan(client, staff.scheduler)
    cancelled = await client.post(f"/api/v1/events/{event_id}/cancel",
                                  json={"reason": "场地维修"}, headers=staff.scheduler)
    assert cancelled.status_code == 200, cancelled.text

    refused = await sign_up(client, night)

    assert (refused.status_code, refused.json()["message"]) == (
        409, "不能报名：活动已取消（场地维修）。")


async def test_draft_event_is_not_there_for_visitors(client: Client, staff: Staff) -> None:
    event_id, night = await make_event(client, staff.scheduler, days_from_now=3,
                                       status="draft")
    await client.put(event_plan_url(event_id), json={"places": 5}, headers=staff.scheduler)

    refused = await sign_up(client, night)
    shown = await client.get(signups_url(night))

    assert (refused.status_code, shown.status_code) == (404, 404)
    assert refused.json()["message"] == f"找不到场次「{night}」。"


@pytest.mark.parametrize("written", ["138 1234 5678", "138-1234-5678", "+86 13812345678",
                                     "8613812345678", "13812345678"])
async def test_phone_in_the_ways_people_write_it_is_one_number(
        client: Client, staff: Staff, written: str) -> None:
    _, night = await night_with_plan(client, staff.scheduler)

    made = await sign_up(client, night, phone=written)

    assert (made.status_code, made.json()["phone_masked"]) == (201, "138****5678")


@pytest.mark.parametrize("written", ["12345678901", "1381234567", "138123456789",
                                     "+1 415 555 0100", "138 abcd 5678", "023-6123-4567"])
async def test_phone_not_a_mainland_mobile_is_422_saying_what_is_expected(
        client: Client, staff: Staff, written: str) -> None:
    _, night = await night_with_plan(client, staff.scheduler)

    refused = await sign_up(client, night, phone=written)

    assert refused.status_code == 422
    assert refused.json()["message"] == (
        "手机号应为 11 位中国大陆手机号码，以 1 开头，例如 138 1234 5678。")
    assert refused.json()["details"] == [{"field": "phone"}]
    assert await rows(client, staff, night) == 0


async def test_phone_missing_when_asked_is_422(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)

    refused = await client.post(signups_url(night), json={"name": "小王"})

    assert (refused.status_code, refused.json()["message"]) == (
        422, "请填写手机号（用于确认报名和签到）。")


async def test_phone_not_asked_is_not_kept(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, ask_phone=False)

    made = await client.post(signups_url(night), json={"name": "小王", "phone": "13812345678"})

    assert (made.status_code, made.json()["phone_masked"]) == (201, None)


@pytest.mark.parametrize("name", ["   ", "\u0007", "字" * 41])
async def test_name_blank_or_too_long_is_422(client: Client, staff: Staff, name: str) -> None:
    _, night = await night_with_plan(client, staff.scheduler)

    refused = await sign_up(client, night, name=name)

    assert refused.status_code == 422
    assert "name" in refused.text


async def test_answers_are_optional_and_kept_for_staff(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, max_party=3,
                                     questions=["孩子年龄", "是否需要接送"])

    none = await sign_up(client, night, 1)
    some = await sign_up(client, night, 2, answers=["8岁", ""])
    listed = (await client.get(list_url(night), headers=staff.scheduler)).json()

    assert (none.status_code, some.status_code) == (201, 201)
    assert [r["answers"] for r in listed] == [[], ["8岁", ""]]


@pytest.mark.parametrize(("answers", "message"), [
    (["a", "b", "c"], "回答多于问题：本场只问 2 个问题。"),
    (["字" * 201], "第 1 个回答太长（最多 200 字）。"),
])
async def test_answers_beyond_the_questions_are_422(
        client: Client, staff: Staff, answers: list[str], message: str) -> None:
    _, night = await night_with_plan(client, staff.scheduler, questions=["孩子年龄", "接送"])

    refused = await sign_up(client, night, answers=answers)

    assert (refused.status_code, refused.json()["message"]) == (422, message)
    assert await rows(client, staff, night) == 0


async def test_night_without_a_plan_takes_no_sign_ups(client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=3)

    refused = await sign_up(client, night)

    assert (refused.status_code, refused.json()["message"]) == (
        404, "该场次不需要报名，直接前往即可。")
