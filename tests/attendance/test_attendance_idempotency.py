"""Idempotency-Key: a retry gets the first answer; a reused key with other content is refused."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import select

from bolin_events.app import close_database, create_app, open_database
from bolin_events.models import IdempotencyKey, Role, utcnow
from bolin_events.settings import Settings
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff, make_user


async def test_retry_same_key_same_body_gives_the_first_answer_and_one_revision(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    headers = {**staff.reporter, "Idempotency-Key": "k-1"}

    first = await client.post(reports_url(occ), json={"total": 300}, headers=headers)
    again = await client.post(reports_url(occ), json={"total": 300}, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert [r["total"] for r in history["revisions"]] == [300]


async def test_retry_same_key_other_body_is_409_and_changes_nothing(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    headers = {**staff.reporter, "Idempotency-Key": "k-1"}
    await client.post(reports_url(occ), json={"total": 300}, headers=headers)

    response = await client.post(
        reports_url(occ), json={"total": 310, "reason": "改"}, headers=headers
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert (
        response.json()["message"]
        == "该 Idempotency-Key 已用于另一份不同的内容；新的上报请换一个新的键。"
    )
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert [r["total"] for r in history["revisions"]] == [300]


async def test_same_key_for_another_occurrence_is_409(client: Client, staff: Staff) -> None:
    _, first = await make_event(client, staff.scheduler, days_from_now=-2)
    _, second = await make_event(client, staff.scheduler, days_from_now=-3)
    headers = {**staff.reporter, "Idempotency-Key": "k-1"}
    await client.post(reports_url(first), json={"total": 300}, headers=headers)

    response = await client.post(reports_url(second), json={"total": 300}, headers=headers)

    assert response.status_code == 409
    history = (await client.get(reports_url(second), headers=staff.reporter)).json()
    assert history["revisions"] == []


async def test_keys_belong_to_their_user(client: Client, staff: Staff) -> None:
    other = await make_user(client.app, "cadre", Role.reporter, ["dongsheng"])
    _, occ = await make_event(client, staff.scheduler)
    await client.post(
        reports_url(occ), json={"total": 300}, headers={**staff.reporter, "Idempotency-Key": "k"}
    )

    response = await client.post(
        reports_url(occ),
        json={"total": 320, "reason": "复核"},
        headers={**other, "Idempotency-Key": "k"},
    )

    assert response.status_code == 201
    assert response.json()["revision"] == 2


async def test_refused_request_is_not_kept_so_the_fixed_retry_runs(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    headers = {**staff.reporter, "Idempotency-Key": "k-1"}
    await client.post(reports_url(occ), json={"total": -1}, headers=headers)

    refused_again = await client.post(reports_url(occ), json={"total": -1}, headers=headers)
    fixed = await client.post(reports_url(occ), json={"total": 1}, headers=headers)  # same key

    assert refused_again.status_code == 422
    assert refused_again.json()["message"] == "人次数字有误：总人次不能为负数（-1）。"
    assert fixed.status_code == 201
    assert "idempotent-replayed" not in fixed.headers
    history = (await client.get(reports_url(occ), headers=staff.reporter)).json()
    assert [r["total"] for r in history["revisions"]] == [1]


async def test_key_is_kept_in_the_database_for_every_app_process(
    client: Client, staff: Staff, settings: Settings
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    headers = {**staff.reporter, "Idempotency-Key": "shared"}
    first = await client.post(reports_url(occ), json={"total": 300}, headers=headers)
    other_process = create_app(settings)
    await open_database(other_process)
    try:
        transport = httpx.ASGITransport(app=other_process)
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as second:
            again = await second.post(reports_url(occ), json={"total": 300}, headers=headers)
        async with other_process.state.sessionmaker() as session:
            stored = (await session.exec(select(IdempotencyKey))).one()
    finally:
        await close_database(other_process)

    assert again.content == first.content
    assert (stored.key, stored.status) == ("shared", 201)


async def test_dry_run_with_a_used_key_gives_the_stored_answer(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    headers = {**staff.reporter, "Idempotency-Key": "k-1"}
    first = await client.post(reports_url(occ), json={"total": 300}, headers=headers)

    checked = await client.post(
        reports_url(occ), params={"dry_run": "true"}, json={"total": 300}, headers=headers
    )

    assert checked.status_code == 201
    assert checked.content == first.content


async def test_bad_key_is_refused_in_plain_words(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        reports_url(occ),
        json={"total": 3},
        headers={**staff.reporter, "Idempotency-Key": "x" * 201},
    )

    assert response.status_code == 422
    assert response.json()["message_en"] == (
        "Idempotency-Key must be 1–200 printable ASCII characters (a UUID is good)."
    )


async def test_keys_older_than_thirty_days_go_when_the_user_stores_a_new_one(
    client: Client, staff: Staff
) -> None:
    _, occ = await make_event(client, staff.scheduler)
    _, later = await make_event(client, staff.scheduler, days_from_now=-3)
    _, admins = await make_event(client, staff.scheduler, days_from_now=-4)
    for night, headers in ((occ, {**staff.reporter, "Idempotency-Key": "old"}),
                           (admins, {**staff.admin, "Idempotency-Key": "admins-old"})):
        response = await client.post(reports_url(night), json={"total": 300}, headers=headers)
        assert response.status_code == 201, response.text
    async with client.app.state.sessionmaker() as session, session.begin():
        for row in (await session.exec(select(IdempotencyKey))).all():
            row.created_at = utcnow() - timedelta(days=31)
            session.add(row)

    await client.post(reports_url(later), json={"total": 50},
                      headers={**staff.reporter, "Idempotency-Key": "new"})

    async with client.app.state.sessionmaker() as session:
        kept = sorted(row.key for row in (await session.exec(select(IdempotencyKey))).all())
    assert kept == ["admins-old", "new"]  # only the user's own old keys go
