"""Series by the Chinese calendar through the JSON API: their nights at the start time in
Asia/Shanghai, refusals in words, and the one-night changes every series has."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import (
    EVENTS,
    MARKET,
    OCCURRENCES,
    calendar,
    create_event,
    nights,
    problem,
)
from tests.conftest import Client, Staff

# The 中秋 gala at 清青乐园: planned from New Year's Day, held on 八月十五 each year.
MID_AUTUMN: dict[str, Any] = {
    "title_zh": "中秋村晚",
    "title_en": "Mid-Autumn village gala",
    "category": "performance",
    "venue": "qingqing-park",
    "start": "2027-01-01T19:30",
    "end": "2027-01-01T21:30",
    "calendar_rule": "lunar;month=8;day=15;count=3",
    "status": "published",
}
GALA_NIGHTS = ["2027-09-15", "2028-10-03", "2029-09-22"]


async def three_years(client: Client) -> list[dict[str, Any]]:
    """The occurrences of 2027–2029 (a window is at most two years)."""
    return (await calendar(client, "2027-01-01", "2028-12-31")
            + await calendar(client, "2029-01-01", "2029-12-31"))


def at_half_seven(days: list[str], state: str = "scheduled") -> list[tuple[str, str]]:
    return [(f"{day}T19:30:00+08:00", state) for day in days]


async def gala(client: Client, staff: Staff, **changes: Any) -> dict[str, Any]:
    return await create_event(client, staff.scheduler, MID_AUTUMN, **changes)


async def test_lunar_series_nights_are_the_rules_dates_at_the_start_time(
        client: Client, staff: Staff) -> None:
    series = await gala(client, staff)

    occurrences = await three_years(client)

    assert (series["calendar_rule"], series["rrule"]) == ("LUNAR;MONTH=8;DAY=15;COUNT=3", None)
    assert series["occurrence_count"] == 3
    assert nights(occurrences) == at_half_seven(GALA_NIGHTS)
    assert [o["end"] for o in occurrences] == [f"{d}T21:30:00+08:00" for d in GALA_NIGHTS]
    assert [o["id"] for o in occurrences] == [
        f"{series['id']}-{day.replace('-', '')}T193000" for day in GALA_NIGHTS]


async def test_the_start_moves_to_the_first_night_keeping_its_time(client: Client,
                                                                   staff: Staff) -> None:
    series = await gala(client, staff)

    assert (series["start"], series["end"]) == ("2027-09-15T19:30:00+08:00",
                                                "2027-09-15T21:30:00+08:00")
    shown = (await client.get(f"{EVENTS}/{series['id']}")).json()
    assert (shown["start"], shown["calendar_rule"]) == ("2027-09-15T19:30:00+08:00",
                                                        "LUNAR;MONTH=8;DAY=15;COUNT=3")


async def test_open_lunar_series_holds_every_year_the_calendar_holds(client: Client,
                                                                     staff: Staff) -> None:
    series = await gala(client, staff, calendar_rule="LUNAR;MONTH=9;DAY=9")

    assert series["occurrence_count"] == 2099 - 2027 + 1
    assert nights(await calendar(client, "2027-01-01", "2028-12-31")) == [
        ("2027-10-08T19:30:00+08:00", "scheduled"), ("2028-10-26T19:30:00+08:00", "scheduled")]


async def test_solar_term_series(client: Client, staff: Staff) -> None:
    await gala(client, staff, title_zh="中国农民丰收节", calendar_rule="TERM;NAME=qiufen;COUNT=2",
               start="2027-09-01T09:00", end="2027-09-01T17:00")

    assert [o["start"] for o in await three_years(client)] == [
        "2027-09-23T09:00:00+08:00", "2028-09-22T09:00:00+08:00"]


async def test_all_day_market_on_lunar_days_ending_in_3_6_9(client: Client,
                                                           staff: Staff) -> None:
    series = await create_event(client, staff.scheduler, {
        "title_zh": "逢三六九赶场", "category": "market", "venue": "ginkgo-night-market",
        "all_day": True, "start": "2027-09-01", "end": "2027-09-01", "status": "published",
        "calendar_rule": "LUNARDAYS;ENDINGS=3,6,9;UNTIL=20270929"})

    occurrences = await calendar(client, "2027-09-01", "2027-10-01")

    assert series["occurrence_count"] == 9
    assert [(o["start"], o["end"]) for o in occurrences][:2] == [
        ("2027-09-03", "2027-09-03"), ("2027-09-06", "2027-09-06")]
    assert [o["start"][8:] for o in occurrences] == [
        "03", "06", "09", "13", "16", "19", "23", "26", "29"]


async def test_rrule_and_calendar_rule_together_are_refused(client: Client,
                                                            staff: Staff) -> None:
    response = await client.post(EVENTS, json={
        **MID_AUTUMN, "rrule": "FREQ=WEEKLY;BYDAY=FR;COUNT=3"}, headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message"] == (
        "一个活动只能有一种重复方式：重复规则（rrule）和农历规则（calendar_rule）只能二选一；"
        "改用其中一种时，请把另一种设为空（null）。")
    assert await three_years(client) == []


async def test_a_bad_rule_is_refused_in_words_and_stores_nothing(client: Client,
                                                                 staff: Staff) -> None:
    for rule, message in (
        ("LUNAR;MONTH=13;DAY=15", "农历规则有误：农历月份须为 1–12"),
        ("LUNARDAYS;ENDINGS=3,6,9", "农历规则有误：逢日规则须写明截止日期或次数"
                                    "（如 ;UNTIL=20271231 或 ;COUNT=30）"),
        ("LUNAR;MONTH=8;DAY=15;UNTIL=20270901",
         "农历规则有误：在开始日期（2027-01-01）之后没有任何一次活动"),
    ):
        response = await client.post(EVENTS, json={**MID_AUTUMN, "calendar_rule": rule},
                                     headers=staff.scheduler)

        assert response.status_code == 422, rule
        assert problem(response)["message"] == message
        assert problem(response)["details"][0]["field"] == "calendar_rule"
    listed = await client.get(EVENTS, params={"status": "draft,published"},
                              headers=staff.scheduler)
    assert listed.json()["total"] == 0


async def test_an_rrule_series_switches_to_a_lunar_rule_only_with_rrule_cleared(
        client: Client, staff: Staff) -> None:
    market = await create_event(client, staff.scheduler, MARKET)
    path = f"{EVENTS}/{market['id']}"

    refused = await client.patch(path, json={"calendar_rule": "LUNAR;MONTH=8;DAY=15;COUNT=2"},
                                 headers=staff.scheduler)
    switched = await client.patch(path, json={"calendar_rule": "LUNAR;MONTH=8;DAY=15;COUNT=2",
                                              "rrule": None}, headers=staff.scheduler)

    assert refused.status_code == 422
    assert problem(refused)["message_en"] == (
        "An event repeats one way: give rrule or calendar_rule, not both; to switch, set the "
        "other to null.")
    assert switched.status_code == 200, switched.text
    assert (switched.json()["rrule"], switched.json()["occurrence_count"]) == (None, 2)
    assert nights(await calendar(client, "2027-06-01", "2029-06-01")) == [
        ("2027-09-15T19:00:00+08:00", "scheduled"), ("2028-10-03T19:00:00+08:00", "scheduled")]


async def test_changing_the_rule_resyncs_the_nights(client: Client, staff: Staff) -> None:
    series = await gala(client, staff)

    response = await client.patch(f"{EVENTS}/{series['id']}", json={
        "calendar_rule": "lunar;month=9;day=9;count=2"}, headers=staff.scheduler)

    assert response.status_code == 200, response.text
    assert (response.json()["calendar_rule"], response.json()["sequence"],
            response.json()["start"]) == (
        "LUNAR;MONTH=9;DAY=9;COUNT=2", 1, "2027-10-08T19:30:00+08:00")
    assert nights(await three_years(client)) == at_half_seven(
        ["2027-10-08", "2028-10-26"])


async def test_skip_cancel_and_move_one_night_of_a_lunar_series(client: Client,
                                                                staff: Staff) -> None:
    series = await gala(client, staff)
    base = f"{OCCURRENCES}/{series['id']}"

    skipped = await client.post(f"{base}-20270915T193000/skip", headers=staff.scheduler)
    moved = await client.post(f"{base}-20281003T193000/move", json={
        "start": "2028-10-04T19:00", "end": "2028-10-04T21:00", "reason": "国庆假期错开"},
        headers=staff.scheduler)
    cancelled = await client.post(f"{base}-20290922T193000/cancel", json={"reason": "台风"},
                                  headers=staff.scheduler)

    assert [r.status_code for r in (skipped, moved, cancelled)] == [200, 200, 200]
    occurrences = await three_years(client)
    assert [(o["start"], o["status"], o["reason"]) for o in occurrences] == [
        ("2028-10-04T19:00:00+08:00", "moved", "国庆假期错开"),
        ("2029-09-22T19:30:00+08:00", "cancelled", "台风")]
    assert occurrences[0]["original_start"] == "2028-10-03T19:30:00+08:00"
    restored = await client.post(f"{base}-20270915T193000/restore", headers=staff.scheduler)
    assert restored.json()["status"] == "scheduled"


async def test_retiming_a_lunar_series_keeps_a_moved_night(client: Client,
                                                           staff: Staff) -> None:
    series = await gala(client, staff)
    await client.post(f"{OCCURRENCES}/{series['id']}-20281003T193000/move", json={
        "start": "2028-10-04T19:30", "end": "2028-10-04T21:30"}, headers=staff.scheduler)

    response = await client.patch(f"{EVENTS}/{series['id']}", json={
        "start": "2027-09-15T20:00", "end": "2027-09-15T22:00"}, headers=staff.scheduler)

    assert response.status_code == 200, response.text
    occurrences = await three_years(client)
    assert nights(occurrences) == [
        ("2027-09-15T20:00:00+08:00", "scheduled"), ("2028-10-04T19:30:00+08:00", "moved"),
        ("2029-09-22T20:00:00+08:00", "scheduled")]
    assert (occurrences[1]["id"], occurrences[1]["original_start"]) == (
        f"{series['id']}-20281003T200000", "2028-10-03T20:00:00+08:00")


async def test_clearing_the_rule_leaves_a_single_event(client: Client, staff: Staff) -> None:
    series = await gala(client, staff)

    response = await client.patch(f"{EVENTS}/{series['id']}", json={"calendar_rule": None},
                                  headers=staff.scheduler)

    assert (response.json()["calendar_rule"], response.json()["occurrence_count"]) == (None, 1)
    assert nights(await three_years(client)) == at_half_seven(["2027-09-15"])
    skip = await client.post(f"{OCCURRENCES}/{series['id']}-20270915T193000/skip",
                             headers=staff.scheduler)
    assert problem(skip)["message_en"] == "This is a single event: edit or cancel the event itself."


async def test_openapi_documents_the_calendar_rule(client: Client) -> None:
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]

    for shape in ("EventCreate", "EventUpdate"):
        described = schemas[shape]["properties"]["calendar_rule"]["description"]
        assert "LUNAR;MONTH=8;DAY=15" in described and "TERM;NAME=秋分" in described
    assert "calendar_rule" in schemas["EventOut"]["properties"]
