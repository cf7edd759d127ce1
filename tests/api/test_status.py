"""Status (draft → published → cancelled/postponed), SEQUENCE, and who sees drafts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import EVENTS, MARKET, OCCURRENCES, calendar, create_event, nights, problem
from tests.conftest import Client, Staff


async def act(client: Client, staff: Staff, event: dict[str, Any], action: str,
              body: dict[str, Any] | None = None) -> Any:
    return await client.post(f"{EVENTS}/{event['id']}/{action}", json=body,
                             headers=staff.scheduler)


async def test_publish_without_a_body(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    response = await client.post(f"{EVENTS}/{event['id']}/publish", headers=staff.scheduler)

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sequence"]) == ("published", 1)
    assert nights(await calendar(client, "2027-05-01", "2027-05-02")) == [
        ("2027-05-01T19:30:00+08:00", "scheduled")]


async def test_cancel_published_event_keeps_it_public_and_marked(client: Client,
                                                                 staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await act(client, staff, event, "cancel", {"reason": "  场地维修  "})

    assert (response.json()["status"], response.json()["status_reason"],
            response.json()["sequence"]) == ("cancelled", "场地维修", 1)
    shown = await calendar(client, "2027-05-01", "2027-05-02")
    assert [(o["status"], o["reason"]) for o in shown] == [("cancelled", "场地维修")]


async def test_postpone_then_publish_again(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    postponed = await act(client, staff, event, "postpone", {"reason": "改期另行通知"})
    shown = await calendar(client, "2027-05-01", "2027-05-02")
    republished = await act(client, staff, event, "publish", {})

    assert (postponed.json()["status"], postponed.json()["status_reason"]) == (
        "postponed", "改期另行通知")
    assert [(o["status"], o["reason"]) for o in shown] == [("postponed", "改期另行通知")]
    assert (republished.json()["status"], republished.json()["status_reason"],
            republished.json()["sequence"]) == ("published", None, 2)


@pytest.mark.parametrize(
    ("steps", "action", "en"),
    [
        ([], "postpone", "The event is draft; it cannot become postponed."),
        (["publish"], "publish", "The event is published; it cannot become published."),
        (["cancel"], "publish", "The event is cancelled; it cannot become published."),
        (["cancel"], "cancel", "The event is cancelled; it cannot become cancelled."),
        (["publish", "postpone"], "postpone",
         "The event is postponed; it cannot become postponed."),
    ],
)
async def test_status_transition_refused(client: Client, staff: Staff, steps: list[str],
                                         action: str, en: str) -> None:
    event = await create_event(client, staff.scheduler)
    for step in steps:
        await act(client, staff, event, step, {"reason": "原因"})
    before = (await client.get(f"{EVENTS}/{event['id']}", headers=staff.scheduler)).json()

    response = await act(client, staff, event, action, {"reason": "原因"})

    assert response.status_code == 409
    assert problem(response)["message_en"] == en
    after = (await client.get(f"{EVENTS}/{event['id']}", headers=staff.scheduler)).json()
    assert after == before


@pytest.mark.parametrize("action", ["cancel", "postpone"])
@pytest.mark.parametrize("body", [None, {}, {"reason": " \t "}])
async def test_cancel_or_postpone_without_a_reason_is_refused(
        client: Client, staff: Staff, action: str, body: dict[str, Any] | None) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await act(client, staff, event, action, body)

    assert response.status_code == 422
    assert problem(response)["message_en"] == (
        "Cancelling or postponing needs a reason; visitors see it.")
    assert (await client.get(f"{EVENTS}/{event['id']}")).json()["status"] == "published"


async def test_unknown_status_action_is_404(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler)

    response = await act(client, staff, event, "archive")

    assert response.status_code == 404
    assert problem(response)["message_en"] == "No action 'archive' exists."


async def test_sequence_rises_on_every_change_a_calendar_must_notice(client: Client,
                                                                     staff: Staff) -> None:
    series = await create_event(client, staff.scheduler, MARKET, status="draft")
    sid, h = series["id"], staff.scheduler
    steps = [
        ("post", f"{EVENTS}/{sid}/publish", None),
        ("patch", f"{EVENTS}/{sid}", {"start": "2027-06-04T18:30", "end": "2027-06-04T22:00"}),
        ("patch", f"{EVENTS}/{sid}", {"venue": "qingqing-park"}),
        ("patch", f"{EVENTS}/{sid}", {"rrule": "FREQ=WEEKLY;BYDAY=FR;COUNT=4"}),
        ("post", f"{OCCURRENCES}/{sid}-20270611T183000/skip", None),
        ("post", f"{OCCURRENCES}/{sid}-20270618T183000/cancel", {"reason": "雨"}),
        ("post", f"{OCCURRENCES}/{sid}-20270625T183000/move",
         {"start": "2027-06-26T18:30", "end": "2027-06-26T22:00"}),
        ("post", f"{OCCURRENCES}/{sid}-20270611T183000/restore", None),
        ("post", f"{EVENTS}/{sid}/postpone", {"reason": "延期"}),
    ]
    seen = []

    for method, url, body in steps:
        response = await client.request(method, url, json=body, headers=h)
        assert response.status_code == 200, (url, response.text)
        seen.append((await client.get(f"{EVENTS}/{sid}")).json()["sequence"])

    assert seen == [1, 2, 3, 4, 5, 6, 7, 8, 9]


async def test_patch_with_nothing_new_keeps_sequence_and_updated_at(client: Client,
                                                                    staff: Staff) -> None:
    series = await create_event(client, staff.scheduler, MARKET, organizer="culture-station")
    same = {key: MARKET[key] for key in ("title_zh", "category", "venue", "start", "end",
                                         "rrule")} | {"organizer": "culture-station",
                                                      "timezone": "Asia/Shanghai"}

    response = await client.patch(f"{EVENTS}/{series['id']}", json=same,
                                  headers=staff.scheduler)
    empty = await client.patch(f"{EVENTS}/{series['id']}", json={"allow_overlap": True},
                               headers=staff.scheduler)

    assert response.status_code == 200
    assert response.json() == series
    assert empty.json() == series


async def test_drafts_are_invisible_to_the_public(client: Client, staff: Staff) -> None:
    draft = await create_event(client, staff.scheduler)

    listed = await client.get(EVENTS, params={"status": "draft"})
    got = await client.get(f"{EVENTS}/{draft['id']}")
    occurrence = await client.get(f"{OCCURRENCES}/{draft['id']}-20270501T193000")

    assert listed.json() == {"items": [], "total": 0, "limit": 100, "offset": 0}
    assert (got.status_code, problem(got)["message_en"]) == (404, f"No event {draft['id']} exists.")
    assert occurrence.status_code == 404
    assert await calendar(client, "2027-05-01", "2027-05-02") == []
    assert await calendar(client, "2027-05-01", "2027-05-02", headers=staff.scheduler) == []


async def test_drafts_are_visible_to_a_scheduler_who_asks(client: Client, staff: Staff) -> None:
    draft = await create_event(client, staff.scheduler)
    await create_event(client, staff.scheduler, title_zh="已发布", status="published")

    listed = await client.get(EVENTS, params={"status": "draft"}, headers=staff.scheduler)
    default = await client.get(EVENTS, headers=staff.scheduler)
    got = await client.get(f"{EVENTS}/{draft['id']}", headers=staff.scheduler)
    night = await client.get(f"{OCCURRENCES}/{draft['id']}-20270501T193000",
                             headers=staff.scheduler)

    assert [(e["id"], e["status"]) for e in listed.json()["items"]] == [(draft["id"], "draft")]
    assert [e["title_zh"] for e in default.json()["items"]] == ["已发布"]
    assert got.json() == draft
    assert (night.json()["event_status"], night.json()["status"]) == ("draft", "scheduled")


async def test_drafts_are_invisible_to_a_reporter(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler)

    listed = await client.get(EVENTS, params={"status": "draft"}, headers=staff.reporter)

    assert listed.json()["total"] == 0


async def test_list_events_unknown_status_is_refused(client: Client, staff: Staff) -> None:
    response = await client.get(EVENTS, params={"status": "published,archived"})

    assert response.status_code == 422
    assert problem(response)["message_en"] == (
        "Unknown status 'archived'; use draft, published, cancelled or postponed.")
