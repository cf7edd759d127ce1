"""The baselines page: last year's totals per counting group, entered by hand in the first
year of use so that the review can write 同比."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError
from bolin_events.models import utcnow
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    form_status,
    int_param,
    see_other,
    text,
)
from bolin_events.schemas.baselines import BaselineIn
from bolin_events.services.refs import load_refs
from bolin_events.services.stats import baselines
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.form_problems import from_validation
from bolin_events.web.render import render

LABELS = {"sessions": ("数量", "Count"), "people": ("现场人次", "People on site"),
          "note": ("来源", "Source")}


async def _page(
    request: AnyRequest, db: AsyncSession, year: int, status: int = 200,
    error: DomainError | None = None, kept: dict[str, Any] | None = None,
) -> Template:
    refs = await load_refs(db)
    entered = {b.group.slug: b for b in await baselines.of_year(db, refs, year)}
    groups = sorted(refs.groups.by_id.values(), key=lambda g: (g.position, g.slug))
    return render(request, "staff/baselines.html", status_code=status, year=year,
                  groups=groups, entered=entered, error=error, kept=kept or {})


def _year(request: AnyRequest, settings: Settings) -> int:
    this_year = utcnow().astimezone(zone(settings.timezone)).year
    return int_param(request.query_params.get("year"), this_year - 1, 1900, 2200)


@get("/staff/reports/baselines", guards=[page_allow("reports:read")], include_in_schema=False)
async def baselines_page(request: AnyRequest, db: AsyncSession, settings: Settings) -> Template:
    return await _page(request, db, _year(request, settings))


@post("/staff/reports/baselines/{year:int}/{group:str}", guards=[page_allow("reports:keep")],
      include_in_schema=False)
async def submit_baseline(
    request: AnyRequest, db: AsyncSession, year: int, group: str
) -> Response[Any]:
    form = await request.form()
    fields = {name: text(form, name, 500) for name in LABELS}

    async def save() -> None:
        refs = await load_refs(db)
        if fields["sessions"] == fields["people"] == fields["note"] == "":
            await baselines.remove(db, refs, year, group)
            return
        try:
            data = BaselineIn.model_validate(fields)
        except ValidationError as exc:
            raise from_validation(exc, LABELS) from None
        await baselines.put(db, refs, year, group, data)

    refused = await attempt(db, save)
    if isinstance(refused, DomainError):
        return await _page(request, db, year, form_status(refused), refused,
                           {"group": group, **fields})
    return see_other(f"/staff/reports/baselines?year={year}", "saved")


BASELINE_PAGES: list[Any] = [baselines_page, submit_baseline]
