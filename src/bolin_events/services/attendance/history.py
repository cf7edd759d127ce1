"""A night's attendance as staff read it: each report revision with what it changed, its
photos, and who filed them.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    AttendanceReport,
    ReportPhoto,
    User,
)
from bolin_events.schemas.attendance import (
    Change,
    PhotoOut,
    ReportHistory,
    ReportOut,
    ReviewFlag,
)
from bolin_events.services.attendance import figures
from bolin_events.services.attendance.access import Reporter, check_village
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.services.scheduling.queries import occurrence_out

COMPARED = ("total", "residents", "visitors", "onsite", "online", "volunteers", "method", "note")


def report_out(
    occ_key: str, report: AttendanceReport, previous: AttendanceReport | None, username: str,
    *, days: int = 1,
) -> ReportOut:
    """``days``: how many days the night runs over (a review flag's text says it per day)."""
    review = []
    if report.review_flag:
        onsite = figures.onsite_figure(report)
        zh, en = figures.review_text(report.review_flag, onsite, report.capacity, days)
        review.append(ReviewFlag(code=report.review_flag, message=zh, message_en=en))
    changes = []
    if previous is not None:
        changes = [
            Change(field=name, before=getattr(previous, name), after=getattr(report, name))
            for name in COMPARED
            if getattr(previous, name) != getattr(report, name)
        ]
    return ReportOut(
        id=report.id,
        occurrence_id=occ_key,
        revision=report.revision,
        **report.model_dump(include=set(COMPARED) | {"reason", "reported_at"}),
        reported_by=username,
        needs_review=report.review_flag is not None,
        review=review,
        changes=changes,
    )


def photo_out(occ_key: str, photo: ReportPhoto, revision: int, username: str) -> PhotoOut:
    return PhotoOut(
        id=photo.id or 0,
        occurrence_id=occ_key,
        revision=revision,
        **photo.model_dump(
            include={"content_type", "size", "width", "height", "filename", "taken_at"}
        ),
        uploaded_by=username,
        uploaded_at=photo.uploaded_at,
        url=f"/api/v1/photos/{photo.id}",
    )


async def usernames(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    rows = await session.exec(select(User.id, User.username).where(col(User.id).in_(ids)))
    return {user_id or 0: name for user_id, name in rows}


async def history(session: AsyncSession, key: str, reader: Reporter) -> ReportHistory:
    """A night's ledger, for staff who may read it (a reporter: their own villages' nights)."""
    event, occ = await get_occurrence(session, key)
    check_village(await load_refs(session), occ, reader)
    occ_key = occurrence_id(event, occ)
    reports = list(
        await session.exec(
            select(AttendanceReport)
            .where(AttendanceReport.occurrence_id == occ.id)
            .order_by(col(AttendanceReport.revision))
        )
    )
    photos = list(
        await session.exec(
            select(ReportPhoto)
            .where(ReportPhoto.occurrence_id == occ.id)
            .order_by(col(ReportPhoto.id))
        )
    )
    names = await usernames(
        session, {r.reported_by for r in reports} | {p.uploaded_by for p in photos}
    )
    days = figures.days_spanned(occ.starts_at, occ.ends_at)
    revisions = [
        report_out(occ_key, r, reports[i - 1] if i else None, names[r.reported_by], days=days)
        for i, r in enumerate(reports)
    ]
    revision_of = {r.id: r.revision for r in reports}
    return ReportHistory(
        occurrence=occurrence_out(await load_refs(session), occ, event),
        current=revisions[-1] if revisions else None,
        revisions=revisions,
        photos=[
            photo_out(occ_key, p, revision_of[p.report_id], names[p.uploaded_by]) for p in photos
        ],
    )


async def occurrence_only(session: AsyncSession, key: str) -> ReportHistory:
    """The night without its figures: what a page shows someone it refuses the ledger."""
    event, occ = await get_occurrence(session, key)
    return ReportHistory(occurrence=occurrence_out(await load_refs(session), occ, event),
                         current=None, revisions=[], photos=[])
