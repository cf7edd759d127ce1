"""Attendance reports per second with 20 reporters at once, each request raced by its retry.

    python bench/attendance_concurrency.py [--per-reporter 10] [--copies 2] [--workers 2]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Starts a real server (`bolin-events serve`) on a fresh SQLite file, then on a fresh
PostgreSQL database (made on the server of --postgres, dropped afterwards; skipped when none
answers). Twenty
reporters each file --per-reporter nights and one correction of a shared night; every
report is sent 1 + --copies times with one Idempotency-Key (copies at once, then one late
retry). Afterwards every night is read back: "totals matched" means each has exactly the
one revision sent, and the shared night has revisions 1‥21 with all twenty reasons.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.attendance.live import LiveServer, hammer, live_server, plan
from tests.support.db import scratch_postgres

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def run(name: str, server: LiveServer, per_reporter: int, copies: int) -> str:
    owned, shared = plan(server, per_reporter, days_ago=per_reporter * 20 + 30, hour=7)
    outcome = asyncio.run(hammer(server, owned, shared, copies=copies))
    verdict = "totals matched" if outcome.totals_matched else "TOTALS DID NOT MATCH"
    line = (
        f"{name:<11} {outcome.reports:>5} reports ({outcome.requests} requests) in "
        f"{outcome.seconds:6.2f}s = {outcome.reports / outcome.seconds:7.1f} reports/s, "
        f"{outcome.requests / outcome.seconds:7.1f} requests/s — {verdict}"
    )
    for problem in outcome.problems[:5]:
        line += f"\n    {problem}"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-reporter", type=int, default=10)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    lines, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        url = f"sqlite+aiosqlite:///{data / 'bench.db'}"
        with live_server(url, data / "sqlite", workers=args.workers) as server:
            lines.append(run("SQLite", server, args.per_reporter, args.copies))
        os.environ["BOLIN_TEST_POSTGRES_URL"] = args.postgres
        with ExitStack() as stack:
            try:
                pg_url = stack.enter_context(scratch_postgres("bolin_bench"))
            except Exception as exc:  # no server or no rights: say so, keep the SQLite figures
                lines.append(f"PostgreSQL  skipped: {exc}")
            else:
                server = stack.enter_context(live_server(pg_url, data / "pg", workers=args.workers))
                lines.append(run("PostgreSQL", server, args.per_reporter, args.copies))
    print(
        f"20 reporters, {args.per_reporter} nights each + 1 correction, "
        f"{1 + args.copies} sends per report, {args.workers} app processes"
    )
    for line in lines:
        print(line)
        ok = ok and "DID NOT MATCH" not in line
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
