"""Atom and RSS 2.0 feeds of the nights to come, for feed readers and other sites' widgets.

A feed holds the next ``ENTRIES`` nights of its scope (the town, a category, village, venue
or programme) from the same query as the public lists (``public_views.nights_between``), each
titled with its day, hours and title and linking to its event page. An entry's id is the
night's own (the event and the night's place in its rule), so a reader that has seen a night
does not show it again when another changes; ``updated`` is when its event last changed.
The bytes depend only on the database and the day (no "now" in them), so every process
renders the same feed and the same ETag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.errors import DomainError, NotFound
from bolin_events.models import Event
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.schemas.feeds import FeedOut
from bolin_events.services.feeds.links import base, feed_out
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData, Table
from bolin_events.services.scheduling.queries import MAX_WINDOW
from bolin_events.services.timing import end_day, midnight, start_day, zone
from bolin_events.settings import Settings
from bolin_events.web.public_meta import STATION
from bolin_events.web.public_views import nights_between
from bolin_events.web.schedule_text import day_label, hours, span

ENTRIES = 50  # nights per feed: what a reader shows, and small enough to build inline
KINDS = {"categories": "category", "villages": "village", "venues": "venue",
         "programmes": "programme"}
FORMATS = {"atom": "application/atom+xml; charset=utf-8",
           "rss": "application/rss+xml; charset=utf-8"}
ABOUT = Label("重庆市江津区柏林镇接下来的文化活动，随时更新。",
              "What is on next in Bolin town, Jiangjin, Chongqing; kept up to date.")
STATUS = {"cancelled": Label("已取消", "cancelled"), "postponed": Label("已延期", "postponed"),
          "moved": Label("改期", "moved")}


@dataclass(frozen=True)
class Scope:
    """Which nights a feed holds, what it is called and which page shows the same list."""

    filters: Filters
    feed: FeedOut
    path: str  # /atom/…xml
    page: str  # the HTML page of the same nights


def town_scope(settings: Settings) -> Scope:
    return Scope(Filters(), feed_out(settings, "all", None, "", None), "/atom/all.xml", "/events")


def named_scope(settings: Settings, refs: RefData, kind: str, name: str) -> Scope:
    """``/atom/{kind}/{slug}.xml``; an unknown kind or slug is a 404 that says what exists."""
    if kind not in KINDS or not name.endswith(".xml"):
        raise NotFound(
            f"没有这个订阅地址：/atom/{kind[:40]}/{name[:80]}。可用：/atom/all.xml，或 "
            "/atom/categories|villages|venues|programmes/{slug}.xml",
            f"No feed at /atom/{kind[:40]}/{name[:80]}. Feeds are /atom/all.xml and "
            "/atom/categories|villages|venues|programmes/{slug}.xml.",
        )
    slug = name.removesuffix(".xml")[:64]
    tables: dict[str, Table[Any]] = {"categories": refs.categories, "villages": refs.villages,
                                     "venues": refs.venues, "programmes": refs.programmes}
    row = tables[kind].get(slug)
    page = (f"/programmes/{slug}" if kind == "programmes"
            else f"/events?{KINDS[kind]}={slug}")
    return Scope(Filters.named(KINDS[kind], [slug]),
                 feed_out(settings, kind, slug, row.name_zh, row.name_en),
                 f"/atom/{kind}/{slug}.xml", page)


def media_type(format_name: str | None) -> str:
    """Atom unless ``?format=rss``; another format is a 400 that names the two."""
    found = FORMATS.get(format_name or "atom")
    if found is None:
        raise DomainError("format 只能是 atom 或 rss。", "format must be atom or rss.",
                          [{"field": "format", "value": (format_name or "")[:20]}])
    return found


async def upcoming(
    db: AsyncSession, refs: RefData, filters: Filters, now: datetime
) -> tuple[list[OccurrenceOut], dict[int, datetime]]:
    """The next nights of the scope, and when each one's event last changed."""
    nights = await nights_between(db, refs, now, now + MAX_WINDOW, filters, ENTRIES)
    ids = {night.event_id for night in nights}
    rows = (await db.exec(select(Event.id, Event.updated_at)
                          .where(col(Event.id).in_(ids)))).all() if ids else []
    return nights, {event_id: updated for event_id, updated in rows if event_id is not None}


def entry_title(night: OccurrenceOut, lang: str, this_year: int) -> str:
    """"2027年6月26日（周六） 19:30–21:00 东胜银杏夜市" (the year only when it is not this one;
    a status first when the night is not on as planned)."""
    first, last = start_day(night), end_day(night)
    when = day_label(first, this_year) if last == first else span(first, last, this_year)
    status = STATUS.get(night.status)
    parts = [f"【{_pick(status, lang)}】" if status else "", _pick(when, lang), hours(night),
             _pick(Label(night.title_zh, night.title_en), lang)]
    return " ".join(part for part in parts if part).replace("】 ", "】")


def entry_summary(night: OccurrenceOut, lang: str) -> str:
    """Where, what kind, and why a night is off or moved."""
    parts = []
    if night.venue is not None:
        place = _pick(Label(night.venue.name_zh, night.venue.name_en), lang)
        village = night.venue.village
        parts.append(f"{place} · {_pick(Label(village.name_zh, village.name_en), lang)}"
                     if village else place)
    parts.append(_pick(Label(night.category.name_zh, night.category.name_en), lang))
    if night.reason and night.status in STATUS:
        parts.append(night.reason)
    return " · ".join(parts)


def render_feed(
    settings: Settings, scope: Scope, nights: list[OccurrenceOut],
    updated: dict[int, datetime], *, lang: str, rss: bool, today: datetime,
) -> bytes:
    """The feed's bytes. Building ≤ ENTRIES entries takes a few milliseconds: done inline,
    since the public cache keeps the answer per data version (routes.public_cache)."""
    site = base(settings)
    asked = [("format=rss" if rss else ""), ("lang=en" if lang == "en" else "")]
    query = "&".join(part for part in asked if part)
    generator = FeedGenerator()
    generator.id(site + scope.path)
    generator.title(_pick(Label(scope.feed.title_zh, scope.feed.title_en), lang))
    generator.subtitle(_pick(ABOUT, lang))
    generator.author({"name": _pick(STATION, lang)})
    generator.link(href=site + scope.path + (f"?{query}" if query else ""), rel="self")
    generator.link(href=site + scope.page, rel="alternate")
    generator.language("en" if lang == "en" else "zh-CN")
    for night in nights:
        url = f"{site}/events/{night.event_id}"
        entry = generator.add_entry(order="append")
        entry.id(f"{url}#night-{night.id}")
        entry.guid(f"{url}#night-{night.id}", permalink=False)
        entry.title(entry_title(night, lang, today.year))
        entry.link(href=url, rel="alternate")
        entry.summary(entry_summary(night, lang))
        entry.updated(updated.get(night.event_id, today))
    # with no night to come the feed is as of today (never "now": the bytes must not vary)
    newest = max((updated.get(night.event_id, today) for night in nights), default=today)
    generator.updated(newest)
    generator.lastBuildDate(newest)
    built: bytes = generator.rss_str() if rss else generator.atom_str()
    return built


def feed_day(now: datetime, settings: Settings) -> datetime:
    """Midnight of today in the town: an empty feed's ``updated``, the same in every process."""
    tz = zone(settings.timezone)
    return midnight(now.astimezone(tz).date(), tz)


def _pick(label: Label, lang: str) -> str:
    return label.en if lang == "en" and label.en else label.zh
