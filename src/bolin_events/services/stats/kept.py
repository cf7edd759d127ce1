"""The annual return's items kept by hand for a year (藏书, 书刊外借册次, 业余文艺团队,
从业人员, 志愿者): nothing the service records gives them, so staff enter them once a year.

An item not entered is missing (未填), never 0: 0 is a figure someone entered. A closed year
(封账, services.years) refuses every change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import AnnualItem
from bolin_events.schemas.reports import AnnualItemsIn, AnnualItemsOut, KeptItem, KeptValue
from bolin_events.services.timing import check_year
from bolin_events.services.years import ensure_open, is_closed


@dataclass(frozen=True)
class Kept:
    item: str
    unit: str
    name_en: str


# In the form's order; the keys are AnnualItemsIn's fields and annual_item.item's values.
KEPT_ITEMS: dict[str, Kept] = {
    "books": Kept("藏书", "册", "Books held"),
    "loans": Kept("书刊外借册次", "册次", "Loans of books and periodicals"),
    "troupes": Kept("业余文艺团队", "个", "Amateur arts troupes"),
    "staff": Kept("从业人员", "人", "Staff"),
    "volunteers": Kept("志愿者", "人", "Volunteers"),
}


async def kept_items(session: AsyncSession, year: int) -> list[KeptItem]:
    """Every item of the year, in the form's order; those not entered have no value."""
    rows = await session.exec(select(AnnualItem).where(col(AnnualItem.year) == year))
    found = {row.item: row for row in rows.all()}
    return [
        KeptItem(
            key=key,
            item=kept.item,
            unit=kept.unit,
            value=found[key].value if key in found else None,
            note=found[key].note if key in found else None,
        )
        for key, kept in KEPT_ITEMS.items()
    ]


async def annual_items(session: AsyncSession, year: int) -> AnnualItemsOut:
    check_year(year, "year")
    return AnnualItemsOut(
        year=year, closed=await is_closed(session, year), items=await kept_items(session, year)
    )


async def keep_items(session: AsyncSession, year: int, data: AnnualItemsIn) -> AnnualItemsOut:
    """Set, change or clear the items sent; the others stay as they are."""
    check_year(year, "year")
    await ensure_open(session, year)
    rows = await session.exec(select(AnnualItem).where(col(AnnualItem.year) == year))
    found = {row.item: row for row in rows.all()}
    for key in KEPT_ITEMS:
        if key not in data.model_fields_set:
            continue
        entry: KeptValue | None = getattr(data, key)
        row = found.get(key)
        if entry is None or entry.value is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(AnnualItem(year=year, item=key, value=entry.value, note=entry.note))
        elif (row.value, row.note) != (entry.value, entry.note):
            row.value, row.note = entry.value, entry.note
    await session.flush()
    return await annual_items(session, year)
