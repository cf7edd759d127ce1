"""The downloadable XLSX template: an empty events sheet, how to fill it, and the names to use.

Drop-down lists come from the reference data, so the template is made per request; they only
suggest (a slug typed by hand is accepted too).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bolin_events.services.imports.columns import COLUMNS, Lang
from bolin_events.services.imports.mapping import Named
from bolin_events.services.imports.phrases import __doc__ as PHRASES_DOC
from bolin_events.services.refs import RefData

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


TITLES = {
    "zh": ("活动", "填写说明", "参考"),
    "en": ("Events", "How to fill", "Reference"),
}
CHOICES = {
    "zh": {"all_day": "是,否", "status": "草稿,已发布"},
    "en": {"all_day": "yes,no", "status": "draft,published"},
}
REQUIRED_COLOUR, OPTIONAL_COLOUR = "FFE699", "DDEBF7"
ROWS_WITH_LISTS = 2000


def template_bytes(refs: RefData, lang: Lang = "zh") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    events = book.active
    assert events is not None
    events.title, help_title, ref_title = TITLES[lang]
    _help(book.create_sheet(help_title), lang)
    lists = _reference(book.create_sheet(ref_title), refs, lang)
    _events(events, lang, lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _events(sheet: Worksheet, lang: Lang, lists: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header(lang))
        cell.font = Font(bold=True)
        colour = REQUIRED_COLOUR if column.required else OPTIONAL_COLOUR
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.comment = Comment(column.help_zh if lang == "zh" else column.help_en, "bolin-events")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 28 if column.key in ("title_zh", "rrule") else 16
        cells = f"{letter}2:{letter}{ROWS_WITH_LISTS}"
        if column.key in ("start", "end"):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd hh:mm"
        formula = lists.get(column.key) or _inline(CHOICES[lang].get(column.key))
        if formula:
            rule = DataValidation(type="list", formula1=formula, allow_blank=True)
            rule.showErrorMessage = False  # a suggestion, not a cage: slugs are fine too
            rule.add(cells)
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _inline(choices: str | None) -> str | None:
    return f'"{choices}"' if choices else None


def _reference(sheet: Worksheet, refs: RefData, lang: Lang) -> dict[str, str]:
    """One block of columns per kind; returns the list formula for each column that uses it."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    kinds: list[tuple[str, str, str, Iterable[Named]]] = [
        ("category", "类别", "Category", refs.categories.by_id.values()),
        ("venue", "场地", "Venue", refs.venues.by_id.values()),
        ("village", "村", "Village", refs.villages.by_id.values()),
        ("organizer", "主办单位", "Organizer", refs.organizers.by_id.values()),
        ("programme", "活动项目", "Programme", refs.programmes.by_id.values()),
    ]
    lists: dict[str, str] = {}
    for block, (key, zh, en, rows) in enumerate(kinds):
        first = block * 4 + 1
        headers = (zh, "English", "标识 slug") if lang == "zh" else (en, "中文", "slug")
        for offset, header in enumerate(headers):
            cell = sheet.cell(row=1, column=first + offset, value=header)
            cell.font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(first + offset)].width = 22
        ordered = sorted(rows, key=lambda r: r.slug)
        for number, row in enumerate(ordered, start=2):
            main, other = (
                (row.name_zh, row.name_en)
                if lang == "zh"
                else (row.name_en or row.name_zh, row.name_zh)
            )
            sheet.cell(row=number, column=first, value=main)
            sheet.cell(row=number, column=first + 1, value=other)
            sheet.cell(row=number, column=first + 2, value=row.slug)
        if ordered:
            letter = get_column_letter(first)
            lists[key] = f"'{sheet.title}'!${letter}$2:${letter}${len(ordered) + 1}"
    return lists


def _help(sheet: Worksheet, lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font

    heads = (
        ("列", "必填", "说明", "示例") if lang == "zh" else ("Column", "Required", "How", "Example")
    )
    for index, head in enumerate(heads, start=1):
        sheet.cell(row=1, column=index, value=head).font = Font(bold=True)
    for number, column in enumerate(COLUMNS, start=2):
        required = ("是" if lang == "zh" else "yes") if column.required else ""
        how = column.help_zh if lang == "zh" else column.help_en
        for index, value in enumerate((column.header(lang), required, how, column.example), 1):
            sheet.cell(row=number, column=index, value=value)
    row = len(COLUMNS) + 3
    sheet.cell(row=row, column=1, value="重复 / Repeat").font = Font(bold=True)
    for offset, line in enumerate((PHRASES_DOC or "").strip().splitlines(), start=1):
        sheet.cell(row=row + offset, column=1, value=line.strip() or None)
    for letter, width in zip("ABCD", (22, 8, 70, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2, max_col=3):
        cells[2].alignment = Alignment(wrap_text=True, vertical="top")
