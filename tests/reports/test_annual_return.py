"""The annual return (年报): the station form's items, courses as 班次, the hand-kept items,
the activities reported beside it (另报), and the return as the form's XLSX."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from openpyxl import load_workbook

from bolin_events.models import Role
from tests.api.helpers import problem
from tests.conftest import Client, Staff
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import location, post_form
from tests.reports.helpers import REPORTS, TZ, get_json, report, report_all, season

ITEMS = f"{REPORTS}/annual-items"


async def weekly(
    client: Client, headers: dict[str, str], start: str, meetings: int, **extra: Any
) -> list[str]:
    """A training class meeting every week from ``start``; gives its meetings' ids."""
    event_id, _ = await season(
        client, headers, start, category="training", venue="culture-station",
        rrule=f"FREQ=WEEKLY;COUNT={meetings}", **extra,
    )
    first = datetime.fromisoformat(start)
    return [f"{event_id}-{first + timedelta(weeks=n):%Y%m%dT%H%M%S}" for n in range(meetings)]


async def a_season(client: Client, staff: Staff) -> None:
    """2025: a weekly class of 8 meetings (35 enrolled, 32 completed, ~32 each time), a 村晚
    watched online too, a five-day exhibition and a legal-publicity session."""
    course = await weekly(
        client, staff.scheduler, "2025-03-04T14:00", 8,
        title_zh="葫芦丝培训班", course=True, enrolled=35, completed=32,
    )
    await report_all(client, staff.admin, course, [33, 32, 32, 31, 32, 30, 32, 32])
    _, (gala,) = await season(
        client, staff.scheduler, "2025-02-01T19:00", category="performance",
        programme="cunwan", venue="qingqing-park", title_zh="华盖村村晚",
    )
    await report(client, staff.admin, gala, 2_636, online=2_000)
    _, show = await season(
        client, staff.scheduler, "2025-09-01T09:00", nights=5, category="exhibition",
        venue="culture-station",
    )
    await report_all(client, staff.admin, show, [50] * 5)
    _, (legal,) = await season(client, staff.scheduler, "2025-04-10T09:00", category="legal")
    await report(client, staff.admin, legal, 80)


def lines(found: dict[str, Any]) -> list[tuple[str, str, int, str, int]]:
    return [
        (line["item"], line["unit"], line["value"], line["people_item"], line["people"])
        for line in found["lines"]
    ]


async def test_annual_return_counts_a_course_once_a_cunwan_as_an_activity_an_exhibition_once(
    client: Client, staff: Staff
) -> None:
    await a_season(client, staff)

    found = await get_json(client, staff.admin, "annual-return", period="2025")

    assert found["title"] == "乡镇综合文化站 年报 2025年"
    assert lines(found) == [
        ("举办展览", "个", 1, "参观人次", 250),
        ("组织文艺活动", "次", 1, "参加人次", 636),
        ("举办训练班", "班次", 1, "培训人次", 32),
        ("公益性讲座", "次", 0, "参加人次", 0),
    ]
    assert [line["online"] for line in found["lines"]] == [0, 2_000, 0, 0]
    (course,) = found["courses"]
    assert (course["title"], course["meetings"], course["trainees"], course["source"]) == (
        "葫芦丝培训班", 8, 32, "completed"
    )
    assert found["warnings"] == []


async def test_annual_return_reports_legal_publicity_beside_it_not_as_a_line(
    client: Client, staff: Staff
) -> None:
    await a_season(client, staff)

    found = await get_json(client, staff.admin, "annual-return", period="2025")

    assert "法治宣传" not in [line["item"] for line in found["lines"]]
    assert [(b["name_zh"], b["sessions"], b["people"]) for b in found["beside"]] == [
        ("旅游与夜间经济", 0, 0),
        ("体育运动", 0, 0),
        ("法治宣传", 1, 80),
    ]
    assert {"slug": "legal", "name_zh": "法治宣传", "counting": "none", "group": "legal"} in (
        found["mapping"]
    )


async def test_annual_return_course_without_numbers_counts_its_largest_meeting_and_says_so(
    client: Client, staff: Staff
) -> None:
    marked = await weekly(
        client, staff.scheduler, "2025-05-06T14:00", 3, title_zh="书法班", course=True
    )
    loose = await weekly(client, staff.scheduler, "2025-06-03T14:00", 4, title_zh="舞蹈辅导")
    await report_all(client, staff.admin, marked + loose, [18, 21, 20, 12, 15, 14, 9])

    found = await get_json(client, staff.admin, "annual-return", period="2025")

    assert lines(found)[2] == ("举办训练班", "班次", 2, "培训人次", 36)
    assert found["warnings"] == [
        "培训班「书法班」未填报名或结业人数：培训人次暂按单场最多21人次计。",
        "培训活动「舞蹈辅导」未标记为一个培训班：已按1班次、单场最多15人次计入培训人次；"
        "请在活动中标记为培训班并填写报名、结业人数。",
    ]


