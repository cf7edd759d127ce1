"""The "still to report" list, and the demo season's attendance."""

from __future__ import annotations

from sqlmodel import func, select

from bolin_events.models import AttendanceReport
from bolin_events.services import seeding
from bolin_events.settings import Settings
from tests.attendance.helpers import evening, make_event, occurrence_key, reports_url
from tests.conftest import Client, Staff

PENDING = "/api/v1/reports/pending"


async def pending_ids(client: Client, headers: dict[str, str], **params: str) -> list[str]:
    response = await client.get(PENDING, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_pending_lists_only_held_unreported_nights_oldest_first(
    client: Client, staff: Staff
) -> None:
    _, older = await make_event(client, staff.scheduler, days_from_now=-9)
    _, newer = await make_event(client, staff.scheduler, days_from_now=-2)
    _, reported = await make_event(client, staff.scheduler, days_from_now=-5)
    await client.post(reports_url(reported), json={"total": 9}, headers=staff.reporter)
    await make_event(client, staff.scheduler, days_from_now=-4, status="draft")
    await make_event(client, staff.scheduler, days_from_now=2)
    series, skipped = await make_event(
        client, staff.scheduler, days_from_now=-7, rrule="FREQ=DAILY;COUNT=2", hour=8
    )
    await client.post(f"/api/v1/occurrences/{skipped}/skip", headers=staff.scheduler)
    cancelled_event, _ = await make_event(client, staff.scheduler, days_from_now=-3)
    await client.post(
        f"/api/v1/events/{cancelled_event}/cancel", json={"reason": "雨"}, headers=staff.scheduler
    )

    ids = await pending_ids(client, staff.admin)

    assert ids == [older, occurrence_key(series, evening(-6, 8)), newer]


async def test_pending_for_a_reporter_is_their_villages_unless_they_ask(
    client: Client, staff: Staff
) -> None:
    _, here = await make_event(client, staff.scheduler, venue="jiayue-farm")
    _, there = await make_event(client, staff.scheduler, venue="qingqing-park", days_from_now=-3)

    mine = await pending_ids(client, staff.reporter)
    asked = await pending_ids(client, staff.reporter, village="huagai")
    everything = await pending_ids(client, staff.scheduler)

    assert (mine, asked, everything) == ([here], [there], [there, here])


async def test_pending_unknown_village_is_404(client: Client, staff: Staff) -> None:
    response = await client.get(PENDING, params={"village": "beijing"}, headers=staff.reporter)

    assert response.status_code == 404
    assert response.json()["message"].startswith("找不到村「beijing」")


async def test_pending_needs_a_staff_token(client: Client, staff: Staff) -> None:
    response = await client.get(PENDING)

    assert response.status_code == 401
    assert response.json()["message_en"] == (
        "Log in first: send the header Authorization: Bearer <token>.")


async def test_demo_autumn_has_reports_a_correction_and_nights_to_report(
    client: Client, seeded: None, staff: Staff
) -> None:
    events = (await client.get("/api/v1/events", params={"category": "market"})).json()["items"]
    (market,) = [e["id"] for e in events if e["title_zh"] == "东胜银杏夜市·秋季（演示）"]

    corrected = await client.get(reports_url(f"{market}-20261024T190000"), headers=staff.admin)
    dongsheng = await pending_ids(client, staff.reporter)

    revisions = corrected.json()["revisions"]
    assert [(r["revision"], r["total"], r["reported_by"]) for r in revisions] == [
        (1, 1500, "demo-reporter"),
        (2, 1580, "demo-reporter"),
    ]
    assert revisions[1]["reason"] == "按入口计数器核对更正（演示）"
    assert dongsheng[:2] == [f"{market}-20261114T190000", f"{market}-20261121T190000"]


async def test_seed_twice_files_no_report_twice(
    client: Client, seeded: None, settings: Settings
) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        before = (await session.exec(select(func.count()).select_from(AttendanceReport))).one()
        again = await seeding.seed(session, settings, demo=True)
        after = (await session.exec(select(func.count()).select_from(AttendanceReport))).one()

    assert before == after == 7
    assert again.created == {}
    assert again.skipped["attendance"] == 7
