"""Reference data (villages, venues, counting groups, categories, organizers, programmes),
loaded whole.

These tables hold tens of rows; one query each per request is cheaper and simpler than joins,
and it gives every caller slug→row and id→row look-ups and the programme tree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import InvalidInput, NotFound
from bolin_events.models import Category, CountingGroup, Organizer, Programme, Venue, Village
from bolin_events.schemas.common import Ref
from bolin_events.schemas.events import VenueRef

M = TypeVar("M", bound=SQLModel)

KIND_NAMES: dict[type[SQLModel], tuple[str, str]] = {
    Village: ("村", "village"),
    Venue: ("场地", "venue"),
    CountingGroup: ("统计分组", "counting group"),
    Category: ("类别", "category"),
    Organizer: ("主办单位", "organizer"),
    Programme: ("活动项目", "programme"),
}


@dataclass
class Table(Generic[M]):
    model: type[M]
    by_id: dict[int, M] = field(default_factory=dict)
    by_slug: dict[str, M] = field(default_factory=dict)

    def get(self, slug: str) -> M:
        try:
            return self.by_slug[slug]
        except KeyError:
            zh, en = KIND_NAMES[self.model]
            known = ", ".join(sorted(self.by_slug)[:20])
            raise NotFound(
                f"找不到{zh}「{slug}」。现有：{known or '无'}",
                f"No {en} with slug {slug!r}. Known: {known or 'none'}",
                [{"field": en, "value": slug}],
            ) from None

    def id_of(self, slug: str) -> int:
        row_id: int = getattr(self.get(slug), "id")  # noqa: B009  (M has no .id for mypy)
        return row_id

    def chosen(self, slug: str, field: str, current: int | None = None) -> int:
        """The id of the row a write chooses; a retired (停用) row only where it is already
        chosen (``current``), so history stays but nothing new is planned with it."""
        row = self.get(slug)
        row_id: int = getattr(row, "id")  # noqa: B009
        if getattr(row, "retired_at", None) is not None and row_id != current:
            zh, en = KIND_NAMES[self.model]
            name = getattr(row, "name_zh", slug)
            raise InvalidInput(
                f"{zh}「{name}」已停用，不能再选用：请另选，或先在基础数据中恢复使用。",
                f"The {en} {slug!r} is retired and cannot be chosen: choose another, or "
                "restore it under reference data first.",
                [{"field": field, "value": slug}],
            )
        return row_id

    def active(self) -> list[M]:
        """The rows still offered as choices: retired ones (停用) only name what was."""
        return [row for row in self.by_id.values() if getattr(row, "retired_at", None) is None]

    def only_active(self, keep: Collection[str] = ()) -> Table[M]:
        """Without retired rows, except those ``keep`` names by slug (what is already chosen)."""
        kept = Table(self.model)
        rows = [row for row in self.by_id.values()
                if getattr(row, "retired_at", None) is None or getattr(row, "slug", None) in keep]
        for row in rows:
            kept.by_id[row.id] = kept.by_slug[row.slug] = row  # type: ignore[attr-defined]
        return kept


@dataclass
class RefData:
    villages: Table[Village]
    venues: Table[Venue]
    categories: Table[Category]
    groups: Table[CountingGroup]
    organizers: Table[Organizer]
    programmes: Table[Programme]
    version: tuple[Any, ...] = ()  # set when held by a RefsCache (services.versions)
    _refs: dict[tuple[str, int | None], Ref] = field(default_factory=dict, repr=False)
    _venue_refs: dict[int, VenueRef] = field(default_factory=dict, repr=False)

    def active(self, keep: Collection[str] = ()) -> RefData:
        """The same data without retired rows: what a form or a filter offers to choose from.
        ``keep``: slugs of rows already chosen (an old event's retired venue stays its own
        until someone changes it, rather than being cleared by a save)."""
        return RefData(
            villages=self.villages.only_active(keep),
            venues=self.venues.only_active(keep),
            categories=self.categories.only_active(keep),
            groups=self.groups,
            organizers=self.organizers.only_active(keep),
            programmes=self.programmes.only_active(keep),
        )

    def venues_in(self, village_ids: Iterable[int | None]) -> set[int]:
        """The ids of the venues in these villages."""
        wanted = set(village_ids)
        return {v.id for v in self.venues.by_id.values() if v.id and v.village_id in wanted}

    def programme_and_descendants(self, programme_id: int) -> set[int]:
        children: dict[int | None, list[int]] = {}
        for p in self.programmes.by_id.values():
            assert p.id is not None
            children.setdefault(p.parent_id, []).append(p.id)
        found, todo = set(), [programme_id]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children.get(current, []))
        return found

    @overload
    def ref(self, row: Village | Category | CountingGroup | Organizer | Programme) -> Ref: ...

    @overload
    def ref(
        self, row: Village | Category | CountingGroup | Organizer | Programme | None
    ) -> Ref | None: ...

    def ref(
        self, row: Village | Category | CountingGroup | Organizer | Programme | None
    ) -> Ref | None:
        """A short reference, made once per row (a month of nights names a few rows often)."""
        if row is None:
            return None
        key = (type(row).__name__, row.id)
        made = self._refs.get(key)
        if made is None:
            made = self._refs[key] = Ref(slug=row.slug, name_zh=row.name_zh, name_en=row.name_en)
        return made

    def venue_ref(self, venue_id: int | None) -> VenueRef | None:
        if venue_id is None:
            return None
        made = self._venue_refs.get(venue_id)
        if made is None:
            venue = self.venues.by_id[venue_id]
            village = self.villages.by_id.get(venue.village_id or -1)
            made = self._venue_refs[venue_id] = VenueRef(
                slug=venue.slug,
                name_zh=venue.name_zh,
                name_en=venue.name_en,
                village=self.ref(village),
            )
        return made


async def _table(session: AsyncSession, model: type[M]) -> Table[M]:
    rows = (await session.exec(select(model))).all()
    table = Table(model)
    for row in rows:
        table.by_id[row.id] = row  # type: ignore[attr-defined]
        table.by_slug[row.slug] = row  # type: ignore[attr-defined]
    return table


async def load_refs(session: AsyncSession) -> RefData:
    return RefData(
        villages=await _table(session, Village),
        venues=await _table(session, Venue),
        categories=await _table(session, Category),
        groups=await _table(session, CountingGroup),
        organizers=await _table(session, Organizer),
        programmes=await _table(session, Programme),
    )
