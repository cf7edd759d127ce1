"""Which feed a request names: its path and query read into a ``FeedScope``, and the scope
resolved against the reference data into the ids a feed selects (an unknown slug is a 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import (
    Label,
)
from bolin_events.errors import InvalidInput, NotFound
from bolin_events.models import (
    Event,
    EventStatus,
)
from bolin_events.models.base import is_valid_id
from bolin_events.services import filters
from bolin_events.services.filters import split_slugs
from bolin_events.services.refs import RefData

ALL_PATH = "/feeds/all.ics"


MAX_FILTER_CHARS = 1000


KINDS = ("categories", "villages", "venues", "programmes", "events")


FILTER_NAMES = filters.KINDS  # the query parameters that narrow any feed
SINGULAR = {"categories": "category", "villages": "village", "venues": "venue",
            "programmes": "programme"}


@dataclass(frozen=True, slots=True)
class FeedScope:
    """Which feed: ``kind`` is "all" or one of KINDS; ``filters`` are the query's slug lists."""

    kind: str = "all"
    key: str = ""
    filters: tuple[tuple[str, ...], ...] = ((), (), (), ())

    @classmethod
    def of(cls, kind: str, key: str, filters: dict[str, list[str]]) -> FeedScope:
        return cls(kind, key, tuple(tuple(sorted(set(filters.get(n, [])))) for n in FILTER_NAMES))

    def path(self) -> str:
        base = "/feeds/all.ics" if self.kind == "all" else f"/feeds/{self.kind}/{self.key}.ics"
        query = "&".join(
            f"{name}={','.join(slugs)}"
            for name, slugs in zip(FILTER_NAMES, self.filters, strict=True)
            if slugs
        )
        return f"{base}?{query}" if query else base

    def filename(self) -> str:
        return "bolin-all.ics" if self.kind == "all" else f"bolin-{self.kind}-{self.key}.ics"


def feed_scope(path: str, query: bytes) -> FeedScope:
    """Which feed a path and query name; 404 for a path that is no feed, 400 for a bad query."""
    if path == ALL_PATH:
        kind, key = "all", ""
    else:
        kind, _, name = path.removeprefix("/feeds/").partition("/")
        if kind not in KINDS or "/" in name or not name.endswith(".ics"):
            raise NotFound(
                f"没有这个订阅地址：{path}",
                f"No feed at {path}; feeds end in .ics (see /api/v1/feeds).",
            )
        key = name.removesuffix(".ics")
    found: dict[str, list[str]] = {}
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if name in FILTER_NAMES and name not in found:  # the first of repeated names counts
            if len(value) > MAX_FILTER_CHARS:
                raise InvalidInput(
                    f"筛选条件 {name} 太长（最多 {MAX_FILTER_CHARS} 个字符）。",
                    f"The filter {name} is too long (at most {MAX_FILTER_CHARS} characters).",
                    [{"field": name}],
                )
            found[name] = split_slugs(value)
    return FeedScope.of(kind, key, found)


TOWN = Label("柏林镇活动", "Bolin town events")


ABOUT = Label("重庆市江津区柏林镇文化活动与文旅日历，随时更新。",
              "Culture and tourism events in Bolin town, Jiangjin, Chongqing; kept up to date.")


@dataclass(frozen=True)
class FeedSelection:
    """A feed's scope: one event's, or what the filters of its path and query select."""

    places: filters.Selection = field(default_factory=filters.Selection)
    event_id: int | None = None
    event_title: Label | None = None

    def title(self) -> str:
        parts = [TOWN, *([self.event_title] if self.event_title else []), *self.places.labels]
        zh = " · ".join(p.zh for p in parts)
        en = " · ".join(p.en or p.zh for p in parts)
        return f"{zh} / {en}"

    def description(self) -> str:
        return ABOUT.joined("\n")


async def resolve(session: AsyncSession, refs: RefData, scope: FeedScope) -> FeedSelection:
    """The scope of ``/feeds/{kind}/{key}.ics?filters``; an unknown slug or event is a 404."""
    event_id, event_title = None, None
    places = filters.Selection()
    if scope.kind == "events":
        key = scope.key
        digits = key.isascii() and key.isdigit() and len(key) <= 10
        event = await session.get(Event, int(key)) if digits and is_valid_id(int(key)) else None
        if event is None or event.status == EventStatus.draft:
            raise NotFound(f"找不到活动：{key}", f"No event {key!r} exists.",
                           [{"field": "event", "value": key}])
        event_id, event_title = event.id, Label(event.title_zh, event.title_en)
    elif scope.kind != "all":
        places = filters.resolve(refs, filters.Filters.named(SINGULAR[scope.kind], [scope.key]))
    query = filters.Filters(*(list(slugs) for slugs in scope.filters))
    return FeedSelection(places & filters.resolve(refs, query), event_id, event_title)
