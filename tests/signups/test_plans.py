"""Sign-up plans: an event's for every night, a night's own overriding it, and what staff are
told when a plan cannot be saved or removed."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.attendance.helpers import evening, make_event
from tests.conftest import Client, Staff
from tests.signups.helpers import (
    event_plan_url,
    night_plan_url,
    night_with_plan,
    sign_up,
    signups_url,
    token_of,
)


async def test_plan_event_wide_applies_to_every_night_until_a_night_has_its_own(
        client: Client, staff: Staff) -> None:
    event_id, first = await night_with_plan(client, staff.scheduler, places=30, max_party=4,
                                            rrule="FREQ=DAILY;COUNT=2")
    second = f"{event_id}-{evening(4):%Y%m%dT%H%M%S}"

    own = await client.put(night_plan_url(second), headers=staff.scheduler,
                           json={"places": 8, "ask_phone": False, "questions": ["孩子年龄"]})

    assert own.status_code == 200, own.text
    assert (own.json()["night"], own.json()["places"]) == (second, 8)
    one, two = [(await client.get(signups_url(n))).json() for n in (first, second)]
    assert (one["places"], one["max_party"], one["ask_phone"], one["questions"]) == (
        30, 4, True, [])
    assert (two["places"], two["max_party"], two["ask_phone"], two["questions"]) == (
        8, 1, False, ["孩子年龄"])
    applying = (await client.get(night_plan_url(first), headers=staff.scheduler)).json()
    assert (applying["night"], applying["places"]) == (None, 30)  # the event's


async def test_plan_defaults_are_the_documented_ones(client: Client, staff: Staff) -> None:
    event_id, night = await make_event(client, staff.scheduler, days_from_now=3)

    saved = await client.put(event_plan_url(event_id), json={"places": 20},
                             headers=staff.scheduler)

    assert saved.status_code == 200
    assert {k: v for k, v in saved.json().items() if k not in ("id", "event_id")} == {
        "night": None, "places": 20, "waitlist": True, "waitlist_max": None, "opens_at": None,
        "closes_at": None, "max_party": 1, "ask_phone": True, "questions": [], "per_phone": 1,
        "per_address": 10, "retention_days": 30}
    open_now = (await client.get(signups_url(night))).json()
    assert open_now["open"] is True
    assert datetime.fromisoformat(open_now["closes_at"]) == evening(3)  # when the night starts


@pytest.mark.parametrize(("body", "field", "zh"), [
    ({"places": 0}, "places", None),
    ({"places": 10, "opens_at": "2030-01-02T10:00", "closes_at": "2030-01-01T10:00"},
     "opens_at", "报名开始时间须早于报名截止时间。"),
    ({"places": 10, "questions": ["a", "b", "c", "d", "e", "f"]}, "questions", None),
    ({"places": 10, "questions": ["   "]}, "questions", "第 1 个问题不能为空，且不超过 100 个字。"),
    ({"places": 10, "max_party": 21}, "max_party", None),
    ({"places": 10, "retention_days": 0}, "retention_days", None),
])
async def test_plan_that_breaks_a_rule_is_refused_with_422_naming_the_field(
        client: Client, staff: Staff, body: dict[str, object], field: str,
        zh: str | None) -> None:
    event_id, _ = await make_event(client, staff.scheduler, days_from_now=3)

    refused = await client.put(event_plan_url(event_id), json=body, headers=staff.scheduler)

    assert refused.status_code == 422, refused.text
    assert field in refused.text
    if zh:
        assert refused.json()["message"] == zh
    assert (await client.get(event_plan_url(event_id), headers=staff.scheduler)
            ).status_code == 404


async def test_plan_opening_after_its_night_starts_is_refused(
        client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=3)
    late = (evening(4)).replace(tzinfo=None).isoformat()

    refused = await client.put(night_plan_url(night), json={"places": 5, "opens_at": late},
                               headers=staff.scheduler)

    assert refused.status_code == 422
    assert refused.json()["message"].startswith("报名开始时间须早于该场次开始")


async def test_plan_for_an_event_or_night_that_does_not_exist_is_404(
        client: Client, staff: Staff) -> None:
    missing_event = await client.put(event_plan_url(999999), json={"places": 5},
                                     headers=staff.scheduler)
    missing_night = await client.put(night_plan_url("999999-20270101T190000"),
                                     json={"places": 5}, headers=staff.scheduler)

    assert (missing_event.status_code, missing_night.status_code) == (404, 404)
    assert missing_event.json()["message"] == "找不到活动：999999"


async def test_plan_with_sign_ups_cannot_be_deleted_but_can_be_closed(
        client: Client, staff: Staff) -> None:
    event_id, night = await night_with_plan(client, staff.scheduler)
    assert (await sign_up(client, night)).status_code == 201

    refused = await client.delete(event_plan_url(event_id), headers=staff.scheduler)
    closed = await client.put(event_plan_url(event_id), headers=staff.scheduler, json={
        "places": 10, "closes_at": evening(-1).replace(tzinfo=None).isoformat(),
        "opens_at": evening(-2).replace(tzinfo=None).isoformat()})
    late = await sign_up(client, night, 2)

    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "已有 1 份报名，不能删除报名设置；如要停止报名，请把“报名截止”设为现在。")
    assert closed.status_code == 200
    assert (late.status_code, late.json()["message"]) == (409, "报名已截止。")


async def test_plan_without_sign_ups_is_deleted_and_the_night_takes_none(
        client: Client, staff: Staff) -> None:
    event_id, night = await night_with_plan(client, staff.scheduler)

    deleted = await client.delete(event_plan_url(event_id), headers=staff.scheduler)

    assert deleted.status_code == 204
    gone = await client.get(signups_url(night))
    assert (gone.status_code, gone.json()["message"]) == (404, "该场次不需要报名，直接前往即可。")


async def test_plan_with_more_places_moves_the_waitlist_up_at_once(
        client: Client, staff: Staff) -> None:
    event_id, night = await night_with_plan(client, staff.scheduler, places=1)
    await sign_up(client, night, 1)
    waiting = await sign_up(client, night, 2)
    assert waiting.json()["state"] == "waitlisted"

    await client.put(event_plan_url(event_id), json={"places": 2}, headers=staff.scheduler)

    seen = (await client.get(f"/api/v1/signups/{token_of(waiting)}")).json()
    assert seen["state"] == "confirmed" and seen["promoted_at"] is not None


async def test_plan_saved_is_in_the_audit_trail(client: Client, staff: Staff) -> None:
    event_id, _ = await night_with_plan(client, staff.scheduler, places=12)

    trail = (await client.get("/api/v1/audit?object_type=signup_plan",
                              headers=staff.admin)).json()

    assert [(e["action"], e["changes"]["places"]) for e in trail["items"]] == [
        ("create", [None, 12])]
    assert trail["items"][0]["label"] == f"{event_id} *"
