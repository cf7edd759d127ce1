"""The season planner page (排期表): a month of nights as a venue × day grid, clashes marked,
each night a link to where it is changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import get
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.models import utcnow
from bolin_events.routes.pages.common import AnyRequest
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.planner import plan_month
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.holiday_views import month_marks
from bolin_events.web.public_views import parse_month
from bolin_events.web.render import render

WRITE = [page_allow("programme:write")]


@get("/staff/planner", guards=WRITE, include_in_schema=False)
async def planner(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings
) -> Template:
    """``?month=YYYY-MM`` (this month in the town's zone by default), narrowed by
    ``?village=`` and ``?venue=`` slugs as every other filter is (services.filters)."""
    query = request.query_params
    tz = zone(settings.timezone)
    month = parse_month(str(query.get("month") or "")[:20], utcnow().astimezone(tz).date())
    chosen = {name: str(query.get(name) or "")[:64] for name in ("village", "venue")}
    plan = await plan_month(
        db, refs, tz, month, Filters.of(village=chosen["village"], venue=chosen["venue"])
    )
    return render(
        request,
        "staff/planner.html",
        plan=plan,
        marks=await month_marks(db, month, plan.days[0], plan.days[-1]),
        chosen=chosen,
        narrowing=urlencode({k: v for k, v in chosen.items() if v}),
        villages=list(refs.villages.by_id.values()),
        venues=list(refs.venues.by_id.values()),
    )


PLANNER_PAGES: list[Any] = [planner]
