"""A night's list for staff (phone numbers masked), walk-ins at the door and no-shows after —
and who may do which."""

from __future__ import annotations

import pytest

from tests.conftest import Client, Staff
from tests.signups.helpers import (
    HUAGAI,
    figures,
    list_url,
    night_with_plan,
    sign_up,
)


async def test_list_is_for_planners_only(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    await sign_up(client, night)

    anonymous = await client.get(list_url(night))
    reporter = await client.get(list_url(night), headers=staff.reporter)
    scheduler = await client.get(list_url(night), headers=staff.scheduler)

    assert (anonymous.status_code, reporter.status_code, scheduler.status_code) == (
        401, 403, 200)
    assert reporter.json()["message"] == (
        "角色「信息员」无权设置报名、查看和导出报名名单（管理员或排期人员）。")
    assert scheduler.headers["cache-control"] == "private, no-store"
    (row,) = scheduler.json()
    assert (row["name"], row["phone_masked"], row["state"], row["purged"]) == (
        "游客0", "138****0000", "confirmed", False)


async def test_walk_in_is_confirmed_and_checked_in_at_once_even_beyond_the_places(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=1)
    await sign_up(client, night)

    added = await client.post(list_url(night), headers=staff.reporter,
                              json={"name": "李大爷", "party": 2, "door": "东门"})

    assert added.status_code == 201, added.text
    row = added.json()
    assert (row["state"], row["walk_in"], row["checked_in_people"], row["checked_in_door"]) == (
        "confirmed", True, 2, "东门")
    assert row["checked_in_at"] is not None and len(row["code"]) == 6
    counted = await figures(client, night)
    assert (counted.registered, counted.walk_ins, counted.checked_in) == (1, 2, 2)


async def test_walk_in_by_a_reporter_only_in_their_own_village(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, venue=HUAGAI)

    refused = await client.post(list_url(night), headers=staff.reporter, json={"party": 1})
    anonymous = await client.post(list_url(night), json={"party": 1})
    scheduler = await client.post(list_url(night), headers=staff.scheduler, json={"party": 1})

    assert (refused.status_code, anonymous.status_code, scheduler.status_code) == (403, 401, 201)
    assert refused.json()["message"].startswith("您只能为本村（东胜村）的场次上报")
    assert (await figures(client, night)).walk_ins == 1


async def test_walk_in_on_a_cancelled_night_is_refused(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=2")
    await client.post(f"/api/v1/occurrences/{night}/cancel", json={"reason": "停电"},
                      headers=staff.scheduler)

    refused = await client.post(list_url(night), headers=staff.scheduler, json={"party": 1})

    assert (refused.status_code, refused.json()["message"]) == (
        409, "不能现场加入：该场次已取消（停电）。")


async def test_no_show_marked_and_taken_back(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, max_party=3)
    await sign_up(client, night, party=3)
    (row,) = (await client.get(list_url(night), headers=staff.scheduler)).json()

    marked = await client.patch(f"{list_url(night)}/{row['id']}", json={"no_show": True},
                                headers=staff.scheduler)
    assert (marked.status_code, marked.json()["no_show"]) == (200, True)
    assert (await figures(client, night)).no_shows == 3

    back = await client.patch(f"{list_url(night)}/{row['id']}", json={"no_show": False},
                              headers=staff.scheduler)
    assert (back.status_code, back.json()["no_show"]) == (200, False)
    assert (await figures(client, night)).no_shows == 0
    trail = (await client.get("/api/v1/audit?object_type=registration",
                              headers=staff.admin)).json()["items"]
    assert [e["changes"] for e in trail] == [{"no_show": [True, False]},
                                             {"no_show": [False, True]}]
    assert "游客0" not in str(trail) and "0000" not in str(trail)  # no personal data


async def test_no_show_by_a_reporter_is_forbidden(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    await sign_up(client, night)

    refused = await client.patch(f"{list_url(night)}/1", json={"no_show": True},
                                 headers=staff.reporter)

    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "角色「信息员」无权设置报名、查看和导出报名名单（管理员或排期人员）。")


@pytest.mark.parametrize(("kind", "message"), [
    ("walk-in", "现场加入的人已经到场，不能标记未到。"),
    ("waitlisted", "这份报名候补中，只有已确认的报名可以标记未到。"),
    ("checked in", "这份报名已签到，不能标记未到。"),
])
async def test_no_show_only_for_a_confirmed_sign_up_not_yet_in(
        client: Client, staff: Staff, kind: str, message: str) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=1)
    made = await sign_up(client, night, 1)
    if kind == "walk-in":
        await client.post(list_url(night), headers=staff.scheduler, json={"party": 1})
    elif kind == "waitlisted":
        await sign_up(client, night, 2)
    else:
        checked = await client.post(f"/api/v1/occurrences/{night}/check-ins",
                                    headers=staff.scheduler,
                                    json={"code": made.json()["code"], "key": "door-key-1"})
        assert checked.status_code == 200, checked.text
    listed = (await client.get(list_url(night), headers=staff.scheduler)).json()
    target = listed[-1] if kind != "checked in" else listed[0]

    refused = await client.patch(f"{list_url(night)}/{target['id']}", json={"no_show": True},
                                 headers=staff.scheduler)

    assert (refused.status_code, refused.json()["message"]) == (409, message)


async def test_no_show_of_another_nights_sign_up_is_404(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    _, other = await night_with_plan(client, staff.scheduler, days_from_now=5)
    await sign_up(client, other)
    (row,) = (await client.get(list_url(other), headers=staff.scheduler)).json()

    refused = await client.patch(f"{list_url(night)}/{row['id']}", json={"no_show": True},
                                 headers=staff.scheduler)

    assert (refused.status_code, refused.json()["message"]) == (
        404, f"本场没有编号为 {row['id']} 的报名。")
