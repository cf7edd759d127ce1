"""What an event page tells machines and posters: map links, schema.org JSON-LD, QR codes
(the schedule a poster prints is web.schedule_text).

Map links search for the venue's name and address; coordinates are used only when the venue
has them (DESIGN.md: none are invented).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import segno

from bolin_events.calendar import Label
from bolin_events.models import Venue, Village
from bolin_events.schemas.events import EventOut, OccurrenceOut
from bolin_events.services import geo
from bolin_events.services.feeds.links import base
from bolin_events.settings import Settings

TOWN_AREA = "重庆市江津区柏林镇"
STATION = Label("柏林镇综合文化站", "Bolin Town Culture Station")
MAP_SOURCE = "bolin-events"
SCHEMA_STATUS = {
    "scheduled": "EventScheduled",
    "moved": "EventRescheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
}
JSON_LD_NIGHTS = 10
_FREE = re.compile(r"免费|free", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:¥|￥|RMB|CNY)\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*元", re.IGNORECASE)


def page_url(settings: Settings, path: str) -> str:
    return base(settings) + path


_ROUTE_SEPARATORS = re.compile(r"[,|]")


@dataclass(frozen=True)
class MapLinks:
    """高德 and 百度 links to a venue; the route (路线) links only to a venue with coordinates."""

    amap: str
    baidu: str
    amap_route: str | None = None
    baidu_route: str | None = None


def map_links(venue: Venue, village: Village | None) -> MapLinks:
    """A marker and a driving route when the venue has coordinates, else a search by name and
    address. Venues store WGS-84; each map is given its own system (高德 GCJ-02, 百度 BD-09;
    services.geo), so the marker sits on the place in the web map and in the app alike."""
    name = venue.name_zh
    if venue.latitude is not None and venue.longitude is not None:
        stored = geo.Point(venue.latitude, venue.longitude)
        gcj, bd = geo.from_wgs84(stored, "gcj02"), geo.from_wgs84(stored, "bd09")
        amap_at, baidu_at = f"{gcj.lng:.6f},{gcj.lat:.6f}", f"{bd.lat:.6f},{bd.lng:.6f}"
        content = venue.address or (village.name_zh if village else TOWN_AREA)
        label = _ROUTE_SEPARATORS.sub(" ", name)  # the route parameters split on , and |
        return MapLinks(
            amap="https://uri.amap.com/marker?" + urlencode({
                "position": amap_at, "name": name, "src": MAP_SOURCE, "coordinate": "gaode",
                "callnative": 1}),
            baidu="https://api.map.baidu.com/marker?" + urlencode({
                "location": baidu_at, "title": name, "content": content, "output": "html",
                "coord_type": "bd09ll", "src": MAP_SOURCE}),
            amap_route="https://uri.amap.com/navigation?" + urlencode({
                "to": f"{amap_at},{label}", "mode": "car", "src": MAP_SOURCE, "callnative": 1}),
            baidu_route="https://api.map.baidu.com/direction?" + urlencode({
                "destination": f"latlng:{baidu_at}|name:{label}", "mode": "driving",
                "region": "重庆", "output": "html", "coord_type": "bd09ll", "src": MAP_SOURCE}),
        )
    where = venue.address or f"{TOWN_AREA}{village.name_zh if village else ''}"
    amap = "https://uri.amap.com/search?" + urlencode({"keyword": f"{where} {name}",
                                                        "src": MAP_SOURCE})
    baidu = "https://api.map.baidu.com/geocoder?" + urlencode({
        "address": f"{where}{name}", "output": "html", "src": MAP_SOURCE})
    return MapLinks(amap, baidu)


def offer(price: str | None) -> dict[str, Any]:
    """schema.org price facts, only when the price text says them plainly."""
    if not price:
        return {}
    if _FREE.search(price):
        return {"isAccessibleForFree": True,
                "offers": {"@type": "Offer", "price": "0", "priceCurrency": "CNY"}}
    amount = _AMOUNT.search(price)
    if amount:
        value = amount[1] or amount[2]
        return {"isAccessibleForFree": False,
                "offers": {"@type": "Offer", "price": value, "priceCurrency": "CNY"}}
    return {}


def _place(venue: Venue | None, village: Village | None) -> dict[str, Any] | None:
    if venue is None:
        return None
    locality = f"江津区柏林镇{village.name_zh if village else ''}"
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": locality,
                               "addressRegion": "重庆市",
                               "addressCountry": "CN"}
    if venue.address:
        address["streetAddress"] = venue.address
    place: dict[str, Any] = {"@type": "Place", "name": venue.name_zh, "address": address}
    if venue.latitude is not None and venue.longitude is not None:  # stored WGS-84, as wanted
        place["geo"] = {"@type": "GeoCoordinates", "latitude": round(venue.latitude, 6),
                        "longitude": round(venue.longitude, 6)}
    return place


def _iso(moment: date | datetime) -> str:
    return moment.isoformat()


def json_ld(settings: Settings, event: EventOut, nights: list[OccurrenceOut],
            places: dict[str, tuple[Venue, Village | None]]) -> str:
    """schema.org Events, one per night (as search engines want a series), safe in <script>."""
    url = page_url(settings, f"/events/{event.id}")
    organizer = event.organizer.name_zh if event.organizer else STATION.zh
    items = []
    for night in nights[:JSON_LD_NIGHTS]:
        item: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Event", "name": event.title_zh,
            "url": url, "startDate": _iso(night.start), "endDate": _iso(night.end),
            "eventStatus": "https://schema.org/" + SCHEMA_STATUS.get(night.status,
                                                                     "EventScheduled"),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "organizer": {"@type": "Organization", "name": organizer, "url": base(settings)},
            **offer(event.price),
        }
        if event.description_zh:
            item["description"] = event.description_zh
        if night.status == "moved":
            item["previousStartDate"] = _iso(night.original_start)
        if event.image_url:
            item["image"] = [event.image_url]
        venue_slug = night.venue.slug if night.venue else None
        place = _place(*places[venue_slug]) if venue_slug in places else None
        if place:
            item["location"] = place
        items.append(item)
    text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    # Nothing in the data may close the <script> element or open a comment in it.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def qr_svg(url: str) -> str:
    """An inline SVG QR code: it prints sharp at any size and needs no second request."""
    return str(segno.make(url, error="m").svg_inline(scale=4, border=4, omitsize=True,
                                                      title=url))

