"""A festival crowd: thousands of phones on one event page and its .ics at once.

    python bench/crowd.py [--events 2000] [--connections 2000] [--seconds 20] [--workers 2] \
        [--rounds 2] [--no-changes]

A season of ``--events`` events in a fresh SQLite file, served by `bolin-events serve
--workers 2` as a station would run it (the app's access log on). wrk opens
``--connections`` connections and asks, alternately, for one weekly series' event page and
its .ics for ``--seconds`` seconds, while the event changes behind the app's back once a
second (as a scheduler editing it during the festival would make it: every change is
rendered again under the crowd). Prints requests/s, latency percentiles, every kind of error
(connect, read, write, time-outs of 5 s, answers other than 2xx/3xx) and how long the next
visitor waits once the crowd has gone; then the same crowd on a bare Litestar app serving the
same bytes from memory with the same server settings, in alternating rounds. Goal: 0 errors,
p99 under 1 s.

Needs `wrk` (apt-get install -y wrk) and enough open files (`ulimit -n` above the
connections). Only 127.0.0.1 is loaded; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from season import fill, free_port, percentile_ms
from season import stop as stop_server
from sqlalchemy import text
from tests.support.servers import serve

from bolin_events import migrate
from bolin_events.db import make_engine
from bolin_events.settings import Settings

ALTERNATE = """
local paths = {{"{page}", "{feed}"}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[n % 2 + 1])
end
"""
BARE_APP = """
from pathlib import Path
from litestar import Litestar, Response, get

PAGE, FEED = Path({page!r}).read_bytes(), Path({feed!r}).read_bytes()


@get("/events/{{number:int}}")
async def page(number: int) -> Response[bytes]:
    return Response(PAGE, media_type="text/html; charset=utf-8")


@get("/feeds/events/{{name:str}}")
async def feed(name: str) -> Response[bytes]:
    return Response(FEED, media_type="text/calendar; charset=utf-8")


app = Litestar([page, feed])
"""
# The bare app's processes as `bolin-events serve` runs its own: serve's listening socket
# (uvicorn's CLI binds one on which Nagle stays on with the asyncio loop, adding ~40 ms to
# every answer), its workers and loop.
BARE_SERVER = """
import sys
import uvicorn
from uvicorn.supervisors import Multiprocess
from bolin_events.cli.serve import listen

if __name__ == "__main__":
    sys.path.insert(0, sys.argv[3])
    sock = listen("127.0.0.1", int(sys.argv[1]))
    config = uvicorn.Config("bare_crowd:app", workers=int(sys.argv[2]), loop="asyncio",
                            access_log=False, log_level="warning")
    Multiprocess(config, sockets=[sock]).run()
