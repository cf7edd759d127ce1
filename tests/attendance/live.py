"""Twenty reporters hitting a real server at once (tests.support.servers starts it).

Used by the concurrency and client tests and by bench/attendance_concurrency.py.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bolin_events.models import Role
from bolin_events.settings import Settings
from tests.support.db import PASSWORD, Person, prepare, scratch_postgres
from tests.support.servers import serve

__all__ = ["PASSWORD", "LiveServer", "hammer", "live_server", "live_server_of_kind", "past_series",
           "plan", "post_patiently"]
REPORTERS = 20


@dataclass
class LiveServer:
    url: str
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


PEOPLE = (
    Person("admin", Role.admin),
    Person("scheduler", Role.scheduler),
    *(Person(f"reporter-{n:02}", Role.reporter, ("dongsheng",)) for n in range(REPORTERS)),
)


@contextmanager
def live_server(database_url: str, data_dir: Path, *, workers: int = 2) -> Iterator[LiveServer]:
    """A real server with the reference data, an admin, a scheduler and 20 reporters."""
    settings = Settings(
        database_url=database_url, data_dir=data_dir, secret_key="live-test-secret-key"
    )
    tokens = prepare(settings, PEOPLE, token_name="live")
    env = {"BOLIN_SECRET_KEY": settings.secret_key or ""}
    with serve(data_dir, database_url=database_url, workers=workers, env=env) as server:
        yield LiveServer(server.url, settings, tokens)


@contextmanager
def live_server_of_kind(kind: str, data_dir: Path, name: str) -> Iterator[LiveServer]:
    """`live_server` on a fresh database of ``kind`` (tests.conftest.DATABASE_KINDS): a SQLite
    file, or a scratch PostgreSQL database named after ``name`` (the caller first asks for the
    ``postgres_url`` fixture, which skips without PostgreSQL, or fails in CI)."""
    if kind == "sqlite":
        with live_server(f"sqlite+aiosqlite:///{data_dir / f'{name}.db'}", data_dir) as server:
            yield server
        return
    with scratch_postgres(f"bolin_{name}") as url, live_server(url, data_dir) as server:
        yield server


async def post_patiently(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], tries: int = 20
) -> httpx.Response:
    """A POST sent again after a busy answer's pause or a dropped connection, as a client
    should (the same body: an idempotent write counts once)."""
    for _ in range(tries):
        try:
            answer = await client.post(url, json=body)
        except httpx.TransportError:
            await asyncio.sleep(0.2)
            continue
        if answer.status_code != 503:
            return answer
        await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
    raise AssertionError(f"no answer after {tries} tries")


def past_series(server: LiveServer, nights: int, *, days_ago: int, hour: int) -> list[str]:
    """A published daily series of ``nights`` nights in the past; gives the occurrence ids."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    day = datetime.now(tz).date() - timedelta(days=days_ago)
    start = datetime(day.year, day.month, day.day, hour)
    body = {
        "title_zh": f"并发测试 {uuid.uuid4().hex[:6]}",
        "category": "market",
        "venue": "ginkgo-night-market",
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=50)).isoformat(),
        "rrule": f"FREQ=DAILY;COUNT={nights}",
        "status": "published",
        "allow_overlap": True,
    }
    response = httpx.post(
        f"{server.url}/api/v1/events", json=body, headers=server.headers("scheduler"), timeout=30
    )
    assert response.status_code == 201, response.text
    event_id = response.json()["id"]
    return [f"{event_id}-{start + timedelta(days=n):%Y%m%dT%H%M%S}" for n in range(nights)]


@dataclass
class Outcome:
    reports: int  # distinct reports that should exist
    requests: int  # HTTP requests sent, retries included
    seconds: float
    statuses: dict[int, int]
    problems: list[str]

    @property
    def totals_matched(self) -> bool:
        return not self.problems


async def _send(
    client: httpx.AsyncClient, occurrence: str, body: dict[str, Any], key: str, copies: int
) -> list[httpx.Response]:
    """One report sent ``copies`` times at once with one key (a retry racing the original),
    then once more after they answer (a late retry); transport errors are retried too."""

    async def once() -> httpx.Response:
        for attempt in range(5):
            try:
                return await client.post(
                    f"/api/v1/occurrences/{occurrence}/reports",
                    json=body,
                    headers={"Idempotency-Key": key},
                )
            except httpx.TransportError:
                await asyncio.sleep(0.1 * (attempt + 1))
        raise RuntimeError("no answer after 5 tries")

    first = await asyncio.gather(*(once() for _ in range(copies)))
    return [*first, await once()]


async def hammer(
    server: LiveServer, owned: dict[str, list[str]], shared: str, *, copies: int = 2
) -> Outcome:
    """Every reporter files its own nights and a correction of the shared one, all at once."""
    expected = {occ: 100 + n for n, occ in enumerate(o for v in owned.values() for o in v)}
    answers: list[httpx.Response] = []

    async def reporter(name: str, nights: list[str]) -> None:
        headers = server.headers(name)
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as client:
            for occ in nights:
                body = {"total": expected[occ], "method": "clicker"}
                answers.extend(await _send(client, occ, body, f"{name}:{occ}", copies))
            body = {"total": 1000 + int(name[-2:]), "reason": f"复核 {name}"}
            answers.extend(await _send(client, shared, body, f"{name}:fix", copies))

    started = time.perf_counter()
    await asyncio.gather(*(reporter(name, nights) for name, nights in owned.items()))
    seconds = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for answer in answers:
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    problems = await _audit(server, expected, shared, set(owned), answers)
    return Outcome(len(expected) + len(owned), len(answers), seconds, statuses, problems)


async def _audit(
    server: LiveServer,
    expected: dict[str, int],
    shared: str,
    names: set[str],
    answers: list[httpx.Response],
) -> list[str]:
    problems = [f"{a.status_code}: {a.text[:200]}" for a in answers if a.status_code != 201]
    headers = server.headers("admin")
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as client:
        for occ, total in expected.items():
            history = (await client.get(f"/api/v1/occurrences/{occ}/reports")).json()
            got = [r["total"] for r in history["revisions"]]
            if got != [total]:
                problems.append(f"{occ}: revisions {got}, expected [{total}]")
        history = (await client.get(f"/api/v1/occurrences/{shared}/reports")).json()
    numbers = [r["revision"] for r in history["revisions"]]
    if numbers != list(range(1, len(names) + 2)):
        problems.append(f"shared night: revisions {numbers}")
    reasons = {r["reason"] for r in history["revisions"][1:]}
    if reasons != {f"复核 {name}" for name in names}:
        problems.append(f"shared night: reasons {sorted(map(str, reasons))}")
    return problems


def plan(
    server: LiveServer, per_reporter: int, *, days_ago: int, hour: int
) -> tuple[dict[str, list[str]], str]:
    """Nights for each reporter and one shared night that already has revision 1."""
    names = sorted(n for n in server.tokens if n.startswith("reporter-"))
    nights = past_series(server, len(names) * per_reporter + 1, days_ago=days_ago, hour=hour)
    owned = {n: nights[i * per_reporter : (i + 1) * per_reporter] for i, n in enumerate(names)}
    shared = nights[-1]
    first = httpx.post(
        f"{server.url}/api/v1/occurrences/{shared}/reports",
        json={"total": 999},
        headers=server.headers("admin"),
        timeout=30,
    )
    assert first.status_code == 201, first.text
    return owned, shared
