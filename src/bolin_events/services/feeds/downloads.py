"""Files a visitor downloads once to add to a phone: one night of an event, or the event's
nights still to come, each with a reminder (VALARM).

Android phones inside WeChat cannot subscribe; they import a file. So these are attachments,
not feeds: ``/feeds/events/{id}/nights/{night}.ics`` is one night as it now is, with a UID of
its own (calendar.series.night_uid), and ``/feeds/events/{id}/upcoming.ics`` is the series
from its next night on, with the series' own UID. They share the feeds' caching and ETags.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import NamedTuple
from urllib.parse import parse_qsl

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import FeedHeader, Label, render_event, render_feed, render_night
from bolin_events.errors import DomainError, NotFound
from bolin_events.models import PUBLIC_STATUSES, Event, Occurrence, OccurrenceState
from bolin_events.models.base import is_valid_id
from bolin_events.services.feeds.build import Cuts, get_feed, last_modified
from bolin_events.services.feeds.cache import FeedCache, RenderedFeed
from bolin_events.services.feeds.rows import (
    EventRecord,
    NightRecord,
    is_listed,
    read_rows,
    zones_used,
)
from bolin_events.services.feeds.scope import FeedScope, FeedSelection, feed_scope
from bolin_events.services.feeds.snapshot import Names, snapshot
from bolin_events.services.refs import RefData
from bolin_events.services.timing import parse_recurrence_key, zone
from bolin_events.services.versions import data_version
from bolin_events.settings import Settings

# The reminders a visitor may choose: VALARM TRIGGERs before the start.
ALARMS = {"none": None, "1h": "-PT1H", "1d": "-P1D"}
DEFAULT_ALARM = "1h"
_PATH = re.compile(r"/feeds/events/([^/]*)/(?:nights/([^/]*)|upcoming)\.ics")


@dataclass(frozen=True, slots=True)
class Download:
    """Which file: one night (``night`` is its id) or the nights to come (``night`` empty)."""

    event: str
    night: str
    alarm: str

    def path(self) -> str:
        part = f"nights/{self.night}" if self.night else "upcoming"
        return f"/feeds/events/{self.event}/{part}.ics?alarm={self.alarm}"

    def filename(self) -> str:
        part = f"night-{self.night}" if self.night else "upcoming"
        return f"bolin-event-{self.event}-{part}.ics"


def requested(path: str, query: bytes) -> FeedScope | Download:
    """The feed or download a path and query name; a 4xx for a bad one, before any wait."""
    match = _PATH.fullmatch(path)
    if match is None:
        return feed_scope(path, query)
    alarm = next((value for name, value in parse_qsl(query.decode("latin-1"))
                  if name == "alarm"), DEFAULT_ALARM)
    if alarm not in ALARMS:
        raise DomainError(
            "提醒（alarm）只能是 none（不提醒）、1h（提前1小时）或 1d（提前1天）。",
            "alarm must be none (no reminder), 1h (an hour before) or 1d (a day before).",
            [{"field": "alarm", "value": alarm[:50], "choices": list(ALARMS)}],
        )
    return Download(match.group(1), match.group(2) or "", alarm)


async def get_file(session: AsyncSession, refs: RefData, cache: FeedCache, settings: Settings,
                   wanted: FeedScope | Download) -> RenderedFeed:
    """A subscription feed, or a download."""
    if isinstance(wanted, Download):
        return await get_download(session, refs, cache, settings, wanted)
    return await get_feed(session, refs, cache, settings, wanted)


class _Night(NamedTuple):
    recurrence_id: datetime
    state: str
    ends_at: datetime


def _row_id(text: str) -> int | None:
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0
    return number if is_valid_id(number) else None


async def _event(connection: AsyncConnection, key: str
                 ) -> tuple[EventRecord, list[NightRecord]]:
    """The public event and its changed nights; a draft is as unknown as a missing one."""
    event_id = _row_id(key)
    conds = [col(Event.id) == event_id, col(Event.status).in_(PUBLIC_STATUSES)]
    events, nights = await read_rows(connection, conds) if event_id else ([], {})
    if not events:
        raise NotFound(f"找不到活动：{key}", f"No event {key!r} exists.",
                       [{"field": "event", "value": key}])
    return events[0], nights.get(events[0].id, [])


async def _nights(connection: AsyncConnection, event_id: int) -> list[_Night]:
    """Every night of the event, in the rule's order."""
    return [_Night._make(row) for row in await connection.execute(
        sa_select(col(Occurrence.recurrence_id), col(Occurrence.state), col(Occurrence.ends_at))
        .where(col(Occurrence.event_id) == event_id).order_by(col(Occurrence.recurrence_id)))]


