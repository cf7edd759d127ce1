"""The audit trail: an inspection asks who changed a figure or an event, and when.

Every staff write — through the API, a page or a command — leaves one entry per changed
record: who, when, from where, each field before and after; admins read it through the API
(filtered by user, object and period) and on a staff page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bolin_events.models import Role
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import PASSWORD, Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import post_form

AUDIT = "/api/v1/audit"
BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0"}


async def trail(client: Client, staff: Staff, **filters: str) -> list[dict[str, object]]:
    answer = await client.get(AUDIT, params=filters, headers=staff.admin)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, object]] = answer.json()["items"]
    return items


async def test_a_corrected_figure_says_who_changed_it_from_what_to_what(
        client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler)
    first = await client.post(reports_url(night), headers={**staff.reporter, **BROWSER},
                              json={"total": 120, "method": "clicker"})
    fixed = await client.post(reports_url(night), headers={**staff.reporter, **BROWSER},
                              json={"total": 210, "reason": "漏算了东门"})
    assert first.status_code == fixed.status_code == 201

    reports = await trail(client, staff, object_type="report", user="reporter")

    assert [r["action"] for r in reports] == ["create", "create"]  # newest first
    newest, oldest = reports
    assert newest["changes"]["total"] == [None, 210]  # type: ignore[index]
    assert newest["changes"]["reason"] == [None, "漏算了东门"]  # type: ignore[index]
    assert newest["changes"]["revision"] == [None, 2]  # type: ignore[index]
    assert oldest["changes"]["total"] == [None, 120]  # type: ignore[index]
    assert newest["username"] == "reporter" and newest["via"] == "api"
    assert newest["user_agent"] == BROWSER["User-Agent"]
    assert newest["ip"]
    assert newest["request_id"] == fixed.headers["x-request-id"]


async def test_an_event_edit_shows_each_field_before_and_after(
        client: Client, staff: Staff) -> None:
    event_id, _ = await make_event(client, staff.scheduler, days_from_now=30)
    changed = await client.patch(f"/api/v1/events/{event_id}", headers=staff.scheduler,
                                 json={"title_zh": "东胜银杏夜市（改期后）", "price": "免费"})
    assert changed.status_code == 200, changed.text

    entries = await trail(client, staff, object_type="event", object_id=str(event_id))

    assert [e["action"] for e in entries] == ["update", "create"]
    update = entries[0]["changes"]
    assert update["title_zh"][1] == "东胜银杏夜市（改期后）"  # type: ignore[index]
    assert update["price"] == [None, "免费"]  # type: ignore[index]
    assert set(update) == {"title_zh", "price"}  # type: ignore[arg-type]
    assert entries[0]["username"] == "scheduler"
    assert entries[0]["label"] == "东胜银杏夜市（改期后）"


async def test_a_cancelled_night_is_entered_but_the_nights_a_rule_makes_are_not(
        client: Client, staff: Staff) -> None:
    event_id, night = await make_event(client, staff.scheduler, days_from_now=30,
                                       rrule="FREQ=DAILY;COUNT=20")
    cancelled = await client.post(f"/api/v1/occurrences/{night}/cancel", headers=staff.scheduler,
                                  json={"reason": "雷雨预警"})
    assert cancelled.status_code == 200, cancelled.text

    nights = await trail(client, staff, object_type="occurrence")

    assert len(nights) == 1  # the cancellation; not the 20 nights the rule made
    assert nights[0]["action"] == "update"
    assert nights[0]["changes"]["state"] == ["scheduled", "cancelled"]  # type: ignore[index]
    assert nights[0]["changes"]["reason"] == [None, "雷雨预警"]  # type: ignore[index]
    assert len(await trail(client, staff, object_type="event", object_id=str(event_id))) == 1


async def test_a_refused_write_leaves_no_entry(client: Client, staff: Staff) -> None:
    await make_event(client, staff.scheduler, days_from_now=40)
    before = len(await trail(client, staff))
    start = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=40)
    clash = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "撞场的活动", "category": "culture", "venue": "ginkgo-night-market",
        "start": f"{start}T19:30", "end": f"{start}T20:30", "status": "published"})

    assert clash.status_code == 409
    assert len(await trail(client, staff)) == before


async def test_passwords_and_token_hashes_are_never_written_down(
        client: Client, staff: Staff) -> None:
    made = await client.post("/api/v1/users", headers=staff.admin, json={
        "username": "zhangsan", "password": PASSWORD, "role": "reporter",
        "villages": ["dongsheng"]})
    assert made.status_code == 201, made.text
    logged_in = await client.post("/api/v1/auth/token", json={
        "username": "zhangsan", "password": PASSWORD, "name": "值班手机"})
    assert logged_in.status_code == 201

    users = await trail(client, staff, object_type="user", object_id=str(made.json()["id"]))
    tokens = await trail(client, staff, object_type="token", user="zhangsan")

    assert users[0]["changes"]["password_hash"] == [None, "(changed)"]  # type: ignore[index]
    assert users[0]["username"] == "admin"
    assert tokens and tokens[0]["changes"]["name"] == [None, "值班手机"]  # type: ignore[index]
    assert tokens[0]["changes"]["token_hash"] == [None, "(changed)"]  # type: ignore[index]
    everything = str(await trail(client, staff))
    assert "argon2" not in everything and logged_in.json()["token"] not in everything


async def test_reading_writes_nothing_to_the_trail(client: Client, staff: Staff) -> None:
    await make_event(client, staff.scheduler)
    before = len(await trail(client, staff))
    for _ in range(3):  # reads, including a token's last-use time being recorded
        assert (await client.get("/api/v1/me", headers=staff.reporter)).status_code == 200
        assert (await client.get("/api/v1/events", headers=staff.scheduler)).status_code == 200

    assert len(await trail(client, staff)) == before


async def test_the_trail_filters_by_period_in_local_days(client: Client, staff: Staff) -> None:
    await make_event(client, staff.scheduler)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()

    todays = await trail(client, staff, **{"from": str(today), "to": str(today)})
    yesterdays = await trail(client, staff, **{"from": str(today - timedelta(days=1)),
                                               "to": str(today - timedelta(days=1))})
    bad = await client.get(AUDIT, params={"from": "2026-13-01", "to": "2026-12-01"},
                           headers=staff.admin)

    assert todays and yesterdays == []
    assert bad.status_code == 422
    assert "from" in bad.json()["message_en"]


async def test_a_sheet_import_is_entered_as_a_whole_and_event_by_event(
        client: Client, staff: Staff) -> None:
    sheet = ("活动名称,类别,开始时间,结束时间,外部编号\n"
             "沙河村坝坝电影,文艺表演,2028-07-01 20:00,22:00,film-1\n"
             "沙河村坝坝电影,文艺表演,2028-07-08 20:00,22:00,film-2\n").encode()
    imported = await client.post("/api/v1/import/sheet", headers=staff.scheduler,
                                 files={"file": ("夏季电影.csv", sheet, "text/csv")})
    assert imported.status_code == 200, imported.text

    whole = await trail(client, staff, object_type="import")
    events = await trail(client, staff, object_type="event", user="scheduler")

    assert len(whole) == 1
    assert whole[0]["label"] == "夏季电影.csv" and whole[0]["object_id"] == "sheet:sheet"
    assert whole[0]["changes"]["create"] == [None, 2]  # type: ignore[index]
    assert {e["label"] for e in events} == {"沙河村坝坝电影"} and len(events) == 2


async def test_the_admin_reads_the_trail_on_a_staff_page(client: Client, staff: Staff,
                                                         reference: None) -> None:
    event_id, _ = await make_event(client, staff.scheduler, days_from_now=30)
    await log_in(client, "boss", Role.admin)
    renamed = await post_form(client, f"/staff/events/{event_id}", {
        "title_zh": "华盖村村晚", "category": "culture", "venue": "ginkgo-night-market",
        "start_date": (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=30))
        .isoformat(), "start_time": "19:00", "end_time": "21:00", "allow_overlap": "yes"})
    assert renamed.status_code in (200, 303), renamed.text[:500]

    page = await client.get("/staff/audit", params={"object_type": "event",
                                                    "object_id": str(event_id)})

    assert page.status_code == 200
    assert_good_page(page.text)
    assert "华盖村村晚" in page.text and "boss" in page.text and "scheduler" in page.text
    assert "page" in page.text  # the form's change came through the staff page
    refused = await client.get("/staff/audit", params={"from": "not a day", "to": "2026-01-01"})
    assert refused.status_code == 422 and "from" in refused.text


async def test_only_admins_see_the_trail_page(client: Client, reference: None) -> None:
    await log_in(client, "planner", Role.scheduler)

    page = await client.get("/staff/audit")

    assert page.status_code == 403
    assert "查看操作记录（仅管理员）" in page.text  # what the role lacks, in words
    assert "<table class=\"audit\">" not in page.text
