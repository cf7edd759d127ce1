"""Importing another calendar: series stay series, re-runs keep step, nothing is duplicated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bolin_events.services.imports.rules import load_rules
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.imports.calendars import (
    FARM,
    HARVEST,
    MARKET,
    TALK,
    api_nights,
    calendar,
    run_import,
    source_nights,
)
from tests.imports.helpers import stored

OCCURRENCES = "/api/v1/occurrences"


async def by_title(client: Client, staff: Staff) -> dict[str, dict[str, Any]]:
    return {e["title_zh"]: e for e in await stored(client, staff.scheduler)}


async def test_feed_series_match_what_calendar_parsers_see(client: Client, staff: Staff,
                                                           settings: Settings) -> None:
    report = await run_import(client, settings, FARM)

    assert [(r.action, r.title) for r in report.rows] == [
        ("create", "农场周末夜市"), ("create", "农耕文化体验节"), ("create", "柑橘种植讲座"),
    ]
    response = await client.get(OCCURRENCES, params={"start": "2027-06-01", "end": "2027-08-01"})
    assert api_nights(response.json()) == source_nights(FARM, date(2027, 6, 1), date(2027, 8, 1))
    market = [(o["start"], o["status"]) for o in response.json() if o["title_zh"] == "农场周末夜市"]
    assert market == [
        ("2027-06-04T19:00:00+08:00", "scheduled"), ("2027-06-05T19:00:00+08:00", "scheduled"),
        ("2027-06-11T19:00:00+08:00", "scheduled"), ("2027-06-19T19:00:00+08:00", "scheduled"),
        ("2027-06-20T19:00:00+08:00", "moved"), ("2027-06-25T19:00:00+08:00", "scheduled"),
        ("2027-06-26T19:00:00+08:00", "cancelled"),
    ]


async def test_feed_events_say_where_they_came_from(client: Client, staff: Staff,
                                                    settings: Settings) -> None:
    await run_import(client, settings, FARM)

    events = await by_title(client, staff)

    market = events["农场周末夜市"]
    assert (market["source"], market["external_id"]) == ("farm", "market-2027@farm.example")
    assert market["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630T155959Z"
    assert market["status"] == "published"


async def test_feed_rules_place_categories_and_venues(client: Client, staff: Staff,
                                                      settings: Settings) -> None:
    await run_import(client, settings, FARM)

    events = await by_title(client, staff)

    placed = {t: (e["category"]["slug"], (e["venue"] or {}).get("slug"))
              for t, e in events.items()}
    assert placed == {
        "农场周末夜市": ("market", "jiayue-farm"),
        "农耕文化体验节": ("farming", "jiayue-farm"),
        "柑橘种植讲座": ("lecture", None),
    }
    assert events["柑橘种植讲座"]["description_zh"] == (
        "请自带笔记本。\n\n地点 / Location: 镇农业服务中心二楼"
    )


async def test_feed_imported_twice_changes_nothing(client: Client, staff: Staff,
                                                   settings: Settings) -> None:
    await run_import(client, settings, FARM)
    before = await by_title(client, staff)

    report = await run_import(client, settings, FARM)

    assert [r.action for r in report.rows] == ["unchanged"] * 3
    after = await by_title(client, staff)
    assert {t: e["sequence"] for t, e in after.items()} == {
        t: e["sequence"] for t, e in before.items()
    }
    assert len(after) == 3


async def test_feed_changes_update_only_what_changed(client: Client, staff: Staff,
                                                     settings: Settings) -> None:
    await run_import(client, settings, FARM)
    before = await by_title(client, staff)
    market = MARKET.replace(
        "EXDATE;TZID=Asia/Shanghai:20270612T190000",
        "EXDATE;TZID=Asia/Shanghai:20270612T190000,20270619T190000",
    )
    talk = TALK.replace("DTEND:20270710T040000Z", "DTEND:20270710T050000Z")

    report = await run_import(client, settings, calendar(market, HARVEST, talk))

    assert [(r.title, r.action, r.changes) for r in report.rows] == [
        ("农场周末夜市", "update", ["nights"]),
        ("农耕文化体验节", "unchanged", []),
        ("柑橘种植讲座", "update", ["end"]),
    ]
    after = await by_title(client, staff)
    assert {t: e["sequence"] - before[t]["sequence"] for t, e in after.items()} == {
        "农场周末夜市": 1, "农耕文化体验节": 0, "柑橘种植讲座": 1,
    }
    assert after["柑橘种植讲座"]["end"] == "2027-07-10T13:00:00+08:00"
    response = await client.get(OCCURRENCES, params={"start": "2027-06-19", "end": "2027-06-20"})
    assert response.json() == []


async def test_feed_override_removed_restores_the_night(client: Client, staff: Staff,
                                                        settings: Settings) -> None:
    await run_import(client, settings, FARM)
    moved = MARKET.index("RECURRENCE-ID;TZID=Asia/Shanghai:20270618T190000")
    start, end = MARKET.rindex("BEGIN:VEVENT", 0, moved), MARKET.index("END:VEVENT\n", moved)
    market = MARKET[:start] + MARKET[end + len("END:VEVENT\n"):]

    report = await run_import(client, settings, calendar(market, HARVEST, TALK))

    assert (report.rows[0].action, report.rows[0].changes) == ("update", ["nights"])
    response = await client.get(OCCURRENCES, params={"start": "2027-06-18", "end": "2027-06-21"})
    assert [(o["start"], o["status"]) for o in response.json()] == [
        ("2027-06-18T19:00:00+08:00", "scheduled"), ("2027-06-19T19:00:00+08:00", "scheduled"),
    ]


async def test_feed_event_that_disappears_is_cancelled(client: Client, staff: Staff,
                                                       settings: Settings) -> None:
    await run_import(client, settings, FARM)

    report = await run_import(client, settings, calendar(MARKET, HARVEST))

    assert [(r.title, r.action) for r in report.rows][-1] == ("柑橘种植讲座", "cancel")
    talk = (await by_title(client, staff))["柑橘种植讲座"]
    assert (talk["status"], talk["status_reason"], talk["sequence"]) == (
        "cancelled", "来源日历已删除此活动 / Removed from the source calendar", 1,
    )
    again = await run_import(client, settings, calendar(MARKET, HARVEST))
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]


async def test_feed_event_that_disappears_after_it_is_over_stays(client: Client, staff: Staff,
                                                                 settings: Settings) -> None:
    await run_import(client, settings, FARM)

    after_season = datetime(2027, 8, 1, tzinfo=UTC)
    report = await run_import(client, settings, calendar(MARKET), now=after_season)

    assert [r.action for r in report.rows] == ["unchanged"]
    statuses = {t: e["status"] for t, e in (await by_title(client, staff)).items()}
    assert set(statuses.values()) == {"published"}


async def test_feed_with_no_events_cancels_nothing(client: Client, staff: Staff,
                                                   settings: Settings) -> None:
    await run_import(client, settings, FARM)

    report = await run_import(client, settings, calendar())

    assert report.rows == []
    assert report.notes == [
        "来源日历没有任何活动，为安全起见未取消任何活动 / the source lists no events: "
        "nothing was cancelled, to be safe"
    ]
    assert {e["status"] for e in await stored(client, staff.scheduler)} == {"published"}


async def test_feed_cancelled_in_the_source_is_cancelled_here(client: Client, staff: Staff,
                                                              settings: Settings) -> None:
    await run_import(client, settings, FARM)
    cancelled = HARVEST.replace("SUMMARY:", "STATUS:CANCELLED\nSUMMARY:")

    report = await run_import(client, settings, calendar(MARKET, cancelled, TALK))

    assert [(r.action, r.changes) for r in report.rows][1] == ("update", ["status"])
    harvest = (await by_title(client, staff))["农耕文化体验节"]
    assert (harvest["status"], harvest["status_reason"]) == (
        "cancelled", "来源日历已取消 / Cancelled in the source calendar")


async def test_feed_dry_run_writes_nothing(client: Client, staff: Staff,
                                           settings: Settings) -> None:
    report = await run_import(client, settings, FARM, dry_run=True)

    assert (report.counts.create, report.written) == (3, False)
    assert await stored(client, staff.scheduler) == []


async def test_feed_event_clashing_with_ours_is_skipped_and_told(client: Client, staff: Staff,
                                                                 settings: Settings) -> None:
    ours = {"title_zh": "研学开放日", "category": "culture", "venue": "jiayue-farm",
            "all_day": True, "start": "2027-07-10", "end": "2027-07-10", "status": "published"}
    await client.post("/api/v1/events", json=ours, headers=staff.scheduler)

    report = await run_import(client, settings, FARM)

    assert [r.action for r in report.rows] == ["create", "skip", "create"]
    assert [p.message for p in report.problems] == [
        "「农耕文化体验节」（harvest-2027@farm.example）：场地冲突，嘉悦农场研学基地 在 "
        "2027-07-10 已有「研学开放日」。"
    ]
    rules = load_rules("allow_overlap: true\nrules:\n  - {categories: 农耕, category: farming}")
    allowed = await run_import(client, settings, FARM, rules=rules)
    assert [r.action for r in allowed.rows] == ["update", "create", "update"]


async def test_feed_endless_series_is_imported_until_the_end_of_next_year(
        client: Client, staff: Staff, settings: Settings) -> None:
    endless = TALK.replace("DTEND:20270710T040000Z", "DTEND:20270710T040000Z\nRRULE:FREQ=MONTHLY")

    report = await run_import(client, settings, calendar(endless))

    assert report.rows[0].notes == [
        "来源重复无结束，导入至 2028-12-31 / endless series imported until 2028-12-31"
    ]
    (talk,) = await stored(client, staff.scheduler)
    assert (talk["rrule"], talk["timezone"]) == ("FREQ=MONTHLY;UNTIL=20281231T235959Z", "UTC")
    assert talk["occurrence_count"] == 18


async def test_feed_night_the_rule_does_not_have_is_noted(client: Client, staff: Staff,
                                                          settings: Settings) -> None:
    stray = MARKET.replace("RECURRENCE-ID;TZID=Asia/Shanghai:20270618T190000",
                           "RECURRENCE-ID;TZID=Asia/Shanghai:20270617T190000")

    report = await run_import(client, settings, calendar(stray))

    assert report.rows[0].notes == [
        "来源中 2027-06-17 19:00 这一场不在重复规则内，已忽略 / the source's night at "
        "2027-06-17 19:00 is not on the rule and was ignored"
    ]


async def test_feed_source_named_like_a_sheet_is_refused(client: Client, reference: None,
                                                         settings: Settings) -> None:
    import pytest

    from bolin_events.errors import InvalidInput

    with pytest.raises(InvalidInput) as raised:
        await run_import(client, settings, FARM, source="sheet")

    assert raised.value.zh == (
        "来源名称「sheet」无效：只用小写字母、数字、-，且不能是 sheet、sheet-… 或 demo。"
    )


async def test_feed_rules_naming_an_unknown_venue_are_refused(client: Client, reference: None,
                                                              settings: Settings) -> None:
    import pytest

    from bolin_events.errors import InvalidInput

    rules = load_rules("rules:\n  - {location: 农场, venue: jiayue}")

    with pytest.raises(InvalidInput) as raised:
        await run_import(client, settings, FARM, rules=rules)

    assert raised.value.zh == "规则文件中的场地「jiayue」不存在（相近：jiayue-farm）。"
