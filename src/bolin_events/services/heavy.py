"""CPU work off the event loop, a bounded few at a time.

Hashing a password (argon2, ~50 ms by design), decoding and re-encoding a photo (Pillow),
reading or writing a spreadsheet (openpyxl), drawing a chart (pygal) or a PNG QR code would
stop every other request of the process while it runs: a 5 ms feed request took 170–190 ms
beside one log-in. ``off_loop`` runs such a function in this process's pool of
``WORKERS`` threads — one core fewer than the machine has, so one is always left for the
event loop — run at a lower scheduling priority (nice 10), so the loop's short answers go
first when both want a core. Pillow and argon2 let go of the interpreter while they work;
pure-Python work such as openpyxl still shares it, but in slices instead of one long stall.
More jobs than workers wait their turn in the pool rather than piling onto the CPU.

Photos go further, to ``off_process``: a pool of as many worker *processes*, started on the
first photo. Pillow's JPEG decoder and encoder hold the interpreter lock in stretches of
5–8 ms, and a feed request that needs the lock a few times while a photo is worked on in a
thread waited for it each time (p99 23× idle, bench/heavy.py); a process shares no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from bolin_events.errors import WorkerLost

P = ParamSpec("P")
T = TypeVar("T")
WORKERS = max(1, (os.cpu_count() or 2) - 1)
NICENESS = 10


def lower_priority() -> None:
    """This worker thread yields the CPU to the event loop's thread (Linux: per thread)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bolin-heavy",
                           initializer=lower_priority)


async def off_loop(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in the bounded pool; the caller awaits its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))


def _lower_process_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)


_processes: ProcessPoolExecutor | None = None
_processes_lock = threading.Lock()


def _process_pool() -> ProcessPoolExecutor:
    global _processes
    with _processes_lock:
        if _processes is None:  # spawned, not forked: this process has threads and a loop
            _processes = ProcessPoolExecutor(
                max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_process_priority)
        return _processes


async def off_process(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in the bounded pool of worker processes (``function``, its
    arguments, result and errors cross by pickling: module-level functions and plain data).
    The pool lives as long as this process; concurrent.futures stops it at exit. A worker that
    dies takes the pool with it: the job is tried once more in a fresh pool, then 503."""
    job = functools.partial(function, *args, **kwargs)
    try:
        return await _in_processes(job)
    except BrokenProcessPool:  # a worker died (killed, out of memory): once more, fresh
        try:
            return await _in_processes(job)
        except BrokenProcessPool:
            raise WorkerLost() from None


async def _in_processes(job: Callable[[], T]) -> T:
    pool = _process_pool()
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, job)
    except BrokenProcessPool:
        _forget(pool)
        raise


def _forget(pool: ProcessPoolExecutor) -> None:
    global _processes
    with _processes_lock:
        if _processes is pool:
            _processes = None
    pool.shutdown(wait=False, cancel_futures=True)

