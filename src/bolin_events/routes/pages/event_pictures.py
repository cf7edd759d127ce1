"""An event's picture from the staff event page: upload (replacing any before it) or remove.

The same rules as the JSON API (services.pictures.records): a refused file — not a JPEG or
PNG, too large — is said on the event page and nothing is stored. The multipart body was
split in the worker pool before the handler runs (routes.multipart), as for attendance photos.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, post
from litestar.datastructures import UploadFile
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, InvalidInput
from bolin_events.models import Picture
from bolin_events.routes.deps import principal
from bolin_events.routes.pages.common import AnyRequest, attempt, see_other, text
from bolin_events.routes.pages.events import staff_event_page
from bolin_events.services.pictures import records
from bolin_events.services.scheduling.events import get_event
from bolin_events.settings import Settings

WRITE = [page_allow("programme:write")]
# The largest BOLIN_MAX_PHOTO_BYTES there may be, and the form's other fields: a file over
# the configured limit still reaches the handler and is refused on the page, in words.
FORM_MAX_BYTES = 100_100_000
ANCHOR = "#picture"


async def _refused(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int, error: DomainError
) -> Response[Any]:
    return await staff_event_page(request, db, settings, event_id, picture_error=error)


def _no_file() -> InvalidInput:
    return InvalidInput("请选择要上传的图片。", "Choose the picture to upload.",
                        [{"field": "picture"}])


@post("/staff/events/{event_id:int}/picture", guards=WRITE, include_in_schema=False,
      request_max_body_size=FORM_MAX_BYTES)
async def upload_picture(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int
) -> Response[Any]:
    form = await request.form()
    event = await get_event(db, event_id)  # an unknown event is a 404 page, not a form
    upload = form.get("picture")
    if not isinstance(upload, UploadFile):  # no file chosen: the browser sends an empty text
        return await _refused(request, db, settings, event_id, _no_file())
    raw = await upload.read()

    async def store() -> Picture:
        alt = records.Alt.of(text(form, "alt_zh", records.ALT_LENGTH), None)
        return await records.set_picture(db, settings, event, raw, alt, principal(request).user_id)

    stored = await attempt(db, store)
    if isinstance(stored, DomainError):
        return await _refused(request, db, settings, event_id, stored)
    return see_other(f"/staff/events/{event_id}", "picture_saved", ANCHOR)


@post("/staff/events/{event_id:int}/picture/delete", guards=WRITE, include_in_schema=False)
async def delete_picture(
    request: AnyRequest, db: AsyncSession, settings: Settings, event_id: int
) -> Response[Any]:
    """The event shows its category's default again, if there is one."""
    event = await get_event(db, event_id)

    async def remove() -> None:
        await records.remove_picture(db, event)

    refused = await attempt(db, remove)
    if isinstance(refused, DomainError):  # already gone (a second tap, another tab)
        return await _refused(request, db, settings, event_id, refused)
    return see_other(f"/staff/events/{event_id}", "picture_removed", ANCHOR)


EVENT_PICTURE_PAGES: list[Any] = [upload_picture, delete_picture]
