"""The visitor's sign-up pages: the form of one night, the visitor's own page with its code and
QR code, cancelling, the waitlist moving up, and the privacy every one of them keeps."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bolin_events.models import Role, utcnow
from bolin_events.services.signups.retention import purge
from tests.attendance.helpers import make_event
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.signup_helpers import (
    MASKED,
    PHONE,
    PRIVATE,
    code_on,
    form_path,
    set_plan,
    sign_up,
    signed_up,
    study_day,
)
from tests.pages.staff_helpers import post_form

pytestmark = pytest.mark.usefixtures("staff")


async def test_the_form_shows_places_left_and_what_is_kept(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=12, max_party=4,
                                      questions=["孩子年龄"], retention_days=30)

    page = await client.get(form_path(event_id, night))

    assert page.status_code == 200
    tree = assert_good_page(page.text)
    assert "剩余 12 个名额" in page.text
    assert "嘉悦农场研学基地" in page.text
    assert [o.text for o in tree.iter("option")] == ["1", "2", "3", "4"]
    assert "孩子年龄" in page.text and "（选填）" in page.text
    assert "为你保留名额，并在入口为你签到" in page.text  # why
    assert "活动结束 30 天后自动删除" in page.text  # for how long
    assert "隐去中间四位" in page.text  # how the number is shown to staff


async def test_signing_up_leads_to_the_visitors_page_with_code_qr_and_calendar(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, max_party=3)

    response = await sign_up(client, event_id, night, "王阿姨", "138 1234 5678", party="3")

    assert response.status_code == 303
    mine = await client.get(response.headers["location"])
    assert mine.status_code == 200
    assert_good_page(mine.text)
    assert "已确认" in mine.text
    code = code_on(mine.text)
    assert len(code) == 6
    assert "<svg" in mine.text and f"<title>{code}</title>" in mine.text  # the QR code holds it
    assert f'href="/feeds/events/{event_id}/nights/{night}.ics?alarm=1d"' in mine.text
    assert f'href="{response.headers["location"]}/cancel"' in mine.text
    assert "<style" not in mine.text and not re.search(r'\sstyle="', mine.text)  # the CSP
    assert "王阿姨" in mine.text and MASKED in mine.text and PHONE not in mine.text
    assert (await client.get(form_path(event_id, night))).text.count("剩余 2 个名额") == 1


async def test_a_form_with_mistakes_comes_back_with_what_was_typed(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, max_party=3)

    blank_name = await sign_up(client, event_id, night, "  ", "13800001111", party="2")
    bad_phone = await sign_up(client, event_id, night, "李老师", "12345")

    assert blank_name.status_code == 422
    tree = assert_good_page(blank_name.text)
    name_field = tree.find(".//input[@name='name']")
    assert name_field.get("aria-invalid") == "true"
    assert tree.find(".//p[@id='s-name-error']").text == "请填写称呼或昵称"
    assert 'value="13800001111"' in blank_name.text
    assert '<option value="2" selected>' in blank_name.text
    assert bad_phone.status_code == 422
    assert 'id="s-phone-error"' in bad_phone.text
    assert "11 位中国大陆手机号码" in bad_phone.text
    assert 'value="李老师"' in bad_phone.text
    assert bad_phone.headers["cache-control"] == PRIVATE
    assert "剩余 5 个名额" in (await client.get(form_path(event_id, night))).text


async def test_a_full_night_offers_the_waitlist_and_says_the_place_in_line(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=1)
    await signed_up(client, event_id, night, "甲", "13800000001")

    full = await client.get(form_path(event_id, night))
    waiting = await client.get(await signed_up(client, event_id, night, "乙", "13800000002"))

    assert "名额已满，可候补（前面 0 人）" in full.text
    assert "候补报名" in full.text
    assert "候补第 1 位" in waiting.text
    assert "名额已满，可候补（前面 1 人）" in (await client.get(form_path(event_id, night))).text


async def test_cancelling_asks_first_then_moves_the_waitlist_up(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=1)
    first = await signed_up(client, event_id, night, "甲", "13800000001")
    second = await signed_up(client, event_id, night, "乙", "13800000002")

    confirm = await client.get(f"{first}/cancel")
    assert confirm.status_code == 200
    assert_good_page(confirm.text)
    assert f'action="{first}/cancel"' in confirm.text
    response = await client.post(f"{first}/cancel")

    assert response.status_code == 303
    assert response.headers["location"] == f"{first}?done=cancelled"
    mine = await client.get(response.headers["location"])
    assert "报名已取消" in mine.text and "已取消" in mine.text
    assert "<svg" not in mine.text  # no code to show at the door any more
    promoted = await client.get(second)
    assert "已从候补转为确认" in promoted.text
    assert "<svg" in promoted.text


async def test_cancelling_twice_says_it_is_done_already(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    mine = await signed_up(client, event_id, night)
    await client.post(f"{mine}/cancel")

    again = await client.post(f"{mine}/cancel")

    assert again.status_code == 409
    assert "这份报名已经取消过了" in again.text
    assert "这份报名已经取消，不用再操作" in (await client.get(f"{mine}/cancel")).text


async def test_the_pages_are_private_and_never_served_from_the_public_cache(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    before = await client.get(form_path(event_id, night))
    mine = await signed_up(client, event_id, night)

    after = await client.get(form_path(event_id, night))
    own = await client.get(mine)

    for answer in (before, after, own):
        assert answer.headers["cache-control"] == PRIVATE
        assert "etag" not in answer.headers
        assert "noindex" in answer.headers["x-robots-tag"]
    assert "剩余 5 个名额" in before.text and "剩余 4 个名额" in after.text  # live, not kept
    assert '<meta name="robots" content="noindex, nofollow">' in own.text
    assert "set-cookie" not in own.headers  # no CSRF cookie on a visitor's page


async def test_a_night_without_a_plan_or_of_a_draft_has_no_form(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler)
    other_id, other_night = await study_day(client, staff.scheduler, days_from_now=12)
    draft_id, draft_night = await study_day(client, staff.scheduler, days_from_now=14,
                                            status="draft")
    planless_id, planless_night = await make_event(client, staff.scheduler, days_from_now=16)

    wrong_event = await client.get(form_path(other_id, night))
    draft = await client.get(form_path(draft_id, draft_night))
    planless = await client.get(form_path(planless_id, planless_night))

    assert wrong_event.status_code == 404
    assert f"找不到场次：{night}" in wrong_event.text
    assert draft.status_code == 404
    assert f"找不到活动：{draft_id}" in draft.text
    assert planless.status_code == 404
    assert "该场次不需要报名，直接前往即可。" in planless.text
    assert (await client.get(form_path(event_id, other_night))).status_code == 404
    unknown = await client.get("/signups/no-such-link-at-all-here")
    assert unknown.status_code == 404
    assert "找不到这份报名，请检查链接是否完整。" in unknown.text


async def test_sign_up_not_yet_open_says_when(client: Client, staff: Staff) -> None:
    opens = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    event_id, night = await study_day(client, staff.scheduler, opens_at=opens)

    page = await client.get(form_path(event_id, night))
    refused = await sign_up(client, event_id, night)

    local = opens.astimezone(ZoneInfo("Asia/Shanghai"))
    when = f"报名 {local.month}月{local.day}日 {local:%H:%M} 开始。"
    assert page.status_code == 200
    assert f'id="places">{when}</p>' in page.text
    assert "<form class=\"signup-form" not in page.text
    assert refused.status_code == 409
    assert f"<p>{when}</p>" in refused.text  # the refusal, above the form


async def test_after_retention_the_page_says_the_data_was_deleted(
    client: Client, staff: Staff
) -> None:
    event_id, night = await study_day(client, staff.scheduler, retention_days=7)
    mine = await signed_up(client, event_id, night, "赵先生")
    async with client.app.state.sessionmaker() as session, session.begin():
        await purge(session, client.app.state.settings, now=utcnow() + timedelta(days=30))

    page = await client.get(mine)

    assert page.status_code == 200
    assert "个人信息已删除" in page.text
    assert "赵先生" not in page.text and MASKED not in page.text


async def test_in_english(client: Client, staff: Staff) -> None:
    event_id, night = await study_day(client, staff.scheduler, places=3)

    page = await client.get(form_path(event_id, night), params={"lang": "en"})

    assert "3 places left" in page.text
    assert "deleted automatically 30 days after the event" in page.text


async def test_the_event_page_links_each_night_without_live_figures(
    client: Client, staff: Staff
) -> None:
    event_id, night = await make_series(client, staff)

    page = await client.get(f"/events/{event_id}")

    assert page.status_code == 200
    assert_good_page(page.text)
    assert "本活动需要报名，每场 8 个名额，满后可候补" in page.text
    assert f'href="{form_path(event_id, night)}"' in page.text
    assert "剩余" not in page.text  # places left are live: only on the form


async def test_saving_a_plan_on_the_staff_page_changes_the_cached_event_page(
    client: Client, staff: Staff
) -> None:
    event_id, night = await make_series(client, staff, plan=False)
    before = await client.get(f"/events/{event_id}")
    assert "本活动需要报名" not in before.text
    await log_in(client, "planner", Role.scheduler)
    saved = await post_form(client, f"/staff/events/{event_id}/signups",
                            {"places": "8", "max_party": "1", "waitlist": "1", "ask_phone": "1",
                             "per_phone": "1", "per_address": "10", "retention_days": "30"})
    assert saved.status_code == 303
    client.cookies.clear()

    after = await client.get(f"/events/{event_id}")

    assert "本活动需要报名，每场 8 个名额" in after.text
    assert f'href="{form_path(event_id, night)}"' in after.text


async def make_series(client: Client, staff: Staff, *, plan: bool = True) -> tuple[int, str]:
    """A weekly 研学 morning, three weeks, taking sign-ups (8 places) unless ``plan`` is off."""
    event_id, night = await make_event(client, staff.scheduler, days_from_now=5, hour=9,
                                       rrule="FREQ=WEEKLY;COUNT=3", title_zh="周末研学")
    if plan:
        await set_plan(client, event_id, None, places=8)
    return event_id, night
