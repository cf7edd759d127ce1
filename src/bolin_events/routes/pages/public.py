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
from bolin_events.services.pictures import records as pictures
from bolin_events.services.refs import RefData, Table
from bolin_events.services.scheduling.calendar_rules import parse_calendar_rule
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.queries import event_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import public_meta, public_views, schedule_text, signup_views
from bolin_events.web.public_time import Clock
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]
DayParam = Parameter(default=None, max_length=20, description="YYYY-MM-DD")
FILTER_LABELS = {
    "category": Label("类别", "Category"),
    "village": Label("村", "Village"),
    "venue": Label("场地", "Venue"),
    "programme": Label("活动项目", "Programme"),
}
SHOWN_NIGHTS = 5  # an event page lists the next few nights; "全部N场" opens the rest
FEATURED = 3  # programmes and categories whose feeds the subscribe page offers first
FEED_KINDS = [
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
        rows = sorted(tables[name].active(), key=lambda row: str(row.name_zh))
        options = [(row.slug, Label(row.name_zh, row.name_en)) for row in rows]
        if value and value not in tables[name].by_slug:
            options.insert(0, (value, Label(value)))
        fields.append(FilterField(name, FILTER_LABELS[name], options, value or ""))
    return fields


def clock_of(settings: Settings) -> Clock:
    """Now on the town's clock: the marks (进行中, 今晚, 已结束) and which dates need a year."""
    return Clock.at(utcnow(), zone(settings.timezone))


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
    clock = clock_of(settings)
    sections = await public_views.home(db, refs, zone(settings.timezone), clock.now,
                                       Filters.of(category, village, None, None))
    return render(request, "public/home.html", home=sections, clock=clock,
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
    clock = clock_of(settings)
    page = await public_views.upcoming_list(db, refs, zone(settings.timezone), clock.now,
                                            Filters.of(category, village, venue, programme), first)
    return render(request, "public/events.html", page=page, chosen_from=first, clock=clock,
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
    clock = clock_of(settings)
    nights, over = await public_views.event_nights(db, refs, event, clock.now)
    places = _places(refs, nights, out)
    place = places.get(out.venue.slug) if out.venue else None
    url = public_meta.page_url(settings, f"/events/{event_id}")
    shown_picture = await pictures.shown_picture(db, event)
    picture = pictures.picture_out(settings, shown_picture) if shown_picture else None
    return render(
        request, "public/event.html", event=out, nights=nights, over=over, url=url, clock=clock,
        picture=picture,
        shown=nights[:SHOWN_NIGHTS], rest=nights[SHOWN_NIGHTS:],
        addable=[n for n in nights if clock.can_add(n)],
        venue=place[0] if place else None,
        maps=public_meta.map_links(*place) if place else None,
        changed=[n for n in nights if n.status in ("moved", "cancelled")],
        signups=await signup_views.event_signups(db, event, nights, clock.now),
        rule=parse_calendar_rule(event.calendar_rule).describe() if event.calendar_rule else None,
        feeds=_scope_feeds(settings, out), qr_url=qr_links(settings, url)[0],
        json_ld=public_meta.json_ld(settings, out, nights, places),
        og_image=(picture.src if picture else None) or out.image_url
        or public_meta.page_url(settings, "/static/og-default.png"),
    )


@get("/events/{event_id:int}/poster", name="public_event_poster")
async def event_poster(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, event_id: int
) -> Template:
    event = await _public_event(request, db, event_id)
    clock = clock_of(settings)
    nights, _ = await public_views.event_nights(db, refs, event, clock.now)
    venue = refs.venue_ref(event.venue_id)
    url = public_meta.page_url(settings, f"/events/{event_id}")
    return render(
        request, "public/poster.html", title=Label(event.title_zh, event.title_en),
        status=event.status, venue=venue, url=url, clock=clock,
        lines=schedule_text.schedule_lines(nights, clock.today.year),
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
    clock = clock_of(settings)
    nights = await public_views.programme_nights(db, refs, zone(settings.timezone), clock.now,
                                                 slug)
    series, singles = schedule_text.programme_view(nights, clock.today.year)
    url = public_meta.page_url(settings, f"/programmes/{slug}")
    children = sorted((p for p in refs.programmes.by_id.values() if p.parent_id == programme.id),
                      key=lambda p: p.name_zh)
    own = await pictures.own_picture(db, programme)
    return render(
        request, "public/programme.html", programme=programme, series=series, days=singles,
        clock=clock, picture=pictures.picture_out(settings, own) if own else None,
        parent=refs.programmes.by_id.get(programme.parent_id or -1), children=children,
        feed=feed_out(settings, "programmes", slug, programme.name_zh, programme.name_en),
        url=url, qr_url=qr_links(settings, url)[0],
    )


@get("/programmes/{slug:str}/poster", name="public_programme_poster")
async def programme_poster(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, slug: str
) -> Template:
    programme = _programme(refs, slug)
    clock = clock_of(settings)
    days = await public_views.programme_nights(db, refs, zone(settings.timezone), clock.now,
                                               slug)
    url = public_meta.page_url(settings, f"/programmes/{slug}")
    return render(
        request, "public/poster.html", title=Label(programme.name_zh, programme.name_en),
        status=EventStatus.published, venue=None, url=url, back=f"/programmes/{slug}",
        clock=clock, lines=schedule_text.programme_lines(days, clock.today.year),
        qr_svg=public_meta.qr_svg(url),
        span=(programme.start_date, programme.end_date),
    )


@get("/subscribe", name="public_subscribe")
async def subscribe(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings
) -> Template:
    """The town-wide feed and the most used ones first (the programmes on now or next, the
    busiest categories); every other feed folded away by kind."""
    feeds = list_feeds(settings, refs)
    programmes, categories = await public_views.busiest(db, refs, utcnow())
    wanted = [("all", None), *(("programmes", s) for s in programmes[:FEATURED]),
              *(("categories", s) for s in categories[:FEATURED])]
    by_key = {(f.kind, f.slug): f for f in feeds}
    featured = [by_key[key] for key in wanted if key in by_key]
    rest = [(label, [f for f in feeds if f.kind == kind and f not in featured])
            for kind, label in FEED_KINDS]
    return render(request, "public/subscribe.html", featured=featured, groups=rest)


PUBLIC_PAGES: list[Any] = [
    home, calendar, event_list, event_page, event_poster, programme_page, programme_poster,
    subscribe,
]
