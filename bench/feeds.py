"""The /feeds/all.ics feed under a full season: build time, HTTP throughput, memory.

    python bench/feeds.py [--events 2000] [--seconds 5] [--rounds 5] [--connections 16]

Fills a fresh SQLite database in a temporary directory with a season of 2,000 events — a
fifth of them weekly series, ~20,000 occurrences in all, a few nights skipped, moved or
cancelled — then prints, from one run:

1. a cold build of the feed (services.feeds.get_feed with a fresh FeedCache) against a naive
   rebuild of the same calendar with icalendar objects for every event (same texts, RRULE,
   EXDATE, overrides, VTIMEZONE, to_ical()), checked to hold the same events; medians of 5,
   alternating, and their ratio (goal ≥ 10×);
2. requests/s of GET /feeds/all.ics (warm cache) against a bare Litestar app answering the
   same bytes from memory, both under uvicorn (1 worker, same flags) on 127.0.0.1, loaded by
   wrk in rounds that alternate between the two servers (goal ≥ 0.9);
3. the same for conditional GETs answered 304 (If-None-Match);
4. the app worker's peak RSS (VmHWM) after the load (goal < 200 MB).

Needs `wrk` (apt-get install -y wrk). Only 127.0.0.1 is loaded; servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from season import fill, peak_rss_mb, start_server, stop, wrk  # noqa: E402

from bolin_events import migrate  # noqa: E402
from bolin_events.calendar import FeedHeader  # noqa: E402
from bolin_events.calendar import events as calendar_events  # noqa: E402
from bolin_events.calendar.events import EventData  # noqa: E402
from bolin_events.db import make_engine, make_sessionmaker  # noqa: E402
from bolin_events.models import Event, Occurrence  # noqa: E402
from bolin_events.services.feeds.build import Cuts, get_feed  # noqa: E402
from bolin_events.services.feeds.cache import FeedCache, utc_now  # noqa: E402
from bolin_events.services.feeds.rows import conditions  # noqa: E402
from bolin_events.services.feeds.scope import FeedScope, FeedSelection  # noqa: E402
from bolin_events.services.feeds.snapshot import Names, snapshot  # noqa: E402
from bolin_events.services.refs import load_refs  # noqa: E402
from bolin_events.settings import Settings  # noqa: E402

PUBLIC_URL = "http://127.0.0.1"


def naive_feed(events: list[Event], nights: dict[int, list[Occurrence]], names: Names,
               header: FeedHeader) -> bytes:
    """The same feed as icalendar objects, every event every time, serialised with to_ical():
    the approach the cached blocks avoid. Its texts come from the same snapshot and helpers as
    ours, so the two files hold the same calendar (checked by ``same_calendar``)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bolin Town//naive//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", header.name)
    calendar.add("x-wr-calname", icalendar.vText(header.name))
    calendar.add("description", header.description)
    calendar.add("x-wr-caldesc", icalendar.vText(header.description))
    calendar.add("url", header.url)
    calendar.add("x-wr-timezone", header.timezone)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")

    def when(moment: datetime, ev: EventData) -> Any:
        local = moment.astimezone(ZoneInfo(ev.timezone))
        return local.date() if ev.all_day else local

    def component(ev: EventData, start: datetime, end: datetime, state: str,
                  place: Any, note: str | None) -> icalendar.Event:
        item = icalendar.Event()
        item.add("uid", ev.uid)
        item.add("dtstamp", ev.updated_at)
        item.add("last-modified", ev.updated_at)
        item.add("sequence", ev.sequence)
        item.add("dtstart", when(start, ev))
        item.add("dtend", when(end, ev))
        item.add("summary", calendar_events._summary(ev.title, state))
        details = calendar_events._details(ev)
        item.add("description", "\n\n".join([note, *details] if note else details))
        if place is not None:
            item.add("location", place.location())
            if place.latitude is not None and place.longitude is not None:
                item.add("geo", (place.latitude, place.longitude))
        if ev.category:
            item.add("categories", [ev.category.joined()])
        if ev.all_day:
            item.add("transp", "TRANSPARENT")
        if ev.url:
            item.add("url", ev.url)
        item.add("status", calendar_events.STATUS.get(state, "CONFIRMED"))
        return item

    for event in events:
        ev = snapshot(names, event, nights.get(event.id or 0, []), PUBLIC_URL)  # type: ignore[arg-type]
        state = ev.status if ev.status in calendar_events.PREFIX else "published"
        note = calendar_events._note(state, ev.status_reason, night=False)
        master = component(ev, ev.starts_at, ev.ends_at, state, ev.place, note)
        if ev.rrule:
            master.add("rrule", icalendar.vRecur.from_ical(ev.rrule))
            for night in ev.nights:
                if night.state == "skipped":
                    master.add("exdate", when(night.recurrence_id, ev))
        calendar.add_component(master)
        for night in ev.nights if ev.rrule else ():
            if night.state in ("moved", "cancelled"):
                night_state = "cancelled" if "cancelled" in (night.state, state) else state
                override = component(ev, night.starts_at, night.ends_at, night_state,
                                     night.place,
                                     calendar_events._note(night.state, night.reason, night=True))
                override.add("recurrence-id", when(night.recurrence_id, ev))
                calendar.add_component(override)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def same_calendar(ours: bytes, naive: bytes) -> str:
    """Both files hold the same events: UID, RECURRENCE-ID, start, title, status and place."""
    def events(body: bytes) -> set[tuple[str, ...]]:
        return {
            (str(c.get("uid")), str(c.get("recurrence-id").dt if c.get("recurrence-id") else ""),
             str(c.decoded("dtstart")), str(c.get("summary")), str(c.get("status")),
             str(c.get("location")))
            for c in icalendar.Calendar.from_ical(body).walk("VEVENT")
        }
    a, b = events(ours), events(naive)
    if a == b:
        return "same events"
    return f"DIFFERENT: {len(a - b)} only ours, {len(b - a)} only naive"


