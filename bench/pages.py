"""Public pages and JSON under a full season, against a bare Litestar app serving the same bytes.

    python bench/pages.py [--events 2000,10000] [--seconds 3] [--rounds 3] [--connections 16]

For each season size (a fresh SQLite database of that many events, a fifth of them weekly
series, as bench/feeds.py makes; all sizes served at once), prints from one run:

1. requests/s of each public read, warm, under uvicorn (1 worker, the app's access log on and
   uvicorn's off, as `bolin-events serve` runs) against a bare Litestar app answering the
   same bytes with the same headers from memory, loaded by wrk in rounds that alternate
   between the two servers; medians and their ratio. Reads: an event page, home, the month
   calendar, the subscribe page (goal ≥ 0.5×), one month of /api/v1/occurrences and
   /api/v1/events at the default page size (goal ≥ 0.3×), and conditional GETs of the pages
   answered 304 (goal ≥ 0.9×); then what the access log costs: event-page 304s with the
   app's own access log (written to a file) against the same app with none (goal ≥ 0.9×),
   and with uvicorn's access log instead;
2. the first render after a change (a scheduler renames the event through the API, then the
   page is asked for) of the event page and home: median of 5 (goal < 50 ms);
4. with more than one size: the event page's and home's throughput in the smallest and the
   largest season, in alternating rounds (goal: less than 20 % apart), and the month
   calendar's size (goal < 100 KB);
5. each app worker's peak RSS (VmHWM) after the whole run (goal < 200 MB).

Needs `wrk` (apt-get install -y wrk). Only 127.0.0.1 is loaded; servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import textwrap
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from season import ROOT, TZ, fill, peak_rss_mb, start_server, stop, wrk
from tests.support.db import Person, prepare

from bolin_events import migrate
from bolin_events.models import Role
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


def first_render_ms(url: str, path: str, event_id: int, token: str) -> float:
    """Median time to the first answer after a change made through the app (a scheduler
    renaming the event), on an open connection: the data version is checked and the page
    rendered again for it (a new client and connection per request would add their own tens
    of milliseconds)."""
    times = []
    staff = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=30) as client:
        client.get(path)
        for n in range(5):
            renamed = client.patch(f"/api/v1/events/{event_id}", headers=staff,
                                   json={"title_zh": f"柏林镇活动{event_id}（第{n}次修改）"})
            assert renamed.status_code == 200, renamed.text[:300]
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text[:300]
    return statistics.median(times)


def access_log_cost(app_url: str, env: dict[str, str], tmp: Path, path: str, etag: str,
                    rounds: int, load: tuple[int, int]) -> None:
    """304s of the event page with the app's access log (the default, written to a file) against
    the same app without any access log, and with uvicorn's instead: interleaved rounds."""
    app = "bolin_events.app:create_app_from_env"
    quiet_env = {**env, "BOLIN_ACCESS_LOG": "false"}
    quiet, quiet_url = start_server(app, quiet_env, ROOT / "src", factory=True, ready="/healthz")
    theirs, theirs_url = start_server(app, quiet_env, ROOT / "src", factory=True,
                                      ready="/healthz", log=tmp / "uvicorn.log",
                                      uvicorn_access_log=True)
    try:
        headers = {"If-None-Match": etag}
        runs: dict[str, list[float]] = {"ours": [], "none": [], "uvicorn": []}
        for _ in range(rounds):
            for name, url in (("ours", app_url), ("none", quiet_url), ("uvicorn", theirs_url)):
                runs[name].append(wrk(url + path, *load, headers))
        ours, none, uvicorn = (statistics.median(runs[k]) for k in ("ours", "none", "uvicorn"))
        lines = sum(1 for _ in (tmp / "app.log").open("rb"))
        verdict = "ok" if ours / none >= 0.9 else "BELOW GOAL"
        print(f"   access log, event page 304: app's own {ours:7.0f} req/s, none {none:7.0f} "
              f"req/s, ratio {ours / none:.2f} (goal ≥ 0.9) {verdict}; uvicorn's access log "
              f"{uvicorn:7.0f} req/s, ratio {uvicorn / none:.2f}; {lines} lines written")
    finally:
        stop(quiet)
        stop(theirs)


@dataclass
class Season:
    """One season size: its database, the app serving it, and the bytes each read answered."""

    events: int
    settings: Settings
    url: str
    pid: int
    token: str
    index: dict[str, tuple[str, str, str]]


