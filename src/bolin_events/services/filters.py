"""The one filter rule: which events and nights a category/village/venue/programme filter
selects. The events list, occurrences, feeds, public pages and statistics all ask here.

- A category or programme filter selects events by their own category or programme (a
  programme includes its sub-programmes).
- A venue or village filter selects *nights* by where each one happens: a night moved to
  another venue belongs to that venue, and to that venue's village, for that night. A
  calendar (occurrences, feeds, pages, statistics) shows only the nights held in the chosen
  places; a list of events holds an event when at least one of its nights (not skipped) is
  held there.
- Within one kind, slugs are alternatives (``village=a,b``: either village); different kinds
  narrow each other (``category=market&village=dongsheng``: both). An unknown slug is a 404
  that lists the known ones, never an empty answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from bolin_events.calendar import Label
from bolin_events.models import Event, Occurrence, OccurrenceState
from bolin_events.services.refs import RefData

KINDS = ("category", "village", "venue", "programme")


def split_slugs(value: str | None) -> list[str]:
    """"a, b," → ["a", "b"]: the comma-separated slug lists filters are written as."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass
class Filters:
    """The slugs asked for, kind by kind (``?category=a,b&village=c&venue=…&programme=…``)."""

    categories: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        category: str | None = None,
        village: str | None = None,
        venue: str | None = None,
        programme: str | None = None,
    ) -> Filters:
        """From the comma-separated query values."""
        return cls(
            split_slugs(category), split_slugs(village), split_slugs(venue), split_slugs(programme)
        )

    @classmethod
    def named(cls, kind: str, slugs: list[str] | tuple[str, ...]) -> Filters:
        """One kind only: ``named("village", ["huagai"])``."""
        if kind not in KINDS:
            raise ValueError(f"unknown filter kind {kind!r}")
        return cls(**{f"{kind}s" if kind != "category" else "categories": list(slugs)})


@dataclass(frozen=True)
class Selection:
    """Filters resolved to ids: ``None`` means "any"; villages are folded into their venues.

    ``labels`` names what was chosen, kind by kind, for titles ("东胜村、华盖村").
    """

    categories: frozenset[int] | None = None
    programmes: frozenset[int] | None = None
    venues: frozenset[int] | None = None
    labels: tuple[Label, ...] = ()

    def __and__(self, other: Selection) -> Selection:
        """Both selections at once (a feed's own scope narrowed by its query)."""
        return Selection(
            _both(self.categories, other.categories),
            _both(self.programmes, other.programmes),
            _both(self.venues, other.venues),
            self.labels + other.labels,
        )

    @property
    def by_place(self) -> bool:
        return self.venues is not None

    def holds_night_at(self, venue_id: int | None) -> bool:
        """Whether a night held at ``venue_id`` is in the chosen places."""
        return self.venues is None or venue_id in self.venues

    def event_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on ``Event``: its category and programme."""
        conditions: list[ColumnElement[bool]] = []
        if self.categories is not None:
            conditions.append(col(Event.category_id).in_(self.categories))
        if self.programmes is not None:
            conditions.append(col(Event.programme_id).in_(self.programmes))
        return conditions

    def night_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on ``Occurrence`` (joined to its ``Event``): the whole rule for nights."""
        conditions = self.event_conditions()
        if self.venues is not None:
            conditions.append(col(Occurrence.venue_id).in_(self.venues))
        return conditions

    def listed_event_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on ``Event`` for a list of events: the whole rule for events."""
        conditions = self.event_conditions()
        if self.venues is not None:
            night = aliased(Occurrence, name="night_here")  # apart from any outer Occurrence
            conditions.append(
                select(col(night.id))
                .where(
                    col(night.event_id) == col(Event.id),
                    col(night.venue_id).in_(self.venues),
                    col(night.state) != OccurrenceState.skipped,
                )
                .correlate(Event)
                .exists()
            )
        return conditions


def _both(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def resolve(refs: RefData, filters: Filters) -> Selection:
    """The ids ``filters`` name; an unknown slug is a 404 listing the known ones."""
    categories = programmes = venues = None
    labels: list[Label] = []
    if filters.categories:
        rows = [refs.categories.get(slug) for slug in filters.categories]
        categories = frozenset(row.id or 0 for row in rows)
        labels.append(_label(rows))
    if filters.villages:
        villages = [refs.villages.get(slug) for slug in filters.villages]
        venues = frozenset(refs.venues_in(v.id for v in villages))
        labels.append(_label(villages))
    if filters.venues:
        places = [refs.venues.get(slug) for slug in filters.venues]
        venues = _both(venues, frozenset(v.id or 0 for v in places))
        labels.append(_label(places))
    if filters.programmes:
        found = [refs.programmes.get(slug) for slug in filters.programmes]
        ids: set[int] = set()
        for programme in found:
            ids |= refs.programme_and_descendants(programme.id or 0)
        programmes = frozenset(ids)
        labels.append(_label(found))
    return Selection(categories, programmes, venues, tuple(labels))


class _Named(Protocol):
    name_zh: str
    name_en: str | None


def _label(rows: Sequence[_Named]) -> Label:
    zh = "、".join(r.name_zh for r in rows)
    return Label(zh, ", ".join(r.name_en or r.name_zh for r in rows))
