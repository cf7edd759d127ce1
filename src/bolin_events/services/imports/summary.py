"""An import report as the lines a person reads on a terminal, Chinese first."""

from __future__ import annotations

from bolin_events.schemas.imports import Action, ImportReport, RowResult
from bolin_events.services.imports.columns import BY_KEY

ACTION_WORDS = {
    Action.create: "新建 create",
    Action.update: "更新 update",
    Action.unchanged: "不变 unchanged",
    Action.cancel: "取消 cancel",
    Action.error: "有误 error",
    Action.skip: "未导入 skip",
}


def _changes(result: RowResult) -> str:
    if not result.changes:
        return ""
    zh = "、".join(BY_KEY[c].zh if c in BY_KEY else c for c in result.changes)
    en = ", ".join(BY_KEY[c].en.lower() if c in BY_KEY else c for c in result.changes)
    return f"（{zh} / {en}）"


def _place(result: RowResult) -> str:
    return f"第 {result.row} 行" if result.row is not None else result.external_id[:40]


def report_lines(report: ImportReport, *, unchanged: bool = False) -> list[str]:
    """Every row that does something (and the unchanged ones when asked), then the problems."""
    lines = []
    for result in report.rows:
        if result.action == Action.unchanged and not unchanged:
            continue
        if result.action in (Action.error, Action.skip) and result.problems:
            continue  # told below, in full
        lines.append(
            f"{_place(result):10} {ACTION_WORDS[result.action]:16} {result.title}{_changes(result)}"
        )
        lines.extend(f"{'':10} 注意 note: {note}" for note in result.notes)
    if report.problems:
        lines.append("问题 / problems:")
        for problem in report.problems:
            lines.append(f"  {problem.message}")
            lines.append(f"  {problem.message_en}")
    lines.extend(f"注意 / note: {note}" for note in report.notes)
    counts = report.counts
    total = " · ".join(
        f"{ACTION_WORDS[action]} {getattr(counts, action.value)}"
        for action in Action
        if getattr(counts, action.value) or action in (Action.create, Action.update)
    )
    lines.append(f"合计 / total: {total}")
    if report.written and not (counts.create or counts.update or counts.cancel):
        lines.append("没有需要改动的 / nothing to change.")
    elif report.written:
        lines.append("已写入 / saved.")
    elif report.dry_run:
        lines.append("试运行，未写入任何数据 / dry run: nothing was saved.")
    else:
        lines.append("有问题，未写入任何数据 / problems found: nothing was saved.")
    return lines
