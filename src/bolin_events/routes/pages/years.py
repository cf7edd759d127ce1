"""The admin's page of years: close one (封账), or reopen it with a reason."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, not_found
from bolin_events.routes.deps import principal
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    see_other,
    text,
)
from bolin_events.services import years
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.render import render

CLOSE = [page_allow("years:close")]
ACTIONS = ("close", "reopen")


async def _years_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    *,
    error: DomainError | None = None,
    failed: tuple[int, str] | None = None,
    kept: str = "",
) -> Template:
    """``failed``: the year and action a refused form was for (its reason is shown again)."""
    tz = zone(settings.timezone)
    shown = await years.years(db, tz)
    when = {y.year: f"{y.changed_at.astimezone(tz):%Y-%m-%d %H:%M}" for y in shown if y.changed_at}
    return render(
        request,
        "staff/years.html",
        status_code=form_status(error) if error else 200,
        years=shown,
        when=when,
        error=error,
        failed=failed,
        kept=kept,
        done=done_message(request),
    )


@get("/staff/years", guards=CLOSE, include_in_schema=False)
async def years_page(request: AnyRequest, db: AsyncSession, settings: Settings) -> Template:
    return await _years_page(request, db, settings)


@post("/staff/years/{year:int}/{action:str}", guards=CLOSE, include_in_schema=False)
async def change_year(
    request: AnyRequest, db: AsyncSession, settings: Settings, year: int, action: str
) -> Response[Any]:
    if action not in ACTIONS:
        raise not_found("操作", "action", action)
    reason = text(await request.form(), "reason", 500)
    user_id = principal(request).user_id
    if action == "close":
        refused = await attempt(
            db, lambda: years.close_year(db, year, reason, user_id, zone(settings.timezone))
        )
    else:
        refused = await attempt(db, lambda: years.reopen_year(db, year, reason, user_id))
    if isinstance(refused, DomainError):
        return await _years_page(
            request, db, settings, error=refused, failed=(year, action), kept=reason
        )
    return see_other("/staff/years", f"year_{action}", f"#year-{year}")


YEAR_PAGES: list[Any] = [years_page, change_year]
