"""Spreadsheet rows → planned events: the header, every row, and ids repeated in the file."""

from __future__ import annotations

from bolin_events.schemas.imports import Problem
from bolin_events.services.imports.columns import BY_KEY, REQUIRED, Column, column_for, problem
from bolin_events.services.imports.reader import Known, RowPlan, RowReader
from bolin_events.services.imports.table import Cell, Table
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings


def map_headers(headers: list[str]) -> tuple[dict[int, Column], list[Problem], list[str]]:
    """(column index → column, file problems, notes about ignored columns)."""
    found: dict[int, Column] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for index, header in enumerate(headers):
        column = column_for(header) if header else None
        if column is None:
            if header:
                notes.append(f"未识别的列「{header}」已忽略 / Unknown column {header!r} ignored")
            continue
        if column in found.values():
            problems.append(
                Problem(
                    column=header,
                    message=f"「{column.zh}」列出现了两次。",
                    message_en=f"The column {column.en!r} appears twice.",
                )
            )
        found[index] = column
    for column in REQUIRED:
        if column not in found.values():
            problems.append(
                Problem(
                    column=column.zh,
                    message=f"表格缺少「{column.zh}」列（英文模板为 “{column.en}”）。"
                    "请使用导入模板。",
                    message_en=f"The sheet has no {column.en!r} column (Chinese: {column.zh}). "
                    "Use the import template.",
                )
            )
    return found, problems, notes


def plan_rows(
    table: Table, refs: RefData, settings: Settings
) -> tuple[list[RowPlan], list[Problem], list[str]]:
    columns, file_problems, notes = map_headers(table.headers)
    if file_problems:
        return [], file_problems, notes
    keys = {c.key for c in columns.values()}
    known = Known(refs, settings)
    plans: list[RowPlan] = []
    seen: dict[str, int] = {}
    for number, row_cells in table.rows:
        values = {
            col.key: row_cells[i] if i < len(row_cells) else Cell(None)
            for i, col in columns.items()
        }
        plan = RowReader(number, values, keys, known).read()
        if plan.planned is not None:
            first = seen.setdefault(plan.external_id, number)
            if first != number:
                plan.problems.append(_duplicate(plan, first, "external_id" in keys))
                plan.planned = None
        plans.append(plan)
    return plans, [], notes


def _duplicate(plan: RowPlan, first: int, has_ids: bool) -> Problem:
    column = BY_KEY["external_id"]
    if has_ids and not plan.external_id.startswith("auto-"):
        return problem(
            column,
            plan.row,
            f"外部编号「{plan.external_id}」与第 {first} 行重复。",
            f'External ID "{plan.external_id}" repeats row {first}.',
            plan.external_id,
        )
    return problem(
        BY_KEY["title_zh"],
        plan.row,
        f"与第 {first} 行的名称、开始时间和场地相同（重复的行？）。",
        f"Same title, start and venue as row {first} (a repeated row?).",
    )
