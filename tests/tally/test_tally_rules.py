"""The tally's rules through the API: entrances, batches, split counts, who may count."""

from __future__ import annotations

from bolin_events.models import Role
from tests.attendance.helpers import make_event
from tests.conftest import Client, Staff, make_user
from tests.tally.helpers import batch, batches_url, count, entrance, held_night, tally_url


async def test_a_night_nobody_opened_shows_no_tally(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)

    answer = await client.get(tally_url(night), headers=staff.reporter)

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    assert (answer.json()["state"], answer.json()["total"], answer.json()["entrances"]) == (
        "none", 0, [])


async def test_the_same_entrance_name_is_the_same_entrance(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)

    first = await client.post(tally_url(night, "/entrances"), json={"name": "东门"},
                              headers=staff.admin)
    again = await client.post(tally_url(night, "/entrances"), json={"name": " 东门 "},
                              headers=staff.reporter)
    other = await client.post(tally_url(night, "/entrances"), json={"name": "南门"},
                              headers=staff.reporter)
    blank = await client.post(tally_url(night, "/entrances"), json={"name": "  "},
                              headers=staff.reporter)

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert other.json()["id"] != first.json()["id"]
    assert blank.status_code == 422
    assert [d["key"] for d in blank.json()["details"]] == ["name"]


async def test_a_batch_sent_again_counts_once_and_says_so(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    body = batch(5)

    first = await client.post(batches_url(night, gate), json=body, headers=staff.admin)
    again = await client.post(batches_url(night, gate), json=body, headers=staff.admin)
    changed = await client.post(batches_url(night, gate), json={**body, "delta": 6},
                                headers=staff.admin)

    assert (first.status_code, first.json()["counted"], first.json()["total"]) == (201, True, 5)
    assert (again.status_code, again.json()["counted"], again.json()["total"]) == (200, False, 5)
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_key_reused"


async def test_a_count_never_goes_below_zero(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    await count(client, staff.admin, night, gate, 1, -1)

    refused = await client.post(batches_url(night, gate), json=batch(-1), headers=staff.admin)
    figures = (await client.get(tally_url(night), headers=staff.admin)).json()

    assert refused.status_code == 422
    assert refused.json()["message"] == "东门的人数不能少于 0（现有 0）；这一批没有计入。"
    assert figures["entrances"][0]["count"] == 0


async def test_a_split_tally_counts_residents_and_visitors_apart(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    east = await entrance(client, staff.admin, night, "东门", split=True)
    south = await entrance(client, staff.admin, night, "南门", split=False)  # follows the tally
    for body in (batch(1, residents=1), batch(2, residents=2), batch(1, visitors=1), batch(1)):
        assert (await client.post(batches_url(night, east), json=body,
                                  headers=staff.admin)).status_code == 201
    await client.post(batches_url(night, south), json=batch(2, visitors=2), headers=staff.admin)

    too_few = await client.post(batches_url(night, south), json=batch(-1, residents=-1),
                                headers=staff.admin)
    figures = (await client.get(tally_url(night), headers=staff.admin)).json()

    assert figures["split"] is True
    assert [(e["name"], e["count"], e["residents"], e["visitors"])
            for e in figures["entrances"]] == [("东门", 5, 3, 1), ("南门", 2, 0, 2)]
    assert (figures["total"], figures["residents"], figures["visitors"]) == (7, 3, 3)
    assert too_few.status_code == 422
    assert "南门的本地人数不能少于 0" in too_few.json()["message"]


async def test_a_tally_that_does_not_split_takes_no_residents(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")

    refused = await client.post(batches_url(night, gate), json=batch(1, residents=1),
                                headers=staff.admin)
    empty = await client.post(batches_url(night, gate), json=batch(0), headers=staff.admin)
    text = await client.post(batches_url(night, gate), json={**batch(1), "delta": "1"},
                             headers=staff.admin)

    assert refused.status_code == 422
    assert "不分本地/外地" in refused.json()["message"]
    assert empty.status_code == 422
    assert empty.json()["message"] == "这一批是空的（全为 0）。"
    assert text.status_code == 422
    assert [d["key"] for d in text.json()["details"]] == ["delta"]


async def test_only_a_held_night_opens_a_tally(client: Client, staff: Staff) -> None:
    _, draft = await make_event(client, staff.scheduler, days_from_now=-1, status="draft")
    _, cancelled = await make_event(client, staff.scheduler, days_from_now=-1, hour=15,
                                    rrule="FREQ=DAILY;COUNT=3")
    called_off = await client.post(f"/api/v1/occurrences/{cancelled}/cancel",
                                   json={"reason": "下雨"}, headers=staff.scheduler)
    assert called_off.status_code == 200, called_off.text

    refused = [await client.post(tally_url(night, "/entrances"), json={"name": "东门"},
                                 headers=staff.admin) for night in (draft, cancelled)]

    assert [r.status_code for r in refused] == [409, 409]
    assert refused[0].json()["message"] == "该活动还是草稿，未发布，不能计数。"
    assert refused[1].json()["message"] == "该场次已取消，不能计数。"


async def test_a_reporter_of_another_village_is_refused(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)  # 东胜村
    gate = await entrance(client, staff.reporter, night, "东门")
    huagai = await make_user(client.app, "huagai-reporter", Role.reporter, ["huagai"])

    answers = [
        await client.get(tally_url(night), headers=huagai),
        await client.post(tally_url(night, "/entrances"), json={"name": "南门"}, headers=huagai),
        await client.post(batches_url(night, gate), json=batch(1), headers=huagai),
        await client.post(tally_url(night, "/close"), json={}, headers=huagai),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert "东胜村" in answers[0].json()["message"]


async def test_anonymous_callers_are_asked_to_log_in(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")

    answers = [
        await client.get(tally_url(night)),
        await client.post(tally_url(night, "/entrances"), json={"name": "南门"}),
        await client.post(batches_url(night, gate), json=batch(1)),
        await client.post(tally_url(night, "/close"), json={}),
    ]

    assert [a.status_code for a in answers] == [401, 401, 401, 401]
    assert {a.json()["code"] for a in answers} == {"not_authenticated"}


async def test_an_entrance_of_another_night_is_not_found(client: Client, staff: Staff) -> None:
    night = await held_night(client, staff.scheduler)
    other = await held_night(client, staff.scheduler, hour=15)
    gate = await entrance(client, staff.admin, other, "东门")
    await entrance(client, staff.admin, night, "东门")

    answer = await client.post(batches_url(night, gate), json=batch(1), headers=staff.admin)

    assert answer.status_code == 404
    assert answer.json()["message"] == f"找不到入口：{gate}"