"""


def changes(settings: Settings, event_id: int, stop: threading.Event) -> int:
    """A change to the event once a second until ``stop``; how many were made."""
    async def run() -> int:
        engine = make_engine(settings)
        made = 0
        try:
            while not stop.is_set():
                async with engine.begin() as connection:
                    await connection.execute(text(
                        "UPDATE event SET sequence = sequence + 1, updated_at = CURRENT_TIMESTAMP "
                        "WHERE id = :id"), {"id": event_id})
                made += 1
                await asyncio.sleep(1)
        finally:
            await engine.dispose()
        return made
    return asyncio.run(run())


def crowd(url: str, page: str, feed: str, connections: int, seconds: int,
          script: Path) -> dict[str, float]:
    script.write_text(ALTERNATE.format(page=page, feed=feed))
    threads = min(connections, 2)
    output = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
         "--latency", "-s", str(script), url + page],
        capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    found: dict[str, float] = {}
    for label in ("50", "90", "99"):
        found[f"p{label}"] = percentile_ms(output, label)
    requests = re.search(r"(\d+) requests in", output)
    found["requests"] = float(requests.group(1)) if requests else 0
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    found["rps"] = float(rate.group(1)) if rate else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    for name, value in zip(("connect", "read", "write", "timeout"),
                           errors.groups() if errors else (0, 0, 0, 0), strict=True):
        found[name] = float(value)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    found["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0
    return found


@contextmanager
def bare_server(tmp: Path, page: bytes, feed: bytes, workers: int) -> Iterator[str]:
    """A bare Litestar app answering the same bytes from memory, under uvicorn with the same
    socket, workers and loop as `bolin-events serve` (``BARE_SERVER``)."""
    (tmp / "page.bin").write_bytes(page)
    (tmp / "feed.bin").write_bytes(feed)
    (tmp / "bare_crowd.py").write_text(BARE_APP.format(page=str(tmp / "page.bin"),
                                                        feed=str(tmp / "feed.bin")))
    port = free_port()
    (tmp / "bare_server.py").write_text(BARE_SERVER)
    process = subprocess.Popen(
        [sys.executable, str(tmp / "bare_server.py"), str(port), str(workers), str(tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{url}/events/1")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        stop_server(process)


def report(name: str, result: dict[str, float]) -> float:
    errors = sum(result[k] for k in ("connect", "read", "write", "timeout", "non_2xx"))
    print(f"   {name}: {result['requests']:.0f} requests, {result['rps']:.0f} req/s; latency "
          f"p50 {result['p50']:.0f} ms, p90 {result['p90']:.0f} ms, p99 {result['p99']:.0f} ms; "
          f"errors: connect {result['connect']:.0f}, read {result['read']:.0f}, write "
          f"{result['write']:.0f}, time-out {result['timeout']:.0f}, not 2xx/3xx "
          f"{result['non_2xx']:.0f}")
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-changes", action="store_true", help="leave the event unchanged")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bolin-bench-crowd-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        database_url = f"sqlite+aiosqlite:///{data / 'bolin.db'}"
        settings = Settings(database_url=database_url, data_dir=data)
        migrate.upgrade(settings)
        nights = asyncio.run(fill(settings, args.events))
        print(f"season: {args.events} events, {nights} occurrences; "
              f"bolin-events serve --workers {args.workers}")
        series = 5 * (args.events // 10)  # a weekly series (see season.fill)
        page, feed = f"/events/{series}", f"/feeds/events/{series}.ics"
        with serve(data, database_url=database_url, workers=args.workers) as server:
            page_bytes, feed_bytes = (httpx.get(server.at(path), timeout=30).content
                                      for path in (page, feed))
            with bare_server(tmp, page_bytes, feed_bytes, args.workers) as bare_url:
                print(f"{args.connections} connections for {args.seconds}s on {page} and {feed}, "
                      f"{args.workers} workers, {args.rounds} rounds alternating with bare "
                      f"Litestar serving the same bytes:")
                errors = 0.0
                for number in range(1, args.rounds + 1):
                    stop = threading.Event()
                    made: list[int] = []
                    changer = threading.Thread(
                        target=lambda stop=stop, made=made: made.append(
                            changes(settings, series, stop)))
                    if not args.no_changes:
                        changer.start()
                    try:
                        ours = crowd(server.url, page, feed, args.connections, args.seconds,
                                     tmp / "alternate.lua")
                    finally:
                        stop.set()
                        if changer.is_alive():
                            changer.join()
                    started = time.perf_counter()
                    after = httpx.get(server.at(page), timeout=60)
                    next_ms = (time.perf_counter() - started) * 1000
                    bare = crowd(bare_url, page, feed, args.connections, args.seconds,
                                 tmp / "alternate.lua")
                    print(f" round {number}: {made[0] if made else 0} changes to the event "
                          f"meanwhile; the next visitor after the crowd: {after.status_code} in "
                          f"{next_ms:.0f} ms")
                    errors += report("bolin-events", ours) + (ours["p99"] >= 1000)
                    report("bare Litestar", bare)
                    print(f"   ratio of requests/s: {ours['rps'] / bare['rps']:.2f}")
            tracebacks = server.output.text.count("Traceback")
        print(f"   tracebacks in the server's log: {tracebacks}")
        verdict = "ok" if errors == 0 and tracebacks == 0 else "BELOW GOAL"
        print(f"6. goal: 0 errors, p99 < 1 s in every round: {verdict}")


if __name__ == "__main__":
    main()