async def test_annual_return_course_counts_in_the_year_of_its_first_meeting(
    client: Client, staff: Staff
) -> None:
    meetings = await weekly(
        client, staff.scheduler, "2024-12-10T14:00", 6, course=True, enrolled=20
    )
    await report_all(client, staff.admin, meetings, [20] * 6)

    first = await get_json(client, staff.admin, "annual-return", period="2024")
    second = await get_json(client, staff.admin, "annual-return", period="2025")

    assert lines(first)[2] == ("举办训练班", "班次", 1, "培训人次", 20)
    assert lines(second)[2] == ("举办训练班", "班次", 0, "培训人次", 0)
    assert (second["lines"][2]["value_last_year"], second["lines"][2]["people_last_year"]) == (
        1, 20
    )


async def test_annual_return_follows_an_admins_change_of_counting(
    client: Client, staff: Staff
) -> None:
    _, days = await season(
        client, staff.scheduler, "2025-07-09T09:00", nights=3, category="farming"
    )
    await report_all(client, staff.admin, days, [300, 300, 300])

    before = await get_json(client, staff.admin, "annual-return", period="2025")
    patched = await client.patch(
        "/api/v1/categories/farming", json={"counting": "exhibition"}, headers=staff.admin
    )
    after = await get_json(client, staff.admin, "annual-return", period="2025")

    assert patched.status_code == 200, patched.text
    assert lines(before)[0] == ("举办展览", "个", 0, "参观人次", 0)
    assert before["beside"][0] == {
        "group": "tourism", "name_zh": "旅游与夜间经济", "name_en": "Tourism and night economy",
        "sessions": 3, "people": 900, "online": 0,
        "categories": ["farming", "market", "study-tour"],
    }
    assert lines(after)[0] == ("举办展览", "个", 1, "参观人次", 900)
    assert after["beside"][0]["sessions"] == 0


async def test_annual_items_round_trip_and_show_unentered_as_missing(
    client: Client, staff: Staff
) -> None:
    saved = await client.put(
        f"{ITEMS}/2025",
        json={"books": {"value": 3_200, "note": "图书室台账"}, "troupes": {"value": 0}},
        headers=staff.scheduler,
    )
    cleared = await client.put(
        f"{ITEMS}/2025", json={"troupes": None, "staff": {"value": 3}}, headers=staff.admin
    )
    kept = await get_json(client, staff.admin, "annual-items", year="2025")
    found = await get_json(client, staff.admin, "annual-return", period="2025")

    assert saved.status_code == 200, saved.text
    assert [(i["key"], i["value"]) for i in saved.json()["items"]] == [
        ("books", 3_200), ("loans", None), ("troupes", 0), ("staff", None), ("volunteers", None)
    ]
    assert cleared.status_code == 200, cleared.text
    assert [(i["item"], i["unit"], i["value"], i["note"]) for i in kept["items"]] == [
        ("藏书", "册", 3_200, "图书室台账"),
        ("书刊外借册次", "册次", None, None),
        ("业余文艺团队", "个", None, None),
        ("从业人员", "人", 3, None),
        ("志愿者", "人", None, None),
    ]
    assert (kept["year"], kept["closed"]) == (2025, False)
    assert found["kept"] == kept["items"]


async def test_annual_items_of_a_closed_year_are_409(client: Client, staff: Staff) -> None:
    closed = await client.post("/api/v1/years/2024/close", json={}, headers=staff.admin)

    response = await client.put(
        f"{ITEMS}/2024", json={"books": {"value": 100}}, headers=staff.admin
    )
    kept = await get_json(client, staff.admin, "annual-items", year="2024")

    assert closed.status_code == 200, closed.text
    assert response.status_code == 409
    assert problem(response)["code"] == "year_closed"
    assert kept["closed"] is True
    assert [i["value"] for i in kept["items"]] == [None] * 5


async def test_annual_items_are_refused_to_a_reporter(client: Client, staff: Staff) -> None:
    written = await client.put(
        f"{ITEMS}/2025", json={"books": {"value": 1}}, headers=staff.reporter
    )
    read = await client.get(ITEMS, params={"year": "2025"}, headers=staff.reporter)

    assert (written.status_code, read.status_code) == (403, 403)


async def test_annual_items_refuse_a_negative_or_unknown_item(
    client: Client, staff: Staff
) -> None:
    negative = await client.put(
        f"{ITEMS}/2025", json={"books": {"value": -1}}, headers=staff.admin
    )
    unknown = await client.put(
        f"{ITEMS}/2025", json={"stage_trucks": {"value": 1}}, headers=staff.admin
    )

    assert (negative.status_code, unknown.status_code) == (422, 422)
    assert "不支持的字段：stage_trucks" in unknown.json()["message"]
    assert "应不小于 0" in negative.json()["message"]


