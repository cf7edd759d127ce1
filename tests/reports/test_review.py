"""The review paragraph by counting groups, from a 2023 season shaped like the town's own
year review (issue 14): the paragraph must say what the review says."""

from __future__ import annotations

from bolin_events.settings import Settings
from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, get_json, report, report_all, season, spread
from tests.reports.test_report_cli import bolin

CULTURE = ("开展送文化下乡之“村晚”演出、非遗展览、文艺表演、文化培训等文化活动27场次，"
           "惠及群众5000余人")
SPORTS_AND_FARM = ("还在暑假开展“云岭翠湖”杯邻里篮球赛等体育运动，"
                   "协助嘉悦农场开展“农耕文化体验节”活动")
LEGAL = "通过现场咨询、发放宣传资料等形式开展法治宣传80余场次，受教育人数达8000余人次"


async def season_2023(client: Client, staff: Staff) -> None:
    """27 cultural sessions with 5,316 people on site (and 1,200 watching a 村晚 online); 86
    legal-publicity sessions with 8,432 person-times; 10 basketball matches of the cup; 7
    night-market nights; a 3-day farming festival the station helped 嘉悦农场 run."""
    s, admin = staff.scheduler, staff.admin
    _, galas = await season(client, s, "2023-01-10T19:00", nights=10, category="performance",
                            programme="cunwan")
    _, heritage = await season(client, s, "2023-05-01T09:00", nights=7, category="exhibition",
                               programme="heritage")
    _, shows = await season(client, s, "2023-09-01T19:30", nights=6, category="performance")
    _, classes = await season(client, s, "2023-10-09T14:00", nights=4, category="training")
    culture = spread(5_316, 27)
    await report(client, admin, galas[0], culture[0] + 1_200, online=1_200)
    await report_all(client, admin, galas[1:] + heritage + shows + classes, culture[1:])

    _, legal = await season(client, s, "2023-03-01T09:00", nights=86, category="legal",
                            programme="legal-awareness")
    await report_all(client, admin, legal, spread(8_432, 86))

    _, matches = await season(client, s, "2023-07-15T19:00", nights=10, category="sports",
                              programme="yunling-cuihu-cup", venue="qingqing-park")
    _, market = await season(client, s, "2023-08-04T19:00", nights=7, category="market",
                             programme="ginkgo-night-market")
    _, farm = await season(client, s, "2023-07-20T09:00", nights=3, category="farming",
                           programme="farming-festival", organizer="jiayue-farm",
                           venue="jiayue-farm")
    await report_all(client, admin, matches + market + farm, [300] * 10 + [2_000] * 7 + [900] * 3)


async def test_the_2023_season_reads_as_the_towns_own_review(client: Client, staff: Staff) -> None:
    await season_2023(client, staff)

    review = await get_json(client, staff.admin, "review", period="2023")

    paragraph = review["paragraph"]
    assert CULTURE in paragraph
    assert SPORTS_AND_FARM in paragraph
    assert LEGAL in paragraph
    assert paragraph == (
        f"2023年，{CULTURE}，另有线上观看1000余人次；"
        "举办东胜银杏夜市等旅游与夜间经济活动7场次，吸引群众1.4万人次；"
        f"{SPORTS_AND_FARM}。{LEGAL}。"
    )
    assert [s["group"] for s in review["sentences"]] == ["culture", "tourism", "legal",
                                                         "highlights"]
    assert "131" not in paragraph and "同比" not in paragraph
    assert review["warnings"] == []


async def test_the_cli_prints_the_same_paragraph(
    client: Client, staff: Staff, settings: Settings
) -> None:
    await season_2023(client, staff)
    review = await get_json(client, staff.admin, "review", period="2023")

    result = await bolin(settings, "review", "2023")

    assert result.exit_code == 0, result.output
    # a line of its own (the test's server may log beside it: the capture is process-wide)
    assert review["paragraph"] in result.stdout.splitlines()


async def test_online_views_never_enter_the_people_served(client: Client, staff: Staff) -> None:
    _, nights = await season(client, staff.scheduler, "2024-02-10T19:00", nights=2,
                             category="performance", programme="cunwan")
    await report(client, staff.admin, nights[0], 30_400, online=30_000)
    await report(client, staff.admin, nights[1], 500, onsite=420, online=80)

    review = await get_json(client, staff.admin, "review", period="2024")

    assert review["sentences"][0]["text"] == (
        "开展送文化下乡之“村晚”演出等文化活动2场次，惠及群众800余人，另有线上观看3万余人次"
    )


