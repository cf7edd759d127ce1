"""What the caches key on: the data version, one cheap query whose answer changes whenever
anything a public read shows can have changed, and the reference data held per version.

The events part moves on every write a feed or page can show: each such write raises the
event's SEQUENCE (so the sum rises) or adds/removes events (count and max id) or nights (max
id). The reference part moves with every edit of a village, venue, category, organizer or
programme (count, max id and newest ``updated_at`` of each, which the models move on every
UPDATE). The pictures part moves with every picture uploaded or removed (count, max and sum
of ids: a picture's row is never changed, a new one replaces it). Every process computes the
same values from the same database, so every process answers the same bytes and the same ETag.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, Subquery, true
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    Category,
    Event,
    HolidayDay,
    HolidayYear,
    Occurrence,
    Organizer,
    Picture,
    Programme,
    SignupPlan,
    Venue,
    Village,
)
from bolin_events.services.cache import LRU
from bolin_events.services.refs import RefData, load_refs

REFERENCE_TABLES: tuple[type[SQLModel], ...] = (Village, Venue, Category, Organizer, Programme)


class Version(NamedTuple):
    events: int
    last_event: int | None
    events_changed: datetime | None
    sequences: int | None
    last_night: int | None
    programmes_changed: datetime | None
    pictures: tuple[Any, ...]  # (count, max id, sum of ids) of the pictures
    signup_plans: tuple[Any, ...]  # (count, max id, newest updated_at): event pages show them
    holidays: tuple[Any, ...]  # (days, years, newest entry) entered by hand: calendars mark them
    refs: tuple[Any, ...]  # (count, max id, newest updated_at) of each reference table


def _reference_parts() -> list[Subquery]:
    """Per reference table: rows, the last id, the last change, and how many are retired (a
    retire or restore in the same second as the last change still moves the version)."""
    return [
        select(
            func.count().label(f"{model.__tablename__}_n"),
            func.max(col(getattr(model, "id"))).label(f"{model.__tablename__}_last"),  # noqa: B009
            func.max(col(getattr(model, "updated_at"))).label(  # noqa: B009
                f"{model.__tablename__}_changed"
            ),
            *([func.count(col(getattr(model, "retired_at"))).label(  # noqa: B009
                f"{model.__tablename__}_retired")] if hasattr(model, "retired_at") else []),
        ).subquery()
        for model in REFERENCE_TABLES
    ]


def _select_all(parts: list[Subquery]) -> Select[Any]:
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    return sa_select(*(c for part in parts for c in part.c)).select_from(joined)


def _data_version_query() -> Select[Any]:
    events = select(
        func.count().label("n"),
        func.max(Event.id).label("last"),
        func.max(Event.updated_at).label("changed"),
        func.sum(Event.sequence).label("sequences"),
    ).subquery()
    # The newest night's id (an index look-up): rows added by a rule change. A count would
    # scan every night, and each change to existing nights already raises a SEQUENCE.
    nights = select(func.max(Occurrence.id).label("last_night")).subquery()
    programmes = select(func.max(Programme.updated_at).label("programmes_changed")).subquery()
    pictures = select(func.count().label("pictures"), func.max(Picture.id).label("last_picture"),
                      func.sum(Picture.id).label("picture_ids")).subquery()
    plans = select(func.count().label("plans"), func.max(SignupPlan.id).label("last_plan"),
                   func.max(SignupPlan.updated_at).label("plans_changed")).subquery()
    holidays = select(func.count().label("holiday_days")).select_from(HolidayDay).subquery()
    holiday_years = select(func.count().label("holiday_years"),
                           func.max(HolidayYear.entered_at).label("holidays_entered")).subquery()
    return _select_all([events, nights, programmes, pictures, plans, holidays, holiday_years,
                        *_reference_parts()])


# Built once: a public read under load asks one of these at every recheck.
DATA_VERSION = _data_version_query()
REFS_VERSION = _select_all(_reference_parts())


async def data_version(session: AsyncSession) -> Version:
    """One cheap query whose answer changes whenever anything a public read shows can have
    changed."""
    connection = await session.connection()
    row = tuple((await connection.execute(DATA_VERSION)).one())
    count, last, changed, sequences, last_night, programmes_changed, *rest = row
    return Version(count, last, changed, sequences, last_night, programmes_changed,
                   tuple(rest[:3]), tuple(rest[3:6]), tuple(rest[6:9]), tuple(rest[9:]))


async def refs_version(session: AsyncSession) -> tuple[Any, ...]:
    """The reference part of the data version alone."""
    connection = await session.connection()
    return tuple((await connection.execute(REFS_VERSION)).one())


class RefsCache:
    """Reference data by version, loaded once per edit of it and shared by every request
    (its rows are read, never changed: an edit loads its own in its session)."""

    def __init__(self) -> None:
        self.loaded: LRU[RefData] = LRU(max_entries=4, max_bytes=4, size=lambda _: 1)

    async def get(self, session: AsyncSession, version: tuple[Any, ...] | None = None) -> RefData:
        """The reference data as of ``version`` (asked of the database when not given)."""
        version = version if version is not None else await refs_version(session)
        refs = self.loaded.get(version)
        if refs is None:
            refs = await load_refs(session)
            refs.version = version
            # Out of the loading request's session: its rollback (a refused write) would
            # otherwise expire the rows every later request reads.
            for table in (refs.villages, refs.venues, refs.categories, refs.organizers,
                          refs.programmes):
                for row in table.by_id.values():
                    session.expunge(row)
            self.loaded.put(version, refs)
        return refs


def refs_fingerprint(refs: RefData) -> tuple[Any, ...]:
    """The reference data's version when it came from a RefsCache, else its rows whole."""
    if refs.version:
        return refs.version
    tables = (refs.villages, refs.venues, refs.categories, refs.organizers, refs.programmes)
    return tuple(
        tuple(tuple(row.model_dump().values()) for row in t.by_id.values()) for t in tables
    )
