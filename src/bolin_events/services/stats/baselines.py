"""Baselines entered by hand (the first year of use has no data for the year before): a
year's totals per counting group, with where they came from. The review's 同比 of the next
year compares with them instead of the data (services.stats.review)."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import NotFound
from bolin_events.models import YearBaseline
from bolin_events.schemas.baselines import BaselineIn, BaselineOut
from bolin_events.services.refs import RefData
from bolin_events.services.timing import check_year
from bolin_events.services.years import ensure_open


def to_out(refs: RefData, row: YearBaseline) -> BaselineOut:
    return BaselineOut(
        year=row.year,
        group=refs.ref(refs.groups.by_id[row.group_id]),
        sessions=row.sessions,
        people=row.people,
        note=row.note,
    )


async def of_year(session: AsyncSession, refs: RefData, year: int) -> list[BaselineOut]:
    check_year(year, "year")
    rows = await session.exec(select(YearBaseline).where(col(YearBaseline.year) == year))
    found = [to_out(refs, row) for row in rows.all()]
    return sorted(found, key=lambda b: refs.groups.by_slug[b.group.slug].position)


async def _find(session: AsyncSession, year: int, group_id: int) -> YearBaseline | None:
    query = select(YearBaseline).where(
        col(YearBaseline.year) == year, col(YearBaseline.group_id) == group_id
    )
    return (await session.exec(query)).first()


async def put(
    session: AsyncSession, refs: RefData, year: int, group_slug: str, data: BaselineIn
) -> BaselineOut:
    """Enter or replace the group's baseline of ``year`` (refused while the year is closed)."""
    check_year(year, "year")
    group_id = refs.groups.id_of(group_slug)
    await ensure_open(session, year)
    row = await _find(session, year, group_id) or YearBaseline(
        year=year, group_id=group_id, sessions=0, people=0, note=""
    )
    row.sessions, row.people, row.note = data.sessions, data.people, data.note
    session.add(row)
    await session.flush()
    return to_out(refs, row)


async def remove(session: AsyncSession, refs: RefData, year: int, group_slug: str) -> None:
    check_year(year, "year")
    group = refs.groups.get(group_slug)
    await ensure_open(session, year)
    row = await _find(session, year, group.id or 0)
    if row is None:
        raise NotFound(
            f"{year}年没有「{group.name_zh}」的基数。",
            f"No baseline of {group.slug} for {year}.",
            [{"year": year, "group": group.slug}],
        )
    await session.delete(row)
    await session.flush()
