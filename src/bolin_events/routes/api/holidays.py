"""Public holidays and 调休 working days: anyone reads a year; admins enter one by hand."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.models import utcnow
from bolin_events.routes.deps import AnyRequest, principal
from bolin_events.schemas.holidays import HolidayYearIn, HolidayYearOut
from bolin_events.services import holidays
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

Year = Annotated[int, Parameter(ge=1900, le=2199, description="a calendar year, e.g. 2027")]


class HolidayController(Controller):
    path = "/api/v1/holidays"
    tags = ["holidays"]

    @get(
        "/",
        summary="A year's public holidays and swapped working days",
        description="Every marked day of the year (`holiday` 休, `workday` 班: a weekend day "
        "worked, 调休) and where the arrangement comes from: `package` (the holiday package), "
        "`entered` (entered by hand by an admin; it wins over the package) or `unknown` "
        "(假日安排未公布: no days, and none guessed). Ordinary weekends are not listed. "
        "Without `year`, this year.",
    )
    async def read_year(
        self, db: AsyncSession, settings: Settings,
        year: Annotated[int | None, Parameter(ge=1900, le=2199, description="e.g. 2026")] = None,
    ) -> HolidayYearOut:
        return await holidays.year_out(
            db, year or utcnow().astimezone(zone(settings.timezone)).year
        )

    @put(
        "/{year:int}",
        guards=[allow("holidays:manage")],
        summary="Enter a year's holidays by hand (admins)",
        description="Replaces whatever was entered for the year. Each entry is one day or a run "
        "(`start`..`end`, inclusive). A date outside the year, a day listed twice, a 调休 "
        "working day on a weekday or a year without a holiday is a 422. Entering a year the "
        "package covers is allowed: the hand entry wins until it is deleted.",
    )
    async def enter(
        self, db: AsyncSession, request: AnyRequest, year: Year, data: HolidayYearIn
    ) -> HolidayYearOut:
        return await holidays.enter_year(db, year, data, principal(request).user_id)

    @delete(
        "/{year:int}",
        guards=[allow("holidays:manage")],
        status_code=200,
        summary="Delete a year entered by hand (admins)",
        description="The year goes back to the package, or to 假日安排未公布 when the package "
        "does not cover it. A year not entered by hand is a 404.",
    )
    async def remove(self, db: AsyncSession, year: Year) -> HolidayYearOut:
        return await holidays.remove_year(db, year)


HOLIDAY_ROUTERS = [HolidayController]
