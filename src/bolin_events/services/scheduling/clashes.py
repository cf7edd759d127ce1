"""Venue clashes: a published event's nights may not overlap another's at the same venue,
unless the scheduler says the overlap is intended.

A clash is said in words a scheduler reads ("与「村晚」6月5日 19:30–21:30 在东胜村文化广场冲突");
programs find the flag to send (``allow_overlap``) in the error's details. An overlap once
confirmed is written in the audit trail with the clashes it covered, so publishing the same
event later does not ask again; a clash it did not cover (another event, another time) does.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import VenueClash
from bolin_events.models import (
    AuditEntry,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)
from bolin_events.services.audit import record
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import occurrence_id
from bolin_events.services.timing import zone

ACTIVE = (OccurrenceState.scheduled, OccurrenceState.moved)
VENUE_LOCKS = 0x76656E  # the advisory-lock class of venue bookings ("ven")
CONFIRMED = "overlap_confirmed"  # the audit change that says which clashes were accepted


@dataclass(frozen=True)
class Clash:
    occurrence: Occurrence
    other: Occurrence
    other_event: Event

    @property
    def key(self) -> str:
        """This night, and the other night where and when it is: what a confirmation covers."""
        return (f"{_stamp(self.occurrence.starts_at)} {occurrence_id(self.other_event, self.other)}"
                f" {self.other.venue_id} {_stamp(self.other.starts_at)}/"
                f"{_stamp(self.other.ends_at)}")


async def check_clashes(
    session: AsyncSession,
    event: Event,
    occurrences: list[Occurrence],
    refs: RefData,
    *,
    allow: bool,
) -> None:
    """Refuse (409) an overlap with another published event at the same venue, unless it is
    allowed now (then remembered) or was confirmed for this event before."""
    if event.status == EventStatus.cancelled:
        return
    mine = _active(occurrences)
    if not mine:
        return
    await _book(session, {o.venue_id for o in mine if o.venue_id is not None})
    clashes = await find_clashes(session, event, mine)
    if not clashes:
        return
    keys = sorted({c.key for c in clashes})
    if allow:
        await record(session, "event", str(event.id), event.title_zh, {CONFIRMED: [None, keys]})
        return
    confirmed = await _confirmed(session, event)
    fresh = [c for c in clashes if c.key not in confirmed]
    if fresh:
        raise _refusal(fresh, refs)  # what was confirmed before is not asked about again


async def find_clashes(
    session: AsyncSession, event: Event, occurrences: Iterable[Occurrence]
) -> list[Clash]:
    """Every overlap of these nights with another published event's, in one query (a page
    marks a whole table of nights with it)."""
    mine = _active(occurrences)
    if not mine:
        return []
    lo, hi = min(o.starts_at for o in mine), max(o.ends_at for o in mine)
    rows = (
        await session.exec(
            select(Occurrence, Event)
            .join(Event, col(Event.id) == Occurrence.event_id)
            .where(
                col(Occurrence.venue_id).in_({o.venue_id for o in mine}),
                Occurrence.event_id != event.id,
                Event.status == EventStatus.published,
                col(Occurrence.state).in_(ACTIVE),
                Occurrence.starts_at < hi,
                Occurrence.ends_at > lo,
            )
            .order_by(col(Occurrence.starts_at))
        )
    ).all()
    return _overlaps(mine, list(rows))


def clash_words(clash: Clash, refs: RefData) -> tuple[str, str]:
    """"与「村晚」6月5日 19:30–21:30 在东胜村文化广场冲突", and in English the other night
    (“Village gala” on 5 June 19:30–21:30 at …) to follow "Clashes with"."""
    other, event = clash.other, clash.other_event
    venue = refs.venues.by_id.get(other.venue_id or 0)
    place_zh = venue.name_zh if venue else ""
    place_en = (venue.name_en or venue.name_zh) if venue else ""
    when_zh, when_en = _when(other, event)
    title_en = event.title_en or event.title_zh
    return (f"与「{event.title_zh}」{when_zh} 在{place_zh}冲突",
            f"“{title_en}” on {when_en} at {place_en}")


def _refusal(clashes: list[Clash], refs: RefData) -> VenueClash:
    details: list[dict[str, Any]] = []
    for c in clashes[:10]:
        tz = zone(c.other_event.timezone)
        venue = refs.venues.by_id[c.other.venue_id or 0]
        zh, en = clash_words(c, refs)
        details.append({
            "occurrence_id": occurrence_id(c.other_event, c.other),
            "event_id": c.other_event.id,
            "title": c.other_event.title_zh,
            "venue": venue.slug,
            "venue_name": venue.name_zh,
            "start": c.other.starts_at.astimezone(tz).isoformat(),
            "end": c.other.ends_at.astimezone(tz).isoformat(),
            "field": "allow_overlap",
            "message": zh,
            "message_en": f"Clashes with {en}",
        })
    zh, en = clash_words(clashes[0], refs)
    more_zh = f"（另有 {len(clashes) - 1} 处）" if len(clashes) > 1 else ""
    more_en = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
    return VenueClash(
        f"场地冲突：{zh}{more_zh}。如确需同时使用该场地，请确认重叠后再保存。",
        f"Venue clash with {en}{more_en}. Confirm the overlap to save it anyway.",
        details,
    )


def _when(other: Occurrence, event: Event) -> tuple[str, str]:
    """The other night's time as people say it: 6月5日 19:30–21:30 / 5 June 19:30–21:30."""
    tz = zone(event.timezone)
    start, end = other.starts_at.astimezone(tz), other.ends_at.astimezone(tz)
    if event.all_day:
        last = end - timedelta(days=1)
        if last.date() <= start.date():
            return f"{_day_zh(start)}（全天）", f"{_day_en(start)} (all day)"
        return f"{_day_zh(start)}至{_day_zh(last)}", f"{_day_en(start)} to {_day_en(last)}"
    if end.date() == start.date():
        return (f"{_day_zh(start)} {start:%H:%M}–{end:%H:%M}",
                f"{_day_en(start)} {start:%H:%M}–{end:%H:%M}")
    return (f"{_day_zh(start)} {start:%H:%M}至{_day_zh(end)} {end:%H:%M}",
            f"{_day_en(start)} {start:%H:%M} to {_day_en(end)} {end:%H:%M}")


