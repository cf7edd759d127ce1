"""Staff reports page (session login): a period's statistics with 同比, the annual return, the
review paragraph (with a copy button), charts, reports flagged for a second look, and the
CSV/XLSX files of the statistics, the annual return and the ledger for the chosen period.

Everything comes from the services the JSON reports API calls; the chart and file addresses
here are the API's twins that take the page cookie instead of a Bearer token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import Parameter
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import InvalidInput
from bolin_events.models import utcnow
from bolin_events.routes.deps import FromParam, PeriodParam, ToParam
from bolin_events.routes.downloads import (
    MEDIA,
    SVG,
    FileFormat,
    chart_response,
    ledger_download,
    stats_download,
)
from bolin_events.routes.pages.annual import ANNUAL_EN
from bolin_events.routes.pages.common import period_query
from bolin_events.services.attendance.pending import flagged
from bolin_events.services.refs import load_refs
from bolin_events.services.stats.annual import annual_return
from bolin_events.services.stats.charts import CHART_TITLES, ChartKind
from bolin_events.services.stats.periods import Period, resolve
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.review import review
from bolin_events.services.stats.summary import statistics
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]
Field = Annotated[str, Parameter(max_length=40)]
DateField = Annotated[str, Parameter(query="from", max_length=40)]
GROUPS = [
    (GroupBy.category, "按类别", "By category"),
    (GroupBy.village, "按村", "By village"),
    (GroupBy.programme, "按项目", "By programme"),
    (GroupBy.venue, "按场地", "By venue"),
    (GroupBy.month, "按月", "By month"),
]
QUARTERS = [(f"Q{q}", f"第{'一二三四'[q - 1]}季度", f"Quarter {q}") for q in range(1, 5)]
MONTHS = [(f"{m:02d}", f"{m}月", datetime(2000, m, 1).strftime("%B")) for m in range(1, 13)]
PARTS = [("", "全年", "Whole year"), *QUARTERS, *MONTHS]

def chosen_period(year: str, part: str, first: str, last: str, today_year: int) -> Period:
    """From–to when either is given; otherwise the year (this one by default) or a part of it."""
    if first or last:
        return resolve(None, first or None, last or None)
    if part and part not in {value for value, _, _ in PARTS}:
        raise InvalidInput("请从列表中选择月份或季度。", "Choose a month or quarter from the list.")
    year = year or str(today_year)
    return resolve(f"{year}-{part}" if part else year, None, None)


async def _figures(db: AsyncSession, settings: Settings, period: Period) -> dict[str, Any]:
    now = utcnow()
    query = urlencode(period_query(period))
    return {
        "period": period,
        "query": query,
        # the sign-ups and the split by kind of day are shown for the categories only
        "stats": {g: await statistics(db, settings, period, g, now=now,
                                      extras=g == GroupBy.category) for g, _, _ in GROUPS},
        "annual": await annual_return(db, settings, period, now=now),
        "annual_en": ANNUAL_EN,
        "review": await review(db, settings, period, now=now),
        "flagged": await flagged(
            db, await load_refs(db), *period.bounds(zone(settings.timezone)), now
        ),
        "charts": [
            (f"/staff/reports/charts/{kind}?{query}", CHART_TITLES[kind]) for kind in ChartKind
        ],
    }


@get("/staff/reports", guards=[page_allow("reports:read")], name="reports")
async def reports_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    year: Field = "",
    part: Field = "",
    from_: DateField = "",
    to: Field = "",
) -> Template:
    form = {"year": year, "part": part, "from": from_, "to": to}
    context: dict[str, Any] = {"form": form, "parts": PARTS, "groups": GROUPS}
    today_year = datetime.now(zone(settings.timezone)).year
    try:
        period = chosen_period(year.strip(), part.strip(), from_.strip(), to.strip(), today_year)
    except InvalidInput as exc:
        return render(request, "staff/reports_index.html", status_code=exc.status, problem=exc,
                      **context)
    context["form"] = {**form, "year": form["year"] or str(period.first.year)}
    return render(
        request, "staff/reports_index.html", **context, **await _figures(db, settings, period)
    )


@get(
    "/staff/reports/charts/{kind:str}",
    guards=[page_allow("reports:read")],
    media_type=SVG,
    name="reports_chart",
)
async def chart_image(
    db: AsyncSession,
    settings: Settings,
    kind: ChartKind,
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response[bytes]:
    return await chart_response(db, settings, kind, resolve(period, from_, to))


@get(
    "/staff/reports/stats/file",
    guards=[page_allow("reports:read")],
    media_type=MEDIA["csv"],
    name="reports_stats_file",
)
async def stats_file(
    db: AsyncSession,
    settings: Settings,
    format: FileFormat = "csv",
    group_by: GroupBy = GroupBy.category,
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response[bytes]:
    return await stats_download(db, settings, format, resolve(period, from_, to), group_by)


@get(
    "/staff/reports/ledger/file",
    guards=[page_allow("reports:read")],
    media_type=MEDIA["csv"],
    name="reports_ledger_file",
)
async def ledger_file(
    db: AsyncSession,
    settings: Settings,
    format: FileFormat = "csv",
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response[bytes]:
    return await ledger_download(db, settings, format, resolve(period, from_, to))


REPORTS_PAGES: list[Any] = [reports_page, chart_image, stats_file, ledger_file]
