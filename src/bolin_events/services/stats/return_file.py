"""The annual return as a file laid out like the paper form: a title, the 填报单位 and period
rows, then 项目 | 单位 | 数量 — each 人次 item on a line of its own, as the form has it —, the
items kept by hand, and apart from them the activities reported to other offices (另报).

Pure functions of an AnnualReturnOut: they run in the worker pool (services.heavy), never on
the event loop.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from bolin_events.schemas.reports import AnnualReturnOut
from bolin_events.services.stats.files import BOM, Cell, defuse

NOT_ENTERED = "未填"
HEADERS: list[Cell] = ["项目", "单位", "数量"]
BESIDE_HEADERS: list[Cell] = ["类别", "场次", "人次"]


@dataclass(frozen=True)
class FormRow:
    """One row of the form; ``kind`` decides its look: title, meta, header, item, people,
    section, note or blank."""

    cells: list[Cell]
    kind: str = "item"


def form_rows(found: AnnualReturnOut, today: date) -> list[FormRow]:
    period = found.period
    rows = [
        FormRow([found.title], "title"),
        FormRow(["填报单位：", None, f"填报日期：{_day(today)}"], "meta"),
        FormRow([f"统计期：{_day(period.first)}至{_day(period.last)}", None, "计量单位：见各项"],
                "meta"),
        FormRow(HEADERS, "header"),
    ]
    for line in found.lines:
        rows.append(FormRow([line.item, line.unit, line.value]))
        rows.append(FormRow([line.people_item, "人次", line.people], "people"))
    online = sum(line.online for line in found.lines)
    if online:
        rows.append(FormRow([f"注：另有线上观看{online}人次（直播等），未计入上列人次。"], "note"))
    for item in found.kept:
        rows.append(FormRow([item.item, item.unit, NOT_ENTERED if item.value is None
                             else item.value]))
    if not found.kept:
        rows.append(FormRow(["注：藏书、书刊外借、业余文艺团队、从业人员、志愿者按年度填报，"
                             "统计期为整年时列出。"], "note"))
    rows += [FormRow([], "blank"), FormRow(["不属于文化站年报的活动（另报）"], "section"),
             FormRow(BESIDE_HEADERS, "header")]
    rows += [FormRow([b.name_zh, b.sessions, b.people]) for b in found.beside]
    notes = [*found.warnings]
    if found.unreported:
        notes.append(f"尚有{found.unreported}场次未上报人次，上列人次偏少。")
    if notes:
        rows.append(FormRow([], "blank"))
        rows += [FormRow([f"说明：{note}"], "note") for note in notes]
    return rows


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def return_csv(found: AnnualReturnOut, today: date) -> bytes:
    """UTF-8 with a BOM, text that Excel would run as a formula defused (services.stats.files)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in form_rows(found, today):
        writer.writerow(["" if v is None else defuse(v) for v in row.cells])
    return (BOM + out.getvalue()).encode("utf-8")


WIDTHS = {"A": 44, "B": 10, "C": 22}


def return_xlsx(found: AnnualReturnOut, today: date) -> bytes:
    """One sheet as the form looks: a merged bold title, bold headings, 人次 items indented,
    notes across the three columns."""
    from openpyxl import Workbook  # heavy: imported when a file is first made
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "年报"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for number, row in enumerate(form_rows(found, today), start=1):
        sheet.append(list(row.cells))
        cells = sheet[number]
        for cell in cells:
            if cell.data_type == "f":  # openpyxl takes any "=…" text for a formula
                cell.data_type = "s"
        if row.kind in ("title", "section", "note"):
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=3)
        if row.kind == "title":
            cells[0].font = Font(bold=True, size=14)
            cells[0].alignment = Alignment(horizontal="center")
        elif row.kind in ("header", "section"):
            for cell in cells:
                cell.font = Font(bold=True)
        elif row.kind == "note":
            cells[0].alignment = Alignment(wrap_text=True)
        if row.kind in ("header", "item", "people"):
            for column in range(1, 4):
                sheet.cell(number, column).border = box
        if row.kind == "people":
            cells[0].alignment = Alignment(indent=2)
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.print_title_rows = "1:4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
