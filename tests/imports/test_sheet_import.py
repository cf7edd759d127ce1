"""Importing a season from a spreadsheet through the API: preview, all-or-nothing, re-import."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bolin_events.services.imports import table as table_module
from tests.conftest import Client, Staff
from tests.imports.helpers import (
    FESTIVAL,
    GALA,
    NIGHT_MARKET,
    SEASON,
    TEMPLATE,
    messages,
    messages_en,
    stored,
    upload,
    xlsx,
)


async def test_template_round_trip_creates_the_filled_rows(client: Client, staff: Staff) -> None:
    template = await client.get(TEMPLATE)
    book = load_workbook(io.BytesIO(template.content))
    sheet = book["活动"]
    headers = [c.value for c in sheet[1]]
    for number, row in enumerate(SEASON, start=2):
        for index, header in enumerate(headers, start=1):
            sheet.cell(row=number, column=index, value=row.get(str(header)))
    filled = io.BytesIO()
    book.save(filled)

    response = await upload(client, staff.scheduler, filled.getvalue())

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["written"], report["counts"]["create"], report["problems"]) == (True, 3, [])
    events = await stored(client, staff.scheduler)
    assert [(e["title_zh"], e["start"], e["end"], e["status"]) for e in events] == [
        ("银杏夜市（导入）", "2027-06-04T19:00:00+08:00", "2027-06-04T22:30:00+08:00", "published"),
        ("华盖村纳凉村晚", "2027-07-03T19:30:00+08:00", "2027-07-03T21:30:00+08:00", "published"),
        ("农耕文化体验节", "2027-07-09", "2027-07-11", "draft"),
    ]
    market = events[0]
    assert (market["source"], market["external_id"]) == ("sheet", "market-2027")
    assert market["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630T155959Z"
    assert market["occurrence_count"] == 8
    assert events[2]["external_id"].startswith("auto-")


async def test_template_has_chinese_headers_help_and_reference_lists(client: Client,
                                                                     reference: None) -> None:
    response = await client.get(TEMPLATE, params={"lang": "zh"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["活动", "填写说明", "参考"]
    assert [c.value for c in book["活动"][1]] == [
        "活动名称", "类别", "场地", "村", "开始时间", "结束时间", "重复", "主办单位", "说明",
        "英文名称", "英文说明", "活动项目", "全天", "价格", "联系方式", "容纳人数", "图片链接",
        "状态", "外部编号",
    ]
    venues = [row[4].value for row in book["参考"].iter_rows(min_row=2) if row[4].value]
    assert venues == ["柏林镇综合文化站", "东胜银杏夜市", "嘉悦农场研学基地", "清溪沟“清青乐园”"]
    assert book["活动"].max_row == 1  # nothing to delete before filling it in


async def test_template_in_english_imports_english_names(client: Client, staff: Staff) -> None:
    template = await client.get(TEMPLATE, params={"lang": "en"})
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["Events", "How to fill", "Reference"]
    headers = [str(c.value) for c in book["Events"][1]]
    row = {"Title (Chinese)": "农耕节", "Category": "Farming culture",
           "Venue": "Jiayue Farm Study Base", "Start": "2027-07-09", "End": "2027-07-10",
           "All day": "yes", "Status": "published", "Repeat": ""}

    response = await upload(client, staff.admin, xlsx([row], headers))

    assert response.status_code == 200, response.text
    (event,) = await stored(client, staff.admin)
    assert (event["category"]["slug"], event["venue"]["slug"]) == ("farming", "jiayue-farm")
    assert (event["all_day"], event["start"], event["end"]) == (True, "2027-07-09", "2027-07-10")


async def test_dry_run_previews_and_writes_nothing(client: Client, staff: Staff) -> None:
    response = await upload(client, staff.scheduler, xlsx(SEASON), dry_run=True)

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["dry_run"], report["written"]) == (True, False)
    assert [(r["row"], r["action"], r["title"]) for r in report["rows"]] == [
        (2, "create", "银杏夜市（导入）"), (3, "create", "华盖村纳凉村晚"),
        (4, "create", "农耕文化体验节"),
    ]
    assert await stored(client, staff.scheduler) == []


async def test_row_problems_are_told_in_plain_words(client: Client, staff: Staff) -> None:
    rows = [
        {**GALA, "活动名称": ""},
        {**GALA, "开始时间": "2027-02-30 19:30"},
        {**GALA, "结束时间": "2027-07-03 18:00"},
        {**GALA, "类别": "音乐会"},
        {**GALA, "重复": "每周五"},
        {**GALA, "状态": "上线"},
        {**GALA, "活动名称": "长" * 240},
    ]

    response = await upload(client, staff.scheduler, xlsx(rows))

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["message"] == (
        "导入未进行：7 行有误，未写入任何数据。第一处：第 2 行「活动名称」：必填。"
    )
    assert messages(body) == [
        "第 2 行「活动名称」：必填。",
        "第 3 行「开始时间」：「2027-02-30 19:30」不是日期或时间；请写成 2027-06-04 19:00 或 "
        "2027-06-04。",
        "第 4 行「结束时间」：结束时间（2027-07-03 18:00）须晚于开始时间（2027-07-03 19:30）。",
        "第 5 行「类别」：找不到类别「音乐会」。见模板中的「参考」表。",
        "第 6 行「重复」：重复「每周五」没有结束：请加「至2027-09-30」或「共10次」。",
        "第 7 行「状态」：「上线」应为 草稿 或 已发布。",
        "第 8 行「活动名称」：太长（最多 200 个字）。",
    ]
    assert messages_en(body)[2] == (
        "Row 4, End: the end (2027-07-03 18:00) must be after the start (2027-07-03 19:30)."
    )
    assert await stored(client, staff.scheduler) == []


async def test_unknown_venue_suggests_the_closest_names(client: Client, staff: Staff) -> None:
    rows = [{**FESTIVAL, "场地": "嘉悦农场"}, {**FESTIVAL, "场地": "jiayue nongchang"},
            {**FESTIVAL, "场地": "Night Market"}]

    response = await upload(client, staff.scheduler, xlsx(rows), dry_run=True)

    problems = response.json()["problems"]
    assert [p["suggestions"] for p in problems] == [
        ["jiayue-farm"], ["jiayue-farm"], ["ginkgo-night-market"],
    ]
    assert problems[0]["message"] == (
        "第 2 行「场地」：找不到场地「嘉悦农场」。是否指：嘉悦农场研学基地（jiayue-farm）？"
    )
    assert problems[0]["message_en"] == (
        'Row 2, Venue: no venue "嘉悦农场". Did you mean: Jiayue Farm Study Base (jiayue-farm)?'
    )


async def test_venue_in_another_village_is_refused(client: Client, staff: Staff) -> None:
    response = await upload(client, staff.scheduler, xlsx([{**GALA, "村": "东胜村"}]))

    assert messages(response.json()) == [
        '第 2 行「村」：场地「清溪沟“清青乐园”」在华盖村，不在东胜村。'
    ]


async def test_clash_with_a_published_event_is_told_on_its_row(client: Client,
                                                               staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx([GALA]))
    rehearsal = {**GALA, "活动名称": "广场舞排练", "开始时间": "2027-07-03 20:00",
                 "结束时间": "22:00", "外部编号": "rehearsal"}

    response = await upload(client, staff.scheduler, xlsx([GALA, rehearsal]))

    assert response.status_code == 422
    assert messages(response.json()) == [
        '第 3 行：场地冲突，清溪沟“清青乐园” 在 2027-07-03 19:30–21:30 已有「华盖村纳凉村晚」。'
    ]
    assert [e["title_zh"] for e in await stored(client, staff.scheduler)] == ["华盖村纳凉村晚"]


async def test_clash_between_two_rows_names_the_other_row(client: Client, staff: Staff) -> None:
    second = {**GALA, "活动名称": "露天电影", "外部编号": "film"}

    response = await upload(client, staff.scheduler, xlsx([GALA, second]), dry_run=True)

    assert messages_en(response.json()) == [
        "Row 3: venue clash, qingqing-park already has “华盖村纳凉村晚” at "
        "2027-07-03 19:30–21:30 (row 2 of this file)."
    ]


async def test_one_bad_row_and_nothing_is_written(client: Client, staff: Staff) -> None:
    rows = [NIGHT_MARKET, GALA, {**FESTIVAL, "结束时间": "明天"}]

    response = await upload(client, staff.scheduler, xlsx(rows))

    assert response.status_code == 422
    assert [p["row"] for p in response.json()["details"]] == [4]
    assert await stored(client, staff.scheduler) == []


async def test_reporter_may_not_import(client: Client, staff: Staff) -> None:
    response = await upload(client, staff.reporter, xlsx(SEASON))

    assert response.status_code == 403
    assert response.json()["message"] == "角色「信息员」无权编排活动（管理员或排期人员）。"
    assert await stored(client, staff.scheduler) == []


async def test_anonymous_may_not_import(client: Client, staff: Staff) -> None:
    response = await upload(client, {}, xlsx(SEASON))

    assert response.status_code == 401
    assert response.json()["message_en"] == (
        "Log in first: send the header Authorization: Bearer <token>.")
    assert await stored(client, staff.scheduler) == []


async def test_csv_with_bom_is_imported(client: Client, staff: Staff) -> None:
    lines = [
        "活动名称,类别,场地,开始时间,结束时间,重复",
        "夜市,夜市,东胜银杏夜市,2027/6/4 19:00,22:30,每周五、六至2027年6月12日",
        '讲座,讲座,,2027-06-07 09:00,11:00,"FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3"',
    ]
    content = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")

    response = await upload(client, staff.scheduler, content, filename="season.csv")

    assert response.status_code == 200, response.text
    events = await stored(client, staff.scheduler)
    assert [(e["title_zh"], e["rrule"], e["occurrence_count"]) for e in events] == [
        ("夜市", "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270612T155959Z", 4),
        ("讲座", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3", 3),
    ]


async def test_csv_in_gbk_is_refused_with_advice(client: Client, staff: Staff) -> None:
    content = "活动名称,类别\n夜市,夜市\n".encode("gbk")

    response = await upload(client, staff.scheduler, content, filename="season.csv")

    assert response.status_code == 422
    assert response.json()["message"] == (
        "CSV 文件须为 UTF-8 编码。在 Excel 中请选择「另存为 → CSV UTF-8（逗号分隔）」。"
    )


async def test_sheet_without_a_start_column_is_refused(client: Client, staff: Staff) -> None:
    headers = ["活动名称", "类别", "结束时间"]

    response = await upload(client, staff.scheduler, xlsx([GALA], headers))

    assert messages(response.json()) == [
        "表格缺少「开始时间」列（英文模板为 “Start”）。请使用导入模板。"
    ]


async def test_dry_run_in_the_query_is_honoured_like_everywhere_else(
        client: Client, staff: Staff) -> None:
    response = await client.post(
        "/api/v1/import/sheet?dry_run=true", headers=staff.scheduler,
        files={"file": ("season.xlsx", xlsx(SEASON), "application/octet-stream")})

    assert response.status_code == 200, response.text
    assert (response.json()["dry_run"], response.json()["written"]) == (True, False)
    assert await stored(client, staff.scheduler) == []


async def test_blank_rows_count_toward_the_row_limit(
        client: Client, staff: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_module, "MAX_ROWS", 50)
    header = ",".join(SEASON[0].keys())
    row = ",".join(str(v) for v in SEASON[0].values())
    blank_tail = (header + "\n" + row + "\n" + ",\n" * 60).encode()

    response = await upload(client, staff.scheduler, blank_tail, filename="season.csv")

    assert response.status_code == 422, response.text
    assert "空行也算在内" in response.json()["message"]
    assert await stored(client, staff.scheduler) == []
