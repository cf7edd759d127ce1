"""Reading a night's tally: which night may be counted, by whom, and its figures.

The figures are read from the entrances' running sums (a handful of rows), which each batch
keeps under its entrance's row lock; every phone polls this every two seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict
from bolin_events.models import (
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    Tally,
    TallyEntrance,
    TallyState,
    utcnow,
)
from bolin_events.schemas.tally import EntranceOut, TallyOut
from bolin_events.services.attendance.access import Reporter, check_village
from bolin_events.services.attendance.reports import check_year_open
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.settings import Settings

CLOSED = (
    "本场计数已结束，如需更正请在人次上报中更正。",
    "This night's tally is closed; correct the figures in the night's attendance report.",
)


def tally_closed() -> Conflict:
    return Conflict(*CLOSED, [{"state": "closed"}])


async def night_for(
    session: AsyncSession, key: str, reporter: Reporter, refs: RefData
) -> tuple[Event, Occurrence]:
    """The night, for staff who may work its gates (a reporter: their own villages' nights)."""
    event, occ = await get_occurrence(session, key)
    check_village(refs, occ, reporter)
    return event, occ


async def check_countable(
    session: AsyncSession, event: Event, occ: Occurrence, settings: Settings
) -> None:
    """Only a night that takes place has people coming through its gates, and only a night of
    an open year takes counts (a closed year's figures are frozen)."""
    if event.status == EventStatus.draft:
        raise Conflict("该活动还是草稿，未发布，不能计数。", "The event is a draft.")
    if event.status == EventStatus.cancelled:
        raise Conflict("整个活动已取消，不能计数。", "The whole event is cancelled.")
    if event.status == EventStatus.postponed:
        raise Conflict("活动已延期，不能计数。", "The event is postponed.")
    if occ.state == OccurrenceState.skipped:
        raise Conflict("这一场不举办，不能计数。", "This night was skipped.")
    if occ.state == OccurrenceState.cancelled:
        raise Conflict("该场次已取消，不能计数。", "This night was cancelled.")
    await check_year_open(session, occ, settings)


async def find_tally(
    session: AsyncSession, occ_id: int, *, lock: str | None = None
) -> Tally | None:
    """The night's tally, read afresh; ``lock`` "share" keeps it from closing meanwhile (each
    batch), "update" keeps batches out while it closes (PostgreSQL; SQLite writes one at a time
    anyway)."""
    query = select(Tally).where(Tally.occurrence_id == occ_id)
    if lock is not None:
        query = query.with_for_update(read=lock == "share")
    return (await session.exec(query.execution_options(populate_existing=True))).first()


async def entrances_of(session: AsyncSession, tally_id: int) -> list[EntranceOut]:
    rows = await session.exec(
        select(  # type: ignore[call-overload]
            TallyEntrance.id,
            TallyEntrance.name,
            TallyEntrance.count,
            TallyEntrance.residents,
            TallyEntrance.visitors,
        )
        .where(TallyEntrance.tally_id == tally_id)
        .order_by(col(TallyEntrance.id))
    )
    return [
        EntranceOut.model_construct(id=i, name=n, count=c, residents=r, visitors=v)
        for i, n, c, r, v in rows
    ]


async def tally_out(
    session: AsyncSession, night: str, tally: Tally | None, now: datetime | None = None
) -> TallyOut:
    now = now or utcnow()
    if tally is None or tally.id is None:
        return TallyOut(night=night, state="none", split=False, total=0, residents=0,
                        visitors=0, entrances=[], as_of=now)
    entrances = await entrances_of(session, tally.id)
    return TallyOut(
        night=night,
        state="closed" if tally.state == TallyState.closed else "open",
        split=tally.split,
        total=sum(e.count for e in entrances),
        residents=sum(e.residents for e in entrances),
        visitors=sum(e.visitors for e in entrances),
        entrances=entrances,
        closed_at=tally.closed_at,
        report_id=tally.report_id,
        as_of=now,
    )


async def figures_of(session: AsyncSession, event: Event, occ: Occurrence) -> TallyOut:
    """The night's figures per entrance ("none" before anyone opened its tally)."""
    assert occ.id is not None
    return await tally_out(session, occurrence_id(event, occ), await find_tally(session, occ.id))


async def night_tally(
    session: AsyncSession, key: str, reporter: Reporter, refs: RefData
) -> TallyOut:
    """The figures of the night ``key``, for staff who may work its gates."""
    event, occ = await night_for(session, key, reporter, refs)
    return await figures_of(session, event, occ)
