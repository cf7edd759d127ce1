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

A series by the Chinese calendar (``rdates``) lists its nights as RDATE (calendar.series),
with the same overrides; a skipped night is simply not listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bolin_events.calendar.series import (
    MAX_EXDATES,
    cut,
    cut_rule,
    listed,
    night_uid,
    rdate_groups,
)
from bolin_events.calendar.wire import (
    dates_line,
    encode_lines,
    escape_text,
    one_line,
    text_line,
    utc_stamp,
    when_line,
)

STATUS = {"published": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
MOVED = ("moved", "cancelled")  # nights sent as overrides
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
    # Every night's original start when the rule is one iCalendar cannot write (a rule of the
    # Chinese calendar): the series is sent as these RDATEs instead of an RRULE.
    rdates: tuple[datetime, ...] = ()


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _summary(title: Label, state: str) -> str:
    """One line whatever the stored title holds (line breaks become spaces, wire.one_line)."""
    zh, en = one_line(title.zh), one_line(title.en) if title.en else None
    if state not in PREFIX:
        return f"{zh} / {en}" if en else zh
    zh_prefix, en_prefix = PREFIX[state]
    return f"{zh_prefix}{zh} / {en_prefix}{en}" if en else f"{zh_prefix}{zh}"


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
    """Lines and (escaped) texts every component of one event repeats in one file."""

    ids: list[str]  # UID first
    details: str
    tail: list[str]
    alarm: str | None  # a VALARM TRIGGER such as -PT1H


def _shared(ev: EventData, alarm: str | None) -> _Shared:
    changed = utc_stamp(ev.updated_at)
    tail = [_category_line(ev.category)] if ev.category else []
    if ev.all_day:
        tail.append("TRANSP:TRANSPARENT")  # a three-day festival should not block the days
    if ev.url:
        tail.append(f"URL:{ev.url}")
    return _Shared([f"UID:{ev.uid}", f"DTSTAMP:{changed}", f"LAST-MODIFIED:{changed}",
                    f"SEQUENCE:{ev.sequence}"], "\\n\\n".join(map(escape_text, _details(ev))),
                   tail, alarm)


def _component(ev: EventData, shared: _Shared, head: list[str], state: str,
               place: Place | None, note: str | None) -> list[str]:
    summary = _summary(ev.title, state)
    lines = ["BEGIN:VEVENT", *shared.ids, *head, text_line("SUMMARY", summary)]
    parts = [escape_text(note), shared.details] if note else [shared.details]
    description = "\\n\\n".join(part for part in parts if part)
    if description:
        lines.append(f"DESCRIPTION:{description}")
    if place is not None:
        lines += _place_lines(place)
    lines += shared.tail
    lines.append(f"STATUS:{STATUS.get(state, 'CONFIRMED')}")
    if shared.alarm and state != "cancelled":  # no reminder to come to what will not happen
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", text_line("DESCRIPTION", summary),
                  f"TRIGGER:{shared.alarm}", "END:VALARM"]
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


def _shifted_end(ev: EventData, start: datetime, tz: ZoneInfo) -> datetime:
    """The end of the rule's instance at ``start``: the series' wall-clock length later."""
    def wall(moment: datetime) -> datetime:
        return moment.astimezone(tz).replace(tzinfo=None)

    return (wall(start) + (wall(ev.ends_at) - wall(ev.starts_at))).replace(tzinfo=tz)


class _File(NamedTuple):
    """What every component of one event in one file shares."""

    ev: EventData
    tz: ZoneInfo
    shared: _Shared
    state: str  # the event's: published, cancelled or postponed
    note: str | None  # the event's own note (cancelled or postponed, and why)

    def when(self, name: str, moment: datetime) -> str:
        return when_line(name, moment, self.tz, all_day=self.ev.all_day)

    def night(self, night: Night, head: list[str]) -> list[str]:
        """A moved or cancelled night: its own time, place, state and note."""
        state = "cancelled" if "cancelled" in (night.state, self.state) else self.state
        note = (_note(night.state, night.reason, night=True)
                if night.state == "cancelled" or self.state == "published" else self.note)
        when = [self.when("DTSTART", night.starts_at), self.when("DTEND", night.ends_at)]
        return _component(self.ev, self.shared, [*head, *when], state, night.place, note)

    def alone(self, moment: datetime, nights: dict[datetime, Night]) -> list[str]:
        """The rule's instance at ``moment`` as an event of its own: a UID of its own, no
        rule, the night as it now is (calendar.series)."""
        shared = self.shared._replace(ids=[f"UID:{night_uid(self.ev.uid, moment)}",
                                           *self.shared.ids[1:]])
        alone = self._replace(shared=shared)
        night = nights.get(moment)
        if night is not None:
            return alone.night(night, [])
        head = [self.when("DTSTART", moment),
                self.when("DTEND", _shifted_end(self.ev, moment, self.tz))]
        return _component(self.ev, shared, head, self.state, self.ev.place, self.note)

    def series(self, start: datetime, rule: str, exdates: Iterable[datetime],
               overrides: Iterable[Night]) -> list[str]:
        """The master from ``start`` with ``rule``, then one override per changed night."""
        head = [self.when("DTSTART", start),
                self.when("DTEND", _shifted_end(self.ev, start, self.tz)), f"RRULE:{rule}"]
        head += [self.when("EXDATE", moment) for moment in exdates]
        return self.master(head, overrides)

    def listing(self, starts: Sequence[datetime], overrides: Iterable[Night]) -> list[str]:
        """The master on the first of ``starts``, each of them (the first too) an RDATE, then
        one override per changed night (calendar.series)."""
        head = [self.when("DTSTART", starts[0]),
                self.when("DTEND", _shifted_end(self.ev, starts[0], self.tz))]
        head += [dates_line("RDATE", group, self.tz, all_day=self.ev.all_day)
                 for group in rdate_groups(starts)]
        return self.master(head, overrides)

    def master(self, head: list[str], overrides: Iterable[Night]) -> list[str]:
        lines = _component(self.ev, self.shared, head, self.state, self.ev.place, self.note)
        for night in sorted(overrides, key=lambda n: n.recurrence_id):
            lines += self.night(night, [self.when("RECURRENCE-ID", night.recurrence_id)])
        return lines