async def build_times(settings: Settings, runs: int = 5) -> tuple[list[float], list[float], str]:
    engine = make_engine(settings)
    ours: list[float] = []
    naive: list[float] = []
    sizes = ""
    try:
        for _ in range(runs):
            async with make_sessionmaker(engine)() as session:
                started = time.perf_counter()
                feed = await get_feed(session, await load_refs(session), FeedCache(), settings,
                                      FeedScope())
                ours.append(time.perf_counter() - started)
            async with make_sessionmaker(engine)() as session:
                started = time.perf_counter()
                refs = await load_refs(session)
                cuts = Cuts.at(utc_now(), settings)
                events = list((await session.exec(
                    select(Event).where(*conditions(FeedSelection(), cuts.past, cuts.today))
                    .order_by(col(Event.starts_at), col(Event.id)))).all())
                by_event: dict[int, list[Occurrence]] = defaultdict(list)
                for night in (await session.exec(
                        select(Occurrence).where(Occurrence.state != "scheduled")
                        .order_by(col(Occurrence.recurrence_id)))).all():
                    by_event[night.event_id].append(night)
                selection = FeedSelection()
                header = FeedHeader(name=selection.title(), description=selection.description(),
                                    url=PUBLIC_URL + "/feeds/all.ics",
                                    timezone=settings.timezone)
                body = naive_feed(events, by_event, Names(refs), header)
                naive.append(time.perf_counter() - started)
            sizes = (f"ours {len(feed.body) / 1e6:.2f} MB, {feed.body.count(b'BEGIN:VEVENT')}"
                     f" VEVENTs; naive {len(body) / 1e6:.2f} MB, "
                     f"{body.count(b'BEGIN:VEVENT')} VEVENTs; {same_calendar(feed.body, body)}")
    finally:
        await engine.dispose()
    return ours, naive, sizes


