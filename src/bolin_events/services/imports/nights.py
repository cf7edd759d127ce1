"""A series' single nights brought in line with the source, through the scheduling service.

EXDATE → skipped, a cancelled override → cancelled, an override at another time or place →
moved, every other night → as the rule says (restored if we had changed it). Only nights
whose state differs are touched, so an unchanged source raises no SEQUENCE. A moved night's
LOCATION goes through the same rules and venue names as the event's (rules.night_venue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Event, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceCancel, OccurrenceMove
from bolin_events.services.imports.cells import shown
from bolin_events.services.imports.ics_parse import FeedEvent
from bolin_events.services.imports.rules import MappingRules, night_venue
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.nights import (
    cancel_occurrence,
    move_occurrence,
    restore_occurrence,
    skip_occurrence,
)
from bolin_events.services.scheduling.occurrences import occurrence_id, shifted_end
from bolin_events.services.timing import local_start, span, zone
from bolin_events.settings import Settings

CANCELLED = "来源日历已取消此场 / Cancelled in the source calendar"


@dataclass(frozen=True)
class Wanted:
    state: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue_id: int | None = None
    move: OccurrenceMove | None = None


def wanted_nights(
    event: Event, source: FeedEvent, refs: RefData, *, rules: MappingRules
) -> dict[datetime, Wanted]:
    """Rule start (UTC) → the state the source gives that night; plain nights are left out."""
    tz = zone(event.timezone)
    wanted = {moment: Wanted(OccurrenceState.skipped) for moment in source.exdates}
    for night in source.overrides:
        if night.cancelled:
            wanted[night.recurrence_id] = Wanted(OccurrenceState.cancelled)
            continue
        starts_at, ends_at = span(night.start, night.end, tz, all_day=event.all_day)
        slug = night_venue(source, night.location, rules, refs) if night.location else None
        venue = refs.venues.by_slug[slug] if slug else None
        venue_id = venue.id if venue else event.venue_id
        plain = (night.recurrence_id, shifted_end(event, night.recurrence_id), event.venue_id)
        if (starts_at, ends_at, venue_id) == plain:
            continue
        move = OccurrenceMove(
            start=night.start,
            end=night.end,
            venue=slug if venue_id != event.venue_id else None,
            reason="来源日历已改期 / Changed in the source calendar",
            allow_overlap=rules.allow_overlap,
        )
        wanted[night.recurrence_id] = Wanted(
            OccurrenceState.moved, starts_at, ends_at, venue_id, move
        )
    return wanted


async def sync_nights(
    session: AsyncSession,
    event: Event,
    source: FeedEvent,
    refs: RefData,
    settings: Settings,
    *,
    rules: MappingRules,
) -> tuple[list[str], list[str]]:
    """(the nights changed, notes about source nights the rule does not have)."""
    tz = zone(event.timezone)
    here = zone(settings.timezone)  # the zone closed years (封账) are counted in
    wanted = wanted_nights(event, source, refs, rules=rules)
    rows = list(await session.exec(select(Occurrence).where(Occurrence.event_id == event.id)))
    changed: list[str] = []
    for occ in rows:
        want = wanted.pop(occ.recurrence_id, Wanted(OccurrenceState.scheduled))
        if not _differs(occ, want):
            continue
        key = occurrence_id(event, occ)
        if want.state == OccurrenceState.scheduled:
            await restore_occurrence(session, key, tz=here)
        elif want.state == OccurrenceState.skipped:
            await skip_occurrence(session, key, tz=here)
        elif want.state == OccurrenceState.cancelled:
            await cancel_occurrence(session, key, OccurrenceCancel(reason=CANCELLED), tz=here)
        elif want.move is not None:
            await move_occurrence(session, key, want.move, tz=here)
        changed.append(key)
    notes = [
        f"来源中 {_shown(moment, tz, event.all_day)} 这一场不在重复规则内，已忽略 / the source's "
        f"night at {_shown(moment, tz, event.all_day)} is not on the rule and was ignored"
        for moment in wanted
    ]
    return changed, notes


def _differs(occ: Occurrence, want: Wanted) -> bool:
    if occ.state != want.state:
        return True
    if want.state != OccurrenceState.moved:
        return False
    return (occ.starts_at, occ.ends_at, occ.venue_id) != (
        want.starts_at,
        want.ends_at,
        want.venue_id,
    )


def _shown(moment: datetime, tz: ZoneInfo, all_day: bool) -> str:
    return shown(local_start(moment, tz, all_day=all_day))
