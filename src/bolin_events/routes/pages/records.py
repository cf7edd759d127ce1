"""Activity record sheets (活动记录表) for staff who read reports: one held night's sheet, or a
period's sheets behind a cover of its totals, laid out to print on A4 from the browser
(docs/records.md)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.routes.deps import FromParam, PeriodParam, ToParam
from bolin_events.routes.pages.common import AnyRequest, period_or_this_year
from bolin_events.services.stats.records import record_book, record_sheet
from bolin_events.settings import Settings
from bolin_events.web.attendance_form import METHODS
from bolin_events.web.render import render

METHOD_NAMES = {value: (zh, en) for value, zh, en in METHODS}


@get("/staff/records", guards=[page_allow("reports:read")], name="record_book")
async def record_book_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Template:
    """The period's sheets in date order (this year's when none is named)."""
    book = await record_book(db, settings, period_or_this_year(settings, period, from_, to))
    return render(
        request, "staff/records.html", book=book, sheets=book.sheets, methods=METHOD_NAMES
    )


@get("/staff/records/{occurrence_id:str}", guards=[page_allow("reports:read")], name="record_sheet")
async def record_sheet_page(
    request: AnyRequest, db: AsyncSession, settings: Settings, occurrence_id: str
) -> Template:
    sheet = await record_sheet(db, settings, occurrence_id)
    return render(
        request, "staff/records.html", book=None, sheets=[sheet], methods=METHOD_NAMES
    )


RECORD_PAGES: list[Any] = [record_book_page, record_sheet_page]
