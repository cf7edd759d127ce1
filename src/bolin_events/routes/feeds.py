"""iCal feeds, the list of them, and QR codes: parse the request, ask the service, send bytes.

Conditional requests follow RFC 9110 §13: If-None-Match wins over If-Modified-Since, and a
match is a 304 without a body. There is no content negotiation (Google sends no Accept).
"""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from litestar import HttpMethod, Request, Response, get, route
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import write_session
from bolin_events.errors import NotFound
from bolin_events.routes.params import SlugList, split
from bolin_events.schemas.feeds import FeedOut
from bolin_events.services import feed_links
from bolin_events.services.feeds import KINDS, FeedCache, FeedScope, RenderedFeed, get_feed
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings

CALENDAR = "text/calendar"  # Litestar adds "; charset=utf-8" to text/ types
CACHE_CONTROL = "public, max-age=300"
AnyRequest = Request[Any, Any, Any]
QrUrl = Parameter(max_length=feed_links.QR_MAX_URL, description="an address on this site")


def provide_feed_cache(state: State) -> FeedCache:
    cache: FeedCache = state.feed_cache
    return cache


def not_modified(request: AnyRequest, feed: RenderedFeed) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or feed.etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or feed.last_modified is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        return False
    return feed.last_modified.replace(microsecond=0) <= when


def feed_response(request: AnyRequest, feed: RenderedFeed) -> Response[bytes]:
    headers = {
        "ETag": feed.etag,
        "Cache-Control": CACHE_CONTROL,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Last-Modified",
    }
    if feed.last_modified is not None:
        headers["Last-Modified"] = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)
    if not_modified(request, feed):
        return Response(b"", status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{feed.filename}"'
    if request.method == HttpMethod.HEAD:
        headers.update(
            {"Content-Type": f"{CALENDAR}; charset=utf-8", "Content-Length": str(len(feed.body))}
        )
        return Response(b"", headers=headers)
    return Response(feed.body, media_type=CALENDAR, headers=headers)


async def _serve(
    request: AnyRequest, kind: str, key: str, query: dict[str, str | None]
) -> Response[bytes]:
    """A feed checked moments ago is sent as it is; otherwise one read transaction decides."""
    # Taken from app state, not injected: on the hot path each injected dependency costs more
    # than answering a 304 does.
    state = request.app.state
    settings: Settings = state.settings
    cache: FeedCache = state.feed_cache
    scope = FeedScope.of(kind, key, {name: split(value) for name, value in query.items()})
    feed = cache.recent(scope, settings.feed_recheck_seconds)
    if feed is None:
        async with write_session(state.sessionmaker, writes=False) as db:
            feed = await get_feed(db, await load_refs(db), cache, settings, scope)
        cache.remember(scope, feed)
    return feed_response(request, feed)


@route(
    "/feeds/all.ics",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    name="feed_all",
    summary="Every published event as iCal",
    tags=["feeds"],
)
async def all_feed(
    request: AnyRequest,
    category: SlugList = None,
    village: SlugList = None,
    venue: SlugList = None,
    programme: SlugList = None,
) -> Response[bytes]:
    query = {"category": category, "village": village, "venue": venue, "programme": programme}
    return await _serve(request, "all", "", query)


@route(
    "/feeds/{kind:str}/{name:str}",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    name="feed_scoped",
    tags=["feeds"],
    summary="One category, village, venue, programme (with its sub-programmes) or event",
    description="name is `{slug}.ics` (or `{id}.ics` for events); ?category=a,b&village=c "
    "narrows further. An unknown slug is a 404, never an empty feed.",
)
async def scoped_feed(
    request: AnyRequest,
    kind: str,
    name: str,
    category: SlugList = None,
    village: SlugList = None,
    venue: SlugList = None,
    programme: SlugList = None,
) -> Response[bytes]:
    if kind not in KINDS or not name.endswith(".ics"):
        raise NotFound(
            f"没有这个订阅地址：/feeds/{kind}/{name}",
            f"No feed at /feeds/{kind}/{name}; feeds end in .ics (see /api/v1/feeds).",
        )
    query = {"category": category, "village": village, "venue": venue, "programme": programme}
    return await _serve(request, kind, name.removesuffix(".ics"), query)


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


FEED_ROUTES = [all_feed, scoped_feed, list_feeds, qr_svg, qr_png]
FEED_DEPENDENCIES = {"feed_cache": Provide(provide_feed_cache, sync_to_thread=False)}
