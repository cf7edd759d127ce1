"""Venue clashes: refused with 409 naming the other event, unless the overlap is intended."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import EVENTS, GALA, MARKET, OCCURRENCES, create_event, problem
from tests.conftest import Client, Staff

# Same venue as GALA (清青乐园, 2027-05-01 19:30–21:30), overlapping by an hour.
REHEARSAL: dict[str, Any] = {**GALA, "title_zh": "广场舞排练", "title_en": None,
                             "category": "training", "start": "2027-05-01T20:30",
                             "end": "2027-05-01T22:00", "status": "published"}
GALA_CLASH_EN = ("Venue clash with “Huagai village gala” on 1 May 19:30–21:30 at Qingxigou "
                 "Qingqing Park. Confirm the overlap to save it anyway.")


async def stored_titles(client: Client, staff: Staff) -> list[str]:
    response = await client.get(EVENTS, params={"status": "draft,published,cancelled,postponed"},
                                headers=staff.scheduler)
    return [e["title_zh"] for e in response.json()["items"]]


async def test_clash_on_create_is_refused_naming_the_other_event(client: Client,
                                                                 staff: Staff) -> None:
    gala = await create_event(client, staff.scheduler, status="published")

    response = await client.post(EVENTS, json=REHEARSAL, headers=staff.scheduler)

    assert response.status_code == 409
    body = problem(response)
    assert (body["code"], body["message_en"]) == ("venue_clash", GALA_CLASH_EN)
    assert body["message"] == ("场地冲突：与「华盖村村晚」5月1日 19:30–21:30 "
                               "在清溪沟“清青乐园”冲突。如确需同时使用该场地，请确认重叠后再保存。")
    assert body["details"] == [{
        "occurrence_id": f"{gala['id']}-20270501T193000", "event_id": gala["id"],
        "title": "华盖村村晚", "venue": "qingqing-park", "venue_name": "清溪沟“清青乐园”",
        "start": "2027-05-01T19:30:00+08:00", "end": "2027-05-01T21:30:00+08:00",
        "field": "allow_overlap",
        "message": "与「华盖村村晚」5月1日 19:30–21:30 在清溪沟“清青乐园”冲突",
        "message_en": "Clashes with “Huagai village gala” on 1 May 19:30–21:30 at "
                      "Qingxigou Qingqing Park"}]
    assert "allow_overlap" not in body["message"] + body["message_en"]
    assert await stored_titles(client, staff) == ["华盖村村晚"]


async def test_clash_with_allow_overlap_is_saved(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")

    rehearsal = await create_event(client, staff.scheduler, REHEARSAL, allow_overlap=True)

    assert rehearsal["status"] == "published"
    assert await stored_titles(client, staff) == ["华盖村村晚", "广场舞排练"]


async def test_clash_not_when_one_ends_as_the_other_starts(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")

    after = await create_event(client, staff.scheduler, REHEARSAL, start="2027-05-01T21:30")

    assert after["start"] == "2027-05-01T21:30:00+08:00"


async def test_clash_not_at_another_venue(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")

    elsewhere = await create_event(client, staff.scheduler, REHEARSAL, venue="jiayue-farm")

    assert elsewhere["venue"]["slug"] == "jiayue-farm"


async def test_clash_not_with_a_draft_or_cancelled_event(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler)
    cancelled = await create_event(client, staff.scheduler, title_zh="取消的村晚",
                                   status="published")
    await client.post(f"{EVENTS}/{cancelled['id']}/cancel", json={"reason": "下雨"},
                      headers=staff.scheduler)

    rehearsal = await create_event(client, staff.scheduler, REHEARSAL)

    assert rehearsal["status"] == "published"


async def test_clash_not_with_a_skipped_or_cancelled_night(client: Client,
                                                           staff: Staff) -> None:
    series = await create_event(client, staff.scheduler, MARKET)
    await client.post(f"{OCCURRENCES}/{series['id']}-20270604T190000/skip",
                      headers=staff.scheduler)
    await client.post(f"{OCCURRENCES}/{series['id']}-20270605T190000/cancel",
                      json={"reason": "雨"}, headers=staff.scheduler)
    stall = {**MARKET, "title_zh": "非遗摊位", "rrule": None}

    friday = await create_event(client, staff.scheduler, stall)
    saturday = await create_event(client, staff.scheduler, stall, start="2027-06-05T19:00",
                                  end="2027-06-05T22:30")

    assert (friday["start"], saturday["start"]) == ("2027-06-04T19:00:00+08:00",
                                                    "2027-06-05T19:00:00+08:00")


async def test_clash_of_a_series_names_the_first_clash_and_counts_the_rest(
        client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, MARKET)
    festival = {**MARKET, "title_zh": "夜市音乐节", "rrule": "FREQ=DAILY;COUNT=10",
                "start": "2027-06-01T20:00", "end": "2027-06-01T21:00"}

    response = await client.post(EVENTS, json=festival, headers=staff.scheduler)

    assert response.status_code == 409
    body = problem(response)
    assert body["message_en"] == (
        "Venue clash with “东胜银杏夜市” on 4 June 19:00–22:30 at Dongsheng Ginkgo Night Market "
        "(and 1 more). Confirm the overlap to save it anyway.")
    assert body["message"].startswith(
        "场地冲突：与「东胜银杏夜市」6月4日 19:00–22:30 在东胜银杏夜市冲突（另有 1 处）。")
    assert [d["start"] for d in body["details"]] == ["2027-06-04T19:00:00+08:00",
                                                     "2027-06-05T19:00:00+08:00"]


async def test_clash_checked_when_a_night_is_moved(client: Client, staff: Staff) -> None:
    gala = await create_event(client, staff.scheduler, status="published")
    series = await create_event(client, staff.scheduler, MARKET)
    night = f"{OCCURRENCES}/{series['id']}-20270604T190000"
    move = {"start": "2027-05-01T18:00", "end": "2027-05-01T20:00", "venue": "qingqing-park"}

    refused = await client.post(f"{night}/move", json=move, headers=staff.scheduler)
    unchanged = await client.get(night)
    accepted = await client.post(f"{night}/move", json={**move, "allow_overlap": True},
                                 headers=staff.scheduler)

    assert refused.status_code == 409
    assert problem(refused)["details"][0]["event_id"] == gala["id"]
    assert (unchanged.json()["status"], unchanged.json()["start"]) == (
        "scheduled", "2027-06-04T19:00:00+08:00")
    assert (accepted.json()["status"], accepted.json()["venue"]["slug"]) == (
        "moved", "qingqing-park")


async def test_clash_checked_when_a_draft_is_published(client: Client, staff: Staff) -> None:
    draft = await create_event(client, staff.scheduler)
    await create_event(client, staff.scheduler, REHEARSAL, title_zh="广场舞排练")
    url = f"{EVENTS}/{draft['id']}/publish"

    refused = await client.post(url, json={}, headers=staff.scheduler)
    still = await client.get(f"{EVENTS}/{draft['id']}", headers=staff.scheduler)
    accepted = await client.post(url, json={"allow_overlap": True}, headers=staff.scheduler)

    assert refused.status_code == 409
    assert problem(refused)["message_en"] == (
        "Venue clash with “广场舞排练” on 1 May 20:30–22:00 at Qingxigou Qingqing Park. "
        "Confirm the overlap to save it anyway.")
    assert (still.json()["status"], still.json()["sequence"]) == ("draft", 0)
    assert accepted.json()["status"] == "published"


async def test_clash_checked_when_an_event_changes_time(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")
    rehearsal = await create_event(client, staff.scheduler, REHEARSAL, start="2027-05-01T22:00",
                                   end="2027-05-01T23:00")
    url = f"{EVENTS}/{rehearsal['id']}"

    refused = await client.patch(url, json={"start": "2027-05-01T21:00"}, headers=staff.scheduler)
    still = await client.get(url)

    assert refused.status_code == 409
    assert problem(refused)["message_en"] == GALA_CLASH_EN
    assert still.json() == rehearsal


async def test_a_clash_confirmed_on_a_draft_is_not_asked_again_at_publish(
        client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")
    draft = await create_event(client, staff.scheduler, REHEARSAL, status="draft",
                               allow_overlap=True)

    published = await client.post(f"{EVENTS}/{draft['id']}/publish", json={},
                                  headers=staff.scheduler)

    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"


async def test_a_new_clash_asks_again_after_a_confirmation(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")
    draft = await create_event(client, staff.scheduler, REHEARSAL, status="draft",
                               allow_overlap=True)
    late = await create_event(client, staff.scheduler, REHEARSAL, title_zh="夜场篮球",
                              start="2027-05-01T21:45", end="2027-05-01T23:00")
    url = f"{EVENTS}/{draft['id']}/publish"

    refused = await client.post(url, json={}, headers=staff.scheduler)
    accepted = await client.post(url, json={"allow_overlap": True}, headers=staff.scheduler)

    assert refused.status_code == 409
    body = problem(refused)
    assert body["message"].startswith(
        "场地冲突：与「夜场篮球」5月1日 21:45–23:00 在清溪沟“清青乐园”冲突。")
    assert [d["event_id"] for d in body["details"]] == [late["id"]]  # the gala was confirmed
    assert accepted.json()["status"] == "published"


async def test_a_confirmation_covers_that_night_only(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, status="published")
    draft = await create_event(client, staff.scheduler, REHEARSAL, status="draft",
                               allow_overlap=True)
    later = {"start": "2027-05-01T21:00", "end": "2027-05-01T22:00"}

    moved = await client.patch(f"{EVENTS}/{draft['id']}", json=later, headers=staff.scheduler)

    assert moved.status_code == 409
    assert problem(moved)["message_en"] == GALA_CLASH_EN
