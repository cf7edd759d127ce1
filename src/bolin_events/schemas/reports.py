"""Reports: statistics for a period, the annual return, the review paragraph, the ledger."""

from __future__ import annotations

import datetime as dt
from datetime import date

from pydantic import Field

from bolin_events.schemas.common import Count, Schema, ShortText


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
    residents: int | None = Field(
        description="本地居民, summed over the reports that split it; null when none did (shown "
        "as 未填, never 0)"
    )
    visitors: int | None = Field(description="外地游客, likewise; null when no report gave it")
    onsite: int = Field(description="现场人次 (total − online when not given)")
    online: int = Field(description="线上人次")
    volunteers: int = Field(description="志愿者 (not part of people)")


class SignupFiguresOut(Schema):
    """A group's held nights that took sign-ups: 报名, 签到 and 上报 side by side, each counted
    its own way (报名: confirmed sign-ups; 签到: scanned or typed check-in codes, walk-ins
    included; 上报: the latest report, by its own counting method)."""

    sessions: int = Field(description="场次 held that took sign-ups (any sign-up or walk-in)")
    registered: int = Field(description="报名人次: people of confirmed sign-ups; waitlisted, "
                            "cancelled and walk-ins not included")
    checked_in: int = Field(description="签到人次: people checked in at the door, walk-ins "
                            "included")
    walk_ins: int = Field(description="现场加入: people added at the door (part of checked_in)")
    no_shows: int = Field(description="未到: people of sign-ups marked as not come")
    check_in_rate: float | None = Field(
        description="签到率 in per cent, one decimal: checked_in / registered (walk-ins can take "
        "it past 100); null when nobody signed up"
    )
    reported: int = Field(description="上报人次: the latest reports' totals of these nights")
    unreported: int = Field(description="these nights still without a report")


class DayKindFiguresOut(Schema):
    """A group's 场次 and 人次 on one kind of day: the local day each night starts on."""

    kind: str = Field(description="holiday (法定节假日), weekend (周末), workday (工作日, 调休 "
                      "working days included) or unknown (假日安排未公布: a year whose holiday "
                      "arrangement is not published yet)")
    kind_zh: str = Field(description="法定节假日, 周末, 工作日 or 假日安排未公布")
    kind_en: str
    sessions: int = Field(description="场次 held on such days, counted like `sessions`")
    people: int = Field(description="人次 of those sessions, counted like `people`")


class StatsRow(FiguresOut):
    key: str = Field(description="the group: a slug, a month (2025-06), '-' for none, 'total'")
    name_zh: str
    name_en: str | None = None
    sessions_last_year: int = Field(description="场次 in the same period a year earlier")
    people_last_year: int = Field(description="人次 in the same period a year earlier")
    people_change_pct: float | None = Field(
        description="同比 of people in per cent, one decimal; null when last year had nobody, "
        "or fewer sessions than BOLIN_YOY_MIN_SESSIONS (default 10)"
    )
    people_change: str | None = Field(description="同比增长6.2% / 同比下降3.1% / 同比持平")
    signups: SignupFiguresOut | None = Field(
        default=None,
        description="the group's nights that took sign-ups, their 报名, 签到 and 上报 figures; "
        "null when none did",
    )
    by_day_kind: list[DayKindFiguresOut] = Field(
        default_factory=list,
        description="场次 and 人次 split by the kind of day the nights start on (local date): "
        "holiday, weekend, workday, and unknown only when some night falls in a year whose "
        "arrangement is not published; the same kinds in every row, and they add up to the "
        "row's `sessions` and `people`",
    )


class StatsOut(Schema):
    period: PeriodOut
    compared_with: PeriodOut
    group_by: str
    rows: list[StatsRow]
    total: StatsRow
    unknown_holiday_years: list[int] = Field(
        default_factory=list,
        description="years of the counted nights whose public holidays are not published yet "
        "(假日安排未公布): their nights are split as `unknown` until the arrangement is entered",
    )


class ReturnLine(Schema):
    counting: str = Field(description="the categories' `counting` this line sums: exhibition, "
                          "activity, training or lecture")
    item: str = Field(description="the station table's item: 举办展览, 组织文艺活动, 举办训练班, "
                      "公益性讲座")
    unit: str = Field(description="个, 次 or 班次")
    value: int = Field(description="个: exhibitions held (one however many days); 次: sessions "
                       "held; 班次: courses (one per training event, however many meetings)")
    people_item: str = Field(description="参观人次, 参加人次 or 培训人次")
    people: int = Field(description="人次 on site (total − online); 培训人次: each course's "
                        "trainees")
    online: int = Field(description="online views of these sessions: never part of `people`")
    value_last_year: int
    people_last_year: int
    categories: list[str] = Field(description="slugs of the categories counted here")


class ReturnCourse(Schema):
    """One 班次 of the training line and where its 培训人次 come from."""

    event_id: int
    title: str
    course: bool = Field(description="marked as one course; false: a training event counted "
                         "as one 班次 all the same")
    meetings: int = Field(description="its held meetings, in any year")
    first: date = Field(description="its first held meeting: the year it counts in")
    enrolled: int | None
    completed: int | None
    largest: int | None = Field(description="the largest single meeting's on-site 人次")
    trainees: int = Field(description="培训人次: completed, else enrolled, else `largest`")
    source: str = Field(description="completed, enrolled or largest_meeting")


class KeptItem(Schema):
    key: str = Field(description="books, loans, troupes, staff or volunteers")
    item: str = Field(description="藏书, 书刊外借册次, 业余文艺团队, 从业人员, 志愿者")
    unit: str = Field(description="册, 册次, 个 or 人")
    value: int | None = Field(description="null: not entered (未填), never taken as 0")
    note: str | None


