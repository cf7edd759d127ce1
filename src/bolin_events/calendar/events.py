"""One event (a single event or a whole series with its exceptions) as VEVENT bytes.

The input is an immutable snapshot of everything that reaches the text and nothing else
(no clock, no process state): two processes reading the same rows build equal snapshots and
therefore the same bytes (ICAL.md, "Identity and change").

Status, as a subscriber sees it:

- published → ``STATUS:CONFIRMED``.
- cancelled → ``STATUS:CANCELLED`` and a 【已取消】 / [Cancelled] title prefix, because Google
  hides cancelled events and some clients ignore STATUS altogether.
- postponed → ``STATUS:TENTATIVE`` and a 【延期】 / [Postponed] prefix, kept at the original
  dates: the new date is not known yet, and the event should neither vanish (subscribers would
  think it was cancelled) nor look confirmed. Rescheduling raises SEQUENCE like any edit.
- one cancelled night of a series → an override with ``STATUS:CANCELLED`` and the prefix;
  a moved night → an override at its new time and place; a skipped night → ``EXDATE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bolin_events.calendar.wire import (
    encode_lines,
    escape_text,
    text_line,
    utc_stamp,
    when_line,
)

STATUS = {"published": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
PREFIX = {"cancelled": ("【已取消】", "[Cancelled] "), "postponed": ("【延期】", "[Postponed] ")}
NOTES = {
    ("cancelled", False): "活动已取消 / Cancelled",
    ("postponed", False): "活动延期，新日期待定 / Postponed, new date to be announced",
    ("cancelled", True): "本场取消 / This night is cancelled",
    ("moved", True): "本场改期 / This night has moved",
}

# Named tuples rather than dataclasses: a feed makes thousands of these per build, and a
# tuple is built several times faster while being just as immutable.


class Label(NamedTuple):
    """A name in both languages; ``en`` is optional (zh is always required)."""

    zh: str
    en: str | None = None

    def joined(self, separator: str = " / ") -> str:
        return f"{self.zh}{separator}{self.en}" if self.en else self.zh


class Place(NamedTuple):
    venue: Label
    village: Label | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def location(self) -> str:
        zh = f"{self.venue.zh}（{self.village.zh}）" if self.village else self.venue.zh
        if self.address:
            zh = f"{zh}，{self.address}"
        if not self.venue.en:
            return zh
        village_en = self.village.en if self.village else None
        return f"{zh} / {self.venue.en}, {village_en}" if village_en else f"{zh} / {self.venue.en}"


class Night(NamedTuple):
    """A night of a series that differs from its rule: skipped, moved or cancelled."""

    recurrence_id: datetime
    state: str
    starts_at: datetime
    ends_at: datetime
    place: Place | None
    reason: str | None = None


class EventData(NamedTuple):
    uid: str
    sequence: int
    updated_at: datetime
    title: Label
    status: str
    all_day: bool
    timezone: str
    starts_at: datetime
    ends_at: datetime
    rrule: str | None = None
    description: Label | None = None
    status_reason: str | None = None
    place: Place | None = None
    category: Label | None = None
    organizer: Label | None = None
    price: str | None = None
    contact: str | None = None
    url: str | None = None
    nights: tuple[Night, ...] = ()


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _summary(title: Label, state: str) -> str:
    if state not in PREFIX:
        return title.joined()
    zh, en = PREFIX[state]
    return f"{zh}{title.zh} / {en}{title.en}" if title.en else f"{zh}{title.zh}"


def _details(ev: EventData) -> list[str]:
    """The description's paragraphs shared by the series and its overrides."""
    parts = []
    if ev.description:
        parts += [text for text in ev.description if text]
    if ev.price:
        parts.append(f"费用 / Price: {ev.price}")
    if ev.contact:
        parts.append(f"联系 / Contact: {ev.contact}")
    if ev.organizer:
        parts.append(f"主办 / Organizer: {ev.organizer.joined()}")
    if ev.url:
        parts.append(ev.url)
    return parts


