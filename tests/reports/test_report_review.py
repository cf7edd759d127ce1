"""The review paragraph and the annual return, rebuilt from constructed seasons."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, get_json, report, report_all, season, spread


async def culture_2023_style(client: Client, staff: Staff) -> None:
    """29 nights in 2025: one skipped, one cancelled, 27 held whose latest reports sum to
    5,316 — the first filed as 999 and corrected."""
    _, nights = await season(client, staff.scheduler, "2025-03-01T19:00", nights=29)
    await client.post(f"/api/v1/occurrences/{nights[27]}/skip", headers=staff.scheduler)
    await client.post(
        f"/api/v1/occurrences/{nights[28]}/cancel", json={"reason": "停电"}, headers=staff.scheduler
    )
    await report(client, staff.admin, nights[0], 999)
    totals = spread(5_316, 27)
    await report(client, staff.admin, nights[0], totals[0], reason="多报了")
    await report_all(client, staff.admin, nights[1:27], totals[1:])


def sentences(review: dict[str, Any]) -> dict[str, str]:
    return {s["category"]: s["text"] for s in review["sentences"]}


async def test_review_rebuilds_the_2023_culture_sentence(client: Client, staff: Staff) -> None:
    await culture_2023_style(client, staff)

    one = await get_json(client, staff.admin, "review", period="2025", digits=1)
    two = await get_json(client, staff.admin, "review", period="2025")

    assert sentences(one)["culture"] == "开展文化活动27场次，惠及群众5000余人"
    assert sentences(two)["culture"] == "开展文化活动27场次，惠及群众5300余人"
    assert two["digits"] == 2
    assert two["paragraph"] == (
        "2025年，全镇共开展各类文化活动27场次，惠及群众5300余人次。"
        "其中，开展文化活动27场次，惠及群众5300余人。"
    )
    assert two["warnings"] == []


async def test_review_words_a_fall_on_last_year(client: Client, staff: Staff) -> None:
    _, before = await season(client, staff.scheduler, "2024-04-01T09:00", category="legal")
    _, now = await season(client, staff.scheduler, "2025-04-01T09:00", nights=4, category="legal")
    await report(client, staff.admin, before[0], 9_000)
    await report_all(client, staff.admin, now, spread(8_420, 4))

    review = await get_json(client, staff.admin, "review", period="2025")

    assert sentences(review)["legal"] == "开展法治宣传4场次，受教育群众8400余人次，同比下降6.4%"


async def test_review_has_no_comparison_when_last_year_had_nothing(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-05-01T19:00", nights=2)
    await report_all(client, staff.admin, nights, [318, 318])

    review = await get_json(client, staff.admin, "review", period="2025")

    assert sentences(review)["culture"] == "开展文化活动2场次，惠及群众630余人"
    assert "同比" not in review["paragraph"]


async def test_review_orders_categories_as_the_return_and_counts_exhibitions_once(
    client: Client, staff: Staff
) -> None:
    _, show = await season(
        client, staff.scheduler, "2025-09-01T09:00", nights=10, category="exhibition"
    )
    _, gala = await season(client, staff.scheduler, "2025-09-20T19:30", category="performance")
    _, talk = await season(client, staff.scheduler, "2025-09-21T19:30", category="culture")
    await report_all(client, staff.admin, show + gala + talk, [1_000] * 10 + [13_480, 86])

    review = await get_json(client, staff.admin, "review", period="2025")

    assert [s["text"] for s in review["sentences"]] == [
        "举办展览1个，参观群众1万人次",
        "开展文化活动1场次，惠及群众86人",
        "组织文艺演出1场次，观众1.3万余人次",
    ]
    assert review["paragraph"].startswith(
        "2025年，全镇共开展各类文化活动3场次，惠及群众2.3万余人次。"
    )


async def test_review_warns_about_nights_not_reported(client: Client, staff: Staff) -> None:
    _, nights = await season(client, staff.scheduler, "2025-06-01T19:00", nights=3)
    await report(client, staff.admin, nights[0], 40)

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["warnings"] == [
        "尚有2场次未上报人次，人次合计偏少；请先补报（/api/v1/reports/pending）。"
    ]


async def test_review_of_an_empty_year_says_nothing_was_held(client: Client, staff: Staff) -> None:
    review = await get_json(client, staff.admin, "review", period="2019")

    assert (review["paragraph"], review["warnings"]) == (
        "2019年，全镇共开展各类文化活动0场次。",
        ["该期间没有已举办的场次。"],
    )


async def test_review_digits_outside_one_to_three_is_refused(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/review", params={"period": "2025", "digits": 4}, headers=staff.admin
    )

    assert response.status_code == 400
    assert "digits" in problem(response)["message"]


async def test_report_bad_period_is_422_with_the_forms_it_takes(
    client: Client, staff: Staff
) -> None:
    response = await client.get(f"{REPORTS}/stats", params={"period": "去年"}, headers=staff.admin)

    body = problem(response)
    assert (response.status_code, body["code"]) == (422, "invalid_input")
    assert body["message"].startswith("统计期「去年」无法识别")
    assert body["details"] == [{"field": "period", "value": "去年"}]


async def test_report_unknown_grouping_is_400_naming_the_parameter(
    client: Client, staff: Staff
) -> None:
    response = await client.get(
        f"{REPORTS}/stats", params={"period": "2025", "group_by": "weather"}, headers=staff.admin
    )

    assert response.status_code == 400
    assert "group_by" in problem(response)["message"]


def return_lines(annual: dict[str, Any]) -> dict[str, tuple[str, str, int, str, int]]:
    """counting → (item, unit, value, people item, people), as the return's table reads."""
    return {
        line["counting"]: (
            line["item"],
            line["unit"],
            line["value"],
            line["people_item"],
            line["people"],
        )
        for line in annual["lines"]
    }


