"""Public HTML pages (no login): home, calendar, event, programme, subscribe, poster.

Handlers parse the query, ask ``services.public_views`` (the same occurrences the JSON API and
the feeds give) and render; an unknown slug or id is the services' 404, shown as a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.errors import not_found
from bolin_events.models import Event, EventStatus, Programme, Venue, Village, utcnow
from bolin_events.routes.deps import SlugList, check_visible
from bolin_events.schemas.events import EventOut, OccurrenceOut
from bolin_events.schemas.feeds import FeedOut
from bolin_events.services.feeds.links import feed_out, list_feeds, qr_links, with_calendar
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData, Table
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.queries import event_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import public_meta, public_views
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]
DayParam = Parameter(default=None, max_length=20, description="YYYY-MM-DD")
FILTER_LABELS = {
    "category": Label("类别", "Category"),
    "village": Label("村", "Village"),
    "venue": Label("场地", "Venue"),
    "programme": Label("活动项目", "Programme"),
}
FEED_KINDS = [
    ("all", Label("全镇", "Whole town")),
    ("categories", Label("按类别", "By category")),
    ("villages", Label("按村", "By village")),
    ("venues", Label("按场地", "By venue")),
    ("programmes", Label("按活动项目", "By programme")),
]


@dataclass(frozen=True)
class FilterField:
    name: str
    label: Label
    options: list[tuple[str, Label]]
    value: str


def filter_fields(refs: RefData, values: dict[str, str | None]) -> list[FilterField]:
    """The filter selects; a comma list from a shared link stays chosen as one option."""
    tables: dict[str, Table[Any]] = {
        "category": refs.categories, "village": refs.villages, "venue": refs.venues,
        "programme": refs.programmes,
    }
    fields = []
    for name, value in values.items():
        rows = sorted(tables[name].by_slug.values(), key=lambda row: str(row.name_zh))
        options = [(row.slug, Label(row.name_zh, row.name_en)) for row in rows]
        if value and value not in tables[name].by_slug:
            options.insert(0, (value, Label(value)))
        fields.append(FilterField(name, FILTER_LABELS[name], options, value or ""))
    return fields


def query_of(values: dict[str, str | None]) -> str:
    """The chosen filters as a query string, for links that must keep them (prev/next)."""
    return urlencode({name: value for name, value in values.items() if value})


@get("/", name="public_home")
async def home(
    request: AnyRequest,
    db: AsyncSession, refs: RefData,
    settings: Settings,
    category: SlugList = None,
    village: SlugList = None,
) -> Template:
    chosen = {"category": category, "village": village}
    sections = await public_views.home(db, refs, zone(settings.timezone), utcnow(),
                                       Filters.of(category, village, None, None))
    return render(request, "public/home.html", home=sections,
                  fields=filter_fields(refs, chosen), query=query_of(chosen))


@get("/calendar", name="public_calendar")
async def calendar(
    request: AnyRequest,
    db: AsyncSession, refs: RefData,
    settings: Settings,
    month: str | None = Parameter(default=None, max_length=20, description="YYYY-MM"),
    category: SlugList = None,
    village: SlugList = None,
    venue: SlugList = None,
    programme: SlugList = None,
) -> Template:
    tz = zone(settings.timezone)
    first = public_views.parse_month(month, utcnow().astimezone(tz).date())
    chosen = {"category": category, "village": village, "venue": venue, "programme": programme}
    grid = await public_views.month_grid(db, refs, tz, first,
                                         Filters.of(category, village, venue, programme))
    return render(request, "public/calendar.html", grid=grid, today=utcnow().astimezone(tz).date(),
                  fields=filter_fields(refs, chosen), query=query_of(chosen))


@get("/events", name="public_events")
async def event_list(
    request: AnyRequest,
    db: AsyncSession, refs: RefData,
    settings: Settings,
    start: str | None = Parameter(query="from", default=None, max_length=20),
    category: SlugList = None,
    village: SlugList = None,
    venue: SlugList = None,
    programme: SlugList = None,
) -> Template:
    first = public_views.parse_day(start, "from")
    chosen = {"category": category, "village": village, "venue": venue, "programme": programme}
    page = await public_views.upcoming_list(db, refs, zone(settings.timezone), utcnow(),
                                            Filters.of(category, village, venue, programme), first)
    return render(request, "public/events.html", page=page, chosen_from=first,
                  fields=filter_fields(refs, chosen), query=query_of(chosen))


async def _public_event(request: AnyRequest, db: AsyncSession, event_id: int) -> Event:
    """The event, unless it is a draft: those only staff who plan the programme may preview."""
    event = await get_event(db, event_id)
    check_visible(request, event, "活动", "event", event_id)
    return event


def _places(refs: RefData, nights: list[OccurrenceOut], event: EventOut
            ) -> dict[str, tuple[Venue, Village | None]]:
    slugs = {n.venue.slug for n in nights if n.venue}
    if event.venue:
        slugs.add(event.venue.slug)
    venues = [refs.venues.by_slug[slug] for slug in slugs]
    return {v.slug: (v, refs.villages.by_id.get(v.village_id or -1)) for v in venues}


def _scope_feeds(settings: Settings, event: EventOut) -> list[FeedOut]:
    feeds = [feed_out(settings, "categories", event.category.slug, event.category.name_zh,
                      event.category.name_en)]
    if event.programme:
        feeds.insert(0, feed_out(settings, "programmes", event.programme.slug,
                                 event.programme.name_zh, event.programme.name_en))
    return feeds


@get("/events/{event_id:int}", name="public_event")
async def event_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Template:
    event = await _public_event(request, db, event_id)
    out = with_calendar(settings, await event_out(db, refs, event))
    nights, over = await public_views.event_nights(db, refs, event, utcnow())
    places = _places(refs, nights, out)
    place = places.get(out.venue.slug) if out.venue else None
    url = public_meta.page_url(settings, f"/events/{event_id}")
    return render(
        request, "public/event.html", event=out, nights=nights, over=over, url=url,
        venue=place[0] if place else None,
        maps=public_meta.map_links(*place) if place else None,
        changed=[n for n in nights if n.status in ("moved", "cancelled")],
        feeds=_scope_feeds(settings, out), qr_url=qr_links(settings, url)[0],
        json_ld=public_meta.json_ld(settings, out, nights, places),
        og_image=out.image_url or public_meta.page_url(settings, "/static/og-default.png"),
    )


@get("/events/{event_id:int}/poster", name="public_event_poster")
async def event_poster(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Template:
    event = await _public_event(request, db, event_id)
    nights, _ = await public_views.event_nights(db, refs, event, utcnow())
    venue = refs.venue_ref(event.venue_id)
    url = public_meta.page_url(settings, f"/events/{event_id}")
    return render(
        request, "public/poster.html", title=Label(event.title_zh, event.title_en),
        status=event.status, lines=public_meta.schedule_lines(nights), venue=venue, url=url,
        back=f"/events/{event_id}", qr_svg=public_meta.qr_svg(url),
    )


def _programme(refs: RefData, slug: str) -> Programme:
    if len(slug) > 64:
        raise not_found("活动项目", "programme", slug[:64])
    return refs.programmes.get(slug)


@get("/programmes/{slug:str}", name="public_programme")
async def programme_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, slug: str
) -> Template:
    programme = _programme(refs, slug)
    nights = await public_views.programme_nights(db, refs, zone(settings.timezone), utcnow(),
                                                 slug)
    url = public_meta.page_url(settings, f"/programmes/{slug}")
    children = sorted((p for p in refs.programmes.by_id.values() if p.parent_id == programme.id),
                      key=lambda p: p.name_zh)
    return render(
        request, "public/programme.html", programme=programme, days=nights,
        parent=refs.programmes.by_id.get(programme.parent_id or -1), children=children,
        feed=feed_out(settings, "programmes", slug, programme.name_zh, programme.name_en),
        url=url, qr_url=qr_links(settings, url)[0],
    )


@get("/programmes/{slug:str}/poster", name="public_programme_poster")
async def programme_poster(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, slug: str
) -> Template:
    programme = _programme(refs, slug)
    days = await public_views.programme_nights(db, refs, zone(settings.timezone), utcnow(), slug)
    url = public_meta.page_url(settings, f"/programmes/{slug}")
    return render(
        request, "public/poster.html", title=Label(programme.name_zh, programme.name_en),
        status=EventStatus.published, venue=None, url=url, back=f"/programmes/{slug}",
        lines=public_meta.programme_lines(days), qr_svg=public_meta.qr_svg(url),
        span=(programme.start_date, programme.end_date),
    )


@get("/subscribe", name="public_subscribe")
async def subscribe(request: AnyRequest, refs: RefData, settings: Settings) -> Template:
    feeds = list_feeds(settings, refs)
    groups = [(label, [f for f in feeds if f.kind == kind]) for kind, label in FEED_KINDS]
    return render(request, "public/subscribe.html", groups=groups)


PUBLIC_PAGES: list[Any] = [
    home, calendar, event_list, event_page, event_poster, programme_page, programme_poster,
    subscribe,
]
