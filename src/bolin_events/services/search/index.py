"""The search index: each public event's names in comparable form, and its nights, made once
per data version; and the search over it, which runs in the worker pool (services.heavy).

An event is found by its title (ranked first), by where and under what it is held (venue,
village, programme and the programmes above it, category), then by its description. Within
each, text beats whole pinyin beats initials; a pinyin query of five letters or more that
finds nothing is tried again allowing one wrong, missing or extra letter (titles and names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from rapidfuzz.distance import Levenshtein

from bolin_events.calendar import Label
from bolin_events.models import EventStatus
from bolin_events.services.scheduling.queries import NightRow
from bolin_events.services.search.text import Spelling, is_latin, normalise, spellings

TYPO_FROM = 5  # letters in a pinyin query before one typo is forgiven
MAX_RESULTS = 50


class Where(IntEnum):
    """Where an event was found, best first."""

    title = 0
    place = 1  # venue, village, programme, category
    description = 2


class How(IntEnum):
    """How it was found, best first."""

    text = 0
    pinyin = 1
    initials = 2
    typo = 3


@dataclass(frozen=True, slots=True)
class Field:
    where: Where
    text: str  # normalised
    spellings: tuple[Spelling, ...]  # Chinese texts only

    @classmethod
    def of(cls, where: Where, text: str | None, *, chinese: bool) -> Field | None:
        normalised = normalise(text or "")
        if not normalised:
            return None
        return cls(where, normalised, spellings(normalised) if chinese else ())

    def how(self, term: str) -> How | None:
        """How this field holds the normalised term, if it does (typos not tried)."""
        if term in self.text:
            return How.text
        if not is_latin(term):
            return None
        if any(s.has(term) for s in self.spellings):
            return How.pinyin
        if len(term) >= 2 and any(term in s.initials for s in self.spellings):
            return How.initials
        return None

    def near(self, term: str) -> bool:
        """Whether some run of its pinyin from a syllable start is one edit from the term."""
        lengths = (len(term) - 1, len(term), len(term) + 1)
        return any(
            Levenshtein.distance(term, s.full[at:at + size], score_cutoff=1) <= 1
            for s in self.spellings for at in s.starts() for size in lengths
            if at + size <= len(s.full)
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One public event as the search sees it: its fields and its nights (not skipped or
    cancelled), in start order."""

    event_id: int
    title: Label
    fields: tuple[Field, ...]
    nights: tuple[NightRow, ...]

    def hit(self, term: str) -> tuple[Where, How] | None:
        found = [(f.where, how) for f in self.fields if (how := f.how(term)) is not None]
        return min(found) if found else None

    def near(self, term: str) -> tuple[Where, How] | None:
        places = [f.where for f in self.fields if f.where < Where.description and f.near(term)]
        return (min(places), How.typo) if places else None

    def next_night(self, now: datetime) -> NightRow | None:
        """The first night not yet over (one under way counts)."""
        return next((n for n in self.nights if n.ends_at > now), None)


@dataclass(frozen=True, slots=True)
class Result:
    """A found event and the night to show: its next, or its last when it is over (None
    when it has no night at all)."""

    entry: Entry
    night: NightRow | None
    over: bool
    rank: tuple[Where, How]


@dataclass(frozen=True, slots=True)
class Found:
    results: list[Result]
    total: int
    close: bool  # nothing matched as typed: these are one letter away


def _match(entry: Entry, terms: tuple[str, ...], whole: str) -> tuple[Where, How] | None:
    """The query whole (ye shi = yeshi), else every word of it somewhere in the event."""
    found = entry.hit(whole)
    if found is not None or len(terms) < 2:
        return found
    ranks = [rank for term in terms if (rank := entry.hit(term)) is not None]
    return max(ranks) if len(ranks) == len(terms) else None


def _result(entry: Entry, rank: tuple[Where, How], now: datetime) -> Result:
    coming = entry.next_night(now)
    if coming is not None:
        return Result(entry, coming, False, rank)
    return Result(entry, entry.nights[-1] if entry.nights else None, True, rank)


def _order(result: Result) -> tuple[object, ...]:
    """Events still to come first (held ones before cancelled or postponed ones), then best
    found; sooner (or more recently over) first."""
    night = result.night
    when = night.starts_at.timestamp() if night else 0.0
    called_off = night is not None and night.status != EventStatus.published
    return (result.over, called_off, result.rank, -when if result.over else when,
            result.entry.event_id)


@dataclass(frozen=True, slots=True)
class SearchIndex:
    entries: tuple[Entry, ...]

    def search(self, terms: tuple[str, ...], whole: str, now: datetime) -> Found:
        """The best ``MAX_RESULTS`` events for a normalised query. CPU work: off the loop."""
        ranked = [(e, r) for e in self.entries if (r := _match(e, terms, whole))]
        close = not ranked and is_latin(whole) and len(whole) >= TYPO_FROM
        if close:
            ranked = [(e, r) for e in self.entries if (r := e.near(whole))]
        results = sorted((_result(e, r, now) for e, r in ranked), key=_order)
        return Found(results[:MAX_RESULTS], len(results), close and bool(results))
