"""A farm's calendar as another service would publish it, and running a feed import on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import icalendar
import recurring_ical_events

from bolin_events.schemas.imports import ImportReport
from bolin_events.services.imports.ics import import_feed
from bolin_events.services.imports.rules import MappingRules, load_rules
from bolin_events.settings import Settings
from tests.conftest import Client

# Before the farm's season: every event is still to come.
BEFORE = datetime(2027, 1, 1, tzinfo=UTC)
RULES = load_rules(
    """
default_category: culture
rules:
  - {categories: 市集, category: market}
  - {categories: 农耕, category: farming}
  - {summary: 讲座, category: lecture}
"""
)

MARKET = """BEGIN:VEVENT
UID:market-2027@farm.example
DTSTAMP:20270101T000000Z
DTSTART;TZID=Asia/Shanghai:20270604T190000
DTEND;TZID=Asia/Shanghai:20270604T223000
RRULE:FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630T155959Z
EXDATE;TZID=Asia/Shanghai:20270612T190000
SUMMARY:农场周末夜市
LOCATION:嘉悦农场研学基地
CATEGORIES:市集,美食
END:VEVENT
BEGIN:VEVENT
UID:market-2027@farm.example
DTSTAMP:20270101T000000Z
RECURRENCE-ID;TZID=Asia/Shanghai:20270618T190000
DTSTART;TZID=Asia/Shanghai:20270620T190000
DTEND;TZID=Asia/Shanghai:20270620T223000
SUMMARY:农场周末夜市（因雨改到周日）
END:VEVENT
BEGIN:VEVENT
UID:market-2027@farm.example
DTSTAMP:20270101T000000Z
RECURRENCE-ID;TZID=Asia/Shanghai:20270626T190000
DTSTART;TZID=Asia/Shanghai:20270626T190000
DTEND;TZID=Asia/Shanghai:20270626T223000
STATUS:CANCELLED
SUMMARY:农场周末夜市
END:VEVENT
"""
HARVEST = """BEGIN:VEVENT
UID:harvest-2027@farm.example
DTSTAMP:20270101T000000Z
DTSTART;VALUE=DATE:20270709
DTEND;VALUE=DATE:20270712
SUMMARY:农耕文化体验节
LOCATION:东胜村 嘉悦农场研学基地
CATEGORIES:农耕
END:VEVENT
"""
TALK = """BEGIN:VEVENT
UID:talk-2027@farm.example
DTSTAMP:20270101T000000Z
DTSTART:20270710T020000Z
DTEND:20270710T040000Z
SUMMARY:柑橘种植讲座
DESCRIPTION:请自带笔记本。
LOCATION:镇农业服务中心二楼
END:VEVENT
"""


def calendar(*events: str) -> bytes:
    body = "".join(events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Farm//Calendar//ZH\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


FARM = calendar(MARKET, HARVEST, TALK)


async def run_import(
    client: Client,
    settings: Settings,
    content: bytes,
    *,
    source: str = "farm",
    rules: MappingRules = RULES,
    dry_run: bool = False,
    now: datetime = BEFORE,
) -> ImportReport:
    async with client.app.state.sessionmaker() as session, session.begin():
        return await import_feed(
            session, content, settings, source=source, rules=rules, dry_run=dry_run, now=now
        )


Night = tuple[str, str, bool]


def source_nights(content: bytes, start: date, end: date) -> list[Night]:
    """What icalendar + recurring-ical-events see: (start, end, cancelled), UTC or dates."""
    seen = recurring_ical_events.of(icalendar.Calendar.from_ical(content)).between(start, end)
    return sorted(
        (_shown(e.start), _shown(e.end), str(e.get("STATUS", "")) == "CANCELLED") for e in seen
    )


def api_nights(occurrences: list[dict[str, Any]]) -> list[Night]:
    """The same from /api/v1/occurrences (all-day ends there are the last day: +1 for iCal)."""
    nights = []
    for o in occurrences:
        if o["all_day"]:
            end = (date.fromisoformat(o["end"]) + timedelta(days=1)).isoformat()
            nights.append((o["start"], end, o["status"] == "cancelled"))
        else:
            nights.append((_shown(datetime.fromisoformat(o["start"])),
                           _shown(datetime.fromisoformat(o["end"])), o["status"] == "cancelled"))
    return sorted(nights)


def _shown(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


class FarmServer:
    """A real HTTP server in a thread: /farm.ics (``content``), /missing.ics, /slow.ics."""

    def __init__(self) -> None:
        self.content = FARM
        self.slow_seconds = 3.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # The timeout test's client gives up before the slow answer is written.
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.answer()

            def answer(self) -> None:
                if self.path == "/slow.ics":
                    time.sleep(server.slow_seconds)
                if self.path in ("/farm.ics", "/slow.ics"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar; charset=utf-8")
                    self.send_header("Content-Length", str(len(server.content)))
                    self.end_headers()
                    self.wfile.write(server.content)
                elif self.path == "/loop":
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                    self.end_headers()
                else:
                    self.send_error(404, "Not Found")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"


@contextmanager
def farm_server() -> Iterator[FarmServer]:
    server = FarmServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)
