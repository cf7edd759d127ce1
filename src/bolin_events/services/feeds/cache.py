"""What feeds keep in memory: VEVENT blocks, whole feeds, the feeds checked moments ago, and
each rendered feed's response headers encoded once (the generic parts are services.cache)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from weakref import WeakValueDictionary

from bolin_events.services.cache import LRU, Recheck, accepts, brotlied, gzipped


@dataclass(frozen=True, slots=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    filename: str
    # "attachment" for a download (one night, the nights to come), so phones offer to import
    # it; subscription feeds stay "inline" (ICAL.md).
    disposition: str = "inline"


def utc_now() -> datetime:
    return datetime.now(UTC)


class FeedCache(Recheck[RenderedFeed]):
    """Per-process memory of rendered blocks and feeds (one per app, kept in ``app.state``),
    and of the feeds each request was answered with moments ago (``Recheck``).

    ``clock`` decides which past events are still shown; tests pin it to a day.
    """

    def __init__(
        self,
        max_blocks: int = 50_000,
        max_feeds: int = 256,
        max_bytes: int = 256 * 2**20,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.blocks: LRU[bytes] = LRU(max_blocks, max_bytes, len)
        self.feeds: LRU[RenderedFeed] = LRU(max_feeds, max_bytes, lambda f: len(f.body))
        self.clock = clock
        # One build per feed key at a time: after an edit, subscribers polling at once wait
        # for the first rebuild instead of each doing it again.
        self.building: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        # Each rendered feed's response headers, encoded once (by ETag).
        self.wires: LRU[WireFeed] = LRU(max_entries=256, max_bytes=2**20, size=lambda _: 1)

    async def wire(self, feed: RenderedFeed) -> WireFeed:
        """The feed with its response headers (and gzip and brotli copies), made at its first
        request in a worker thread: compressing a whole season is CPU work."""
        wire = self.wires.get(feed.etag)
        if wire is None or wire.feed is not feed:
            wire = await asyncio.to_thread(WireFeed.of, feed)
            self.wires.put(feed.etag, wire)
        return wire


CONTENT_TYPE = b"text/calendar; charset=utf-8"


CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True, slots=True)
class Sent:
    """One way of sending a feed (as it is, gzip- or brotli-compressed), headers encoded once."""

    body: bytes
    etag: bytes
    full: list[tuple[bytes, bytes]]  # 200 GET and HEAD
    unchanged: list[tuple[bytes, bytes]]  # 304


@dataclass(frozen=True, slots=True)
class WireFeed:
    """A rendered feed with its response headers encoded once, for every request that sends
    it: as it is, and gzip- and brotli-compressed for the clients that take them."""

    feed: RenderedFeed
    plain: Sent
    packed: Sent | None
    brotli: Sent | None

    @classmethod
    def of(cls, feed: RenderedFeed) -> WireFeed:
        """Compressing a feed is CPU work: made off the event loop (``FeedCache.wire``)."""
        stamp = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)

        def sent(body: bytes, etag: str, extra: list[tuple[bytes, bytes]]) -> Sent:
            common = [
                (b"etag", etag.encode()),
                (b"cache-control", CACHE_CONTROL.encode()),
                (b"vary", b"Accept-Encoding"),
                (b"access-control-allow-origin", b"*"),
                (b"access-control-expose-headers", b"ETag, Last-Modified"),
                (b"last-modified", stamp.encode()),
            ]
            full = [
                *common,
                (b"content-type", CONTENT_TYPE),
                (b"content-disposition",
                 f'{feed.disposition}; filename="{feed.filename}"'.encode()),
                *extra,
                (b"content-length", str(len(body)).encode()),
            ]
            return cls_sent(body, etag.encode(), full, common)

        cls_sent = Sent
        packed, brotli = gzipped(feed.body), brotlied(feed.body)
        return cls(
            feed,
            sent(feed.body, feed.etag, []),
            sent(packed, feed.etag[:-1] + '-gz"', [(b"content-encoding", b"gzip")])
            if packed else None,
            sent(brotli, feed.etag[:-1] + '-br"', [(b"content-encoding", b"br")])
            if brotli else None,
        )

    def for_client(self, accept_encoding: bytes | None) -> Sent:
        if self.brotli is not None and accepts(accept_encoding, b"br"):
            return self.brotli
        if self.packed is not None and accepts(accept_encoding, b"gzip"):
            return self.packed
        return self.plain
