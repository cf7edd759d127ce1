"""Reading feeds the way calendar clients do, and the API's view to hold them against.

Two independent parsers: icalendar + recurring-ical-events (the Python stack behind Home
Assistant's and many scripts' calendars) and ``ical`` (Home Assistant's local calendar).
An occurrence is (event id, start, end, cancelled?): starts are UTC instants for timed events
and dates (end exclusive) for all-day ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import Client

TZ = ZoneInfo("Asia/Shanghai")
# From before the first demo event (autumn 2026) to after the last (summer 2027).
WINDOW = ("2026-09-01", "2028-01-01")
# Before every demo event: all are still to come, so no feed has dropped any as past.
BEFORE_DEMO = datetime(2026, 9, 1, tzinfo=UTC)
Seen = tuple[int, date | datetime, date | datetime, bool]


def pin_clock(client: Client, moment: datetime) -> None:
    """Make the app's feeds believe it is ``moment`` (which past events they still hold)."""
    client.app.state.feed_cache.clock = lambda: moment


def _when(value: date | datetime) -> date | datetime:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _order(seen: Seen) -> tuple[str, int, str]:
    return seen[1].isoformat(), seen[0], seen[2].isoformat()


def _event_id(uid: str) -> int:
    """The event of a UID: a series' ``event-5@…`` or one of its nights' ``event-5-…Z@…``."""
    return int(uid.split("@")[0].removeprefix("event-").split("-")[0])


def _bounds(start: str, end: str) -> tuple[datetime, datetime]:
    return (datetime.combine(date.fromisoformat(start), datetime.min.time(), TZ),
            datetime.combine(date.fromisoformat(end), datetime.min.time(), TZ))


def seen_by_icalendar(body: bytes, start: str = WINDOW[0], end: str = WINDOW[1]) -> list[Seen]:
    calendar = icalendar.Calendar.from_ical(body)
    found = [(_event_id(str(e["UID"])), _when(e["DTSTART"].dt), _when(e["DTEND"].dt),
              str(e.get("STATUS", "")) == "CANCELLED")
             for e in recurring_ical_events.of(calendar).between(*_bounds(start, end))]
    return sorted(found, key=_order)


def seen_by_ical(body: bytes, start: str = WINDOW[0], end: str = WINDOW[1]) -> list[Seen]:
    calendar = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    found = [(_event_id(e.uid or ""), _when(e.dtstart), _when(e.dtend),
              e.status is not None and e.status.value == "CANCELLED")
             for e in calendar.timeline_tz(TZ).overlapping(*_bounds(start, end))]
    return sorted(found, key=_order)


def _api_when(value: str, *, all_day: bool, end: bool) -> date | datetime:
    if all_day:
        day = date.fromisoformat(value)
        return day + timedelta(days=1) if end else day  # the API's all-day end is the last day
    return datetime.fromisoformat(value).astimezone(UTC)


async def seen_by_api(client: Client, start: str = WINDOW[0], end: str = WINDOW[1],
                      event_id: int | None = None, **filters: str) -> list[Seen]:
    response = await client.get("/api/v1/occurrences",
                                params={"start": start, "end": end, **filters})
    assert response.status_code == 200, response.text
    found = [(o["event_id"], _api_when(o["start"], all_day=o["all_day"], end=False),
              _api_when(o["end"], all_day=o["all_day"], end=True), o["status"] == "cancelled")
             for o in response.json() if event_id in (None, o["event_id"])]
    return sorted(found, key=_order)


async def feed(client: Client, path: str, **params: str) -> bytes:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.content


def lines(body: bytes) -> list[str]:
    """Unfolded content lines, as a parser sees them."""
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")


def vevents(body: bytes) -> list[list[str]]:
    """Each VEVENT's unfolded lines (without BEGIN/END), in feed order."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines(body):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT" and current is not None:
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def event_blocks(body: bytes, event_id: int) -> list[list[str]]:
    uid = f"UID:event-{event_id}@events.example.test"
    return [block for block in vevents(body) if uid in block]


async def event_id_by_key(client: Client, title_zh: str) -> int:
    response = await client.get("/api/v1/events", params={"limit": 500})
    matches = [e["id"] for e in response.json()["items"] if e["title_zh"] == title_zh]
    assert len(matches) == 1, title_zh
    value: int = matches[0]
    return value


def summary(block: list[str]) -> str:
    return next(line for line in block if line.startswith("SUMMARY:"))

