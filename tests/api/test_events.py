"""Creating, reading, changing and deleting events (single and all-day)."""

from __future__ import annotations

from tests.api.helpers import EVENTS, GALA, calendar, create_event, nights, problem
from tests.conftest import Client, Staff


async def test_create_event_answers_what_was_scheduled(client: Client, staff: Staff) -> None:
    response = await client.post(EVENTS, json={**GALA, "organizer": "culture-station",
                                               "description_zh": "  歌舞、小品、快板。\x07 ",
                                               "capacity": 300, "price": "免费",
                                               "image_url": "https://example.test/gala.jpg",
                                               "contact": "文化站"}, headers=staff.scheduler)

    assert response.status_code == 201
    event = response.json()
    assert event["uid"] == f"event-{event['id']}@events.example.test"
    assert {k: event[k] for k in ("title_zh", "title_en", "description_zh", "all_day", "start",
                                  "end", "timezone", "rrule", "status", "status_reason",
                                  "sequence", "capacity", "price", "image_url", "contact",
                                  "occurrence_count")} == {
        "title_zh": "华盖村村晚", "title_en": "Huagai village gala",
        "description_zh": "歌舞、小品、快板。", "all_day": False,
        "start": "2027-05-01T19:30:00+08:00", "end": "2027-05-01T21:30:00+08:00",
        "timezone": "Asia/Shanghai", "rrule": None, "status": "draft", "status_reason": None,
        "sequence": 0, "capacity": 300, "price": "免费",
        "image_url": "https://example.test/gala.jpg", "contact": "文化站", "occurrence_count": 1,
    }
    assert event["venue"] == {
        "slug": "qingqing-park", "name_zh": '清溪沟“清青乐园”',
        "name_en": "Qingxigou Qingqing Park",
        "village": {"slug": "huagai", "name_zh": "华盖村", "name_en": "Huagai Village"},
    }
    assert (event["category"]["slug"], event["organizer"]["slug"],
            event["programme"]["slug"]) == ("performance", "culture-station", "cunwan")
    assert event["created_at"] == event["updated_at"]


async def test_create_event_needs_only_a_chinese_title(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, {
        "title_zh": "法治宣传进村", "category": "legal",
        "start": "2027-05-08T09:30", "end": "2027-05-08T11:00"})

    assert (event["title_en"], event["venue"], event["organizer"], event["programme"]) == (
        None, None, None, None)


async def test_create_event_with_an_offset_keeps_the_instant(client: Client,
                                                             staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, start="2027-05-01T11:30:00Z",
                               end="2027-05-01T13:30:00+00:00")

    assert (event["start"], event["end"]) == ("2027-05-01T19:30:00+08:00",
                                              "2027-05-01T21:30:00+08:00")


async def test_create_all_day_event_over_three_days(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, {
        "title_zh": "农耕文化体验节", "category": "farming", "venue": "jiayue-farm",
        "all_day": True, "start": "2027-07-09", "end": "2027-07-11", "status": "published"})

    assert (event["all_day"], event["start"], event["end"]) == (True, "2027-07-09", "2027-07-11")
    assert nights(await calendar(client, "2027-07-01", "2027-08-01")) == [
        ("2027-07-09", "scheduled")]
    assert nights(await calendar(client, "2027-07-11", "2027-07-12")) == [
        ("2027-07-09", "scheduled")]
    assert await calendar(client, "2027-07-12", "2027-07-13") == []


async def test_create_event_in_another_timezone(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, timezone="Europe/Berlin",
                               start="2027-05-01T19:30", end="2027-05-01T21:30",
                               status="published")

    assert (event["timezone"], event["start"]) == ("Europe/Berlin", "2027-05-01T19:30:00+02:00")
    occurrences = await calendar(client, "2027-05-01", "2027-05-03")
    assert [(o["id"], o["start"]) for o in occurrences] == [
        (f"{event['id']}-20270501T193000", "2027-05-01T19:30:00+02:00")]


