"""The admin's page of public holidays: a year's arrangement typed in before the holiday package
has it, previewed, saved or deleted; the package's years shown read-only."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError
from bolin_events.models import utcnow
from bolin_events.routes.deps import principal
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    int_param,
    text,
)
from bolin_events.schemas.common import FIRST_YEAR, LAST_YEAR
from bolin_events.schemas.holidays import HolidayDayOut
from bolin_events.services import holidays
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.holiday_form import format_lines, parse_lines
from bolin_events.web.render import render

MANAGE = [page_allow("holidays:manage")]
DONE = {
    "holidays_saved": ("假日安排已保存，日历和排期表已按它标注。",
                       "The arrangement is saved; the calendar and the planner show it."),
    "holidays_removed": ("手工录入的假日安排已删除。",
                         "The arrangement entered by hand was deleted."),
}
MAX_LINES_TEXT = 10_000


async def _page(
    request: AnyRequest, db: AsyncSession, settings: Settings, year: int, *,
    error: DomainError | None = None, preview: list[HolidayDayOut] | None = None,
    lines: str | None = None, source: str | None = None,
) -> Template:
    shown = await holidays.year_out(db, year)
    this_year = utcnow().astimezone(zone(settings.timezone)).year
    first, last = holidays.package_range()
    done = DONE.get(str(request.query_params.get("done", ""))) or done_message(request)
    return render(
        request,
        "staff/holidays.html",
        status_code=form_status(error) if error else 200,
        year=year,
        shown=shown,
        lines=format_lines(shown.days) if lines is None else lines,
        source=(shown.source if shown.status == "entered" else "") if source is None else source,
        preview=preview,
        error=error,
        done=done,
        package=(holidays.PACKAGE, first, last),
        entered=await holidays.entered_years(db),
        years=range(this_year - 1, this_year + 3),
    )


async def _default_year(db: AsyncSession, settings: Settings) -> int:
    """This year while nobody has published it, else the next one: what an admin comes for."""
    this_year = utcnow().astimezone(zone(settings.timezone)).year
    new_year = date(this_year, 1, 1)
    return this_year if await holidays.unknown_years(db, new_year, new_year) else this_year + 1


@get("/staff/holidays", guards=MANAGE, include_in_schema=False)
async def holidays_page(request: AnyRequest, db: AsyncSession, settings: Settings) -> Template:
    """``?year=`` (this year while unpublished, else the next)."""
    fallback = await _default_year(db, settings)
    year = int_param(request.query_params.get("year", ""), fallback, FIRST_YEAR, LAST_YEAR)
    return await _page(request, db, settings, year)


def _back(year: int, done: str) -> Redirect:
    return Redirect(f"/staff/holidays?{urlencode({'year': year, 'done': done})}", status_code=303)


@post("/staff/holidays/{year:int}", guards=MANAGE, include_in_schema=False)
async def save_holidays(
    request: AnyRequest, db: AsyncSession, settings: Settings, year: int
) -> Response[Any]:
    """``action=preview`` shows what was read without saving; anything else saves."""
    form = await request.form()
    lines, source = text(form, "lines", MAX_LINES_TEXT), text(form, "source", 300)
    try:
        data = parse_lines(lines, source)
        if form.get("action") == "preview":
            return await _page(request, db, settings, year, lines=lines, source=source,
                               preview=holidays.expand_entries(year, data.days))
    except DomainError as refused:
        return await _page(request, db, settings, year, error=refused, lines=lines,
                           source=source)
    user_id = principal(request).user_id
    saved = await attempt(db, lambda: holidays.enter_year(db, year, data, user_id))
    if isinstance(saved, DomainError):
        return await _page(request, db, settings, year, error=saved, lines=lines, source=source)
    return _back(year, "holidays_saved")


@post("/staff/holidays/{year:int}/delete", guards=MANAGE, include_in_schema=False)
async def remove_holidays(
    request: AnyRequest, db: AsyncSession, settings: Settings, year: int
) -> Response[Any]:
    removed = await attempt(db, lambda: holidays.remove_year(db, year))
    if isinstance(removed, DomainError):
        return await _page(request, db, settings, year, error=removed)
    return _back(year, "holidays_removed")


HOLIDAY_PAGES: list[Any] = [holidays_page, save_holidays, remove_holidays]
