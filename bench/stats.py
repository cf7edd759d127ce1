"""A year's statistics by category and by village: SQL (GROUP BY) against a loop in Python.

    python bench/stats.py [--runs 7] [--database-url postgresql+asyncpg://…/scratch]

Fills a fresh database (a temporary SQLite file unless --database-url names an empty one)
with 20,000 occurrences over 2024–2025 — some cancelled or skipped nights, some events
cancelled or left as drafts — and 50,000 attendance report revisions. Then it times
`queries.figures` for 2025 by category and by village (the SQL the reports use), and the
same computed in Python from every row of the tables, checks that both agree, and prints
the medians and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bolin_events import migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.models import (
    AttendanceReport,
    Category,
    Event,
    Occurrence,
    Role,
    User,
    Venue,
    Village,
)
from bolin_events.services import seeding
from bolin_events.services.stats.periods import parse_period
from bolin_events.services.stats.queries import Figures, GroupBy, Window, figures, window_of
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

OCCURRENCES, REVISIONS, EVENTS = 20_000, 50_000, 400
HELD = ("scheduled", "moved")
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # 2025 is over: every night of it is held or not


async def fill(settings: Settings) -> None:
    rng = random.Random(2025)
    engine = make_engine(settings)
    async with make_sessionmaker(engine)() as session, session.begin():
        await seeding.seed(session, settings, demo=False)
        user = User(username="bench", role=Role.admin, password_hash="-")
        session.add(user)
        await session.flush()
        villages = list((await session.exec(select(Village.id))).all())
        for n in range(12):  # a few more venues, so every village has some
            session.add(Venue(slug=f"bench-{n}", name_zh=f"场地{n}", village_id=villages[n % 5]))
        await session.flush()
        venues = list((await session.exec(select(Venue.id))).all())
        categories = list((await session.exec(select(Category.id))).all())
        start = datetime(2024, 1, 1, 11, tzinfo=UTC)
        events, occurrences = [], []
        per_event = OCCURRENCES // EVENTS
        for e in range(1, EVENTS + 1):
            first = start + timedelta(days=rng.randrange(0, 730 - per_event))
            status = rng.choices(["published", "cancelled", "draft"], [90, 6, 4])[0]
            events.append(
                {
                    "id": e,
                    "uid": f"bench-{e}",
                    "title_zh": f"活动{e}",
                    "category_id": rng.choice(categories),
                    "venue_id": rng.choice(venues),
                    "starts_at": first,
                    "ends_at": first + timedelta(hours=2),
                    "span_end": first + timedelta(days=per_event, hours=2),
                    "status": status,
                }
            )
            for n in range(per_event):
                when = first + timedelta(days=n)
                occurrences.append(
                    {
                        "id": len(occurrences) + 1,
                        "event_id": e,
                        "recurrence_id": when,
                        "starts_at": when,
                        "ends_at": when + timedelta(hours=2),
                        "venue_id": rng.choice(venues) if rng.random() < 0.1 else None,
                        "state": rng.choices(
                            ["scheduled", "moved", "cancelled", "skipped"], [88, 4, 5, 3]
                        )[0],
                    }
                )
        for occ, event in ((o, events[o["event_id"] - 1]) for o in occurrences):
            occ["venue_id"] = occ["venue_id"] or event["venue_id"]
        connection = await session.connection()
        await connection.execute(insert(Event), events)
        await connection.execute(insert(Occurrence), occurrences)
        reported = rng.sample(range(1, OCCURRENCES + 1), 17_000)
        counts = [1] * len(reported)
        for _ in range(REVISIONS - len(reported)):
            counts[rng.randrange(len(counts))] += 1
        reports = []
        for occ_id, count in zip(reported, counts, strict=True):
            for revision in range(1, count + 1):
                total = rng.randrange(10, 2_000)
                online = rng.randrange(0, total // 3 + 1) if rng.random() < 0.3 else None
                reports.append(
                    {
                        "occurrence_id": occ_id,
                        "revision": revision,
                        "total": total,
                        "online": online,
                        "residents": total // 2 if rng.random() < 0.5 else None,
                        "volunteers": rng.randrange(0, 20),
                        "reported_by": user.id,
                    }
                )
        await connection.execute(insert(AttendanceReport), reports)
    async with engine.connect() as connection:  # fresh statistics, as autovacuum would make
        await connection.execute(text("ANALYZE"))
        await connection.commit()
    await engine.dispose()


async def in_sql(session: Any, window: Window) -> dict[str, dict[str | None, Figures]]:
    return {
        group: {f.key: f for f in await figures(session, window, group)}
        for group in (GroupBy.category, GroupBy.village)
    }


async def in_python(session: Any, window: Window) -> dict[str, dict[str | None, Figures]]:
    """Every row read, then the same rules applied in a loop."""
    events = {e.id: e for e in await session.exec(select(Event))}
    village_of = {v.id: v.village_id for v in await session.exec(select(Venue))}
    latest: dict[int, AttendanceReport] = {}
    for r in await session.exec(select(AttendanceReport)):
        if r.occurrence_id not in latest or r.revision > latest[r.occurrence_id].revision:
            latest[r.occurrence_id] = r
    found: dict[str, dict[str | None, Figures]] = {"category": {}, "village": {}}
    seen: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    for occ in await session.exec(select(Occurrence)):
        event = events[occ.event_id]
        if not (
            event.status == "published"
            and occ.state in HELD
            and window.start <= occ.starts_at < window.end
            and occ.ends_at <= window.now
        ):
            continue
        village = village_of.get(occ.venue_id or -1)
        keys = {
            "category": str(event.category_id),
            "village": None if village is None else str(village),
        }
        for group, key in keys.items():
            f = found[group].setdefault(key, Figures(key))
            _add(f, latest.get(occ.id or 0))
            seen[group, key].add(occ.event_id)
    for (group, key), ids in seen.items():
        found[group][key].events = len(ids)
    return found


def _add(f: Figures, report: AttendanceReport | None) -> None:
    f.sessions += 1
    if report is None:
        return
    f.reported += 1
    f.people += report.total
    f.residents += report.residents or 0
    f.visitors += report.visitors or 0
    f.onsite += report.onsite if report.onsite is not None else report.total - (report.online or 0)
    f.online += report.online or 0
    f.volunteers += report.volunteers or 0


async def timed(settings: Settings, runs: int, work: Any) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``runs`` calls, each in a session of its own on one
    engine (as a server has), and the last result. CPU time counts this process only (and
    aiosqlite's thread in it): on a busy machine it shows what the wall time would be on an
    idle one; PostgreSQL's own work is outside it."""
    window = window_of(parse_period("2025"), zone(settings.timezone), NOW)
    engine = make_engine(settings)
    times, cpu, result = [], [], None
    try:
        for _ in range(runs):
            async with make_sessionmaker(engine)() as session:
                started, started_cpu = time.perf_counter(), time.process_time()
                result = await work(session, window)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
    finally:
        await engine.dispose()
    return statistics.median(times), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="an empty database (default SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bolin-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url, secret_key="x" * 40)
        migrate.upgrade(settings)
        started = time.perf_counter()
        asyncio.run(fill(settings))
        engine = settings.resolved_database_url.split(":", 1)[0]
        print(
            f"{engine}: {OCCURRENCES:,} occurrences, {REVISIONS:,} revisions "
            f"filled in {time.perf_counter() - started:.1f}s"
        )
        sql_time, sql_cpu, sql = asyncio.run(timed(settings, args.runs, in_sql))
        python_time, python_cpu, python = asyncio.run(timed(settings, args.runs, in_python))
        if sql != python:
            raise SystemExit("SQL and Python disagree")
        held = sum(f.sessions for f in sql["category"].values())
        print(
            f"2025: {held:,} held sessions in {len(sql['category'])} categories, "
            f"{len(sql['village'])} villages — SQL and Python agree"
        )
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average {load} on {os.cpu_count()} cores")
        for name, sql_s, python_s in (
            ("wall", sql_time, python_time),
            ("CPU", sql_cpu, python_cpu),
        ):
            print(
                f"median of {args.runs}, {name}: SQL {sql_s * 1000:.0f} ms   "
                f"Python {python_s * 1000:.0f} ms   Python/SQL {python_s / sql_s:.1f}×"
            )


if __name__ == "__main__":
    main()
