"""Closing a night's tally: it becomes the night's attendance report (method 计数器).

The report is filed through the attendance rules like any other (the night held, its year
open, a reporter's own village, a reason for a correction); the entrances and their batches
stay as the report's breakdown. After closing the tally takes no more counting: the figures
are corrected, if need be, as a new revision of the report.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput
from bolin_events.models import CountingMethod, TallyState, utcnow
from bolin_events.schemas.attendance import ReportIn, ReportOut
from bolin_events.schemas.tally import CloseIn, EntranceOut, TallyOut
from bolin_events.services.attendance.access import Reporter
from bolin_events.services.attendance.reports import file_report, latest_report
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.tally.figures import find_tally, night_for, tally_closed, tally_out
from bolin_events.settings import Settings

NOTE_LIMIT = 1000  # attendance_report.note


def breakdown_note(figures: TallyOut) -> str:
    """The report's note: the count of every entrance, e.g. "入口计数：东门 120，南门 95"."""

    def one(e: EntranceOut) -> str:
        split = f"（本地 {e.residents}，外地 {e.visitors}）" if figures.split else ""
        return f"{e.name} {e.count}{split}"

    note = "入口计数：" + "，".join(one(e) for e in figures.entrances)
    unsorted = figures.total - figures.residents - figures.visitors
    if figures.split and unsorted:
        note += (f"。合计本地 {figures.residents}，外地 {figures.visitors}，"
                 f"未分本地外地 {unsorted}")
    return note[:NOTE_LIMIT]


def report_of(figures: TallyOut, reason: str | None) -> ReportIn:
    """Residents and visitors go into the report only when they cover everyone counted (the
    report's rule); otherwise the note keeps them."""
    covered = figures.split and figures.residents + figures.visitors == figures.total
    return ReportIn(
        total=figures.total,
        residents=figures.residents if covered else None,
        visitors=figures.visitors if covered else None,
        method=CountingMethod.clicker,
        note=breakdown_note(figures),
        reason=reason,
    )


async def close_tally(
    session: AsyncSession,
    key: str,
    data: CloseIn,
    reporter: Reporter,
    refs: RefData,
    settings: Settings,
    now: datetime | None = None,
) -> ReportOut:
    """File the tally as the night's report (the next revision when it has one) and close it."""
    now = now or utcnow()
    event, occ = await night_for(session, key, reporter, refs)
    assert occ.id is not None
    tally = await find_tally(session, occ.id, lock="update")
    if tally is None:
        raise Conflict("本场还没有开始计数。", "Nobody has opened this night's tally.")
    if tally.state == TallyState.closed:
        raise tally_closed()
    figures = await tally_out(session, occurrence_id(event, occ), tally, now)
    if not figures.entrances:
        raise Conflict("本场计数还没有入口。", "The tally has no entrance yet.")
    latest = await latest_report(session, occ.id)
    if latest is not None and not data.reason:
        raise InvalidInput(
            f"该场次已上报（第 {latest.revision} 版，总人次 {latest.total}）。结束计数将上报"
            f"更正版（总人次 {figures.total}），请填写更正原因。",
            f"The night was already reported (revision {latest.revision}, total "
            f"{latest.total}). Closing files a correction (total {figures.total}): give a reason.",
            [{"field": "reason", "revision": latest.revision, "total": latest.total}],
        )
    filed = await file_report(
        session, key, report_of(figures, data.reason if latest else None), reporter, settings,
        now=now,
    )
    tally.state = TallyState.closed
    tally.closed_by, tally.closed_at, tally.report_id = reporter.user_id, now, filed.id
    session.add(tally)
    await session.flush()
    return filed