def _file(ev: EventData, alarm: str | None) -> _File:
    state = ev.status if ev.status in PREFIX else "published"
    return _File(ev, _zone(ev.timezone), _shared(ev, alarm), state,
                 _note(state, ev.status_reason, night=False))


def render_event(ev: EventData, hidden: Set[datetime] = frozenset(), *,
                 instances: Sequence[datetime] = (), trim: bool = False,
                 alarm: str | None = None) -> bytes:
    """The master VEVENT, then one override per moved or cancelled night (same UID).

    ``hidden`` are rule instances (by their original UTC start) that this file leaves out, e.g.
    nights moved to a venue outside a venue feed: they become EXDATE and lose their override.
    Past ``MAX_EXDATES`` of those (skipped nights included), or always with ``trim``, the
    series is cut to the nights it keeps (calendar.series): that needs ``instances``, every
    start the rule gives, in order. ``alarm`` is a VALARM TRIGGER (``-PT1H``); it goes on every
    component not cancelled. Empty bytes when a cut series keeps no night.

    A series with ``rdates`` lists the nights it keeps, whatever their number: ``hidden`` and
    skipped nights are left out of the list, and ``instances`` and ``trim`` are not needed.
    """
    file = _file(ev, alarm)
    if ev.rdates and not ev.rrule:
        return _render_listed(file, hidden)
    if not ev.rrule:
        head = [file.when("DTSTART", ev.starts_at), file.when("DTEND", ev.ends_at)]
        return encode_lines(_component(ev, file.shared, head, file.state, ev.place, file.note))
    skipped = [n.recurrence_id for n in ev.nights if n.state == "skipped"]
    excluded = {*hidden, *skipped}
    changed = [n for n in ev.nights if n.state in MOVED and n.recurrence_id not in excluded]
    if not trim and len(excluded) <= MAX_EXDATES:
        return encode_lines(file.series(ev.starts_at, ev.rrule, sorted(excluded), changed))
    if not instances:
        raise ValueError(f"cutting the series {ev.uid} needs its instances")
    span = cut(instances, excluded)
    if span is None:
        return b""
    if len(span.exdates) > MAX_EXDATES:
        nights = {n.recurrence_id: n for n in changed}
        return encode_lines([line for moment in instances if moment not in excluded
                             for line in file.alone(moment, nights)])
    rule = cut_rule(ev.rrule, span, all_day=ev.all_day, tz=file.tz)
    return encode_lines(file.series(span.first, rule, span.exdates, changed))


def _render_listed(file: _File, hidden: Set[datetime]) -> bytes:
    """A series by the Chinese calendar: the nights not left out, as RDATEs, and overrides."""
    nights = file.ev.nights
    starts = listed(file.ev.rdates, {*hidden, *(n.recurrence_id for n in nights
                                               if n.state == "skipped")})
    if not starts:
        return b""
    sent = set(starts)
    changed = [n for n in nights if n.state in MOVED and n.recurrence_id in sent]
    return encode_lines(file.listing(starts, changed))


def render_night(ev: EventData, recurrence_id: datetime, alarm: str | None = None) -> bytes:
    """One night of ``ev`` (a series' or a single event's), as it now is, as an event of its
    own (a UID of its own): what a visitor adds to a phone from the event page."""
    nights = {n.recurrence_id: n for n in ev.nights if n.state in MOVED}
    return encode_lines(_file(ev, alarm).alone(recurrence_id, nights))