async def test_annual_return_xlsx_is_laid_out_like_the_form(client: Client, staff: Staff) -> None:
    await a_season(client, staff)
    await client.put(f"{ITEMS}/2025", json={"books": {"value": 3_200}}, headers=staff.admin)
    today = datetime.now(TZ).date()

    response = await client.get(
        f"{REPORTS}/annual-return/file", params={"period": "2025", "format": "xlsx"},
        headers=staff.admin,
    )

    assert response.status_code == 200, response.text
    assert 'filename="annual-return-2025.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["乡镇综合文化站 年报 2025年", None, None],
        ["填报单位：", None, f"填报日期：{today.year}年{today.month}月{today.day}日"],
        ["统计期：2025年1月1日至2025年12月31日", None, "计量单位：见各项"],
        ["项目", "单位", "数量"],
        ["举办展览", "个", 1],
        ["参观人次", "人次", 250],
        ["组织文艺活动", "次", 1],
        ["参加人次", "人次", 636],
        ["举办训练班", "班次", 1],
        ["培训人次", "人次", 32],
        ["公益性讲座", "次", 0],
        ["参加人次", "人次", 0],
        ["注：另有线上观看2000人次（直播等），未计入上列人次。", None, None],
        ["藏书", "册", 3_200],
        ["书刊外借册次", "册次", "未填"],
        ["业余文艺团队", "个", "未填"],
        ["从业人员", "人", "未填"],
        ["志愿者", "人", "未填"],
        [None, None, None],
        ["不属于文化站年报的活动（另报）", None, None],
        ["类别", "场次", "人次"],
        ["旅游与夜间经济", 0, 0],
        ["体育运动", 0, 0],
        ["法治宣传", 1, 80],
    ]
    assert "流动舞台车" not in str(rows)


async def test_annual_return_csv_has_the_same_rows(client: Client, staff: Staff) -> None:
    await a_season(client, staff)

    response = await client.get(
        f"{REPORTS}/annual-return/file", params={"period": "2025", "format": "csv"},
        headers=staff.admin,
    )

    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "举办训练班,班次,1\r\n培训人次,人次,32\r\n" in text
    assert "不属于文化站年报的活动（另报）\r\n类别,场次,人次\r\n" in text


async def test_annual_page_shows_the_return_and_the_items_form_saves(
    client: Client, reference: None
) -> None:
    await log_in(client, "keeper", Role.scheduler)

    saved = await post_form(
        client, "/staff/reports/annual/items/2025",
        {"books": "3,200", "books_note": "图书室台账", "loans": "", "troupes": "0", "staff": "",
         "staff_note": "", "volunteers": "", "loans_note": "", "troupes_note": "",
         "volunteers_note": ""},
    )
    page = await client.get("/staff/reports/annual", params={"period": "2025"})
    form = await client.get("/staff/reports/annual/items/2025?done=saved")

    assert location(saved) == "/staff/reports/annual/items/2025?done=saved"
    assert_good_page(form.text)
    assert "修改已保存" in form.text and 'value="3200"' in form.text
    assert_good_page(page.text)
    assert "<h1>乡镇综合文化站 年报 2025年</h1>" in page.text
    assert '<th scope="row">藏书</th><td>册</td><td class="num">3,200</td>' in page.text
    unentered = '<th scope="row">书刊外借册次</th><td>册次</td><td class="num"><span class="muted">'
    assert f"{unentered}未填</span>" in page.text
    assert "不属于文化站年报的活动（另报）" in page.text
    assert 'href="/staff/reports/annual/file?format=xlsx&amp;period=2025"' in page.text
    english = await client.get("/staff/reports/annual", params={"period": "2025", "lang": "en"})
    assert_good_page(english.text)
    assert '举办展览 <span class="muted">Exhibitions</span>' in english.text


async def test_annual_items_form_refuses_text_and_keeps_what_was_typed(
    client: Client, reference: None
) -> None:
    await log_in(client, "keeper", Role.scheduler)

    refused = await post_form(
        client, "/staff/reports/annual/items/2025", {"books": "很多", "staff": "4"}
    )

    assert refused.status_code == 422
    assert "藏书应为不小于 0 的整数" in refused.text
    assert 'value="很多"' in refused.text and 'value="4"' in refused.text


async def test_event_form_marks_a_series_as_one_course_with_its_trainees(
    client: Client, reference: None
) -> None:
    headers = await log_in(client, "keeper", Role.scheduler)
    form = {
        "title_zh": "葫芦丝培训班", "category": "training", "venue": "culture-station",
        "start_date": "2027-03-02", "start_time": "14:00", "end_time": "16:00",
        "repeat": "weekly", "byday": ["TU"], "ends": "count", "count": "8",
        "status": "draft", "course": "on", "enrolled": "35", "completed": "",
    }

    created = await post_form(client, "/staff/events/new", form)
    event_id = int(location(created).split("?")[0].rsplit("/", 1)[1])
    edited = await post_form(client, f"/staff/events/{event_id}", {**form, "completed": "32"})
    event = (await client.get(f"/api/v1/events/{event_id}", headers=headers)).json()
    page = await client.get(f"/staff/events/{event_id}")

    assert location(edited) == f"/staff/events/{event_id}?done=saved"
    assert (event["course"], event["enrolled"], event["completed"]) == (True, 35, 32)
    assert 'name="course" value="on" checked' in page.text
    assert 'name="completed" type="number" value="32"' in page.text
