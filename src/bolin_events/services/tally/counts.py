"""Counting at the gates: opening a night's tally, its entrances, and the batches phones send.

A batch is stored once per (entrance, key): the phone makes the key, so a batch sent again
after a dropped connection — or twice at once — counts once. Each batch takes its entrance's
row lock (PostgreSQL; SQLite writes one transaction at a time), so two phones at one gate
never take the count below zero between them, and the entrance's running sums always equal
its batches. The tally's row is held shared meanwhile, so closing waits for batches in flight
and every later one sees it closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import IdempotencyKeyReused, InvalidInput, not_found
from bolin_events.models import Tally, TallyBatch, TallyEntrance, TallyState, utcnow
from bolin_events.schemas.tally import BatchIn, BatchOut, EntranceIn, EntranceOut
from bolin_events.services.attendance.access import Reporter
from bolin_events.services.attendance.figures import MAX_COUNT
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.tally.figures import (
    check_countable,
    find_tally,
    night_for,
    tally_closed,
    tally_out,
)
from bolin_events.settings import Settings

MAX_ENTRANCES = 20
"""Gates of one night: a square has a few; twenty keeps the report's note readable."""


class Added(NamedTuple):
    entrance: EntranceOut
    created: bool


async def add_entrance(
    session: AsyncSession,
    key: str,
    data: EntranceIn,
    reporter: Reporter,
    refs: RefData,
    settings: Settings,
) -> Added:
    """The entrance of that name, made (and the night's tally opened) if need be: two phones
    typing 东门 at once get the same one."""
    event, occ = await night_for(session, key, reporter, refs)
    await check_countable(session, event, occ, settings)
    assert occ.id is not None
    tally = await find_tally(session, occ.id, lock="share") or await _open(
        session, occ.id, bool(data.split), reporter.user_id
    )
    if tally.state == TallyState.closed:
        raise tally_closed()
    assert tally.id is not None
    found = await _entrance_named(session, tally.id, data.name)
    if found is not None:
        return Added(_entrance_out(found), created=False)
    await _check_room(session, tally.id)
    entrance = TallyEntrance(tally_id=tally.id, name=data.name, created_by=reporter.user_id)
    try:
        async with session.begin_nested():
            session.add(entrance)
    except IntegrityError:  # another phone added it this instant: it is the same entrance
        found = await _entrance_named(session, tally.id, data.name)
        assert found is not None
        return Added(_entrance_out(found), created=False)
    return Added(_entrance_out(entrance), created=True)


async def _open(session: AsyncSession, occ_id: int, split: bool, user_id: int) -> Tally:
    tally = Tally(occurrence_id=occ_id, split=split, opened_by=user_id)
    try:
        async with session.begin_nested():
            session.add(tally)
    except IntegrityError:  # opened by another phone this instant: join it
        found = await find_tally(session, occ_id, lock="share")
        assert found is not None
        return found
    return tally


async def _entrance_named(session: AsyncSession, tally_id: int, name: str) -> TallyEntrance | None:
    query = select(TallyEntrance).where(
        TallyEntrance.tally_id == tally_id, TallyEntrance.name == name
    )
    return (await session.exec(query)).first()


async def _check_room(session: AsyncSession, tally_id: int) -> None:
    query = select(func.count()).where(TallyEntrance.tally_id == tally_id)
    if (await session.exec(query)).one() >= MAX_ENTRANCES:
        raise InvalidInput(
            f"一场最多 {MAX_ENTRANCES} 个入口；请选用已有的入口。",
            f"A night has at most {MAX_ENTRANCES} entrances; pick one of those.",
            [{"field": "name", "max": MAX_ENTRANCES}],
        )


def _entrance_out(entrance: TallyEntrance) -> EntranceOut:
    assert entrance.id is not None
    return EntranceOut(id=entrance.id, name=entrance.name, count=entrance.count,
                       residents=entrance.residents, visitors=entrance.visitors)


