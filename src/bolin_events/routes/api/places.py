"""Reference data endpoints, one controller per kind, built by one factory.

No ``from __future__ import annotations`` here: the factory's annotations must be real classes
when Litestar reads them.
"""

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Router, get, patch, post
from litestar.pagination import OffsetPagination
from pydantic import BaseModel
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.models import Category, CountingGroup, Organizer, Programme, Venue, Village
from bolin_events.routes.deps import Limit, Offset
from bolin_events.schemas import places as s
from bolin_events.services import places
from bolin_events.services.refs import KIND_NAMES, load_refs
from bolin_events.settings import Settings


def place_controller(
    model: type[SQLModel],
    path: str,
    tag: str,
    in_schema: type[BaseModel],
    update_schema: type[BaseModel],
    out_schema: type[BaseModel],
) -> Router:
    noun = KIND_NAMES[model][1]  # "category", not "categorie"
    a_noun = f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"

    async def list_items(db: AsyncSession, limit: Limit = 100, offset: Offset = 0) -> Any:
        rows, total = await places.listing(db, model, limit, offset)
        refs = await load_refs(db)
        return OffsetPagination[out_schema](
            items=[places.to_out(refs, row) for row in rows],
            total=total,
            limit=limit,
            offset=offset,
        )

    async def get_item(db: AsyncSession, slug: str) -> Any:
        refs = await load_refs(db)
        return places.to_out(refs, places.table_of(refs, model).get(slug))

    async def create_item(db: AsyncSession, data: Any) -> Any:
        row = await places.create(db, model, data)
        return places.to_out(await load_refs(db), row)

    async def update_item(db: AsyncSession, settings: Settings, slug: str, data: Any) -> Any:
        row = await places.update(db, model, slug, data, ZoneInfo(settings.timezone))
        return places.to_out(await load_refs(db), row)

    list_items.__annotations__["return"] = OffsetPagination[out_schema]
    get_item.__annotations__["return"] = out_schema
    create_item.__annotations__.update(data=in_schema, **{"return": out_schema})
    update_item.__annotations__.update(data=update_schema, **{"return": out_schema})

    handlers = {
        "list_items": get("/", summary=f"List {tag}", description=f"All {tag}, by slug. Public.")(
            list_items
        ),
        "get_item": get("/{slug:str}", summary=f"Get one {noun}", description="Public.")(get_item),
        "create_item": post(
            "/",
            summary=f"Create {a_noun}",
            description="Schedulers and admins. The slug is the pinyin of "
            "name_zh when left out; a taken slug is a 409.",
            guards=[allow("programme:write")],
        )(create_item),
        "update_item": patch(
            "/{slug:str}",
            summary=f"Change {a_noun}",
            description="Schedulers and admins; only the fields sent change.",
            guards=[allow("programme:write")],
        )(update_item),
    }
    return Router(path=f"/api/v1/{path}", tags=[tag], route_handlers=list(handlers.values()))


PLACE_ROUTERS = [
    place_controller(Village, "villages", "villages", s.VillageIn, s.VillageUpdate, s.VillageOut),
    place_controller(Venue, "venues", "venues", s.VenueIn, s.VenueUpdate, s.VenueOut),
    place_controller(
        Category, "categories", "categories", s.CategoryIn, s.CategoryUpdate, s.CategoryOut
    ),
    place_controller(
        CountingGroup,
        "counting-groups",
        "counting groups",
        s.CountingGroupIn,
        s.CountingGroupUpdate,
        s.CountingGroupOut,
    ),
    place_controller(
        Organizer, "organizers", "organizers", s.OrganizerIn, s.OrganizerUpdate, s.OrganizerOut
    ),
    place_controller(
        Programme, "programmes", "programmes", s.ProgrammeIn, s.ProgrammeUpdate, s.ProgrammeOut
    ),
]