def open_season(stack: ExitStack, events: int) -> Season:
    """A fresh SQLite database of ``events`` events and the app serving it (stopped with
    ``stack``), with every measured read fetched once."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bolin-bench-pages-")))
    database_url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    settings = Settings(database_url=database_url, data_dir=tmp / "data",
                        public_url=PUBLIC_URL, secret_key=SECRET, log_level="WARNING")
    migrate.upgrade(settings)
    nights = asyncio.run(fill(settings, events))
    token = prepare(settings, (Person("scheduler", Role.scheduler),), token_name="bench")
    print(f"\nseason: {events} events, {nights} occurrences")
    app, url = start_server("bolin_events.app:create_app_from_env", app_env(settings),
                            ROOT / "src", factory=True, ready="/healthz", log=tmp / "app.log")
    stack.callback(stop, app)
    index = {}
    for number, (_, path, _, _) in enumerate(reads(events)):
        response = httpx.get(url + path, timeout=60)
        assert response.status_code == 200, (path, response.text[:300])
        body = tmp / f"answer-{number}"
        body.write_bytes(response.content)
        index[str(number)] = (str(body), response.headers["etag"],
                              response.headers["content-type"])
    return Season(events, settings, url, app.pid, token["scheduler"], index)


def app_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIN_")}
    env.update(BOLIN_DATABASE_URL=settings.resolved_database_url,
               BOLIN_DATA_DIR=str(settings.data_dir), BOLIN_PUBLIC_URL=PUBLIC_URL,
               BOLIN_SECRET_KEY=SECRET, BOLIN_LOG_LEVEL="WARNING")
    return env


def measure(stack: ExitStack, season: Season, seconds: int, rounds: int,
            connections: int) -> None:
    """Sections 1 and 2 for one season (its bare app is stopped with ``stack``)."""
    tmp = Path(season.settings.data_dir).parent
    (tmp / "answers.json").write_text(json.dumps(season.index))
    (tmp / "bare_app.py").write_text(textwrap.dedent(
        BARE_APP.format(index=str(tmp / "answers.json"))))
    bare, bare_url = start_server("bare_app:app", app_env(season.settings), tmp, factory=False,
                                  ready="/bare/0")
    stack.callback(stop, bare)
    print(f"1. {season.events} events: wrk, {rounds} alternating rounds of {seconds}s per server, "
          f"{connections} connections, uvicorn 1 worker, the app's access log on")
    load = (seconds, connections)
    for number, (label, path, goal, page) in enumerate(reads(season.events)):
        size = len(Path(season.index[str(number)][0]).read_bytes())
        tries = [(label, {}, goal)]
        if page:
            tries.append((f"{label} 304", {"If-None-Match": season.index[str(number)][1]}, 0.9))
        for name, headers, wanted in tries:
            ours, theirs = [], []
            for _ in range(rounds):  # alternating: noise falls on both alike
                ours.append(wrk(season.url + path, *load, headers))
                theirs.append(wrk(f"{bare_url}/bare/{number}", *load, headers))
            mine, bare_rps = statistics.median(ours), statistics.median(theirs)
            verdict = "ok" if mine / bare_rps >= wanted else "BELOW GOAL"
            print(f"   {name:26} {size / 1000:7.0f} KB   app {mine:7.0f} req/s   "
                  f"bare {bare_rps:7.0f} req/s   ratio {mine / bare_rps:.2f} "
                  f"(goal ≥ {wanted}) {verdict}")
    access_log_cost(season.url, app_env(season.settings), tmp, reads(season.events)[0][1],
                    season.index["0"][1], rounds, load)
    series = 5 * (season.events // 10)
    for label, path in (("event page", f"/events/{series}"), ("home", "/")):
        ms = first_render_ms(season.url, path, series, season.token)
        print(f"2. {season.events} events, first render after a change, {label}: {ms:.0f} ms "
              f"(goal < 50 ms)")


def compare_sizes(small: Season, large: Season, seconds: int, rounds: int,
                  connections: int) -> None:
    """Goal 4: the event page and home of both seasons, in alternating rounds."""
    for label, number in (("event page", 0), ("home", 1)):
        runs: dict[int, list[float]] = {small.events: [], large.events: []}
        for _ in range(rounds):
            for season in (small, large):
                path = reads(season.events)[number][1]
                runs[season.events].append(wrk(season.url + path, seconds, connections, {}))
        before, after = statistics.median(runs[small.events]), statistics.median(runs[large.events])
        change = (after - before) / before * 100
        verdict = "ok" if abs(change) < 20 else "BEYOND GOAL"
        print(f"4. {label}: {small.events} → {large.events} events: {before:.0f} → {after:.0f} "
              f"req/s, {change:+.0f} % (goal: less than 20 %) {verdict}")
    month = [len(Path(s.index["2"][0]).read_bytes()) / 1000 for s in (small, large)]
    print(f"4. month calendar: {month[0]:.0f} KB → {month[1]:.0f} KB (goal < 100 KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", default="2000,10000", help="season sizes, comma-separated")
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds per server")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    sizes = sorted(int(n) for n in args.events.split(","))
    with ExitStack() as stack:
        seasons = [open_season(stack, n) for n in sizes]
        for season in seasons:
            measure(stack, season, args.seconds, args.rounds, args.connections)
        if len(seasons) > 1:
            compare_sizes(seasons[0], seasons[-1], args.seconds, args.rounds, args.connections)
        for season in seasons:
            print(f"5. {season.events} events: app worker peak RSS (VmHWM) after the whole run: "
                  f"{peak_rss_mb(season.pid):.0f} MB (goal < 200 MB)")


if __name__ == "__main__":
    main()
