"""Closing a year (封账): admins sign a year's figures off, and reopen it with a reason."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.routes.deps import AnyRequest, principal
from bolin_events.schemas.years import YearCloseIn, YearOut, YearReopenIn
from bolin_events.services import years
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

Year = Annotated[int, Parameter(ge=1900, le=2199, description="a calendar year, e.g. 2025")]


class YearController(Controller):
    path = "/api/v1/years"
    tags = ["years"]

    @get(
        "/",
        guards=[allow("reports:read")],
        summary="Years and whether they are closed",
        description="Every year from the first night on record to this one, newest first: "
        "closed (封账) or open, and who closed or reopened it last, when and why. Admins "
        "and schedulers.",
    )
    async def list_years(self, db: AsyncSession, settings: Settings) -> list[YearOut]:
        return await years.years(db, zone(settings.timezone))

    @post(
        "/{year:int}/close",
        guards=[allow("years:close")],
        status_code=200,
        summary="Close a year (admins)",
        description="Freezes the year's figures: a report revision for one of its nights, a "
        "change to one of its nights and its hand-kept items are refused (409 `year_closed`) "
        "until it is reopened. The body and its reason are optional. A year already closed, "
        "or still to come, is a 409. Kept in the audit trail (object type `year`).",
    )
    async def close(
        self, db: AsyncSession, settings: Settings, request: AnyRequest, year: Year,
        data: YearCloseIn | None = None,
    ) -> YearOut:
        reason = data.reason if data else None
        return await years.close_year(
            db, year, reason, principal(request).user_id, zone(settings.timezone)
        )

    @post(
        "/{year:int}/reopen",
        guards=[allow("years:close")],
        status_code=200,
        summary="Reopen a closed year (admins)",
        description="Needs a `reason` of at least 4 characters (422 otherwise): what is to be "
        "corrected. A year that is not closed is a 409. Kept in the audit trail.",
    )
    async def reopen(
        self, db: AsyncSession, request: AnyRequest, year: Year, data: YearReopenIn | None = None
    ) -> YearOut:
        reason = data.reason if data else None
        return await years.reopen_year(db, year, reason, principal(request).user_id)


YEAR_ROUTERS = [YearController]
