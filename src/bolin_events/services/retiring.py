"""Retiring reference data (停用) and bringing it back, and how much each row is used.

A retired village, venue, category, organizer or programme stays: past events, reports and
the year review keep naming it. It is only no longer offered for new events (RefData.active).
So retiring is refused while something still depends on the row going forward — an event
not cancelled with nights still to come, a venue of the village, a sub-programme — and the
refusal names what, so staff know what to move first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict
from bolin_events.models import (
    Category,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    Organizer,
    Programme,
    Venue,
    Village,
    utcnow,
)
from bolin_events.services.places import table_of
from bolin_events.services.refs import KIND_NAMES, RefData, load_refs

RETIRABLE: tuple[type[SQLModel], ...] = (Village, Venue, Category, Organizer, Programme)
MAX_LISTED = 10  # a refusal names this many users of the row, then says how many in all
LIVE = (OccurrenceState.scheduled, OccurrenceState.moved)
EVENT_COLUMN: dict[type[SQLModel], Any] = {
    Venue: Event.venue_id,
    Category: Event.category_id,
    Organizer: Event.organizer_id,
    Programme: Event.programme_id,
}
Use = tuple[str, str]  # what uses a row, in Chinese and in English


async def usage_counts(session: AsyncSession, model: type[SQLModel]) -> dict[int, int]:
    """How many events (past or coming, any status) name each row; a village's are those at
    its venues."""
    if model is Village:
        query = (
            select(Venue.village_id, func.count(col(Event.id)))
            .join(Venue, col(Venue.id) == col(Event.venue_id))
            .group_by(col(Venue.village_id))
        )
    else:
        column = EVENT_COLUMN[model]
        query = select(column, func.count(col(Event.id))).group_by(column)
    return {row_id: count for row_id, count in (await session.exec(query)).all() if row_id}


async def _coming_events(session: AsyncSession, which: ColumnElement[bool]) -> list[Use]:
    """Events that are not cancelled and still have a night to come."""
    coming = select(Occurrence.event_id).where(
        col(Occurrence.ends_at) > utcnow(), col(Occurrence.state).in_(LIVE)
    )
    rows = await session.exec(
        select(Event.title_zh, Event.title_en)
        .where(which, col(Event.status) != EventStatus.cancelled, col(Event.id).in_(coming))
        .order_by(col(Event.starts_at), col(Event.id))
    )
    return [(f"活动「{zh}」", f"event “{en or zh}”") for zh, en in rows.all()]


def _rows_of(kind_zh: str, kind_en: str, rows: list[Any]) -> list[Use]:
    return [(f"{kind_zh}「{r.name_zh}」", f"{kind_en} “{r.name_en or r.name_zh}”") for r in rows]


async def uses_going_forward(
    session: AsyncSession, refs: RefData, model: type[SQLModel], row_id: int
) -> list[Use]:
    """What would be left naming a retired row: the reasons retiring it is refused."""
    if model is Village:
        venues = [v for v in refs.venues.active() if v.village_id == row_id]
        return _rows_of("场地", "venue", sorted(venues, key=lambda v: v.slug))
    column = EVENT_COLUMN[model]
    which: ColumnElement[bool] = column == row_id
    if model is Venue:
        moved_there = select(Occurrence.event_id).where(
            col(Occurrence.venue_id) == row_id,
            col(Occurrence.ends_at) > utcnow(),
            col(Occurrence.state).in_(LIVE),
        )
        which = or_(which, col(Event.id).in_(moved_there))
    uses: list[Use] = []
    if model is Programme:
        children = [p for p in refs.programmes.active() if p.parent_id == row_id]
        uses += _rows_of("下级活动项目", "sub-programme", sorted(children, key=lambda p: p.slug))
    return uses + await _coming_events(session, which)


def _refusal(model: type[SQLModel], row: Any, uses: list[Use]) -> Conflict:
    kind_zh, kind_en = KIND_NAMES[model]
    shown = uses[:MAX_LISTED]
    more_zh = f"等{len(uses)}项" if len(uses) > MAX_LISTED else ""
    more_en = f" and more ({len(uses)} in all)" if len(uses) > MAX_LISTED else ""
    return Conflict(
        f"{kind_zh}「{row.name_zh}」仍在使用，不能停用："
        f"{'、'.join(zh for zh, _ in shown)}{more_zh}。请先把它们改用别的{kind_zh}，"
        "或等它们结束后再停用。",
        f"The {kind_en} “{row.name_en or row.name_zh}” is still in use and cannot be retired: "
        f"{', '.join(en for _, en in shown)}{more_en}. Move them to another {kind_en} first, "
        "or retire it once they are over.",
        [{"field": "retired", "uses": zh, "uses_en": en} for zh, en in shown],
    )


async def retire(session: AsyncSession, model: type[SQLModel], slug: str) -> Any:
    """Retire the row, unless something still uses it going forward (409, naming what)."""
    refs = await load_refs(session)
    row = table_of(refs, model).get(slug)
    if row.retired_at is not None:
        return row  # a second tap, another tab: it is retired as asked
    uses = await uses_going_forward(session, refs, model, row.id)
    if uses:
        raise _refusal(model, row, uses)
    row.retired_at = utcnow()
    session.add(row)
    await session.flush()
    return row


async def restore(session: AsyncSession, model: type[SQLModel], slug: str) -> Any:
    """Offer the row again; not a venue in a retired village, nor a programme inside a
    retired one (bring those back first)."""
    refs = await load_refs(session)
    row = table_of(refs, model).get(slug)
    outer: Village | Programme | None = None
    if isinstance(row, Venue):
        outer = refs.villages.by_id.get(row.village_id or -1)
    elif isinstance(row, Programme):
        outer = refs.programmes.by_id.get(row.parent_id or -1)
    if outer is not None and outer.retired_at is not None:
        outer_zh, outer_en = KIND_NAMES[type(outer)]
        raise Conflict(
            f"它所在的{outer_zh}「{outer.name_zh}」已停用，请先恢复{outer_zh}。",
            f"Its {outer_en} “{outer.name_en or outer.name_zh}” is retired; restore that first.",
            [{"field": "retired"}],
        )
    row.retired_at = None
    session.add(row)
    await session.flush()
    return row
