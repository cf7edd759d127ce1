"""From rows to what ``calendar`` renders: each event's snapshot, with the names of its
place, category and organizer made once per feed build."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bolin_events.calendar import EventData, Label, Night, Place
from bolin_events.models import (
    Category,
    Organizer,
    Venue,
    Village,
)
from bolin_events.services.feeds.rows import EventRecord, NightRecord
from bolin_events.services.refs import RefData


def _label(row: Category | Village | Venue | Organizer | None) -> Label | None:
    return Label(row.name_zh, row.name_en) if row is not None else None


class Names:
    """Labels and places made once per feed build, shared by every event that uses them."""

    def __init__(self, refs: RefData) -> None:
        self.refs = refs
        self._places: dict[int | None, Place | None] = {None: None}
        self._categories: dict[int, Label | None] = {}
        self._organizers: dict[int | None, Label | None] = {}

    def place(self, venue_id: int | None) -> Place | None:
        if venue_id not in self._places:
            venue = self.refs.venues.by_id.get(venue_id or 0)
            village = self.refs.villages.by_id.get(venue.village_id or 0) if venue else None
            self._places[venue_id] = Place(
                Label(venue.name_zh, venue.name_en), _label(village), venue.address,
                venue.latitude, venue.longitude) if venue else None
        return self._places[venue_id]

    def category(self, category_id: int) -> Label | None:
        if category_id not in self._categories:
            self._categories[category_id] = _label(self.refs.categories.by_id.get(category_id))
        return self._categories[category_id]

    def organizer(self, organizer_id: int | None) -> Label | None:
        if organizer_id not in self._organizers:
            self._organizers[organizer_id] = _label(
                self.refs.organizers.by_id.get(organizer_id or 0))
        return self._organizers[organizer_id]


def event_url(public_url: str, event_id: int | None) -> str:
    return f"{public_url.rstrip('/')}/events/{event_id}"


def snapshot(names: Names, event: EventRecord, nights: Sequence[NightRecord],
             public_url: str, rdates: Sequence[datetime] = ()) -> EventData:
    """Everything of ``event`` that reaches its VEVENT text, and nothing else; ``rdates`` are
    every night's original start of a series by the Chinese calendar (rows.is_listed)."""
    description = None
    if event.description_zh or event.description_en:
        description = Label(event.description_zh or "", event.description_en)
    return EventData(
        uid=event.uid,
        sequence=event.sequence,
        updated_at=event.updated_at,
        title=Label(event.title_zh, event.title_en),
        status=event.status,
        all_day=event.all_day,
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        rrule=event.rrule,
        description=description,
        status_reason=event.status_reason,
        place=names.place(event.venue_id),
        category=names.category(event.category_id),
        organizer=names.organizer(event.organizer_id),
        price=event.price,
        contact=event.contact,
        url=event_url(public_url, event.id),
        nights=tuple(Night(n.recurrence_id, n.state, n.starts_at, n.ends_at,
                           names.place(n.venue_id), n.reason) for n in nights),
        rdates=tuple(rdates),
    )