async def add_batch(
    session: AsyncSession,
    key: str,
    entrance_id: int,
    data: BatchIn,
    reporter: Reporter,
    refs: RefData,
    now: datetime | None = None,
) -> BatchOut:
    """Count one batch (or, for a key already counted, just say the figures again)."""
    now = now or utcnow()
    event, occ = await night_for(session, key, reporter, refs)
    assert occ.id is not None
    tally = await find_tally(session, occ.id, lock="share")
    entrance = await _locked_entrance(session, tally, entrance_id)
    assert tally is not None
    earlier = (
        await session.exec(
            select(TallyBatch).where(
                TallyBatch.entrance_id == entrance_id, TallyBatch.key == data.key
            )
        )
    ).first()
    if earlier is not None:
        _check_same(earlier, data)
    else:
        if tally.state == TallyState.closed:
            raise tally_closed()
        _check_batch(tally, entrance, data)
        session.add(TallyBatch(entrance_id=entrance_id, key=data.key, delta=data.delta,
                               residents=data.residents, visitors=data.visitors,
                               sent_by=reporter.user_id, received_at=now))
        entrance.count += data.delta
        entrance.residents += data.residents
        entrance.visitors += data.visitors
        session.add(entrance)
        await session.flush()
    figures = await tally_out(session, occurrence_id(event, occ), tally, now)
    return BatchOut(**figures.model_dump(), entrance_id=entrance_id, counted=earlier is None)


async def _locked_entrance(
    session: AsyncSession, tally: Tally | None, entrance_id: int
) -> TallyEntrance:
    missing = not_found("入口", "entrance", entrance_id)
    if tally is None:
        raise missing
    query = (
        select(TallyEntrance)
        .where(col(TallyEntrance.id) == entrance_id, TallyEntrance.tally_id == tally.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    entrance = (await session.exec(query)).first()
    if entrance is None:
        raise missing
    return entrance


def _check_same(earlier: TallyBatch, data: BatchIn) -> None:
    if (earlier.delta, earlier.residents, earlier.visitors) != (
        data.delta, data.residents, data.visitors
    ):
        raise IdempotencyKeyReused(
            "这一批的编号已用于另一批不同的计数；新的一批请换一个新编号。",
            "This batch key was already used for a different batch; send a new key.",
            [{"field": "key", "value": data.key}],
        )


def _check_batch(tally: Tally, entrance: TallyEntrance, data: BatchIn) -> None:
    """The batch's parts fit the tally, and no figure of the entrance goes below zero."""
    if not tally.split and (data.residents or data.visitors):
        raise InvalidInput(
            "本场计数不分本地/外地，residents 和 visitors 须为 0。",
            "This tally does not count residents and visitors apart: send them as 0.",
            [{"field": "residents"}, {"field": "visitors"}],
        )
    if not (data.delta or data.residents or data.visitors):
        raise InvalidInput("这一批是空的（全为 0）。", "The batch is empty (all 0).",
                           [{"field": "delta"}])
    unsorted = entrance.count - entrance.residents - entrance.visitors
    for zh, en, now, step in (
        ("人数", "count", entrance.count, data.delta),
        ("本地人数", "residents", entrance.residents, data.residents),
        ("外地人数", "visitors", entrance.visitors, data.visitors),
        ("未分本地/外地的人数", "people not asked", unsorted,
         data.delta - data.residents - data.visitors),
    ):
        if now + step < 0:
            raise InvalidInput(
                f"{entrance.name}的{zh}不能少于 0（现有 {now}）；这一批没有计入。",
                f"The {en} at {entrance.name} cannot go below 0 (it is {now}); "
                "the batch was not counted.",
                [{"field": "delta", "entrance": entrance.name, "now": now}],
            )
    if entrance.count + data.delta > MAX_COUNT:
        raise InvalidInput(
            f"{entrance.name}的人数超过上限 {MAX_COUNT:,}。",
            f"The count at {entrance.name} would pass the limit of {MAX_COUNT:,}.",
            [{"field": "delta", "max": MAX_COUNT}],
        )
