"""Filing a report, the figure rules, corrections as revisions, the capacity flag, dry runs."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bolin_events.models import Venue
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff

GALA_NIGHT = {
    "total": 560,
    "onsite": 320,
    "online": 240,
    "residents": 200,
    "visitors": 120,
    "volunteers": 15,
    "method": "headcount",
    "note": "直播在抖音",
}


async def test_report_first_is_revision_one_with_reporter_and_figures(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(reports_url(occ), json=GALA_NIGHT, headers=staff.reporter)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["occurrence_id"] == occ
    assert body["revision"] == 1
    assert (body["total"], body["onsite"], body["online"]) == (560, 320, 240)
    assert (body["residents"], body["visitors"], body["volunteers"]) == (200, 120, 15)
    assert (body["method"], body["note"]) == ("headcount", "直播在抖音")
    assert body["reported_by"] == "reporter"
    assert body["needs_review"] is False
    assert body["changes"] == []


async def test_report_total_alone_is_enough(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(reports_url(occ), json={"total": 86}, headers=staff.reporter)

    assert response.status_code == 201
    assert response.json()["total"] == 86
    assert response.json()["method"] is None
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert (history["current"]["total"], history["current"]["revision"]) == (86, 1)


async def test_report_onsite_plus_online_not_total_is_refused_with_the_sum(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ), json={"total": 500, "onsite": 320, "online": 240}, headers=staff.reporter
    )

    assert response.status_code == 422
    assert (
        response.json()["message"] == "人次数字有误：现场 320 + 线上 240 = 560，与总人次 500 不符。"
    )
    assert response.json()["details"][0]["field"] == "total"
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert history["revisions"] == []


async def test_report_residents_visitors_must_add_up_to_onsite(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ),
        json={"total": 300, "online": 100, "residents": 150, "visitors": 100},
        headers=staff.reporter,
    )

    assert response.status_code == 422
    assert response.json()["message_en"] == (
        "The figures do not add up: residents 150 + visitors 100 = 250, "
        "but must equal total − online (200)."
    )


async def test_report_one_part_over_its_whole_is_refused(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ), json={"total": 100, "visitors": 120}, headers=staff.reporter
    )

    assert response.status_code == 422
    assert response.json()["message"] == "人次数字有误：外地游客 120 超过总人次 100。"


async def test_report_volunteers_are_not_part_of_the_total(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ), json={"total": 40, "volunteers": 60}, headers=staff.reporter
    )

    assert response.status_code == 201
    assert (response.json()["total"], response.json()["volunteers"]) == (40, 60)
    stored = (await client.get(reports_url(occ), headers=staff.reporter)).json()["current"]
    assert (stored["total"], stored["volunteers"]) == (40, 60)


async def test_report_negative_and_absurd_figures_are_refused_together(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ), json={"total": 5_000_000, "volunteers": -3}, headers=staff.reporter
    )

    assert response.status_code == 422
    assert response.json()["message"] == (
        "人次数字有误：总人次 5000000 超过上限 1,000,000，请核对是否多打了零；"
        "志愿者不能为负数（-3）。"
    )
    assert [d["field"] for d in response.json()["details"]] == ["total", "volunteers"]


async def test_report_second_without_reason_is_refused_naming_the_first(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    await client.post(reports_url(occ), json={"total": 120}, headers=staff.reporter)

    response = await client.post(reports_url(occ), json={"total": 130}, headers=staff.scheduler)

    assert response.status_code == 409
    assert response.json()["message"] == (
        "该场次已上报（第 1 版，总人次 120）。如需更正，请填写更正原因。"
    )
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert [r["total"] for r in history["revisions"]] == [120]


async def test_report_correction_is_a_new_revision_and_history_keeps_both(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    await client.post(
        reports_url(occ), json={"total": 120, "method": "estimate"}, headers=staff.reporter
    )

    response = await client.post(
        reports_url(occ),
        json={"total": 134, "method": "sign_in", "reason": "按签到表核对"},
        headers=staff.scheduler,
    )

    assert response.status_code == 201
    assert response.json()["revision"] == 2
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert history["current"]["total"] == 134
    assert [(r["revision"], r["total"], r["reported_by"]) for r in history["revisions"]] == [
        (1, 120, "reporter"),
        (2, 134, "scheduler"),
    ]
    assert history["revisions"][1]["reason"] == "按签到表核对"
    assert history["revisions"][1]["changes"] == [
        {"field": "total", "before": 120, "after": 134},
        {"field": "method", "before": "estimate", "after": "sign_in"},
    ]
    assert history["occurrence"]["id"] == occ


async def test_report_correction_changing_nothing_is_refused(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)
    await client.post(reports_url(occ), json={"total": 120}, headers=staff.reporter)

    response = await client.post(
        reports_url(occ), json={"total": 120, "reason": "再报一次"}, headers=staff.reporter
    )

    assert response.status_code == 409
    assert response.json()["message"] == "与第 1 版相同，无需更正。"
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert [r["revision"] for r in history["revisions"]] == [1]


async def test_report_far_over_capacity_is_accepted_and_flagged(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler, capacity=100)

    response = await client.post(
        reports_url(occ), json={"total": 2200, "online": 2000}, headers=staff.reporter
    )
    flagged = await client.post(
        reports_url(occ), json={"total": 201, "reason": "在线人数记错"}, headers=staff.reporter
    )

    assert response.status_code == 201
    assert response.json()["needs_review"] is False  # 200 on site: exactly twice, not over
    assert flagged.json()["needs_review"] is True
    assert flagged.json()["review"] == [
        {
            "code": "over_capacity",
            "message": "现场 201 人次超过容纳人数 100 的 2 倍，请核实。",
            "message_en": "201 on site is over 2× the capacity of 100; please check.",
        }
    ]


async def test_report_venue_capacity_counts_before_the_events(client: Client, staff: Staff) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        venue = (await session.exec(select(Venue).where(Venue.slug == "ginkgo-night-market"))).one()
        venue.capacity = 50
    _, occ = await make_event(client, staff.scheduler, capacity=1000)

    response = await client.post(reports_url(occ), json={"total": 150}, headers=staff.reporter)

    assert response.status_code == 201, response.text
    assert response.json()["needs_review"] is True
    assert [r["message"] for r in response.json()["review"]] == [
        "现场 150 人次超过容纳人数 50 的 2 倍，请核实。"]  # the venue's 50, not the event's 1000


async def test_report_dry_run_answers_what_would_be_filed_and_writes_nothing(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ), params={"dry_run": "true"}, json={"total": 77}, headers=staff.reporter
    )

    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["revision"]) == (True, 1)
    assert response.json()["id"] is None
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert (history["current"], history["revisions"]) == (None, [])


async def test_a_multi_day_events_figure_is_checked_against_capacity_per_day(
    client: Client, staff: Staff
) -> None:
    hall = await client.post("/api/v1/venues", json={
        "name_zh": "文化站展厅", "slug": "exhibition-hall", "village": "dongsheng",
        "capacity": 300}, headers=staff.scheduler)
    assert hall.status_code == 201, hall.text
    one_day = await client.post("/api/v1/events", json={
        "title_zh": "农民画展（一天）", "category": "exhibition", "venue": "exhibition-hall",
        "all_day": True, "start": "2025-10-01", "end": "2025-10-01", "status": "published",
    }, headers=staff.scheduler)
    nine_days = await client.post("/api/v1/events", json={
        "title_zh": "农民画展", "category": "exhibition", "venue": "exhibition-hall",
        "all_day": True, "start": "2025-10-01", "end": "2025-10-09", "status": "published",
        "allow_overlap": True,
    }, headers=staff.scheduler)
    day_night = f"{one_day.json()['id']}-20251001"
    exhibition = f"{nine_days.json()['id']}-20251001"

    def flagged(response: httpx.Response) -> bool:
        assert response.status_code == 201, response.text
        return bool(response.json()["needs_review"])

    async def file(occurrence: str, total: int, reason: str | None = None) -> httpx.Response:
        body = {"total": total, **({"reason": reason} if reason else {})}
        return await client.post(reports_url(occurrence), json=body, headers=staff.reporter)

    a_day = await file(day_night, 860)
    over_nine = [await file(exhibition, total, reason=f"核对 {total}" if n else None)
                 for n, total in enumerate((860, 3000, 5400, 6000))]

    assert flagged(a_day)  # one day: 860 > 2 × 300
    assert [flagged(r) for r in over_nine] == [False, False, False, True]  # per day: 96 … 666
    assert over_nine[-1].json()["review"][0]["message"] == (
        "现场 6000 人次（9 天，每天约 666 人次）超过容纳人数 300 的 2 倍，请核实。")
