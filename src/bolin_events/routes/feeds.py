"""The iCal feeds' ASGI mount: parse the request, ask services.feeds, send bytes.

Conditional requests follow RFC 9110 §13: If-None-Match wins over If-Modified-Since, and a
match is a 304 without a body. There is no content negotiation (Google sends no Accept).
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from litestar import asgi
from litestar.exceptions import MethodNotAllowedException
from litestar.types import Receive, Scope, Send

from bolin_events.db import write_session
from bolin_events.services.feeds.cache import FeedCache, RenderedFeed, Sent, WireFeed
from bolin_events.services.feeds.downloads import get_file, requested
from bolin_events.settings import Settings


def not_modified(headers: dict[bytes, bytes], wire: WireFeed, sent: Sent) -> bool:
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:
        if if_none_match == sent.etag:  # what every client that stored the ETag sends
            return True
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return b"*" in tags or sent.etag in tags
    since = headers.get(b"if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        return False
    return wire.feed.last_modified.replace(microsecond=0) <= when


def feed_path(scope: Scope) -> str:
    """The request's path as sent (the mount hands the handler only the part after /feeds)."""
    raw = scope.get("raw_path")
    if raw:
        return str(raw.decode("latin-1"))
    return "/feeds" + scope["path"].rstrip("/")


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


PREFLIGHT = [
    (b"allow", b"GET, HEAD, OPTIONS"),
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, HEAD"),
    (b"access-control-allow-headers", b"If-None-Match, If-Modified-Since"),
    (b"access-control-max-age", b"86400"),
]


@asgi(
    "/feeds",
    is_mount=True,
    copy_scope=False,
    opt={"exclude_from_csrf": True},
    name="feeds",
)
async def feeds(scope: Scope, receive: Receive, send: Send) -> None:
    """Every feed: `/feeds/all.ics` and `/feeds/{kind}/{slug}.ics` (see the README), and the
    downloads of one event: `/feeds/events/{id}/nights/{night}.ics`, `…/upcoming.ics`.

    A plain ASGI handler, because feeds are the hot path (a crowd scanning a poster, every
    subscribed phone polling): the headers of each rendered feed are encoded once, and a feed
    checked within `feed_recheck_seconds` is sent without parsing the query or asking the
    database. Conditional requests follow RFC 9110 §13: If-None-Match wins over
    If-Modified-Since, and a match is a 304 without a body.
    """
    method = scope.get("method")
    if method == "OPTIONS":  # a browser's CORS preflight (If-None-Match is not "simple")
        await _send(send, 204, PREFLIGHT, b"")
        return
    if method not in ("GET", "HEAD"):
        raise MethodNotAllowedException(headers={"Allow": "GET, HEAD, OPTIONS"})
    state = scope["app"].state
    settings: Settings = state.settings
    cache: FeedCache = state.feed_cache
    path = feed_path(scope)
    request_key = (path, scope["query_string"])
    feed = cache.recent(request_key, settings.feed_recheck_seconds)
    if feed is None:
        wanted = requested(unquote(path), scope["query_string"])  # 4xx before any wait

        async def check() -> RenderedFeed:
            async with write_session(state.sessionmaker, writes=False) as db:
                refs = await state.refs_cache.get(db)
                return await get_file(db, refs, cache, settings, wanted)

        feed = await cache.checked(request_key, settings.feed_recheck_seconds, check)
    wire = await cache.wire(feed)
    headers = dict(scope["headers"])
    sent = wire.for_client(headers.get(b"accept-encoding"))
    if not_modified(headers, wire, sent):
        await _send(send, 304, sent.unchanged, b"")
    else:
        await _send(send, 200, sent.full, b"" if method == "HEAD" else sent.body)


FEED_ROUTES = [feeds]