class BesideLine(Schema):
    """A counting group's sessions of categories that are not items of the return (另报)."""

    group: str = Field(description="the counting group's slug; '-' for categories in none")
    name_zh: str
    name_en: str | None
    sessions: int = Field(description="场次 held")
    people: int = Field(description="人次 on site (total − online)")
    online: int
    categories: list[str]


class CategoryCounting(Schema):
    slug: str
    name_zh: str
    counting: str = Field(description="its item of the return, or none: reported beside it")
    group: str | None = Field(description="slug of its counting group")


class AnnualReturnOut(Schema):
    period: PeriodOut
    title: str = Field(description="乡镇综合文化站 年报 2025年")
    lines: list[ReturnLine] = Field(description="the station table's items, in the form's order")
    courses: list[ReturnCourse] = Field(description="the training line's courses (班次)")
    kept: list[KeptItem] = Field(
        description="the items kept by hand for the year; empty unless the period is a year"
    )
    beside: list[BesideLine] = Field(
        description="不属于文化站年报的活动（另报）: groups of categories whose counting is none "
        "(法治宣传, 体育, 夜市 …), reported to other offices, never lines of the return"
    )
    mapping: list[CategoryCounting] = Field(description="each category and the line it counts in")
    unreported: int = Field(description="held sessions with no report: their people are missing")
    warnings: list[str] = Field(
        description="courses whose 培训人次 are uncertain: no trainee numbers entered, or a "
        "training event not marked as a course"
    )


class KeptValue(Schema):
    value: Count | None = Field(
        default=None, ge=0, le=1_000_000_000, description="0 is a value; null clears the item"
    )
    note: ShortText | None = Field(default=None, description="where the figure comes from")


class AnnualItemsIn(Schema):
    """The hand-kept items to change; an item left out stays as it is, one sent as null (or
    with a null value) is cleared."""

    books: KeptValue | None = Field(default=None, description="藏书（册）")
    loans: KeptValue | None = Field(default=None, description="书刊外借册次（册次）")
    troupes: KeptValue | None = Field(default=None, description="业余文艺团队（个）")
    staff: KeptValue | None = Field(default=None, description="从业人员（人）")
    volunteers: KeptValue | None = Field(default=None, description="志愿者（人）")


class AnnualItemsOut(Schema):
    year: int
    closed: bool = Field(description="the year is closed (封账): its items cannot change")
    items: list[KeptItem]


class ReviewSentence(Schema):
    group: str = Field(description="the counting group's slug, or `highlights`")
    text: str


class ReviewOut(Schema):
    period: PeriodOut
    digits: int = Field(
        description="the significant figures asked for, else BOLIN_FIGURE_DIGITS; a counting "
        "group's own `digits` applies when none were asked for"
    )
    paragraph: str = Field(description="ready to paste into the review")
    sentences: list[ReviewSentence]
    warnings: list[str] = Field(description="what makes the paragraph incomplete, in Chinese")
    warnings_en: list[str] = Field(description="the same warnings in English")


class LedgerRow(Schema):
    """One held night: ``date`` is the local day it starts."""

    occurrence_id: str
    date: date  # the field shadows the type in this class: below it is dt.date
    end_date: dt.date | None = Field(
        description="the last local day of a night that runs over several days (a three-day "
        "festival, an exhibition); null: one day"
    )
    time: str = Field(description="local start, HH:MM, or 全天")
    title: str
    venue: str | None
    village: str | None = Field(description="the venue's village; null: no venue, or a venue "
                                "in no village")
    organizer: str | None
    category: str
    people: int | None = Field(description="人次 of the latest report; null: not reported yet")
    onsite: int | None = Field(description="现场人次 (total − online when not given); null: not "
                               "reported yet")
    online: int | None = Field(description="线上人次 as reported; null: not given")
    residents: int | None = Field(description="本地居民 as reported; null: not given (未填)")
    visitors: int | None = Field(description="外地游客 as reported; null: not given (未填)")
    method: str | None = Field(description="统计方式 of the reported 人次 (people), in Chinese")
    registered: int | None = Field(
        default=None, description="报名人数: people of confirmed sign-ups (waitlisted, cancelled "
        "and walk-ins not included); null: the night took no sign-ups"
    )
    registered_method: str | None = Field(default=None, description="报名 when registered is "
                                          "given")
    checked_in: int | None = Field(
        default=None, description="签到人数: people checked in at the door, walk-ins included; "
        "null: the night took no sign-ups"
    )
    walk_ins: int | None = Field(default=None, description="现场加入: people added at the door, "
                                 "part of checked_in")
    no_shows: int | None = Field(default=None, description="未到: people of sign-ups marked as "
                                 "not come")
    checked_in_method: str | None = Field(default=None, description="扫码/签到码签到 when "
                                          "checked_in is given")
    signups: str | None = Field(
        default=None, description="the three figures side by side, e.g. 报名 40 人，签到 36 人"
        "（含现场加入 2 人），上报 38 人; null: the night took no sign-ups"
    )
    signups_en: str | None = Field(default=None, description="the same in English: 40 signed "
                                   "up, 36 checked in (2 walk-ins), 38 reported")
    note: str | None = Field(description="the latest report's note")
    reporter: str | None = Field(description="username of whoever filed the latest revision")
    reported_at: dt.datetime | None = Field(description="when the latest revision was filed, in "
                                         "local time (with its offset)")
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
