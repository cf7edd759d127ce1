"""The spreadsheet's columns: one list gives the template, the reader and the messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bolin_events.schemas.imports import Problem
from bolin_events.services.imports.cells import text

Lang = str  # "zh" or "en"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    help_zh: str
    help_en: str
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


COLUMNS: tuple[Column, ...] = (
    Column(
        "title_zh",
        "活动名称",
        "Title (Chinese)",
        "必填，中文名称。",
        "Required; the Chinese title.",
        "东胜银杏夜市",
        True,
        ("名称", "标题", "title"),
    ),
    Column(
        "category",
        "类别",
        "Category",
        "必填；类别名称或英文标识，见「参考」表。",
        "Required; a category name or slug (see Reference).",
        "夜市",
        True,
    ),
    Column(
        "venue",
        "场地",
        "Venue",
        "场地名称或英文标识，见「参考」表；可空。",
        "A venue name or slug (see Reference); may be empty.",
        "东胜银杏夜市",
        aliases=("地点", "location", "place"),
    ),
    Column(
        "village",
        "村",
        "Village",
        "可空；填写时须与场地所在村一致（同名场地靠它区分）。",
        "Optional; must be the venue's village (tells same-named venues apart).",
        "东胜村",
    ),
    Column(
        "start",
        "开始时间",
        "Start",
        "必填。2027-06-04 19:00；全天活动只填日期 2027-07-09。",
        "Required. 2027-06-04 19:00; an all-day event takes a date: 2027-07-09.",
        "2027-06-04 19:00",
        True,
        ("开始", "start time"),
    ),
    Column(
        "end",
        "结束时间",
        "End",
        "必填。日期时间，或只写时间（22:30，当天；早于开始则为次日）；全天活动填最后一天。",
        "Required. A date-time, or just a time (22:30, same day; earlier than the start "
        "means the next day); all-day events: the last day.",
        "22:30",
        True,
        ("结束", "end time"),
    ),
    Column(
        "rrule",
        "重复",
        "Repeat",
        "可空。如：每周五、六至2027-09-30（见下方说明），或标准重复规则。",
        "Optional. An RRULE, or: every Fri, Sat until 2027-09-30 (see below).",
        "每周五、六至2027-09-30",
        aliases=("重复规则", "recurrence", "rrule"),
    ),
    Column(
        "organizer",
        "主办单位",
        "Organizer",
        "可空；主办单位名称或标识。",
        "Optional; an organizer name or slug.",
        "柏林镇综合文化站",
        aliases=("主办",),
    ),
    Column(
        "description_zh",
        "说明",
        "Description (Chinese)",
        "可空，中文介绍。",
        "Optional; the Chinese description.",
        "小吃、文创、乡村好物",
        aliases=("活动说明", "简介", "description"),
    ),
    Column(
        "title_en",
        "英文名称",
        "Title (English)",
        "可空。",
        "Optional.",
        "Dongsheng Ginkgo Night Market",
    ),
    Column("description_en", "英文说明", "Description (English)", "可空。", "Optional."),
    Column(
        "programme",
        "活动项目",
        "Programme",
        "可空；所属活动项目（如 嗨夏季）。",
        "Optional; the programme it belongs to (e.g. Hi Summer).",
        "嗨夏季",
        aliases=("项目", "program"),
    ),
    Column(
        "all_day",
        "全天",
        "All day",
        "是/否；空着时，开始只有日期即为全天。",
        "yes/no; when empty, a start without a time means all day.",
        "否",
    ),
    Column(
        "price",
        "价格",
        "Price",
        "可空，自由文字：免费、¥20。",
        "Optional free text: Free, ¥20.",
        "免费",
        aliases=("票价", "费用"),
    ),
    Column("contact", "联系方式", "Contact", "可空。", "Optional.", aliases=("联系电话", "联系人")),
    Column(
        "capacity",
        "容纳人数",
        "Capacity",
        "可空，整数。",
        "Optional, a whole number.",
        aliases=("人数上限", "容量", "限额"),
    ),
    Column(
        "image_url", "图片链接", "Image URL", "可空，http(s) 链接。", "Optional, an http(s) link."
    ),
    Column(
        "status",
        "状态",
        "Status",
        "草稿 或 已发布；空着：新活动为草稿，已有活动不变。",
        "draft or published; empty: new events are drafts, existing ones keep theirs.",
        "已发布",
    ),
    Column(
        "external_id",
        "外部编号",
        "External ID",
        "可空；同一编号再次导入即更新该活动。空着时由名称、开始时间和场地生成。",
        "Optional; importing the same id again updates that event. When empty it is made "
        "from the title, start and venue.",
        "ginkgo-2027",
        aliases=("编号", "id"),
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c for c in COLUMNS if c.required)


def _norm(text: str) -> str:
    return re.sub(r"[\s*＊_()（）]", "", text).lower()


_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, _column.key, *_column.aliases):
        _LOOKUP.setdefault(_norm(_name), _column)


def column_for(header: str) -> Column | None:
    """The column a header names, in Chinese or English, ignoring spaces, case and '*'."""
    return _LOOKUP.get(_norm(header))


def where(column: Column, row: int | None) -> tuple[str, str]:
    """How a message names its place: 第 3 行「场地」 / Row 3, Venue."""
    if row is None:
        return f"「{column.zh}」", column.en
    return f"第 {row} 行「{column.zh}」", f"Row {row}, {column.en}"


def problem(
    column: Column,
    row: int | None,
    zh: str,
    en: str,
    value: object = None,
    suggestions: list[str] | None = None,
) -> Problem:
    at_zh, at_en = where(column, row)
    return Problem(
        row=row,
        column=column.zh,
        value=None if value is None else text(value),
        message=f"{at_zh}：{zh}",
        message_en=f"{at_en}: {en}",
        suggestions=suggestions or [],
    )


def invalid_words(kind: str, ctx: dict[str, Any], message: str) -> tuple[str, str]:
    """A validation error of one cell in plain words (the common ones; pydantic's otherwise)."""
    if kind in ("string_too_long", "too_long"):  # a title is checked as a sequence
        limit = ctx.get("max_length")
        return f"太长（最多 {limit} 个字）。", f"too long (at most {limit} characters)."
    if kind == "string_pattern_mismatch":
        return "应为 http:// 或 https:// 开头的链接。", "should be an http:// or https:// link."
    return f"内容无效（{message}）。", f"not valid ({message})."
