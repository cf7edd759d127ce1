"""The night's report page beside its sign-ups: 报名 and 签到 shown, and "按签到人数上报" filling
the form from the check-ins, counted only once the reporter submits it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bolin_events.models import Role, SignupState
from tests.attendance.helpers import make_event
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.reports.signup_rows import Row, add_sign_ups, confirmed

PREFILL = "?prefill=check-ins"
FORM_VALUE = r'name="{}" type="number" inputmode="numeric" min="0" step="1" value="([^"]*)"'


@pytest.fixture
async def reporter(client: Client, staff: Staff) -> dict[str, str]:
    """A reporter of 东胜村 logged in to the pages."""
    return await log_in(client, "door-reporter", Role.reporter, ["dongsheng"])


async def night_with_sign_ups(client: Client, staff: Staff, **event: Any) -> str:
    """Two nights ago in 东胜村: 报名 5 人 (one no-show), 签到 5 人 with a walk-in pair."""
    _, night = await make_event(client, staff.scheduler, days_from_now=-2, **event)
    await add_sign_ups(client, night, [
        *confirmed(3, checked=1),
        Row(party=2, no_show=True),
        Row(party=2, checked=2, walk_in=True),
        Row(party=3, state=SignupState.waitlisted),
    ])
    return night


def page(night: str) -> str:
    return f"/staff/attendance/{night}"


def figure(html: str, name: str) -> str:
    match = re.search(FORM_VALUE.format(name), html)
    assert match, f"no {name} field"
    return match[1]


def selected_method(html: str) -> str | None:
    match = re.search(r'<option value="([a-z_]+)" selected>', html)
    return match[1] if match else None


async def filed(client: Client, headers: dict[str, str], night: str) -> list[Any]:
    response = await client.get(f"/api/v1/occurrences/{night}/reports", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["revisions"])


async def test_report_page_shows_sign_ups_and_check_ins(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    night = await night_with_sign_ups(client, staff)

    response = await client.get(page(night))

    assert response.status_code == 200
    assert_good_page(response.text)
    assert "报名 5 人，签到 5 人</strong>（含现场加入 2 人）" in response.text
    assert "已标记未到 2 人。" in response.text
    assert "候补 3 人（不计入报名）。" in response.text
    assert f'href="{page(night)}{PREFILL}#form-heading"' in response.text
    assert figure(response.text, "total") == ""  # nothing filled until asked


async def test_check_ins_fill_the_form_and_nothing_counts_until_it_is_sent(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    night = await night_with_sign_ups(client, staff)

    shown = await client.get(page(night) + PREFILL)

    assert shown.status_code == 200
    assert_good_page(shown.text)
    assert (figure(shown.text, "total"), selected_method(shown.text)) == ("5", "sign_in")
    assert "按签到人数上报：报名 5 人，签到 5 人（含现场加入 2 人）</textarea>" in shown.text
    assert "已按签到人数填好下面的表单：总人次 5，统计方式 签到表。" in shown.text
    assert await filed(client, staff.admin, night) == []
    key = re.search(r'name="idempotency_key" value="([^"]+)"', shown.text)
    assert key

    sent = await client.post(page(night), data={
        "_csrf_token": csrf(client), "idempotency_key": key[1], "total": "5",
        "method": "sign_in", "note": "按签到人数上报",
    })

    assert sent.status_code == 303, sent.text
    (report,) = await filed(client, staff.admin, night)
    assert (report["total"], report["method"]) == (5, "sign_in")
    after = await client.get(sent.headers["location"])
    assert "报名 5 人，签到 5 人</strong>（含现场加入 2 人），上报 5 人" in after.text


async def test_a_correction_from_check_ins_opens_the_correction_form(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    night = await night_with_sign_ups(client, staff)
    first = await client.post(f"/api/v1/occurrences/{night}/reports", json={"total": 9},
                              headers=staff.admin)
    assert first.status_code == 201, first.text

    plain = await client.get(page(night))
    shown = await client.get(page(night) + PREFILL)

    assert '<details class="correction">' in plain.text
    assert figure(plain.text, "total") == "9"
    assert '<details class="correction" open>' in shown.text
    assert figure(shown.text, "total") == "5"
    assert "上报 9 人" in shown.text


async def test_a_night_without_sign_ups_looks_as_before(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=-2)

    response = await client.get(page(night) + PREFILL)

    assert response.status_code == 200
    assert "报名与签到" not in response.text
    assert "按签到人数上报" not in response.text
    assert figure(response.text, "total") == ""


async def test_a_night_not_over_yet_offers_no_report_from_check_ins(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=2)
    await add_sign_ups(client, night, confirmed(2, checked=1))

    response = await client.get(page(night) + PREFILL)

    assert "报名 2 人，签到 2 人" in response.text
    assert f"{PREFILL}#form-heading" not in response.text
    assert figure(response.text, "total") == ""


async def test_a_reporter_of_another_village_sees_no_sign_up_figures(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    night = await night_with_sign_ups(client, staff, venue="qingqing-park")  # 华盖村

    response = await client.get(page(night) + PREFILL)

    assert response.status_code == 403
    assert "报名与签到" not in response.text and "签到 5 人" not in response.text


async def test_the_sign_up_figures_read_in_english(
    client: Client, staff: Staff, reporter: dict[str, str]
) -> None:
    night = await night_with_sign_ups(client, staff)

    response = await client.get(page(night), params={"lang": "en"})

    assert "5 signed up, 5 checked in</strong> (walk-ins: 2)" in response.text
    assert ">Report the check-ins</a>" in response.text
