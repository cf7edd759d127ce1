"""CSV and XLSX files of a table, safe to open in Excel.

CSV is UTF-8 with a byte-order mark (without it Excel reads Chinese as GBK and garbles it);
a text cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe,
so Excel never runs it as a formula (CSV injection). XLSX cells are typed: text stays text.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

Cell = str | int | float | date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    totals: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)

    def all_rows(self) -> list[list[Cell]]:
        return self.rows + ([self.totals] if self.totals else [])


def defuse(value: Cell) -> Cell:
    """Text a spreadsheet would read as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(h) for h in table.headers])
    for row in table.all_rows():
        writer.writerow(["" if v is None else defuse(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def display_width(value: Cell) -> int:
    """Columns a value takes on screen: Chinese characters are two wide."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_xlsx(table: Table) -> bytes:
    """The table on one sheet — a bold frozen header row, fitted column widths, a bold totals
    row — and its notes on a second."""
    from openpyxl import Workbook  # heavy: imported when a file is first made
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]  # Excel's limit for a sheet name
    sheet.append(table.headers)
    for row in table.all_rows():
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if table.totals:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if cell.data_type == "f":  # openpyxl takes any "=…" text for a formula
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, header in enumerate(table.headers, start=1):
        widest = max([display_width(header)] + [display_width(r[index - 1]) for r in table.rows])
        width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    if table.notes:  # on a sheet of their own, so the table stays sortable
        notes = book.create_sheet("说明")
        for note in table.notes:
            notes.append([note])
        notes.column_dimensions["A"].width = MAX_WIDTH * 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
