"""The staff sign-up pages: an event's plan (and a night's own), a night's list with its
totals, no-show marks and walk-ins, the XLSX export, and who may open them."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from bolin_events.models import Role
from tests.attendance.helpers import evening, make_event, occurrence_key
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.signup_helpers import (
    MASKED,
    PHONE,
    form_path,
    set_plan,
    signed_up,
    study_day,
)
from tests.pages.staff_helpers import location, post_form

PLAN = {"places": "20", "max_party": "4", "waitlist": "1", "ask_phone": "1",
        "questions": "孩子年龄\n是否需要午餐", "per_phone": "1", "per_address": "10",
        "retention_days": "14", "opens_at": "", "closes_at": ""}


@pytest.fixture
async def logged_in(client: Client, staff: Staff) -> None:
    await log_in(client, "planner", Role.scheduler)


async def _weekly(client: Client, staff: Staff) -> tuple[int, list[str]]:
    """Three Saturday mornings at 嘉悦农场, no sign-up yet; the event and its nights."""
    event_id, first = await make_event(client, staff.scheduler, days_from_now=5, hour=9,
                                       venue="jiayue-farm", rrule="FREQ=WEEKLY;COUNT=3",
                                       title_zh="周末研学")
    nights = [occurrence_key(event_id, evening(days, 9)) for days in (5, 12, 19)]
    assert nights[0] == first
    return event_id, nights


@pytest.mark.usefixtures("logged_in")
async def test_saving_the_event_plan_opens_every_night(client: Client, staff: Staff) -> None:
    event_id, nights = await _weekly(client, staff)
    blank = await client.get(f"/staff/events/{event_id}/signups")
    assert blank.status_code == 200
    assert_good_page(blank.text)
    assert "还没有开放报名" in blank.text

    saved = await post_form(client, f"/staff/events/{event_id}/signups", {**PLAN, "night": ""})

    assert location(saved) == f"/staff/events/{event_id}/signups?done=plan_saved"
    page = await client.get(location(saved))
    assert "报名设置已保存" in page.text
    assert 'value="20"' in page.text and "是否需要午餐" in page.text
    assert page.text.count("跟随活动") == 3
    for night in nights:
        form = await client.get(form_path(event_id, night))
        assert "剩余 20 个名额" in form.text and "孩子年龄" in form.text


@pytest.mark.usefixtures("logged_in")
async def test_a_plan_with_mistakes_comes_back_with_what_was_typed(
    client: Client, staff: Staff
) -> None:
    event_id, _ = await _weekly(client, staff)

    refused = await post_form(client, f"/staff/events/{event_id}/signups", {
        **PLAN, "places": "二十", "max_party": "99", "opens_at": "2027-06-10T09:00",
        "closes_at": "2027-06-01T09:00", "questions": "孩子年龄"})

    assert refused.status_code == 422
    tree = assert_good_page(refused.text)
    assert 'id="f-places-error"' in refused.text
    assert 'id="f-closes_at-error"' in refused.text
    assert "截止报名时间须晚于开始报名时间" in refused.text
    assert tree.find(".//input[@name='places']").get("value") == "二十"
    assert tree.find(".//input[@name='opens_at']").get("value") == "2027-06-10T09:00"
    assert (await client.get(f"/staff/events/{event_id}/signups")).text.count("还没有开放报名") == 1
    out_of_range = await post_form(client, f"/staff/events/{event_id}/signups",
                                   {**PLAN, "max_party": "99"})
    assert out_of_range.status_code == 422
    assert 'id="f-max_party-error"' in out_of_range.text


@pytest.mark.usefixtures("logged_in")
async def test_one_night_gets_its_own_plan_and_loses_it_again(
    client: Client, staff: Staff
) -> None:
    event_id, nights = await _weekly(client, staff)
    await post_form(client, f"/staff/events/{event_id}/signups", PLAN)
    form = await client.get(f"/staff/events/{event_id}/signups", params={"night": nights[1]})
    assert f'name="night" value="{nights[1]}"' in form.text

    saved = await post_form(client, f"/staff/events/{event_id}/signups",
                            {**PLAN, "places": "6", "night": nights[1]})

    assert saved.status_code == 303
    page = await client.get(f"/staff/events/{event_id}/signups")
    assert "单独：6 个名额" in page.text
    assert "剩余 6 个名额" in (await client.get(form_path(event_id, nights[1]))).text
    assert "剩余 20 个名额" in (await client.get(form_path(event_id, nights[2]))).text
    removed = await post_form(client, f"/staff/events/{event_id}/signups/delete",
                              {"night": nights[1]})
    assert location(removed) == f"/staff/events/{event_id}/signups?done=plan_deleted"
    assert "剩余 20 个名额" in (await client.get(form_path(event_id, nights[1]))).text


@pytest.mark.usefixtures("logged_in")
async def test_a_plan_with_sign_ups_cannot_be_deleted(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    await signed_up(client, event_id, night)

    refused = await post_form(client, f"/staff/events/{event_id}/signups/delete", {"night": ""})

    assert refused.status_code == 409
    assert "已有 1 份报名，不能删除报名设置" in refused.text
    assert "剩余 4 个名额" in (await client.get(form_path(event_id, night))).text


@pytest.mark.usefixtures("logged_in")
async def test_the_night_list_shows_totals_and_only_masked_numbers(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=3, max_party=3,
                                      questions=["孩子年龄"])
    await signed_up(client, event_id, night, "王阿姨", PHONE, party="2", answer_0="8岁")
    await signed_up(client, event_id, night, "李老师", "13900001111", party="2")

    page = await client.get(f"/staff/nights/{night}/signups")

    assert page.status_code == 200
    assert_good_page(page.text)
    assert page.headers["cache-control"] == "private, no-store"
    assert "报名 2 人，候补 2 人，签到 0 人，现场加入 0 人，未到 0 人" in page.text
    assert "王阿姨" in page.text and MASKED in page.text and "139****1111" in page.text
    assert PHONE not in page.text and "13900001111" not in page.text
    assert "8岁" in page.text and "第 1 位" in page.text
    assert f'href="/staff/nights/{night}/check-in"' in page.text
    assert f'href="/staff/nights/{night}/tally"' in page.text


@pytest.mark.usefixtures("logged_in")
async def test_marking_a_no_show_and_taking_it_back(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    await signed_up(client, event_id, night)
    listed = await client.get(f"/staff/nights/{night}/signups")
    found = re.search(r'<tr id="r-(\d+)"', listed.text)
    assert found
    row = found.group(1)

    marked = await post_form(client, f"/staff/nights/{night}/signups/{row}/no-show",
                             {"no_show": "1"})

    assert location(marked) == f"/staff/nights/{night}/signups?done=no_show#r-{row}"
    page = await client.get(location(marked))
    assert "已标记为未到" in page.text and "未到 1 人" in page.text and "取消标记" in page.text
    back = await post_form(client, f"/staff/nights/{night}/signups/{row}/no-show",
                           {"no_show": "0"})
    assert "未到 0 人" in (await client.get(location(back))).text


@pytest.mark.usefixtures("logged_in")
async def test_adding_a_walk_in(client: Client, staff: Staff) -> None:
    _, night = await study_day(client, staff.scheduler)

    added = await post_form(client, f"/staff/nights/{night}/signups/walk-in",
                            {"name": "张大爷", "party": "3", "door": "东门"})
    refused = await post_form(client, f"/staff/nights/{night}/signups/walk-in",
                              {"name": "李", "party": "0", "door": ""})

    page = await client.get(location(added))
    assert "已加入现场加入的人" in page.text
    assert "签到 3 人，现场加入 3 人" in page.text and "张大爷" in page.text and "东门" in page.text
    assert refused.status_code == 422
    assert 'id="w-party-error"' in refused.text and 'value="李"' in refused.text


@pytest.mark.usefixtures("logged_in")
async def test_the_xlsx_has_the_lists_rows_with_masked_numbers(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=1)
    await signed_up(client, event_id, night, "王阿姨", PHONE)
    await signed_up(client, event_id, night, "=HYPERLINK(1)", "13900001111")

    answer = await client.get(f"/staff/nights/{night}/signups.xlsx")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = answer.headers["content-disposition"]
    assert f"filename*=UTF-8''{quote('报名名单-嘉悦农场研学体验日-')}" in disposition
    assert f'filename="signups-{night}.xlsx"' in disposition
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["签到码", "称呼/昵称", "手机号（隐去中间四位）", "人数", "状态",
                           "候补位置"]
    assert [r[1:6] for r in rows[1:]] == [["王阿姨", MASKED, 1, "已确认", None],
                                          ["=HYPERLINK(1)", "139****1111", 1, "候补", 1]]
    assert sheet["B3"].data_type == "s"  # text, never a formula
    assert PHONE.encode() not in answer.content and b"13900001111" not in answer.content


async def test_a_reporter_cannot_open_the_lists(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    await log_in(client, "cadre", Role.reporter, ["dongsheng"])

    for path in (f"/staff/nights/{night}/signups", f"/staff/nights/{night}/signups.xlsx",
                 f"/staff/events/{event_id}/signups"):
        page = await client.get(path)
        assert page.status_code == 403, path
        assert "无权设置报名、查看和导出报名名单" in page.text
    refused = await post_form(client, f"/staff/events/{event_id}/signups", PLAN)
    assert refused.status_code == 403


async def test_logged_out_goes_to_the_login(client: Client, staff: Staff) -> None:
    _, night = await study_day(client, staff.scheduler)

    page = await client.get(f"/staff/nights/{night}/signups")

    assert page.status_code == 303
    assert page.headers["location"].startswith("/staff/login?next=")


@pytest.mark.usefixtures("logged_in")
async def test_the_staff_event_and_night_pages_link_here(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    await set_plan(client, event_id, night, places=2)

    event_page = await client.get(f"/staff/events/{event_id}")
    night_page = await client.get(f"/staff/occurrences/{night}")

    assert f'href="/staff/events/{event_id}/signups"' in event_page.text
    assert f'href="/staff/nights/{night}/signups"' in night_page.text