async def test_sessions_take_the_yu_rule_only_where_the_group_says_so(
    client: Client, staff: Staff
) -> None:
    _, legal = await season(client, staff.scheduler, "2024-03-01T09:00", nights=86,
                            category="legal")
    _, culture = await season(client, staff.scheduler, "2024-06-01T19:00", nights=86)
    await report_all(client, staff.admin, legal + culture, [10] * 172)

    review = await get_json(client, staff.admin, "review", period="2024")
    texts = {s["group"]: s["text"] for s in review["sentences"]}

    assert texts["legal"].startswith("通过现场咨询、发放宣传资料等形式开展法治宣传80余场次")
    assert texts["culture"].startswith("开展文化活动86场次")
    patched = await client.patch("/api/v1/counting-groups/legal", json={"round_count": False},
                                 headers=staff.admin)
    assert patched.status_code == 200, patched.text
    again = await get_json(client, staff.admin, "review", period="2024")
    assert "开展法治宣传86场次" in again["paragraph"]


async def test_a_small_base_gives_no_yoy_but_a_warning(client: Client, staff: Staff) -> None:
    _, before = await season(client, staff.scheduler, "2024-04-01T19:00", nights=3)
    _, now = await season(client, staff.scheduler, "2025-04-01T19:00", nights=27)
    await report_all(client, staff.admin, before, [50, 50, 61])
    await report_all(client, staff.admin, now, spread(5_316, 27))

    review = await get_json(client, staff.admin, "review", period="2025")

    assert "同比" not in review["paragraph"]  # not "同比增长3222.2%"
    assert review["warnings"] == [
        "文化活动上年只有3场次（不足10场次），同比没有意义，未写入。"
    ]


async def test_a_baseline_entered_by_hand_gives_the_first_year_its_yoy(
    client: Client, staff: Staff
) -> None:
    _, now = await season(client, staff.scheduler, "2025-04-01T19:00", nights=27)
    await report_all(client, staff.admin, now, spread(5_316, 27))
    body = {"sessions": 25, "people": 5_000, "note": "2024年柏林镇文化工作总结"}

    entered = await client.put(f"{REPORTS}/baselines/2024/culture", json=body,
                               headers=staff.scheduler)
    listed = await get_json(client, staff.admin, "baselines", year=2024)
    review = await get_json(client, staff.admin, "review", period="2025")

    assert entered.status_code == 200, entered.text
    assert listed == [{"year": 2024, "group": {"slug": "culture", "name_zh": "文化活动",
                                               "name_en": "Cultural activities"},
                       "sessions": 25, "people": 5_000, "note": "2024年柏林镇文化工作总结"}]
    assert review["sentences"][0]["text"].endswith("惠及群众5000余人，同比增长6.3%")
    quarter = await get_json(client, staff.admin, "review", period="2025-Q2")
    assert "同比" not in quarter["paragraph"]  # a year's baseline is no quarter's base

    removed = await client.delete(f"{REPORTS}/baselines/2024/culture", headers=staff.admin)
    after = await get_json(client, staff.admin, "review", period="2025")
    assert removed.status_code == 204
    assert "同比" not in after["paragraph"]


async def test_a_baseline_is_kept_by_staff_and_checked(client: Client, staff: Staff) -> None:
    body = {"sessions": 25, "people": 5_000, "note": "总结"}

    by_reporter = await client.put(f"{REPORTS}/baselines/2024/culture", json=body,
                                   headers=staff.reporter)
    unknown = await client.put(f"{REPORTS}/baselines/2024/weather", json=body,
                               headers=staff.admin)
    negative = await client.put(f"{REPORTS}/baselines/2024/culture",
                                json={**body, "people": -1}, headers=staff.admin)
    listed = await get_json(client, staff.admin, "baselines", year=2024)

    assert by_reporter.status_code == 403
    assert "填写年度基数和年报手填项目" in problem(by_reporter)["message"]
    assert unknown.status_code == 404
    assert "找不到统计分组「weather」" in problem(unknown)["message"]
    assert negative.status_code == 422
    assert "人次：应不小于 0" in problem(negative)["message"]
    assert listed == []


