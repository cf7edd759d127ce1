"""What the reference data pages show (基础数据): each kind's table with its key facts, and the
choices its form offers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bolin_events.calendar import Label
from bolin_events.models import Category, Organizer, Programme, Venue, Village
from bolin_events.services.refs import RefData
from bolin_events.web.reference_form import COUNTING_WORDS, SYSTEMS, Kind

Options = list[tuple[str, Label]]


@dataclass(frozen=True)
class RowView:
    slug: str
    name: Label
    events: int
    retired: bool
    facts: list[Label] = field(default_factory=list)


def _name(row: Any) -> Label:
    return Label(row.name_zh, row.name_en)


def _facts(refs: RefData, row: Any) -> list[Label]:
    """The few things that tell rows of a kind apart in the table."""
    if isinstance(row, Village):
        venues = sum(1 for v in refs.venues.active() if v.village_id == row.id)
        return [Label(f"{venues} 个场地", f"{venues} venue(s)")]
    if isinstance(row, Venue):
        village = refs.villages.by_id.get(row.village_id or -1)
        facts = [_name(village) if village else Label("不在村内", "In no village")]
        if row.address:
            facts.append(Label(row.address))
        if row.capacity is not None:
            facts.append(Label(f"容纳 {row.capacity} 人", f"holds {row.capacity}"))
        has_point = row.latitude is not None
        facts.append(Label("有地图坐标", "Has map coordinates") if has_point
                     else Label("无地图坐标", "No map coordinates"))
        return facts
    if isinstance(row, Category):
        group = refs.groups.by_id.get(row.group_id or -1)
        facts = [COUNTING_WORDS.get(row.counting, Label(row.counting))]
        return [*facts, _name(group)] if group else facts
    if isinstance(row, Organizer):
        return [Label(row.contact)] if row.contact else []
    return _programme_facts(refs, row)


def _programme_facts(refs: RefData, row: Programme) -> list[Label]:
    facts = []
    parent = refs.programmes.by_id.get(row.parent_id or -1)
    if parent is not None:
        facts.append(Label(f"属于{parent.name_zh}", f"part of {parent.name_en or parent.name_zh}"))
    if row.start_date or row.end_date:
        days = f"{row.start_date or '…'} – {row.end_date or '…'}"
        facts.append(Label(days))
    if row.highlight:
        facts.append(Label("重点活动项目", "Highlight"))
    return facts


def table_rows(refs: RefData, table: Any, counts: dict[int, int]) -> list[RowView]:
    """In use first, then retired; each by Chinese name."""
    rows = sorted(table.by_id.values(), key=lambda r: (r.retired_at is not None, r.name_zh))
    return [
        RowView(r.slug, _name(r), counts.get(r.id, 0), r.retired_at is not None, _facts(refs, r))
        for r in rows
    ]


def _options(rows: Iterable[Any]) -> Options:
    return [(r.slug, _name(r)) for r in sorted(rows, key=lambda r: r.name_zh)]


def _offered(active: list[Any], current: Any) -> list[Any]:
    """The rows still in use, and the one already chosen even if it was retired since."""
    return active if current is None or current in active else [*active, current]


def form_choices(kind: Kind, refs: RefData, row: Any = None) -> dict[str, Options]:
    """The selects of a kind's form; a programme's parent is never itself or inside it."""
    if kind.model is Venue:
        village = refs.villages.by_id.get(row.village_id or -1) if row else None
        return {
            "village": _options(_offered(refs.villages.active(), village)),
            "coordinate_system": list(SYSTEMS.items()),
        }
    if kind.model is Category:
        return {"group": _options(refs.groups.by_id.values()),
                "counting": list(COUNTING_WORDS.items())}
    if kind.model is Programme:
        current = refs.programmes.by_id.get(row.parent_id or -1) if row else None
        inside = refs.programme_and_descendants(row.id) if row else set()
        parents = [p for p in _offered(refs.programmes.active(), current) if p.id not in inside]
        return {"parent": _options(parents)}
    return {}
