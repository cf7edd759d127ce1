"""Reading an uploaded file (XLSX, or CSV in UTF-8) into a header row and numbered data rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from bolin_events.errors import InvalidInput

MAX_ROWS = 20_000
EVENT_SHEETS = ("活动", "Events")


@dataclass
class Cell:
    value: object
    date_only: bool = False  # an Excel date cell that shows no time


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (row number, cells)


def unreadable(zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, [{"field": "file"}])


def read_table(content: bytes, filename: str) -> Table:
    if content.startswith(b"PK\x03\x04"):
        return _xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise unreadable(
            "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。",
            "This is an old Excel (.xls) file; save it as .xlsx and import that.",
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise _damaged()
    return _csv(content)


def _xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise _damaged() from None
    try:
        names = [n for n in EVENT_SHEETS if n in book.sheetnames]
        sheet = book[names[0]] if names else book.worksheets[0]
        table: Table | None = None
        for number, row in enumerate(sheet.iter_rows(), start=1):
            _within_limit(number)
            cells = [Cell(c.value, bool(getattr(c, "is_date", False)) and _no_time(c)) for c in row]
            if table is None:
                if any(_filled(c.value) for c in cells):
                    table = Table([str(c.value or "").strip() for c in cells])
                continue
            _add(table, number, cells)
        return table or Table([])
    finally:
        book.close()


def _damaged() -> InvalidInput:
    return unreadable(
        "文件不是有效的 .xlsx 表格（可能已损坏）。",
        "The file is not a valid .xlsx workbook (it may be damaged).",
    )


def _no_time(cell: object) -> bool:
    return "h" not in str(getattr(cell, "number_format", "") or "").lower()


def _csv(content: bytes) -> Table:
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable(
            "CSV 文件须为 UTF-8 编码。在 Excel 中请选择「另存为 → CSV UTF-8（逗号分隔）」。",
            "The CSV file must be UTF-8. In Excel use Save As → CSV UTF-8 (comma delimited).",
        ) from None
    header = decoded.split("\n", 1)[0]
    # From the header alone: a rule in a cell (FREQ=WEEKLY;BYDAY=FR) must not look like one.
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    table: Table | None = None
    try:
        for number, values in enumerate(reader, start=1):
            _within_limit(number)
            if table is None:
                if any(v.strip() for v in values):
                    table = Table([v.strip() for v in values])
                continue
            _add(table, number, [Cell(v) for v in values])
    except csv.Error as exc:
        raise unreadable(f"CSV 文件格式有误：{exc}", f"The CSV file is malformed: {exc}") from None
    return table or Table([])


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _within_limit(number: int) -> None:
    """Every row counts, blank ones too: a sheet of 300,000 empty rows costs as much to read
    as a full one (one header row above the limit is allowed)."""
    if number > MAX_ROWS + 1:
        raise unreadable(
            f"表格超过 {MAX_ROWS} 行（空行也算在内），请删去多余的行或分成几个文件导入。",
            f"The sheet has more than {MAX_ROWS} rows (blank ones count too); delete the "
            "extra rows or split it into several files.",
        )


def _add(table: Table, number: int, cells: list[Cell]) -> None:
    if any(_filled(c.value) for c in cells):
        table.rows.append((number, cells))
