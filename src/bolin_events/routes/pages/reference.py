"""The reference data pages (基础数据) for schedulers and admins: villages, venues,
categories, organizers and programmes — list, add, change, retire (停用) and restore; a
category's default picture and a programme's own.

Writes go through the same services as the JSON API (services.places, services.retiring), so
the rules, the refusals and the audit trail are the same; a refusal is shown on the page with
what was typed kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, InvalidInput, not_found
from bolin_events.models import Category, Programme
from bolin_events.routes.deps import principal
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    see_other,
    text,
)
from bolin_events.routes.pages.event_pictures import FORM_MAX_BYTES
from bolin_events.services import places, retiring
from bolin_events.services.pictures import records
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings
from bolin_events.web.form_problems import field_messages
from bolin_events.web.reference_form import KINDS, Kind, blank_form, from_row, kind_of, read_form
from bolin_events.web.reference_form import to_input as form_input
from bolin_events.web.reference_views import form_choices, table_rows
from bolin_events.web.render import render

WRITE = [page_allow("programme:write")]
HOME = "/staff/reference"
PICTURE = "#picture"
# ?done=… after a write here (POST/redirect/GET); the staff pages' own DONE words are events'.
DONE: dict[str, tuple[str, str]] = {
    "ref_created": ("已添加。", "Added."),
    "ref_saved": ("修改已保存。", "Changes saved."),
    "ref_retired": ("已停用：新活动不能再选用它，以往的活动和报表照旧显示它。",
                    "Retired: new events can no longer choose it; past events and reports "
                    "still show it."),
    "ref_restored": ("已恢复使用。", "In use again."),
    "ref_picture_saved": ("默认图片已上传：本类别没有自己图片的活动都显示它。",
                          "Default picture uploaded: the category's events without a picture "
                          "of their own show it."),
    "ref_picture_removed": ("默认图片已删除。", "The default picture was removed."),
    "ref_programme_picture_saved": ("图片已上传：活动项目的公众页面显示它。",
                                    "Picture uploaded: the programme's public page shows it."),
    "ref_programme_picture_removed": ("图片已删除。", "The picture was removed."),
}
# The kinds with a picture, and the ?done=… words after it is uploaded and removed.
PICTURED: dict[type, tuple[str, str]] = {
    Category: ("ref_picture_saved", "ref_picture_removed"),
    Programme: ("ref_programme_picture_saved", "ref_programme_picture_removed"),
}


def _done(request: AnyRequest) -> tuple[str, str] | None:
    return DONE.get(str(request.query_params.get("done", ""))) or done_message(request)


@get(HOME, guards=WRITE, include_in_schema=False)
async def reference_index(request: AnyRequest, db: AsyncSession) -> Template:
    """The five kinds, with how many rows each has and how many of them are retired."""
    refs = await load_refs(db)
    counts = []
    for kind in KINDS.values():
        rows = places.table_of(refs, kind.model).by_id.values()
        retired = sum(1 for row in rows if row.retired_at is not None)
        counts.append((kind, len(rows), retired))
    return render(request, "staff/reference_index.html", kinds=counts)


async def _kind_page(
    request: AnyRequest,
    db: AsyncSession,
    kind: Kind,
    status_code: int = 200,
    error: DomainError | None = None,
    kept: dict[str, str] | None = None,
) -> Template:
    refs = await load_refs(db)
    table = places.table_of(refs, kind.model)
    return render(
        request,
        "staff/reference_kind.html",
        status_code=status_code,
        kind=kind,
        rows=table_rows(refs, table, await retiring.usage_counts(db, kind.model)),
        values=kept or blank_form(kind),
        choices=form_choices(kind, refs),
        error=error,
        errors=field_messages(error) if error else {},
        done=_done(request),
    )


@get(f"{HOME}/{{kind:str}}", guards=WRITE, include_in_schema=False)
async def reference_kind(request: AnyRequest, db: AsyncSession, kind: str) -> Template:
    return await _kind_page(request, db, kind_of(kind))


@post(f"{HOME}/{{kind:str}}", guards=WRITE, include_in_schema=False)
async def reference_create(request: AnyRequest, db: AsyncSession, kind: str) -> Response[Any]:
    which = kind_of(kind)
    values = read_form(which, await request.form())

    async def create() -> Any:
        return await places.create(db, which.model, form_input(which, values))

    made = await attempt(db, create)
    if isinstance(made, DomainError):
        return await _kind_page(request, db, which, form_status(made), made, values)
    return see_other(f"{HOME}/{which.path}/{made.slug}", "ref_created")


async def _item_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    kind: Kind,
    slug: str,
    status_code: int = 200,
    error: DomainError | None = None,
    kept: dict[str, str] | None = None,
    picture_error: DomainError | None = None,
    retire_error: DomainError | None = None,
) -> Template:
    refs = await load_refs(db)
    row = places.table_of(refs, kind.model).get(slug)
    await db.refresh(row)  # a refused change may have left it expired
    picture = await records.own_picture(db, row) if isinstance(row, Category | Programme) else None
    return render(
        request,
        "staff/reference_item.html",
        status_code=status_code,
        kind=kind,
        row=row,
        events=(await retiring.usage_counts(db, kind.model)).get(row.id, 0),
        values=kept or from_row(kind, refs, row),
        choices=form_choices(kind, refs, row),
        picture=records.picture_out(settings, picture) if picture else None,
        error=error,
        errors=field_messages(error) if error else {},
        picture_error=picture_error,
        retire_error=retire_error,
        done=_done(request),
    )


def _item_path(kind: Kind, slug: str) -> str:
    return f"{HOME}/{kind.path}/{slug}"


@get(f"{HOME}/{{kind:str}}/{{slug:str}}", guards=WRITE, include_in_schema=False)
async def reference_item(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Template:
    return await _item_page(request, db, settings, kind_of(kind), slug)


@post(f"{HOME}/{{kind:str}}/{{slug:str}}", guards=WRITE, include_in_schema=False)
async def reference_save(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Response[Any]:
    which = kind_of(kind)
    values = read_form(which, await request.form())
    row = places.table_of(await load_refs(db), which.model).get(slug)

    async def save() -> None:
        data = form_input(which, values, row)
        await places.update(db, which.model, slug, data, ZoneInfo(settings.timezone))

    refused = await attempt(db, save)
    if isinstance(refused, DomainError):
        return await _item_page(request, db, settings, which, slug, form_status(refused),
                                refused, {**values, "slug": slug})
    return see_other(_item_path(which, slug), "ref_saved")


async def _retire_step(request: AnyRequest, db: AsyncSession, settings: Settings, kind: str,
                       slug: str, step: Callable[..., Awaitable[Any]], done: str) -> Response[Any]:
    """Retire or restore; a refusal (what still uses it, a retired parent) shown on the page."""
    which = kind_of(kind)
    refused = await attempt(db, lambda: step(db, which.model, slug))
    if isinstance(refused, DomainError):
        return await _item_page(request, db, settings, which, slug, form_status(refused),
                                retire_error=refused)
    return see_other(_item_path(which, slug), done)


@post(f"{HOME}/{{kind:str}}/{{slug:str}}/retire", guards=WRITE, include_in_schema=False)
async def reference_retire(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Response[Any]:
    """Refused, with what still uses it, while anything coming depends on it."""
    return await _retire_step(request, db, settings, kind, slug, retiring.retire, "ref_retired")


@post(f"{HOME}/{{kind:str}}/{{slug:str}}/restore", guards=WRITE, include_in_schema=False)
async def reference_restore(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Response[Any]:
    return await _retire_step(request, db, settings, kind, slug, retiring.restore, "ref_restored")


def _pictured(kind: str) -> Kind:
    """Of the kinds, categories (their events' default) and programmes have a picture."""
    which = kind_of(kind)
    if which.model not in PICTURED:
        raise not_found("图片", "picture", kind)
    return which


async def _owner(db: AsyncSession, which: Kind, slug: str) -> Category | Programme:
    if which.model is Programme:
        return await records.programme_of(db, slug)
    return await records.category_of(db, slug)


def _no_file() -> InvalidInput:
    return InvalidInput("请选择要上传的图片。", "Choose the picture to upload.",
                        [{"field": "picture"}])


@post(f"{HOME}/{{kind:str}}/{{slug:str}}/picture", guards=WRITE, include_in_schema=False,
      request_max_body_size=FORM_MAX_BYTES)
async def reference_picture(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Response[Any]:
    """The same rules as the JSON API: a refused file is said on the page, nothing stored."""
    which = _pictured(kind)
    form = await request.form()
    owner = await _owner(db, which, slug)
    upload = form.get("picture")
    if not isinstance(upload, UploadFile):  # no file chosen: the browser sends an empty text
        return await _item_page(request, db, settings, which, slug, 422,
                                picture_error=_no_file())
    raw = await upload.read()

    async def store() -> Any:
        alt = records.Alt.of(text(form, "alt_zh", records.ALT_LENGTH), None)
        return await records.set_picture(db, settings, owner, raw, alt,
                                         principal(request).user_id)

    stored = await attempt(db, store)
    if isinstance(stored, DomainError):
        return await _item_page(request, db, settings, which, slug, stored.status,
                                picture_error=stored)
    return see_other(_item_path(which, slug), PICTURED[which.model][0], PICTURE)


@post(f"{HOME}/{{kind:str}}/{{slug:str}}/picture/delete", guards=WRITE,
      include_in_schema=False)
async def reference_picture_delete(
    request: AnyRequest, db: AsyncSession, settings: Settings, kind: str, slug: str
) -> Response[Any]:
    which = _pictured(kind)
    owner = await _owner(db, which, slug)
    refused = await attempt(db, lambda: records.remove_picture(db, owner))
    if isinstance(refused, DomainError):  # already gone (a second tap, another tab)
        return await _item_page(request, db, settings, which, slug, refused.status,
                                picture_error=refused)
    return see_other(_item_path(which, slug), PICTURED[which.model][1], PICTURE)


REFERENCE_PAGES: list[Any] = [
    reference_index, reference_kind, reference_create, reference_item, reference_save,
    reference_retire, reference_restore, reference_picture, reference_picture_delete,
]
