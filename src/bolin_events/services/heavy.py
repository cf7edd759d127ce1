"""CPU work off the event loop, a bounded few at a time.

Hashing a password (argon2, ~50 ms by design), decoding and re-encoding a photo (Pillow),
reading or writing a spreadsheet (openpyxl), drawing a chart (pygal) or a PNG QR code would
stop every other request of the process while it runs: a 5 ms feed request took 170–190 ms
beside one log-in. ``off_loop`` runs such a function in this process's pool of
``WORKERS`` threads (Pillow and argon2 let go of the interpreter while they work, so the
event loop keeps answering; pure-Python work such as openpyxl still shares it, but in slices
instead of one long stall), and more such jobs than workers wait their turn in the pool
rather than piling onto the CPU.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
WORKERS = 2  # this machine's cores; more would only share them
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bolin-heavy")


async def off_loop(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` in the bounded pool; the caller awaits its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))
