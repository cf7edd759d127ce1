"""Closing a tally: it becomes the night's report (计数器), keeps its breakdown, takes no more
counting, and the report is corrected like any other."""

from __future__ import annotations

from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff
from tests.tally.helpers import batch, batches_url, count, entrance, held_night, tally_url

CLOSED = "本场计数已结束，如需更正请在人次上报中更正。"


async def test_closing_files_the_report_and_keeps_the_breakdown(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    east = await entrance(client, staff.admin, night, "东门")
    south = await entrance(client, staff.admin, night, "南门")
    await count(client, staff.admin, night, east, 5, 5, 1, -1)
    await count(client, staff.reporter, night, south, 1, 1, 1)

    closed = await client.post(tally_url(night, "/close"), json={}, headers=staff.reporter)
    tally = (await client.get(tally_url(night), headers=staff.reporter)).json()
    ledger = (await client.get(reports_url(night), headers=staff.reporter)).json()

    assert closed.status_code == 201, closed.text
    report = closed.json()
    assert (report["revision"], report["total"], report["method"]) == (1, 13, "clicker")
    assert (report["residents"], report["visitors"]) == (None, None)
    assert report["note"] == "入口计数：东门 10，南门 3"
    assert report["reported_by"] == "reporter"
    assert ledger["current"] == report
    assert tally["state"] == "closed"
    assert tally["report_id"] == report["id"]
    assert [(e["name"], e["count"]) for e in tally["entrances"]] == [("东门", 10), ("南门", 3)]


async def test_after_closing_no_batch_or_entrance_is_taken_but_a_retry_is_answered(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    sent = batch(4)
    await client.post(batches_url(night, gate), json=sent, headers=staff.admin)
    await client.post(tally_url(night, "/close"), json={}, headers=staff.admin)

    late = await client.post(batches_url(night, gate), json=batch(1), headers=staff.admin)
    retry = await client.post(batches_url(night, gate), json=sent, headers=staff.admin)
    new_gate = await client.post(tally_url(night, "/entrances"), json={"name": "南门"},
                                 headers=staff.admin)
    again = await client.post(tally_url(night, "/close"), json={"reason": "再来"},
                              headers=staff.admin)

    assert late.status_code == 409
    assert late.json()["message"] == CLOSED
    assert (retry.status_code, retry.json()["counted"], retry.json()["total"]) == (200, False, 4)
    assert new_gate.status_code == 409
    assert new_gate.json()["message"] == CLOSED
    assert again.status_code == 409
    assert again.json()["message"] == CLOSED


async def test_a_split_tally_reports_residents_and_visitors(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门", split=True)
    for body in (batch(3, residents=3), batch(2, visitors=2)):
        await client.post(batches_url(night, gate), json=body, headers=staff.admin)
    other = await held_night(client, staff.scheduler, hour=15)
    mixed = await entrance(client, staff.admin, other, "东门", split=True)
    for body in (batch(3, residents=3), batch(2, visitors=2), batch(1)):
        await client.post(batches_url(other, mixed), json=body, headers=staff.admin)

    covered = (await client.post(tally_url(night, "/close"), json={},
                                 headers=staff.admin)).json()
    partly = (await client.post(tally_url(other, "/close"), json={},
                                headers=staff.admin)).json()

    assert (covered["total"], covered["residents"], covered["visitors"]) == (5, 3, 2)
    assert covered["note"] == "入口计数：东门 5（本地 3，外地 2）"
    assert (partly["total"], partly["residents"], partly["visitors"]) == (6, None, None)
    assert partly["note"] == (
        "入口计数：东门 6（本地 3，外地 2）。合计本地 3，外地 2，未分本地外地 1")


async def test_a_night_already_reported_needs_a_reason_and_gets_the_next_revision(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    await client.post(reports_url(night), json={"total": 300, "method": "estimate"},
                      headers=staff.reporter)
    gate = await entrance(client, staff.admin, night, "东门")
    await count(client, staff.admin, night, gate, 5, 5)

    asked = await client.post(tally_url(night, "/close"), json={}, headers=staff.reporter)
    still_open = (await client.get(tally_url(night), headers=staff.reporter)).json()
    closed = await client.post(tally_url(night, "/close"), json={"reason": "按入口计数器"},
                               headers=staff.reporter)

    assert asked.status_code == 422
    assert asked.json()["message"] == (
        "该场次已上报（第 1 版，总人次 300）。结束计数将上报更正版（总人次 10），请填写更正原因。")
    assert still_open["state"] == "open"
    assert closed.status_code == 201
    assert (closed.json()["revision"], closed.json()["total"]) == (2, 10)
    assert closed.json()["reason"] == "按入口计数器"
    assert {"field": "total", "before": 300, "after": 10} in closed.json()["changes"]


async def test_the_report_a_tally_filed_is_corrected_as_a_new_revision(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    await count(client, staff.admin, night, gate, 5, 5, 5)
    filed = (await client.post(tally_url(night, "/close"), json={},
                               headers=staff.admin)).json()

    corrected = await client.post(
        reports_url(night), json={"total": 16, "method": "clicker", "reason": "漏数一人"},
        headers=staff.reporter)
    ledger = (await client.get(reports_url(night), headers=staff.reporter)).json()
    tally = (await client.get(tally_url(night), headers=staff.reporter)).json()

    assert corrected.status_code == 201
    assert [(r["revision"], r["total"]) for r in ledger["revisions"]] == [(1, 15), (2, 16)]
    assert ledger["current"]["reason"] == "漏数一人"
    assert tally["report_id"] == filed["id"]  # the tally keeps pointing at what it filed
    assert tally["total"] == 15


async def test_closing_obeys_the_rules_of_a_report(client: Client, staff: Staff) -> None:
    _, tomorrow = await make_event(client, staff.scheduler, days_from_now=1)
    gate = await entrance(client, staff.admin, tomorrow, "东门")
    await count(client, staff.admin, tomorrow, gate, 1)
    nobody = await held_night(client, staff.scheduler)

    early = await client.post(tally_url(tomorrow, "/close"), json={}, headers=staff.admin)
    unopened = await client.post(tally_url(nobody, "/close"), json={}, headers=staff.admin)
    tally = (await client.get(tally_url(tomorrow), headers=staff.admin)).json()

    assert early.status_code == 409
    assert "场次尚未开始" in early.json()["message"]
    assert tally["state"] == "open"
    assert unopened.status_code == 409
    assert unopened.json()["message"] == "本场还没有开始计数。"


async def test_a_retried_close_with_its_key_gets_the_same_report(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    await count(client, staff.admin, night, gate, 7)
    key = {"Idempotency-Key": "close-once", **staff.admin}

    first = await client.post(tally_url(night, "/close"), json={}, headers=key)
    again = await client.post(tally_url(night, "/close"), json={}, headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
