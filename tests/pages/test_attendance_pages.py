"""The attendance pages: the "still to report" list and the phone form that files a report."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bolin_events.models import Role
from bolin_events.routes.pages import attendance as pages_attendance
from bolin_events.settings import Settings
from tests.attendance.helpers import make_event
from tests.attendance.test_attendance_photos import gps_of, photo, stored_files
from tests.conftest import Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in

PENDING = "/staff/attendance"
NIGHT = "20261114T190000"  # the demo night market's unreported night in 东胜村
LEGAL = "20261114T093000"  # the demo legal session in 兴农村, also unreported


def tasks(html: str) -> list[str]:
    return re.findall(r'class="task" href="/staff/attendance/([^"]+)"', html)


def page_url(occurrence: str) -> str:
    return f"{PENDING}/{occurrence}"


async def pending_api(client: Client, headers: dict[str, str]) -> list[str]:
    response = await client.get("/api/v1/reports/pending", headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def split_by_week(client: Client, headers: dict[str, str]) -> tuple[list[str], list[str]]:
    """The nights still to report (oldest first, as the API lists them): those that ended in
    the last 7 days, and the older ones."""
    response = await client.get("/api/v1/reports/pending", headers=headers)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    recent: list[str] = []
    older: list[str] = []
    for item in response.json()["items"]:
        end = datetime.fromisoformat(item["end"])
        if end.tzinfo is None:
            end = end.replace(tzinfo=ZoneInfo(item["timezone"]))
        (recent if end > week_ago else older).append(item["id"])
    return recent, older


async def demo_night(client: Client, headers: dict[str, str], night: str = NIGHT) -> str:
    (found,) = [i for i in await pending_api(client, headers) if i.endswith(night)]
    return found


async def revisions(client: Client, headers: dict[str, str], occurrence: str) -> list[Any]:
    response = await client.get(f"/api/v1/occurrences/{occurrence}/reports", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["revisions"])


async def people_in_november(client: Client, headers: dict[str, str]) -> int:
    response = await client.get(
        "/api/v1/reports/stats", params={"period": "2026-11", "group_by": "total"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return int(response.json()["total"]["people"])


def form_key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match, "the form has no idempotency key"
    return match[1]


async def open_form(client: Client, occurrence: str) -> dict[str, str]:
    """GETs the report page (checking it) and gives the hidden fields its form posts back."""
    response = await client.get(page_url(occurrence))
    assert response.status_code == 200, response.text
    assert_good_page(response.text)
    return {"_csrf_token": csrf(client), "idempotency_key": form_key(response.text)}


async def submit(client: Client, occurrence: str, **fields: Any) -> httpx.Response:
    files = fields.pop("files", None)
    data = {name: str(value) for name, value in fields.items()}
    return await client.post(page_url(occurrence), data=data, files=files)


@pytest.fixture
async def reporter(client: Client, seeded: None) -> dict[str, str]:
    """A reporter of 东胜村 logged in to the pages; their Bearer header for the API."""
    return await log_in(client, "reporter", Role.reporter, ["dongsheng"])


@pytest.fixture
async def admin(client: Client, seeded: None) -> dict[str, str]:
    return await make_user(client.app, "admin", Role.admin)


async def test_pending_list_shows_the_last_weeks_nights_first_and_counts_the_older(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    _, yesterday = await make_event(client, admin, days_from_now=-1)
    _, last_month = await make_event(client, admin, days_from_now=-30)
    recent, older = await split_by_week(client, reporter)
    legal = await demo_night(client, admin, LEGAL)

    response = await client.get(PENDING)
    earlier = await client.get(PENDING, params={"older": "1"})

    assert_good_page(response.text)
    assert tasks(response.text) == list(reversed(recent))
    assert yesterday in tasks(response.text) and last_month not in tasks(response.text)
    assert f"还有 {len(older)} 场更早的未上报" in response.text
    assert 'href="/staff/attendance?older=1"' in response.text
    assert_good_page(earlier.text)
    assert tasks(earlier.text) == list(reversed(older))
    assert last_month in tasks(earlier.text) and legal not in tasks(earlier.text)
    assert "东胜村" in response.text
    assert "东胜银杏夜市" in response.text  # a recently reported night of the demo season


async def test_pending_list_with_nothing_this_week_still_says_how_many_are_older(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    await make_event(client, admin, days_from_now=-20)
    recent, older = await split_by_week(client, reporter)
    for night in recent:
        await submit(client, night, **await open_form(client, night), total=10)

    response = await client.get(PENDING)

    assert tasks(response.text) == []
    assert "最近 7 天的场次都已上报" in response.text
    assert f"还有 {len(older)} 场更早的未上报" in response.text


async def test_older_nights_page_back(
    client: Client,
    reporter: dict[str, str],
    admin: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages_attendance, "PENDING_SHOWN", 1)
    for days in (-20, -21):
        await make_event(client, admin, days_from_now=days)
    _, older = await split_by_week(client, reporter)

    first = await client.get(PENDING, params={"older": "1"})
    second = await client.get(PENDING, params={"older": "1", "skip": "1"})
    beyond = await client.get(PENDING, params={"older": "1", "skip": str(len(older))})
    garbage = await client.get(PENDING, params={"skip": "many"})

    assert tasks(first.text) == [older[-1]]
    assert 'href="/staff/attendance?older=1&amp;skip=1"' in first.text
    assert tasks(second.text) == [older[-2]]
    assert 'href="/staff/attendance?older=1&amp;skip=0"' in second.text
    assert tasks(beyond.text) == [] and "没有更早的了" in beyond.text
    assert "请求有误" in garbage.text and "skip：应为整数" in garbage.text
    assert_good_page(second.text)


async def test_pending_list_for_a_scheduler_has_every_village(
    client: Client, admin: dict[str, str]
) -> None:
    headers = await log_in(client, "scheduler", Role.scheduler)
    await make_event(client, admin, days_from_now=-1, venue=None)
    recent, older = await split_by_week(client, headers)

    response = await client.get(PENDING)
    earlier = await client.get(PENDING, params={"older": "1"})

    assert tasks(response.text) == list(reversed(recent))
    assert tasks(earlier.text) == list(reversed(older))
    assert await demo_night(client, headers, LEGAL) in tasks(earlier.text) + tasks(response.text)


async def test_pages_send_an_anonymous_visitor_to_log_in(client: Client, seeded: None) -> None:
    response = await client.get(page_url("1-20261114T190000"))

    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=")


async def test_report_form_files_one_report_that_the_statistics_count(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    before = await people_in_november(client, admin)
    hidden = await open_form(client, night)

    response = await submit(
        client,
        night,
        **hidden,
        total=420,
        onsite=400,
        online=20,
        residents=300,
        visitors=100,
        volunteers=6,
        method="clicker",
        note="天冷人少",
    )

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{page_url(night)}?saved=1"
    (filed,) = await revisions(client, admin, night)
    assert (filed["total"], filed["residents"], filed["method"]) == (420, 300, "clicker")
    assert filed["reported_by"] == "reporter"
    assert await people_in_november(client, admin) == before + 420
    shown = await client.get(response.headers["location"])
    assert_good_page(shown.text)
    assert "已上报：第 1 版，总人次 420" in shown.text
    assert night not in await pending_api(client, reporter)


async def test_the_same_form_sent_twice_counts_once(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    before = await people_in_november(client, admin)
    hidden = await open_form(client, night)

    first = await submit(client, night, **hidden, total=250)
    again = await submit(client, night, **hidden, total=250)

    assert (first.status_code, again.status_code) == (303, 303)
    assert again.headers["location"] == f"{page_url(night)}?saved=1&again=1"
    assert len(await revisions(client, admin, night)) == 1
    assert await people_in_november(client, admin) == before + 250
    shown = await client.get(again.headers["location"])
    assert "本次没有重复计数" in shown.text


async def test_a_double_tap_sending_the_form_twice_at_once_counts_once(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    hidden = await open_form(client, night)

    first, second = await asyncio.gather(
        submit(client, night, **hidden, total=170), submit(client, night, **hidden, total=170)
    )

    assert (first.status_code, second.status_code) == (303, 303)
    assert sorted([first.headers["location"], second.headers["location"]]) == [
        f"{page_url(night)}?saved=1",
        f"{page_url(night)}?saved=1&again=1",
    ]
    assert [r["total"] for r in await revisions(client, admin, night)] == [170]


async def test_the_same_form_with_other_figures_is_refused_and_changes_nothing(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    hidden = await open_form(client, night)
    await submit(client, night, **hidden, total=250)

    response = await submit(client, night, **hidden, total=260, reason="多点了一次")

    assert response.status_code == 409
    assert_good_page(response.text)
    assert 'value="260"' in response.text  # the input is kept
    assert [r["total"] for r in await revisions(client, admin, night)] == [250]


async def test_a_correction_is_a_new_revision_and_the_totals_use_it(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    before = await people_in_november(client, admin)
    await submit(client, night, **await open_form(client, night), total=250)
    hidden = await open_form(client, night)

    response = await submit(client, night, **hidden, total=280, reason="按签到表核对")

    assert response.headers["location"] == f"{page_url(night)}?saved=2"
    assert [r["total"] for r in await revisions(client, admin, night)] == [250, 280]
    assert await people_in_november(client, admin) == before + 280
    page = await client.get(page_url(night))
    assert "按签到表核对" in page.text and "第 2 版" in page.text
    assert 'value="280"' in page.text  # the next correction starts from what counts


async def test_a_correction_without_a_reason_is_refused_with_the_input_kept(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    await submit(client, night, **await open_form(client, night), total=250)

    response = await submit(client, night, **await open_form(client, night), total=290)

    assert response.status_code == 409
    assert "更正原因" in response.text and 'value="290"' in response.text
    assert len(await revisions(client, admin, night)) == 1


@pytest.mark.parametrize(
    ("fields", "message", "kept", "split_open"),
    [
        ({"total": 100, "onsite": 80, "online": 30}, "与总人次 100 不符", 'value="30"', True),
        ({"total": 100, "residents": 70, "visitors": 20}, "应等于总人次 100", 'value="70"', True),
        ({"total": 100, "volunteers": "几个"}, "志愿者须为整数", 'value="几个"', True),
        ({"total": "一百"}, "总人次须为整数", 'value="一百"', False),
        ({"total": ""}, "请填写总人次", 'name="total"', False),
        ({"total": -3}, "不能为负数", 'value="-3"', False),
        ({"total": 10, "method": "guess"}, "请从列表中选择统计方式", 'value="10"', True),
        ({"total": 10, "note": "长" * 1001}, "最多 1000 个字", 'value="10"', False),
    ],
)
async def test_bad_figures_say_what_to_fix_keep_the_input_and_store_nothing(
    client: Client,
    reporter: dict[str, str],
    admin: dict[str, str],
    fields: dict[str, Any],
    message: str,
    kept: str,
    split_open: bool,
) -> None:
    night = await demo_night(client, reporter)

    response = await submit(client, night, **await open_form(client, night), **fields)

    assert response.status_code == 422
    assert_good_page(response.text)
    assert message in response.text
    assert kept in response.text
    assert ('<details class="split" open>' in response.text) is split_open
    assert await revisions(client, admin, night) == []


async def test_the_form_folds_the_breakdown_away_and_offers_camera_and_gallery(
    client: Client, reporter: dict[str, str], settings: Settings
) -> None:
    night = await demo_night(client, reporter)

    response = await client.get(page_url(night))

    tree = assert_good_page(response.text)
    form = tree.find(".//form[@class='report-form']")
    assert form.get("data-max-photo-bytes") == str(settings.max_photo_bytes)
    fields = [el.get("name") for el in form.iter() if el.get("name")]
    assert fields.index("total") < fields.index("onsite") < fields.index("photos")
    split = form.find(".//details[@class='split']")
    assert split.get("open") is None and "分项（可选）" in split.find("summary").text
    assert {el.get("name") for el in split.iter("input")} == {
        "onsite",
        "online",
        "residents",
        "visitors",
        "volunteers",
    }
    picker = form.find(".//input[@name='photos']")
    assert picker.get("accept") == "image/*" and picker.get("capture") is None
    assert form.find(".//div[@class='upload-progress']").get("hidden") is not None


async def test_a_correction_opens_the_breakdown_it_starts_from(
    client: Client, reporter: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    await submit(client, night, **await open_form(client, night), total=90)
    plain = await client.get(page_url(night))
    await submit(
        client,
        night,
        **await open_form(client, night),
        total=90,
        onsite=60,
        online=30,
        reason="补上分项",
    )

    split = await client.get(page_url(night))

    assert '<details class="split" open>' not in plain.text
    assert '<details class="split" open>' in split.text
    assert 'name="onsite" type="number" inputmode="numeric" min="0" step="1" value="60"' in (
        split.text
    )


@pytest.mark.parametrize(
    ("fields", "text", "values"),
    [
        (
            {"total": 100, "onsite": 80, "online": 30},
            "onsite_online",
            {"onsite": 80, "online": 30, "sum": 110, "total": 100},
        ),
        (
            {"total": 100, "residents": 70, "visitors": 20},
            "residents_visitors",
            {"residents": 70, "visitors": 20, "sum": 90, "base": "总人次", "value": 100},
        ),
    ],
)
async def test_the_browser_check_says_what_the_server_says(
    client: Client,
    reporter: dict[str, str],
    fields: dict[str, Any],
    text: str,
    values: dict[str, Any],
) -> None:
    night = await demo_night(client, reporter)
    page = await client.get(page_url(night))
    words = json.loads(assert_good_page(page.text).find(".//script[@id='attendance-texts']").text)

    refused = await submit(client, night, **await open_form(client, night), **fields)

    assert words[text].format(**values) in refused.text


async def test_a_reporter_of_another_village_gets_a_403_and_nothing_is_stored(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    legal = await demo_night(client, admin, LEGAL)
    hidden = await open_form(client, await demo_night(client, reporter))

    shown = await client.get(page_url(legal))
    response = await submit(client, legal, **hidden, total=40)

    assert (shown.status_code, response.status_code) == (403, 403)
    assert_good_page(shown.text)
    assert "您只能为本村（东胜村）的场次上报" in response.text
    assert 'name="total"' not in shown.text  # no form to fill
    assert await revisions(client, admin, legal) == []


async def test_too_early_is_a_409_with_the_input_kept(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    scheduler = await make_user(client.app, "scheduler", Role.scheduler)
    _, later = await make_event(client, scheduler, days_from_now=3)
    hidden = await open_form(client, later)

    response = await submit(client, later, **hidden, total=75)

    assert response.status_code == 409
    assert "场次尚未开始" in response.text and 'value="75"' in response.text
    assert await revisions(client, admin, later) == []


async def test_a_form_without_the_csrf_token_is_refused(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    hidden = await open_form(client, night)

    response = await submit(client, night, idempotency_key=hidden["idempotency_key"], total=5)

    assert response.status_code == 403
    assert await revisions(client, admin, night) == []


async def test_garbage_in_the_confirmation_query_is_ignored(
    client: Client, reporter: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)

    response = await client.get(page_url(night), params={"saved": "\x00'<b>", "again": "x" * 500})

    assert response.status_code == 200
    assert_good_page(response.text)
    assert 'role="status"' not in response.text


@pytest.mark.parametrize("occurrence", ["999999-20261114T190000", "garbage", "1-notatime"])
async def test_an_unknown_occurrence_is_a_404_page(
    client: Client, reporter: dict[str, str], occurrence: str
) -> None:
    await client.get(PENDING)
    shown = await client.get(page_url(occurrence))
    posted = await submit(client, occurrence, _csrf_token=csrf(client), total=5)

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert_good_page(shown.text)
    assert "找不到场次" in shown.text


async def test_photos_sent_with_the_report_are_kept_without_location(
    client: Client, reporter: dict[str, str], admin: dict[str, str], settings: Settings
) -> None:
    night = await demo_night(client, reporter)
    hidden = await open_form(client, night)
    original = photo()
    assert gps_of(original)
    files = [("photos", ("sign-in.jpg", original, "image/jpeg"))]

    response = await submit(client, night, **hidden, total=90, files=files)
    again = await submit(client, night, **hidden, total=90, files=files)

    assert (response.status_code, again.status_code) == (303, 303)
    (kept,) = stored_files(settings)  # the resent form added no second photo
    assert gps_of(kept.read_bytes()) == {}
    assert b"TestPhone" not in kept.read_bytes()
    page = await client.get(page_url(night))
    assert_good_page(page.text)
    (thumb,) = re.findall(r'<img src="(/staff/attendance/photos/\d+)" loading="lazy"', page.text)
    image = await client.get(thumb)
    assert image.content == kept.read_bytes()
    assert image.headers["content-type"] == "image/jpeg"
    client.cookies.delete("bolin_session")
    assert (await client.get(thumb)).status_code == 303  # not for anyone logged out

    await log_in(client, "huagai-reporter", Role.reporter, ["huagai"])
    elsewhere = await client.get(page_url(night))
    assert elsewhere.status_code == 403  # another village's night: its photos stay hidden
    assert "/staff/attendance/photos/" not in elsewhere.text
    assert (await client.get(thumb)).status_code == 403


async def test_photos_can_be_added_to_a_report_later(
    client: Client, reporter: dict[str, str], admin: dict[str, str], settings: Settings
) -> None:
    night = await demo_night(client, reporter)
    await submit(client, night, **await open_form(client, night), total=90)
    hidden = await open_form(client, night)
    files = [("photos", ("a.png", photo("PNG"), "image/png"))]

    response = await client.post(f"{page_url(night)}/photos", data=hidden, files=files)

    assert response.status_code == 303
    history = await client.get(f"/api/v1/occurrences/{night}/reports", headers=admin)
    assert [p["revision"] for p in history.json()["photos"]] == [1]
    assert len(stored_files(settings)) == 1


async def test_a_file_that_is_not_a_photo_refuses_the_whole_form(
    client: Client, reporter: dict[str, str], admin: dict[str, str], settings: Settings
) -> None:
    night = await demo_night(client, reporter)
    files = [("photos", ("notes.jpg", b"not an image", "image/jpeg"))]

    response = await submit(client, night, **await open_form(client, night), total=90, files=files)

    assert response.status_code == 415
    assert "JPEG 或 PNG" in response.text and 'value="90"' in response.text
    assert await revisions(client, admin, night) == []
    assert stored_files(settings) == []


async def test_the_photo_form_without_a_photo_says_so(
    client: Client, reporter: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    await submit(client, night, **await open_form(client, night), total=90)

    response = await client.post(f"{page_url(night)}/photos", data=await open_form(client, night))

    assert response.status_code == 422
    assert "请选择要上传的照片" in response.text


async def test_an_over_capacity_report_is_flagged_on_the_page(
    client: Client, reporter: dict[str, str]
) -> None:
    scheduler = await make_user(client.app, "scheduler", Role.scheduler)
    _, night = await make_event(client, scheduler, capacity=50)

    response = await submit(client, night, **await open_form(client, night), total=120)

    page = await client.get(response.headers["location"])
    assert "需核实：现场 120 人次超过容纳人数 50 的 2 倍" in page.text
    listed = await client.get(PENDING)
    assert "需核实" in listed.text


async def test_pages_switch_to_english(client: Client, reporter: dict[str, str]) -> None:
    night = await demo_night(client, reporter)

    response = await client.get(page_url(night), params={"lang": "en"})

    assert_good_page(response.text)
    assert "Report the figures" in response.text and 'lang="en"' in response.text
    assert "Dongsheng Ginkgo Night Market" in response.text  # the shared macros follow too
    pending = await client.get(PENDING)  # the choice sticks
    assert "Dongsheng Ginkgo Night Market" in pending.text and "东胜银杏夜市 ·" not in pending.text


async def test_control_characters_in_the_forms_note_are_dropped_not_a_500(
    client: Client, reporter: dict[str, str], admin: dict[str, str]
) -> None:
    night = await demo_night(client, reporter)
    hidden = await open_form(client, night)

    response = await submit(client, night, **hidden, total=120, note="下雨\x00\x1b人少")

    assert response.status_code == 303, response.text
    (filed,) = await revisions(client, admin, night)
    assert filed["note"] == "下雨人少"
