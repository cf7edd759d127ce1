"""The list of feeds with their subscribe links, and QR codes of addresses on this site."""

from __future__ import annotations

from litestar import Response, get
from litestar.params import Parameter

from bolin_events.schemas.feeds import FeedOut
from bolin_events.services.feeds import links as feed_links
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings

QrUrl = Parameter(max_length=feed_links.QR_MAX_URL, description="an address on this site")


@get("/api/v1/feeds", summary="Every feed with its subscribe links and QR codes", tags=["feeds"])
async def list_feeds(refs: RefData, settings: Settings) -> list[FeedOut]:
    return feed_links.list_feeds(settings, refs)


async def _qr(settings: Settings, url: str, kind: str, media_type: str) -> Response[bytes]:
    image = await off_loop(feed_links.qr_image, feed_links.check_qr_target(settings, url), kind)
    return Response(
        image,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*"},
    )


@get("/qr.svg", summary="QR code (SVG) of an address on this site", tags=["feeds"],
     media_type="image/svg+xml")
async def qr_svg(settings: Settings, url: str = QrUrl) -> Response[bytes]:
    return await _qr(settings, url, "svg", "image/svg+xml")


@get("/qr.png", summary="QR code (PNG) of an address on this site", tags=["feeds"],
     media_type="image/png")
async def qr_png(settings: Settings, url: str = QrUrl) -> Response[bytes]:
    return await _qr(settings, url, "png", "image/png")


FEED_LIST_ROUTES = [list_feeds, qr_svg, qr_png]
