"""Re-timing a series must never silently drop nights that already carry reported figures."""

from __future__ import annotations

from tests.attendance.helpers import evening, make_event, occurrence_key, reports_url
from tests.conftest import Client, Staff


async def test_retiming_a_series_keeps_each_report_with_its_night(
    client: Client, staff: Staff
) -> None:
    event_id, first_night = await make_event(
        client, staff.scheduler, days_from_now=-14, rrule="FREQ=WEEKLY;COUNT=4"
    )
    reported = await client.post(reports_url(first_night), json={"total": 86},
                                 headers=staff.reporter)
    assert reported.status_code == 201, reported.text
    new_start = evening(-14, hour=20)

    response = await client.patch(
        f"/api/v1/events/{event_id}",
        json={"start": new_start.replace(tzinfo=None).isoformat(),
              "end": new_start.replace(hour=22, tzinfo=None).isoformat()},
        headers=staff.scheduler,
    )

    assert response.status_code == 200, response.text
    same_night = occurrence_key(event_id, new_start)
    history = await client.get(reports_url(same_night), headers=staff.scheduler)
    assert [r["total"] for r in history.json()["revisions"]] == [86]
    assert (await client.get(reports_url(first_night), headers=staff.scheduler)).status_code \
        == 404


async def test_dropping_a_reported_night_is_refused_and_keeps_the_report(
    client: Client, staff: Staff
) -> None:
    event_id, first_night = await make_event(
        client, staff.scheduler, days_from_now=-14, rrule="FREQ=WEEKLY;COUNT=4"
    )
    reported = await client.post(reports_url(first_night), json={"total": 86},
                                 headers=staff.reporter)
    assert reported.status_code == 201, reported.text
    next_day = evening(-13)  # the series would start a day later: the first night goes

    response = await client.patch(
        f"/api/v1/events/{event_id}",
        json={"start": next_day.replace(tzinfo=None).isoformat(),
              "end": next_day.replace(hour=21, tzinfo=None).isoformat()},
        headers=staff.scheduler,
    )

    assert response.status_code == 409
    assert f"已上报人次的场次（{first_night}）" in response.json()["message"]
    assert response.json()["details"] == [{"occurrence_id": first_night}]
    history = await client.get(reports_url(first_night), headers=staff.scheduler)
    assert [r["total"] for r in history.json()["revisions"]] == [86]


async def test_reschedule_series_without_reports_is_accepted(client: Client, staff: Staff) -> None:
    event_id, _ = await make_event(
        client, staff.scheduler, days_from_now=-14, rrule="FREQ=WEEKLY;COUNT=4"
    )
    new_start = evening(-14, hour=20).replace(tzinfo=None)

    response = await client.patch(
        f"/api/v1/events/{event_id}",
        json={"start": new_start.isoformat(), "end": new_start.replace(hour=22).isoformat()},
        headers=staff.scheduler,
    )

    assert response.status_code == 200
    assert response.json()["start"].endswith("T20:00:00+08:00")
