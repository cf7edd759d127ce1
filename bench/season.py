"""What the benchmarks share: a season of events inserted fast, servers under uvicorn, wrk.

Imported by bench/feeds.py and bench/pages.py (run from the project root or bench/).
"""

from __future__ import annotations

import random
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import insert, text
from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(1, str(ROOT))  # tests.support, for the benchmarks that build on the harness

from bolin_events.db import make_engine, make_sessionmaker  # noqa: E402
from bolin_events.models import Category, Event, Occurrence, Venue  # noqa: E402
from bolin_events.services import seeding  # noqa: E402
from bolin_events.settings import Settings  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
WEEKS = 46  # nights of each weekly series: 400 × 46 + 1,600 singles ≈ 20,000 occurrences


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")



async def fill(settings: Settings, count: int) -> int:
    """The season, inserted with SQLAlchemy Core; returns the number of occurrences."""
    rng = random.Random(2026)
    engine = make_engine(settings)
    today = datetime.now(TZ).replace(hour=19, minute=0, second=0, microsecond=0)
    async with make_sessionmaker(engine)() as session, session.begin():
        await seeding.seed(session, settings, demo=False)
        venues = list((await session.exec(select(Venue.id))).all())
        categories = list((await session.exec(select(Category.id))).all())
        changed = datetime(2026, 1, 1, tzinfo=UTC)
        events: list[dict[str, Any]] = []
        nights: list[dict[str, Any]] = []
        for e in range(1, count + 1):
            weekly = e % 5 == 0
            first = today + timedelta(days=rng.randrange(-30, 200 if weekly else 300))
            length = timedelta(hours=rng.choice([2, 3]))
            starts = [first + timedelta(weeks=n) for n in range(WEEKS if weekly else 1)]
            venue = rng.choice(venues)
            events.append({
                "id": e, "uid": f"event-{e}@bench.test",
                "title_zh": f"柏林镇活动{e}：龙舟、庙会、夜市与川剧",
                "title_en": f"Bolin event {e}",
                "description_zh": "在柏林镇老街举行，欢迎游客与村民参加。" * 3,
                "description_en": "Held on the old street of Bolin; all welcome.",
                "category_id": rng.choice(categories), "venue_id": venue,
                "starts_at": first, "ends_at": first + length, "timezone": "Asia/Shanghai",
                "rrule": f"FREQ=WEEKLY;UNTIL={stamp(starts[-1])}" if weekly else None,
                "status": "published", "sequence": 0, "price": "免费 / free",
                "span_end": starts[-1] + length, "created_at": changed, "updated_at": changed,
            })
            for when in starts:
                state = rng.choices(["scheduled", "skipped", "moved", "cancelled"],
                                    [92, 3, 3, 2])[0] if weekly else "scheduled"
                moved = timedelta(days=1) if state == "moved" else timedelta(0)
                nights.append({
                    "event_id": e, "recurrence_id": when, "starts_at": when + moved,
                    "ends_at": when + moved + length,
                    "venue_id": rng.choice(venues) if state == "moved" else venue,
                    "state": state, "reason": "下雨 / rain" if state != "scheduled" else None,
                    "updated_at": changed,
                })
        connection = await session.connection()
        await connection.execute(insert(Event), events)
        await connection.execute(insert(Occurrence), nights)
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        await connection.commit()
    await engine.dispose()
    return len(nights)



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])



def start_server(target: str, env: dict[str, str], app_dir: Path, factory: bool,
                 ready: str = "/feeds/all.ics", log: Path | None = None,
                 uvicorn_access_log: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn (1 worker, the asyncio loop as `bolin-events serve` runs it; its own access log
    off unless asked) on a free port, answering
    ``ready`` (also warming it); what the server writes goes to ``log`` (else nowhere)."""
    port = free_port()
    logging = (["--log-level", "info", "--access-log"] if uvicorn_access_log
               else ["--log-level", "warning", "--no-access-log"])
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port",
               str(port), "--workers", "1", "--loop", "asyncio", *logging,
               "--app-dir", str(app_dir)] + (["--factory"] if factory else [])
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{target} exited with {process.returncode}")
        try:
            httpx.get(base + ready, timeout=30)  # also warms its cache
            return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{target} did not answer within 60 s")



def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()



def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True,
                            timeout=seconds + 30, check=True).stdout
    errors = re.search(r"Socket errors: (.*)", output)
    if errors:
        print(f"    wrk socket errors: {errors.group(1)}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise SystemExit(f"no Requests/sec in wrk output:\n{output}")
    return float(found.group(1))



WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def percentile_ms(output: str, percent: str) -> float:
    """A latency percentile ("50", "99" …) from wrk --latency's output, in milliseconds."""
    match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * WRK_UNITS[match.group(2)] if match else float("nan")


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")
