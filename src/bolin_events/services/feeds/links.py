"""Links to feeds and events: https, webcal://, Google's add-by-URL, and QR codes of them.

A feed's QR code holds its webcal:// URL: an iPhone camera then offers to *subscribe*, while
an https URL would only import a snapshot that never updates. A single event's QR code holds
the https URL of its .ics (any phone can open and add it once).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import segno

from bolin_events.calendar import Label, Place
from bolin_events.errors import InvalidInput
from bolin_events.schemas.events import AddToCalendar, EventCalendarLinks, EventOut
from bolin_events.schemas.feeds import FeedOut
from bolin_events.services.feeds.scope import TOWN
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings

QR_MAX_URL = 1000


def base(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


def webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


def google(url: str) -> str:
    return "https://calendar.google.com/calendar/r?cid=" + quote(webcal(url), safe="")


def qr_links(settings: Settings, target: str) -> tuple[str, str]:
    query = quote(target, safe="")
    return f"{base(settings)}/qr.svg?url={query}", f"{base(settings)}/qr.png?url={query}"


def event_ics_url(settings: Settings, event_id: int) -> str:
    return f"{base(settings)}/feeds/events/{event_id}.ics"


def feed_out(settings: Settings, kind: str, slug: str | None, zh: str, en: str | None) -> FeedOut:
    path = "/feeds/all.ics" if slug is None else f"/feeds/{kind}/{slug}.ics"
    url = base(settings) + path
    svg, png = qr_links(settings, webcal(url))
    title_zh = TOWN.zh if slug is None else f"{TOWN.zh} · {zh}"
    title_en = f"{TOWN.en}" if slug is None else f"{TOWN.en} · {en or zh}"
    return FeedOut(kind=kind, slug=slug, title_zh=title_zh, title_en=title_en, url=url,
                   webcal_url=webcal(url), google_url=google(url), qr_svg_url=svg, qr_png_url=png)


def list_feeds(settings: Settings, refs: RefData) -> list[FeedOut]:
    """Every feed a visitor can subscribe to: the whole town, then one per scope."""
    feeds = [feed_out(settings, "all", None, TOWN.zh, TOWN.en)]
    for kind, table in (("categories", refs.categories), ("villages", refs.villages),
                        ("venues", refs.venues), ("programmes", refs.programmes)):
        for slug in sorted(table.by_slug):
            row = table.by_slug[slug]
            feeds.append(feed_out(settings, kind, slug, row.name_zh, row.name_en))
    return feeds


def check_qr_target(settings: Settings, url: str) -> str:
    """Only our own addresses: the service must not print QR codes for anyone's links."""
    ours = (base(settings) + "/", webcal(base(settings)) + "/")
    if len(url) > QR_MAX_URL or not url.startswith(ours):
        raise InvalidInput(
            f"只能为本站地址生成二维码（以 {ours[0]} 或 {ours[1]} 开头）。",
            f"QR codes are only made for this site's addresses (starting {ours[0]} or {ours[1]}).",
            [{"field": "url", "value": url[:100]}],
        )
    return url


def qr_image(url: str, kind: str) -> bytes:
    """The QR code as SVG or PNG, with a quiet zone so phone cameras pick it up from a poster."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind=kind, scale=4 if kind == "svg" else 8, border=4)
    return out.getvalue()


def _unix(moment: date | datetime, tz: ZoneInfo, *, next_day: bool = False) -> int:
    if isinstance(moment, datetime):
        return int(moment.timestamp())
    day = moment + timedelta(days=1) if next_day else moment
    return int(datetime.combine(day, time(0), tzinfo=tz).timestamp())


def with_calendar(settings: Settings, out: EventOut) -> EventOut:
    """The event's JSON plus how to add it alone: .ics link, its QR code, wx.addPhoneCalendar."""
    tz = ZoneInfo(out.timezone)
    place = None
    if out.venue is not None:
        village = out.venue.village
        place = Place(Label(out.venue.name_zh, out.venue.name_en),
                      Label(village.name_zh, village.name_en) if village else None).location()
    description = "\n\n".join(t for t in (out.description_zh, out.description_en) if t) or None
    ics = event_ics_url(settings, out.id)
    svg, png = qr_links(settings, ics)
    wx = AddToCalendar(
        title=Label(out.title_zh, out.title_en).joined(),
        startTime=_unix(out.start, tz),
        endTime=_unix(out.end, tz, next_day=True),
        allDay=out.all_day,
        location=place,
        description=description,
    )
    links = EventCalendarLinks(ics_url=ics, qr_svg_url=svg, qr_png_url=png, add_to_calendar=wx)
    return out.model_copy(update={"calendar": links})
