"""Importing a 5,000-row season spreadsheet on SQLite: dry run, real import, and re-import.

    python bench/import_sheet.py [--rows 5000] [--runs 3]

Generates an XLSX (the template's Chinese headers; one row in ten a weekly series of four
nights; no clashes), then times `import_sheet` — what `bolin-events import sheet` and the
API run — on a fresh, seeded SQLite file each run: the dry run (everything checked, then
rolled back), the real import, and importing the same file again (every row unchanged).
Beside each, another writer takes the database's write lock every 50 ms, as a reporter
filing a count would: the longest it waited shows how long the import kept others out
(staging.run_import rehearses on a copy and applies in one short transaction).
Prints each run, then the medians and rows per second — of wall time, and of this process's
CPU time (less swayed by whatever else the machine is doing).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from openpyxl import Workbook

from bolin_events import migrate
from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.services import seeding
from bolin_events.services.imports.sheet import import_sheet
from bolin_events.settings import Settings
from bolin_events.staging import run_import

HEADERS = ["活动名称", "类别", "场地", "开始时间", "结束时间", "重复", "状态", "外部编号"]
VENUES = ["东胜银杏夜市", "嘉悦农场研学基地", "qingqing-park", None]
CATEGORIES = ["夜市", "农耕体验", "文艺表演", "讲座", "文化培训"]


def season(rows: int) -> bytes:
    book = Workbook()  # shared strings, as Excel writes them (write-only mode inlines them)
    sheet = book.active
    assert sheet is not None
    sheet.title = "活动"
    sheet.append(HEADERS)
    first = datetime(2027, 3, 1, 19, 0)
    for number in range(rows):
        series = number % 10 == 9
        venue = None if series else VENUES[number % len(VENUES)]
        start = first + timedelta(days=number // len(VENUES), hours=0 if venue else number % 3)
        sheet.append(
            [
                f"活动 {number + 1}",
                CATEGORIES[number % len(CATEGORIES)],
                venue,
                start.strftime("%Y-%m-%d %H:%M"),
                (start + timedelta(hours=2)).strftime("%H:%M"),
                "每周五、六共4次" if series else None,
                "已发布",
                f"bench-{number + 1}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seeded_database(folder: Path) -> Path:
    settings = Settings(data_dir=folder, environment="test")
    migrate.upgrade(settings)

    async def load() -> None:
        engine = make_engine(settings)
        async with make_sessionmaker(engine)() as session, session.begin():
            await seeding.seed(session, settings, demo=False)
        await engine.dispose()

    asyncio.run(load())
    return folder / "bolin.db"


class WriterProbe:
    """Another writer beside the import (as a reporter filing a count would be): takes the
    live database's write lock every 50 ms and notes the longest it had to wait."""

    def __init__(self, database: Path) -> None:
        self.database, self.longest, self.stop = database, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with closing(sqlite3.connect(self.database, timeout=120, isolation_level=None)) as db:
            while not self.stop.wait(0.05):
                started = time.perf_counter()
                db.execute("BEGIN IMMEDIATE")
                db.execute("COMMIT")
                self.longest = max(self.longest, time.perf_counter() - started)

    def __enter__(self) -> WriterProbe:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


def timed(settings: Settings, content: bytes, *, dry_run: bool) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of this process — all its threads — and what it did, with
    the longest another writer waited meanwhile)."""

    async def run() -> tuple[float, float, str]:
        engine = make_engine(settings)
        try:
            started, cpu = time.perf_counter(), time.process_time()
            assert settings.sqlite_file is not None
            with WriterProbe(settings.sqlite_file) as probe:
                report = await run_import(
                    settings, make_sessionmaker(engine),
                    lambda session: import_sheet(session, content, "season.xlsx", settings,
                                                 dry_run=dry_run),
                    dry_run=dry_run,
                )
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            await engine.dispose()
        counts = report.counts
        return seconds, cpu, (f"create {counts.create}, unchanged {counts.unchanged}; another "
                              f"writer waited at most {probe.longest * 1000:.0f} ms")

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    content = season(args.rows)
    print(
        f"{args.rows} rows, {len(content) / 1e6:.2f} MB XLSX, made in "
        f"{time.perf_counter() - started:.2f}s"
    )
    phases: dict[str, list[tuple[float, float]]] = {"dry run": [], "import": [], "re-import": []}
    with tempfile.TemporaryDirectory() as tmp:
        pristine = seeded_database(Path(tmp) / "pristine")
        for run in range(1, args.runs + 1):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            shutil.copy(pristine, folder / "bolin.db")
            settings = Settings(data_dir=folder, environment="test", import_max_bytes=50_000_000)
            for name, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
                seconds, cpu, outcome = timed(settings, content, dry_run=dry_run)
                phases[name].append((seconds, cpu))
                print(f"run {run}  {name:<9} {seconds:7.2f}s  cpu {cpu:7.2f}s  ({outcome})")
    print(f"median (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):")
    for name, times in phases.items():
        wall = statistics.median(t for t, _ in times)
        cpu = statistics.median(c for _, c in times)
        print(
            f"  {name:<9} {wall:7.2f}s  {args.rows / wall:6.0f} rows/s   "
            f"cpu {cpu:7.2f}s  {args.rows / cpu:6.0f} rows/cpu-s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
