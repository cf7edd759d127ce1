"""The lists staff work from: held nights still to report, the reports filed most recently, and
a period's reports flagged for a second look (e.g. far over the venue's capacity).

The last two list an occurrence's *latest* revision only — the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, exists, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bolin_events.models import (
    AttendanceReport,
    Event,
    EventStatus,
    Occurrence,
)
from bolin_events.schemas.attendance import (
    ReportOut,
)
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.attendance import figures
from bolin_events.services.attendance.held import HELD, is_held, is_latest
from bolin_events.services.attendance.history import report_out, usernames
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import occurrence_out

RECENT = timedelta(days=7)
"""A reporter's list starts with the nights that ended this past week: the ones still in mind
and on paper; older ones are counted and one link away."""


async def pending(
    session: AsyncSession,
    refs: RefData,
    village_ids: set[int] | None,
    now: datetime,
    limit: int,
    offset: int,
    *,
    ended_after: datetime | None = None,
) -> tuple[list[OccurrenceOut], int]:
    """Nights that were held (ended by ``now``, not skipped or cancelled, event published) and
    have no report yet, oldest first; ``ended_after`` keeps the recent ones only."""
    reported = exists().where(col(AttendanceReport.occurrence_id) == col(Occurrence.id))
    query = (
        select(Occurrence, Event)
        .join(Event, col(Event.id) == Occurrence.event_id)
        .where(
            Event.status == EventStatus.published,
            col(Occurrence.state).in_(HELD),
            Occurrence.ends_at <= now,
            ~reported,
        )
    )
    if ended_after is not None:
        query = query.where(Occurrence.ends_at > ended_after)
    if village_ids is not None:
        query = query.where(col(Occurrence.venue_id).in_(refs.venues_in(village_ids)))
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    rows = await session.exec(
        query.order_by(col(Occurrence.starts_at), col(Occurrence.id)).offset(offset).limit(limit)
    )
    return [occurrence_out(refs, o, e) for o, e in rows], total


LatestReports = Select[AttendanceReport, Occurrence, Event]


@dataclass(frozen=True)
class ListedReport:
    occurrence: OccurrenceOut
    report: ReportOut


def _latest_reports() -> LatestReports:
    return (
        select(AttendanceReport, Occurrence, Event)
        .join(Occurrence, col(Occurrence.id) == col(AttendanceReport.occurrence_id))
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(is_latest(AttendanceReport))
    )


async def _listed(session: AsyncSession, refs: RefData, query: LatestReports) -> list[ListedReport]:
    rows = list(await session.exec(query))
    names = await usernames(session, {report.reported_by for report, _, _ in rows})
    listed = []
    for report, occ, event in rows:
        out = occurrence_out(refs, occ, event)
        days = figures.days_spanned(occ.starts_at, occ.ends_at)
        filed = report_out(out.id, report, None, names[report.reported_by], days=days)
        listed.append(ListedReport(out, filed))
    return listed


async def recently_reported(
    session: AsyncSession, refs: RefData, village_ids: set[int] | None, limit: int
) -> list[ListedReport]:
    """The occurrences whose latest report was filed most recently, newest first."""
    query = _latest_reports()
    if village_ids is not None:
        query = query.where(col(Occurrence.venue_id).in_(refs.venues_in(village_ids)))
    query = query.order_by(
        col(AttendanceReport.reported_at).desc(), col(AttendanceReport.id).desc()
    ).limit(limit)
    return await _listed(session, refs, query)


async def flagged(
    session: AsyncSession, refs: RefData, start: datetime, end: datetime, now: datetime
) -> list[ListedReport]:
    """Held occurrences starting in [start, end) whose latest report carries a review flag,
    oldest first."""
    query = (
        _latest_reports()
        .where(*is_held(start, end, now), col(AttendanceReport.review_flag).is_not(None))
        .order_by(col(Occurrence.starts_at), col(Occurrence.id))
    )
    return await _listed(session, refs, query)
