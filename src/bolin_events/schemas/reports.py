"""Reports: statistics for a period, the annual return, the review paragraph, the ledger."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from bolin_events.schemas.common import Schema


class PeriodOut(Schema):
    key: str = Field(description="2025, 2025-Q2, 2025-06, or 2025-01-01..2025-06-30")
    label: str = Field(description="as a review writes it: 2025年, 2025年第二季度, 2025年6月 …")
    kind: str = Field(description="year, quarter, month or range")
    first: date
    last: date = Field(description="the last day, included")


class FiguresOut(Schema):
    sessions: int = Field(description="场次: held occurrences (ended, not cancelled or skipped)")
    events: int = Field(description="distinct events held (an exhibition counts once: 个)")
    people: int = Field(description="人次: the sum of each occurrence's latest report")
    reported: int = Field(description="sessions with a report")
    unreported: int = Field(description="sessions still without a report")
    residents: int = Field(description="本地居民 (as reported; not every report splits it)")
    visitors: int = Field(description="外地游客")
    onsite: int = Field(description="现场人次 (total − online when not given)")
    online: int = Field(description="线上人次")
    volunteers: int = Field(description="志愿者 (not part of people)")


class StatsRow(FiguresOut):
    key: str = Field(description="the group: a slug, a month (2025-06), '-' for none, 'total'")
    name_zh: str
    name_en: str | None = None
    sessions_last_year: int = Field(description="场次 in the same period a year earlier")
    people_last_year: int = Field(description="人次 in the same period a year earlier")
    people_change_pct: float | None = Field(
        description="同比 of people in per cent, one decimal; null when last year had none"
    )
    people_change: str | None = Field(description="同比增长6.2% / 同比下降3.1% / 同比持平")


class StatsOut(Schema):
    period: PeriodOut
    compared_with: PeriodOut
    group_by: str
    rows: list[StatsRow]
    total: StatsRow


class ReturnLine(Schema):
    counting: str = Field(description="the categories' `counting` value this line sums")
    item: str = Field(description="the station table's item, e.g. 举办展览")
    unit: str = Field(description="个, 次, 班次 or 场次")
    value: int = Field(description="sessions, or distinct events for exhibitions")
    people_item: str = Field(description="e.g. 观众人次, 培训人次")
    people: int
    value_last_year: int
    people_last_year: int
    categories: list[str] = Field(description="slugs of the categories counted here")


class CategoryCounting(Schema):
    slug: str
    name_zh: str
    counting: str


class AnnualReturnOut(Schema):
    period: PeriodOut
    lines: list[ReturnLine]
    mapping: list[CategoryCounting] = Field(description="each category and the line it counts in")
    unreported: int = Field(description="held sessions with no report: their people are missing")


class ReviewSentence(Schema):
    category: str
    text: str


class ReviewOut(Schema):
    period: PeriodOut
    digits: int = Field(description="significant figures kept in people (BOLIN_FIGURE_DIGITS)")
    paragraph: str = Field(description="ready to paste into the review")
    sentences: list[ReviewSentence]
    warnings: list[str] = Field(description="what makes the paragraph incomplete")


class LedgerRow(Schema):
    occurrence_id: str
    date: date
    time: str = Field(description="local start, HH:MM, or 全天")
    title: str
    venue: str | None
    village: str | None
    organizer: str | None
    category: str
    people: int | None = Field(description="人次 of the latest report; null: not reported yet")
    method: str | None = Field(description="counting method, in Chinese")
    reporter: str | None = Field(description="username of whoever filed the latest revision")
    revision: int | None
    photos: int = Field(description="evidence photos kept for the occurrence")


class LedgerOut(Schema):
    period: PeriodOut
    rows: list[LedgerRow]
    sessions: int
    people: int


class ChartLink(Schema):
    kind: str
    title: str
    url: str = Field(description="works in <img src> without a token until `expires`")
    expires: int = Field(description="Unix time")
