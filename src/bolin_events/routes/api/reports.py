"""Reports for staff: statistics, the annual return, the review paragraph, the ledger, files
and charts. Thin handlers: parse the period, call services.stats, return a schema or bytes."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, Router, get, put
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow, may
from bolin_events.routes.deps import FromParam, PeriodParam, ToParam
from bolin_events.routes.downloads import (
    MEDIA,
    SVG,
    FileFormat,
    annual_download,
    chart_response,
    ledger_download,
    stats_download,
)
from bolin_events.schemas.reports import (
    AnnualItemsIn,
    AnnualItemsOut,
    AnnualReturnOut,
    ChartLink,
    LedgerOut,
    ReviewOut,
    StatsOut,
)
from bolin_events.services.filters import Filters
from bolin_events.services.filters import resolve as select_nights
from bolin_events.services.refs import RefData
from bolin_events.services.stats import links
from bolin_events.services.stats.annual import annual_return, mapping_doc
from bolin_events.services.stats.charts import CHART_TITLES, ChartKind
from bolin_events.services.stats.kept import annual_items, keep_items
from bolin_events.services.stats.ledger import ledger
from bolin_events.services.stats.periods import Period, resolve
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.review import review
from bolin_events.services.stats.summary import statistics
from bolin_events.settings import Settings

PERIOD_DOC = (
    "\n\nThe period is `period` (2025, 2025-Q2, 2025-06) or `from` and `to` (days in "
    "Asia/Shanghai, `to` included); an occurrence belongs to the period it starts in. A "
    "period that cannot be read is a 422 saying why."
)
FILTER_DOC = (
    "\n\n`category`, `village`, `venue` and `programme` (slugs, comma-separated) narrow the "
    "nights counted exactly as they narrow feeds and lists: a night counts for the venue, "
    "and the village, where it was held, even when it was moved there from the series' venue."
)
YearParam = Annotated[int, Parameter(ge=1900, le=2199, description="a calendar year, e.g. 2025")]
COUNTING_DOC = (
    "\n\n*Held* sessions (场次) are occurrences that have ended, were not cancelled or skipped, "
    "of published events (cancelled, postponed and draft events count nothing). 人次 is the "
    "sum of each occurrence's latest report revision; a correction replaces, never adds."
)


SIGNUPS_DOC = (
    "\n\nEach row's `signups` sums its held nights that took sign-ups: 场次, 报名 (people of "
    "confirmed sign-ups; waitlisted and cancelled ones never count), 签到 (checked in by QR "
    "code or check-in code, walk-ins included), 签到率 = 签到 / 报名, and 上报 (their latest "
    "reports); null when none of its nights did."
)

DAY_KINDS_DOC = (
    "\n\nEach row's `by_day_kind` splits its 场次 and 人次 by the local day each night starts "
    "on: `holiday` (法定节假日), `weekend` (周末), `workday` (工作日, 调休 working days "
    "included), and `unknown` (假日安排未公布) — listed only when some night falls in a year "
    "whose public holidays are not published yet (`unknown_holiday_years`); the kinds add up "
    "to the row's `sessions` and `people`."
)


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    guards = [allow("reports:read")]

    @get(
        "/stats",
        summary="Statistics for a period",
        description="场次, events, 人次 and its breakdown (residents/visitors, on-site/online, "
        "volunteers) and sessions still to report, grouped by category, village, venue, "
        "programme, organizer or month (local months), each beside the same period a year "
        "earlier with 同比. `group_by=total` gives only the totals. Admins and schedulers."
        + SIGNUPS_DOC
        + DAY_KINDS_DOC
        + COUNTING_DOC
        + PERIOD_DOC
        + FILTER_DOC,
    )
    async def stats(
        self,
        db: AsyncSession,
        settings: Settings,
        refs: RefData,
        filters: Filters,
        group_by: GroupBy = GroupBy.category,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> StatsOut:
        chosen = resolve(period, from_, to)
        selection = select_nights(refs, filters)
        return await statistics(db, settings, chosen, group_by, selection=selection)

    @get(
        "/stats/file",
        summary="Statistics as CSV or XLSX",
        description="The statistics table with a totals row. CSV is UTF-8 with a BOM (Excel "
        "opens the Chinese correctly); text that Excel would run as a formula starts with an "
        "apostrophe. XLSX has a frozen header row, fitted columns and a notes sheet. Before "
        "the sign-up columns, 法定节假日场次, 法定节假日人次, 周末场次, 周末人次, 工作日场次, "
        "工作日人次 (and 假日安排未公布场次, 假日安排未公布人次 when some night falls in a year "
        "not published) split each group by the kind of day. The last columns (报名场次, "
        "报名人次, 签到人次, 签到率, 报名场次上报人次) are blank for a group whose nights took "
        "no sign-ups." + PERIOD_DOC
        + FILTER_DOC,
        media_type=MEDIA["csv"],
    )
    async def stats_file(
        self,
        db: AsyncSession,
        settings: Settings,
        refs: RefData,
        filters: Filters,
        format: FileFormat = "csv",
        group_by: GroupBy = GroupBy.category,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> Response[bytes]:
        chosen = resolve(period, from_, to)
        selection = select_nights(refs, filters)
        return await stats_download(db, settings, format, chosen, group_by, selection)

    @get(
        "/ledger",
        summary="The activity ledger (台账)",
        description="One row per held occurrence, oldest first: date, time, title, place, "
        "village, organizer, category, 人次 of the latest report (null: not reported), "
        "counting method, who reported it, revision and the number of evidence photos — "
        "what an inspector checks the figures against. A night that took sign-ups also has "
        "`registered` (报名), `checked_in` (签到, walk-ins included), `walk_ins`, `no_shows`, "
        "each figure's method and the sentence `signups` (报名 40 人，签到 36 人（含现场加入 "
        "2 人），上报 38 人); a night that took none has them null." + PERIOD_DOC
        + FILTER_DOC,
    )
    async def ledger(
        self,
        db: AsyncSession,
        settings: Settings,
        refs: RefData,
        filters: Filters,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> LedgerOut:
        chosen = resolve(period, from_, to)
        return await ledger(db, settings, chosen, selection=select_nights(refs, filters))

    @get(
        "/ledger/file",
        summary="The ledger as CSV or XLSX",
        description="The ledger with a totals row (sessions, 人次, photos); the same file "
        "rules as the statistics file. 报名人数, 签到人数 and 现场加入人数 stand beside 上报人次, "
        "blank for nights that took no sign-ups." + PERIOD_DOC
        + FILTER_DOC,
        media_type=MEDIA["csv"],
    )
    async def ledger_file(
        self,
        db: AsyncSession,
        settings: Settings,
        refs: RefData,
        filters: Filters,
        format: FileFormat = "csv",
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> Response[bytes]:
        chosen = resolve(period, from_, to)
        return await ledger_download(
            db, settings, format, chosen, select_nights(refs, filters)
        )

    @get(
        "/annual-return",
        summary="The annual return (年报)",
        description="The 乡镇综合文化站 items of the national culture statistics return, in the "
        "form's order: 举办展览 (个) with 参观人次, 组织文艺活动 (次; performances and 村晚 "
        "included) with 参加人次, 举办训练班 (班次) with 培训人次, 公益性讲座 (次) with 参加人次; "
        "then the items kept by hand for the year (`kept`, null: 未填) and, apart, the "
        "activities reported to other offices (`beside`, 另报: 法治宣传, 体育, 夜市 …). A "
        "training event is one 班次 however many meetings, in the year of its first held "
        "meeting; its 培训人次 are its completed trainees, else those enrolled, else (with a "
        "warning) its largest meeting. People are on-site: online views (`online`) are never "
        "人次 of the return. Each category's `counting` (PATCH /api/v1/categories/{slug}) "
        "decides its line; `mapping` lists them.\n\n" + mapping_doc() + COUNTING_DOC
        + PERIOD_DOC,
    )
    async def annual(
        self,
        db: AsyncSession,
        settings: Settings,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> AnnualReturnOut:
        return await annual_return(db, settings, resolve(period, from_, to))

    @get(
        "/annual-return/file",
        summary="The annual return as XLSX or CSV",
        description="The return laid out like the form: the title (乡镇综合文化站 年报 2025年), "
        "填报单位 and period rows, 项目 | 单位 | 数量 with each 人次 item on its own row, the "
        "hand-kept items (未填 when not entered), then the 另报 block apart." + PERIOD_DOC,
        media_type=MEDIA["csv"],
    )
    async def annual_file(
        self,
        db: AsyncSession,
        settings: Settings,
        format: FileFormat = "xlsx",
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> Response[bytes]:
        return await annual_download(db, settings, format, resolve(period, from_, to))

    @get(
        "/annual-items",
        summary="The return's items kept by hand for a year",
        description="藏书（册）, 书刊外借册次, 业余文艺团队（个）, 从业人员（人）, 志愿者（人）: "
        "null when not entered (未填), never 0. `closed`: the year is closed (封账).",
    )
    async def kept(
        self,
        db: AsyncSession,
        year: YearParam,
    ) -> AnnualItemsOut:
        return await annual_items(db, year)

    @put(
        "/annual-items/{year:int}",
        summary="Enter the return's hand-kept items for a year",
        description="Each item sent is set (0 is a value) or, sent as null or with a null "
        "`value`, cleared; items left out stay as they are. Admins and schedulers. A closed "
        "year (封账) is a 409 until an admin reopens it.",
        guards=[allow("reports:keep")],
    )
    async def keep(self, db: AsyncSession, year: YearParam, data: AnnualItemsIn) -> AnnualItemsOut:
        return await keep_items(db, year, data)

    @get(
        "/review",
        summary="The review paragraph",
        description="The period's figures in the town's phrasing, ready to paste: one "
        "sentence per counting group (GET /api/v1/counting-groups: its template, unit, people "
        "word), what was held named by kind, highlighted programmes named with the station's "
        "role, online views in a clause of their own (never in 惠及群众). Sessions exact (or "
        "with 余 where the group says so), people with the leading significant figures kept "
        "and the rest cut (never rounded up), 余 when anything was cut, 万 from 10,000 (5,316 "
        "→ 5000余 with 1 figure, 23,480 → 2.3万余 with 2). `digits` (1–3), when given, "
        "overrides every group's own figures (else the group's, else `BOLIN_FIGURE_DIGITS`). "
        "同比 as 增长/下降 with one decimal, against a baseline entered by hand (GET "
        "/api/v1/reports/baselines) or the data a year earlier, left out when that base had "
        "fewer than `BOLIN_YOY_MIN_SESSIONS` sessions. `warnings` (Chinese) and "
        "`warnings_en` say what makes it incomplete." + PERIOD_DOC,
    )
    async def review(
        self,
        db: AsyncSession,
        settings: Settings,
        digits: Annotated[int | None, Parameter(ge=1, le=3)] = None,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> ReviewOut:
        chosen = resolve(period, from_, to)
        return await review(db, settings, chosen, digits)

    @get(
        "/charts",
        summary="Chart addresses for a period",
        description="The period's charts — `trend` (monthly 人次 beside last year's), "
        "`categories`, `villages` — each with an address that works in `<img src>` without "
        f"a token for {links.LIFETIME_SECONDS // 60} minutes." + PERIOD_DOC,
    )
    async def charts(
        self,
        settings: Settings,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
    ) -> list[ChartLink]:
        chosen = resolve(period, from_, to)
        secret = settings.resolved_secret_key()
        found = []
        for kind in ChartKind:
            url, expires = links.signed_path(secret, kind, chosen.key)
            found.append(ChartLink(kind=kind, title=CHART_TITLES[kind], url=url, expires=expires))
        return found


def _chart_access(
    request: Request[Any, Any, Any],
    settings: Settings,
    kind: str,
    period: Period,
    expires: int,
    signature: str | None,
) -> None:
    """A staff token, or a signed address from GET /api/v1/reports/charts."""
    if may(request.scope.get("user"), "reports:read"):
        return
    secret = settings.resolved_secret_key()
    if signature and links.is_valid(secret, kind, period.key, expires, signature):
        return
    allow("reports:read")(request, request.route_handler)  # raises the usual 401 or 403


@get(
    "/api/v1/reports/charts/{kind:str}",
    tags=["reports"],
    summary="A chart as SVG",
    description="`trend`, `categories` or `villages` for the period, as SVG drawn by pygal "
    "with Chinese labels (the font list names common CJK fonts). Needs a staff token, or "
    "the `expires` and `signature` of an address from GET /api/v1/reports/charts — so it "
    "works in `<img src>`. `inline=true` leaves out the XML declaration, for pasting the "
    "SVG into a page." + PERIOD_DOC,
    media_type=SVG,
)
async def chart(
    db: AsyncSession,
    settings: Settings,
    request: Request[Any, Any, Any],
    kind: ChartKind,
    inline: bool = False,
    expires: Annotated[int, Parameter(ge=0, le=2**62)] = 0,
    signature: Annotated[str | None, Parameter(max_length=64)] = None,
    period: PeriodParam = None,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response[bytes]:
    if not signature:  # who is asking comes before what they ask for (401/403, then 422)
        allow("reports:read")(request, request.route_handler)
    chosen = resolve(period, from_, to)
    _chart_access(request, settings, kind, chosen, expires, signature)
    return await chart_response(db, settings, kind, chosen, inline=inline)


REPORT_ROUTERS = [Router(path="/", route_handlers=[ReportController, chart])]