async def test_create_event_as_cancelled_is_refused(client: Client, staff: Staff) -> None:
    response = await client.post(EVENTS, json={**GALA, "status": "cancelled"},
                                 headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message_en"] == "A new event is draft or published."


async def test_get_event_public_without_login(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await client.get(f"{EVENTS}/{event['id']}")

    assert response.status_code == 200
    assert response.json() == event


async def test_patch_event_text_raises_sequence(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await client.patch(f"{EVENTS}/{event['id']}",
                                  json={"title_en": "Huagai summer gala", "capacity": None},
                                  headers=staff.scheduler)

    assert response.status_code == 200
    changed = response.json()
    assert (changed["title_en"], changed["capacity"], changed["sequence"]) == (
        "Huagai summer gala", None, 1)


async def test_patch_event_time_moves_its_occurrence(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await client.patch(f"{EVENTS}/{event['id']}", json={
        "start": "2027-05-02T19:00", "end": "2027-05-02T21:00"}, headers=staff.scheduler)

    assert (response.json()["start"], response.json()["sequence"]) == (
        "2027-05-02T19:00:00+08:00", 1)
    assert [(o["id"], o["start"]) for o in await calendar(client, "2027-05-01", "2027-05-03")] == [
        (f"{event['id']}-20270502T190000", "2027-05-02T19:00:00+08:00")]


async def test_patch_event_timezone_keeps_the_wall_clock(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    response = await client.patch(f"{EVENTS}/{event['id']}", json={"timezone": "Asia/Tokyo"},
                                  headers=staff.scheduler)

    assert (response.json()["start"], response.json()["end"]) == (
        "2027-05-01T19:30:00+09:00", "2027-05-01T21:30:00+09:00")


async def test_patch_event_to_all_day_needs_both_dates(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    refused = await client.patch(f"{EVENTS}/{event['id']}", json={"all_day": True},
                                 headers=staff.scheduler)
    accepted = await client.patch(f"{EVENTS}/{event['id']}", json={
        "all_day": True, "start": "2027-05-01", "end": "2027-05-02"}, headers=staff.scheduler)

    assert refused.status_code == 422
    assert problem(refused)["message_en"] == "Switching all_day needs both start and end."
    assert (accepted.json()["all_day"], accepted.json()["start"], accepted.json()["end"]) == (
        True, "2027-05-01", "2027-05-02")


async def test_patch_event_null_for_a_required_field_is_refused(client: Client,
                                                               staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    for field in ("title_zh", "category", "all_day"):
        response = await client.patch(f"{EVENTS}/{event['id']}", json={
            field: None, "start": "2027-05-02T19:00", "end": "2027-05-02T21:00"},
            headers=staff.scheduler)

        assert response.status_code == 422
        assert problem(response)["message_en"] == f"{field} cannot be empty."
    after = (await client.get(f"{EVENTS}/{event['id']}", headers=staff.scheduler)).json()
    assert after == event


async def test_delete_event_removes_a_draft(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    response = await client.delete(f"{EVENTS}/{event['id']}", headers=staff.scheduler)

    assert response.status_code == 204
    gone = await client.get(f"{EVENTS}/{event['id']}", headers=staff.scheduler)
    assert (gone.status_code, problem(gone)["message_en"]) == (
        404, f"No event {event['id']} exists.")


async def test_delete_event_published_is_refused(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await client.delete(f"{EVENTS}/{event['id']}", headers=staff.scheduler)

    assert response.status_code == 409
    assert problem(response)["message_en"] == (
        "Only drafts can be deleted; cancel a public event so subscribers see it.")
    assert (await client.get(f"{EVENTS}/{event['id']}")).json()["status"] == "published"


async def test_list_events_filters_by_village(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")
    farm = await create_event(client, staff.scheduler, venue="jiayue-farm", status="published")

    response = await client.get(EVENTS, params={"village": "dongsheng"})

    assert [(e["id"], e["venue"]["slug"]) for e in response.json()["items"]] == [
        (farm["id"], "jiayue-farm")]
    assert response.json()["total"] == 1


async def test_the_events_list_links_to_its_next_page(client: Client, seeded: None) -> None:
    first = await client.get("/api/v1/events", params={"limit": 3})
    link = first.headers["link"]
    second = await client.get(link[1:link.index(">")])
    last = await client.get("/api/v1/events", params={"limit": 500})

    assert link.endswith('; rel="next"') and "offset=3" in link
    assert [e["id"] for e in first.json()["items"] + second.json()["items"]] == [
        e["id"] for e in last.json()["items"][:6]]
    assert "link" not in last.headers
