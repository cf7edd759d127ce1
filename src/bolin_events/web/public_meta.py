"""What an event page tells machines and posters: map links, schema.org JSON-LD, QR codes,
and a schedule short enough to print.

Map links search for the venue's name and address; coordinates are used only when the venue
has them (DESIGN.md: none are invented).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import segno

from bolin_events.calendar import Label
from bolin_events.models import Venue, Village
from bolin_events.schemas.events import EventOut, OccurrenceOut
from bolin_events.services.feeds.links import base
from bolin_events.settings import Settings
from bolin_events.web.public_views import Day, end_day, start_day

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
LISTED_NIGHTS = 6
WEEKDAYS = Label("一二三四五六日", "Mon Tue Wed Thu Fri Sat Sun")
_FREE = re.compile(r"免费|free", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:¥|￥|RMB|CNY)\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*元", re.IGNORECASE)


def page_url(settings: Settings, path: str) -> str:
    return base(settings) + path


@dataclass(frozen=True)
class MapLinks:
    amap: str
    baidu: str


def map_links(venue: Venue, village: Village | None) -> MapLinks:
    """高德 and 百度 links: a marker when the venue has coordinates, else a search by name."""
    name = venue.name_zh
    if venue.latitude is not None and venue.longitude is not None:
        amap = "https://uri.amap.com/marker?" + urlencode({
            "position": f"{venue.longitude},{venue.latitude}", "name": name,
            "coordinate": "wgs84", "src": MAP_SOURCE})
        baidu = "https://api.map.baidu.com/marker?" + urlencode({
            "location": f"{venue.latitude},{venue.longitude}", "title": name,
            "content": venue.address or (village.name_zh if village else TOWN_AREA),
            "coord_type": "wgs84",
            "output": "html", "src": MAP_SOURCE})
        return MapLinks(amap, baidu)
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
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.latitude,
                        "longitude": venue.longitude}
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


def day_label(day: date) -> Label:
    return Label(f"{day.month}月{day.day}日（周{WEEKDAYS.zh[day.weekday()]}）",
                 f"{(WEEKDAYS.en or '').split()[day.weekday()]} {day.day} {day:%b}")


def short_day(day: date) -> Label:
    return Label(f"{day.month}月{day.day}日", f"{day.day} {day:%b}")


def hours(night: OccurrenceOut) -> str:
    if not isinstance(night.start, datetime) or not isinstance(night.end, datetime):
        return ""
    return f"{night.start:%H:%M}–{night.end:%H:%M}"


def night_line(night: OccurrenceOut) -> Label:
    when = day_label(start_day(night))
    if end_day(night) != start_day(night):
        last = short_day(end_day(night))
        when = Label(f"{when.zh}至{last.zh}", f"{when.en} to {last.en}")
    zh, en = f"{when.zh} {hours(night)}".strip(), f"{when.en} {hours(night)}".strip()
    if night.status == "cancelled":
        return Label(f"{zh} 已取消", f"{en} cancelled")
    if night.status == "moved":
        return Label(f"{zh}（改期）", f"{en} (moved)")
    return Label(zh, en)


def schedule_lines(nights: list[OccurrenceOut]) -> list[Label]:
    """A few nights one by one; a long series as its span, weekdays and usual hours, plus the
    nights that differ."""
    if len(nights) <= LISTED_NIGHTS:
        return [night_line(n) for n in nights]
    regular = [n for n in nights if n.status == "scheduled"] or nights
    weekdays = sorted({start_day(n).weekday() for n in regular})
    usual = Counter(hours(n) for n in regular).most_common(1)[0][0]
    first, last = short_day(start_day(nights[0])), short_day(start_day(nights[-1]))
    days_zh = "、".join("周" + WEEKDAYS.zh[d] for d in weekdays)
    days_en = ", ".join((WEEKDAYS.en or "").split()[d] for d in weekdays)
    lines = [Label(f"{first.zh}至{last.zh} 每{days_zh} {usual}".strip(),
                   f"{first.en} to {last.en}, {days_en} {usual}".strip())]
    return lines + [night_line(n) for n in nights if n.status in ("cancelled", "moved")]


def programme_lines(days: list[Day], most: int = 12) -> list[Label]:
    """One line per event of a programme: its title and when (a span and a count for a series)."""
    by_event: dict[int, list[OccurrenceOut]] = {}
    for day in days:
        for night in day.items:
            by_event.setdefault(night.event_id, []).append(night)
    lines = []
    for nights in list(by_event.values())[:most]:
        title = Label(nights[0].title_zh, nights[0].title_en or nights[0].title_zh)
        if len(nights) == 1:
            when = night_line(nights[0])
        else:
            first, last = short_day(start_day(nights[0])), short_day(start_day(nights[-1]))
            when = Label(f"{first.zh}至{last.zh}，共{len(nights)}场",
                         f"{first.en} to {last.en}, {len(nights)} nights")
        lines.append(Label(f"{title.zh}：{when.zh}", f"{title.en}: {when.en}"))
    return lines
