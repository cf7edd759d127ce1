"""Who may work a door, and what the night's code list (for answering offline) gives away."""

from __future__ import annotations

import pytest

from bolin_events.models import SignupState
from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.door.helpers import HUAGAI, check_ins_url, sign_up, tonight

CHECK_IN = {"code": "K7M3QX", "key": "key-0001"}


async def test_nobody_logged_out_checks_anyone_in(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    posted = await client.post(check_ins_url(night), json=CHECK_IN)
    listed = await client.get(check_ins_url(night))

    assert (posted.status_code, listed.status_code) == (401, 401)
    assert problem(posted)["message"].startswith("请先登录")


async def test_a_reporter_works_the_doors_of_their_own_village(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)  # 东胜村, the reporter's
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    answer = await client.post(check_ins_url(night), headers=staff.reporter, json=CHECK_IN)

    assert (answer.status_code, answer.json()["message"]) == (200, "已签到 1人")


async def test_a_reporter_of_another_village_is_refused_and_nothing_is_checked_in(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, venue=HUAGAI)
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    posted = await client.post(check_ins_url(night), headers=staff.reporter, json=CHECK_IN)
    listed = await client.get(check_ins_url(night), headers=staff.reporter)
    after = (await client.get(check_ins_url(night), headers=staff.admin)).json()

    assert (posted.status_code, listed.status_code) == (403, 403)
    assert problem(posted)["message"].startswith("您只能为本村（东胜村）的场次")
    assert after["codes"][0]["checked_in"] is False


@pytest.mark.parametrize("who", ["admin", "scheduler"])
async def test_schedulers_and_admins_work_every_door(
        client: Client, staff: Staff, who: str) -> None:
    night = await tonight(client, staff.scheduler, venue=HUAGAI)
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX")

    answer = await client.post(check_ins_url(night), headers=getattr(staff, who), json=CHECK_IN)

    assert answer.status_code == 200
    assert answer.json()["message"] == "已签到 1人"


async def test_the_code_list_has_codes_parties_and_initials_but_no_phone_numbers(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)
    sessions = client.app.state.sessionmaker
    await sign_up(sessions, night, "AAAA11", party=3, name="王小明", phone="13812341234")
    await sign_up(sessions, night, "BBBB22", name="李", phone="13999998888")
    await sign_up(sessions, night, "CCCC33", purged=True)
    await client.post(check_ins_url(night), headers=staff.admin,
                      json={"code": "BBBB22", "key": "key-0002"})

    answer = await client.get(check_ins_url(night), headers=staff.reporter)

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    body = answer.json()
    assert [(c["code"], c["party"], c["name"], c["checked_in"], c["people"])
            for c in body["codes"]] == [
        ("AAAA11", 3, "王*", False, None),
        ("BBBB22", 1, "李*", True, 1),
        ("CCCC33", 1, None, False, None),
    ]
    assert body["figures"]["registered"] == 5 and body["figures"]["checked_in"] == 1
    text = answer.text
    assert "1234" not in text and "8888" not in text and "小明" not in text


async def test_the_code_list_leaves_out_waitlisted_and_cancelled_sign_ups(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)
    sessions = client.app.state.sessionmaker
    await sign_up(sessions, night, "IN0001")
    await sign_up(sessions, night, "WAIT01", state=SignupState.waitlisted)
    await sign_up(sessions, night, "GONE01", state=SignupState.cancelled)

    body = (await client.get(check_ins_url(night), headers=staff.admin)).json()

    assert [c["code"] for c in body["codes"]] == ["IN0001"]
