"""Pure iCalendar building: domain snapshots in, RFC 5545 bytes out (no database, no HTTP)."""

from bolin_events.calendar.events import (
    EventData,
    Label,
    Night,
    Place,
    render_event,
    render_night,
)
from bolin_events.calendar.feed import FeedHeader, ZoneUse, render_feed
from bolin_events.calendar.series import MAX_EXDATES, RDATES_PER_LINE, night_uid
from bolin_events.calendar.timezones import vtimezone
from bolin_events.calendar.wire import escape_text, fold

__all__ = [
    "MAX_EXDATES",
    "RDATES_PER_LINE",
    "EventData",
    "FeedHeader",
    "Label",
    "Night",
    "Place",
    "ZoneUse",
    "escape_text",
    "fold",
    "night_uid",
    "render_event",
    "render_feed",
    "render_night",
    "vtimezone",
]
