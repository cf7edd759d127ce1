"""iCal feeds, the list of them, and QR codes: parse the request, ask the service, send bytes.

Conditional requests follow RFC 9110 §13: If-None-Match wins over If-Modified-Since, and a
match is a 304 without a body. There is no content negotiation (Google sends no Accept).
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote

from litestar import Request, Response, asgi, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import MethodNotAllowedException
from litestar.params import Parameter
from litestar.types import Receive, Scope, Send
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import write_session
from bolin_events.schemas.feeds import FeedOut
from bolin_events.services.feeds import links as feed_links
from bolin_events.services.feeds.build import get_feed
from bolin_events.services.feeds.cache import FeedCache, RenderedFeed, WireFeed
from bolin_events.services.feeds.scope import feed_scope
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings

AnyRequest = Request[Any, Any, Any]
QrUrl = Parameter(max_length=feed_links.QR_MAX_URL, description="an address on this site")


def provide_feed_cache(state: State) -> FeedCache:
    cache: FeedCache = state.feed_cache
    return cache


def not_modified(headers: dict[bytes, bytes], wire: WireFeed) -> bool:
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:
        if if_none_match == wire.etag:  # what every client that stored the ETag sends
            return True
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return b"*" in tags or wire.etag in tags
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


@asgi(
    "/feeds",
    is_mount=True,
    copy_scope=False,
    opt={"exclude_from_csrf": True},
    name="feeds",
)
async def feeds(scope: Scope, receive: Receive, send: Send) -> None:
    """Every feed: `/feeds/all.ics` and `/feeds/{kind}/{slug}.ics` (see the README).

    A plain ASGI handler, because feeds are the hot path (a crowd scanning a poster, every
    subscribed phone polling): the headers of each rendered feed are encoded once, and a feed
    checked within `feed_recheck_seconds` is sent without parsing the query or asking the
    database. Conditional requests follow RFC 9110 §13: If-None-Match wins over
    If-Modified-Since, and a match is a 304 without a body.
    """
    method = scope.get("method")
    if method not in ("GET", "HEAD"):
        raise MethodNotAllowedException(headers={"Allow": "GET, HEAD"})
    state = scope["app"].state
    settings: Settings = state.settings
    cache: FeedCache = state.feed_cache
    path = feed_path(scope)
    request_key = (path, scope["query_string"])
    feed = cache.recent(request_key, settings.feed_recheck_seconds)
    if feed is None:
        feed_key = feed_scope(unquote(path), scope["query_string"])  # 4xx before any wait

        async def check() -> RenderedFeed:
            async with write_session(state.sessionmaker, writes=False) as db:
                return await get_feed(db, await load_refs(db), cache, settings, feed_key)

        feed = await cache.checked(request_key, settings.feed_recheck_seconds, check)
    wire = cache.wire(feed)
    headers = dict(scope["headers"])
    if not_modified(headers, wire):
        await _send(send, 304, wire.unchanged, b"")
    else:
        await _send(send, 200, wire.full, b"" if method == "HEAD" else feed.body)


@get("/api/v1/feeds", summary="Every feed with its subscribe links and QR codes", tags=["feeds"])
async def list_feeds(db: AsyncSession, settings: Settings) -> list[FeedOut]:
    return feed_links.list_feeds(settings, await load_refs(db))


def _qr(settings: Settings, url: str, kind: str, media_type: str) -> Response[bytes]:
    image = feed_links.qr_image(feed_links.check_qr_target(settings, url), kind)
    return Response(
        image,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*"},
    )


@get("/qr.svg", summary="QR code (SVG) of an address on this site", tags=["feeds"])
async def qr_svg(settings: Settings, url: str = QrUrl) -> Response[bytes]:
    return _qr(settings, url, "svg", "image/svg+xml")


@get("/qr.png", summary="QR code (PNG) of an address on this site", tags=["feeds"])
async def qr_png(settings: Settings, url: str = QrUrl) -> Response[bytes]:
    return _qr(settings, url, "png", "image/png")


FEED_ROUTES = [feeds, list_feeds, qr_svg, qr_png]
FEED_DEPENDENCIES = {"feed_cache": Provide(provide_feed_cache, sync_to_thread=False)}
