"""What the caches key on: the data version, one cheap query whose answer changes whenever
anything a public read shows can have changed, and the reference data's fingerprint.

The data version is one aggregate query over events and occurrences. It moves on every
write that a feed or page can show: each such write raises the event's SEQUENCE (so the sum
rises) or adds/removes events (count and max id) or nights (max id). Reference names are
compared whole (tens of rows). Every process computes the same values from the same
database, so every process answers the same bytes and the same ETag.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import true
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Event, Occurrence, Programme
from bolin_events.services.refs import RefData

Version = tuple[Any, ...]


async def data_version(session: AsyncSession) -> Version:
    """One cheap query whose answer changes whenever anything a feed shows can have changed."""
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
    query = sa_select(*events.c, *nights.c, *programmes.c).select_from(
        events.join(nights, true()).join(programmes, true())
    )
    connection = await session.connection()
    return tuple((await connection.execute(query)).one())


def refs_fingerprint(refs: RefData) -> tuple[Any, ...]:
    tables = (refs.villages, refs.venues, refs.categories, refs.organizers, refs.programmes)
    return tuple(
        tuple(tuple(row.model_dump().values()) for row in t.by_id.values()) for t in tables
    )
