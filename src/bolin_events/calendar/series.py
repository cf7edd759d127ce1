"""A series cut to the nights a file keeps, so that no client has to skip hundreds of dates.

A venue feed holding one night of a 1,000-night series, or a download of the nights still to
come, would otherwise send the whole rule with an EXDATE for every night it leaves out; ical.js
(Thunderbird, Nextcloud) gives up on such lists. So a file sends at most ``MAX_EXDATES``
EXDATE lines per event: past that, the rule is cut to the span of the kept nights (DTSTART on
the first, the rule ending on the last); when even the span needs more, each kept night is
sent as an event of its own, with a UID of its own (``night_uid``).

A series by the Chinese calendar (a lunar date, a solar term, lunar days: see
services.scheduling.calendar_rules) has a rule no RRULE can write, so its nights are listed:
DTSTART on the first night sent and an RDATE for every night sent, the first included
(``listed``). The ``ical`` package (Home Assistant) expands RDATE without DTSTART when there is
no RRULE, icalendar with recurring-ical-events adds DTSTART to them; with DTSTART among the
RDATEs both read the same nights, and RFC 5545 counts a start given twice once (§3.8.5.2).
Nights a file leaves out (skipped, held elsewhere, long past) are simply not listed: no EXDATE
is needed, nor any cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bolin_events.calendar.wire import date_stamp, utc_stamp

MAX_EXDATES = 20
# RDATE values per line: several RDATE lines make one list (§3.8.5.2), and short groups keep
# every unfolded line a few hundred octets long however many nights a series has.
RDATES_PER_LINE = 10


class Cut(NamedTuple):
    """The rule instances a file sends of a series, by their original starts."""

    first: datetime  # the first kept instance: the new DTSTART
    last: datetime  # the last kept instance: where the rule now ends
    exdates: tuple[datetime, ...]  # instances left out between the two
    dropped: int  # instances before ``first`` (a COUNT is reduced by them)
    to_end: bool  # ``last`` is the rule's own last instance (its end need not change)


def cut(instances: Sequence[datetime], excluded: Set[datetime]) -> Cut | None:
    """The span of the instances not ``excluded`` (sorted ``instances``); None when none is."""
    kept = [index for index, moment in enumerate(instances) if moment not in excluded]
    if not kept:
        return None
    first, last = kept[0], kept[-1]
    inside = tuple(moment for moment in instances[first:last + 1] if moment in excluded)
    return Cut(instances[first], instances[last], inside, first, last == len(instances) - 1)


def cut_rule(rrule: str, span: Cut, *, all_day: bool, tz: ZoneInfo) -> str:
    """The RRULE of ``span``: COUNT reduced by the instances dropped before it, or, when the
    span ends before the rule does, UNTIL its last instance (in UTC, or a date if all-day)."""
    parts = rrule.split(";")
    kept = [part for part in parts if not part.upper().startswith(("COUNT=", "UNTIL="))]
    ending = [part for part in parts if part not in kept]
    if not span.to_end:
        last = date_stamp(span.last.astimezone(tz).date()) if all_day else utc_stamp(span.last)
        ending = [f"UNTIL={last}"]
    elif ending and ending[0].upper().startswith("COUNT="):
        ending = [f"COUNT={int(ending[0][6:]) - span.dropped}"]
    return ";".join(kept + ending)


def listed(starts: Iterable[datetime], left_out: Set[datetime]) -> list[datetime]:
    """The nights a file lists of a series by the Chinese calendar, in order: its first is
    the DTSTART and every one (the first too) an RDATE. Empty when none is left."""
    return sorted(moment for moment in starts if moment not in left_out)


def rdate_groups(starts: Sequence[datetime]) -> list[Sequence[datetime]]:
    """``starts`` in groups of ``RDATES_PER_LINE``, one RDATE line each."""
    return [starts[i:i + RDATES_PER_LINE] for i in range(0, len(starts), RDATES_PER_LINE)]


def night_uid(uid: str, recurrence_id: datetime) -> str:
    """A night's own UID, stable as long as the night is: the event's UID and the night's
    original start (``event-5@host`` → ``event-5-20270604T113000Z@host``)."""
    local, at, domain = uid.rpartition("@")
    stamp = utc_stamp(recurrence_id)
    return f"{local}-{stamp}@{domain}" if at else f"{uid}-{stamp}"
