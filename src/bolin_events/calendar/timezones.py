"""VTIMEZONE blocks written from the zone's own rules, as small as the events need.

icalendar's ``Timezone.from_tzid("Asia/Shanghai")`` emits the 1986–1991 summer-time history
and a COMMENT; ICAL.md asks for the minimal form (one STANDARD, +0800 → +0800), which is what
a zone without transitions in the events' years gets here. Zones that do change get one
sub-component per transition inside those years, each with a single DTSTART.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bolin_events.calendar.wire import encode_lines

_EPOCH_LOCAL = "19700101T000000"


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


def _transitions(tz: ZoneInfo, first_year: int, last_year: int) -> list[datetime]:
    """UTC instants in [first_year, last_year] where the zone's offset changes (to the minute)."""
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found = []
    step = timedelta(hours=12)
    while moment < stop:
        later = moment + step
        if moment.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            low, high = moment, later
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = later
    return found


def _observance(at: datetime, tz: ZoneInfo, before: timedelta | None, dtstart: str) -> list[str]:
    local = at.astimezone(tz)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    lines = [f"BEGIN:{kind}", f"DTSTART:{dtstart}", f"TZOFFSETFROM:{_offset(before)}",
             f"TZOFFSETTO:{_offset(local.utcoffset())}"]
    name = local.tzname()
    if name and name[0] not in "+-":
        lines.append(f"TZNAME:{name}")
    lines.append(f"END:{kind}")
    return lines


@lru_cache(maxsize=128)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for ``tzid``, exact for every instant from ``first_year`` to ``last_year``."""
    tz = ZoneInfo(tzid)
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    initial = start.astimezone(tz).utcoffset()
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    lines += _observance(start, tz, initial, _EPOCH_LOCAL)
    for change in _transitions(tz, first_year, last_year):
        before = (change - timedelta(minutes=1)).astimezone(tz).utcoffset()
        wall = (change + (before or timedelta(0))).replace(tzinfo=None)
        lines += _observance(change, tz, before, wall.strftime("%Y%m%dT%H%M%S"))
    lines.append("END:VTIMEZONE")
    return encode_lines(lines)
