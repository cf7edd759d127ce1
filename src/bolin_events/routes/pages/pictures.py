"""Public picture files, and an event's share image (PNG) to save and post in WeChat Moments.

Picture files are named by their content, so a browser may keep one for a year without
asking again. The share image is made per data version by the public cache, like the pages.
"""

from __future__ import annotations

import asyncio
import re

from litestar import Response, get
from litestar.response import File
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import not_found
from bolin_events.models import Picture, utcnow
from bolin_events.routes.deps import AnyRequest, check_visible
from bolin_events.services.heavy import off_loop, off_process
from bolin_events.services.pictures import records
from bolin_events.services.pictures.card import draw, share_card
from bolin_events.services.pictures.fonts import cjk_font
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.queries import event_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import public_meta, public_views

FILE_NAME = re.compile(r"^([0-9a-f]{32})-[0-9]{1,4}\.(webp|jpg)$")
IMMUTABLE = "public, max-age=31536000, immutable"


@get("/media/pictures/{name:str}", name="picture_file", include_in_schema=False)
async def picture_file(db: AsyncSession, settings: Settings, name: str) -> File:
    found = FILE_NAME.match(name)
    path = records.picture_store(settings).root / name
    if not found or not await records.is_served(db, found[1]) or not await asyncio.to_thread(
            path.is_file):
        raise not_found("图片", "picture", name[:80])
    return File(path=path, media_type=records.CONTENT_TYPES[found[2]],
                content_disposition_type="inline", headers={"Cache-Control": IMMUTABLE})


@get("/events/{event_id:int}/share.png", name="public_event_share", include_in_schema=False)
async def share_image(request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
                      event_id: int) -> Response[bytes]:
    event = await get_event(db, event_id)
    check_visible(request, event, "活动", "event", event_id)
    now = utcnow()
    nights, _ = await public_views.event_nights(db, refs, event, now)
    card = share_card(await event_out(db, refs, event), nights,
                      now.astimezone(zone(settings.timezone)).date(),
                      public_meta.page_url(settings, f"/events/{event_id}"),
                      public_meta.STATION.zh)
    picture = await _picture_bytes(settings, await records.shown_picture(db, event))
    font = await off_loop(cjk_font, settings.font_path)
    png = await off_process(draw, card, font, picture)
    return Response(png, media_type="image/png")


async def _picture_bytes(settings: Settings, picture: Picture | None) -> bytes | None:
    """The widest JPEG of the picture; none when its file is missing (a data directory
    restored without its pictures): the card is made without it."""
    if picture is None:
        return None
    try:
        return await records.picture_store(settings).get(records.widest_jpeg(picture))
    except OSError:
        return None


PICTURE_PAGES = [picture_file, share_image]
