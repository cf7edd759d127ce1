"""Pure iCalendar building: domain snapshots in, RFC 5545 bytes out (no database, no HTTP)."""

from bolin_events.calendar.events import EventData, Label, Night, Place, render_event
from bolin_events.calendar.feed import FeedHeader, ZoneUse, render_feed
from bolin_events.calendar.timezones import vtimezone
from bolin_events.calendar.wire import escape_text, fold

__all__ = [

    "EventData",
    "FeedHeader",
    "Label",
    "Night",
    "Place",
    "ZoneUse",
    "escape_text",
    "fold",
    "render_event",
    "render_feed",
    "vtimezone",
]
