"""Bounded in-process memories of what feeds send: VEVENT blocks, whole feeds, the feeds
checked moments ago, and each rendered feed's response headers encoded once.

They hold only what follows from database contents (the key says which contents), so a process
that has never seen a key simply renders it and gets the same bytes as its peers."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from time import monotonic
from typing import Generic, TypeVar
from weakref import WeakValueDictionary

V = TypeVar("V")


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


@dataclass(frozen=True, slots=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    filename: str


def utc_now() -> datetime:
    return datetime.now(UTC)


class FeedCache:
    """Per-process memory of rendered blocks and feeds (one per app, kept in ``app.state``).

    ``clock`` decides which past events are still shown; tests pin it to a day.
    """

    def __init__(
        self,
        max_blocks: int = 50_000,
        max_feeds: int = 256,
        max_bytes: int = 256 * 2**20,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.blocks: LRU[bytes] = LRU(max_blocks, max_bytes, len)
        self.feeds: LRU[RenderedFeed] = LRU(max_feeds, max_bytes, lambda f: len(f.body))
        self.clock = clock
        # One build per feed key at a time: after an edit, subscribers polling at once wait
        # for the first rebuild instead of each doing it again.
        self.building: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        # Feeds checked against the database moments ago, by request: (monotonic time, feed).
        self.fresh: dict[Hashable, tuple[float, RenderedFeed]] = {}
        # The check under way for each request, which every other asker of it awaits.
        self.checking: dict[Hashable, asyncio.Future[RenderedFeed]] = {}
        self.generation = 0  # moves on at every write: a check begun before it is not kept
        # Each rendered feed's response headers, encoded once (by ETag).
        self.wires: LRU[WireFeed] = LRU(max_entries=256, max_bytes=2**20, size=lambda _: 1)

    def recent(self, request_key: Hashable, max_age: float) -> RenderedFeed | None:
        entry = self.fresh.get(request_key)
        if entry is None or monotonic() - entry[0] >= max_age:
            return None
        return entry[1]

    async def checked(
        self,
        request_key: Hashable,
        max_age: float,
        check: Callable[[], Awaitable[RenderedFeed]],
    ) -> RenderedFeed:
        """The feed for a request: as checked within ``max_age`` seconds, else checked now.

        One check per request at a time: when the window ends under load, the subscribers
        asking at that moment share one database check instead of each making their own.
        """
        feed = self.recent(request_key, max_age)
        if feed is not None:
            return feed
        running = self.checking.get(request_key)
        if running is None:
            running = asyncio.ensure_future(self._check(request_key, check, self.generation))
            self.checking[request_key] = running
            running.add_done_callback(lambda _: self.checking.pop(request_key, None))
        return await asyncio.shield(running)  # one asker leaving does not stop the others

    async def _check(
        self,
        request_key: Hashable,
        check: Callable[[], Awaitable[RenderedFeed]],
        generation: int,
    ) -> RenderedFeed:
        feed = await check()
        if generation == self.generation:  # no write came in meanwhile
            self.remember(request_key, feed)
        return feed

    def remember(self, request_key: Hashable, feed: RenderedFeed) -> None:
        if len(self.fresh) > 4096:
            self.fresh.clear()
        self.fresh[request_key] = (monotonic(), feed)

    def wire(self, feed: RenderedFeed) -> WireFeed:
        """The feed with its response headers, encoded at its first request."""
        wire = self.wires.get(feed.etag)
        if wire is None or wire.feed is not feed:
            wire = WireFeed.of(feed)
            self.wires.put(feed.etag, wire)
        return wire

    def forget_recent(self) -> None:
        """After a write through this process: the next request asks the database again."""
        self.generation += 1
        self.fresh.clear()


CONTENT_TYPE = b"text/calendar; charset=utf-8"


CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True, slots=True)
class WireFeed:
    """A rendered feed with its response headers encoded once, for every request that sends it."""

    feed: RenderedFeed
    etag: bytes
    full: list[tuple[bytes, bytes]]  # 200 GET and HEAD
    unchanged: list[tuple[bytes, bytes]]  # 304

    @classmethod
    def of(cls, feed: RenderedFeed) -> WireFeed:
        common = [
            (b"etag", feed.etag.encode()),
            (b"cache-control", CACHE_CONTROL.encode()),
            (b"access-control-allow-origin", b"*"),
            (b"access-control-expose-headers", b"ETag, Last-Modified"),
        ]
        stamp = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)
        common.append((b"last-modified", stamp.encode()))
        full = [
            *common,
            (b"content-type", CONTENT_TYPE),
            (b"content-disposition", f'inline; filename="{feed.filename}"'.encode()),
            (b"content-length", str(len(feed.body)).encode()),
        ]
        return cls(feed, feed.etag.encode(), full, common)