async def test_groups_with_nothing_held_are_left_out_and_one_group_says_it_once(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-06-01T19:00", nights=2)
    await report_all(client, staff.admin, nights, [318, 318])

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["paragraph"] == "2025年，开展文化活动2场次，惠及群众600余人。"


async def test_a_period_with_nothing_held_says_so_plainly(client: Client, staff: Staff) -> None:
    review = await get_json(client, staff.admin, "review", period="2019")

    assert review["paragraph"] == "2019年，该时段内没有已举办的活动。"
    assert review["sentences"] == []


async def test_unreported_nights_leave_out_the_people_and_warn(
    client: Client, staff: Staff
) -> None:
    await season(client, staff.scheduler, "2025-06-01T19:00", nights=3, category="legal")

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["paragraph"] == (
        "2025年，通过现场咨询、发放宣传资料等形式开展法治宣传3场次。"
    )
    assert review["warnings"] == ["尚有3场次未上报人次，人次合计偏少；请先补报。"]


async def test_a_group_without_a_sentence_or_highlight_is_still_said_plainly(
    client: Client, staff: Staff
) -> None:
    _, matches = await season(client, staff.scheduler, "2025-05-01T19:00", nights=4,
                              category="sports")
    await report_all(client, staff.admin, matches, [100] * 4)

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["paragraph"] == "2025年，开展体育赛事等体育运动4场次。"
    assert review["warnings"] == []


async def test_a_group_template_with_an_unknown_placeholder_is_refused(
    client: Client, staff: Staff
) -> None:
    response = await client.patch("/api/v1/counting-groups/culture",
                                  json={"template": "开展{kind}活动{count}"}, headers=staff.admin)

    assert response.status_code == 422
    assert "句式中有无法识别的占位符：{kind}" in problem(response)["message"]



async def test_a_highlight_names_the_stations_part_in_it(client: Client, staff: Staff) -> None:
    made = await client.post("/api/v1/programmes", json={
        "name_zh": "重阳敬老文艺汇演", "slug": "chongyang", "highlight": True,
        "station_role": "承办"}, headers=staff.scheduler)
    host = await client.post("/api/v1/organizers", json={"name_zh": "柏林镇老年协会",
                                                          "slug": "elders"},
                             headers=staff.scheduler)
    _, nights = await season(client, staff.scheduler, "2025-10-29T14:00", category="performance",
                             programme="chongyang", organizer="elders")
    await report_all(client, staff.admin, nights, [260])

    review = await get_json(client, staff.admin, "review", period="2025")

    assert (made.status_code, host.status_code) == (201, 201)
    assert made.json()["station_role"] == "承办" and made.json()["highlight"] is True
    assert review["paragraph"] == "2025年，承办柏林镇老年协会主办的“重阳敬老文艺汇演”活动。"


async def test_a_programme_role_outside_the_list_is_refused(
    client: Client, staff: Staff
) -> None:
    response = await client.patch("/api/v1/programmes/farming-festival",
                                  json={"station_role": "赞助"}, headers=staff.admin)

    assert response.status_code == 422
    assert "文化站角色：应为 '主办', '承办', '协办' 或 '协助'" in problem(response)["message"]


async def test_a_template_with_a_format_spec_is_refused_not_a_broken_review(
    client: Client, staff: Staff
) -> None:
    for template in ("开展{kinds:d}活动{count}", "开展{count!x}", "开展{kinds"):
        response = await client.patch("/api/v1/counting-groups/culture",
                                      json={"template": template}, headers=staff.admin)

        assert response.status_code == 422, template
        assert "句式" in problem(response)["message"]
    review = await client.get("/api/v1/reports/review", params={"period": "2025"},
                              headers=staff.admin)
    assert review.status_code == 200


async def test_sessions_of_a_sentence_less_group_beside_its_highlight_are_warned_about(
    client: Client, staff: Staff
) -> None:
    _, cup = await season(client, staff.scheduler, "2025-07-15T19:00", nights=3,
                          category="sports", programme="yunling-cuihu-cup")
    _, others = await season(client, staff.scheduler, "2025-10-01T19:00", nights=2,
                             category="sports")
    await report_all(client, staff.admin, cup + others, [300] * 5)

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["paragraph"] == "2025年，在暑假开展“云岭翠湖”杯邻里篮球赛等体育运动。"
    assert review["warnings"] == [
        "体育运动另有2场次没有写入段落：该分组没有句式，只写标为重点的活动项目。"
    ]
