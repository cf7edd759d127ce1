"""Baselines entered by hand for 同比: a year's totals per counting group."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.schemas.baselines import BaselineIn, BaselineOut
from bolin_events.services.refs import RefData
from bolin_events.services.stats import baselines

Year = Annotated[int, Parameter(ge=1900, le=2200, description="the year the totals describe")]


class BaselineController(Controller):
    path = "/api/v1/reports/baselines"
    tags = ["reports"]

    @get(
        "/",
        summary="Baselines of a year",
        description="The totals entered by hand for `year`, one per counting group, with where "
        "they came from. The review of the year after compares with them (同比) instead of the "
        "data. Admins and schedulers.",
        guards=[allow("reports:read")],
    )
    async def list_baselines(
        self, db: AsyncSession, refs: RefData, year: Year
    ) -> list[BaselineOut]:
        return await baselines.of_year(db, refs, year)

    @put(
        "/{year:int}/{group:str}",
        summary="Enter a baseline",
        description="Enter or replace one counting group's totals of `year` (its count in the "
        "group's unit, on-site people, and a note saying where they came from). Refused with "
        "409 while the year is closed.",
        guards=[allow("reports:keep")],
    )
    async def put_baseline(
        self, db: AsyncSession, refs: RefData, year: Year, group: str, data: BaselineIn
    ) -> BaselineOut:
        return await baselines.put(db, refs, year, group, data)

    @delete(
        "/{year:int}/{group:str}",
        summary="Remove a baseline",
        description="The review goes back to comparing with the data.",
        guards=[allow("reports:keep")],
    )
    async def delete_baseline(
        self, db: AsyncSession, refs: RefData, year: Year, group: str
    ) -> None:
        await baselines.remove(db, refs, year, group)


BASELINE_ROUTERS = [BaselineController]
