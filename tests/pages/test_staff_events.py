"""The event editor: series through the recurrence form, edits, clashes, bad input, status."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import (
    WEEKLY_FORM,
    FormData,
    event_id_of,
    event_titled,
    location,
    nights_of,
    post_form,
)


@pytest.fixture
async def scheduler(client: Client, seeded: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


async def _all_events(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/events",
        params={"status": "draft,published,cancelled,postponed", "limit": 500},
        headers=headers,
    )
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_scheduler_creates_a_weekly_series_through_the_form(
    client: Client, scheduler: dict[str, str]
) -> None:
    form = await client.get("/staff/events/new")
    assert_good_page(form.text)

    response = await post_form(client, "/staff/events/new", WEEKLY_FORM)

    event_id = event_id_of(response)
    assert location(response).endswith("?done=created")
    nights = await nights_of(client, event_id, "2027-06-01", "2027-09-30")
    assert len(nights) == 26
    assert nights[:3] == [
        ("2027-06-04T19:30:00+08:00", "scheduled"),
        ("2027-06-05T19:30:00+08:00", "scheduled"),
        ("2027-06-11T19:30:00+08:00", "scheduled"),
    ]
    assert nights[-1] == ("2027-08-28T19:30:00+08:00", "scheduled")
    event = (await client.get(f"/api/v1/events/{event_id}", headers=scheduler)).json()
    assert event["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270828T155959Z"
    page = await client.get(location(response))
    assert_good_page(page.text)
    assert "活动已创建" in page.text
    assert "每周五、周六 19:30–21:30，2027-06-04 至 2027-08-28，共 26 场" in page.text
    english = await client.get(f"/staff/events/{event_id}?lang=en")
    assert "Every Friday and Saturday, 19:30–21:30, 2027-06-04 to 2027-08-28, 26 times" in (
        english.text
    )


async def test_a_weekly_series_without_weekdays_repeats_on_the_start_day(
    client: Client, scheduler: dict[str, str]
) -> None:
    fields = {**WEEKLY_FORM, "byday": [], "ends": "count", "count": "3", "until": ""}

    event_id = event_id_of(await post_form(client, "/staff/events/new", fields))

    assert await nights_of(client, event_id, "2027-06-01", "2027-09-30") == [
        ("2027-06-04T19:30:00+08:00", "scheduled"),
        ("2027-06-11T19:30:00+08:00", "scheduled"),
        ("2027-06-18T19:30:00+08:00", "scheduled"),
    ]


async def test_editing_round_trips_the_recurrence_form(
    client: Client, scheduler: dict[str, str]
) -> None:
    event_id = event_id_of(await post_form(client, "/staff/events/new", WEEKLY_FORM))

    page = await client.get(f"/staff/events/{event_id}")

    tree = assert_good_page(page.text)
    checked = {
        (i.get("name"), i.get("value")) for i in tree.iter("input") if i.get("checked") is not None
    }
    assert {("repeat", "weekly"), ("byday", "FR"), ("byday", "SA"), ("ends", "until")} <= checked
    assert ("byday", "SU") not in checked
    values = {i.get("name"): i.get("value") for i in tree.iter("input") if i.get("value")}
    assert values["until"] == "2027-08-28"
    assert (values["start_date"], values["start_time"], values["end_time"]) == (
        "2027-06-04", "19:30", "21:30",
    )

    changed = {**WEEKLY_FORM, "byday": ["SU"], "ends": "count", "count": "4", "until": ""}
    response = await post_form(client, f"/staff/events/{event_id}", changed)

    assert location(response) == f"/staff/events/{event_id}?done=saved"
    assert [n[0][:10] for n in await nights_of(client, event_id, "2027-06-01", "2027-09-30")] == [
        "2027-06-06", "2027-06-13", "2027-06-20", "2027-06-27",
    ]
    again = await client.get(f"/staff/events/{event_id}")
    assert "每周日 19:30–21:30，2027-06-06 至 2027-06-27，共 4 场" in again.text


async def test_a_rule_the_form_cannot_show_is_kept(
    client: Client, scheduler: dict[str, str]
) -> None:
    legal = await event_titled(client, scheduler, "法治宣传进村（演示）")  # monthly, 1st Saturday

    page = await client.get(f"/staff/events/{legal['id']}")

    assert_good_page(page.text)
    assert "<code>FREQ=MONTHLY;BYDAY=1SA;COUNT=4</code>" in page.text
    assert 'name="repeat" value="custom" checked' in page.text
    fields: FormData = {
        "title_zh": "法治宣传进村（新）", "category": "legal", "venue": "xingnong-centre",
        "start_date": "2027-06-05", "start_time": "09:30", "end_time": "11:00",
        "repeat": "custom", "rrule_custom": "FREQ=MONTHLY;BYDAY=1SA;COUNT=4",
    }
    response = await post_form(client, f"/staff/events/{legal['id']}", fields)
    assert location(response).endswith("?done=saved")
    event = (await client.get(f"/api/v1/events/{legal['id']}", headers=scheduler)).json()
    assert (event["title_zh"], event["rrule"]) == (
        "法治宣传进村（新）", "FREQ=MONTHLY;BYDAY=1SA;COUNT=4",
    )


async def test_a_clash_shows_a_warning_and_save_anyway_saves(
    client: Client, scheduler: dict[str, str]
) -> None:
    fields: FormData = {
        "title_zh": "篮球友谊赛", "category": "sports", "venue": "qingqing-park",
        "start_date": "2027-07-17", "start_time": "20:00", "end_time": "22:00",
        "repeat": "none", "status": "published",
    }
    before = len(await _all_events(client, scheduler))

    warned = await post_form(client, "/staff/events/new", fields)

    assert warned.status_code == 409
    tree = assert_good_page(warned.text)
    assert "场地冲突" in warned.text
    assert "小组赛第一轮（演示）" in warned.text
    assert 'value="篮球友谊赛"' in warned.text  # what was typed is kept
    assert any("仍然保存" in "".join(label.itertext()) for label in tree.iter("label"))
    assert len(await _all_events(client, scheduler)) == before

    saved = await post_form(client, "/staff/events/new", {**fields, "allow_overlap": "on"})

    event_id = event_id_of(saved)
    assert await nights_of(client, event_id, "2027-07-17", "2027-07-18") == [
        ("2027-07-17T20:00:00+08:00", "scheduled")
    ]


async def test_a_clash_is_said_in_words_and_confirmed_once_through_publish(
    client: Client, scheduler: dict[str, str]
) -> None:
    fields: FormData = {
        "title_zh": "篮球友谊赛", "category": "sports", "venue": "qingqing-park",
        "start_date": "2027-07-17", "start_time": "20:00", "end_time": "22:00",
        "repeat": "none", "status": "draft",
    }

    warned = await post_form(client, "/staff/events/new", fields)

    tree = assert_good_page(warned.text)
    alert = " ".join(" ".join(
        "".join(d.itertext()) for d in tree.iter("div") if d.get("role") == "alert").split())
    assert ("与「“云岭翠湖”杯 小组赛第一轮（演示）」7月17日 19:00–21:00 "
            "在清溪沟“清青乐园”冲突") in alert
    assert "仍然保存（同一场地同时有活动）" in alert and "allow_overlap" not in alert
    saved = await post_form(client, "/staff/events/new", {**fields, "allow_overlap": "on"})
    event_id = event_id_of(saved)
    page = await client.get(f"/staff/events/{event_id}")
    assert "冲突" in page.text and "仍然发布" not in page.text

    published = await post_form(client, f"/staff/events/{event_id}/publish")

    assert location(published) == f"/staff/events/{event_id}?done=publish"
    assert (await event_titled(client, scheduler, "篮球友谊赛"))["status"] == "published"
    english = await post_form(client, "/staff/events/new?lang=en", fields)
    assert "Clashes with" in english.text and "at Qingxigou Qingqing Park" in english.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_zh": ""}, "title_zh", "请填写中文标题"),
        ({"title_zh": " \x01 "}, "title_zh", "请填写中文标题"),
        ({"title_en": "\x00" + "x" * 300}, "title_en", "最多 200 个字符"),
        ({"category": ""}, "category", "请选择类别"),
        ({"start_date": "next friday"}, "start_date", "开始日期格式有误"),
        ({"start_date": ""}, "start_date", "请填写开始日期"),
        ({"start_time": "25:99"}, "start_time", "开始时间格式有误"),
        ({"end_time": ""}, "end_time", "请填写结束时间"),
        ({"end_time": "18:00"}, "end_date", "结束时间必须晚于开始时间"),
        ({"until": "2027-05-01"}, "until", "早于开始日期"),
        ({"until": ""}, "until", "重复到哪一天"),
        ({"ends": "count", "count": "many"}, "count", "次数应为整数"),
        ({"ends": "count", "count": "0"}, "count", "次数应在 1 到"),
        ({"repeat": "yearly"}, "repeat", "请选择是否重复"),
        ({"capacity": "lots"}, "capacity", "容纳人数应为整数"),
        ({"category": "magic"}, "category", "找不到类别"),
        ({"venue": "moon"}, "venue", "找不到场地"),
        ({"status": "cancelled"}, "status", "新活动只能是草稿"),
        ({"image_url": "javascript:alert(1)"}, "image_url", "格式有误"),
        ({"start_date": "9999-01-01", "until": "9999-02-01"}, "start_date", "年之间"),
    ],
)
async def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client: Client, scheduler: dict[str, str], changes: FormData, field: str, message: str
) -> None:
    before = len(await _all_events(client, scheduler))

    response = await post_form(client, "/staff/events/new", {**WEEKLY_FORM, **changes})

    assert response.status_code in (422, 404), response.status_code
    tree = assert_good_page(response.text)
    assert message in response.text
    errors = {p.get("id") for p in tree.iter("p") if p.get("class") == "field-error"}
    assert f"f-{field}-error" in errors
    assert 'value="沙河村周末电影放映"' in response.text or field == "title_zh"
    assert len(await _all_events(client, scheduler)) == before


async def test_an_empty_form_post_is_a_422_page(client: Client, scheduler: dict[str, str]) -> None:
    response = await post_form(client, "/staff/events/new", {})

    assert response.status_code == 422
    assert "请填写开始日期" in response.text


async def test_an_edit_that_would_drop_reported_nights_is_refused(
    client: Client, scheduler: dict[str, str]
) -> None:
    market = await event_titled(client, scheduler, "东胜银杏夜市·秋季（演示）")
    fields: FormData = {
        "title_zh": market["title_zh"], "category": "market", "venue": "ginkgo-night-market",
        "start_date": "2026-10-04", "start_time": "19:00", "end_time": "22:00",
        "repeat": "weekly", "byday": ["SU"], "ends": "until", "until": "2026-11-22",
    }

    response = await post_form(client, f"/staff/events/{market['id']}", fields)

    assert response.status_code == 409
    assert "已上报人次的场次" in response.text
    assert_good_page(response.text)
    after = (await client.get(f"/api/v1/events/{market['id']}", headers=scheduler)).json()
    assert (after["rrule"], after["sequence"]) == (market["rrule"], market["sequence"])


async def test_cancel_and_postpone_need_a_reason_visitors_see(
    client: Client, scheduler: dict[str, str]
) -> None:
    event_id = event_id_of(await post_form(client, "/staff/events/new", WEEKLY_FORM))

    no_reason = await post_form(client, f"/staff/events/{event_id}/postpone", {"reason": " "})
    assert no_reason.status_code == 422
    assert "需要填写原因" in no_reason.text

    postponed = await post_form(
        client, f"/staff/events/{event_id}/postpone", {"reason": "场地检修，改期另行通知"}
    )
    assert location(postponed) == f"/staff/events/{event_id}?done=postpone"
    page = await client.get(location(postponed))
    assert "场地检修，改期另行通知" in page.text and "活动已延期" in page.text
    nights = await nights_of(client, event_id, "2027-06-01", "2027-06-06")
    assert nights == [("2027-06-04T19:30:00+08:00", "postponed"),
                      ("2027-06-05T19:30:00+08:00", "postponed")]

    cancelled = await post_form(
        client, f"/staff/events/{event_id}/cancel", {"reason": "本年度停办"}
    )
    assert location(cancelled) == f"/staff/events/{event_id}?done=cancel"
    event = (await client.get(f"/api/v1/events/{event_id}", headers=scheduler)).json()
    assert (event["status"], event["status_reason"]) == ("cancelled", "本年度停办")
    final = await client.get(f"/staff/events/{event_id}")
    assert_good_page(final.text)
    assert "已取消的活动不能再修改" in final.text


async def test_publish_a_draft_and_delete_another(
    client: Client, scheduler: dict[str, str]
) -> None:
    draft_id = event_id_of(
        await post_form(client, "/staff/events/new", {**WEEKLY_FORM, "status": "draft"})
    )
    assert await nights_of(client, draft_id, "2027-06-01", "2027-06-06") == []

    published = await post_form(client, f"/staff/events/{draft_id}/publish")

    assert location(published) == f"/staff/events/{draft_id}?done=publish"
    assert len(await nights_of(client, draft_id, "2027-06-01", "2027-06-06")) == 2
    no_venue = {**WEEKLY_FORM, "status": "draft", "title_zh": "草稿", "venue": ""}
    other = event_id_of(await post_form(client, "/staff/events/new", no_venue))
    assert location(await post_form(client, f"/staff/events/{other}/delete")) == (
        "/staff/events?done=deleted"
    )
    assert (await client.get(f"/staff/events/{other}")).status_code == 404
    refused = await post_form(client, f"/staff/events/{draft_id}/delete")
    assert refused.status_code == 409 and "只能删除草稿" in refused.text


async def test_events_list_shows_drafts_and_filters(
    client: Client, scheduler: dict[str, str]
) -> None:
    everything = await client.get("/staff/events")
    assert_good_page(everything.text)
    assert "秋季村晚筹备（草稿，演示）" in everything.text
    assert "新建活动" in everything.text

    drafts = await client.get("/staff/events?status=draft")
    assert "秋季村晚筹备（草稿，演示）" in drafts.text
    assert "农耕文化体验节（演示）" not in drafts.text

    found = await client.get("/staff/events?q=farming+culture&village=dongsheng")
    assert "农耕文化体验节（演示）" in found.text
    assert "东胜银杏夜市（演示）" not in found.text

    sports = await client.get("/staff/events?category=sports&page=nonsense")
    assert sports.status_code == 200
    assert "决赛（演示）" in sports.text and "农耕文化体验节" not in sports.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/staff/events?status=bogus", 422),
        ("/staff/events?category=nope", 404),
        ("/staff/events/999999", 404),
        ("/staff/events/99999999999999", 404),
        ("/staff/events/abc", 404),
        ("/staff/occurrences/garbage", 404),
        ("/staff/occurrences/1-20990101T000000", 404),
        ("/staff/occurrences/1%00?lang=en", 404),  # the NUL is not echoed into the page
        ("/staff/events?q=%00%C2%85&lang=en", 200),
    ],
)
async def test_garbage_addresses_are_4xx_pages(
    client: Client, scheduler: dict[str, str], path: str, status: int
) -> None:
    response = await client.get(path)

    assert response.status_code == status
    assert_good_page(response.text)


async def test_unknown_actions_and_events_are_404(
    client: Client, scheduler: dict[str, str]
) -> None:
    event_id = event_id_of(await post_form(client, "/staff/events/new", WEEKLY_FORM))

    explode = await post_form(client, f"/staff/events/{event_id}/explode")
    assert explode.status_code == 404
    assert "找不到操作：explode" in explode.text
    edit = await post_form(client, "/staff/events/424242", WEEKLY_FORM)
    assert edit.status_code == 404
    assert "找不到活动：424242" in edit.text
    cancel = await post_form(client, "/staff/events/424242/cancel", {"reason": "x"})
    assert cancel.status_code == 404
    assert "找不到活动：424242" in cancel.text
    assert (await event_titled(client, scheduler, WEEKLY_FORM["title_zh"]))["status"] == (
        "published")


async def test_html_in_titles_is_escaped(client: Client, scheduler: dict[str, str]) -> None:
    event_id = event_id_of(await post_form(
        client, "/staff/events/new", {**WEEKLY_FORM, "title_zh": "<script>alert(1)</script>"}
    ))

    page = await client.get(f"/staff/events/{event_id}")

    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text
