"""Series and one-night exceptions: skip, move (maybe to another venue), cancel, restore."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import (
    EVENTS,
    GALA,
    MARKET,
    OCCURRENCES,
    calendar,
    create_event,
    nights,
    problem,
)
from tests.conftest import Client, Staff

JUNE = ("2027-06-01", "2027-07-01")
JUNE_NIGHTS = ["2027-06-04", "2027-06-05", "2027-06-11", "2027-06-12", "2027-06-18",
               "2027-06-19", "2027-06-25", "2027-06-26"]


def at_seven(days: list[str]) -> list[tuple[str, str]]:
    return [(f"{day}T19:00:00+08:00", "scheduled") for day in days]


async def market(client: Client, staff: Staff, **changes: Any) -> dict[str, Any]:
    return await create_event(client, staff.scheduler, MARKET, **changes)


async def test_series_expands_every_friday_and_saturday(client: Client, staff: Staff) -> None:
    series = await market(client, staff)

    occurrences = await calendar(client, *JUNE)

    assert series["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630T155959Z"
    assert series["occurrence_count"] == 8
    assert nights(occurrences) == at_seven(JUNE_NIGHTS)
    assert [o["id"] for o in occurrences] == [
        f"{series['id']}-{day.replace('-', '')}T190000" for day in JUNE_NIGHTS]
    assert {o["end"][11:] for o in occurrences} == {"22:30:00+08:00"}


async def test_series_start_snaps_to_the_rules_first_day(client: Client, staff: Staff) -> None:
    series = await market(client, staff, start="2027-06-02T19:00", end="2027-06-02T22:30")

    assert (series["start"], series["end"]) == ("2027-06-04T19:00:00+08:00",
                                                "2027-06-04T22:30:00+08:00")
    assert nights(await calendar(client, *JUNE))[0] == ("2027-06-04T19:00:00+08:00", "scheduled")


async def test_series_monthly_first_saturday(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, {
        "title_zh": "法治宣传进村", "category": "legal",
        "start": "2027-06-05T09:30", "end": "2027-06-05T11:00"},
        rrule="FREQ=MONTHLY;BYDAY=1SA;COUNT=3", status="published")

    occurrences = await calendar(client, "2027-06-01", "2027-12-31")

    assert [o["start"] for o in occurrences] == ["2027-06-05T09:30:00+08:00",
                                                 "2027-07-03T09:30:00+08:00",
                                                 "2027-08-07T09:30:00+08:00"]


async def test_series_with_interval_every_other_tuesday(client: Client, staff: Staff) -> None:
    await create_event(client, staff.scheduler, GALA, start="2027-07-06T19:30",
                       end="2027-07-06T21:00", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3",
                       status="published")

    occurrences = await calendar(client, "2027-07-01", "2027-09-01")

    assert [o["start"][:10] for o in occurrences] == ["2027-07-06", "2027-07-20", "2027-08-03"]


async def test_series_all_day_weekly(client: Client, staff: Staff) -> None:
    series = await create_event(client, staff.scheduler, {
        "title_zh": "周末农耕体验", "category": "farming", "venue": "jiayue-farm",
        "all_day": True, "start": "2027-07-10", "end": "2027-07-11",
        "rrule": "FREQ=WEEKLY;UNTIL=20270725", "status": "published"})

    occurrences = await calendar(client, "2027-07-01", "2027-08-01")

    assert series["rrule"] == "FREQ=WEEKLY;UNTIL=20270725"
    assert [(o["id"], o["start"], o["end"]) for o in occurrences] == [
        (f"{series['id']}-20270710", "2027-07-10", "2027-07-11"),
        (f"{series['id']}-20270717", "2027-07-17", "2027-07-18"),
        (f"{series['id']}-20270724", "2027-07-24", "2027-07-25"),
    ]


async def test_rrule_refused_names_the_part_and_stores_nothing(client: Client,
                                                               staff: Staff) -> None:
    response = await client.post(EVENTS, json={**MARKET, "rrule": "FREQ=WEEKLY;BYDAY=FR"},
                                 headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message_en"] == (
        "The recurrence rule's COUNT/UNTIL is wrong: a rule must end: give COUNT or UNTIL "
        "(unbounded rules are refused)")
    assert problem(response)["details"] == [{"field": "rrule", "part": "COUNT/UNTIL"}]
    listed = await client.get(EVENTS, params={"status": "draft,published"},
                              headers=staff.scheduler)
    assert listed.json()["total"] == 0


async def test_skip_removes_one_night_from_the_calendar(client: Client, staff: Staff) -> None:
    series = await market(client, staff)

    response = await client.post(f"{OCCURRENCES}/{series['id']}-20270612T190000/skip",
                                 headers=staff.scheduler)

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sequence"]) == ("skipped", 1)
    assert nights(await calendar(client, *JUNE)) == at_seven(
        [d for d in JUNE_NIGHTS if d != "2027-06-12"])
    event = (await client.get(f"{EVENTS}/{series['id']}")).json()
    assert (event["occurrence_count"], event["sequence"]) == (7, 1)


async def test_move_shows_the_night_at_its_new_time_with_the_same_id(client: Client,
                                                                     staff: Staff) -> None:
    series = await market(client, staff)
    night = f"{series['id']}-20270618T190000"

    response = await client.post(f"{OCCURRENCES}/{night}/move", json={
        "start": "2027-06-20T18:30", "end": "2027-06-20T22:00", "reason": "因雨改到周日"},
        headers=staff.scheduler)

    assert response.status_code == 200
    moved = [o for o in await calendar(client, *JUNE) if o["id"] == night]
    assert [(o["start"], o["end"], o["original_start"], o["status"], o["reason"],
             o["venue"]["slug"]) for o in moved] == [
        ("2027-06-20T18:30:00+08:00", "2027-06-20T22:00:00+08:00", "2027-06-18T19:00:00+08:00",
         "moved", "因雨改到周日", "ginkgo-night-market")]
    assert (await client.get(f"{OCCURRENCES}/{night}")).json()["start"] == (
        "2027-06-20T18:30:00+08:00")


async def test_move_to_another_venue(client: Client, staff: Staff) -> None:
    series = await market(client, staff)
    night = f"{series['id']}-20270619T190000"

    await client.post(f"{OCCURRENCES}/{night}/move", json={
        "start": "2027-06-19T19:00", "end": "2027-06-19T22:30", "venue": "qingqing-park"},
        headers=staff.scheduler)

    in_huagai = await calendar(client, *JUNE, village="huagai")
    assert [(o["id"], o["venue"]["slug"], o["status"]) for o in in_huagai] == [
        (night, "qingqing-park", "moved")]
    at_market = await calendar(client, *JUNE, venue="ginkgo-night-market")
    assert night not in [o["id"] for o in at_market]


async def test_cancel_keeps_the_night_marked_with_its_reason(client: Client,
                                                             staff: Staff) -> None:
    series = await market(client, staff)
    night = f"{series['id']}-20270626T190000"

    response = await client.post(f"{OCCURRENCES}/{night}/cancel",
                                 json={"reason": "暴雨预警，本场取消"}, headers=staff.scheduler)

    assert response.status_code == 200
    last = (await calendar(client, *JUNE))[-1]
    assert (last["id"], last["status"], last["reason"], last["event_status"]) == (
        night, "cancelled", "暴雨预警，本场取消", "published")
    assert (await client.get(f"{EVENTS}/{series['id']}")).json()["occurrence_count"] == 8


async def test_cancel_occurrence_without_a_reason_is_refused(client: Client,
                                                             staff: Staff) -> None:
    series = await market(client, staff)
    night = f"{series['id']}-20270626T190000"

    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = await client.post(f"{OCCURRENCES}/{night}/cancel", json=body,
                                     headers=staff.scheduler)

        assert response.status_code == 422, body
        assert problem(response)["details"][0]["key"] == "reason"
    assert (await client.get(f"{OCCURRENCES}/{night}")).json()["status"] == "scheduled"


async def test_restore_undoes_skip_move_and_cancel(client: Client, staff: Staff) -> None:
    series = await market(client, staff)
    sid = series["id"]
    await client.post(f"{OCCURRENCES}/{sid}-20270604T190000/skip", headers=staff.scheduler)
    await client.post(f"{OCCURRENCES}/{sid}-20270605T190000/move", json={
        "start": "2027-06-06T19:00", "end": "2027-06-06T22:30", "venue": "qingqing-park"},
        headers=staff.scheduler)
    await client.post(f"{OCCURRENCES}/{sid}-20270611T190000/cancel", json={"reason": "停电"},
                      headers=staff.scheduler)

    for day in ("20270604", "20270605", "20270611"):
        response = await client.post(f"{OCCURRENCES}/{sid}-{day}T190000/restore",
                                     headers=staff.scheduler)
        assert response.status_code == 200

    occurrences = await calendar(client, *JUNE)
    assert nights(occurrences) == at_seven(JUNE_NIGHTS)
    assert {(o["venue"]["slug"], o["reason"]) for o in occurrences} == {
        ("ginkgo-night-market", None)}
    assert (await client.get(f"{EVENTS}/{sid}")).json()["sequence"] == 6


async def test_exception_on_a_single_event_is_refused(client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")
    night = f"{event['id']}-20270501T193000"

    response = await client.post(f"{OCCURRENCES}/{night}/skip", headers=staff.scheduler)

    assert response.status_code == 409
    assert problem(response)["message_en"] == (
        "This is a single event: edit or cancel the event itself.")
    assert nights(await calendar(client, "2027-05-01", "2027-05-02")) == [
        ("2027-05-01T19:30:00+08:00", "scheduled")]


async def test_exception_on_an_unknown_night_is_404(client: Client, staff: Staff) -> None:
    series = await market(client, staff)

    for key in (f"{series['id']}-20270607T190000", f"{series['id']}-tomorrow", "night-market",
                "99999-20270604T190000", "99999999999-20270604T190000", "²-20270604T190000",
                f"{series['id']}-00010101T000000"):
        response = await client.post(f"{OCCURRENCES}/{key}/skip", headers=staff.scheduler)

        assert response.status_code == 404, key
        assert problem(response)["message_en"] == (
            f"No occurrence {key!r}; ids look like 12-20270604T190000 (see /api/v1/occurrences).")


async def test_exception_on_a_cancelled_series_is_refused(client: Client, staff: Staff) -> None:
    series = await market(client, staff)
    await client.post(f"{EVENTS}/{series['id']}/cancel", json={"reason": "停办"},
                      headers=staff.scheduler)

    response = await client.post(f"{OCCURRENCES}/{series['id']}-20270604T190000/skip",
                                 headers=staff.scheduler)

    assert response.status_code == 409
    assert problem(response)["message_en"] == "The whole event is cancelled."


async def test_changing_the_rule_keeps_exceptions_on_nights_that_remain(client: Client,
                                                                       staff: Staff) -> None:
    series = await market(client, staff)
    await client.post(f"{OCCURRENCES}/{series['id']}-20270611T190000/cancel",
                      json={"reason": "停电"}, headers=staff.scheduler)

    response = await client.patch(f"{EVENTS}/{series['id']}", json={
        "rrule": "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270630"}, headers=staff.scheduler)

    assert response.json()["sequence"] == 2
    assert nights(await calendar(client, *JUNE)) == [
        ("2027-06-04T19:00:00+08:00", "scheduled"), ("2027-06-11T19:00:00+08:00", "cancelled"),
        ("2027-06-18T19:00:00+08:00", "scheduled"), ("2027-06-25T19:00:00+08:00", "scheduled")]


async def test_retiming_the_series_keeps_each_nights_exception(client: Client,
                                                               staff: Staff) -> None:
    """19:00 → 19:30 for the season: the skipped, cancelled and moved nights stay so."""
    series = await market(client, staff)
    base = f"{OCCURRENCES}/{series['id']}"
    await client.post(f"{base}-20270612T190000/skip", headers=staff.scheduler)
    await client.post(f"{base}-20270611T190000/cancel", json={"reason": "停电"},
                      headers=staff.scheduler)
    await client.post(f"{base}-20270618T190000/move", json={
        "start": "2027-06-20T18:30", "end": "2027-06-20T22:00"}, headers=staff.scheduler)

    response = await client.patch(f"{EVENTS}/{series['id']}", json={
        "start": "2027-06-04T19:30", "end": "2027-06-04T23:00"}, headers=staff.scheduler)

    assert response.status_code == 200, response.text
    june = await calendar(client, *JUNE)
    assert nights(june) == [
        ("2027-06-04T19:30:00+08:00", "scheduled"), ("2027-06-05T19:30:00+08:00", "scheduled"),
        ("2027-06-11T19:30:00+08:00", "cancelled"), ("2027-06-19T19:30:00+08:00", "scheduled"),
        ("2027-06-20T18:30:00+08:00", "moved"), ("2027-06-25T19:30:00+08:00", "scheduled"),
        ("2027-06-26T19:30:00+08:00", "scheduled")]
    moved = next(o for o in june if o["status"] == "moved")
    assert (moved["id"], moved["original_start"]) == (
        f"{series['id']}-20270618T193000", "2027-06-18T19:30:00+08:00")
    assert next(o for o in june if o["status"] == "cancelled")["reason"] == "停电"


async def test_restoring_into_a_taken_venue_is_409_unless_overlap_is_allowed(
        client: Client, staff: Staff) -> None:
    series = await market(client, staff)
    night = f"{OCCURRENCES}/{series['id']}-20270618T190000"
    await client.post(f"{night}/move", json={"start": "2027-06-20T19:00",
                                             "end": "2027-06-20T22:30"}, headers=staff.scheduler)
    gala = await create_event(client, staff.scheduler, GALA, venue="ginkgo-night-market",
                              start="2027-06-18T20:00", end="2027-06-18T21:30",
                              status="published")

    refused = await client.post(f"{night}/restore", headers=staff.scheduler)
    allowed = await client.post(f"{night}/restore", json={"allow_overlap": True},
                                headers=staff.scheduler)

    assert refused.status_code == 409
    assert problem(refused)["code"] == "venue_clash"
    assert str(gala["id"]) in str(problem(refused)["details"])
    assert allowed.status_code == 200
    assert (allowed.json()["status"], allowed.json()["start"]) == (
        "scheduled", "2027-06-18T19:00:00+08:00")
