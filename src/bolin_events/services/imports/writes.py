"""What both imports share on the way to the database: savepoints, sources, plain-word errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import DomainError, InvalidInput, VenueClash
from bolin_events.models import Event
from bolin_events.schemas.imports import ImportCounts, ImportReport, Problem, RowResult
from bolin_events.services import audit
from bolin_events.services.refs import RefData

SHEET_SOURCE = "sheet"
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
RESERVED = ("demo",)


@dataclass(frozen=True)
class Where:
    """How a message names its place: 第 3 行「场地」 / Row 3, Venue, or a feed event's title."""

    zh: str
    en: str
    row: int | None = None
    column: str | None = None


def check_source(source: str, *, sheet: bool) -> None:
    """Spreadsheets use ``sheet`` or ``sheet-…``; feeds any other name (a feed import cancels
    what its source no longer lists, so the two must never share one)."""
    is_sheet = source == SHEET_SOURCE or source.startswith(SHEET_SOURCE + "-")
    if not _SOURCE.match(source) or source in RESERVED or is_sheet != sheet:
        rule_zh = "sheet 或以 sheet- 开头" if sheet else "不能是 sheet、sheet-… 或 demo"
        rule_en = "sheet or sheet-…" if sheet else "not sheet, sheet-… or demo"
        raise InvalidInput(
            f"来源名称「{source}」无效：只用小写字母、数字、-，且{rule_zh}。",
            f"Source name {source!r} is not valid: lowercase letters, digits and -, {rule_en}.",
            [{"field": "source", "value": source}],
        )


async def events_of(session: AsyncSession, source: str) -> dict[str, Event]:
    rows = await session.exec(select(Event).where(Event.source == source))
    return {e.external_id: e for e in rows if e.external_id is not None}


async def in_savepoint(
    session: AsyncSession, work: Callable[[], Awaitable[object]]
) -> DomainError | None:
    """Run ``work``; a rule it breaks undoes only its own changes and comes back as the result."""
    try:
        async with session.begin_nested():
            await work()
    except DomainError as exc:
        return exc
    return None


def explain(exc: DomainError, where: Where, refs: RefData, rows_of: dict[int, int]) -> Problem:
    """The service's error in the words of this import; a clash names the other night."""
    if isinstance(exc, VenueClash) and exc.details:
        return _clash(exc, where, refs, rows_of)
    return Problem(
        row=where.row,
        column=where.column,
        message=f"{where.zh}：{exc.zh}",
        message_en=f"{where.en}: {exc.en}",
    )


def _clash(exc: VenueClash, where: Where, refs: RefData, rows_of: dict[int, int]) -> Problem:
    other = exc.details[0]
    venue = refs.venues.by_slug.get(str(other["venue"]))
    start = datetime.fromisoformat(str(other["start"]))
    end = datetime.fromisoformat(str(other["end"]))
    when = _span(start, end)
    row = rows_of.get(int(other["event_id"] or 0))
    in_file_zh = f"（本表第 {row} 行）" if row else ""
    in_file_en = f" (row {row} of this file)" if row else ""
    place_zh = venue.name_zh if venue else other["venue"]
    return Problem(
        row=where.row,
        column="场地",
        value=str(other["venue"]),
        message=f"{where.zh}：场地冲突，{place_zh} 在 {when} "
        f"已有「{other['title']}」{in_file_zh}。",
        message_en=f"{where.en}: venue clash, {other['venue']} already has "
        f"“{other['title']}” at {when}{in_file_en}.",
    )


def count(results: list[RowResult]) -> ImportCounts:
    counts = ImportCounts()
    for result in results:
        setattr(counts, result.action.value, getattr(counts, result.action.value) + 1)
    return counts


def _span(start: datetime, end: datetime) -> str:
    """19:30–21:30 on one evening; whole days as dates (an all-day event)."""
    if start.time() == end.time() == time(0):
        last = (end - timedelta(days=1)).date()
        return f"{start:%Y-%m-%d}" + (f"–{last:%Y-%m-%d}" if last > start.date() else "")
    if end.date() == start.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


async def record_import(session: AsyncSession, report: ImportReport, what: str) -> None:
    """One audit entry for the import as a whole (each event it wrote has its own)."""
    counts = report.counts.model_dump()
    await audit.record(session, "import", f"{report.kind}:{report.source}", what,
                       {name: [None, number] for name, number in counts.items() if number})
