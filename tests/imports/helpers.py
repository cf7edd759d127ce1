"""Building the files people import (XLSX, CSV, iCalendar) and reading back what they made."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook

from tests.conftest import Client

SHEET = "/api/v1/import/sheet"
TEMPLATE = "/api/v1/import/template.xlsx"
EVENTS = "/api/v1/events"
ALL_STATUSES = "draft,published,cancelled,postponed"
HEADERS_ZH = ["活动名称", "类别", "场地", "村", "开始时间", "结束时间", "重复", "状态", "外部编号"]

# A season of three rows in the words a culture station would type.
NIGHT_MARKET = {
    "活动名称": "银杏夜市（导入）",
    "类别": "夜市",
    "场地": "东胜银杏夜市",
    "开始时间": "2027-06-04 19:00",
    "结束时间": "22:30",
    "重复": "每周五、六至2027-06-30",
    "状态": "已发布",
    "外部编号": "market-2027",
}
GALA = {
    "活动名称": "华盖村纳凉村晚",
    "类别": "文艺表演",
    "场地": "qingqing-park",
    "村": "华盖村",
    "开始时间": "2027-07-03 19:30",
    "结束时间": "2027-07-03 21:30",
    "状态": "已发布",
}
FESTIVAL = {
    "活动名称": "农耕文化体验节",
    "类别": "农耕体验",
    "场地": "嘉悦农场研学基地",
    "开始时间": "2027-07-09",
    "结束时间": "2027-07-11",
}
SEASON = [NIGHT_MARKET, GALA, FESTIVAL]


def xlsx(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    """A workbook whose first sheet has ``headers`` and one line per row (missing → empty)."""
    headers = headers or HEADERS_ZH
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(
    client: Client,
    headers: dict[str, str],
    content: bytes,
    *,
    dry_run: bool = False,
    filename: str = "season.xlsx",
) -> httpx.Response:
    return await client.post(
        SHEET,
        files={"file": (filename, content, "application/octet-stream")},
        data={"dry_run": "true" if dry_run else "false"},
        headers=headers,
    )


async def stored(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every event, drafts too, in start order."""
    response = await client.get(
        EVENTS, params={"status": ALL_STATUSES, "limit": 500}, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def messages(body: dict[str, Any]) -> list[str]:
    """The Chinese problem texts of a report or of a 422 problem body."""
    problems = body.get("problems", body.get("details", []))
    return [p["message"] for p in problems]


def messages_en(body: dict[str, Any]) -> list[str]:
    problems = body.get("problems", body.get("details", []))
    return [p["message_en"] for p in problems]
