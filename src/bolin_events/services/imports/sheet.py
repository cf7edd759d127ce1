"""Importing a spreadsheet: every row or none, and nothing at all on a dry run.

Rows are matched to events by (source, external id). A new id creates an event; a known one
is compared field by field and only a row that differs is sent to ``update_event``, so a
second import of the same file changes nothing and no SEQUENCE rises. Rows missing from a
later file are left alone (a file may hold part of a season).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import DomainError, ImportRejected, TooLarge
from bolin_events.models import Event, EventStatus
from bolin_events.schemas.events import EventUpdate, StatusChange
from bolin_events.schemas.imports import Action, ImportReport, RowResult
from bolin_events.services.heavy import off_loop
from bolin_events.services.imports.changes import differences
from bolin_events.services.imports.reader import RowPlan
from bolin_events.services.imports.rows import plan_rows
from bolin_events.services.imports.table import read_table
from bolin_events.services.imports.writes import (
    SHEET_SOURCE,
    Where,
    check_source,
    count,
    events_of,
    explain,
    in_savepoint,
    record_import,
)
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.events import (
    STATUS_ZH,
    change_status,
    create_event,
    update_event,
)
from bolin_events.settings import Settings

Progress = Callable[[int, int], None]


async def import_sheet(
    session: AsyncSession,
    content: bytes,
    filename: str,
    settings: Settings,
    *,
    source: str = SHEET_SOURCE,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Raises ImportRejected (with the report's problems) when a real import finds any."""
    check_source(source, sheet=True)
    if len(content) > settings.import_max_bytes:
        raise TooLarge(
            f"文件超过 {settings.import_max_bytes // 1_000_000} MB，请分成几个文件导入。",
            f"The file is over {settings.import_max_bytes // 1_000_000} MB; split it.",
        )
    refs = await load_refs(session)
    table = await off_loop(read_table, content, filename)
    plans, file_problems, notes = await off_loop(plan_rows, table, refs, settings)
    existing = await events_of(session, source)
    writer = _Writer(session, refs, settings, source)
    results: list[RowResult] = []
    savepoint = await session.begin_nested()
    try:
        for index, plan in enumerate(plans, start=1):
            results.append(await writer.row(plan, existing.get(plan.external_id)))
            if progress is not None:
                progress(index, len(plans))
    except BaseException:
        await savepoint.rollback()
        raise
    problems = file_problems + [p for r in results for p in r.problems]
    write = not problems and not dry_run
    await (savepoint.commit() if write else savepoint.rollback())
    report = ImportReport(
        kind="sheet",
        source=source,
        dry_run=dry_run,
        written=write,
        counts=count(results),
        problems=problems,
        notes=notes,
        rows=results,
    )
    if problems and not dry_run:
        raise SheetRejected(report)
    if write:
        await record_import(session, report, filename)
    return report


class SheetRejected(ImportRejected):
    """Nothing was written; the report says row by row why."""

    def __init__(self, report: ImportReport) -> None:
        bad = len({p.row for p in report.problems if p.row is not None})
        first = report.problems[0]
        super().__init__(
            f"导入未进行：{bad} 行有误，未写入任何数据。第一处：{first.message}",
            f"Nothing was imported: {bad} row(s) have problems. First: {first.message_en}",
            [p.model_dump() for p in report.problems],
        )
        self.report = report


class _Writer:
    def __init__(
        self, session: AsyncSession, refs: RefData, settings: Settings, source: str
    ) -> None:
        self.session, self.refs, self.settings, self.source = session, refs, settings, source
        self.rows_of: dict[int, int] = {}  # event id → the row that created it (for clashes)

    async def row(self, plan: RowPlan, event: Event | None) -> RowResult:
        result = RowResult(
            row=plan.row,
            external_id=plan.external_id,
            title=plan.title,
            action=Action.error,
            event_id=event.id if event else None,
            problems=list(plan.problems),
        )
        if plan.planned is None:
            return result
        if event is None:
            return await self._create(plan, result)
        return await self._update(plan, event, result)

    async def _create(self, plan: RowPlan, result: RowResult) -> RowResult:
        assert plan.planned is not None
        data = plan.planned.data.model_copy(
            update={"status": plan.planned.status or EventStatus.draft}
        )
        made: list[Event] = []

        async def work() -> None:
            event = await create_event(
                self.session,
                data,
                self.settings,
                refs=self.refs,
                source=self.source,
                external_id=plan.external_id,
            )
            made.append(event)

        return self._outcome(plan, result, await in_savepoint(self.session, work), made)

    async def _update(self, plan: RowPlan, event: Event, result: RowResult) -> RowResult:
        assert plan.planned is not None and event.id is not None
        event_id, status = event.id, event.status
        differ, values = differences(
            event,
            plan.planned.data,
            plan.planned.fields,
            self.refs,
            self.settings.max_occurrences_per_series,
        )
        publish = plan.planned.status == EventStatus.published and status == EventStatus.draft
        if plan.planned.status == EventStatus.draft and status != EventStatus.draft:
            shown = STATUS_ZH[status]
            result.notes.append(f"活动已是「{shown}」，不会改回草稿 / it stays {status}")
        if not differ and not publish:
            result.action = Action.unchanged
            return result

        async def work() -> None:
            if differ:
                await update_event(
                    self.session, event_id, EventUpdate(**values), self.settings
                )
            if publish:
                await change_status(
                    self.session, event_id, "publish", StatusChange(), self.settings
                )

        result.changes = differ + (["status"] if publish else [])
        return self._outcome(plan, result, await in_savepoint(self.session, work), [])

    def _outcome(
        self, plan: RowPlan, result: RowResult, error: DomainError | None, made: list[Event]
    ) -> RowResult:
        if error is None:
            result.action = Action.update if result.event_id else Action.create
            if made and made[0].id is not None:
                self.rows_of[made[0].id] = plan.row
            return result
        where = Where(f"第 {plan.row} 行", f"Row {plan.row}", plan.row)
        result.problems.append(explain(error, where, self.refs, self.rows_of))
        result.changes = []
        return result