async def test_annual_return_uses_the_station_tables_terms(client: Client, staff: Staff) -> None:
    scheduler = staff.scheduler
    _, show = await season(client, scheduler, "2025-09-01T09:00", nights=10, category="exhibition")
    _, classes = await season(client, scheduler, "2025-10-01T14:00", nights=3, category="training")
    _, gala = await season(client, scheduler, "2025-10-05T19:30", category="performance")
    _, old = await season(client, scheduler, "2024-10-05T19:30", category="performance")
    totals = [50] * 10 + [20, 22, 24] + [900, 700]
    await report_all(client, staff.admin, show + classes + gala + old, totals)

    annual = await get_json(client, staff.admin, "annual-return", period="2025")

    lines = return_lines(annual)
    assert list(lines) == [
        "exhibition",
        "activity",
        "training",
        "lecture",
        "performance",
        "legal",
        "sports",
        "market",
    ]
    assert lines["exhibition"] == ("举办展览", "个", 1, "参观人次", 500)
    assert lines["training"] == ("举办训练班", "班次", 3, "培训人次", 66)
    assert lines["lecture"] == ("公益性讲座", "次", 0, "听众人次", 0)
    assert lines["performance"] == ("演出场次", "场次", 1, "观众人次", 900)
    performance = annual["lines"][4]
    assert (performance["value_last_year"], performance["people_last_year"]) == (1, 700)


async def test_annual_return_follows_an_admins_change_of_counting(
    client: Client, staff: Staff
) -> None:
    _, days = await season(
        client, staff.scheduler, "2025-07-09T09:00", nights=3, category="farming"
    )
    await report_all(client, staff.admin, days, [300, 300, 300])

    before = await get_json(client, staff.admin, "annual-return", period="2025")
    patched = await client.patch(
        "/api/v1/categories/farming", json={"counting": "exhibition"}, headers=staff.admin
    )
    after = await get_json(client, staff.admin, "annual-return", period="2025")

    assert patched.status_code == 200, patched.text
    assert return_lines(before)["activity"][2:] == (3, "参与人次", 900)
    assert return_lines(after)["activity"][2:] == (0, "参与人次", 0)
    assert return_lines(after)["exhibition"][2:] == (1, "参观人次", 900)
    assert {"slug": "farming", "name_zh": "农耕体验", "counting": "exhibition"} in after["mapping"]
