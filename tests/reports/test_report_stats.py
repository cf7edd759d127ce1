"""Statistics for a period: what counts as held, the latest revision, groupings, 同比."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bolin_events.services.stats.periods import parse_period
from bolin_events.services.stats.queries import GroupBy, figures, window_of
from tests.conftest import Client, Staff
from tests.reports.helpers import (
    REPORTS,
    TZ,
    get_json,
    report,
    report_all,
    rows_by_key,
    season,
    spread,
)


async def test_stats_count_only_held_nights_of_published_events(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-06-01T19:00", nights=5)
    await report_all(client, staff.admin, nights[:3], [100, 200, 300])
    await client.post(f"/api/v1/occurrences/{nights[3]}/skip", headers=staff.scheduler)
    await client.post(
        f"/api/v1/occurrences/{nights[4]}/cancel", json={"reason": "暴雨"}, headers=staff.scheduler
    )
    cancelled, _ = await season(client, staff.scheduler, "2025-06-10T19:00", nights=2)
    await client.post(
        f"/api/v1/events/{cancelled}/cancel", json={"reason": "改期"}, headers=staff.scheduler
    )
    postponed, _ = await season(client, staff.scheduler, "2025-06-12T19:00")
    await client.post(
        f"/api/v1/events/{postponed}/postpone", json={"reason": "待定"}, headers=staff.scheduler
    )
    await season(client, staff.scheduler, "2025-06-14T19:00", status="draft")

    stats = await get_json(client, staff.admin, "stats", period="2025-06")

    total = stats["total"]
    assert (total["sessions"], total["people"], total["unreported"]) == (3, 600, 0)
    assert rows_by_key(stats)["culture"]["name_zh"] == "文化活动"


async def test_stats_a_correction_counts_once_with_its_new_figures(
    client: Client, staff: Staff
) -> None:
    _, (night,) = await season(client, staff.scheduler, "2025-03-08T19:00")
    await report(client, staff.admin, night, 120, onsite=100, online=20)
    await report(client, staff.admin, night, 150, onsite=130, online=20, reason="漏记一批")

    total = (await get_json(client, staff.admin, "stats", period="2025"))["total"]

    assert (total["sessions"], total["reported"], total["people"]) == (1, 1, 150)
    assert (total["onsite"], total["online"]) == (130, 20)


async def test_stats_breakdowns_sum_residents_visitors_onsite_online_volunteers(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-05-01T19:00", nights=3)
    await report(client, staff.admin, nights[0], 100, residents=60, visitors=40, volunteers=5)
    await report(client, staff.admin, nights[1], 300, online=200, residents=70, visitors=30)
    await report(client, staff.admin, nights[2], 50, onsite=50, online=0, volunteers=2)

    total = (await get_json(client, staff.admin, "stats", period="2025-Q2"))["total"]

    assert {k: total[k] for k in ("residents", "visitors", "onsite", "online", "volunteers")} == {
        "residents": 130,
        "visitors": 70,
        "onsite": 250,
        "online": 200,
        "volunteers": 7,
    }


async def test_stats_a_split_nobody_gave_is_null_never_zero(client: Client, staff: Staff) -> None:
    _, split = await season(client, staff.scheduler, "2025-05-01T19:00", venue="qingqing-park")
    _, whole = await season(client, staff.scheduler, "2025-05-02T19:00")
    await report(client, staff.admin, split[0], 100, residents=60, visitors=40)
    await report(client, staff.admin, whole[0], 80)

    stats = await get_json(client, staff.admin, "stats", period="2025-05", group_by="village")
    as_csv = await client.get(f"{REPORTS}/stats/file", headers=staff.admin,
                              params={"period": "2025-05", "group_by": "village"})

    rows = rows_by_key(stats)
    assert (rows["huagai"]["residents"], rows["huagai"]["visitors"]) == (60, 40)
    assert (rows["dongsheng"]["residents"], rows["dongsheng"]["visitors"]) == (None, None)
    assert (stats["total"]["residents"], stats["total"]["visitors"]) == (60, 40)
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[4:6] == ["本地居民", "外地游客"]
    assert [line.split(",")[:6] for line in lines[1:]] == [
        ["华盖村", "1", "1", "100", "60", "40"],
        ["东胜村", "1", "1", "80", "未填", "未填"],
        ["合计", "2", "2", "180", "60", "40"],
    ]


async def test_stats_unreported_counts_held_nights_without_a_report(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-09-01T19:00", nights=4)
    await report(client, staff.admin, nights[0], 80)

    total = (await get_json(client, staff.admin, "stats", period="2025-09"))["total"]

    assert (total["sessions"], total["reported"], total["unreported"]) == (4, 1, 3)


async def test_stats_nights_not_yet_over_are_not_held(client: Client, staff: Staff) -> None:
    now = datetime.now(TZ).replace(second=0, microsecond=0, tzinfo=None)
    await season(client, staff.scheduler, (now - timedelta(days=2)).isoformat())  # over
    await season(client, staff.scheduler, (now - timedelta(hours=1)).isoformat(), hours=3)
    await season(client, staff.scheduler, (now + timedelta(days=2)).isoformat())
    first, last = now.date() - timedelta(days=3), now.date() + timedelta(days=3)

    stats = await get_json(client, staff.admin, "stats", **{"from": str(first), "to": str(last)})

    assert (stats["total"]["sessions"], stats["total"]["unreported"]) == (1, 1)


async def test_stats_by_village_and_venue_name_the_places(client: Client, staff: Staff) -> None:
    _, market = await season(client, staff.scheduler, "2025-07-01T19:00", nights=2)
    _, park = await season(client, staff.scheduler, "2025-07-05T19:00", venue="qingqing-park")
    _, farm = await season(client, staff.scheduler, "2025-07-06T09:00", venue="jiayue-farm")
    _, nowhere = await season(client, staff.scheduler, "2025-07-07T09:00", venue=None)
    _, station = await season(client, staff.scheduler, "2025-07-08T09:00", venue="culture-station")
    await report_all(
        client, staff.admin, market + park + farm + nowhere + station, [10, 20, 40, 8, 1, 2]
    )

    villages = await get_json(client, staff.admin, "stats", period="2025-07", group_by="village")
    venues = await get_json(client, staff.admin, "stats", period="2025-07", group_by="venue")

    assert [(r["key"], r["name_zh"], r["sessions"], r["people"]) for r in villages["rows"]] == [
        ("huagai", "华盖村", 1, 40),
        ("dongsheng", "东胜村", 3, 38),
        ("-", "未归入村", 2, 3),  # the culture station is in no village; one night had no venue
    ]
    assert [(r["key"], r["name_zh"]) for r in venues["rows"]][-2:] == [
        ("culture-station", "柏林镇综合文化站"), ("-", "未指定场地")]
    assert rows_by_key(venues)["ginkgo-night-market"]["people"] == 30
    assert villages["total"]["people"] == 81


async def test_stats_by_programme_and_organizer(client: Client, staff: Staff) -> None:
    _, gala = await season(
        client, staff.scheduler, "2025-08-01T19:30", programme="cunwan", organizer="culture-station"
    )
    _, other = await season(client, staff.scheduler, "2025-08-02T19:30")
    await report_all(client, staff.admin, gala + other, [500, 20])

    programmes = await get_json(client, staff.admin, "stats", period="2025", group_by="programme")
    organizers = await get_json(client, staff.admin, "stats", period="2025", group_by="organizer")

    assert [(r["key"], r["people"]) for r in programmes["rows"]] == [("cunwan", 500), ("-", 20)]
    assert rows_by_key(organizers)["culture-station"]["name_zh"] == "柏林镇综合文化站"


async def test_stats_by_month_uses_the_towns_local_months(client: Client, staff: Staff) -> None:
    # 00:30 on 1 July in Shanghai is still 30 June in UTC; 23:30 on 31 July is 31 July in UTC.
    _, july_first = await season(client, staff.scheduler, "2025-07-01T00:30", hours=1)
    _, june_last = await season(client, staff.scheduler, "2025-06-30T23:00", hours=1)
    _, july_last = await season(client, staff.scheduler, "2025-07-31T23:30", hours=1)
    await report_all(client, staff.admin, july_first + june_last + july_last, [7, 3, 11])

    stats = await get_json(client, staff.admin, "stats", period="2025", group_by="month")

    months = {row["key"]: (row["name_zh"], row["sessions"], row["people"]) for row in stats["rows"]}
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert months["2025-06"] == ("2025年6月", 1, 3)
    assert months["2025-07"] == ("2025年7月", 2, 18)
    assert months["2025-08"] == ("2025年8月", 0, 0)


async def test_stats_compare_with_the_same_period_a_year_earlier(
    client: Client, staff: Staff
) -> None:
    s = staff.scheduler
    _, before = await season(client, s, "2024-10-01T19:00", nights=10)
    _, now = await season(client, s, "2025-10-01T19:00", nights=12)
    _, legal_before = await season(client, s, "2024-10-15T09:00", nights=10, category="legal")
    _, legal_now = await season(client, s, "2025-10-15T09:00", nights=10, category="legal")
    _, new = await season(client, s, "2025-10-29T09:00", category="training")
    _, talk_before = await season(client, s, "2024-10-30T19:00", nights=2, category="lecture")
    _, talk_now = await season(client, s, "2025-10-30T19:00", nights=2, category="lecture")
    await report_all(client, staff.admin, before + legal_before + talk_before,
                     [100] * 10 + [40] * 10 + [10, 10])
    await report_all(client, staff.admin, now + legal_now + new + talk_now,
                     spread(1_062, 12) + [35] * 10 + [12] + [300, 300])

    stats = await get_json(client, staff.admin, "stats", period="2025-10")

    rows = rows_by_key(stats)
    assert stats["compared_with"]["label"] == "2024年10月"
    assert (rows["culture"]["people_last_year"], rows["culture"]["sessions_last_year"]) == (
        1000, 10)
    assert (rows["culture"]["people_change_pct"], rows["culture"]["people_change"]) == (
        6.2,
        "同比增长6.2%",
    )
    assert rows["legal"]["people_change"] == "同比下降12.5%"
    assert (rows["training"]["people_change_pct"], rows["training"]["people_change"]) == (
        None,
        None,
    )
    # two lectures a year earlier are too few to compare with (BOLIN_YOY_MIN_SESSIONS = 10)
    assert (rows["lecture"]["people_change_pct"], rows["lecture"]["people_change"]) == (None, None)
    assert stats["total"]["people_change"] == "同比增长42.5%"  # 2024 against 1420


async def test_stats_group_total_gives_only_totals(client: Client, staff: Staff) -> None:
    _, nights = await season(client, staff.scheduler, "2025-02-01T19:00", nights=2)
    await report_all(client, staff.admin, nights, [5, 6])

    stats = await get_json(client, staff.admin, "stats", period="2025", group_by="total")

    assert (stats["rows"], stats["total"]["people"], stats["total"]["name_zh"]) == ([], 11, "合计")


async def test_stats_custom_range_includes_its_last_day(client: Client, staff: Staff) -> None:
    _, nights = await season(client, staff.scheduler, "2025-04-29T19:00", nights=3)
    await report_all(client, staff.admin, nights, [1, 2, 4])

    stats = await get_json(
        client, staff.admin, "stats", **{"from": "2025-04-30", "to": "2025-05-01"}
    )

    assert (stats["period"]["label"], stats["total"]["people"]) == (
        "2025年4月30日至2025年5月1日",
        6,
    )
    assert stats["compared_with"]["key"] == "2024-04-30..2024-05-01"


async def test_stats_reporter_is_refused_and_anonymous_must_log_in(
    client: Client, staff: Staff
) -> None:
    as_reporter = await client.get(
        f"{REPORTS}/stats", params={"period": "2025"}, headers=staff.reporter
    )
    anonymous = await client.get(f"{REPORTS}/stats", params={"period": "2025"})

    assert (as_reporter.status_code, anonymous.status_code) == (403, 401)
    assert as_reporter.json()["code"] == "forbidden"
    assert "查看统计报表" in as_reporter.json()["message"]


async def test_stats_month_grouping_follows_daylight_saving_in_other_zones(
    client: Client, staff: Staff
) -> None:
    # 06:30 in Shanghai on 1 April is 00:30 on 1 April in Berlin (summer time, UTC+2), but
    # 23:30 on 31 March at Berlin's winter offset: a fixed offset would put it in March.
    _, nights = await season(client, staff.scheduler, "2025-04-01T06:30", hours=1)
    await report(client, staff.admin, nights[0], 9)
    window = window_of(parse_period("2025"), ZoneInfo("Europe/Berlin"), datetime.now(UTC))

    async with client.app.state.sessionmaker() as session:
        found = await figures(session, window, GroupBy.month)

    assert [(f.key, f.sessions, f.people) for f in found] == [("2025-04", 1, 9)]
