"""Public pages and JSON under a full season, against a bare Litestar app serving the same bytes.

    python bench/pages.py [--events 2000,10000] [--seconds 3] [--rounds 3] [--connections 16]

For each season size (a fresh SQLite database of that many events, a fifth of them weekly
series, as bench/feeds.py makes), prints from one run:

1. requests/s of each public read, warm, under uvicorn (1 worker, no access log) against a
   bare Litestar app answering the same bytes with the same headers from memory, loaded by
   wrk in rounds that alternate between the two servers; medians and their ratio. Reads:
   an event page, home, the month calendar, the subscribe page (goal ≥ 0.5×), one month of
   /api/v1/occurrences and /api/v1/events at the default page size (goal ≥ 0.3×), and
   conditional GETs of the pages answered 304 (goal ≥ 0.9×);
2. the first render after a change (a write behind the app's back, then the recheck window
   let pass) of the event page and home: median of 5 (goal < 50 ms);
3. the app worker's peak RSS (VmHWM) after the whole run (goal < 200 MB);
and, with more than one size, how the event page's and home's throughput moved between the
smallest and the largest season (goal: less than 20 %).

Needs `wrk` (apt-get install -y wrk). Only 127.0.0.1 is loaded; servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from season import ROOT, TZ, fill, peak_rss_mb, start_server, stop, wrk
from sqlalchemy import text

from bolin_events import migrate
from bolin_events.db import make_engine
from bolin_events.settings import Settings

PUBLIC_URL = "http://127.0.0.1"
SECRET = "bench-secret-key-not-for-use"
BARE_APP = '''
import json
from pathlib import Path
from litestar import Litestar, Request, Response, get

ANSWERS = {{path: (Path(body).read_bytes(), etag, media)
           for path, (body, etag, media) in json.loads(Path({index!r}).read_text()).items()}}


@get("/bare/{{number:int}}")
async def answer(request: Request, number: int) -> Response[bytes]:
    body, etag, media = ANSWERS[str(number)]
    headers = {{"ETag": etag, "Cache-Control": "public, max-age=60", "Vary": "Cookie"}}
    if request.headers.get("if-none-match") == etag:
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


app = Litestar([answer])
'''


def reads(events: int) -> list[tuple[str, str, float, bool]]:
    """(label, path, goal, page?) of every read measured."""
    month = datetime.now(TZ).date().replace(day=1) + timedelta(days=40)
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    series = 5 * (events // 10)  # every fifth event is a weekly series
    return [
        ("event page", f"/events/{series}", 0.5, True),
        ("home", "/", 0.5, True),
        ("month calendar", f"/calendar?month={start:%Y-%m}", 0.5, True),
        ("subscribe page", "/subscribe", 0.5, True),
        ("occurrences, a month", f"/api/v1/occurrences?start={start}&end={end}", 0.3, False),
        ("events, default page", "/api/v1/events", 0.3, False),
    ]


async def touch(settings: Settings, event_id: int) -> None:
    """A change behind the app's back, as another process would make it."""
    engine = make_engine(settings)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE event SET sequence = sequence + 1 WHERE id = :id"), {"id": event_id}
            )
    finally:
        await engine.dispose()


def first_render_ms(settings: Settings, url: str, event_id: int, wait: float) -> float:
    """Median time to the first answer after a change, on an open connection (a new client
    and connection per request would add their own tens of milliseconds)."""
    times = []
    with httpx.Client(timeout=30) as client:
        client.get(url)
        for _ in range(5):
            asyncio.run(touch(settings, event_id))
            time.sleep(wait)  # the recheck window passes: the next request asks the database
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text[:300]
    return statistics.median(times)


