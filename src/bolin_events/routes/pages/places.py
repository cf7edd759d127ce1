"""Public pages of the places and people behind events: a venue (where it is, how to get there,
what is on there) and an organizer (who they are, what they run next).

An unknown slug is the reference data's 404, shown as a page, as for programmes.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import not_found
from bolin_events.models import Organizer, Venue
from bolin_events.routes.pages.public import clock_of
from bolin_events.services.feeds.links import feed_out, qr_links
from bolin_events.services.refs import KIND_NAMES, RefData
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import place_views, public_meta
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]
LONGEST_SLUG = 64  # what a slug column holds: anything longer names nothing


def _slug(model: type[SQLModel], slug: str) -> str:
    if len(slug) > LONGEST_SLUG:
        raise not_found(*KIND_NAMES[model], slug[:LONGEST_SLUG])
    return slug


@get("/venues/{slug:str}", name="public_venue")
async def venue_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, slug: str
) -> Template:
    venue = refs.venues.get(_slug(Venue, slug))
    village = refs.villages.by_id.get(venue.village_id or -1)
    clock = clock_of(settings)
    days = await place_views.venue_nights(db, refs, zone(settings.timezone), clock.now, slug)
    url = public_meta.page_url(settings, f"/venues/{slug}")
    return render(
        request, "public/venue.html", venue=venue, village=village, days=days, clock=clock,
        maps=public_meta.map_links(venue, village),
        feed=feed_out(settings, "venues", slug, venue.name_zh, venue.name_en),
        url=url, qr_url=qr_links(settings, url)[0],
    )


@get("/organizers/{slug:str}", name="public_organizer")
async def organizer_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, slug: str
) -> Template:
    organizer = refs.organizers.get(_slug(Organizer, slug))
    clock = clock_of(settings)
    nights = await place_views.organizer_next_nights(db, refs, clock.now, organizer.id or 0)
    url = public_meta.page_url(settings, f"/organizers/{slug}")
    return render(
        request, "public/organizer.html", organizer=organizer, nights=nights, clock=clock,
        url=url, qr_url=qr_links(settings, url)[0],
    )


PLACE_PAGES: list[Any] = [venue_page, organizer_page]