def _day_zh(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日"


def _day_en(moment: datetime) -> str:
    return f"{moment.day} {moment:%B}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _active(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    return [o for o in occurrences if o.state in ACTIVE and o.venue_id is not None]


async def _confirmed(session: AsyncSession, event: Event) -> set[str]:
    """The clashes staff have confirmed for this event (each confirmation is an audit entry)."""
    rows = await session.exec(
        select(AuditEntry.changes).where(
            AuditEntry.object_type == "event",
            AuditEntry.object_id == str(event.id),
            col(AuditEntry.changes).contains(CONFIRMED),
        )
    )
    keys: set[str] = set()
    for changes in rows:
        keys.update(json.loads(changes).get(CONFIRMED, [None, []])[1])
    return keys


async def _book(session: AsyncSession, venue_ids: set[int]) -> None:
    """Hold the venues until this transaction ends, so that two bookings of one venue are
    checked one after the other: the second sees the first once it has committed.

    On PostgreSQL a transaction-scoped advisory lock per venue (in id order, so two bookings
    of the same venues cannot deadlock); a plain SELECT would let fifty simultaneous bookings
    of one evening all pass. SQLite needs none: a writing transaction holds the database's
    one write lock from its start (db.WRITE_OPTION).
    """
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return
    for venue_id in sorted(venue_ids):
        await connection.execute(text("SELECT pg_advisory_xact_lock(:kind, :venue)"),
                                 {"kind": VENUE_LOCKS, "venue": venue_id})


def _overlaps(mine: list[Occurrence], others: list[tuple[Occurrence, Event]]) -> list[Clash]:
    by_venue: dict[int | None, list[tuple[Occurrence, Event]]] = {}
    for pair in others:
        by_venue.setdefault(pair[0].venue_id, []).append(pair)
    longest = max((o.ends_at - o.starts_at for o, _ in others), default=timedelta(0))
    clashes = []
    for occ in mine:
        candidates = by_venue.get(occ.venue_id, [])
        starts = [o.starts_at for o, _ in candidates]
        # Only those starting in [occ.start - longest, occ.end) can overlap.
        lo = bisect.bisect_left(starts, occ.starts_at - longest)
        hi = bisect.bisect_left(starts, occ.ends_at)
        for other, other_event in candidates[lo:hi]:
            if other.ends_at > occ.starts_at:
                clashes.append(Clash(occ, other, other_event))
    return clashes
