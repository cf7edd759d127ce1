"""Reading a batch of reports from CSV or XLSX: one row per occurrence, Chinese or English headers.

Problems a row has on its own (a word where a number goes) are found here, in plain words;
everything else (who may report it, whether the figures add up) the server checks.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COLUMNS: dict[str, tuple[str, ...]] = {
    "occurrence": ("场次编号", "活动场次", "场次", "场次id", "occurrence", "occurrenceid", "id"),
    "total": ("总人次", "人次", "合计", "总数", "total"),
    "residents": ("本地居民", "居民", "本地", "residents"),
    "visitors": ("外地游客", "游客", "外地", "visitors"),
    "onsite": ("现场", "现场人次", "onsite"),
    "online": ("线上", "线上人次", "直播", "online"),
    "volunteers": ("志愿者", "volunteers"),
    "method": ("统计方式", "计数方式", "method", "countingmethod"),
    "note": ("备注", "说明", "note", "notes"),
    "reason": ("更正原因", "原因", "reason"),
}
LABELS = {
    "total": "总人次",
    "residents": "本地居民",
    "visitors": "外地游客",
    "onsite": "现场",
    "online": "线上",
    "volunteers": "志愿者",
}
METHODS = {
    "headcount": "headcount",
    "点数": "headcount",
    "人工点数": "headcount",
    "现场点数": "headcount",
    "clicker": "clicker",
    "计数器": "clicker",
    "sign_in": "sign_in",
    "sign-in": "sign_in",
    "签到": "sign_in",
    "签到表": "sign_in",
    "tickets": "tickets",
    "门票": "tickets",
    "票务": "tickets",
    "售票": "tickets",
    "estimate": "estimate",
    "估算": "estimate",
    "估计": "estimate",
}
_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")


class SheetError(Exception):
    """The file as a whole cannot be used (unreadable, or without the needed columns)."""


@dataclass
class Row:
    line: int  # as the spreadsheet numbers it: the header is line 1
    occurrence: str
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _header(text: Any) -> str:
    return _BRACKETS.sub("", str(text or "")).strip().lower().replace(" ", "").replace("_", "")


def _number(value: Any, label: str, problems: list[str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(f"「{label}」应为整数 / must be a whole number")
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text))
    problems.append(f"「{label}」应为整数，而不是「{value}」/ {label} must be a whole number")
    return None


def _table(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetError(f"无法读取 Excel 文件 / cannot read the workbook: {exc}") from exc
        try:
            return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return [list(r) for r in csv.reader(io.StringIO(raw.decode(encoding)))]
        except UnicodeDecodeError:
            continue
    raise SheetError("CSV 文件编码无法识别（请存为 UTF-8）/ save the CSV as UTF-8")


def read_sheet(path: Path) -> list[Row]:
    table = _table(path)
    if not table:
        raise SheetError("文件是空的 / the file is empty")
    wanted = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, text in enumerate(table[0]):
        name = wanted.get(_header(text))
        if name and name not in columns:
            columns[name] = index
    missing = [n for n in ("occurrence", "total") if n not in columns]
    if missing:
        raise SheetError(
            "缺少必需的列：场次编号、总人次 / the columns occurrence and total are required "
            f"(missing: {', '.join(missing)})"
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        if all(v is None or not str(v).strip() for v in values.values()):
            continue
        rows.append(_row(line, values))
    return rows


def _row(line: int, values: dict[str, Any]) -> Row:
    row = Row(line=line, occurrence=str(values.get("occurrence") or "").strip())
    if not row.occurrence:
        row.problems.append("缺少场次编号 / the occurrence id is missing")
    for name, label in LABELS.items():
        number = _number(values.get(name), label, row.problems)
        if number is not None:
            row.figures[name] = number
    if "total" not in row.figures and not any("总人次" in p for p in row.problems):
        row.problems.append("缺少总人次 / the total is missing")
    method = str(values.get("method") or "").strip()
    if method:
        if method.lower() in METHODS:
            row.figures["method"] = METHODS[method.lower()]
        else:
            row.problems.append(
                f"统计方式「{method}」无法识别，可用：现场点数、计数器、签到表、票务、估算"
                " / unknown counting method"
            )
    for name in ("note", "reason"):
        text = str(values.get(name) or "").strip()
        if text:
            row.figures[name] = text
    return row
