"""Creating and changing reference data, one generic path for all six kinds."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import or_
from sqlalchemy import update as sa_update
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, field_zh
from bolin_events.models import (
    Category,
    CountingGroup,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    Organizer,
    Programme,
    Venue,
    Village,
    utcnow,
)
from bolin_events.schemas import places as s
from bolin_events.services import geo
from bolin_events.services.refs import KIND_NAMES, RefData, load_refs
from bolin_events.services.years import closed_years, ensure_open_at
from bolin_events.slugs import slugify

DEFAULT_TIMEZONE = "Asia/Shanghai"
COORDINATE_DIGITS = 7  # about a centimetre: what a converted point means, not float noise

OUT: dict[type[SQLModel], type[BaseModel]] = {
    Village: s.VillageOut,
    Venue: s.VenueOut,
    Category: s.CategoryOut,
    CountingGroup: s.CountingGroupOut,
    Organizer: s.OrganizerOut,
    Programme: s.ProgrammeOut,
}


def table_of(refs: RefData, model: type[SQLModel]) -> Any:
    return {
        Village: refs.villages,
        Venue: refs.venues,
        Category: refs.categories,
        CountingGroup: refs.groups,
        Organizer: refs.organizers,
        Programme: refs.programmes,
    }[model]


def to_out(refs: RefData, row: SQLModel) -> BaseModel:
    out = OUT[type(row)]
    data = row.model_dump(include=set(out.model_fields))  # not village_id, parent_id, …
    if isinstance(row, Venue):
        data["village"] = refs.ref(refs.villages.by_id.get(row.village_id or -1))
    if isinstance(row, Category):
        data["group"] = refs.ref(refs.groups.by_id.get(row.group_id or -1))
    if isinstance(row, Programme):
        data["parent"] = refs.ref(refs.programmes.by_id.get(row.parent_id or -1))
    return out.model_validate(data)


def _resolve(refs: RefData, model: type[SQLModel], row: SQLModel, data: dict[str, Any]) -> None:
    """Turn slugs that name other rows (a venue's village, a category's group, a programme's
    parent) into ids, and a venue's coordinates into the ones it stores."""
    if "village" in data:
        village_slug = data.pop("village")
        village = refs.villages.get(village_slug) if village_slug else None
        _not_newly_retired(row, "village_id", village)
        data["village_id"] = village.id if village else None
    if "group" in data:
        group_slug = data.pop("group")
        data["group_id"] = refs.groups.get(group_slug).id if group_slug else None
    if "parent" in data:
        parent_slug = data.pop("parent")
        parent = refs.programmes.get(parent_slug) if parent_slug else None
        _not_newly_retired(row, "parent_id", parent)
        parent_id = parent.id if parent else None
        row_id = getattr(row, "id", None)
        if (
            parent_id is not None
            and row_id is not None
            and (parent_id in refs.programme_and_descendants(row_id))
        ):
            raise InvalidInput(
                "上级活动项目不能是它自己或它的下级。",
                "A programme cannot sit inside itself or one of its own sub-programmes.",
                [{"field": "parent", "value": parent_slug}],
            )
        data["parent_id"] = parent_id
    start, end = (
        data.get("start_date", getattr(row, "start_date", None)),
        data.get("end_date", getattr(row, "end_date", None)),
    )
    if start and end and end < start:
        raise InvalidInput(
            "结束日期早于开始日期。", "end_date is before start_date.", [{"field": "end_date"}]
        )
    if model is Venue:
        _stored_coordinates(data)


def _not_newly_retired(row: SQLModel, column: str, chosen: Village | Programme | None) -> None:
    """A venue goes into no retired village, a programme inside no retired one (停用); one
    already there may stay, so its other fields can still be corrected."""
    if chosen is None or chosen.retired_at is None or getattr(row, column, None) == chosen.id:
        return
    zh, en = KIND_NAMES[type(chosen)]
    raise InvalidInput(
        f"{zh}「{chosen.name_zh}」已停用，不能再选用。",
        f"The {en} {chosen.slug!r} is retired and cannot be chosen.",
        [{"field": "village" if column == "village_id" else "parent", "value": chosen.slug}],
    )


# Where a venue of this town can lie: China, generously (the box GCJ-02 is defined in is wider).
CHINA_LAT, CHINA_LNG = (18.0, 54.0), (73.0, 136.0)


def _stored_coordinates(data: dict[str, Any]) -> None:
    """A venue's coordinates as WGS-84 (what GEO and schema.org mean), from the system of the
    map staff copied them from. Latitude and longitude come together; a point plainly outside
    China is a mistake, most often the two swapped (高德 writes longitude first)."""
    system = data.pop("coordinate_system", "wgs84")
    sent = [key for key in ("latitude", "longitude") if key in data]
    if not sent:
        return
    lat, lng = data.get("latitude"), data.get("longitude")
    if len(sent) == 1 or (lat is None) != (lng is None):
        raise InvalidInput(
            "纬度和经度要一起填写（或一起清空）。",
            "Send latitude and longitude together (or both null to clear them).",
            [{"field": "latitude"}, {"field": "longitude"}],
        )
    if lat is None or lng is None:
        return
    if not (CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1]):
        raise InvalidInput(
            f"坐标（纬度 {lat}，经度 {lng}）不在中国境内：纬度在前（约 18–54），经度在后"
            "（约 73–136），请检查是否填反。",
            f"Latitude {lat}, longitude {lng} is not in China: latitude comes first (about "
            "18–54) and longitude second (about 73–136); check the order.",
            [{"field": "latitude", "value": lat}, {"field": "longitude", "value": lng}],
        )
    stored = geo.to_wgs84(geo.Point(lat, lng), system).rounded(COORDINATE_DIGITS)
    data["latitude"], data["longitude"] = stored.lat, stored.lng