def run(events: int, seconds: int, rounds: int, connections: int) -> dict[str, float]:
    """One season size: prints its table and gives the app's req/s by read."""
    measured: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bolin-bench-pages-") as tmp_name:
        tmp = Path(tmp_name)
        database_url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        settings = Settings(database_url=database_url, data_dir=tmp / "data",
                            public_url=PUBLIC_URL, secret_key=SECRET, log_level="WARNING")
        migrate.upgrade(settings)
        nights = asyncio.run(fill(settings, events))
        print(f"\nseason: {events} events, {nights} occurrences")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIN_")}
        env.update(BOLIN_DATABASE_URL=database_url, BOLIN_DATA_DIR=str(tmp / "data"),
                   BOLIN_PUBLIC_URL=PUBLIC_URL, BOLIN_SECRET_KEY=SECRET,
                   BOLIN_LOG_LEVEL="WARNING")
        app, app_url = start_server("bolin_events.app:create_app_from_env", env, ROOT / "src",
                                    factory=True, ready="/healthz")
        bare = None
        try:
            index = {}
            for number, (_, path, _, _) in enumerate(reads(events)):
                response = httpx.get(app_url + path, timeout=60)
                assert response.status_code == 200, (path, response.text[:300])
                body = tmp / f"answer-{number}"
                body.write_bytes(response.content)
                index[str(number)] = (str(body), response.headers["etag"],
                                      response.headers["content-type"])
            (tmp / "answers.json").write_text(__import__("json").dumps(index))
            (tmp / "bare_app.py").write_text(textwrap.dedent(
                BARE_APP.format(index=str(tmp / "answers.json"))))
            bare, bare_url = start_server("bare_app:app", env, tmp, factory=False,
                                          ready="/bare/0")
            print(f"1. wrk, {rounds} alternating rounds of {seconds}s per server, "
                  f"{connections} connections, uvicorn 1 worker, no access log")
            load = (seconds, connections)
            for number, (label, path, goal, page) in enumerate(reads(events)):
                size = len(Path(index[str(number)][0]).read_bytes())
                tries = [(label, {}, goal)]
                if page:
                    tries.append((f"{label} 304", {"If-None-Match": index[str(number)][1]}, 0.9))
                for name, headers, wanted in tries:
                    ours, theirs = [], []
                    for _ in range(rounds):  # alternating: noise falls on both alike
                        ours.append(wrk(app_url + path, *load, headers))
                        theirs.append(wrk(f"{bare_url}/bare/{number}", *load, headers))
                    mine, bare_rps = statistics.median(ours), statistics.median(theirs)
                    measured[name] = mine
                    verdict = "ok" if mine / bare_rps >= wanted else "BELOW GOAL"
                    print(f"   {name:26} {size / 1000:7.0f} KB   app {mine:7.0f} req/s   "
                          f"bare {bare_rps:7.0f} req/s   ratio {mine / bare_rps:.2f} "
                          f"(goal ≥ {wanted}) {verdict}")
            series = 5 * (events // 10)
            wait = 2.1  # BOLIN_FEED_RECHECK_SECONDS (2) and a little
            for label, path in (("event page", f"/events/{series}"), ("home", "/")):
                ms = first_render_ms(settings, app_url + path, series, wait)
                print(f"2. first render after a change, {label}: {ms:.0f} ms (goal < 50 ms)")
            print(f"3. app worker peak RSS (VmHWM): {peak_rss_mb(app.pid):.0f} MB "
                  f"(goal < 200 MB)")
        finally:
            stop(app)
            if bare is not None:
                stop(bare)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", default="2000,10000", help="season sizes, comma-separated")
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds per server")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    sizes = [int(n) for n in args.events.split(",")]
    results = {n: run(n, args.seconds, args.rounds, args.connections) for n in sizes}
    if len(sizes) > 1:
        small, large = results[min(sizes)], results[max(sizes)]
        for label in ("event page", "home"):
            change = (large[label] - small[label]) / small[label] * 100
            print(f"4. {label}: {min(sizes)} → {max(sizes)} events changes throughput by "
                  f"{change:+.0f} % (goal: less than 20 %)")


if __name__ == "__main__":
    main()
