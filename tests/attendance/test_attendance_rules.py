"""Who may report for which occurrence, and which occurrences can have a report at all."""

from __future__ import annotations

import pytest

from bolin_events.models import Role
from tests.attendance.helpers import evening, make_event, occurrence_key, reports_url
from tests.conftest import Client, Staff, make_user


async def test_reporter_outside_their_village_is_refused_saying_where(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler, venue="qingqing-park")

    response = await client.post(reports_url(occ), json={"total": 50}, headers=staff.reporter)

    assert response.status_code == 403
    assert response.json()["message"] == (
        '您只能为本村（东胜村）的场次上报；该场次在华盖村（清溪沟“清青乐园”）。'
    )
    assert response.json()["details"] == [{"village": "huagai", "your_villages": "dongsheng"}]


async def test_reporter_with_two_villages_reports_in_both(client: Client, staff: Staff) -> None:
    both = await make_user(client.app, "cadre", Role.reporter, ["dongsheng", "huagai"])
    _, park = await make_event(client, staff.scheduler, venue="qingqing-park")
    _, farm = await make_event(client, staff.scheduler, venue="jiayue-farm")

    at_park = await client.post(reports_url(park), json={"total": 50}, headers=both)
    at_farm = await client.post(reports_url(farm), json={"total": 60}, headers=both)

    assert (at_park.status_code, at_farm.status_code) == (201, 201)
    for occ, total in ((park, 50), (farm, 60)):
        history = (await client.get(reports_url(occ), headers=staff.admin)).json()
        assert (history["current"]["total"], history["current"]["reported_by"]) == (total, "cadre")


@pytest.mark.parametrize("role", ["scheduler", "admin"])
async def test_schedulers_and_admins_report_everywhere(
    client: Client, staff: Staff, role: str
) -> None:
    _, occ = await make_event(client, staff.scheduler, venue="qingqing-park")

    response = await client.post(reports_url(occ), json={"total": 50}, headers=getattr(staff, role))

    assert response.status_code == 201
    assert response.json()["reported_by"] == role


async def test_report_without_token_is_401_and_nothing_is_filed(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(reports_url(occ), json={"total": 50})

    assert response.status_code == 401
    history = (await client.get(reports_url(occ), headers=staff.admin)).json()
    assert history["revisions"] == []


async def test_report_for_an_unknown_occurrence_is_404_with_the_id_shape(
    client: Client, staff: Staff
) -> None:
    response = await client.post(
        reports_url("999-20261001T190000"), json={"total": 5}, headers=staff.admin
    )

    assert response.status_code == 404
    assert "12-20270604T190000" in response.json()["message"]


async def test_report_before_the_grace_window_is_refused_with_the_opening_time(
    client: Client, staff: Staff
) -> None:
    start = evening(3)
    event_id, occ = await make_event(client, staff.scheduler, days_from_now=3)

    response = await client.post(reports_url(occ), json={"total": 5}, headers=staff.admin)

    assert response.status_code == 409
    opens = f"{start:%Y-%m-%d} 18:30"
    assert response.json()["message"] == f"场次尚未开始，{opens} 起才能上报。"
    assert occ == occurrence_key(event_id, start)


async def test_report_on_a_skipped_night_is_refused(client: Client, staff: Staff) -> None:
    _, first = await make_event(
        client, staff.scheduler, days_from_now=-3, rrule="FREQ=DAILY;COUNT=2"
    )
    await client.post(f"/api/v1/occurrences/{first}/skip", headers=staff.scheduler)

    response = await client.post(reports_url(first), json={"total": 5}, headers=staff.reporter)

    assert response.status_code == 409
    assert response.json()["message"] == "这一场不举办，不能上报人次。"


async def test_report_on_a_cancelled_night_is_refused_with_its_reason(
    client: Client, staff: Staff
) -> None:
    _, first = await make_event(
        client, staff.scheduler, days_from_now=-3, rrule="FREQ=DAILY;COUNT=2"
    )
    await client.post(
        f"/api/v1/occurrences/{first}/cancel", json={"reason": "暴雨"}, headers=staff.scheduler
    )

    response = await client.post(reports_url(first), json={"total": 5}, headers=staff.reporter)

    assert response.status_code == 409
    assert response.json()["message"] == "该场次已取消（暴雨），不能上报人次。"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("cancel", "整个活动已取消（场地维修），不能上报人次。"),
        ("postpone", "活动已延期（场地维修），不能上报人次。"),
    ],
)
async def test_report_for_a_cancelled_or_postponed_event_is_refused(
    client: Client, staff: Staff, action: str, message: str
) -> None:
    event_id, occ = await make_event(client, staff.scheduler)
    await client.post(
        f"/api/v1/events/{event_id}/{action}", json={"reason": "场地维修"}, headers=staff.scheduler
    )

    response = await client.post(reports_url(occ), json={"total": 5}, headers=staff.reporter)

    assert response.status_code == 409
    assert response.json()["message"] == message


async def test_report_for_a_draft_is_refused(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler, status="draft")

    response = await client.post(reports_url(occ), json={"total": 5}, headers=staff.reporter)

    assert response.status_code == 409
    assert response.json()["message"] == "该活动还是草稿，未发布，不能上报人次。"


async def test_report_for_a_moved_night_counts_at_its_new_venue(
    client: Client, staff: Staff
) -> None:
    _, first = await make_event(
        client, staff.scheduler, venue="qingqing-park", days_from_now=-3, rrule="FREQ=DAILY;COUNT=2"
    )
    start = evening(-3)
    await client.post(
        f"/api/v1/occurrences/{first}/move",
        json={
            "start": f"{start:%Y-%m-%d}T20:00",
            "end": f"{start:%Y-%m-%d}T21:00",
            "venue": "jiayue-farm",
            "allow_overlap": True,
        },
        headers=staff.scheduler,
    )

    response = await client.post(reports_url(first), json={"total": 5}, headers=staff.reporter)

    assert response.status_code == 201
    history = (await client.get(reports_url(first), headers=staff.admin)).json()
    assert history["occurrence"]["venue"]["slug"] == "jiayue-farm"
    assert history["current"]["total"] == 5
