"""Pictures: an event's own, a category's default for its events without one, a programme's
own for its page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Router, delete, get, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.errors import NotFound
from bolin_events.models import Picture
from bolin_events.routes.deps import AnyRequest, check_visible, principal
from bolin_events.schemas.pictures import PictureOut
from bolin_events.services.pictures import records
from bolin_events.services.scheduling.events import get_event
from bolin_events.settings import Settings

WRITE = [allow("programme:write")]
UPLOAD_DOC = (
    "multipart/form-data: the file in the field `picture` (a JPEG or PNG of at most "
    "`BOLIN_MAX_PHOTO_BYTES`; transparency is kept in the WebP files, white in the JPEG "
    "ones), and optionally `alt_zh` / `alt_en`, what it shows for screen readers (the title "
    "is used without). It is turned upright, its metadata (EXIF, GPS) dropped, and stored as "
    "WebP and JPEG files 480, 960 and 1600 px wide — never wider than the upload. It replaces "
    "any picture before it. Refused: 413 too large, 415 not a JPEG or PNG; nothing is stored."
)


@dataclass
class PictureUpload:
    picture: UploadFile
    alt_zh: str | None = None
    alt_en: str | None = None


Upload = Annotated[PictureUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


def _none(kind_zh: str, kind_en: str, key: object) -> NotFound:
    return NotFound(f"{kind_zh} {key} 没有图片。", f"The {kind_en} {key} has no picture.")


async def _upload(db: AsyncSession, settings: Settings, request: AnyRequest,
                  owner: records.Owner, data: PictureUpload) -> PictureOut:
    picture = await records.set_picture(
        db, settings, owner, await data.picture.read(),
        records.Alt.of(data.alt_zh, data.alt_en), principal(request).user_id)
    return records.picture_out(settings, picture)


def _out(settings: Settings, picture: Picture | None, error: NotFound) -> PictureOut:
    if picture is None:
        raise error
    return records.picture_out(settings, picture)


class EventPictureController(Controller):
    path = "/api/v1/events/{event_id:int}/picture"
    tags = ["pictures"]

    @get("/", summary="An event's picture",
         description="Its own, or else its category's default (`owner` says which); 404 when "
         "neither has one. Drafts only for staff.")
    async def get_picture(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                          event_id: int) -> PictureOut:
        event = await get_event(db, event_id)
        check_visible(request, event, "活动", "event", event_id)
        picture = await records.shown_picture(db, event)
        return _out(settings, picture, _none("活动", "event", event_id))

    @put("/", guards=WRITE, summary="Upload an event's picture", description=UPLOAD_DOC)
    async def put_picture(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                          event_id: int, data: Upload) -> PictureOut:
        event = await get_event(db, event_id)
        return await _upload(db, settings, request, event, data)

    @delete("/", guards=WRITE, summary="Remove an event's picture",
            description="The event shows its category's default again, if there is one.")
    async def delete_picture(self, db: AsyncSession, event_id: int) -> None:
        await records.remove_picture(db, await get_event(db, event_id))


class CategoryPictureController(Controller):
    path = "/api/v1/categories/{slug:str}/picture"
    tags = ["pictures"]

    @get("/", summary="A category's default picture", description="404 when it has none.")
    async def get_picture(self, db: AsyncSession, settings: Settings, slug: str) -> PictureOut:
        picture = await records.own_picture(db, await records.category_of(db, slug))
        return _out(settings, picture, _none("类别", "category", slug))

    @put("/", guards=WRITE, summary="Upload a category's default picture",
         description="Shown for every event of the category that has no picture of its "
         f"own. {UPLOAD_DOC}")
    async def put_picture(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                          slug: str, data: Upload) -> PictureOut:
        category = await records.category_of(db, slug)
        return await _upload(db, settings, request, category, data)

    @delete("/", guards=WRITE, summary="Remove a category's default picture")
    async def delete_picture(self, db: AsyncSession, slug: str) -> None:
        await records.remove_picture(db, await records.category_of(db, slug))


class ProgrammePictureController(Controller):
    path = "/api/v1/programmes/{slug:str}/picture"
    tags = ["pictures"]

    @get("/", summary="A programme's picture", description="Shown on the programme's page; "
         "its events show their own or their category's, never this one. 404 when it has none.")
    async def get_picture(self, db: AsyncSession, settings: Settings, slug: str) -> PictureOut:
        picture = await records.own_picture(db, await records.programme_of(db, slug))
        return _out(settings, picture, _none("活动项目", "programme", slug))

    @put("/", guards=WRITE, summary="Upload a programme's picture",
         description=f"Shown on the programme's page and when it is shared. {UPLOAD_DOC}")
    async def put_picture(self, db: AsyncSession, settings: Settings, request: AnyRequest,
                          slug: str, data: Upload) -> PictureOut:
        programme = await records.programme_of(db, slug)
        return await _upload(db, settings, request, programme, data)

    @delete("/", guards=WRITE, summary="Remove a programme's picture")
    async def delete_picture(self, db: AsyncSession, slug: str) -> None:
        await records.remove_picture(db, await records.programme_of(db, slug))


def picture_routers(settings: Settings) -> list[Router]:
    """Uploads get a body limit of their own: a little over the photo limit, as photos do."""
    handlers = [EventPictureController, CategoryPictureController, ProgrammePictureController]
    return [Router(path="/", route_handlers=handlers,
                   request_max_body_size=settings.max_photo_bytes + 64_000)]