async def _the_night(connection: AsyncConnection, event: EventRecord, key: str) -> datetime:
    """The night's original start, by its public id (``12-20270604T190000``, as
    /api/v1/occurrences and the event page give it); a night of another event is as unknown
    as a missing one."""
    event_part, _, rid_part = key.partition("-")
    rid = (parse_recurrence_key(rid_part, zone(event.timezone))
           if event_part == str(event.id) else None)
    row = (await connection.execute(
        sa_select(col(Occurrence.recurrence_id), col(Occurrence.state))
        .where(col(Occurrence.event_id) == event.id, col(Occurrence.recurrence_id) == rid)
    )).first() if rid is not None else None
    if row is None:
        raise NotFound(f"活动 {event.id} 没有这一场：{key}。场次编号形如 "
                       f"{event.id}-20270604T190000（见 /api/v1/occurrences）。",
                       f"Event {event.id} has no night {key!r}; night ids look like "
                       f"{event.id}-20270604T190000 (see /api/v1/occurrences).",
                       [{"field": "night", "value": key}])
    if row.state == OccurrenceState.skipped:
        raise NotFound("这一场不举办（已从日历中去掉）。",
                       "This night is not held (it was taken off the schedule).",
                       [{"field": "night", "value": key}])
    recurrence_id: datetime = row.recurrence_id
    return recurrence_id


class _Plan(NamedTuple):
    """What the file of the nights to come holds, and since when it has."""

    instances: tuple[datetime, ...]
    hidden: frozenset[datetime]  # before the next night, or already over
    since: datetime | None  # the end of the last night over: the file changed then


def _to_come(event: EventRecord, nights: list[_Night], now: datetime) -> _Plan:
    """The series from the first rule instance whose night has not ended; 404 when none."""
    held = [n for n in nights if n.state != OccurrenceState.skipped]
    ahead = [n.recurrence_id for n in held if n.ends_at > now]
    if not ahead:
        raise NotFound(f"活动「{event.title_zh}」已全部结束，没有待举办的场次。",
                       f"Event {event.id} is over: no night is still to come.",
                       [{"field": "event", "value": str(event.id)}])
    over = [n for n in held if n.ends_at <= now]
    hidden = {n.recurrence_id for n in nights if n.recurrence_id < ahead[0]}
    hidden.update(n.recurrence_id for n in over)  # moved earlier than nights before them
    since = max((n.ends_at for n in over), default=None)
    return _Plan(tuple(n.recurrence_id for n in nights), frozenset(hidden), since)


async def get_download(session: AsyncSession, refs: RefData, cache: FeedCache,
                       settings: Settings, wanted: Download) -> RenderedFeed:
    """The file's bytes: from memory while the data version (and, for the nights to come,
    the last night over) holds, else rendered."""
    connection = await session.connection()
    event, changed = await _event(connection, wanted.event)
    now = cache.clock()
    version = await data_version(session)
    modified = last_modified(version, Cuts.at(now, settings))
    rdates: tuple[datetime, ...] = ()
    if wanted.night:
        night = await _the_night(connection, event, wanted.night)
        since, render = None, partial(render_night, recurrence_id=night)
    else:
        plan = _to_come(event, await _nights(connection, event.id), now)
        since = plan.since
        render = partial(render_event, hidden=plan.hidden, instances=plan.instances, trim=True)
        rdates = plan.instances if is_listed(event) else ()
    key = (wanted, version, since)
    found = cache.feeds.get(key)
    if found is not None:
        return found
    block = render(snapshot(Names(refs), event, changed, settings.public_url, rdates),
                   alarm=ALARMS[wanted.alarm])
    selection = FeedSelection(event_id=event.id,
                              event_title=Label(event.title_zh, event.title_en))
    header = FeedHeader(selection.title(), selection.description(),
                        settings.public_url.rstrip("/") + wanted.path(), settings.timezone,
                        download=True)
    body = render_feed(header, zones_used([event], changed), [block])
    feed = RenderedFeed(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"',
                        max(modified, since or modified), wanted.filename(), "attachment")
    cache.feeds.put(key, feed)
    return feed
