"""Sign-ups per second and tally batches per second, SQLite against PostgreSQL, 2 app processes.

    python bench/signups.py [--signups 1000] [--places 500] [--batches 3000] [--entrances 3]
        [--concurrency 50] [--rounds 1] [--workers 2] [--databases sqlite,postgres]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Starts a real server (`bolin-events serve --workers 2`, default settings) on a fresh SQLite
file, then on a fresh PostgreSQL database made on the server of --postgres (dropped
afterwards; skipped, with a line saying why, when none answers). On each, per round, a
published event with one night tomorrow and a sign-up plan (--places, waitlist on, one
sign-up per phone number; every request comes from 127.0.0.1, so the cap per address is
set to its highest):

- sign-ups: --signups visitors, each with a phone number of their own (1380000xxxx), sign up
  through the public API, --concurrency at once. Afterwards the night's list (read with an
  admin token) must hold min(signups, places) people confirmed and the rest waitlisted,
  positions 1, 2, 3 … — "places held".
- tally: --entrances entrances opened on the same night, --batches batches of +1 spread over
  them, --concurrency at once, every 10th batch sent twice at the same moment (a retry
  racing its original). Afterwards the night's total and each entrance's count must equal
  the distinct batches sent — "total matched".

A request answered 503 (the server's crowd limit) or dropped is sent again, as a phone would;
the time includes those. Prints one line per database and measure, then PostgreSQL/SQLite
ratios; with --rounds, medians. Exits 1 when a check fails. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.attendance.helpers import make_event
from tests.attendance.live import LiveServer, live_server
from tests.support.db import scratch_postgres
from tests.tally.helpers import batches_url, tally_url

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
MAX_PER_ADDRESS = 10_000  # the plan's highest cap per network address (schemas.signups.PlanIn)
GATES = ("东门", "南门", "西门", "北门", "正门", "侧门", "后门", "广场口", "停车场口", "河边口")
TRIES = 20


@dataclass
class Measure:
    """One timed run: ``count`` distinct items (sign-ups or batches) in ``seconds``."""

    count: int
    requests: int
    seconds: float
    busy: int = 0  # 503s and dropped connections, sent again
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.count / self.seconds


@dataclass
class Figures:
    name: str
    signups: list[Measure] = field(default_factory=list)
    batches: list[Measure] = field(default_factory=list)
    skipped: str | None = None
    failed: str | None = None  # the run could not go on (its set-up was refused)


class Sender:
    """Sends requests ``concurrency`` at once, sending again after a 503 or a dropped
    connection, and says how far it got on stderr."""

    def __init__(self, client: httpx.AsyncClient, concurrency: int, label: str, total: int):
        self.client, self.gate = client, asyncio.Semaphore(concurrency)
        self.label, self.total, self.done, self.busy = label, total, 0, 0

    async def post(self, url: str, body: dict[str, Any], headers: dict[str, str] | None = None
                   ) -> httpx.Response:
        async with self.gate:
            for _ in range(TRIES):
                try:
                    answer = await self.client.post(url, json=body, headers=headers)
                except httpx.TransportError:
                    self.busy += 1
                    await asyncio.sleep(0.2)
                    continue
                if answer.status_code != 503:
                    self.done += 1
                    return answer
                self.busy += 1
                await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
        raise RuntimeError(f"{url}: no answer after {TRIES} tries")

    @asynccontextmanager
    async def progress(self) -> AsyncIterator[None]:
        async def report() -> None:
            while True:
                await asyncio.sleep(2)
                print(f"  {self.label}: {self.done}/{self.total}", file=sys.stderr, flush=True)

        reporter = asyncio.create_task(report())
        try:
            yield
        finally:
            reporter.cancel()


async def _timed(work: Callable[[], Awaitable[list[httpx.Response]]]
                 ) -> tuple[list[httpx.Response], float]:
    started = time.perf_counter()
    answers = await work()
    return answers, time.perf_counter() - started


def _unexpected(answers: list[httpx.Response], wanted: set[int]) -> list[str]:
    statuses = Counter(a.status_code for a in answers)
    odd = [a for a in answers if a.status_code not in wanted]
    if not odd:
        return []
    return [f"answers {dict(statuses)}", *(f"{a.status_code}: {a.text[:200]}" for a in odd[:3])]


async def _night(client: httpx.AsyncClient, admin: dict[str, str], places: int) -> str:
    """A published night tomorrow taking sign-ups: ``places``, a waitlist, one per phone."""
    event_id, night = await make_event(client, admin, days_from_now=1)
    plan = {"places": places, "waitlist": True, "per_phone": 1, "per_address": MAX_PER_ADDRESS}
    saved = await client.put(f"/api/v1/events/{event_id}/signup-plan", json=plan, headers=admin)
    if saved.status_code != 200:
        raise RuntimeError(f"signup plan: {saved.status_code} {saved.text[:300]}")
    return night


async def _sign_ups(client: httpx.AsyncClient, admin: dict[str, str], night: str, label: str,
                    signups: int, places: int, concurrency: int) -> Measure:
    sender = Sender(client, concurrency, f"{label} sign-ups", signups)
    url = f"/api/v1/occurrences/{night}/signups"
    async with sender.progress():
        answers, seconds = await _timed(lambda: asyncio.gather(*(
            sender.post(url, {"name": f"游客{n}", "phone": f"1380000{n:04d}"})
            for n in range(signups))))
    problems = _unexpected(answers, {201})
    listed = await client.get(f"/api/v1/occurrences/{night}/registrations", headers=admin)
    if listed.status_code != 200:
        problems.append(f"the night's list: {listed.status_code} {listed.text[:200]}")
    else:
        problems += _places_problems(listed.json(), signups, places)
    return Measure(signups, sender.done, seconds, sender.busy, problems)


def _places_problems(rows: list[dict[str, Any]], signups: int, places: int) -> list[str]:
    """Exactly the places confirmed, everyone else waiting in one line 1, 2, 3 …"""
    confirmed = sum(r["party"] for r in rows if r["state"] == "confirmed")
    waiting = sorted(r["position"] for r in rows if r["state"] == "waitlisted")
    problems = []
    if confirmed != min(signups, places):
        problems.append(f"{confirmed} people confirmed for {places} places ({signups} sent)")
    if waiting != list(range(1, max(0, signups - places) + 1)):
        problems.append(f"{len(waiting)} waitlisted, positions {waiting[:5]}…{waiting[-5:]}")
    if len(rows) != signups:
        problems.append(f"{len(rows)} sign-ups listed, {signups} sent")
    return problems


async def _tally(client: httpx.AsyncClient, admin: dict[str, str], night: str, label: str,
                 batches: int, entrances: int, concurrency: int) -> Measure:
    gates = []
    for name in GATES[:entrances]:
        opened = await client.post(tally_url(night, "/entrances"), json={"name": name},
                                   headers=admin)
        if opened.status_code not in (200, 201):
            raise RuntimeError(f"entrance {name}: {opened.status_code} {opened.text[:300]}")
        gates.append(int(opened.json()["id"]))
    run = uuid.uuid4().hex[:8]
    sends = [(gates[n % entrances], {"key": f"{run}-{n}", "delta": 1}, 2 if n % 10 == 0 else 1)
             for n in range(batches)]
    copies = sum(times for *_, times in sends)
    sender = Sender(client, concurrency, f"{label} batches", copies)

    async def send(gate: int, body: dict[str, Any], times: int) -> list[httpx.Response]:
        url = batches_url(night, gate)
        return list(await asyncio.gather(*(sender.post(url, body, admin) for _ in range(times))))

    async def everything() -> list[httpx.Response]:
        sent = await asyncio.gather(*(send(*one) for one in sends))
        return [answer for answers in sent for answer in answers]

    async with sender.progress():
        answers, seconds = await _timed(everything)
    problems = _unexpected(answers, {200, 201})
    statuses = Counter(a.status_code for a in answers)
    if (statuses[201], statuses[200]) != (batches, copies - batches):
        problems.append(f"{statuses[201]} counted (201), {statuses[200]} repeats (200); "
                        f"expected {batches} and {copies - batches}")
    problems += await _total_problems(client, admin, night, gates, batches)
    return Measure(batches, copies, seconds, sender.busy, problems)


async def _total_problems(client: httpx.AsyncClient, admin: dict[str, str], night: str,
                          gates: list[int], batches: int) -> list[str]:
    figures = await client.get(tally_url(night), headers=admin)
    if figures.status_code != 200:
        return [f"the tally: {figures.status_code} {figures.text[:200]}"]
    found = figures.json()
    expected = {gate: len(range(n, batches, len(gates))) for n, gate in enumerate(gates)}
    counted = {e["id"]: e["count"] for e in found["entrances"]}
    problems = []
    if found["total"] != batches:
        problems.append(f"total {found['total']}, {batches} distinct batches sent")
    if counted != expected:
        problems.append(f"entrances {counted}, expected {expected}")
    return problems


async def _round(server: LiveServer, label: str, args: argparse.Namespace
                 ) -> tuple[Measure, Measure]:
    admin = server.headers("admin")
    limits = httpx.Limits(max_connections=args.concurrency,
                          max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as client:
        night = await _night(client, admin, args.places)
        signed = await _sign_ups(client, admin, night, label, args.signups, args.places,
                                 args.concurrency)
        counted = await _tally(client, admin, night, label, args.batches, args.entrances,
                               args.concurrency)
    return signed, counted


def measure(figures: Figures, server: LiveServer, args: argparse.Namespace) -> None:
    for n in range(args.rounds):
        label = figures.name if args.rounds == 1 else f"{figures.name} round {n + 1}"
        try:
            signed, counted = asyncio.run(_round(server, label, args))
        except RuntimeError as exc:  # a set-up request refused, or no answer: say which
            figures.failed = str(exc)
            return
        figures.signups.append(signed)
        figures.batches.append(counted)


@contextmanager
def _sqlite(data: Path, workers: int) -> Iterator[LiveServer]:
    with live_server(f"sqlite+aiosqlite:///{data / 'bench.db'}", data / "sqlite",
                     workers=workers) as server:
        yield server


def _median(measures: list[Measure]) -> Measure:
    """The round of median rate (the middle one; with an even count, the slower middle)."""
    ranked = sorted(measures, key=lambda m: m.rate)
    return ranked[(len(ranked) - 1) // 2]


def lines(figures: list[Figures], args: argparse.Namespace) -> list[str]:
    out = []
    of = f" (median of {args.rounds})" if args.rounds > 1 else ""
    for found in figures:
        if found.skipped:
            out.append(f"{found.name:<11} skipped: {found.skipped}")
            continue
        if found.failed:
            out.append(f"{found.name:<11} FAILED: {found.failed}")
            continue
        held = all(not m.problems for m in found.signups)
        matched = all(not m.problems for m in found.batches)
        signed, counted = _median(found.signups), _median(found.batches)
        out.append(
            f"{found.name:<11} {signed.count} sign-ups in {signed.seconds:.1f}s = "
            f"{signed.rate:.0f}/s ({args.concurrency} at once){of} — "
            f"{'places held' if held else 'PLACES BROKEN'}{_busy(found.signups)}")
        out += [f"    {p}" for m in found.signups for p in m.problems[:5]]
        out.append(
            f"{found.name:<11} {counted.count} batches in {counted.seconds:.1f}s = "
            f"{counted.rate:.0f}/s ({counted.requests} requests, {args.concurrency} at once)"
            f"{of} — {'total matched' if matched else 'TOTAL DID NOT MATCH'}"
            f"{_busy(found.batches)}")
        out += [f"    {p}" for m in found.batches for p in m.problems[:5]]
    measured = {f.name: f for f in figures if not f.skipped and not f.failed}
    if {"SQLite", "PostgreSQL"} <= set(measured):
        lite, pg = measured["SQLite"], measured["PostgreSQL"]
        out.append(
            f"PostgreSQL/SQLite  sign-ups/s "
            f"{_median(pg.signups).rate / _median(lite.signups).rate:.2f}×, batches/s "
            f"{_median(pg.batches).rate / _median(lite.batches).rate:.2f}×")
    return out


def _busy(measures: list[Measure]) -> str:
    busy = sum(m.busy for m in measures)
    return f" ({busy} busy answers sent again)" if busy else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signups", type=int, default=1000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--batches", type=int, default=3000)
    parser.add_argument("--entrances", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--databases", default="sqlite,postgres",
                        help="which to measure, comma-separated: sqlite, postgres")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    kinds = {k.strip() for k in args.databases.split(",") if k.strip()}
    if not kinds or kinds - {"sqlite", "postgres"}:
        parser.error("--databases takes sqlite, postgres or both")
    if not 1 <= args.signups <= MAX_PER_ADDRESS:
        parser.error(f"--signups: 1 to {MAX_PER_ADDRESS} (one network address, one phone each)")
    if not 1 <= args.entrances <= len(GATES):
        parser.error(f"--entrances: 1 to {len(GATES)}")
    for name in ("places", "batches", "concurrency", "rounds", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")

    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        if "sqlite" in kinds:
            found = Figures("SQLite")
            with _sqlite(data, args.workers) as server:
                measure(found, server, args)
            figures.append(found)
        if "postgres" in kinds:
            found = Figures("PostgreSQL")
            os.environ["BOLIN_TEST_POSTGRES_URL"] = args.postgres
            with ExitStack() as stack:
                try:
                    url = stack.enter_context(scratch_postgres("bolin_h6_bench"))
                except Exception as exc:  # no server or no rights: say so, keep SQLite's figures
                    found.skipped = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                else:
                    server = stack.enter_context(live_server(url, data / "pg",
                                                             workers=args.workers))
                    measure(found, server, args)
            figures.append(found)

    print(f"{args.signups} sign-ups for {args.places} places; {args.batches} tally batches of +1 "
          f"over {args.entrances} entrances, every 10th sent twice at once; "
          f"{args.concurrency} requests at once, {args.workers} app processes")
    for line in lines(figures, args):
        print(line)
    failed = any(f.failed or any(m.problems for m in (*f.signups, *f.batches))
                 for f in figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
