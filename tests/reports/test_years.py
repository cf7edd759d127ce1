"""Closing a year (封账): its figures are frozen until an admin reopens it with a reason."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bolin_events.models import Role
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.reports.helpers import report, season

YEARS = "/api/v1/years"
CLOSED_2025 = "2025年已封账，数据不能再改。如确需更正，请管理员先重新开放该年度并写明原因。"


async def test_close_then_a_new_revision_is_refused_until_reopened_with_a_reason(
    client: Client, staff: Staff
) -> None:
    _, (night,) = await season(client, staff.scheduler, "2025-06-01T19:00")
    await report(client, staff.admin, night, 100)

    closed = await client.post(f"{YEARS}/2025/close", json={"reason": "年报已报送"},
                               headers=staff.admin)
    refused = await client.post(f"/api/v1/occurrences/{night}/reports",
                                json={"total": 120, "reason": "漏记"}, headers=staff.admin)
    no_reason = await client.post(f"{YEARS}/2025/reopen", json={}, headers=staff.admin)
    short = await client.post(f"{YEARS}/2025/reopen", json={"reason": "改"}, headers=staff.admin)
    reopened = await client.post(f"{YEARS}/2025/reopen", json={"reason": "东胜村补报漏记人次"},
                                 headers=staff.admin)
    accepted = await client.post(f"/api/v1/occurrences/{night}/reports",
                                 json={"total": 120, "reason": "漏记"}, headers=staff.admin)

    assert closed.status_code == 200
    assert (closed.json()["closed"], closed.json()["changed_by"]) == (True, "admin")
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["message"]) == ("year_closed", CLOSED_2025)
    assert (no_reason.status_code, short.status_code) == (422, 422)
    assert no_reason.json()["message"] == "重新开放须写明原因（至少 4 个字），原因会记入操作记录。"
    assert reopened.status_code == 200
    assert (reopened.json()["closed"], reopened.json()["reason"]) == (False, "东胜村补报漏记人次")
    assert (accepted.status_code, accepted.json()["revision"]) == (201, 2)


async def test_close_and_reopen_are_in_the_audit_trail_as_year(
    client: Client, staff: Staff
) -> None:
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)
    await client.post(f"{YEARS}/2025/reopen", json={"reason": "更正八月数据"}, headers=staff.admin)

    trail = await client.get("/api/v1/audit", params={"object_type": "year"}, headers=staff.admin)

    entries = trail.json()["items"]
    assert [(e["action"], e["object_id"], e["username"], e["via"]) for e in entries] == [
        ("update", "2025", "admin", "api"),
        ("create", "2025", "admin", "api"),
    ]
    assert entries[0]["changes"]["closed"] == [True, False]
    assert entries[0]["changes"]["reason"] == [None, "更正八月数据"]
    assert entries[1]["changes"]["closed"] == [None, True]


async def test_only_admins_close_years(client: Client, staff: Staff) -> None:
    scheduler = await client.post(f"{YEARS}/2025/close", headers=staff.scheduler)
    reporter = await client.post(f"{YEARS}/2025/close", headers=staff.reporter)
    anonymous = await client.post(f"{YEARS}/2025/close")

    assert (scheduler.status_code, reporter.status_code, anonymous.status_code) == (403, 403, 401)
    assert scheduler.json()["message"] == "角色「排期人员」无权封账和重新开放年度（仅管理员）。"


async def test_years_list_each_years_state_newest_first(client: Client, staff: Staff) -> None:
    await season(client, staff.scheduler, "2024-03-01T19:00")
    await client.post(f"{YEARS}/2024/close", json={"reason": "年报已报送"}, headers=staff.admin)

    listed = (await client.get(YEARS, headers=staff.scheduler)).json()

    assert listed[-1] == {**listed[-1], "year": 2024, "closed": True, "reason": "年报已报送",
                          "changed_by": "admin"}
    assert [y["year"] for y in listed] == sorted((y["year"] for y in listed), reverse=True)
    assert all(not y["closed"] for y in listed[:-1])


async def test_closing_twice_or_a_year_to_come_is_refused(client: Client, staff: Staff) -> None:
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)

    again = await client.post(f"{YEARS}/2025/close", headers=staff.admin)
    future = await client.post(f"{YEARS}/2199/close", headers=staff.admin)
    now = datetime.now(ZoneInfo("Asia/Shanghai")).year
    this_year = await client.post(f"{YEARS}/{now}/close", headers=staff.admin)
    reopen_open = await client.post(f"{YEARS}/2024/reopen", json={"reason": "没有封账的年度"},
                                    headers=staff.admin)

    assert (again.status_code, again.json()["message"]) == (409, "2025年已经封账。")
    assert (future.status_code, future.json()["message"]) == (
        409, "2199年还没有结束，不能封账；请在年度结束后再封账。")
    assert (this_year.status_code, this_year.json()["message"]) == (
        409, f"{now}年还没有结束，不能封账；请在年度结束后再封账。")
    assert (reopen_open.status_code, reopen_open.json()["message"]) == (
        409, "2024年没有封账，无需重新开放。")


async def test_nights_of_a_closed_year_cannot_be_skipped_moved_or_cancelled(
    client: Client, staff: Staff
) -> None:
    _, nights = await season(client, staff.scheduler, "2025-12-30T19:00", nights=4)
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)
    occurrences = "/api/v1/occurrences"

    skip = await client.post(f"{occurrences}/{nights[0]}/skip", headers=staff.scheduler)
    cancel = await client.post(f"{occurrences}/{nights[1]}/cancel", json={"reason": "暴雨"},
                               headers=staff.scheduler)
    into_2025 = await client.post(
        f"{occurrences}/{nights[2]}/move",
        json={"start": "2025-12-29T19:00", "end": "2025-12-29T21:00"}, headers=staff.scheduler)
    within_2026 = await client.post(
        f"{occurrences}/{nights[3]}/move",
        json={"start": "2026-01-05T19:00", "end": "2026-01-05T21:00"}, headers=staff.scheduler)

    assert [r.status_code for r in (skip, cancel, into_2025)] == [409, 409, 409]
    assert {r.json()["message"] for r in (skip, cancel, into_2025)} == {CLOSED_2025}
    assert within_2026.status_code == 200


async def test_an_event_with_held_nights_in_a_closed_year_keeps_its_timing_and_status(
    client: Client, staff: Staff
) -> None:
    event_id, _ = await season(client, staff.scheduler, "2025-12-30T19:00", nights=4)
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)
    events = "/api/v1/events"

    retimed = await client.patch(f"{events}/{event_id}", json={"start": "2025-12-30T19:30",
                                 "end": "2025-12-30T21:30"}, headers=staff.scheduler)
    regrouped = await client.patch(f"{events}/{event_id}", json={"category": "market"},
                                   headers=staff.scheduler)
    cancelled = await client.post(f"{events}/{event_id}/cancel", json={"reason": "停止"},
                                  headers=staff.scheduler)
    renamed = await client.patch(f"{events}/{event_id}", json={"title_zh": "跨年夜市"},
                                 headers=staff.scheduler)
    new_in_2025 = await client.post(events, json={
        "title_zh": "补录活动", "category": "culture", "start": "2025-10-01T19:00",
        "end": "2025-10-01T21:00", "status": "published"}, headers=staff.scheduler)

    assert [r.status_code for r in (retimed, regrouped, cancelled, new_in_2025)] == [409] * 4
    assert {r.json()["code"] for r in (retimed, regrouped, cancelled, new_in_2025)} == {
        "year_closed"}
    assert renamed.status_code == 200


async def test_the_report_form_of_a_closed_year_says_so(client: Client, staff: Staff) -> None:
    _, (night,) = await season(client, staff.scheduler, "2025-06-01T19:00")
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)
    await log_in(client, "boss", Role.admin)

    page = await client.get(f"/staff/attendance/{night}")
    sent = await client.post(f"/staff/attendance/{night}", data={
        "total": "80", "idempotency_key": "k-1", "_csrf_token": csrf(client)})

    assert page.status_code == 200 and CLOSED_2025 in page.text
    assert sent.status_code == 409
    assert CLOSED_2025 in sent.text


async def test_the_years_page_closes_and_reopens_with_a_reason(
    client: Client, staff: Staff
) -> None:
    await log_in(client, "boss", Role.admin)
    assert (await client.get("/staff/years")).status_code == 200
    token = {"_csrf_token": csrf(client)}

    closed = await client.post("/staff/years/2025/close", data={"reason": "年报已报送", **token})
    listed = await client.get("/staff/years")
    no_reason = await client.post("/staff/years/2025/reopen", data={"reason": "", **token})
    reopened = await client.post("/staff/years/2025/reopen",
                                 data={"reason": "补报十月人次", **token})

    assert (closed.status_code, closed.headers["location"]) == (
        303, "/staff/years?done=year_close#year-2025")
    assert "已封账" in listed.text and "年报已报送" in listed.text
    assert_good_page(listed.text)
    assert no_reason.status_code == 422
    assert "重新开放须写明原因（至少 4 个字）" in no_reason.text
    assert_good_page(no_reason.text)
    assert reopened.status_code == 303


async def test_the_years_page_is_for_admins_only(client: Client, staff: Staff) -> None:
    await log_in(client, "planner", Role.scheduler)

    page = await client.get("/staff/years")

    assert page.status_code == 403


async def test_what_a_closed_year_is_counted_by_stays(client: Client, staff: Staff) -> None:
    event_id, _ = await season(client, staff.scheduler, "2025-10-09T14:00", nights=3,
                                    category="training")
    await client.post(f"{YEARS}/2025/close", headers=staff.admin)

    course = await client.patch(f"/api/v1/events/{event_id}",
                                json={"course": True, "enrolled": 30}, headers=staff.scheduler)
    counting = await client.patch("/api/v1/categories/training", json={"counting": "activity"},
                                  headers=staff.admin)
    group = await client.patch("/api/v1/categories/training", json={"group": "tourism"},
                               headers=staff.admin)
    unit = await client.patch("/api/v1/counting-groups/culture", json={"unit": "个"},
                              headers=staff.admin)
    untouched = await client.patch("/api/v1/categories/market", json={"counting": "activity"},
                                   headers=staff.admin)  # no nights of 2025 count there
    renamed = await client.patch("/api/v1/categories/training", json={"name_en": "Courses"},
                                 headers=staff.admin)

    assert [r.status_code for r in (course, counting, group, unit)] == [409] * 4
    assert {r.json()["message"] for r in (course, counting, group, unit)} == {CLOSED_2025}
    assert (untouched.status_code, renamed.status_code) == (200, 200)


async def test_a_required_field_cannot_be_sent_empty(client: Client, staff: Staff) -> None:
    template = await client.patch("/api/v1/counting-groups/culture", json={"unit": None},
                                  headers=staff.admin)
    highlight = await client.patch("/api/v1/programmes/cunwan", json={"highlight": None},
                                   headers=staff.admin)

    assert (template.status_code, template.json()["message"]) == (422, "单位不能为空。")
    assert (highlight.status_code, highlight.json()["message"]) == (422, "重点活动项目不能为空。")


async def test_an_event_course_flag_cannot_be_sent_empty(client: Client, staff: Staff) -> None:
    event_id, _ = await season(client, staff.scheduler, "2027-03-01T19:00")

    response = await client.patch(f"/api/v1/events/{event_id}", json={"course": None},
                                  headers=staff.scheduler)

    assert (response.status_code, response.json()["message"]) == (422, "培训班不能为空。")
