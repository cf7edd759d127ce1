"""GET /api/v1/holidays (anyone) and PUT/DELETE /api/v1/holidays/{year} (admins only)."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client, make_user
from tests.holidays.helpers import NATIONAL_DAY_2027


@pytest.fixture
async def admin(client: Client) -> dict[str, str]:
    return await make_user(client.app, "admin", Role.admin)


def marked(body: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {d["day"]: (d["kind"], d["name_zh"]) for d in body["days"]}


async def test_2026_is_published_with_its_swapped_working_days(client: Client) -> None:
    response = await client.get("/api/v1/holidays", params={"year": 2026})

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["status_zh"]) == ("package", "已公布（节假日数据包）")
    assert body["source"].startswith("chinesecalendar ")
    days = marked(body)
    assert days["2026-10-01"] == days["2026-10-07"] == ("holiday", "国庆节")
    assert days["2026-09-20"] == days["2026-10-10"] == ("workday", "国庆节")
    assert "2026-10-11" not in days  # an ordinary Sunday
    assert {d["name_en"] for d in body["days"] if d["day"] == "2026-09-25"} == {
        "Mid-autumn Festival"}


async def test_a_year_not_published_says_so_and_lists_nothing(client: Client) -> None:
    response = await client.get("/api/v1/holidays", params={"year": 2027})

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("status", "status_zh", "days", "source")} == {
        "status": "unknown", "status_zh": "假日安排未公布", "days": [], "source": None}


async def test_an_admin_enters_a_year_and_everyone_reads_it(
    client: Client, admin: dict[str, str]
) -> None:
    entered = await client.put("/api/v1/holidays/2027", headers=admin, json=NATIONAL_DAY_2027)
    read = await client.get("/api/v1/holidays", params={"year": 2027})

    assert entered.status_code == 200, entered.text
    body = read.json()
    assert (body["status"], body["entered_by"], body["source"]) == (
        "entered", "admin", "测试用安排")
    assert marked(body) == {
        "2027-09-26": ("workday", "国庆节"),
        **{f"2027-10-0{n}": ("holiday", "国庆节") for n in range(1, 8)},
        "2027-10-09": ("workday", "国庆节"),
    }
    assert body["days"][0]["name_en"] == "National Day"  # a known holiday gets its English


async def test_only_admins_enter_or_delete_a_year(client: Client) -> None:
    scheduler = await make_user(client.app, "scheduler", Role.scheduler)

    put = await client.put("/api/v1/holidays/2027", headers=scheduler, json=NATIONAL_DAY_2027)
    anonymous = await client.put("/api/v1/holidays/2027", json=NATIONAL_DAY_2027)
    removed = await client.delete("/api/v1/holidays/2027", headers=scheduler)

    assert (put.status_code, anonymous.status_code, removed.status_code) == (403, 401, 403)
    assert "录入和删除法定节假日安排" in put.json()["message"]
    assert (await client.get("/api/v1/holidays", params={"year": 2027})).json()[
        "status"] == "unknown"


@pytest.mark.parametrize(("days", "said"), [
    ([{"start": "2028-01-01", "name_zh": "元旦"}], "日期须在2027年之内"),
    ([{"start": "2027-10-01", "end": "2027-10-07", "name_zh": "国庆节"},
      {"start": "2027-10-07", "name_zh": "中秋节"}], "2027-10-07 列了两次"),
    ([{"start": "2027-10-07", "end": "2027-10-01", "name_zh": "国庆节"}], "早于开始日期"),
    ([{"start": "2027-10-01", "name_zh": "国庆节"},
      {"start": "2027-10-08", "kind": "workday", "name_zh": "国庆节"}], "调休上班日应是周六或周日"),
    ([{"start": "2027-09-26", "kind": "workday", "name_zh": "国庆节"}], "至少要有一天放假"),
])
async def test_an_arrangement_that_breaks_a_rule_is_refused(
    client: Client, admin: dict[str, str], days: list[dict[str, str]], said: str
) -> None:
    response = await client.put("/api/v1/holidays/2027", headers=admin, json={"days": days})

    assert response.status_code == 422
    assert said in response.json()["message"]


async def test_a_name_over_40_characters_is_refused(
    client: Client, admin: dict[str, str]
) -> None:
    response = await client.put("/api/v1/holidays/2027", headers=admin, json={
        "days": [{"start": "2027-10-01", "name_zh": "节" * 41}]})

    assert response.status_code == 422
    assert [d["key"] for d in response.json()["details"]] == ["days.0.name_zh"]


async def test_entering_again_replaces_and_deleting_goes_back_to_unknown(
    client: Client, admin: dict[str, str]
) -> None:
    await client.put("/api/v1/holidays/2027", headers=admin, json=NATIONAL_DAY_2027)
    again = await client.put("/api/v1/holidays/2027", headers=admin, json={
        "days": [{"start": "2027-01-01", "name_zh": "元旦"}]})
    removed = await client.delete("/api/v1/holidays/2027", headers=admin)
    twice = await client.delete("/api/v1/holidays/2027", headers=admin)

    assert marked(again.json()) == {"2027-01-01": ("holiday", "元旦")}
    assert (removed.status_code, removed.json()["status"]) == (200, "unknown")
    assert twice.status_code == 404


async def test_deleting_a_hand_entry_of_a_package_year_goes_back_to_the_package(
    client: Client, admin: dict[str, str]
) -> None:
    await client.put("/api/v1/holidays/2026", headers=admin, json={
        "days": [{"start": "2026-01-01", "name_zh": "元旦"}]})
    entered = (await client.get("/api/v1/holidays", params={"year": 2026})).json()
    removed = await client.delete("/api/v1/holidays/2026", headers=admin)

    assert (entered["status"], len(entered["days"])) == ("entered", 1)
    assert removed.json()["status"] == "package"
    assert marked(removed.json())["2026-10-10"] == ("workday", "国庆节")
