"""One rule for who reads a night's attendance, through the API and the pages alike."""

from __future__ import annotations

from bolin_events.models import Role
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff, make_user


async def test_a_reporter_reads_only_their_own_villages_ledgers(
        client: Client, staff: Staff) -> None:
    _, dongsheng_night = await make_event(client, staff.scheduler)  # the night market, 东胜村
    filed = await client.post(reports_url(dongsheng_night), json={"total": 86},
                              headers=staff.reporter)
    huagai = await make_user(client.app, "huagai-reporter", Role.reporter, ["huagai"])

    own = await client.get(reports_url(dongsheng_night), headers=staff.reporter)
    other = await client.get(reports_url(dongsheng_night), headers=huagai)
    scheduler = await client.get(reports_url(dongsheng_night), headers=staff.scheduler)

    assert filed.status_code == 201
    assert own.status_code == 200 and own.json()["current"]["total"] == 86
    assert other.status_code == 403
    assert "86" not in other.text
    assert "东胜村" in other.json()["message"]
    assert scheduler.status_code == 200
