"""A whole VCALENDAR: calendar properties, the VTIMEZONEs its events use, their VEVENT blocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bolin_events.calendar.timezones import vtimezone
from bolin_events.calendar.wire import encode_lines, text_line

PRODID = "-//Bolin Town//bolin-events//ZH"
REFRESH = "PT6H"


@dataclass(frozen=True, slots=True)
class FeedHeader:
    """Calendar-level properties (RFC 7986); ``name`` is shown as the calendar's title."""

    name: str
    description: str
    url: str
    timezone: str = "Asia/Shanghai"
    download: bool = False  # a file imported once: no calendar name, address or refresh


@dataclass(frozen=True, slots=True)
class ZoneUse:
    """A TZID used by the feed's events and the years its instants fall in."""

    tzid: str
    first_year: int
    last_year: int


def calendar_head(header: FeedHeader) -> bytes:
    """No METHOD: a feed is a snapshot, and METHOD:PUBLISH would make ORGANIZER mandatory.

    A download is imported once into a calendar the visitor already has: a calendar name
    would make some clients (Outlook, Thunderbird) open a new calendar for one night, and a
    refresh interval would promise updates that never come."""
    common = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if header.download:
        return encode_lines(common)
    return encode_lines([
        *common,
        text_line("NAME", header.name),
        text_line("X-WR-CALNAME", header.name),
        text_line("DESCRIPTION", header.description),
        text_line("X-WR-CALDESC", header.description),
        f"URL:{header.url}",
        f"X-WR-TIMEZONE:{header.timezone}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ])


def render_feed(header: FeedHeader, zones: Iterable[ZoneUse], blocks: Iterable[bytes]) -> bytes:
    """Join pre-rendered VEVENT blocks (see ``render_event``) into one calendar file."""
    parts = [calendar_head(header)]
    parts += [vtimezone(z.tzid, z.first_year, z.last_year)
              for z in sorted(zones, key=lambda z: z.tzid)]
    parts += blocks
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)