async def create(
    session: AsyncSession, model: type[SQLModel], payload: BaseModel, refs: RefData | None = None
) -> SQLModel:
    """Add one row; a caller adding many passes its ``refs``, which the new row joins."""
    refs = refs or await load_refs(session)
    data = payload.model_dump(exclude_unset=True)
    name_zh: str = data["name_zh"]
    slug = data.pop("slug", None) or slugify(name_zh, strip_place_suffix=model in (Village,))
    if not slug:
        raise InvalidInput(
            "无法从名称生成标识，请填写标识。",
            "No slug can be made from the name; send one.",
            [{"field": "slug"}],
        )
    if slug in table_of(refs, model).by_slug:
        zh, en = KIND_NAMES[model]
        raise Conflict(
            f"{zh}标识「{slug}」已被使用，请另取一个标识。",
            f"The {en} slug {slug!r} is taken; send another slug.",
            [{"field": "slug", "value": slug}],
        )
    row = model(slug=slug)
    _resolve(refs, model, row, data)
    for key, value in data.items():
        setattr(row, key, value)
    session.add(row)
    await session.flush()
    table = table_of(refs, model)
    table.by_id[getattr(row, "id")] = row  # noqa: B009  (SQLModel has no .id for mypy)
    table.by_slug[slug] = row
    return row


async def update(
    session: AsyncSession,
    model: type[SQLModel],
    slug: str,
    payload: BaseModel,
    tz: ZoneInfo | None = None,
) -> SQLModel:
    """Change the fields sent; ``tz`` is the zone years are counted in (BOLIN_TIMEZONE)."""
    refs = await load_refs(session)
    row: SQLModel = table_of(refs, model).get(slug)
    data = payload.model_dump(exclude_unset=True)
    if "name_zh" in data and data["name_zh"] is None:
        raise InvalidInput("中文名称不能为空。", "name_zh cannot be empty.", [{"field": "name_zh"}])
    columns = model.__table__.c  # type: ignore[attr-defined]
    for key, value in data.items():
        if value is None and key in columns and not columns[key].nullable:
            raise InvalidInput(f"{field_zh(key)}不能为空。", f"{key} cannot be empty.",
                               [{"field": key}])
    _resolve(refs, model, row, data)
    changed = {key for key, value in data.items() if getattr(row, key) != value}
    if changed & COUNTED_BY.get(model, set()):
        await _closed_years_keep(session, model, getattr(row, "id"), tz)  # noqa: B009
    for key, value in data.items():
        setattr(row, key, value)
    session.add(row)
    if changed & SHOWN_IN_EVENTS.get(model, set()):
        await _touch_events_showing(session, model, getattr(row, "id"))  # noqa: B009
    await session.flush()
    return row


# What of each kind decides which line or group a held night counts in, and in what unit: while
# a year with such nights is closed (封账), changing it would move the year's frozen figures.
COUNTED_BY: dict[type[SQLModel], set[str]] = {
    Category: {"counting", "group_id"},
    CountingGroup: {"unit"},
}


async def _closed_years_keep(
    session: AsyncSession, model: type[SQLModel], row_id: int, tz: ZoneInfo | None
) -> None:
    """Refuse (409) when a closed year has held nights this category or group counts."""
    if not await closed_years(session):
        return
    if model is Category:
        which = col(Event.category_id) == row_id
    else:
        which = col(Event.category_id).in_(select(Category.id).where(Category.group_id == row_id))
    starts = await session.exec(
        select(Occurrence.starts_at)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .where(
            which,
            col(Event.status) == EventStatus.published,
            col(Occurrence.state).in_((OccurrenceState.scheduled, OccurrenceState.moved)),
            col(Occurrence.ends_at) <= utcnow(),
        )
    )
    await ensure_open_at(session, starts.all(), tz or ZoneInfo(DEFAULT_TIMEZONE))


# What of each kind a calendar entry says (calendar.events: LOCATION, GEO, CATEGORIES and the
# organizer line of DESCRIPTION).
SHOWN_IN_EVENTS: dict[type[SQLModel], set[str]] = {
    Venue: {"name_zh", "name_en", "address", "latitude", "longitude", "village_id"},
    Village: {"name_zh", "name_en"},
    Category: {"name_zh", "name_en"},
    Organizer: {"name_zh", "name_en"},
}


async def _touch_events_showing(session: AsyncSession, model: type[SQLModel], row_id: int) -> None:
    """Events whose text names this row get a new SEQUENCE and updated_at, as any edit does:
    subscribers' calendars take the new text, and the feeds' Last-Modified moves on."""
    if model is Category:
        which = col(Event.category_id) == row_id
    elif model is Organizer:
        which = col(Event.organizer_id) == row_id
    else:
        venues = (
            select(Venue.id).where(Venue.id == row_id)
            if model is Venue
            else select(Venue.id).where(Venue.village_id == row_id)
        )
        moved_there = select(Occurrence.event_id).where(col(Occurrence.venue_id).in_(venues))
        which = or_(col(Event.venue_id).in_(venues), col(Event.id).in_(moved_there))
    await session.exec(
        sa_update(Event).where(which).values(sequence=Event.sequence + 1, updated_at=utcnow())
    )


async def listing(
    session: AsyncSession, model: type[SQLModel], limit: int, offset: int
) -> tuple[list[SQLModel], int]:
    total = (await session.exec(select(func.count()).select_from(model))).one()
    rows = (
        await session.exec(
            select(model).order_by(model.slug).offset(offset).limit(limit)  # type: ignore[attr-defined]
        )
    ).all()
    return list(rows), total
