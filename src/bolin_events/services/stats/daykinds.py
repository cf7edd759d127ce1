"""场次 and 人次 by the kind of day the nights start on: 法定节假日, 周末, 工作日 (调休 working
days included) and, apart, 假日安排未公布 for a year whose public holidays are not published
yet — 假日游 and 周末游 are what the town sells, so the statistics show each.

The nights are the statistics' own (queries.held_in: the same window, filters, keys and latest
reports), so each group's split adds up to its 场次 and 人次. A night belongs to the local day
it starts on (a three-day festival starting on a Saturday is a weekend night). SQL groups the
nights by their start instant; the day and its kind are found here, so SQLite and PostgreSQL
agree without converting time zones in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import func
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.schemas.reports import DayKindFiguresOut
from bolin_events.services.filters import Selection
from bolin_events.services.holidays import day_kinds
from bolin_events.services.stats.queries import GroupBy, Window, held_by

KNOWN = ("holiday", "weekend", "workday")  # the kinds every split shows, in this order
UNKNOWN = "unknown"  # shown only when some night falls in a year not published
KIND_NAMES = {
    "holiday": ("法定节假日", "Public holiday"),
    "weekend": ("周末", "Weekend"),
    "workday": ("工作日", "Working day"),
    UNKNOWN: ("假日安排未公布", "Holiday arrangement not yet published"),
}

# One group's nights starting at one instant: its key, the local day, 场次 and 人次.
Nights = tuple[str | None, date, int, int]


@dataclass
class Count:
    sessions: int = 0
    people: int = 0


@dataclass
class DaySplit:
    """Each group's figures by kind of day, and the years whose arrangement is unknown."""

    groups: dict[str | None, dict[str, Count]] = field(default_factory=dict)
    unknown_years: list[int] = field(default_factory=list)

    @property
    def kinds(self) -> tuple[str, ...]:
        return (*KNOWN, UNKNOWN) if self.unknown_years else KNOWN

    def of(self, key: str | None) -> list[DayKindFiguresOut]:
        """A group's split, every kind listed (0 for none); a group held only a year earlier
        has nothing this period."""
        return self._out(self.groups.get(key, {}))

    def total(self) -> list[DayKindFiguresOut]:
        summed: dict[str, Count] = {}
        for counts in self.groups.values():
            for kind, count in counts.items():
                into = summed.setdefault(kind, Count())
                into.sessions += count.sessions
                into.people += count.people
        return self._out(summed)

    def _out(self, counts: Mapping[str, Count]) -> list[DayKindFiguresOut]:
        return [
            DayKindFiguresOut(
                kind=kind,
                kind_zh=KIND_NAMES[kind][0],
                kind_en=KIND_NAMES[kind][1],
                sessions=counts.get(kind, Count()).sessions,
                people=counts.get(kind, Count()).people,
            )
            for kind in self.kinds
        ]


def split(nights: Iterable[Nights], kinds: Mapping[date, str]) -> DaySplit:
    """The nights summed by group and kind of day; a day ``kinds`` does not know is unknown,
    never guessed."""
    found = DaySplit()
    unknown: set[int] = set()
    for key, day, sessions, people in nights:
        kind = kinds.get(day, UNKNOWN)
        if kind == UNKNOWN:
            unknown.add(day.year)
        count = found.groups.setdefault(key, {}).setdefault(kind, Count())
        count.sessions += sessions
        count.people += people
    found.unknown_years = sorted(unknown)
    return found


async def day_split(
    session: AsyncSession, window: Window, group_by: GroupBy, selection: Selection | None = None
) -> DaySplit:
    """The window's held nights by ``group_by`` and kind of day (services.holidays decides
    each day's kind: the package's years, years entered by hand, else unknown)."""
    held = held_by(session, window, group_by, selection)
    query = select(
        held.c.key,
        held.c.starts_at,
        func.count(held.c.occurrence_id),
        func.coalesce(func.sum(held.c.people), 0),
    ).group_by(held.c.key, held.c.starts_at)
    connection = await session.connection()  # a Core query: rows of plain values
    rows = (await connection.execute(query)).all()
    nights = [
        (None if key is None else str(key), starts.astimezone(window.tz).date(), int(n), int(p))
        for key, starts, n, p in rows
    ]
    if not nights:
        return DaySplit()
    return split(nights, await day_kinds(session, {night[1] for night in nights}))
