"""Filing attendance reports: when a night may be reported, and how revisions are numbered.

A report is never changed: a correction is the next revision of the same occurrence, and the
latest one counts. Two reporters filing at the same moment race for the next revision
number; the unique constraint (occurrence_id, revision) lets one win, and the other reads
again and takes the number after it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput
from bolin_events.models import (
    AttendanceReport,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    utcnow,
)
from bolin_events.schemas.attendance import ReportIn, ReportOut
from bolin_events.services.attendance import figures
from bolin_events.services.attendance.access import Reporter, check_village
from bolin_events.services.attendance.history import COMPARED, report_out
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.services.timing import zone
from bolin_events.services.years import ensure_open, year_of
from bolin_events.settings import Settings

log = logging.getLogger(__name__)
RACE_ATTEMPTS = 50


async def latest_report(session: AsyncSession, occ_id: int) -> AttendanceReport | None:
    query = (
        select(AttendanceReport)
        .where(AttendanceReport.occurrence_id == occ_id)
        .order_by(col(AttendanceReport.revision).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


def check_held(event: Event, occ: Occurrence, settings: Settings, now: datetime) -> None:
    """Only a night that takes place can have an audience; refuse the others with the reason."""
    why, why_en = _because(event.status_reason)
    if event.status == EventStatus.draft:
        raise Conflict("该活动还是草稿，未发布，不能上报人次。", "The event is a draft.")
    if event.status == EventStatus.cancelled:
        raise Conflict(
            f"整个活动已取消{why}，不能上报人次。", f"The whole event is cancelled{why_en}."
        )
    if event.status == EventStatus.postponed:
        raise Conflict(f"活动已延期{why}，不能上报人次。", f"The event is postponed{why_en}.")
    if occ.state == OccurrenceState.skipped:
        raise Conflict("这一场不举办，不能上报人次。", "This night was skipped.")
    if occ.state == OccurrenceState.cancelled:
        why, why_en = _because(occ.reason)
        raise Conflict(f"该场次已取消{why}，不能上报人次。", f"This night was cancelled{why_en}.")
    opens = occ.starts_at - timedelta(minutes=settings.report_grace_minutes)
    if now < opens:
        local = opens.astimezone(zone(event.timezone)).strftime("%Y-%m-%d %H:%M")
        raise Conflict(
            f"场次尚未开始，{local} 起才能上报。",
            f"The occurrence has not started; reports open at {local}.",
            [{"field": "occurrence_id", "opens": local}],
        )


async def check_year_open(session: AsyncSession, occ: Occurrence, settings: Settings) -> None:
    """A night of a closed year (封账) takes no new revision: its year's figures are frozen."""
    await ensure_open(session, year_of(occ.starts_at, zone(settings.timezone)))


def _because(reason: str | None) -> tuple[str, str]:
    return (f"（{reason}）", f" ({reason})") if reason else ("", "")


def check_figures(data: ReportIn) -> None:
    found = figures.problems(data)
    if found:
        raise InvalidInput(
            "人次数字有误：" + "；".join(p.zh.rstrip("。") for p in found) + "。",
            "The figures do not add up: " + " ".join(p.en for p in found),
            [p.as_detail() for p in found],
        )


def check_correction(latest: AttendanceReport | None, data: ReportIn) -> None:
    if latest is None:
        return
    if not data.reason:
        raise Conflict(
            f"该场次已上报（第 {latest.revision} 版，总人次 {latest.total}）。"
            "如需更正，请填写更正原因。",
            f"Already reported (revision {latest.revision}, total {latest.total}). "
            "To correct it, send a reason.",
            [{"field": "reason", "revision": latest.revision, "total": latest.total}],
        )
    if all(getattr(latest, name) == getattr(data, name) for name in COMPARED):
        raise Conflict(
            f"与第 {latest.revision} 版相同，无需更正。",
            f"Nothing differs from revision {latest.revision}.",
            [{"revision": latest.revision}],
        )


def capacity_of(refs: RefData, event: Event, occ: Occurrence) -> int | None:
    venue = refs.venues.by_id.get(occ.venue_id or -1)
    return (venue.capacity if venue else None) or event.capacity


async def file_report(
    session: AsyncSession,
    key: str,
    data: ReportIn,
    reporter: Reporter,
    settings: Settings,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ReportOut:
    """File the next revision (or, in a dry run, say what it would be without writing)."""
    now = now or utcnow()
    event, occ = await get_occurrence(session, key)
    refs = await load_refs(session)
    check_village(refs, occ, reporter)
    check_held(event, occ, settings, now)
    await check_year_open(session, occ, settings)
    check_figures(data)
    capacity = capacity_of(refs, event, occ)
    days = figures.days_spanned(occ.starts_at, occ.ends_at)
    assert occ.id is not None
    for _ in range(RACE_ATTEMPTS):
        latest = await latest_report(session, occ.id)
        check_correction(latest, data)
        report = AttendanceReport(
            occurrence_id=occ.id,
            revision=latest.revision + 1 if latest else 1,
            **data.model_dump(include=set(COMPARED) | {"reason"}),
            capacity=capacity,
            review_flag=figures.review_flag(data, capacity, days),
            reported_by=reporter.user_id,
            reported_at=now,
        )
        if not dry_run:
            try:
                async with session.begin_nested():
                    session.add(report)
            except IntegrityError:  # another report took this revision number: read again
                log.debug("revision %s of occurrence %s was taken; retrying", report.revision, key)
                continue
        out = report_out(occurrence_id(event, occ), report, latest, reporter.username, days=days)
        return out.model_copy(update={"dry_run": dry_run})
    raise Conflict(
        "此场次正有多人同时上报，请稍后重试。",
        "Many reports for this occurrence are arriving at once; retry shortly.",
    )
