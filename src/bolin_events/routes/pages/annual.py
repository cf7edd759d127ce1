"""The annual return on the staff pages: the return as the form has it (with its XLSX and CSV),
and the form where admins and schedulers enter the items kept by hand for the year."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError
from bolin_events.routes.deps import FromParam, PeriodParam, ToParam
from bolin_events.routes.downloads import MEDIA, FileFormat, annual_download
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    period_or_this_year,
    period_query,
    see_other,
    text,
)
from bolin_events.schemas.reports import AnnualItemsIn, AnnualItemsOut, KeptValue
from bolin_events.services.stats.annual import BESIDE_TITLE, annual_return
from bolin_events.services.stats.kept import KEPT_ITEMS, annual_items, keep_items
from bolin_events.settings import Settings
from bolin_events.web.form_problems import Problems, field_messages
from bolin_events.web.render import render

READ = [page_allow("reports:read")]
KEEP = [page_allow("reports:keep")]
MAX_VALUE = 1_000_000_000
# The return's items in English (the station table itself is in Chinese: its items stay as
# they are, with these as a gloss on English pages).
ANNUAL_EN = {
    "exhibition": ("Exhibitions", "visitors"),
    "activity": ("Arts activities", "participants"),
    "training": ("Training courses", "trainees"),
    "lecture": ("Public lectures", "participants"),
}


@get("/staff/reports/annual", guards=READ, name="reports_annual")
async def annual_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Template:
    chosen = period_or_this_year(settings, period, from_, to)
    return render(
        request,
        "staff/reports_annual.html",
        found=await annual_return(db, settings, chosen),
        chosen=chosen,
        query=urlencode(period_query(chosen)),
        beside_title=BESIDE_TITLE,
        items_en=ANNUAL_EN,
        kept_en={key: kept.name_en for key, kept in KEPT_ITEMS.items()},
    )


@get(
    "/staff/reports/annual/file",
    guards=READ,
    media_type=MEDIA["xlsx"],
    name="reports_annual_file",
)
async def annual_file(
    db: AsyncSession,
    settings: Settings,
    format: FileFormat = "xlsx",
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response[bytes]:
    chosen = period_or_this_year(settings, period, from_, to)
    return await annual_download(db, settings, format, chosen)


def _items_page(
    request: AnyRequest,
    kept: AnnualItemsOut,
    *,
    status_code: int = 200,
    error: DomainError | None = None,
    typed: dict[str, str] | None = None,
) -> Template:
    values = typed or {}
    for item in kept.items:
        values.setdefault(item.key, "" if item.value is None else str(item.value))
        values.setdefault(f"{item.key}_note", item.note or "")
    return render(
        request,
        "staff/annual_items.html",
        status_code=status_code,
        kept=kept,
        values=values,
        kept_en={key: kept.name_en for key, kept in KEPT_ITEMS.items()},
        error=error,
        errors=field_messages(error) if error else {},
        done=done_message(request),
    )


@get("/staff/reports/annual/items/{year:int}", guards=KEEP, name="reports_annual_items")
async def items_page(request: AnyRequest, db: AsyncSession, year: int) -> Template:
    return _items_page(request, await annual_items(db, year))


def _typed(form: FormMultiDict) -> dict[str, str]:
    """What the form sent, to show back as typed when it is refused."""
    typed = {}
    for key in KEPT_ITEMS:
        typed[key] = text(form, key, 20).replace(",", "").replace("，", "")
        typed[f"{key}_note"] = text(form, f"{key}_note", 300)
    return typed


def _items_from(typed: dict[str, str]) -> AnnualItemsIn:
    """Every item of the form: a whole number (0 included) sets it, a blank clears it."""
    problems = Problems()
    entries: dict[str, KeptValue | None] = {}
    for key, kept in KEPT_ITEMS.items():
        raw = typed[key]
        if not raw:
            entries[key] = None
        elif raw.isascii() and raw.isdecimal() and int(raw) <= MAX_VALUE:
            entries[key] = KeptValue(value=int(raw), note=typed[f"{key}_note"] or None)
        else:
            problems.add(
                key,
                f"{kept.item}应为不小于 0 的整数（不清楚就留空）。",
                f"{kept.name_en} must be a whole number, 0 or more (leave it blank if unknown).",
            )
    problems.raise_any()
    return AnnualItemsIn.model_validate(entries)


@post("/staff/reports/annual/items/{year:int}", guards=KEEP, name="reports_annual_items_save")
async def save_items(request: AnyRequest, db: AsyncSession, year: int) -> Response[Any]:
    typed = _typed(await request.form())

    async def save() -> None:
        await keep_items(db, year, _items_from(typed))

    refused = await attempt(db, save)
    if isinstance(refused, DomainError):
        kept = await annual_items(db, year)
        return _items_page(
            request, kept, status_code=form_status(refused), error=refused, typed=typed
        )
    return see_other(f"/staff/reports/annual/items/{year}", "saved")


ANNUAL_PAGES: list[Any] = [annual_page, annual_file, items_page, save_items]
