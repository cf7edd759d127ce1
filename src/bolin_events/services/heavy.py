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
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
WORKERS = max(1, (os.cpu_count() or 2) - 1)
NICENESS = 10


def _lower_priority() -> None:
    """This worker thread yields the CPU to the event loop's thread (Linux: per thread)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bolin-heavy",
                           initializer=_lower_priority)


async def off_loop(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in the bounded pool; the caller awaits its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))
