"""A feed's bytes: from memory while the data version holds, else rebuilt from the VEVENT
blocks already rendered.

Both caches are keyed by database contents, never by time of render or by process, so every
process behind the load balancer answers the same bytes and the same ETag (DESIGN.md):

- blocks: (event id, SEQUENCE, updated_at, nights this feed hides, reference names) → the
  event's VEVENT bytes, rendered once per change and shared by every feed that shows it;
- feeds: (feed, filters, data version, reference names, cut-off days) → the whole file.

The data version is one aggregate query over events and occurrences. It moves on every
write that a feed can show: each such write raises the event's SEQUENCE (so the sum rises)
or adds/removes events (count and max id) or nights (max id). Reference names are compared
whole (tens of rows). A warm request therefore costs the reference data, one aggregate
query and a dict look-up."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import FeedHeader, ZoneUse, render_event, render_feed
from bolin_events.services.feeds.cache import FeedCache, RenderedFeed
from bolin_events.services.feeds.rows import (
    conditions,
    hidden_nights,
    instances,
    listed_nights,
    long_past,
    needs_cut,
    read_rows,
    zones_used,
)
from bolin_events.services.feeds.scope import FeedScope, FeedSelection, resolve
from bolin_events.services.feeds.snapshot import Names, snapshot
from bolin_events.services.refs import RefData
from bolin_events.services.timing import zone
from bolin_events.services.versions import Version, data_version, refs_fingerprint
from bolin_events.settings import Settings


@dataclass(frozen=True, slots=True)
class Cuts:
    """Day boundaries (local midnights) deciding which past events a feed still holds.

    Days, not instants: every process computes the same cut for the whole day, so the bytes
    agree between processes and change at most once a day when time alone moves on.
    """

    past: datetime
    today: datetime

    @classmethod
    def at(cls, now: datetime, settings: Settings) -> Cuts:
        tz = zone(settings.timezone)
        today = now.astimezone(tz).date()

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

        return cls(midnight(today - timedelta(days=settings.feed_past_days)), midnight(today))


def last_modified(version: Version, cuts: Cuts) -> datetime:
    """Last-Modified of every feed: the last change to any event or programme, or the last
    local midnight (when past events may have left), whichever is later.

    Not the newest event *in* the feed: an event that leaves a feed (unpublished, moved to
    another category, over) changes the file without changing anything left in it, and an
    If-Modified-Since client must not be told 304 then. Renamed venues, villages, categories
    and organizers touch the events that name them (services.places), so they count too.
    """
    moments = (version.events_changed, version.programmes_changed, cuts.today)
    return max(moment for moment in moments if moment)


async def get_feed(
    session: AsyncSession, refs: RefData, cache: FeedCache, settings: Settings, scope: FeedScope
) -> RenderedFeed:
    """The feed's bytes: from memory while the data version holds, else rebuilt from blocks."""
    selection = await resolve(session, refs, scope)
    cuts = Cuts.at(cache.clock(), settings)
    version = await data_version(session)
    key = (scope, version, cuts)  # the version holds the reference data's too
    feed = cache.feeds.get(key)
    if feed is not None:
        return feed
    lock = cache.building.setdefault(key, asyncio.Lock())
    async with lock:
        feed = cache.feeds.get(key)
        if feed is None:
            feed = await build_feed(
                session, refs, cache, settings, scope, selection, cuts, last_modified(version, cuts)
            )
            cache.feeds.put(key, feed)
    return feed


async def build_feed(
    session: AsyncSession,
    refs: RefData,
    cache: FeedCache,
    settings: Settings,
    scope: FeedScope,
    selection: FeedSelection,
    cuts: Cuts,
    modified: datetime,
) -> RenderedFeed:
    """The whole file from the database, reusing every VEVENT block already rendered."""
    connection = await session.connection()
    conds = conditions(selection, cuts.past, cuts.today)
    events, nights = await read_rows(connection, conds)
    kept = await hidden_nights(connection, events, nights, selection.places)
    listed = await listed_nights(connection, conds, events)

    names = Names(refs)
    names_key = hash(refs_fingerprint(refs))
    blocks: list[bytes] = []
    for event in events:
        hidden = kept.get(event.id)
        if hidden is None:
            continue
        own_listed = listed.get(event.id, ())
        if own_listed and selection.event_id is None:  # one event's feed keeps its past
            hidden |= long_past(own_listed, cuts.past)
        # Every change to an event or its nights raises its SEQUENCE and updated_at
        # (scheduling.events.touch); the names it mentions come from the reference data.
        key = (event.id, event.sequence, event.updated_at, hidden, names_key, settings.public_url)
        block = cache.blocks.get(key)
        if block is None:
            own = nights.get(event.id, [])
            data = snapshot(names, event, own, settings.public_url,
                            [night.recurrence_id for night in own_listed])
            every = (await instances(connection, event.id)
                     if needs_cut(event, hidden, own) else ())
            block = render_event(data, hidden, instances=every)
            cache.blocks.put(key, block)
        if block:  # empty when a cut series keeps no night
            blocks.append(block)

    header = FeedHeader(
        name=selection.title(),
        description=selection.description(),
        url=settings.public_url.rstrip("/") + scope.path(),
        timezone=settings.timezone,
    )
    zones = zones_used(events, chain.from_iterable(nights.values()))
    if not blocks:  # a calendar holds at least one component (RFC 5545 §3.6)
        year = cuts.today.astimezone(zone(settings.timezone)).year
        zones = [ZoneUse(settings.timezone, year, year)]
    body = render_feed(header, zones, blocks)
    return RenderedFeed(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:40] + '"',
        last_modified=modified,
        filename=scope.filename(),
    )
