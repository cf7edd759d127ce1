"""The search index of each data version: read in two column-selecting queries (public events,
their nights), made in the worker pool, kept in memory per version like the reference data.

A search then asks the database only for the data version; the matching runs in the pool
too, so however long the town's history grows the event loop only waits.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.models import PUBLIC_STATUSES, Event, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.cache import LRU
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import NIGHT_COLUMNS, NightRow, night_out
from bolin_events.services.search.index import Entry, Field, SearchIndex, Where
from bolin_events.services.search.query import Query
from bolin_events.services.versions import data_version

EVENT_COLUMNS = (
    col(Event.id), col(Event.title_zh), col(Event.title_en), col(Event.description_zh),
    col(Event.description_en), col(Event.category_id), col(Event.venue_id),
    col(Event.programme_id),
)
HELD = (OccurrenceState.scheduled, OccurrenceState.moved)


FieldKey = tuple[Where, str, bool]


@dataclass
class Fields:
    """Makes fields, taking those the previous index had made: one edit rebuilds the index,
    not every event's pinyin (what ``made`` keeps is what the new index holds, no more)."""

    known: dict[FieldKey, Field | None]
    made: dict[FieldKey, Field | None] = dataclass_field(default_factory=dict)

    def __call__(self, where: Where, text: str | None, chinese: bool) -> Field | None:
        key = (where, text or "", chinese)
        if key not in self.made:
            known = self.known.get(key)
            self.made[key] = known or Field.of(where, text, chinese=chinese)
        return self.made[key]


def _names(refs: RefData, event: Any) -> Iterator[tuple[str | None, str | None]]:
    """(zh, en) of where and under what the event is held."""
    venue = refs.venues.by_id.get(event.venue_id or -1)
    if venue is not None:
        yield venue.name_zh, venue.name_en
        village = refs.villages.by_id.get(venue.village_id or -1)
        if village is not None:
            yield village.name_zh, village.name_en
    programme = refs.programmes.by_id.get(event.programme_id or -1)
    while programme is not None:  # a sub-event of 嗨夏季 2027 is found by 嗨夏季 too
        yield programme.name_zh, programme.name_en
        programme = refs.programmes.by_id.get(programme.parent_id or -1)
    category = refs.categories.by_id.get(event.category_id)
    if category is not None:
        yield category.name_zh, category.name_en


def _fields(make: Fields, refs: RefData, event: Any) -> tuple[Field, ...]:
    texts = [(Where.title, event.title_zh, event.title_en)]
    texts += [(Where.place, zh, en) for zh, en in _names(refs, event)]
    texts.append((Where.description, event.description_zh, event.description_en))
    made = [make(where, zh, True) for where, zh, _ in texts]
    made += [make(where, en, False) for where, _, en in texts]
    return tuple(f for f in made if f is not None)


def build_index(make: Fields, refs: RefData, events: Sequence[Any],
                nights: Sequence[NightRow]) -> SearchIndex:
    """CPU work (pinyin of every name): off the loop."""
    by_event: dict[int, list[NightRow]] = defaultdict(list)
    for night in nights:
        by_event[night.event_id].append(night)
    return SearchIndex(tuple(
        Entry(event.id, Label(event.title_zh, event.title_en), _fields(make, refs, event),
              tuple(by_event[event.id]))
        for event in events
    ))


async def load_index(session: AsyncSession, refs: RefData, make: Fields) -> SearchIndex:
    connection = await session.connection()
    public = col(Event.status).in_(PUBLIC_STATUSES)
    events = (await connection.execute(sa_select(*EVENT_COLUMNS).where(public))).all()
    nights = [NightRow._make(row) for row in await connection.execute(
        sa_select(*NIGHT_COLUMNS)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(public, col(Occurrence.state).in_(HELD))
        .order_by(col(Occurrence.starts_at), col(Occurrence.event_id))
    )]
    return await off_loop(build_index, make, refs, events, nights)


class SearchCache:
    """The index by data version; one request builds it while the others wait for it."""

    def __init__(self) -> None:
        self.built: LRU[SearchIndex] = LRU(max_entries=2, max_bytes=2, size=lambda _: 1)
        self._building = asyncio.Lock()
        self._fields: dict[FieldKey, Field | None] = {}

    async def get(self, session: AsyncSession, refs: RefData) -> SearchIndex:
        version = await data_version(session)
        index = self.built.get(version)
        if index is None:
            async with self._building:
                index = self.built.get(version)
                if index is None:
                    make = Fields(self._fields)
                    index = await load_index(session, refs, make)
                    self.built.put(version, index)
                    self._fields = make.made
        return index


@dataclass(frozen=True)
class Shown:
    """A found event as a page lists it."""

    event_id: int
    title: Label
    night: OccurrenceOut | None  # its next night, or its last when ``over``
    over: bool


@dataclass(frozen=True)
class Answer:
    shown: list[Shown]
    total: int
    close: bool  # nothing matched as typed: these are one letter away


async def search(session: AsyncSession, refs: RefData, cache: SearchCache, query: Query,
                 now: datetime) -> Answer:
    """The published (or cancelled, postponed) events the query finds, best first."""
    index = await cache.get(session, refs)
    found = await off_loop(index.search, query.terms, query.whole, now)
    shown = [
        Shown(r.entry.event_id, r.entry.title, night_out(refs, r.night) if r.night else None,
              r.over)
        for r in found.results
    ]
    return Answer(shown, found.total, found.close)
