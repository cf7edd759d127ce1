"""A venue in no village (the culture station in the town seat): made through the API, its
events show everywhere with no village part, and the statistics put it in the none-row."""

from __future__ import annotations

from bolin_events.models import Role
from tests.conftest import Client, Staff
from tests.pages.login import log_in
from tests.reports.helpers import get_json, report

HALL = {"name_zh": "镇文化广场", "name_en": "Town Culture Square", "slug": "town-square",
        "capacity": 800}
EVENT = {"title_zh": "广场舞展演", "category": "performance", "venue": "town-square",
         "start": "2025-09-20T19:30", "end": "2025-09-20T21:30", "status": "published"}


async def _square_event(client: Client, staff: Staff) -> int:
    made = await client.post("/api/v1/venues", json=HALL, headers=staff.scheduler)
    assert made.status_code == 201, made.text
    event = await client.post("/api/v1/events", json=EVENT, headers=staff.scheduler)
    assert event.status_code == 201, event.text
    return int(event.json()["id"])


async def test_a_venue_is_made_without_a_village(client: Client, staff: Staff) -> None:
    made = await client.post("/api/v1/venues", json=HALL, headers=staff.scheduler)

    assert made.status_code == 201, made.text
    assert (made.json()["slug"], made.json()["village"]) == ("town-square", None)
    station = (await client.get("/api/v1/venues/culture-station")).json()
    assert (station["name_zh"], station["village"]) == ("柏林镇综合文化站", None)


async def test_its_events_show_in_feeds_and_pages_without_a_village(
    client: Client, staff: Staff
) -> None:
    event_id = await _square_event(client, staff)

    feed = (await client.get(f"/feeds/events/{event_id}.ics")).text.replace("\r\n ", "")
    page = await client.get(f"/events/{event_id}")
    poster = await client.get(f"/events/{event_id}/poster")
    listed = await client.get("/events", params={"from": "2025-09-01"})

    assert "LOCATION:镇文化广场 / Town Culture Square\r\n" in feed
    assert page.status_code == 200 and "镇文化广场" in page.text
    assert "镇文化广场 ·" not in page.text and "镇文化广场（" not in page.text
    assert poster.status_code == 200 and '<p class="poster-place">镇文化广场</p>' in poster.text
    assert listed.status_code == 200


async def test_staff_pages_show_it_without_a_village(client: Client, staff: Staff) -> None:
    event_id = await _square_event(client, staff)
    await log_in(client, "planner", Role.scheduler)

    event_page = await client.get(f"/staff/events/{event_id}")
    report_page = await client.get(f"/staff/attendance/{event_id}-20250920T193000")

    assert event_page.status_code == 200 and "镇文化广场" in event_page.text
    assert "镇文化广场（" not in event_page.text
    assert report_page.status_code == 200 and "镇文化广场" in report_page.text


async def test_the_statistics_and_ledger_put_it_in_no_village(
    client: Client, staff: Staff
) -> None:
    event_id = await _square_event(client, staff)
    await report(client, staff.scheduler, f"{event_id}-20250920T193000", 300)

    villages = await get_json(client, staff.admin, "stats", period="2025-09", group_by="village")
    dongsheng = await get_json(client, staff.admin, "stats", period="2025-09",
                               village="dongsheng")
    (row,) = (await get_json(client, staff.admin, "ledger", period="2025-09"))["rows"]

    assert [(r["key"], r["name_zh"], r["people"]) for r in villages["rows"]] == [
        ("-", "未归入村", 300)]
    assert dongsheng["total"]["sessions"] == 0  # a village filter leaves it out
    assert (row["venue"], row["village"]) == ("镇文化广场", None)


async def test_a_reporter_cannot_report_for_it_but_a_scheduler_can(
    client: Client, staff: Staff
) -> None:
    event_id = await _square_event(client, staff)
    night = f"/api/v1/occurrences/{event_id}-20250920T193000/reports"

    refused = await client.post(night, json={"total": 10}, headers=staff.reporter)
    filed = await client.post(night, json={"total": 10}, headers=staff.scheduler)

    assert refused.status_code == 403
    assert refused.json()["message"] == "场地镇文化广场不属于任何村，请由排期人员或管理员上报。"
    assert filed.status_code == 201
