"""Importing a season from the staff pages: upload, preview, confirm exactly what was seen."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest

from bolin_events.models import Role
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.imports.calendars import HARVEST, calendar
from tests.imports.helpers import stored, xlsx
from tests.pages.login import csrf, log_in
from tests.pages.staff_helpers import WEEKLY_FORM, location, post_form

COUNT = re.compile(r'<span class="muted">(新建|更新|不变|出错)</span><strong>(\d+)</strong>')


def season(nights: int = 40) -> list[dict[str, str]]:
    """One evening show a day at the culture station from 1 September 2027."""
    first = date(2027, 9, 1)
    return [
        {
            "活动名称": f"文化站周末演出 第{n + 1}场",
            "类别": "文艺表演",
            "场地": "柏林镇综合文化站",
            "开始时间": f"{first + timedelta(days=n)} 19:30",
            "结束时间": "21:30",
            "外部编号": f"show-{n + 1}",
        }
        for n in range(nights)
    ]


@pytest.fixture
async def scheduler(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


async def preview(
    client: Client, content: bytes, filename: str = "season.xlsx", source: str = ""
) -> httpx.Response:
    """The upload form as a browser sends it."""
    await client.get("/staff/import")  # the form's page: sets the CSRF cookie
    return await client.post(
        "/staff/import/preview",
        data={"_csrf_token": csrf(client), "source": source},
        files={"file": (filename, content, "application/octet-stream")},
    )


def counts(page: httpx.Response) -> dict[str, int]:
    """The counts per action the preview (or the result) shows."""
    return {action: int(number) for action, number in COUNT.findall(page.text)}


def hidden(page: httpx.Response, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page.text)
    assert found, f"the page has no {name} to confirm with"
    return found[1]


async def confirm(client: Client, page: httpx.Response) -> httpx.Response:
    """The preview's 确认导入 button."""
    return await post_form(client, "/staff/import/confirm",
                           {"token": hidden(page, "token"), "digest": hidden(page, "digest")})


async def test_a_season_previews_then_confirming_writes_it(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await preview(client, xlsx(season()))

    assert_good_page(page.text)
    assert counts(page) == {"新建": 40, "更新": 0, "不变": 0, "出错": 0}
    assert "文化站周末演出 第40场" in page.text
    assert "确认导入" in page.text
    assert await stored(client, scheduler) == []  # a preview writes nothing

    done = await client.get(location(await confirm(client, page)))

    assert "导入完成" in done.text
    assert counts(done) == {"新建": 40, "更新": 0, "不变": 0, "出错": 0}
    events = await stored(client, scheduler)
    assert len(events) == 40
    assert (events[0]["title_zh"], events[0]["start"]) == (
        "文化站周末演出 第1场", "2027-09-01T19:30:00+08:00")


async def test_confirming_the_same_preview_twice_imports_once(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await preview(client, xlsx(season(3)))
    await confirm(client, page)

    again = await confirm(client, page)

    assert "这次导入已经完成，没有再写入一次。" in again.text
    assert len(await stored(client, scheduler)) == 3


async def test_the_same_file_again_previews_nothing_to_change(
    client: Client, scheduler: dict[str, str]
) -> None:
    content = xlsx(season())
    await confirm(client, await preview(client, content))

    page = await preview(client, content)

    assert counts(page) == {"新建": 0, "更新": 0, "不变": 40, "出错": 0}
    assert "没有需要改动的" in page.text
    assert "确认导入" not in page.text


async def test_a_bad_row_shows_its_row_and_reason_and_cannot_be_confirmed(
    client: Client, scheduler: dict[str, str]
) -> None:
    rows = season(3)
    rows[1]["场地"] = "嘉悦农场"

    page = await preview(client, xlsx(rows))

    assert counts(page) == {"新建": 2, "更新": 0, "不变": 0, "出错": 1}
    assert "第 3 行「场地」：找不到场地「嘉悦农场」" in page.text
    assert "表格导入是全部或全不" in page.text
    assert "确认导入" not in page.text


async def test_a_change_after_the_preview_refuses_and_shows_a_new_preview(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await preview(client, xlsx(season(3)))
    meanwhile = {**WEEKLY_FORM, "venue": "jiayue-farm"}  # someone plans an event meanwhile
    await post_form(client, "/staff/events/new", meanwhile)

    refused = await confirm(client, page)

    assert "预览之后数据已经变化，请重新预览" in refused.text
    assert [e["title_zh"] for e in await stored(client, scheduler)] == ["沙河村周末电影放映"]
    assert counts(refused) == {"新建": 3, "更新": 0, "不变": 0, "出错": 0}
    await confirm(client, refused)  # the new preview can be confirmed in turn
    assert len(await stored(client, scheduler)) == 4


async def test_an_ics_file_previews_its_events(client: Client, scheduler: dict[str, str]) -> None:
    page = await preview(client, calendar(HARVEST), "farm.ics", source="farm")

    assert counts(page)["新建"] == 1
    assert "农耕文化体验节" in page.text
    assert "确认导入" in page.text


async def test_an_ics_file_without_a_source_name_is_refused_in_words(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await preview(client, calendar(HARVEST), "farm.ics")

    assert "导入日历文件（.ics）需要填写来源名称" in page.text
    assert 'name="file"' in page.text  # the form again, to correct


async def test_an_unknown_preview_says_to_upload_again(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await post_form(client, "/staff/import/confirm", {"token": "0" * 32, "digest": "x"})

    assert page.status_code == 404
    assert "找不到这次预览" in page.text


async def test_the_form_offers_the_template_in_both_languages(
    client: Client, scheduler: dict[str, str]
) -> None:
    page = await client.get("/staff/import")

    assert_good_page(page.text)
    assert "下载模板" in page.text
    assert 'accept=".xlsx,.csv,.ics"' in page.text
    for lang in ("zh", "en"):
        link = f"/api/v1/import/template.xlsx?lang={lang}"
        assert link in page.text
        template = await client.get(link)
        assert template.headers["content-type"].startswith("application/vnd.openxmlformats")


async def test_a_reporter_may_not_import(client: Client, reference: None) -> None:
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])

    page = await client.get("/staff/import")

    assert page.status_code == 403
    assert 'href="/staff/import"' not in (await client.get("/staff")).text
