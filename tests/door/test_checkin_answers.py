"""What the door is told for every code it types or scans (POST …/check-ins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bolin_events.models import SignupState
from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.door.helpers import check_ins_url, sign_up, tonight


@pytest.fixture
async def night(client: Client, staff: Staff) -> str:
    return await tonight(client, staff.scheduler)


async def door(client: Client, staff: Staff, night: str, code: str, key: str = "key-0001",
               **extra: Any) -> Any:
    return await client.post(check_ins_url(night), headers=staff.admin,
                             json={"code": code, "key": key, **extra})


async def test_a_confirmed_code_checks_in_its_whole_party(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=3)

    answer = await door(client, staff, night, "K7M3QX", door="东门")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["ok"], body["message"], body["people"], body["name"]) == (
        True, "已签到 3人", 3, "王*")
    assert (body["door"], body["replayed"]) == ("东门", False)
    assert (body["night_checked_in"], body["night_registered"]) == (3, 3)


async def test_part_of_a_party_checks_in_and_the_figures_count_those_who_came(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "FAM004", party=4)

    answer = await door(client, staff, night, "FAM004", people=2)
    listed = (await client.get(check_ins_url(night), headers=staff.admin)).json()

    assert answer.json()["message"] == "已签到 2人"
    assert listed["figures"]["checked_in"] == 2 and listed["figures"]["registered"] == 4


@pytest.mark.parametrize("typed", ["k7m3qx", " K7M-3QX ", "BOLIN:K7M3QX", "ｋ７ｍ３ｑｘ",
                                   "bolin:k7m 3qx"])
async def test_the_code_is_read_however_it_was_typed_or_scanned(
        client: Client, staff: Staff, night: str, typed: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    answer = await door(client, staff, night, typed)

    assert (answer.status_code, answer.json()["code"]) == (200, "K7M3QX")


async def test_the_same_check_in_sent_again_gets_the_first_answer(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=2)

    first = await door(client, staff, night, "K7M3QX", key="queued-retry-1", door="东门")
    again = await door(client, staff, night, "K7M3QX", key="queued-retry-1", door="东门")

    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert {k: v for k, v in again.json().items() if k != "replayed"} == {
        k: v for k, v in first.json().items() if k != "replayed"}
    assert again.json()["night_checked_in"] == 2  # counted once


async def test_a_second_check_in_of_one_code_says_when_and_where_it_was_done(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=3)
    first = await door(client, staff, night, "K7M3QX", key="door-east-1", door="东门")

    again = await door(client, staff, night, "K7M3QX", key="door-west-1", door="西门")

    at = first.json()["checked_in_at"]
    assert again.status_code == 409
    clock = datetime.fromisoformat(at).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    assert problem(again)["message"] == f"已签到过（{clock}，东门），3人。"


async def test_an_unknown_code_is_not_found(client: Client, staff: Staff, night: str) -> None:
    answer = await door(client, staff, night, "ZZZZ99")

    assert answer.status_code == 404
    assert problem(answer)["message"] == "没有这个签到码（ZZZZ99），请核对。"


async def test_a_code_of_another_night_names_that_night(
        client: Client, staff: Staff, night: str) -> None:
    other = await tonight(client, staff.scheduler, hour=14, title_zh="嘉悦农场研学日")
    await sign_up(client.app.state.sessionmaker, other, "OTHER1")

    answer = await door(client, staff, night, "OTHER1")

    assert answer.status_code == 409
    body = problem(answer)
    assert body["message"].startswith("这是 ") and body["message"].endswith(
        " 14:00《嘉悦农场研学日》的报名，不是本场。")
    assert body["details"][0]["night"] == other


async def test_a_cancelled_sign_up_does_not_check_in(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "GONE01", state=SignupState.cancelled)

    answer = await door(client, staff, night, "GONE01")

    assert answer.status_code == 409
    assert problem(answer)["message"] == "这份报名已取消，不能签到。"


async def test_a_waitlisted_sign_up_has_no_place_yet(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "WAIT01", state=SignupState.waitlisted)

    answer = await door(client, staff, night, "WAIT01")

    assert answer.status_code == 409
    assert problem(answer)["message"].startswith("候补中，未确认名额")


async def test_more_people_than_the_party_is_refused(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "PAIR02", party=2)

    answer = await door(client, staff, night, "PAIR02", people=3)
    after = await door(client, staff, night, "PAIR02", key="key-0002")

    assert answer.status_code == 422
    assert problem(answer)["message"] == "这份报名只有 2人，不能签到 3人。"
    assert after.json()["message"] == "已签到 2人"  # the refusal left it to check in


async def test_a_sign_up_whose_personal_data_is_gone_still_checks_in(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "OLD001", party=2, purged=True)

    answer = await door(client, staff, night, "OLD001")

    assert answer.status_code == 200
    assert (answer.json()["message"], answer.json()["name"]) == ("已签到 2人", None)


async def test_an_empty_code_is_asked_for(client: Client, staff: Staff, night: str) -> None:
    answer = await door(client, staff, night, " - ")

    assert answer.status_code == 422
    assert problem(answer)["message"] == "请输入签到码。"


@pytest.mark.parametrize("body", [{"code": "K7M3QX"}, {"code": "K7M3QX", "key": "short"},
                                  {"code": "K7M3QX", "key": "key-0001", "people": 0}])
async def test_a_check_in_without_a_usable_key_or_count_is_refused_as_invalid(
        client: Client, staff: Staff, night: str, body: dict[str, Any]) -> None:
    answer = await client.post(check_ins_url(night), headers=staff.admin, json=body)

    assert answer.status_code == 422
    assert problem(answer)["message"].startswith("请求有误")


async def test_a_cancelled_night_has_no_door(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=3")
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")
    cancelled = await client.post(f"/api/v1/occurrences/{night}/cancel",
                                  headers=staff.scheduler, json={"reason": "暴雨"})
    assert cancelled.status_code == 200, cancelled.text

    answer = await door(client, staff, night, "K7M3QX")

    assert answer.status_code == 409
    assert problem(answer)["message"] == "不能签到：该场次已取消（暴雨）。"


async def test_a_draft_event_has_no_door(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, status="draft")
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    answer = await door(client, staff, night, "K7M3QX")

    assert answer.status_code == 409
    assert problem(answer)["message"] == "不能签到：活动尚未发布。"


async def test_an_unknown_night_is_not_found(client: Client, staff: Staff) -> None:
    answer = await door(client, staff, "999999-20270101T190000", "K7M3QX")

    assert answer.status_code == 404
    assert problem(answer)["message"].startswith("找不到场次")


async def test_a_check_in_is_in_the_audit_trail_without_the_name_and_a_replay_is_not(
        client: Client, staff: Staff, night: str) -> None:
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=3, name="王小明")
    await door(client, staff, night, "K7M3QX", door="东门")
    await door(client, staff, night, "K7M3QX", door="东门")  # the same key: a replay

    trail = await client.get("/api/v1/audit", headers=staff.admin,
                             params={"object_type": "registration"})

    entries = trail.json()["items"]
    assert [(e["username"], e["label"], e["changes"], e["via"]) for e in entries] == [
        ("admin", "K7M3QX", {"checked_in_people": [None, 3], "checked_in_door": [None, "东门"]},
         "api")]
    assert "王" not in trail.text