def _note(state: str, reason: str | None, *, night: bool) -> str | None:
    heading = NOTES.get((state, night))
    if heading is None:
        return None
    return f"{heading}: {reason}" if reason else heading


class _Shared(NamedTuple):
    """Lines and (escaped) texts every component of one event repeats."""

    ids: list[str]
    details: str
    tail: list[str]


def _component(ev: EventData, shared: _Shared, head: list[str], state: str,
               place: Place | None, note: str | None) -> list[str]:
    lines = ["BEGIN:VEVENT", *shared.ids, *head, text_line("SUMMARY", _summary(ev.title, state))]
    parts = [escape_text(note), shared.details] if note else [shared.details]
    description = "\\n\\n".join(part for part in parts if part)
    if description:
        lines.append(f"DESCRIPTION:{description}")
    if place is not None:
        lines += _place_lines(place)
    lines += shared.tail
    lines.append(f"STATUS:{STATUS.get(state, 'CONFIRMED')}")
    lines.append("END:VEVENT")
    return lines


@lru_cache(maxsize=1024)
def _place_lines(place: Place) -> tuple[str, ...]:
    """LOCATION (and GEO when known): the same for every event at a venue, so made once."""
    location = text_line("LOCATION", place.location())
    if place.latitude is None or place.longitude is None:
        return (location,)
    return location, f"GEO:{place.latitude:.6f};{place.longitude:.6f}"


@lru_cache(maxsize=256)
def _category_line(category: Label) -> str:
    return text_line("CATEGORIES", category.joined())


def render_event(ev: EventData, hidden: Iterable[datetime] = ()) -> bytes:
    """The master VEVENT, then one override per moved or cancelled night (same UID).

    ``hidden`` are rule instances (by their original UTC start) that this feed leaves out, e.g.
    nights moved to a venue outside a venue feed: they become EXDATE and lose their override.
    """
    tz, all_day = _zone(ev.timezone), ev.all_day
    changed = utc_stamp(ev.updated_at)
    tail = [_category_line(ev.category)] if ev.category else []
    if all_day:
        tail.append("TRANSP:TRANSPARENT")  # a three-day festival should not block the days
    if ev.url:
        tail.append(f"URL:{ev.url}")
    shared = _Shared([f"UID:{ev.uid}", f"DTSTAMP:{changed}", f"LAST-MODIFIED:{changed}",
                      f"SEQUENCE:{ev.sequence}"], "\\n\\n".join(map(escape_text, _details(ev))),
                     tail)

    event_state = ev.status if ev.status in PREFIX else "published"
    head = [when_line("DTSTART", ev.starts_at, tz, all_day=all_day),
            when_line("DTEND", ev.ends_at, tz, all_day=all_day)]
    overrides: list[Night] = []
    if ev.rrule:
        head.append(f"RRULE:{ev.rrule}")
        hidden_set = set(hidden)
        skipped = [n.recurrence_id for n in ev.nights if n.state == "skipped"]
        excluded = sorted(hidden_set.union(skipped)) if hidden_set else sorted(skipped)
        head += [when_line("EXDATE", moment, tz, all_day=all_day) for moment in excluded]
        overrides = [n for n in ev.nights if n.state in ("moved", "cancelled")
                     and not (hidden_set and n.recurrence_id in hidden_set)]
    note = _note(event_state, ev.status_reason, night=False)
    lines = _component(ev, shared, head, event_state, ev.place, note)
    for night in sorted(overrides, key=lambda n: n.recurrence_id):
        state = "cancelled" if "cancelled" in (night.state, event_state) else event_state
        night_head = [when_line("RECURRENCE-ID", night.recurrence_id, tz, all_day=all_day),
                      when_line("DTSTART", night.starts_at, tz, all_day=all_day),
                      when_line("DTEND", night.ends_at, tz, all_day=all_day)]
        night_note = (_note(night.state, night.reason, night=True)
                      if night.state == "cancelled" or event_state == "published" else note)
        lines += _component(ev, shared, night_head, state, night.place, night_note)
    return encode_lines(lines)
