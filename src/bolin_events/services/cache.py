"""Bounded in-process memories of rendered bytes, shared by the feeds and the public pages.

They hold only what follows from database contents (the key says which contents), so a
process that has never seen a key simply renders it and gets the same bytes as its peers.

``Recheck`` keeps, per request, what was checked against the database moments ago: within
its window a request is answered from memory without asking the database again; a write
through this process (or, on PostgreSQL, through any process: notify) ends every window at
once. When a window merely runs out, the visitors asking at that moment are not held up: they
get what was checked a moment ago while one check runs behind them (stale-while-revalidate,
for up to ``STALE_FACTOR`` windows), so a crowd never waits on the database.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from time import monotonic
from typing import Generic, TypeVar

import brotli  # type: ignore[import-untyped]

V = TypeVar("V")
MAX_RECENT = 4096
STALE_FACTOR = 5  # an answer this many windows old is no longer sent while a check runs
log = logging.getLogger(__name__)
GZIP_FROM = 1024  # smaller answers are sent as they are
BROTLI_QUALITY = 6  # of 11: a page in about a millisecond, ~15 % smaller than gzip's


def gzipped(body: bytes) -> bytes | None:
    """The body gzip-compressed the same way in every process (no timestamp in the header),
    or None when that would not make it smaller. CPU work: call it off the event loop."""
    if len(body) < GZIP_FROM:
        return None
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return packed if len(packed) < len(body) else None


def brotlied(body: bytes) -> bytes | None:
    """The body brotli-compressed (the same bytes in every process), or None when that would
    not make it smaller; phone browsers take it over gzip. CPU work: off the event loop."""
    if len(body) < GZIP_FROM:
        return None
    packed: bytes = brotli.compress(body, quality=BROTLI_QUALITY)
    return packed if len(packed) < len(body) else None


def accepts(header: bytes | None, coding: bytes) -> bool:
    """Whether an Accept-Encoding header takes ``coding``: named, or by ``*``, with a quality
    above zero (``br;q=0`` refuses it; the coding's own entry counts before ``*``)."""
    if not header:
        return False
    wildcard = False
    for part in header.lower().split(b","):
        name, _, params = part.strip().partition(b";")
        name = name.strip()
        if name not in (coding, b"*"):
            continue
        quality = params.strip().removeprefix(b"q=").strip()
        taken = not (params.strip() and quality.strip(b"0.") == b"")
        if name == coding:
            return taken
        wildcard = taken
    return wildcard


class LRU(Generic[V]):
    """Least-recently-used mapping capped by entry count and by the total size of its values."""

    def __init__(self, max_entries: int, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self.total = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> V | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.total -= self._size(old)
        self._items[key] = value
        self.total += self._size(value)
        while self._items and (len(self._items) > self.max_entries or self.total > self.max_bytes):
            _, evicted = self._items.popitem(last=False)
            self.total -= self._size(evicted)

    def clear(self) -> None:
        self._items.clear()
        self.total = 0


class Recheck(Generic[V]):
    """What each request got when it was last checked against the database, for a few seconds.

    One check per request at a time: when the window ends under load, the visitors asking at
    that moment share one database check instead of each making their own.
    """

    def __init__(self) -> None:
        # Checked moments ago, by request: (monotonic time, answer).
        self.fresh: dict[Hashable, tuple[float, V]] = {}
        # The check under way for each request, which every other asker of it awaits.
        self.checking: dict[Hashable, asyncio.Future[V]] = {}
        self.generation = 0  # moves on at every write: a check begun before it is not kept

    def recent(self, request_key: Hashable, max_age: float) -> V | None:
        entry = self.fresh.get(request_key)
        if entry is None or monotonic() - entry[0] >= max_age:
            return None
        return entry[1]

    async def checked(
        self, request_key: Hashable, max_age: float, check: Callable[[], Awaitable[V]]
    ) -> V:
        """The answer for a request: as checked within ``max_age`` seconds; else, if it was
        checked a little longer ago and no write came since, that answer while a check runs
        behind it; else checked now (one check shared by everyone asking meanwhile)."""
        entry = self.fresh.get(request_key)
        if entry is not None:
            age = monotonic() - entry[0]
            if age < max_age:
                return entry[1]
            if age < max_age * STALE_FACTOR:
                self._start(request_key, check)
                return entry[1]
        return await asyncio.shield(self._start(request_key, check))  # one leaving: others stay

    def _start(self, request_key: Hashable, check: Callable[[], Awaitable[V]]
               ) -> asyncio.Future[V]:
        """The check under way for this request, begun now if none is."""
        running = self.checking.get(request_key)
        if running is None:
            running = asyncio.ensure_future(self._check(request_key, check, self.generation))
            self.checking[request_key] = running
            running.add_done_callback(lambda done: self._checked(request_key, done))
        return running

    def _checked(self, request_key: Hashable, done: asyncio.Future[V]) -> None:
        self.checking.pop(request_key, None)
        if not done.cancelled() and done.exception() is not None:  # no asker may be left
            log.warning("check of %r failed: %r", request_key, done.exception())

    async def _check(
        self, request_key: Hashable, check: Callable[[], Awaitable[V]], generation: int
    ) -> V:
        answer = await check()
        if generation == self.generation and self.keeps(answer):  # no write came meanwhile
            self.remember(request_key, answer)
        return answer

    def keeps(self, answer: V) -> bool:
        """Whether an answer may be sent again without a check (all may, unless overridden)."""
        return True

    def remember(self, request_key: Hashable, answer: V) -> None:
        if len(self.fresh) > MAX_RECENT:
            self.fresh.clear()
        self.fresh[request_key] = (monotonic(), answer)

    def forget_recent(self) -> None:
        """After a write: the next request asks the database again."""
        self.generation += 1
        self.fresh.clear()
