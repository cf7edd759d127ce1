"""The review paragraph, rebuilt from constructed seasons (the annual return:
test_annual_return.py)."""

from __future__ import annotations

from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, get_json, report_all, season, spread


async def test_review_words_a_fall_on_last_year(client: Client, staff: Staff) -> None:
    _, before = await season(client, staff.scheduler, "2024-04-01T09:00", nights=12,
                             category="legal")
    _, now = await season(client, staff.scheduler, "2025-04-01T09:00", nights=14,
                          category="legal")
    await report_all(client, staff.admin, before, spread(9_000, 12))
    await report_all(client, staff.admin, now, spread(8_420, 14))

    review = await get_json(client, staff.admin, "review", period="2025")

    assert review["sentences"][0]["text"] == (
        "通过现场咨询、发放宣传资料等形式开展法治宣传10余场次，受教育人数达8000余人次，同比下降6.4%"
    )


async def test_review_digits_outside_one_to_three_is_refused(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/review", params={"period": "2025", "digits": 4}, headers=staff.admin
    )

    assert response.status_code == 422
    assert "有效数字：应不大于 3" in problem(response)["message"]


async def test_report_bad_period_is_422_with_the_forms_it_takes(
    client: Client, staff: Staff
) -> None:
    response = await client.get(f"{REPORTS}/stats", params={"period": "去年"}, headers=staff.admin)

    body = problem(response)
    assert (response.status_code, body["code"]) == (422, "invalid_input")
    assert body["message"].startswith("统计期「去年」无法识别")
    assert body["details"] == [{"field": "period", "value": "去年"}]


async def test_report_unknown_grouping_is_422_naming_the_parameter(
    client: Client, staff: Staff
) -> None:
    response = await client.get(
        f"{REPORTS}/stats", params={"period": "2025", "group_by": "weather"}, headers=staff.admin
    )

    assert response.status_code == 422
    assert "group_by" in problem(response)["message"]