BARE_APP = '''
from pathlib import Path
from litestar import Litestar, Request, Response, get

BODY = Path({body!r}).read_bytes()
ETAG = {etag!r}


@get("/feeds/all.ics")
async def feed(request: Request) -> Response[bytes]:
    headers = {{"ETag": ETAG, "Cache-Control": "public, max-age=300"}}
    if request.headers.get("if-none-match") == ETAG:
        return Response(b"", status_code=304, headers=headers)
    return Response(BODY, media_type="text/calendar", headers=headers)


app = Litestar([feed])
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=5, help="wrk rounds per server")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="bolin-bench-feeds-") as tmp_name:
        tmp = Path(tmp_name)
        database_url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        settings = Settings(database_url=database_url, data_dir=tmp / "data",
                            public_url=PUBLIC_URL, secret_key="bench-secret-key-not-for-use",
                            log_level="WARNING")
        migrate.upgrade(settings)
        started = time.perf_counter()
        nights = asyncio.run(fill(settings, args.events))
        print(f"season: {args.events} events, {nights} occurrences "
              f"(loaded in {time.perf_counter() - started:.1f}s)")

        ours, naive, sizes = asyncio.run(build_times(settings))
        ours_median, naive_median = statistics.median(ours), statistics.median(naive)
        print(f"1. cold build, median of 5: get_feed {ours_median * 1000:.0f} ms   "
              f"naive icalendar {naive_median * 1000:.0f} ms   "
              f"ratio {naive_median / ours_median:.1f}× (goal ≥ 10×)")
        print(f"   {sizes}")

        env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIN_")}
        env.update(BOLIN_DATABASE_URL=database_url, BOLIN_DATA_DIR=str(tmp / "data"),
                   BOLIN_PUBLIC_URL=PUBLIC_URL, BOLIN_SECRET_KEY="bench-secret-key-not-for-use",
                   BOLIN_LOG_LEVEL="WARNING")
        app, app_url = start_server("bolin_events.app:create_app_from_env", env,
                                    ROOT / "src", factory=True)
        bare = None
        try:
            response = httpx.get(app_url + "/feeds/all.ics", timeout=30)
            etag = response.headers["etag"]
            (tmp / "feed.ics").write_bytes(response.content)
            (tmp / "bare_app.py").write_text(textwrap.dedent(
                BARE_APP.format(body=str(tmp / "feed.ics"), etag=etag)))
            bare, bare_url = start_server("bare_app:app", env, tmp, factory=False)
            assert httpx.get(bare_url + "/feeds/all.ics").content == response.content
            feed_path = "/feeds/all.ics"
            load = (args.seconds, args.connections)
            print(f"2./3. wrk, {args.rounds} alternating rounds of {args.seconds}s per server, "
                  f"{args.connections} connections, 2 threads, uvicorn 1 worker "
                  f"({len(response.content) / 1e6:.2f} MB body)")
            for label, headers in (("200 GET", {}), ("304 If-None-Match", {"If-None-Match": etag})):
                # Rounds alternate between the two servers so that noise on this shared
                # machine falls on both alike; medians and their ratio are printed.
                ours_rps, bare_rps = [], []
                for _ in range(args.rounds):
                    ours_rps.append(wrk(app_url + feed_path, *load, headers))
                    bare_rps.append(wrk(bare_url + feed_path, *load, headers))
                ours_median, bare_median = statistics.median(ours_rps), statistics.median(bare_rps)
                print(f"   {label:18} app {ours_median:8.0f} req/s   bare {bare_median:8.0f} req/s"
                      f"   ratio {ours_median / bare_median:.2f} (goal ≥ 0.9)   "
                      f"[rounds: app {', '.join(f'{r:.0f}' for r in ours_rps)}; "
                      f"bare {', '.join(f'{r:.0f}' for r in bare_rps)}]")
            print(f"4. app worker peak RSS (VmHWM): {peak_rss_mb(app.pid):.0f} MB (goal < 200 MB)")
        finally:
            stop(app)
            if bare is not None:
                stop(bare)


if __name__ == "__main__":
    main()
